// The API's enum values in Vietnamese and English, [vi, en], by enum and value. Pure data (no
// imports), so tests/node/check-web.mjs can hold it against the SDL: every value of every enum
// there has its two labels here.
export const ENUMS = {
  Role: { ADMIN: ["Quản trị", "Administrator"], SPOKESPERSON: ["Người phát ngôn", "Spokesperson"], JOURNALIST: ["Nhà báo", "Journalist"], AUDITOR: ["Kiểm tra viên", "Auditor"] },
  UnitLevel: { PROVINCE: ["UBND tỉnh", "Province"], DEPARTMENT: ["Sở, ban, ngành", "Department"], BRANCH: ["Cơ quan Trung ương tại tỉnh", "Central branch"], COMMUNE: ["UBND xã, phường", "Commune"] },
  OutletKind: { PRINT: ["Báo in", "Print"], ONLINE: ["Báo điện tử", "Online"], RADIO: ["Phát thanh", "Radio"], TELEVISION: ["Truyền hình", "Television"], NEWS_AGENCY: ["Hãng thông tấn", "News agency"], MAGAZINE: ["Tạp chí", "Magazine"] },
  OutletScope: { CENTRAL: ["Trung ương", "Central"], LOCAL: ["Địa phương", "Local"] },
  AccreditationStatus: { PENDING: ["Chờ cấp phép", "Pending"], ACCREDITED: ["Được cấp phép", "Accredited"], SUSPENDED: ["Tạm đình chỉ", "Suspended"], REVOKED: ["Thu hồi", "Revoked"] },
  ReleaseKind: { PRESS_RELEASE: ["Thông cáo báo chí", "Press release"], PRESS_CONFERENCE: ["Thông báo họp báo", "Press conference"], STATEMENT: ["Phát ngôn", "Statement"], CORRECTION: ["Đính chính", "Correction"] },
  ReleaseStatus: { DRAFT: ["Bản nháp", "Draft"], SCHEDULED: ["Hẹn giờ đăng", "Scheduled"], PUBLISHED: ["Đã đăng", "Published"], RETRACTED: ["Đã thu hồi", "Retracted"] },
  Channel: { LIVE: ["Trực tuyến", "Live"], EMAIL: ["E-mail", "E-mail"], FEED: ["Atom", "Atom"], WEBHOOK: ["Webhook", "Webhook"], PUSH: ["Thông báo đẩy", "Push"] },
  DeliveryStatus: { PENDING: ["Đang chờ", "Pending"], SENT: ["Đã gửi", "Sent"], DELIVERED: ["Đã đến", "Delivered"], ACKNOWLEDGED: ["Đã xác nhận", "Acknowledged"], FAILED: ["Thất bại", "Failed"] },
  EmailMode: { EACH_RELEASE: ["Từng thông tin", "Each release"], DAILY_DIGEST: ["Bản tin hằng ngày", "Daily digest"], NONE: ["Không nhận", "None"] },
  InquiryStatus: { OPEN: ["Chờ trả lời", "Open"], ANSWERED: ["Đã trả lời", "Answered"], DECLINED: ["Từ chối", "Declined"] },
  PressReportStatus: { OPEN: ["Chờ phản hồi", "Open"], ANSWERED: ["Đã phản hồi", "Answered"] },
  AnswerRating: { SATISFIED: ["Hài lòng", "Satisfied"], ACCEPTABLE: ["Chấp nhận được", "Acceptable"], UNSATISFIED: ["Chưa hài lòng", "Unsatisfied"] },
  Visibility: { PUBLIC: ["Công khai", "Public"], PRESS_ONLY: ["Chỉ báo chí được gửi", "Press only"] },
  ReorganizationKind: { MERGE: ["Hợp nhất, sáp nhập", "Merger"], SPLIT: ["Chia tách", "Split"], RENAME: ["Đổi tên", "Rename"], DISSOLVE: ["Giải thể", "Dissolution"] },
  PlanItemKind: { PRESS_RELEASE: ["Thông cáo báo chí", "Press release"], PRESS_CONFERENCE: ["Họp báo", "Press conference"], CAMPAIGN: ["Chiến dịch truyền thông", "Campaign"] },
};

