//! One pooled async SMTP transport (lettre), reused for every message.
use super::render::Rendered;
use crate::error::{AppError, AppResult};
use crate::settings::MailSettings;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How one attempt ended.
#[derive(Debug)]
pub enum SendError {
    /// 4xx, connection refused, timeouts: retry later.
    Transient(String),
    /// 5xx: the server refused for good (its reply kept).
    Permanent(String),
}

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
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
            .map_err(|e| AppError::internal(format!("PRESSNET_SMTP_URL: {e}")))?
            .timeout(Some(Duration::from_secs(30)))
            .pool_config(
                PoolConfig::new()
                    .max_size(32)
                    .idle_timeout(Duration::from_secs(60)),
            )
            .build();
        let from: Mailbox = s
            .from
            .parse()
            .map_err(|e| AppError::internal(format!("PRESSNET_MAIL_FROM: {e}")))?;
        Ok(Some(Mailer { transport, from }))
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

    /// Sends one message; Ok carries the server's reply.
    pub async fn send(&self, msg: Message) -> Result<String, SendError> {
        match self.transport.send(msg).await {
            Ok(resp) => Ok(format!(
                "{} {}",
                resp.code(),
                resp.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Transient(e.to_string())),
        }
    }
}
