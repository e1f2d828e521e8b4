//! What the end of one attempt means for its message, whatever the channel: delivered, worth a
//! retry, gone for good, or refused for this message only. Pure rules, no I/O.

/// The longest excerpt of a receiver's answer that is kept.
pub(crate) const EXCERPT: usize = 200;

/// What an answer (or its absence) means for a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Accepted (2xx).
    Delivered { status: u16 },
    /// Worth another attempt (timeouts, 5xx, 429, …), if the channel's window allows.
    Retry { status: Option<u16>, error: String },
    /// The target is gone for good (a webhook's 410, a push subscription's 404/410): the
    /// channel forgets or disables it.
    Gone { status: Option<u16>, error: String },
    /// Refused for this message only (the outlet may no longer see the release, a payload the
    /// receiver will never take): no retry.
    Refused { status: Option<u16>, error: String },
}

impl Verdict {
    pub fn status(&self) -> Option<u16> {
        match self {
            Verdict::Delivered { status } => Some(*status),
            Verdict::Retry { status, .. }
            | Verdict::Gone { status, .. }
            | Verdict::Refused { status, .. } => *status,
        }
    }

    pub fn error(&self) -> Option<&str> {
        match self {
            Verdict::Delivered { .. } => None,
            Verdict::Retry { error, .. }
            | Verdict::Gone { error, .. }
            | Verdict::Refused { error, .. } => Some(error),
        }
    }
}

/// At most [`EXCERPT`] bytes of `s`, cut at a character boundary.
pub fn clip(s: &str) -> String {
    crate::services::text::clip(s, EXCERPT).to_owned()
}

/// The default meaning of a status: 2xx delivered, 410 gone, anything else worth a retry.
pub(crate) fn classify_common(status: u16, excerpt: &str) -> Verdict {
    let error = if excerpt.is_empty() {
        format!("HTTP {status}")
    } else {
        clip(&format!("HTTP {status}: {excerpt}"))
    };
    match status {
        200..=299 => Verdict::Delivered { status },
        410 => Verdict::Gone {
            status: Some(status),
            error,
        },
        _ => Verdict::Retry {
            status: Some(status),
            error,
        },
    }
}

/// Refused by pressnet itself (nothing was sent): no retry.
pub fn refused(error: impl Into<String>) -> Verdict {
    Verdict::Refused {
        status: None,
        error: error.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_means_delivered_gone_or_retry() {
        assert_eq!(classify_common(204, ""), Verdict::Delivered { status: 204 });
        assert_eq!(
            classify_common(410, "gone"),
            Verdict::Gone {
                status: Some(410),
                error: "HTTP 410: gone".into()
            }
        );
        for s in [301, 400, 404, 429, 500, 503] {
            assert!(
                matches!(classify_common(s, ""), Verdict::Retry { status: Some(x), .. } if x == s),
                "{s}"
            );
        }
    }

    #[test]
    fn an_excerpt_is_kept_short_and_cut_between_characters() {
        let long = "ệ".repeat(EXCERPT);
        let v = classify_common(500, &long);
        let e = v.error().unwrap_or_default();
        assert!(e.len() <= EXCERPT, "{}", e.len());
        assert!(e.starts_with("HTTP 500: "));
        assert_eq!(refused("no").status(), None);
    }
}
