//! RFC 5545 invitations for press conferences. The UID is stable per release; SEQUENCE
//! counts updates, so calendars replace the event instead of adding a second one.
use crate::entities::{press_conference, release};
use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};

/// `REQUEST` for an invitation or update, `CANCEL` for a cancellation; the MIME part's
/// `method=` parameter must say the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

pub fn uid(release_id: uuid::Uuid) -> String {
    format!("{release_id}@pressnet")
}

pub fn invitation(
    r: &release::Model,
    pc: &press_conference::Model,
    method: Method,
    organizer: &str,
    now: DateTime<Utc>,
) -> String {
    let mut event = icalendar::Event::new();
    event
        .uid(&uid(r.id))
        .sequence(pc.sequence.max(0) as u32)
        .timestamp(now)
        .summary(&r.title)
        .description(&r.summary)
        .location(&pc.location)
        .starts(pc.starts_at)
        .ends(
            pc.ends_at
                .unwrap_or(pc.starts_at + chrono::Duration::hours(1)),
        )
        .add_property("ORGANIZER", format!("mailto:{organizer}"));
    if method == Method::Cancel {
        event.status(EventStatus::Cancelled);
    } else {
        event.status(EventStatus::Confirmed);
    }
    let mut cal = Calendar::new();
    cal.append_property(icalendar::Property::new("METHOD", method.as_str()));
    cal.push(event.done());
    cal.done().to_string()
}
