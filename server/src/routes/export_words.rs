//! The exports' words: with `lang=vi` (or `en`) a CSV is for people, its headers and values in
//! their language (Có/Không, unit levels, channels, statuses in words, times in Vietnam time as
//! dd/mm/yyyy HH:mm); without it, for programs (snake_case headers, the API's codes, RFC 3339).
//! The words match the web app's (`web/js/labels.js`).
use chrono::{DateTime, FixedOffset, Utc};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// For programs: codes, snake_case, RFC 3339.
    Codes,
    Vi,
    En,
}

impl Lang {
    pub fn parse(v: Option<&str>) -> Self {
        match v {
            Some("vi") => Self::Vi,
            Some("en") => Self::En,
            _ => Self::Codes,
        }
    }

    /// A header: the code, or its words.
    pub fn header(self, code: &'static str) -> String {
        self.words(HEADERS, code)
    }

    /// An enum value of the API: the code, or its words.
    pub fn value(self, code: &str) -> String {
        self.words(VALUES, code)
    }

    /// `code`'s words in this language from `table`, or the code itself.
    fn words(self, table: &[(&str, &str, &str)], code: &str) -> String {
        let found = table.iter().find(|(c, _, _)| *c == code);
        match (self, found) {
            (Self::Vi, Some((_, vi, _))) => (*vi).to_owned(),
            (Self::En, Some((_, _, en))) => (*en).to_owned(),
            _ => code.to_owned(),
        }
    }

    pub fn yes_no(self, v: bool) -> String {
        match (self, v) {
            (Self::Codes, v) => v.to_string(),
            (Self::Vi, true) => "Có".into(),
            (Self::Vi, false) => "Không".into(),
            (Self::En, true) => "Yes".into(),
            (Self::En, false) => "No".into(),
        }
    }

    /// A time: RFC 3339, or dd/mm/yyyy HH:mm in Vietnam time (UTC+7, no daylight saving).
    pub fn time(self, t: Option<DateTime<Utc>>) -> String {
        let Some(t) = t else { return String::new() };
        match self {
            Self::Codes => t.to_rfc3339(),
            _ => match FixedOffset::east_opt(7 * 3600) {
                Some(vn) => t.with_timezone(&vn).format("%d/%m/%Y %H:%M").to_string(),
                None => t.to_rfc3339(),
            },
        }
    }

    /// A share (0..1): four decimals, or a percentage.
    pub fn share(self, v: f64) -> String {
        match self {
            Self::Codes => format!("{v:.4}"),
            _ => format!("{:.0}%", v * 100.0),
        }
    }
}

const HEADERS: &[(&str, &str, &str)] = &[
    ("unit_code", "Mã đơn vị", "Unit code"),
    ("unit_name", "Cơ quan, đơn vị", "Unit"),
    ("level", "Cấp", "Level"),
    (
        "has_active_spokesperson",
        "Có người phát ngôn",
        "Has a spokesperson",
    ),
    (
        "releases_published",
        "Thông cáo đã đăng",
        "Releases published",
    ),
    (
        "press_conferences_held",
        "Họp báo đã tổ chức",
        "Conferences held",
    ),
    (
        "press_conferences_required",
        "Họp báo theo yêu cầu",
        "Conferences required",
    ),
    (
        "inquiries_received",
        "Câu hỏi nhận được",
        "Questions received",
    ),
    (
        "inquiries_answered_on_time",
        "Trả lời đúng hạn",
        "Answered on time",
    ),
    ("inquiries_overdue", "Quá hạn", "Overdue"),
    ("answers_unsatisfied", "Chưa hài lòng", "Unsatisfied"),
    (
        "median_response_hours",
        "Trung vị thời gian trả lời (giờ)",
        "Median response (hours)",
    ),
    (
        "delivery_coverage",
        "Tỷ lệ thông tin đến báo chí",
        "Reached the press",
    ),
    (
        "max_delivery_spread_ms",
        "Chênh lệch thời điểm đến lớn nhất (ms)",
        "Largest delivery spread (ms)",
    ),
    ("needs_attention", "Cần chú ý", "Needs attention"),
    ("delivery_id", "Mã lượt gửi", "Delivery"),
    ("release_id", "Mã thông cáo", "Release"),
    ("release_title", "Tiêu đề", "Title"),
    ("outlet", "Cơ quan báo chí", "Outlet"),
    ("channel", "Kênh", "Channel"),
    ("recipient", "Người nhận", "Recipient"),
    ("status", "Trạng thái", "Status"),
    ("attempts", "Lần thử", "Attempts"),
    ("last_error", "Lỗi gần nhất", "Last error"),
    ("created_at", "Tạo lúc", "Created"),
    ("sent_at", "Gửi lúc", "Sent"),
    ("delivered_at", "Đến lúc", "Delivered"),
    ("acknowledged_at", "Xác nhận lúc", "Acknowledged"),
];

const VALUES: &[(&str, &str, &str)] = &[
    ("PROVINCE", "UBND tỉnh", "Province"),
    ("DEPARTMENT", "Sở, ban, ngành", "Department"),
    ("BRANCH", "Cơ quan Trung ương tại tỉnh", "Central branch"),
    ("COMMUNE", "UBND xã, phường", "Commune"),
    ("LIVE", "Trực tuyến", "Live"),
    ("EMAIL", "E-mail", "E-mail"),
    ("FEED", "Atom", "Atom"),
    ("WEBHOOK", "Webhook", "Webhook"),
    ("PUSH", "Thông báo đẩy", "Push"),
    ("PENDING", "Đang chờ", "Pending"),
    ("SENT", "Đã gửi", "Sent"),
    ("DELIVERED", "Đã đến", "Delivered"),
    ("ACKNOWLEDGED", "Đã xác nhận", "Acknowledged"),
    ("FAILED", "Thất bại", "Failed"),
];

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn people_read_words_and_programs_read_codes() {
        assert_eq!(
            Lang::parse(Some("vi")).header("needs_attention"),
            "Cần chú ý"
        );
        assert_eq!(
            Lang::parse(None).header("needs_attention"),
            "needs_attention"
        );
        assert_eq!(Lang::Vi.value("BRANCH"), "Cơ quan Trung ương tại tỉnh");
        assert_eq!(Lang::Codes.value("BRANCH"), "BRANCH");
        assert_eq!(Lang::Vi.yes_no(true), "Có");
        assert_eq!(Lang::Codes.yes_no(false), "false");
        let t = "2026-12-06T20:30:00Z".parse().ok();
        assert_eq!(Lang::Vi.time(t), "07/12/2026 03:30");
        assert_eq!(Lang::Vi.share(0.5), "50%");
    }
}
