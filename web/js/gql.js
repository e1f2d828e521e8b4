// GraphQL over HTTP, and clear messages from the API's error codes.
import { t } from "./i18n.js";

export const session = {
  get token() { return sessionStorage.getItem("token"); },
  set token(v) { v ? sessionStorage.setItem("token", v) : sessionStorage.removeItem("token"); },
};

const messages = {
  UNAUTHENTICATED: { vi: "Vui lòng đăng nhập.", en: "Please sign in." },
  FORBIDDEN: { vi: "Bạn không có quyền thực hiện thao tác này.", en: "You may not do this." },
  NOT_FOUND: { vi: "Không tìm thấy.", en: "Not found." },
  BAD_USER_INPUT: { vi: "Dữ liệu chưa hợp lệ", en: "Invalid input" },
  CONFLICT: { vi: "Xung đột dữ liệu", en: "Conflict" },
  INTERNAL: { vi: "Lỗi hệ thống, vui lòng thử lại.", en: "Server error, please retry." },
};

export class ApiError extends Error {
  constructor(err) {
    const code = (err.extensions && err.extensions.code) || "INTERNAL";
    const lang = localStorage.getItem("lang") || "vi";
    const base = (messages[code] || messages.INTERNAL)[lang];
    super(code === "BAD_USER_INPUT" || code === "CONFLICT" ? `${base}: ${err.message}` : base);
    this.code = code;
  }
}

export async function gql(query, variables = {}) {
  const headers = { "content-type": "application/json" };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let resp;
  try {
    resp = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError({ message: t("offline"), extensions: { code: "INTERNAL" } });
  }
  const body = await resp.json();
  if (body.errors && body.errors.length) {
    const e = new ApiError(body.errors[0]);
    if (e.code === "UNAUTHENTICATED" && session.token) { session.token = null; }
    throw e;
  }
  return body.data;
}

export function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}

export function fmtTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(localStorage.getItem("lang") === "en" ? "en-GB" : "vi-VN");
}
