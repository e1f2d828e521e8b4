// The one GraphQL client: queries and mutations over HTTP (GraphQL over HTTP, JSON), errors as
// ApiError with the contract's code and a message in the reader's language, and subscriptions
// over graphql-transport-ws with a Server-Sent Events fallback (live.js). Operations come from
// operations.js only.
import { signal } from "../lib.js";
import { t, lang } from "../i18n.js";

/** The session's bearer token (sessionStorage: it ends with the tab). */
export const token = signal(sessionStorage.getItem("token"));

export function setToken(/** @type {string|null} */ value) {
  if (value) sessionStorage.setItem("token", value);
  else sessionStorage.removeItem("token");
  token.value = value;
}

export class ApiError extends Error {
  /** @param {{message?: string, extensions?: {code?: string, field?: string}}} err */
  constructor(err) {
    const code = (err.extensions && err.extensions.code) || "INTERNAL";
    const base = t(`err_${code}`);
    const field = err.extensions && err.extensions.field;
    // Input errors name what to fix. The server's detail is English: a Vietnamese reader gets
    // the field's name in Vietnamese (the detail stays on the error for the console).
    const named = field && t(`field_${field}`) !== `field_${field}` ? t(`field_${field}`) : "";
    const vi = lang.value !== "en";
    const detail = code === "BAD_USER_INPUT" || code === "CONFLICT" ? (vi ? named : err.message || named) : "";
    super(detail ? `${base}: ${detail}` : base);
    this.detail = err.message;
    this.code = code;
    this.field = err.extensions && err.extensions.field;
  }
}

/**
 * Runs one operation; resolves to its data or rejects with an ApiError.
 * @param {string} query an operation from operations.js
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 */
export async function request(query, variables = {}) {
  /** @type {Record<string, string>} */
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  if (token.value) headers.authorization = `Bearer ${token.value}`;
  let resp;
  try {
    resp = await fetch("/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  } catch {
    throw new ApiError({ extensions: { code: "INTERNAL" }, message: t("offline_net") });
  }
  let body;
  try {
    body = await resp.json();
  } catch {
    throw new ApiError({ extensions: { code: resp.status === 429 ? "RATE_LIMITED" : "INTERNAL" } });
  }
  if (body.errors && body.errors.length) {
    const e = new ApiError(body.errors[0]);
    if (e.code === "UNAUTHENTICATED" && token.value) setToken(null);
    throw e;
  }
  return body.data;
}

/**
 * Sends one file with an operation, as the GraphQL multipart request specification says
 * (operations, map, file), reporting progress; resolves to the data or rejects with ApiError.
 * XMLHttpRequest, because fetch reports no upload progress.
 * @param {string} query
 * @param {Record<string, unknown>} variables with the file's variable set to null
 * @param {string} fileVariable
 * @param {File} file
 * @param {(share: number) => void} onProgress 0..1
 * @returns {Promise<any>}
 */
export function uploadFile(query, variables, fileVariable, file, onProgress) {
  const form = new FormData();
  form.append("operations", JSON.stringify({ query, variables: { ...variables, [fileVariable]: null } }));
  form.append("map", JSON.stringify({ 0: [`variables.${fileVariable}`] }));
  form.append("0", file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/graphql");
    if (token.value) xhr.setRequestHeader("authorization", `Bearer ${token.value}`);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError({ extensions: { code: "INTERNAL" }, message: t("offline_net") }));
    xhr.onload = () => {
      let body;
      try { body = JSON.parse(xhr.responseText); } catch { reject(new ApiError({ extensions: { code: "INTERNAL" } })); return; }
      if (body.errors && body.errors.length) reject(new ApiError(body.errors[0]));
      else resolve(body.data);
    };
    xhr.send(form);
  });
}

/** An object URL for a file the viewer may read (the bearer token cannot ride on <img src>). */
export async function blobUrl(/** @type {string} */ path) {
  const resp = await fetch(path, { headers: token.value ? { authorization: `Bearer ${token.value}` } : {} });
  if (!resp.ok) throw new ApiError({ extensions: { code: resp.status === 404 ? "NOT_FOUND" : "INTERNAL" } });
  return URL.createObjectURL(await resp.blob());
}

/**
 * Downloads what a signed-in route serves (CSV exports) as a file: the bearer token cannot ride
 * on a plain link.
 * @param {string} path
 * @param {string} filename
 */
export async function download(path, filename) {
  const resp = await fetch(path, { headers: token.value ? { authorization: `Bearer ${token.value}` } : {} });
  if (!resp.ok) throw new ApiError({ extensions: { code: resp.status === 403 ? "FORBIDDEN" : "INTERNAL" } });
  saveBlob(await resp.blob(), filename);
}

/** Offers a blob as a download. */
export function saveBlob(/** @type {Blob} */ blob, /** @type {string} */ filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
