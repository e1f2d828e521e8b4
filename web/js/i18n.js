// Every word the web app shows, in Vietnamese (the default) and English, and every enum value
// of the API by its name in the schema (tests/node/check-web.mjs checks that each enum value of
// the SDL has both labels). Dates and numbers go through Intl, always in Asia/Ho_Chi_Minh: a
// journalist in Hà Nội and a server in UTC must read the same embargo time.
import { signal } from "./lib.js";
import { ENUMS } from "./labels.js";

export { ENUMS };

export const TIME_ZONE = "Asia/Ho_Chi_Minh";
/** Vietnam keeps UTC+7 all year (no daylight saving time). */
const OFFSET = "+07:00";

const vi = {
  app_title: "Mạng lưới người phát ngôn", skip: "Bỏ qua điều hướng", nav: "Điều hướng", language: "English",
  home: "Trang chủ", feed: "Tin nhận được", archive: "Tra cứu", conferences: "Họp báo", my_questions: "Câu hỏi của tôi",
  settings: "Cài đặt", console: "Thông tin của đơn vị", inbox: "Câu hỏi báo chí", dashboard: "Giám sát", registry: "Danh mục",
  audit: "Nhật ký kiểm toán", suppressions: "Địa chỉ bị chặn", signin: "Đăng nhập", signout: "Đăng xuất",
  email: "E-mail", password: "Mật khẩu", set_password: "Đặt mật khẩu", submit: "Gửi", save: "Lưu", cancel: "Hủy",
  loading: "Đang tải…", empty: "Chưa có dữ liệu.", saved: "Đã lưu.", close: "Đóng", more: "Xem thêm", all: "Tất cả",
  live: "Đang kết nối trực tiếp", offline: "Mất kết nối — đang thử lại…", offline_net: "Không kết nối được máy chủ.",
  roster: "Danh sách người phát ngôn", unit: "Cơ quan, đơn vị", name: "Họ tên", position: "Chức vụ", phone: "Điện thoại",
  recent: "Thông cáo mới", upcoming: "Họp báo sắp tới", atom: "Nguồn tin Atom", atom_all: "Tất cả thông cáo công khai",
  unit_page: "Trang đơn vị", no_spokesperson: "Chưa có người phát ngôn",
  kind: "Loại", status: "Trạng thái", title: "Tiêu đề", summary: "Tóm tắt", body: "Nội dung (Markdown)", topics: "Chủ đề",
  topics_hint: "Cách nhau bằng dấu phẩy", visibility: "Phạm vi công khai", version: "Phiên bản", published_at: "Đăng lúc",
  publish_at: "Hẹn giờ đăng (cấm đăng trước giờ này)", tz_note: "Giờ Việt Nam (UTC+07:00)",
  write: "Soạn thông tin", new_release: "Soạn mới", edit: "Sửa", preview: "Xem trước", editor: "Soạn thảo",
  save_draft: "Lưu nháp", publish: "Đăng ngay", schedule: "Hẹn giờ đăng", cancel_schedule: "Hủy hẹn giờ",
  discard: "Xóa bản nháp", retract: "Thu hồi", retract_reason: "Lý do thu hồi", correction: "Đính chính",
  correction_of: "Đính chính cho", published_ok: "Đã đăng.", scheduled_ok: "Đã hẹn giờ đăng.", draft_saved: "Đã lưu nháp.",
  discarded: "Đã xóa bản nháp.", retracted_ok: "Đã thu hồi.", unscheduled_ok: "Đã hủy hẹn giờ; thông cáo trở lại bản nháp.",
  confirm_discard: "Xóa hẳn bản nháp này?", retracted_note: "Đã thu hồi", reason: "Lý do",
  audience: "Gửi tới", aud_all: "Tất cả cơ quan báo chí được cấp phép", aud_filter: "Theo loại hình và phạm vi",
  aud_chosen: "Chọn từng cơ quan báo chí", kinds: "Loại hình", scopes: "Phạm vi", outlets: "Cơ quan báo chí",
  reach: "Sẽ đến {outlets} cơ quan báo chí, {journalists} nhà báo, {emails} địa chỉ e-mail.",
  conference: "Họp báo", starts: "Bắt đầu", ends: "Kết thúc", location: "Địa điểm", rsvp_deadline: "Hạn đăng ký",
  capacity: "Số chỗ", attendees: "Người đăng ký dự", attending: "Bạn đã đăng ký dự", rsvp_yes: "Đăng ký dự",
  rsvp_no: "Hủy đăng ký", ics: "Thêm vào lịch (.ics)", places: "{n} người đã đăng ký",
  delivery: "Tình hình gửi", targeted: "Đích gửi", pending: "Đang chờ", delivered: "Đã đến", acknowledged: "Đã xác nhận",
  failed: "Thất bại", timeline: "Thời điểm đến các cơ quan báo chí", timeline_hint: "Số cơ quan đã nhận theo thời gian kể từ khi đăng, theo kênh",
  seconds_after: "giây sau khi đăng", outlets_reached: "cơ quan đã nhận", delivery_log: "Nhật ký gửi", channel: "Kênh",
  outlet: "Cơ quan báo chí", attempts: "Lần thử", last_error: "Lỗi gần nhất", created: "Tạo lúc", delivered_at: "Đến lúc",
  acknowledged_by: "Người xác nhận", download_csv: "Tải CSV", live_updates: "Cập nhật trực tiếp",
  unread: "Chưa đọc", read: "Đã xác nhận", ack: "Xác nhận đã nhận", show_unread: "Chỉ tin chưa đọc", feed_empty: "Chưa có thông tin nào gửi tới cơ quan của bạn.",
  search: "Tìm kiếm", search_hint: "Có thể gõ không dấu: “giao duc” tìm được “giáo dục”", results: "{n} kết quả",
  list: "Danh sách", calendar: "Lịch tháng", prev_month: "Tháng trước", next_month: "Tháng sau", weekdays: "T2,T3,T4,T5,T6,T7,CN",
  ask: "Đặt câu hỏi", question: "Câu hỏi", asked: "Hỏi lúc", due: "Hạn trả lời", overdue: "Quá hạn", answer: "Trả lời",
  answered_by: "Người trả lời", rating: "Đánh giá câu trả lời", decline: "Từ chối trả lời", legal_ground: "Căn cứ từ chối",
  ground_secret: "Thuộc bí mật nhà nước, bí mật công tác (Điều 9 Nghị định 09/2017/NĐ-CP)",
  ground_investigation: "Vụ việc đang thanh tra, điều tra, xét xử, chưa có kết luận",
  ground_privacy: "Bí mật đời tư, thông tin cá nhân được pháp luật bảo vệ",
  ground_policy: "Chủ trương, chính sách đang trong quá trình soạn thảo, chưa được cấp có thẩm quyền quyết định",
  ground_scope: "Không thuộc phạm vi quản lý của cơ quan; đã chuyển cơ quan có thẩm quyền",
  ground_other: "Lý do khác (ghi rõ)", details: "Nội dung", answer_ok: "Đã gửi câu trả lời.", declined_ok: "Đã từ chối.",
  email_mode: "Nhận e-mail", follows: "Theo dõi", follow_unit: "Theo dõi đơn vị", follow_topic: "Theo dõi chủ đề",
  unfollow: "Bỏ theo dõi", follow: "Theo dõi", topic: "Chủ đề", no_follows: "Bạn chưa theo dõi đơn vị hay chủ đề nào.",
  period: "Kỳ báo cáo", from: "Từ ngày", to: "Đến ngày", run: "Xem báo cáo", attention: "Cần chú ý",
  releases_published: "Thông cáo", conferences_held: "Họp báo", conferences_required: "Yêu cầu", inquiries: "Câu hỏi",
  on_time: "Trả lời đúng hạn", answers_overdue: "Quá hạn", unsatisfied: "Chưa hài lòng", median_hours: "Trung vị (giờ)",
  coverage: "Tỷ lệ đến", has_spokesperson: "Có người phát ngôn", yes: "Có", no: "Không",
  chart_monthly: "Thông cáo theo tháng", chart_on_time: "Câu hỏi trả lời đúng hạn theo đơn vị",
  chart_cadence: "Họp báo so với yêu cầu", chart_coverage: "Tỷ lệ thông tin đến báo chí theo đơn vị", month: "Tháng",
  count: "Số lượng", share: "Tỷ lệ", held: "Đã tổ chức", required: "Yêu cầu",
  units: "Cơ quan, đơn vị", code: "Mã", level: "Cấp", parent: "Trực thuộc", new_unit: "Thêm cơ quan, đơn vị",
  spokespersons: "Người phát ngôn", register_spokesperson: "Đăng ký người phát ngôn", appointment: "Quyết định bổ nhiệm",
  primary: "Người phát ngôn chính", active_from: "Từ", active_until: "Đến", end_term: "Kết thúc nhiệm kỳ",
  confirm_end_term: "Kết thúc nhiệm kỳ của {name}? Người này sẽ không còn phát ngôn thay đơn vị.", replace: "Bổ nhiệm người thay",
  unit_without: "{n} đơn vị chưa có người phát ngôn", register_outlet: "Đăng ký cơ quan báo chí", licence: "Giấy phép",
  accreditation: "Cấp phép", accredited_until: "Hiệu lực đến", expiring: "Sắp hết hạn", expired: "Đã hết hạn",
  set_status: "Đổi trạng thái", journalists: "Nhà báo", register_journalist: "Đăng ký nhà báo", press_card: "Thẻ nhà báo",
  invite_note: "Để trống mật khẩu: hệ thống gửi thư mời đặt mật khẩu.", registered: "Đã đăng ký.",
  verify: "Kiểm tra toàn vẹn", intact: "Nhật ký toàn vẹn: {n} sự kiện đã kiểm tra.", tampered: "Phát hiện sửa đổi tại sự kiện số {seq}.",
  checkpoint: "Lấy điểm kiểm tra đã ký", check_against: "Đối chiếu với điểm kiểm tra", action: "Hành động", entity: "Đối tượng",
  actor: "Người thực hiện", at: "Thời điểm", filter_page: "Lọc trang này (hành động, đối tượng, người thực hiện)", prev_page: "Trang trước", next_page: "Trang sau", system: "Hệ thống",
  address: "Địa chỉ", unsuppress: "Bỏ chặn", no_suppressions: "Không có địa chỉ nào bị chặn.",
  files: "Tệp đính kèm", download: "Tải về", remove: "Gỡ", downloads_n: "{n} lượt tải", webhooks: "Hệ thống tòa soạn (webhook)", webhooks_note: "Mỗi thông cáo gửi tới cơ quan báo chí cũng được gửi tới các địa chỉ này, ký theo Standard Webhooks.", webhook_url: "Địa chỉ nhận (URL)", add_webhook: "Thêm địa chỉ nhận", webhook_secret_once: "Khóa ký chỉ hiển thị một lần: hãy chuyển ngay cho tòa soạn.", no_webhooks: "Chưa có địa chỉ nhận nào.", webhook_enabled: "Đang gửi", webhook_disabled: "Đã ngừng", webhook_recent: "Lần gửi gần đây", webhook_failures: "{n} lần lỗi liên tiếp", webhook_test: "Gửi thử", webhook_test_sent: "Đã xếp tin thử để gửi.", webhook_replay: "Gửi lại tin lỗi", webhook_replayed: "Đã xếp {n} tin để gửi lại.", webhook_disable: "Tạm dừng", webhook_enable: "Bật lại", actions: "Thao tác", push_h: "Thông báo trên điện thoại", push_note: "Nhận thông báo ngay khi có thông cáo gửi tới cơ quan báo chí của bạn, kể cả khi không mở pressnet.", push_on: "Bật thông báo trên thiết bị này", push_off: "Tắt thông báo trên thiết bị này", push_enabled: "Thiết bị này đang nhận thông báo.", push_unsupported: "Trình duyệt này không hỗ trợ thông báo đẩy. Trên iPhone, hãy thêm pressnet vào Màn hình chính trước.", push_denied: "Bạn đã chặn thông báo của pressnet: hãy cho phép trong cài đặt trình duyệt.", push_devices: "Số thiết bị đang nhận: {n}", created_at: "Ngày đăng ký", move_up: "Chuyển lên", move_down: "Chuyển xuống", downloads: "lượt tải tệp", outlets_downloaded: "cơ quan báo chí đã tải tệp", downloaded_by: "Đã tải về", caption: "Chú thích", credit: "Tác giả ảnh, nguồn", drop_here: "Kéo thả ảnh, video, âm thanh, tài liệu vào đây", choose_files: "Chọn tệp", uploading: "Đang tải lên", uploaded: "Đã tải lên.", keeps_metadata: "Tệp này được gửi nguyên như khi tải lên, kể cả siêu dữ liệu (tác giả, phần mềm, có thể cả vị trí GPS). Hãy xóa siêu dữ liệu trước khi tải lên nếu cần.", metadata_note: "Ảnh JPEG, PNG, WebP được làm sạch siêu dữ liệu (vị trí GPS, tác giả). GIF, video, âm thanh, PDF và tệp văn phòng được gửi nguyên như khi tải lên.",
  table_region: "Bảng (có thể cuộn ngang)", by_default: "Mặc định: {v}", not_found: "Không tìm thấy trang này.", forbidden_page: "Trang này dành cho vai trò khác.",
  err_UNAUTHENTICATED: "Vui lòng đăng nhập.", err_FORBIDDEN: "Bạn không có quyền thực hiện thao tác này.",
  err_NOT_FOUND: "Không tìm thấy.", err_BAD_USER_INPUT: "Dữ liệu chưa hợp lệ", err_CONFLICT: "Xung đột dữ liệu",
  err_RATE_LIMITED: "Quá nhiều yêu cầu, vui lòng thử lại sau.", err_INTERNAL: "Lỗi hệ thống, vui lòng thử lại.",
  alerts: "Cảnh báo", alert_line: "{unit}: {n} bài ngày {day} (trung bình {mean} bài/ngày trong 14 ngày trước)",
  show_articles: "Xem bài", suggestions: "Gợi ý chuyển phản ánh", suggested_for: "Nhắc tới {unit}", all_units: "Mọi đơn vị",
  monitoring: "Theo dõi báo chí", press_reports: "Phản ánh của báo chí", press_reports_open: "Phản ánh chờ phản hồi",
  articles: "Bài báo", poll_now: "Cập nhật nguồn tin ngay", polled: "{n} bài mới.", raise_for: "Phản ánh cho",
  note: "Ghi chú", raise: "Chuyển phản ánh", raised_ok: "Đã chuyển phản ánh tới đơn vị.", outlet_feeds: "Nguồn tin của cơ quan báo chí",
  raised: "Chuyển lúc", response: "Phản hồi", response_release: "Kèm phát ngôn hoặc đính chính", respond: "Gửi phản hồi",
  responded_ok: "Đã gửi phản hồi.", spread: "Mức độ lan tỏa", spread_summary: "{carried} trên {addressed} cơ quan báo chí được gửi đã đăng.",
  first_pickup: "bài đầu tiên sau {m} phút", spread_chart: "Số bài đăng theo thời gian", minutes_after: "Phút sau khi đăng",
  pickups: "Bài đã đăng", matched_link: "dẫn liên kết", matched_text: "trùng nội dung", matched_declared: "nhà báo xác nhận",
  lag: "sau {m} phút", i_published: "Tôi đã đăng tin này tại", declare: "Xác nhận", declared_ok: "Đã ghi nhận bài đăng.",
  // Issue 31: confirmations, dates, sessions, the newsroom, the audit record.
  accreditation_set: "Đã đặt {outlet}: {status}.", accredited_open: "Không thời hạn.", accredited_until_line: "Hiệu lực đến {at} (giờ Việt Nam).",
  acked_ok: "Đã xác nhận đã nhận.", all_news: "Tất cả thông cáo", atom_note: "Phần mềm đọc tin có thể theo dõi qua",
  bad_date: "Ngày chưa đúng: ghi theo ngày/tháng/năm, ví dụ 07/12/2026.", bad_time: "Giờ chưa đúng: ghi theo 24 giờ, ví dụ 15:30.",
  clear_filter: "Bỏ lọc", confirm_accreditation_h: "{outlet}: {status}?", confirm_accreditation_stop_h: "{outlet}: {status}?",
  confirm_accreditation_stop: "Cơ quan này và {n} nhà báo của họ sẽ không nhận thông cáo mới nữa, kể cả tin đang chờ gửi.",
  confirm_audience_saved: "Gửi tới những cơ quan báo chí đã chọn trong bản nháp.", confirm_publish_h: "Đăng “{title}” ngay?",
  confirm_reach: "Gửi tới {outlets} cơ quan báo chí, {journalists} nhà báo, {emails} địa chỉ e-mail.",
  confirm_reach_outlets: "{outlets} cơ quan báo chí", confirm_reach_unknown: "Chưa tính được số người nhận.",
  confirm_retract_body: "Thông cáo sẽ được đánh dấu đã thu hồi ở mọi nơi; {outlets} đã nhận sẽ được báo.", confirm_retract_h: "Thu hồi “{title}”?",
  confirm_retract_scheduled: "Thông cáo sẽ không được đăng.", confirm_schedule_h: "Hẹn giờ đăng “{title}”?", confirm_when: "Thời điểm: {when}",
  confirm_revoke_h: "Đăng xuất thiết bị này?", confirm_revoke_current_h: "Đăng xuất chính thiết bị bạn đang dùng?", corrected_by: "Đã được đính chính",
  correction_keeps_files: "Bản đính chính giữ {n} tệp của bản gốc; có thể gỡ hoặc thêm sau khi lưu.", count_open: "đang chờ", count_unread: "chưa đọc",
  date_dmy: "Ngày (ngày/tháng/năm)", date_placeholder: "dd/mm/yyyy", feed_all_read: "Bạn đã xác nhận mọi thông tin gửi tới cơ quan mình.",
  fix_dates: "Hãy sửa ngày giờ chưa đúng trước.", last_seen: "dùng lần cuối", menu: "Danh mục", newer_page: "Mới hơn", news: "Thông cáo báo chí",
  newsroom: "Thông tin báo chí", older_page: "Cũ hơn",
  past_time: "Thời điểm này đã qua: hãy chọn một thời điểm trong tương lai, hoặc bấm “Đăng ngay”.", preview_as_press: "Xem trước như báo chí sẽ thấy",
  program: "Chương trình", published_msg: "Đã đăng “{title}”.", release: "Thông cáo", remember_me: "Giữ đăng nhập trên thiết bị này (30 ngày)",
  renew: "Gia hạn", revoke_session: "Đăng xuất thiết bị này", right_now: "ngay bây giờ", saved_at: "Đã lưu lúc {at}.", saving: "Đang lưu…",
  scheduled_msg: "Đã hẹn giờ đăng lúc {when}.", session_revoked: "Đã đăng xuất {device}.", sessions: "Phiên đăng nhập",
  sessions_note: "Các trình duyệt và thiết bị đang đăng nhập bằng tài khoản của bạn. Nếu có thiết bị lạ, hãy đăng xuất nó và đổi mật khẩu.",
  sign_in_to_see: "Thông tin này dành cho báo chí: hãy đăng nhập để xem.", signed_in_at: "Đăng nhập lúc", this_device: "Thiết bị này",
  time_24h: "Giờ (24 giờ)", unknown_device: "Thiết bị không rõ", unread_n: "{n} tin chưa đọc", unsaved: "Có thay đổi chưa lưu.",
  why_conferences: "Họp báo: {held}/{required} theo yêu cầu", why_coverage: "Thông tin đến báo chí: {coverage}",
  why_no_spokesperson: "Chưa có người phát ngôn", why_overdue: "{overdue} câu hỏi quá hạn", wrong_password: "Sai e-mail hoặc mật khẩu.",
  note_email_off: "Chưa gửi được e-mail: máy chủ chưa cấu hình kênh e-mail.", note_suppressed: "Địa chỉ e-mail này đang bị chặn (thư bị trả lại hoặc người nhận từ chối).", note_outlet_stopped: "Không gửi: cơ quan báo chí không còn được cấp phép.", note_retracted: "Không gửi: thông cáo đã bị thu hồi.", note_timeout: "Máy chủ nhận không trả lời kịp; sẽ thử lại.", note_refused: "Máy chủ nhận từ chối; sẽ thử lại nếu còn lượt.", note_private_target: "Địa chỉ nhận nằm trong mạng nội bộ nên bị từ chối.",
  invite_unsent: "Chưa gửi được thư mời tới {email} (kênh e-mail chưa bật). Hãy chuyển liên kết đặt mật khẩu này cho người được mời:",
  md_toolbar: "Định dạng nội dung", md_bold: "Chữ đậm", md_italic: "Chữ nghiêng", md_heading: "Tiêu đề mục", md_list: "Danh sách", md_numbered: "Danh sách đánh số", md_quote: "Trích dẫn", md_link: "Liên kết", body_hint: "Có thể dán trực tiếp từ Word hoặc Google Docs: tiêu đề, chữ đậm, danh sách và liên kết được giữ.",
  markdown: "Markdown", body_rich: "Nội dung", md_link_prompt: "Địa chỉ liên kết (https://…)",
  // The province of 2026 (issue 33).
  province: "Tổ chức bộ máy", reorganizations: "Sắp xếp, hợp nhất đơn vị", lineage: "Đơn vị đã kết thúc hoạt động",
  ended_on: "kết thúc từ", reorganize: "Ghi nhận sắp xếp", reorg_moves: "Chuyển giao: {questions} câu hỏi đang chờ, {reports} phản ánh đang mở; {people} người phát ngôn thôi nhiệm vụ.",
  reorg_from: "Đơn vị kết thúc", reorg_into: "Đơn vị tiếp nhận (đã có)", reorg_new_unit: "Đơn vị mới (hoặc tên mới)",
  effective_from: "Hiệu lực từ", decision: "Quyết định", rule_sets: "Quy định về thời hạn", rule_inquiry_hours: "Thời hạn trả lời (giờ)",
  rule_report_days: "Thời hạn phản hồi phản ánh (ngày)", rule_first_statement: "Phát ngôn đầu tiên về sự việc (giờ)",
  rule_conferences: "Họp báo mỗi quý", rule_information: "Thông tin mỗi tháng", rule_vacancy: "Tối đa ngày không có người phát ngôn",
  from_the_start: "Từ đầu", add_rule_set: "Thêm quy định mới", press_cards_expiring: "Thẻ nhà báo sắp hết hạn", renew_card: "Gia hạn thẻ",
  card_expires: "hết hạn {at}", card_expired: "Thẻ đã hết hạn", merged_outlets: "Hợp nhất cơ quan báo chí", merge_outlets: "Hợp nhất",
  plan: "Kế hoạch truyền thông", plan_progress: "Đã thực hiện {done}/{n} nội dung", plan_add: "Thêm nội dung",
  unit_ended: "Đơn vị đã kết thúc hoạt động từ {at}. Đơn vị tiếp nhận:", predecessors: "Tiếp nhận từ",
  scope: "Phạm vi", year: "Năm", signed_by: "Hệ thống pressnet do {authority} quản lý.", plan_due: "Hạn thực hiện",
  // The API's input fields, named in errors (extensions.field).
  field_publishAt: "Thời điểm hẹn giờ đăng đã qua hoặc chưa đúng", field_title: "Tiêu đề", field_summary: "Tóm tắt", field_body: "Nội dung", field_email: "E-mail", field_password: "Mật khẩu (ít nhất 8 ký tự)", field_audience: "Gửi tới", field_pressConference: "Thông tin họp báo", field_startsAt: "Thời điểm bắt đầu", field_rsvpDeadline: "Hạn đăng ký", field_phone: "Điện thoại", field_code: "Mã đơn vị", field_url: "Địa chỉ (URL)", field_until: "Hiệu lực đến", field_reason: "Lý do", field_question: "Câu hỏi", field_answer: "Câu trả lời", field_supersedesId: "Thông cáo được đính chính", field_file: "Tệp", field_search: "Từ khóa", field_token: "Liên kết mời đã hết hạn hoặc đã dùng",
};

