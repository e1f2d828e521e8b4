//! A [`Letter`] made into a message: subject, text and HTML from templates (minijinja, HTML
//! auto-escaped; each kind's subject beside its bodies in `templates/`), and the iCalendar
//! part for press conferences. Pure: everything it needs was loaded (`load`).
use super::ical::{self, Method};
use super::load::{Content, DigestLine, Letter, ReleaseLetter};
use super::message::Rendered;
use crate::enums::MailKind;
use crate::error::{AppError, AppResult};
use crate::services::text::release_html;
use minijinja::{context, Environment};
use std::sync::OnceLock;
use uuid::Uuid;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let templates = [
            ("release.txt", include_str!("templates/release.txt")),
            ("release.html", include_str!("templates/release.html")),
            ("digest.txt", include_str!("templates/digest.txt")),
            ("digest.html", include_str!("templates/digest.html")),
            ("simple.txt", include_str!("templates/simple.txt")),
            ("simple.html", include_str!("templates/simple.html")),
            ("release.subject", include_str!("templates/release.subject")),
            ("digest.subject", include_str!("templates/digest.subject")),
            ("kind_label.txt", include_str!("templates/kind_label.txt")),
            ("notice.txt", include_str!("templates/notice.txt")),
        ];
        let templates = templates.into_iter().chain(messages());
        // Numbers as Rust writes them: 3.0 is "3", and a mean has one decimal.
        env.add_filter("number", |v: f64| v.to_string());
        env.add_filter("one_decimal", |v: f64| format!("{v:.1}"));
        for (name, src) in templates {
            if let Err(e) = env.add_template(name, src) {
                tracing::error!(%name, error = %e, "mail template does not parse");
            }
        }
        env
    })
}

