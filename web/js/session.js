// Who is signed in, and how a session starts, survives and ends.
//
// The bearer token lives in sessionStorage (this tab). "Keep me signed in on this device" also
// asks the server to keep the session for 30 days from its last use and to set it as an
// HttpOnly cookie that only /auth reads: a new tab, or a link from an e-mail or a push, then
// resumes the session (POST /auth/resume) instead of asking for the password again. The README's
// security notes say why this is CSRF-safe.
import { signal } from "./lib.js";
import { request, token, setToken } from "./api/client.js";
import * as op from "./api/operations.js";

/** The signed-in account (null: nobody), loaded at start and after sign-in. */
export const me = signal(/** @type {any} */ (null));

/** Where each role starts. */
export const HOME = { JOURNALIST: "#/feed", SPOKESPERSON: "#/console", ADMIN: "#/dashboard", AUDITOR: "#/dashboard" };

const AUTH_HEADERS = { "x-requested-with": "pressnet" };

/** Loads the account behind the token; a tab without one first tries the device's session. */
export async function loadMe() {
  if (!token.value) await resume();
  if (!token.value) { me.value = null; return; }
  try {
    me.value = (await request(op.ME)).me;
  } catch {
    setToken(null);
    me.value = null;
  }
}

/** Takes the session kept on this device, if any. */
async function resume() {
  try {
    const resp = await fetch("/auth/resume", { method: "POST", headers: AUTH_HEADERS, credentials: "same-origin" });
    if (!resp.ok) return;
    const body = await resp.json();
    if (body && typeof body.token === "string") setToken(body.token);
  } catch {
    // Offline or refused: sign in as usual.
  }
}

/**
 * Signs in; with `remember`, keeps the session on this device.
 * @param {string} email
 * @param {string} password
 * @param {boolean} remember
 */
export async function signIn(email, password, remember) {
  const r = await request(op.LOGIN, { email, password });
  setToken(r.login.token);
  if (remember) {
    await fetch("/auth/remember", { method: "POST", headers: { authorization: `Bearer ${r.login.token}` }, credentials: "same-origin" }).catch(() => {});
  }
  await loadMe();
  return r.login.account;
}

/** Ends the session here and on the server, and forgets it on this device. */
export async function signOut() {
  try { await request(op.LOGOUT); } catch { /* the session ends here either way */ }
  await fetch("/auth/forget", { method: "POST", headers: AUTH_HEADERS, credentials: "same-origin" }).catch(() => {});
  setToken(null);
  me.value = null;
}