const en = {
  // The province of 2026 (issue 33).
  province: "Organisation", reorganizations: "Reorganizations", lineage: "Units that have ended",
  ended_on: "ended", reorganize: "Record a reorganization", reorg_moves: "Moves: {questions} open questions, {reports} open press reports; {people} spokespersons leave office.",
  reorg_from: "Units that end", reorg_into: "Existing units that take over", reorg_new_unit: "New unit (or the new name)",
  effective_from: "Effective from", decision: "Decision", rule_sets: "Rule sets", rule_inquiry_hours: "Time to answer (hours)",
  rule_report_days: "Time to respond to a press report (days)", rule_first_statement: "First statement on an incident (hours)",
  rule_conferences: "Press conferences per quarter", rule_information: "Releases per month", rule_vacancy: "Most days without a spokesperson",
  from_the_start: "From the start", add_rule_set: "Add a rule set", press_cards_expiring: "Press cards expiring", renew_card: "Renew card",
  card_expires: "expires {at}", card_expired: "Card expired", merged_outlets: "Merged outlets", merge_outlets: "Merge",
  plan: "Communication plan", plan_progress: "{done} of {n} items done", plan_add: "Add an item",
  unit_ended: "This unit ended on {at}. Its successor:", predecessors: "Took over from",
  scope: "Scope", year: "Year", signed_by: "pressnet is run by {authority}.", plan_due: "Due by",
  app_title: "Spokesperson network", skip: "Skip navigation", nav: "Navigation", language: "Tiếng Việt",
  home: "Home", feed: "My feed", archive: "Archive", conferences: "Conferences", my_questions: "My questions",
  settings: "Settings", console: "Our releases", inbox: "Press questions", dashboard: "Compliance", registry: "Registry",
  audit: "Audit log", suppressions: "Suppressed addresses", signin: "Sign in", signout: "Sign out",
  email: "E-mail", password: "Password", set_password: "Set password", submit: "Submit", save: "Save", cancel: "Cancel",
  loading: "Loading…", empty: "Nothing yet.", saved: "Saved.", close: "Close", more: "Load more", all: "All",
  live: "Live", offline: "Disconnected — retrying…", offline_net: "Cannot reach the server.",
  roster: "Spokesperson roster", unit: "Unit", name: "Name", position: "Position", phone: "Phone",
  recent: "Recent releases", upcoming: "Upcoming press conferences", atom: "Atom feeds", atom_all: "All public releases",
  unit_page: "Unit page", no_spokesperson: "No spokesperson",
  kind: "Kind", status: "Status", title: "Title", summary: "Summary", body: "Body (Markdown)", topics: "Topics",
  topics_hint: "Separated by commas", visibility: "Visibility", version: "Version", published_at: "Published",
  publish_at: "Publish at (embargoed until then)", tz_note: "Vietnam time (UTC+07:00)",
  write: "Write", new_release: "New release", edit: "Edit", preview: "Preview", editor: "Write",
  save_draft: "Save draft", publish: "Publish now", schedule: "Schedule", cancel_schedule: "Cancel schedule",
  discard: "Discard draft", retract: "Retract", retract_reason: "Reason for retraction", correction: "Issue a correction",
  correction_of: "Correction of", published_ok: "Published.", scheduled_ok: "Scheduled.", draft_saved: "Draft saved.",
  discarded: "Draft discarded.", retracted_ok: "Retracted.", unscheduled_ok: "Schedule cancelled; the release is a draft again.",
  confirm_discard: "Discard this draft for good?", retracted_note: "Retracted", reason: "Reason",
  audience: "Audience", aud_all: "Every accredited outlet", aud_filter: "By kind and scope",
  aud_chosen: "Chosen outlets", kinds: "Kinds", scopes: "Scopes", outlets: "Outlets",
  reach: "Reaches {outlets} outlets, {journalists} journalists, {emails} e-mail addresses.",
  conference: "Press conference", starts: "Starts", ends: "Ends", location: "Location", rsvp_deadline: "RSVP by",
  capacity: "Capacity", attendees: "Attendees", attending: "You are attending", rsvp_yes: "Attend",
  rsvp_no: "Withdraw", ics: "Add to calendar (.ics)", places: "{n} attending",
  delivery: "Delivery", targeted: "Targeted", pending: "Pending", delivered: "Delivered", acknowledged: "Acknowledged",
  failed: "Failed", timeline: "When each outlet received it", timeline_hint: "Outlets reached over time since publication, per channel",
  seconds_after: "seconds after publication", outlets_reached: "outlets reached", delivery_log: "Delivery log", channel: "Channel",
  outlet: "Outlet", attempts: "Attempts", last_error: "Last error", created: "Created", delivered_at: "Delivered",
  acknowledged_by: "Acknowledged by", download_csv: "Download CSV", live_updates: "Live updates",
  unread: "Unread", read: "Acknowledged", ack: "Acknowledge", show_unread: "Unread only", feed_empty: "Nothing has been sent to your outlet yet.",
  search: "Search", search_hint: "Accents optional: “giao duc” finds “giáo dục”", results: "{n} results",
  list: "List", calendar: "Month", prev_month: "Previous month", next_month: "Next month", weekdays: "Mon,Tue,Wed,Thu,Fri,Sat,Sun",
  ask: "Ask a question", question: "Question", asked: "Asked", due: "Due", overdue: "Overdue", answer: "Answer",
  answered_by: "Answered by", rating: "Rate the answer", decline: "Decline", legal_ground: "Legal ground",
  ground_secret: "State or work secret (Art. 9, Decree 09/2017/NĐ-CP)",
  ground_investigation: "Under inspection, investigation or trial, not yet concluded",
  ground_privacy: "Private life or personal data protected by law",
  ground_policy: "Policy still being drafted, not yet decided by the competent authority",
  ground_scope: "Outside the unit's remit; referred to the competent body",
  ground_other: "Other (state it)", details: "Details", answer_ok: "Answer sent.", declined_ok: "Declined.",
  email_mode: "E-mail", follows: "Follows", follow_unit: "Follow a unit", follow_topic: "Follow a topic",
  unfollow: "Unfollow", follow: "Follow", topic: "Topic", no_follows: "You follow no unit or topic.",
  period: "Period", from: "From", to: "To", run: "Run report", attention: "Needs attention",
  releases_published: "Releases", conferences_held: "Conferences", conferences_required: "Required", inquiries: "Questions",
  on_time: "Answered on time", answers_overdue: "Overdue", unsatisfied: "Unsatisfied", median_hours: "Median (h)",
  coverage: "Coverage", has_spokesperson: "Has spokesperson", yes: "Yes", no: "No",
  chart_monthly: "Releases per month", chart_on_time: "Questions answered on time, per unit",
  chart_cadence: "Press conferences against the rule", chart_coverage: "Delivery coverage per unit", month: "Month",
  count: "Count", share: "Share", held: "Held", required: "Required",
  units: "Units", code: "Code", level: "Level", parent: "Parent", new_unit: "Create unit",
  spokespersons: "Spokespersons", register_spokesperson: "Register spokesperson", appointment: "Appointment decision",
  primary: "Primary spokesperson", active_from: "From", active_until: "Until", end_term: "End term",
  confirm_end_term: "End {name}'s term? They will no longer speak for the unit.", replace: "Appoint a replacement",
  unit_without: "{n} units have no spokesperson", register_outlet: "Register outlet", licence: "Licence",
  accreditation: "Accreditation", accredited_until: "Valid until", expiring: "Expiring soon", expired: "Expired",
  set_status: "Change status", journalists: "Journalists", register_journalist: "Register journalist", press_card: "Press card",
  invite_note: "Leave the password empty to e-mail an invitation.", registered: "Registered.",
  verify: "Verify integrity", intact: "Log intact: {n} events checked.", tampered: "Altered at event {seq}.",
  checkpoint: "Take a signed checkpoint", check_against: "Verify against checkpoint", action: "Action", entity: "Entity",
  actor: "Actor", at: "At", filter_page: "Filter this page (action, entity, actor)", prev_page: "Previous page", next_page: "Next page", system: "System",
  address: "Address", unsuppress: "Unsuppress", no_suppressions: "No address is suppressed.",
  files: "Files", download: "Download", remove: "Remove", downloads_n: "{n} downloads", webhooks: "Newsroom systems (webhooks)", webhooks_note: "Every release sent to the outlet also goes to these addresses, signed per Standard Webhooks.", webhook_url: "Receiving URL", add_webhook: "Add endpoint", webhook_secret_once: "The signing secret is shown this once: hand it to the newsroom now.", no_webhooks: "No endpoints yet.", webhook_enabled: "Sending", webhook_disabled: "Stopped", webhook_recent: "Recent attempts", webhook_failures: "{n} failures in a row", webhook_test: "Send test event", webhook_test_sent: "Test event queued.", webhook_replay: "Replay failed", webhook_replayed: "{n} releases queued again.", webhook_disable: "Pause", webhook_enable: "Enable", actions: "Actions", push_h: "Phone notifications", push_note: "Get a notification as soon as a release reaches your outlet, even with pressnet closed.", push_on: "Turn on notifications on this device", push_off: "Turn off notifications on this device", push_enabled: "This device receives notifications.", push_unsupported: "This browser has no push notifications. On an iPhone, add pressnet to the Home Screen first.", push_denied: "You blocked pressnet's notifications: allow them in the browser's settings.", push_devices: "Devices receiving: {n}", created_at: "Registered", move_up: "Move up", move_down: "Move down", downloads: "file downloads", outlets_downloaded: "outlets took the files", downloaded_by: "Downloaded by", caption: "Caption", credit: "Credit", drop_here: "Drop photos, clips, audio or documents here", choose_files: "Choose files", uploading: "Uploading", uploaded: "Uploaded.", keeps_metadata: "This file is sent exactly as uploaded, metadata included (author, software, possibly a GPS position). Remove its metadata before uploading if needed.", metadata_note: "JPEG, PNG and WebP photos are cleaned of their metadata (GPS position, author). GIFs, video, audio, PDFs and office files are sent exactly as uploaded.",
  table_region: "Table (scrolls sideways)", by_default: "Default: {v}", not_found: "This page does not exist.", forbidden_page: "This page is for another role.",
  err_UNAUTHENTICATED: "Please sign in.", err_FORBIDDEN: "You may not do this.",
  err_NOT_FOUND: "Not found.", err_BAD_USER_INPUT: "Invalid input", err_CONFLICT: "Conflict",
  err_RATE_LIMITED: "Too many requests; try again later.", err_INTERNAL: "Server error, please retry.",
  alerts: "Alerts", alert_line: "{unit}: {n} articles on {day} (mean {mean} a day over the 14 days before)",
  show_articles: "Show articles", suggestions: "Suggested press reports", suggested_for: "Names {unit}", all_units: "All units",
  monitoring: "Press monitoring", press_reports: "Press reports", press_reports_open: "Press reports awaiting a response",
  articles: "Articles", poll_now: "Poll feeds now", polled: "{n} new articles.", raise_for: "Report to",
  note: "Note", raise: "Raise press report", raised_ok: "Press report sent to the unit.", outlet_feeds: "Outlets' feeds",
  raised: "Raised", response: "Response", response_release: "With a statement or correction", respond: "Send response",
  responded_ok: "Response sent.", spread: "Spread", spread_summary: "{carried} of {addressed} outlets addressed carried it.",
  first_pickup: "first after {m} minutes", spread_chart: "Articles over time", minutes_after: "Minutes after publication",
  pickups: "Articles", matched_link: "links it", matched_text: "same story", matched_declared: "declared by the outlet",
  lag: "after {m} minutes", i_published: "I published this at", declare: "Declare", declared_ok: "Your article is recorded.",
  // Issue 31.
  accreditation_set: "{outlet}: {status}.", accredited_open: "No end date.", accredited_until_line: "Valid until {at} (Vietnam time).",
  acked_ok: "Acknowledged.", all_news: "All releases", atom_note: "News readers can follow the",
  bad_date: "Not a date: write day/month/year, e.g. 07/12/2026.", bad_time: "Not a time: write 24-hour time, e.g. 15:30.", clear_filter: "Clear",
  confirm_accreditation_h: "{outlet}: {status}?", confirm_accreditation_stop_h: "{outlet}: {status}?",
  confirm_accreditation_stop: "This outlet and its {n} journalists will receive no new release, including those waiting to be sent.",
  confirm_audience_saved: "To the outlets chosen in the draft.", confirm_publish_h: "Publish “{title}” now?",
  confirm_reach: "To {outlets} outlets, {journalists} journalists, {emails} e-mail addresses.", confirm_reach_outlets: "{outlets} outlets",
  confirm_reach_unknown: "The audience could not be counted yet.",
  confirm_retract_body: "The release will show as retracted everywhere; the {outlets} that received it are told.",
  confirm_retract_h: "Retract “{title}”?", confirm_retract_scheduled: "The release will not be published.", confirm_schedule_h: "Schedule “{title}”?",
  confirm_when: "When: {when}", confirm_revoke_h: "Sign this device out?", confirm_revoke_current_h: "Sign out the device you are using?",
  corrected_by: "Corrected", correction_keeps_files: "The correction keeps the original's {n} files; remove or add after saving.", count_open: "open",
  count_unread: "unread", date_dmy: "Date (day/month/year)", date_placeholder: "dd/mm/yyyy",
  feed_all_read: "You have acknowledged everything sent to your outlet.", fix_dates: "Correct the dates and times first.", last_seen: "last used",
  menu: "Menu", newer_page: "Newer", news: "Press releases", newsroom: "Newsroom", older_page: "Older",
  past_time: "That time has passed: choose a time ahead, or press “Publish now”.", preview_as_press: "Preview as the press will see it",
  program: "Program", published_msg: "Published “{title}”.", release: "Release", remember_me: "Keep me signed in on this device (30 days)",
  renew: "Renew", revoke_session: "Sign this device out", right_now: "right now", saved_at: "Saved at {at}.", saving: "Saving…",
  scheduled_msg: "Scheduled for {when}.", session_revoked: "Signed out {device}.", sessions: "Sessions",
  sessions_note: "The browsers and devices signed in to your account. If you do not recognise one, sign it out and change your password.",
  sign_in_to_see: "This is for the press: sign in to read it.", signed_in_at: "Signed in", this_device: "This device", time_24h: "Time (24-hour)",
  unknown_device: "Unknown device", unread_n: "{n} unread", unsaved: "Changes not saved yet.",
  why_conferences: "Conferences: {held} of {required} required", why_coverage: "Reached the press: {coverage}", why_no_spokesperson: "No spokesperson",
  why_overdue: "{overdue} questions overdue", wrong_password: "Wrong e-mail or password.",
  note_email_off: "Not e-mailed: the server's e-mail channel is not configured.", note_suppressed: "This address is suppressed (bounced or complained).", note_outlet_stopped: "Not sent: the outlet is no longer accredited.", note_retracted: "Not sent: the release was retracted.", note_timeout: "The receiving server did not answer in time; will retry.", note_refused: "The receiving server refused; will retry while attempts remain.", note_private_target: "The target is on a private network and was refused.",
  invite_unsent: "The invitation to {email} could not be e-mailed (the e-mail channel is off). Pass this set-password link on to them:",
  md_toolbar: "Formatting", md_bold: "Bold", md_italic: "Italic", md_heading: "Section heading", md_list: "List", md_numbered: "Numbered list", md_quote: "Quote", md_link: "Link", body_hint: "Paste straight from Word or Google Docs: headings, bold, lists and links are kept.",
  markdown: "Markdown", body_rich: "Body", md_link_prompt: "Link address (https://…)",
  field_publishAt: "Publish time", field_title: "Title", field_summary: "Summary", field_body: "Body", field_email: "E-mail", field_password: "Password", field_audience: "Audience", field_pressConference: "Conference", field_startsAt: "Start", field_rsvpDeadline: "RSVP deadline", field_phone: "Phone", field_code: "Unit code", field_url: "URL", field_until: "Valid until", field_reason: "Reason", field_question: "Question", field_answer: "Answer", field_supersedesId: "Corrected release", field_file: "File", field_search: "Search", field_token: "Invitation",
};

