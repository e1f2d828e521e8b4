// The application shell: who is signed in, the navigation their role gets, and the hash router
// (#/page/arg). A release's canonical URL, /releases/{id}, opens the same release page.
import { html, render, signal, useEffect, useState } from "./lib.js";
import { t, lang, setLang } from "./i18n.js";
import { request, setToken } from "./api/client.js";
import * as op from "./api/operations.js";
import { status, fail } from "./ui.js";
import { me, loadMe, signOut, HOME } from "./session.js";
import { Login } from "./signin.js";
import { ConfirmHost } from "./confirm.js";
import { counts, refreshCounts } from "./counts.js";
import { Sessions } from "./pages/sessions.js";
import { News } from "./pages/news.js";
import { PublicHome, UnitPage } from "./pages/public.js";
import { ReleasePage } from "./pages/release.js";
import { Feed, Archive, Conferences, MyQuestions, Settings } from "./pages/journalist.js";
import { Console, Editor, Inbox } from "./pages/spokesperson.js";
import { Dashboard, Registry, Audit, Suppressions } from "./pages/authority.js";
import { Monitoring, PressReports } from "./pages/monitoring.js";
import { Province, PlanPage } from "./pages/province.js";

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

const ready = signal(false);

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
  province: { page: Province, roles: ["ADMIN", "AUDITOR"] },
  plan: { page: PlanPage, roles: ["SPOKESPERSON"] },
  audit: { page: Audit, roles: ["ADMIN", "AUDITOR"] },
  suppressions: { page: Suppressions, roles: ["ADMIN", "AUDITOR"] },
  login: { page: Login },
  invite: { page: Invite },
  sessions: { page: Sessions, roles: ["JOURNALIST", "SPOKESPERSON", "ADMIN", "AUDITOR"] },
  news: { page: News },
};

/** Each page's title (document.title), by route. */
const TITLES = {
  "": "home", units: "unit_page", releases: "release", feed: "feed", archive: "archive", conferences: "conferences",
  questions: "my_questions", settings: "settings", console: "console", new: "new_release", edit: "edit", inbox: "inbox",
  "press-reports": "press_reports", monitoring: "monitoring", dashboard: "dashboard", registry: "registry", audit: "audit",
  suppressions: "suppressions", province: "province", plan: "plan", login: "signin", invite: "set_password", sessions: "sessions", news: "news",
};

const NAV = {
  JOURNALIST: [["#/feed", "feed"], ["#/archive", "archive"], ["#/conferences", "conferences"], ["#/questions", "my_questions"], ["#/settings", "settings"]],
  SPOKESPERSON: [["#/console", "console"], ["#/new", "new_release"], ["#/inbox", "inbox"], ["#/press-reports", "press_reports"], ["#/plan", "plan"]],
  ADMIN: [["#/dashboard", "dashboard"], ["#/monitoring", "monitoring"], ["#/registry", "registry"], ["#/province", "province"], ["#/audit", "audit"], ["#/suppressions", "suppressions"]],
  AUDITOR: [["#/dashboard", "dashboard"], ["#/monitoring", "monitoring"], ["#/registry", "registry"], ["#/province", "province"], ["#/audit", "audit"], ["#/suppressions", "suppressions"]],
};

function currentRoute() {
  const path = location.pathname.match(/^\/releases\/([0-9a-f-]{36})$/i);
  if (path && (!location.hash || location.hash === "#/")) return { name: "releases", arg: path[1] };
  const [, name = "", arg = ""] = (location.hash || "#/").split("/");
  return { name, arg: decodeURIComponent(arg) };
}