/// Each named message's subject and text (`Message::name`).
fn messages() -> Vec<(&'static str, &'static str)> {
    macro_rules! message {
        ($name:literal) => {
            [
                (
                    concat!("messages/", $name, ".subject"),
                    include_str!(concat!("templates/messages/", $name, ".subject")),
                ),
                (
                    concat!("messages/", $name, ".txt"),
                    include_str!(concat!("templates/messages/", $name, ".txt")),
                ),
            ]
        };
    }
    [
        message!("invitation"),
        message!("question_asked"),
        message!("question_overdue"),
        message!("question_answered"),
        message!("question_declined"),
        message!("press_report_raised"),
        message!("press_report_overdue"),
        message!("mention_alert"),
        message!("webhook_paused"),
        message!("press_card_expiring"),
        message!("spokesperson_vacancy"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn template(name: &str, ctx: minijinja::Value) -> AppResult<String> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map_err(|e| AppError::caused(format!("template {name}"), e))
}

fn fmt_time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%d/%m/%Y %H:%M").to_string()
}

/// The release's page on pressnet.
pub(crate) fn release_link(public_url: &str, id: Uuid) -> String {
    format!("{public_url}/#/releases/{id}")
}

/// A journalist's one-click unsubscribe address.
pub(crate) fn unsubscribe_link(public_url: &str, token: &str) -> String {
    format!("{public_url}/unsubscribe?token={token}")
}

/// The message `letter` makes.
pub fn render(letter: &Letter) -> AppResult<Rendered> {
    let unsubscribe = letter
        .payload
        .unsubscribe_token
        .as_deref()
        .map(|t| unsubscribe_link(&letter.public_url, t));
    match &letter.content {
        Content::Release(r) => render_release(letter, r, unsubscribe),
        Content::Digest(lines) => render_digest(letter, lines, unsubscribe),
        Content::Simple => {
            let p = &letter.payload;
            let (subject, text) = match &p.message {
                Some(m) => {
                    let fields = minijinja::Value::from_serialize(m);
                    let name = m.name();
                    (
                        template(&format!("messages/{name}.subject"), fields.clone())?,
                        template(&format!("messages/{name}.txt"), fields)?,
                    )
                }
                None => (
                    p.subject.clone().unwrap_or_else(|| "pressnet".into()),
                    p.text.clone().unwrap_or_default(),
                ),
            };
            let c = context! {
                subject => &subject,
                text => text,
                link => p.link.clone(),
                authority => &letter.authority,
            };
            Ok(Rendered {
                text: template("simple.txt", c.clone())?,
                html: template("simple.html", c)?,
                subject,
                calendar: None,
                unsubscribe: None,
            })
        }
    }
}

fn render_release(
    letter: &Letter,
    l: &ReleaseLetter,
    unsubscribe: Option<String>,
) -> AppResult<Rendered> {
    let (r, kind, payload) = (&l.release, letter.kind, &letter.payload);
    let conference = l.conference.as_ref().map(|p| {
        context! {
            starts => fmt_time(p.starts_at),
            ends => p.ends_at.map(fmt_time),
            location => &p.location,
            rsvp_deadline => p.rsvp_deadline.map(fmt_time),
        }
    });
    let files: Vec<minijinja::Value> = l
        .files
        .iter()
        .map(|f| {
            context! {
                name => &f.name,
                caption => &f.caption,
                size => human_size(f.size),
                url => &f.url,
            }
        })
        .collect();
    let speaker = l.speaker.as_ref().map(|s| {
        context! { name => &s.full_name, position => &s.position, phone => &s.phone, email => &s.email }
    });
    let notice = match &payload.notice_of {
        Some(n) => Some(template("notice.txt", context! { n => n })?),
        None => payload.notice.clone(),
    };
    let c = context! {
        mail_kind => kind.as_str(),
        unit => &l.unit_name,
        kind => r.kind.as_str(),
        notice => notice,
        title => &r.title,
        summary => &r.summary,
        body => &r.body,
        body_html => release_html(&r.body).to_string(),
        conference => conference,
        speaker => speaker,
        link => release_link(&letter.public_url, r.id),
        files => files,
        files_expire => fmt_time(l.files_expire),
        unsubscribe => &unsubscribe,
        authority => &letter.authority,
    };
    let calendar = match (&l.conference, kind) {
        (Some(p), MailKind::Release | MailKind::Retraction | MailKind::ConferenceUpdate) => {
            let method = match payload.method.as_deref() {
                Some("CANCEL") => Method::Cancel,
                _ if kind == MailKind::Retraction => Method::Cancel,
                _ => Method::Request,
            };
            let organizer = l
                .speaker
                .as_ref()
                .map(|s| s.email.clone())
                .unwrap_or_else(|| letter.from.clone());
            Some((
                method,
                ical::invitation(r, p, method, &organizer, letter.now),
            ))
        }
        _ => None,
    };
    Ok(Rendered {
        subject: template("release.subject", c.clone())?,
        text: template("release.txt", c.clone())?,
        html: template("release.html", c)?,
        calendar,
        unsubscribe,
    })
}

fn render_digest(
    letter: &Letter,
    lines: &[DigestLine],
    unsubscribe: Option<String>,
) -> AppResult<Rendered> {
    let items: Vec<minijinja::Value> = lines
        .iter()
        .map(|r| {
            context! {
                unit => &r.unit_name,
                title => &r.title,
                summary => &r.summary,
                link => release_link(&letter.public_url, r.release_id),
            }
        })
        .collect();
    let c = context! {
        count => items.len(),
        releases => items,
        unsubscribe => &unsubscribe,
        authority => &letter.authority,
    };
    Ok(Rendered {
        subject: template("digest.subject", c.clone())?,
        text: template("digest.txt", c.clone())?,
        html: template("digest.html", c)?,
        calendar: None,
        unsubscribe,
    })
}

/// 1,2 MB, as a Vietnamese reader writes it.
fn human_size(bytes: i64) -> String {
    let units = ["B", "KB", "MB", "GB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i < units.len() - 1 {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} B")
    } else {
        format!("{v:.1} {}", units.get(i).unwrap_or(&"GB")).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::message::Payload;

    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1,5 KB");
        assert_eq!(human_size(3 * 1024 * 1024), "3,0 MB");
    }

    #[test]
    fn a_digest_renders_from_its_letter_alone() {
        let letter = Letter {
            kind: MailKind::Digest,
            payload: Payload::default(),
            public_url: "https://press.example".into(),
            from: "pressnet@example".into(),
            now: chrono::Utc::now(),
            authority: "Sở Văn hóa, Thể thao và Du lịch".into(),
            content: Content::Digest(vec![DigestLine {
                release_id: Uuid::nil(),
                unit_name: "Sở Y tế".into(),
                title: "Tiêm chủng".into(),
                summary: "Lịch tiêm".into(),
            }]),
        };
        let m = render(&letter).unwrap_or_else(|e| panic!("{}", e.detail()));
        assert_eq!(m.subject, "Bản tin pressnet: 1 thông tin mới");
        assert!(m.text.contains("[Sở Y tế] Tiêm chủng"), "{}", m.text);
        assert!(m.text.contains("https://press.example/#/releases/"));
    }

    #[test]
    fn each_notice_reads_as_its_template_says() {
        use crate::mail::message::Notice;
        let says = |n: Notice| template("notice.txt", context! { n => n }).unwrap_or_default();
        assert_eq!(
            says(Notice::Retraction {
                reason: "số liệu sai".into()
            }),
            "Thông tin này đã được thu hồi. Lý do: số liệu sai"
        );
        assert_eq!(
            says(Notice::Escalation { minutes: 30 }),
            "Nhắc lại: toà soạn chưa xác nhận đã nhận thông tin này sau 30 phút."
        );
        assert!(says(Notice::Correction).starts_with("Thông tin này cải chính"));
        assert!(says(Notice::ConferenceUpdate).contains("cập nhật"));
        assert!(says(Notice::Reminder).starts_with("Nhắc lịch"));
        // A message queued before notices were named still reads as it was written.
        let old: crate::mail::message::Payload =
            serde_json::from_str(r#"{"notice":"Thông tin họp báo đã được cập nhật."}"#)
                .unwrap_or_default();
        assert_eq!(old.notice_of, None);
        assert!(old.notice.is_some());
    }

    fn simple(m: crate::mail::message::Message) -> Rendered {
        let letter = Letter {
            kind: MailKind::Notice,
            payload: Payload {
                message: Some(m),
                link: Some("https://press.example/#/x".into()),
                ..Payload::default()
            },
            public_url: "https://press.example".into(),
            from: "pressnet@example".into(),
            now: chrono::Utc::now(),
            authority: "Sở Văn hóa, Thể thao và Du lịch".into(),
            content: Content::Simple,
        };
        render(&letter).unwrap_or_else(|e| panic!("{}", e.detail()))
    }

    #[test]
    fn each_named_message_reads_as_its_templates_say() {
        use crate::mail::message::{Message, PressReportLines};
        let m = simple(Message::Invitation {
            email: "a@b.vn".into(),
            days: 7,
        });
        assert_eq!(m.subject, "Mời tham gia pressnet — đặt mật khẩu");
        assert!(m
            .text
            .starts_with("Tài khoản pressnet của bạn (a@b.vn) đã được tạo."));
        assert!(m.text.contains("(hiệu lực 7 ngày)"), "{}", m.text);
        assert!(m.text.contains("https://press.example/#/x\n"), "{}", m.text);
        // Every e-mail is signed by the authority that runs the system.
        assert!(
            m.text
                .ends_with("-- \nHệ thống pressnet do Sở Văn hóa, Thể thao và Du lịch quản lý."),
            "{}",
            m.text
        );
        assert!(m
            .html
            .contains("Hệ thống pressnet do Sở Văn hóa, Thể thao và Du lịch quản lý."));
        let m = simple(Message::MentionAlert {
            unit: "Sở Y tế".into(),
            day: "07/12/2026".into(),
            mentions: 12,
            factor: 3.0,
            daily_mean: 2.4,
            baseline_days: 14,
        });
        assert_eq!(
            m.subject,
            "[CẢNH BÁO] Sở Y tế được báo chí nhắc tới 12 lần hôm nay"
        );
        assert!(
            m.text.starts_with(
                "Hôm nay (07/12/2026) có 12 bài báo nhắc tới Sở Y tế, gấp hơn 3 lần mức trung \
                 bình 2.4 bài/ngày của 14 ngày trước đó.\n\nXem các bài"
            ),
            "{}",
            m.text
        );
        let m = simple(Message::PressReportOverdue(PressReportLines {
            title: "Đường hỏng".into(),
            url: "https://bao.vn/a".into(),
            note: String::new(),
            due: "07/12/2026 10:00 UTC".into(),
        }));
        assert_eq!(m.subject, "Quá hạn phản hồi phản ánh của báo chí");
        assert!(m
            .text
            .starts_with("Đường hỏng\nhttps://bao.vn/a\n\n\nHạn phản hồi: 07/12/2026 10:00 UTC"));
        let m = simple(Message::SpokespersonVacancy {
            unit: "Sở Y tế".into(),
            since: "01/12/2026".into(),
            days: 6,
            allowed: 5,
        });
        assert_eq!(m.subject, "Sở Y tế chưa có người phát ngôn từ 01/12/2026");
        assert!(m.text.starts_with("Sở Y tế không có người phát ngôn đang hoạt động từ ngày 01/12/2026 (6 ngày), quá 5 ngày"), "{}", m.text);
        // HTML escapes what people wrote.
        let m = simple(Message::QuestionAsked {
            question: "<b>Vì sao?</b>".into(),
        });
        assert!(
            m.html.contains("&lt;b&gt;Vì sao?&lt;&#x2f;b&gt;"),
            "{}",
            m.html
        );
        assert!(!m.html.contains("<b>"), "{}", m.html);
        assert_eq!(m.text.lines().next(), Some("<b>Vì sao?</b>"));
    }
}
