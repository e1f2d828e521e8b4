// Vietnamese by default, English one click away; the choice is remembered.
const dict = {
  vi: {
    home: "Trang chủ", feed: "Tin nhận được", console: "Bàn làm việc", authority: "Quản lý", signin: "Đăng nhập", signout: "Đăng xuất",
    roster: "Danh sách người phát ngôn", unit: "Cơ quan", name: "Họ tên", position: "Chức vụ", phone: "Điện thoại", email: "E-mail",
    recent: "Thông cáo mới", upcoming: "Họp báo sắp tới", feeds: "Nguồn tin Atom", loading: "Đang tải…", empty: "Chưa có dữ liệu.",
    password: "Mật khẩu", submit: "Gửi", live: "Đang kết nối trực tiếp", offline: "Mất kết nối — đang thử lại…", ack: "Xác nhận đã nhận",
    acked: "Đã xác nhận", unread: "Chưa đọc", rsvp_yes: "Đăng ký dự", rsvp_no: "Hủy đăng ký", questions: "Câu hỏi của tôi", ask: "Đặt câu hỏi",
    question: "Câu hỏi", rate: "Đánh giá", email_mode: "Nhận e-mail", each: "Từng tin", digest: "Bản tin hằng ngày", none: "Không nhận",
    write: "Soạn thông tin", kind: "Loại", title: "Tiêu đề", summary: "Tóm tắt", body: "Nội dung", audience: "Gửi tới", all_outlets: "Tất cả cơ quan báo chí được cấp phép",
    publish_at: "Đăng lúc (để trống: đăng ngay)", publish: "Đăng", save_draft: "Lưu nháp", starts: "Bắt đầu", location: "Địa điểm", capacity: "Số chỗ",
    my_releases: "Thông tin của đơn vị", delivery_log: "Nhật ký gửi", outlet: "Cơ quan báo chí", channel: "Kênh", status: "Trạng thái", when: "Thời điểm",
    open_questions: "Câu hỏi chờ trả lời", answer: "Trả lời", decline: "Từ chối", reason: "Lý do", due: "Hạn", overdue: "Quá hạn",
    registry: "Danh mục", outlets: "Cơ quan báo chí", units: "Cơ quan, đơn vị", report: "Báo cáo cung cấp thông tin", from: "Từ ngày", to: "Đến ngày",
    run: "Xem báo cáo", download: "Tải CSV", audit: "Nhật ký kiểm toán", verify: "Kiểm tra toàn vẹn", intact: "Nhật ký toàn vẹn", tampered: "Phát hiện sửa đổi tại sự kiện",
    accredit: "Cấp phép", new_outlet: "Thêm cơ quan báo chí", new_unit: "Thêm cơ quan, đơn vị", code: "Mã", level: "Cấp",
    set_password: "Đặt mật khẩu", saved: "Đã lưu.", published_ok: "Đã đăng.", releases_col: "Thông cáo", conferences: "Họp báo (tổ chức/yêu cầu)",
    inquiries: "Câu hỏi", on_time: "Đúng hạn", coverage: "Tỷ lệ đến", median: "Trung vị (giờ)", attendees: "Người đăng ký",
  },
  en: {
    home: "Home", feed: "My feed", console: "Console", authority: "Authority", signin: "Sign in", signout: "Sign out",
    roster: "Spokesperson roster", unit: "Unit", name: "Name", position: "Position", phone: "Phone", email: "E-mail",
    recent: "Recent releases", upcoming: "Upcoming press conferences", feeds: "Atom feeds", loading: "Loading…", empty: "Nothing yet.",
    password: "Password", submit: "Submit", live: "Live", offline: "Disconnected — retrying…", ack: "Acknowledge",
    acked: "Acknowledged", unread: "Unread", rsvp_yes: "Attend", rsvp_no: "Withdraw", questions: "My questions", ask: "Ask a question",
    question: "Question", rate: "Rate", email_mode: "E-mail", each: "Each release", digest: "Daily digest", none: "None",
    write: "Write", kind: "Kind", title: "Title", summary: "Summary", body: "Body", audience: "Audience", all_outlets: "Every accredited outlet",
    publish_at: "Publish at (empty: now)", publish: "Publish", save_draft: "Save draft", starts: "Starts", location: "Location", capacity: "Capacity",
    my_releases: "Our releases", delivery_log: "Delivery log", outlet: "Outlet", channel: "Channel", status: "Status", when: "When",
    open_questions: "Open questions", answer: "Answer", decline: "Decline", reason: "Reason", due: "Due", overdue: "Overdue",
    registry: "Registry", outlets: "Outlets", units: "Units", report: "Compliance report", from: "From", to: "To",
    run: "Run report", download: "Download CSV", audit: "Audit log", verify: "Verify", intact: "Log intact", tampered: "Altered at event",
    accredit: "Accredit", new_outlet: "Register outlet", new_unit: "Create unit", code: "Code", level: "Level",
    set_password: "Set password", saved: "Saved.", published_ok: "Published.", releases_col: "Releases", conferences: "Conferences (held/required)",
    inquiries: "Questions", on_time: "On time", coverage: "Coverage", median: "Median (h)", attendees: "Attendees",
  },
};
let lang = localStorage.getItem("lang") || "vi";
export const t = (k) => (dict[lang] && dict[lang][k]) || dict.vi[k] || k;
export const currentLang = () => lang;
export function toggleLang() {
  lang = lang === "vi" ? "en" : "vi";
  localStorage.setItem("lang", lang);
  document.documentElement.lang = lang;
}
