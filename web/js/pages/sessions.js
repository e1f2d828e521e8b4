// The signed-in person's sessions (mySessions): each browser or device signed in, when it was
// last used; any of them ended here (revokeSession), this one included.
import { html } from "../lib.js";
import { t, fmt } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, notify, fail } from "../ui.js";
import { confirmAct } from "../confirm.js";
import { signOut } from "../session.js";

/** A User-Agent in a few words: browser and system. */
export function device(/** @type {string|null} */ ua) {
  if (!ua) return t("unknown_device");
  const browser = /Edg\//.test(ua) ? "Edge" : /OPR\//.test(ua) ? "Opera" : /Chrom(e|ium)\//.test(ua) ? "Chrome"
    : /Firefox\//.test(ua) ? "Firefox" : /Safari\//.test(ua) ? "Safari" : /node|undici|curl/i.test(ua) ? t("program") : "";
  const system = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows"
    : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : "";
  return [browser, system].filter(Boolean).join(", ") || ua.slice(0, 60);
}

export function Sessions() {
  const state = useAsync(() => request(op.MY_SESSIONS).then((d) => d.mySessions), []);
  const revoke = async (/** @type {any} */ s) => {
    const yes = await confirmAct({
      title: t(s.current ? "confirm_revoke_current_h" : "confirm_revoke_h"),
      lines: [`${device(s.userAgent)} · ${t("last_seen")} ${fmt.long(s.lastSeenAt)}`],
      action: t("revoke_session"),
      danger: true,
    });
    if (!yes) return;
    try {
      await request(op.REVOKE_SESSION, { id: s.id });
      if (s.current) { await signOut(); location.hash = "#/login"; return; }
      notify(t("session_revoked", { device: device(s.userAgent) }));
      state.reload();
    } catch (e) { fail(e); }
  };
  return html`<h1>${t("sessions")}</h1>
    <p class="muted">${t("sessions_note")}</p>
    <${Pending} state=${state} />
    ${state.data && html`<ul class="cards" id="sessions">${state.data.map((/** @type {any} */ s) => html`<li class="card" data-session-id=${s.id}>
      <p><strong>${device(s.userAgent)}</strong>${s.current ? html` <span class="badge s-delivered">${t("this_device")}</span>` : ""}</p>
      <p class="meta">${t("signed_in_at")} ${fmt.dateTime(s.createdAt)} · ${t("last_seen")} ${fmt.dateTime(s.lastSeenAt)}</p>
      <p><button type="button" class="secondary revoke" onClick=${() => revoke(s)}>${t("revoke_session")}</button></p>
    </li>`)}</ul>`}`;
}
