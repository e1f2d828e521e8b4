// The application shell: who is signed in, the navigation their role gets, and the hash router
// (#/page/arg). A release's canonical URL, /releases/{id}, opens the same release page.
import { html, render, signal, useEffect, useState } from "./lib.js";
import { t, lang, setLang } from "./i18n.js";
import { request, token, setToken } from "./api/client.js";
import * as op from "./api/operations.js";
import { status, fail } from "./ui.js";
import { PublicHome, UnitPage } from "./pages/public.js";
import { ReleasePage } from "./pages/release.js";
import { Feed, Archive, Conferences, MyQuestions, Settings } from "./pages/journalist.js";
import { Console, Editor, Inbox } from "./pages/spokesperson.js";
import { Dashboard, Registry, Audit, Suppressions } from "./pages/authority.js";
import { Monitoring, PressReports } from "./pages/monitoring.js";

// Errors are collected so browser tests can assert there were none.
/** @type {any} */ (window).__errors = [];
// Capturing: a script, style or image that fails to load reports on its element, not window.
window.addEventListener("error", (e) => {
  const el = /** @type {any} */ (e.target);
  /** @type {any} */ (window).__errors.push(el && el !== window ? `failed to load ${el.src || el.href}` : String(e.message));
}, true);
// The CSP refusing something is a defect of the page, not of the user's network.
document.addEventListener("securitypolicyviolation", (e) => /** @type {any} */ (window).__errors.push(`CSP refused ${e.blockedURI} (${e.violatedDirective})`));
window.addEventListener("unhandledrejection", (e) => /** @type {any} */ (window).__errors.push(String(e.reason)));

/** The signed-in account (null: nobody), loaded at start and after sign-in. */
export const me = signal(/** @type {any} */ (null));
const ready = signal(false);

async function loadMe() {
  if (!token.value) { me.value = null; return; }
  try {
    me.value = (await request(op.ME)).me;
  } catch {
    setToken(null);
    me.value = null;
  }
}

const HOME = { JOURNALIST: "#/feed", SPOKESPERSON: "#/console", ADMIN: "#/dashboard", AUDITOR: "#/dashboard" };

/** Pages by route and the roles that may open them (none listed: everyone). */
const ROUTES = {
  "": { page: PublicHome },
  units: { page: UnitPage },
  releases: { page: ReleasePage },
  feed: { page: Feed, roles: ["JOURNALIST"] },
  archive: { page: Archive, roles: ["JOURNALIST"] },
  conferences: { page: Conferences, roles: ["JOURNALIST"] },
  questions: { page: MyQuestions, roles: ["JOURNALIST"] },
  settings: { page: Settings, roles: ["JOURNALIST"] },
  console: { page: Console, roles: ["SPOKESPERSON"] },
  new: { page: Editor, roles: ["SPOKESPERSON"] },
  edit: { page: Editor, roles: ["SPOKESPERSON"] },
  inbox: { page: Inbox, roles: ["SPOKESPERSON"] },
  "press-reports": { page: PressReports, roles: ["SPOKESPERSON"] },
  monitoring: { page: Monitoring, roles: ["ADMIN", "AUDITOR"] },
  dashboard: { page: Dashboard, roles: ["ADMIN", "AUDITOR"] },
  registry: { page: Registry, roles: ["ADMIN", "AUDITOR"] },
  audit: { page: Audit, roles: ["ADMIN", "AUDITOR"] },
  suppressions: { page: Suppressions, roles: ["ADMIN", "AUDITOR"] },
  login: { page: Login },
  invite: { page: Invite },
};

const NAV = {
  JOURNALIST: [["#/feed", "feed"], ["#/archive", "archive"], ["#/conferences", "conferences"], ["#/questions", "my_questions"], ["#/settings", "settings"]],
  SPOKESPERSON: [["#/console", "console"], ["#/new", "new_release"], ["#/inbox", "inbox"], ["#/press-reports", "press_reports"]],
  ADMIN: [["#/dashboard", "dashboard"], ["#/monitoring", "monitoring"], ["#/registry", "registry"], ["#/audit", "audit"], ["#/suppressions", "suppressions"]],
  AUDITOR: [["#/dashboard", "dashboard"], ["#/monitoring", "monitoring"], ["#/registry", "registry"], ["#/audit", "audit"], ["#/suppressions", "suppressions"]],
};

