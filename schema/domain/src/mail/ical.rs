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

/// Text as RFC 5545's TEXT may carry it: every line break (CRLF, a bare CR, LF) becomes one
/// newline, which the icalendar crate escapes as `\n`, and other control characters (which
/// TEXT excludes, tab aside) are dropped. A bare CR left in would end the content line early
/// and let a title write properties of its own.
fn text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

pub(crate) fn uid(release_id: uuid::Uuid) -> String {
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
        .summary(&text(&r.title))
        .description(&text(&r.summary))
        .location(&text(&pc.location))
        .starts(pc.starts_at)
        .ends(
            pc.ends_at
                .unwrap_or(pc.starts_at + chrono::Duration::hours(1)),
        )
        .add_property(
            "ORGANIZER",
            format!("mailto:{}", text(organizer).replace('\n', "")),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_kind_stay_inside_the_value() {
        assert_eq!(text("a\rb\r\nc\nd"), "a\nb\nc\nd");
        assert_eq!(text("x\u{0}y\u{1b}z\tw"), "xyz\tw");
    }
}
