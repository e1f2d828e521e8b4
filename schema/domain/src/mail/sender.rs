//! One pooled async SMTP transport (lettre), reused for every message.
use super::message::Rendered;
use crate::error::{AppResult, ResultExt};
use crate::settings::MailSettings;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How one attempt ended.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// 4xx, connection refused, timeouts: retry later.
    #[error("temporary failure: {0}")]
    Transient(String),
    /// 5xx about the recipient (no such mailbox, mailbox disabled or full): refused for good,
    /// and the address is suppressed (its reply kept).
    #[error("refused for good: {0}")]
    Permanent(String),
    /// 5xx from the relay itself (authentication, relaying or sender refused, policy, protocol):
    /// nothing about the recipient, so retried with backoff and never suppressed.
    #[error("the relay failed: {0}")]
    Relay(String),
}

/// The enhanced status code (RFC 3463) of an SMTP reply's text, if it has one.
fn enhanced_code(text: &str) -> Option<(u8, u16, u16)> {
    text.split(|c: char| c.is_whitespace() || c == ':' || c == '(' || c == ')')
        .find_map(|w| {
            let mut parts = w.split('.');
            let class = parts.next()?.parse::<u8>().ok()?;
            let subject = parts.next()?.parse::<u16>().ok()?;
            let detail = parts.next()?.parse::<u16>().ok()?;
            (parts.next().is_none() && matches!(class, 2 | 4 | 5))
                .then_some((class, subject, detail))
        })
}

/// Whether a permanent failure is the recipient's own. With an enhanced code: addressing
/// (5.1.x, except the sender's 5.1.7 and 5.1.8) and mailbox status (5.2.x) are; security and
/// policy (5.7.x), the mail system (5.3.x), network (5.4.x) and protocol (5.5.x) are the
/// relay's. Without one, only the mailbox replies 550–553 are.
pub(crate) fn recipient_refused(code: Option<u16>, text: &str) -> bool {
    match enhanced_code(text) {
        Some((5, 1, d)) => !matches!(d, 7 | 8),
        Some((5, 2, _)) => true,
        Some(_) => false,
        None => matches!(code, Some(550..=553)),
    }
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The relay's port, to find the pool's sockets by (see `no_delay`).
    port: u16,
}

/// The port lettre connects to for a `PRESSNET_SMTP_URL`: the URL's own, else its scheme's
/// (lettre's defaults: 465 for `smtps`, 587 for `smtp` with `tls=required|opportunistic`,
/// 25 for plain `smtp`).
fn relay_port(url: &str) -> u16 {
    let Ok(u) = url::Url::parse(url) else {
        return 25;
    };
    if let Some(p) = u.port() {
        return p;
    }
    let tls = u
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    match (u.scheme(), tls.as_deref()) {
        ("smtps", _) => 465,
        (_, Some("required" | "opportunistic")) => 587,
        _ => 25,
    }
}

#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// RFC 8058 one-click unsubscribe.
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

impl Mailer {
    /// `None` when no SMTP URL is configured (the channel is off).
    pub fn from_settings(s: &MailSettings) -> AppResult<Option<Mailer>> {
        let Some(url) = &s.smtp_url else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .internal("PRESSNET_SMTP_URL")?
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(
                PoolConfig::new()
                    .max_size(u32::try_from(s.connections.max(1)).unwrap_or(4))
                    .idle_timeout(Duration::from_secs(60)),
            )
            .build();
        let from: Mailbox = s.from.parse().internal("PRESSNET_MAIL_FROM")?;
        Ok(Some(Mailer {
            transport,
            from,
            port: relay_port(url),
        }))
    }

    pub fn build(&self, to: &str, r: &Rendered, message_id: &str) -> Result<Message, SendError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| SendError::Permanent(format!("invalid recipient address: {e}")))?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(r.subject.clone())
            .message_id(Some(message_id.to_owned()));
        if let Some(url) = &r.unsubscribe {
            b = b
                .header(ListUnsubscribe(format!("<{url}>")))
                .header(ListUnsubscribePost);
        }
        let mut alt = MultiPart::alternative()
            .singlepart(SinglePart::plain(r.text.clone()))
            .singlepart(SinglePart::html(r.html.clone()));
        if let Some((method, ics)) = &r.calendar {
            let ct = ContentType::parse(&format!(
                "text/calendar; method={}; charset=utf-8",
                method.as_str()
            ))
            .map_err(|e| SendError::Permanent(format!("content type: {e}")))?;
            alt = alt.singlepart(SinglePart::builder().header(ct).body(ics.clone()));
        }
        b.multipart(alt)
            .map_err(|e| SendError::Permanent(format!("message: {e}")))
    }

    /// Turns Nagle's algorithm off on the pool's connections to the relay. lettre writes a
    /// message's body and then its terminating `.` in two writes and does not set TCP_NODELAY,
    /// so the `.` waits for the relay's delayed ACK (40 ms on Linux) before it leaves: a
    /// connection sent 22 messages a second to a relay on the same machine. lettre gives no
    /// access to its sockets, so, as for PostgreSQL (`tcp_nodelay`), the process's sockets to
    /// the relay's port get the option; the e-mail worker asks for it when connections may be
    /// new. Run off the runtime (it reads `/proc/self/fd`).
    pub async fn no_delay(&self) {
        let port = self.port;
        let _ =
            tokio::task::spawn_blocking(move || crate::tcp_nodelay::set_on_sockets_to(port)).await;
    }

    /// Sends one message; Ok carries the server's reply.
    pub async fn send(&self, msg: Message) -> Result<String, SendError> {
        match self.transport.send(msg).await {
            Ok(resp) => Ok(format!(
                "{} {}",
                resp.code(),
                resp.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => {
                let text = e.to_string();
                let code = e.status().and_then(|c| c.to_string().parse::<u16>().ok());
                if recipient_refused(code, &text) {
                    Err(SendError::Permanent(text))
                } else {
                    Err(SendError::Relay(format!("the mail relay refused: {text}")))
                }
            }
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{recipient_refused, relay_port};

    #[test]
    fn the_relay_port_is_lettres() {
        assert_eq!(relay_port("smtp://127.0.0.1:2525"), 2525);
        assert_eq!(relay_port("smtps://user:pw@smtp.example.vn"), 465);
        assert_eq!(relay_port("smtp://smtp.example.vn?tls=required"), 587);
        assert_eq!(relay_port("smtp://smtp.example.vn"), 25);
    }

    #[test]
    fn only_the_recipients_own_failures_are_permanent() {
        assert!(recipient_refused(
            Some(550),
            "permanent error (550): Mailbox unavailable"
        ));
        assert!(recipient_refused(
            Some(550),
            "550 5.1.1 <x@y.vn>: user unknown"
        ));
        assert!(recipient_refused(Some(552), "552 5.2.2 mailbox full"));
        assert!(!recipient_refused(
            Some(535),
            "535 5.7.8 authentication failed"
        ));
        assert!(!recipient_refused(Some(550), "550 5.7.1 relaying denied"));
        assert!(!recipient_refused(
            Some(553),
            "553 5.1.8 sender address rejected"
        ));
        assert!(!recipient_refused(Some(554), "554 transaction failed"));
        assert!(!recipient_refused(Some(530), "530 authentication required"));
    }
}