function currentRoute() {
  const path = location.pathname.match(/^\/releases\/([0-9a-f-]{36})$/i);
  if (path && (!location.hash || location.hash === "#/")) return { name: "releases", arg: path[1] };
  const [, name = "", arg = ""] = (location.hash || "#/").split("/");
  return { name, arg: decodeURIComponent(arg) };
}

function Header({ route }) {
  const account = me.value;
  const links = [["#/", "home"], ...(account ? NAV[account.role] || [] : [])];
  const signOut = async () => {
    try { await request(op.LOGOUT); } catch { /* the session ends here either way */ }
    setToken(null);
    me.value = null;
    location.hash = "#/";
  };
  return html`<header class="top">
    <a class="brand" href="#/"><img src="/favicon.svg" alt="" width="24" height="24" /> pressnet</a>
    <nav id="nav" aria-label=${t("nav")}>
      ${links.map(([href, key]) => html`<a href=${href} aria-current=${href === `#/${route.name}` ? "page" : undefined}>${t(key)}</a>`)}
    </nav>
    <div class="tools">
      <button type="button" id="lang" class="secondary" lang=${lang.value === "vi" ? "en" : "vi"}
        onClick=${() => setLang(lang.value === "vi" ? "en" : "vi")}>${lang.value === "vi" ? "EN" : "VI"}</button>
      ${account
        ? html`<span id="who" class="muted">${account.email}</span>
               <button type="button" class="secondary" id="signout" onClick=${signOut}>${t("signout")}</button>`
        : html`<a id="who" href="#/login">${t("signin")}</a>`}
    </div>
  </header>`;
}

function Login() {
  const [error, setError] = useState("");
  const submit = async (/** @type {any} */ ev) => {
    ev.preventDefault();
    const f = ev.currentTarget;
    try {
      const r = await request(op.LOGIN, { email: f.email.value, password: f.password.value });
      setToken(r.login.token);
      await loadMe();
      location.hash = HOME[r.login.account.role] || "#/";
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return html`<h1>${t("signin")}</h1>
    <form id="login" class="narrow" onSubmit=${submit}>
      <label for="email">${t("email")}</label><input id="email" name="email" type="email" autocomplete="username" required />
      <label for="password">${t("password")}</label><input id="password" name="password" type="password" autocomplete="current-password" required />
      <p><button type="submit">${t("signin")}</button></p>
      <p id="login-error" class="error" role="alert">${error}</p>
    </form>`;
}

function Invite({ arg }) {
  const [error, setError] = useState("");
  const submit = async (/** @type {any} */ ev) => {
    ev.preventDefault();
    try {
      const r = await request(op.ACCEPT_INVITATION, { token: arg, password: ev.currentTarget.password.value });
      setToken(r.acceptInvitation.token);
      await loadMe();
      location.hash = (me.value && HOME[me.value.role]) || "#/";
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return html`<h1>${t("set_password")}</h1>
    <form id="invite" class="narrow" onSubmit=${submit}>
      <label for="password">${t("password")}</label>
      <input id="password" name="password" type="password" minlength="8" autocomplete="new-password" required />
      <p><button type="submit">${t("submit")}</button></p>
      <p id="invite-error" class="error" role="alert">${error}</p>
    </form>`;
}

function App() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const on = () => { status.value = { text: "", kind: "" }; setRoute(currentRoute()); };
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  // Focus moves to the page on navigation, for keyboard and screen-reader users.
  useEffect(() => { const m = document.getElementById("main"); if (m && route.name) m.focus(); }, [route.name, route.arg]);
  const entry = ROUTES[route.name];
  const account = me.value;
  let body;
  if (!ready.value) body = html`<p class="muted">${t("loading")}</p>`;
  else if (!entry) body = html`<h1>${t("not_found")}</h1>`;
  else if (entry.roles && !account) body = html`<${Login} />`;
  else if (entry.roles && !entry.roles.includes(account.role)) body = html`<h1>${t("forbidden_page")}</h1>`;
  else body = html`<${entry.page} key=${`${route.name}/${route.arg}/${lang.value}`} arg=${route.arg} me=${account} />`;
  return html`<a class="skip" href="#main" onClick=${(/** @type {any} */ e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>${t("skip")}</a>
    <${Header} route=${route} />
    <div id="status" role="status" aria-live="polite" class=${status.value.kind}>${status.value.text}</div>
    <main id="main" tabindex="-1">${body}</main>`;
}

document.documentElement.lang = lang.value;
document.title = `pressnet — ${t("app_title")}`;
loadMe().then(() => { ready.value = true; }, fail);
const root = document.getElementById("app");
if (root) render(html`<${App} />`, root);