export const MESSAGES = { vi, en };

/** The language in use; components that read it re-render when it changes. */
export const lang = signal(localStorage.getItem("lang") === "en" ? "en" : "vi");

export function setLang(/** @type {"vi"|"en"} */ l) {
  lang.value = l;
  localStorage.setItem("lang", l);
  document.documentElement.lang = l;
}

/** A message, with {name} placeholders filled from `vars`. */
export function t(/** @type {string} */ key, /** @type {Record<string, unknown>} */ vars = {}) {
  const table = lang.value === "en" ? en : vi;
  const text = table[key] ?? vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

/** An enum value's label: label("ReleaseKind", "PRESS_RELEASE"). */
export function label(/** @type {keyof typeof ENUMS} */ name, /** @type {string} */ value) {
  const pair = ENUMS[name] && ENUMS[name][value];
  return pair ? pair[lang.value === "en" ? 1 : 0] : value;
}

/** The values of an enum, in the schema's order. */
export const values = (/** @type {keyof typeof ENUMS} */ name) => Object.keys(ENUMS[name]);

const locale = () => (lang.value === "en" ? "en-GB" : "vi-VN");

/** The parts of an instant in Vietnam time, 24-hour. */
function vnParts(/** @type {string} */ iso) {
  /** @type {Record<string, string>} */
  const p = {};
  const f = new Intl.DateTimeFormat("en-GB", {
    timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  for (const part of f.formatToParts(new Date(iso))) p[part.type] = part.value;
  return p;
}

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "7 tháng 12, 2026" / "7 December 2026". */
function longDate(/** @type {Record<string, string>} */ p) {
  const d = Number(p.day);
  const m = Number(p.month);
  return lang.value === "en" ? `${d} ${MONTHS_EN[m - 1]} ${p.year}` : `${d} tháng ${m}, ${p.year}`;
}

export const fmt = {
  /** "07/12/2026 03:30" in Vietnam time, in both languages (day first, 24-hour). */
  dateTime: (/** @type {string|null|undefined} */ iso) => {
    if (!iso) return "";
    const p = vnParts(iso);
    return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
  },
  /** "7 tháng 12, 2026 03:30" / "7 December 2026 03:30": for sentences and confirmations. */
  long: (/** @type {string|null|undefined} */ iso) => {
    if (!iso) return "";
    const p = vnParts(iso);
    return `${longDate(p)} ${p.hour}:${p.minute}`;
  },
  /** "07/12/2026". */
  date: (/** @type {string|null|undefined} */ iso) => {
    if (!iso) return "";
    const p = vnParts(iso);
    return `${p.day}/${p.month}/${p.year}`;
  },
  month: (/** @type {Date} */ d) => new Intl.DateTimeFormat(locale(), { timeZone: TIME_ZONE, month: "short", year: "numeric" }).format(d),
  /** "03:30", 24-hour, Vietnam time. */
  time: (/** @type {string} */ iso) => {
    const p = vnParts(iso);
    return `${p.hour}:${p.minute}`;
  },
  number: (/** @type {number} */ n, digits = 0) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n),
  percent: (/** @type {number} */ n) => new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 0 }).format(n),
};

/** An instant as "YYYY-MM-DDTHH:mm" in Vietnam time (what DateTimeField holds). */
export function toLocalInput(/** @type {string|null|undefined} */ iso) {
  if (!iso) return "";
  return new Date(new Date(iso).getTime() + 7 * 3600 * 1000).toISOString().slice(0, 16);
}

/** A "YYYY-MM-DDTHH:mm" Vietnam time (DateTimeField) as an RFC 3339 instant, or null. */
export function fromLocalInput(/** @type {string} */ value) {
  return value ? `${value.length === 16 ? `${value}:00` : value}${OFFSET}` : null;
}

/** Today's date in Vietnam, as YYYY-MM-DD. */
export const todayInVietnam = () => toLocalInput(new Date().toISOString()).slice(0, 10);