function Header({ route }) {
  const account = me.value;
  const [open, setOpen] = useState(false);
  const links = [["#/", "home"], ["#/news", "news"], ...(account ? NAV[account.role] || [] : [])];
  const out = async () => {
    await signOut();
    location.hash = "#/";
  };
  // The menu closes when a link is followed (on a phone it covers the page while open).
  useEffect(() => setOpen(false), [route.name, route.arg]);
  const n = counts.value;
  return html`<header class="top">
    <a class="brand" href="#/"><img src="/favicon.svg" alt="" width="24" height="24" /> pressnet</a>
    <button type="button" class="menu-toggle secondary" id="menu-toggle" aria-expanded=${open ? "true" : "false"} aria-controls="nav"
      onClick=${() => setOpen(!open)}><span aria-hidden="true">☰</span><span class="sr-only">${t("menu")}</span>${Object.values(n).some((x) => x > 0)
        ? html` <span class="count" aria-hidden="true">${Object.values(n).reduce((a, b) => a + b, 0)}</span>` : ""}</button>
    <nav id="nav" aria-label=${t("nav")} class=${open ? "open" : ""}>
      ${links.map(([href, key]) => html`<a href=${href} aria-current=${href === `#/${route.name}` ? "page" : undefined}>${t(key)}${n[href] > 0
        ? html` <span class="count" id=${`count-${href.slice(2)}`}>${n[href]}<span class="sr-only"> ${t(href === "#/feed" ? "count_unread" : "count_open")}</span></span>` : ""}</a>`)}
      ${account && html`<a href="#/sessions" aria-current=${route.name === "sessions" ? "page" : undefined}>${t("sessions")}</a>
        <button type="button" class="secondary nav-signout" onClick=${out}>${t("signout")} <small class="muted">${account.email}</small></button>`}
    </nav>
    <div class="tools">
      <button type="button" id="lang" class="secondary" lang=${lang.value === "vi" ? "en" : "vi"}
        onClick=${() => setLang(lang.value === "vi" ? "en" : "vi")}>${lang.value === "vi" ? "EN" : "VI"}</button>
      ${account
        ? html`<span id="who" class="muted">${account.email}</span>
               <button type="button" class="secondary" id="signout" onClick=${out}>${t("signout")}</button>`
        : html`<a id="who" href=${`#/login`}>${t("signin")}</a>`}
    </div>
  </header>`;
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
    // A message from the moment of leaving ("Published …", then the release's page) stays;
    // an older one belongs to the page left behind.
    const on = () => {
      if (Date.now() - status.value.at > 1500) status.value = { text: "", kind: "", at: 0 };
      setRoute(currentRoute());
    };
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  // Focus moves to the page on navigation, for keyboard and screen-reader users.
  useEffect(() => { const m = document.getElementById("main"); if (m && route.name) m.focus(); }, [route.name, route.arg]);
  // Each page names itself in the tab (a release page sets its own title once loaded).
  useEffect(() => { document.title = `${t(TITLES[route.name] || "app_title")} — pressnet`; }, [route.name, route.arg, lang.value]);
  useEffect(() => { refreshCounts(me.value); }, [route.name, me.value && me.value.id]);
  const entry = ROUTES[route.name];
  const account = me.value;
  let body;
  if (!ready.value) body = html`<p class="muted">${t("loading")}</p>`;
  else if (!entry) body = html`<h1>${t("not_found")}</h1>`;
  else if (entry.roles && !account) body = html`<${Login} back=${location.hash} />`;
  else if (entry.roles && !entry.roles.includes(account.role)) body = html`<h1>${t("forbidden_page")}</h1>`;
  else body = html`<${entry.page} key=${`${route.name}/${route.arg}/${account ? account.id : ""}`} arg=${route.arg} me=${account} />`;
  return html`<a class="skip" href="#main" onClick=${(/** @type {any} */ e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>${t("skip")}</a>
    <${Header} route=${route} />
    <div id="status" role="status" aria-live="polite" class=${status.value.kind}>${status.value.text}</div>
    <main id="main" tabindex="-1">${body}</main>
    <${Footer} />
    <${ConfirmHost} />`;
}

/** Every page is signed by the authority that runs the system (PRESSNET_AUTHORITY_NAME). */
const authority = signal("");
request(op.AUTHORITY_NAME).then((d) => { authority.value = d.authorityName; }, () => {});

function Footer() {
  return authority.value ? html`<footer class="site-footer muted" id="site-footer">${t("signed_by", { authority: authority.value })}</footer>` : null;
}

document.documentElement.lang = lang.value;
document.title = `${t("app_title")} — pressnet`;
loadMe().then(() => { ready.value = true; }, fail);
const root = document.getElementById("app");
if (root) render(html`<${App} />`, root);
