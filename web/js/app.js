// The router: one view per hash route, chosen by role.
import { t, toggleLang, currentLang } from "./i18n.js";
import { gql, session, esc } from "./gql.js";
import { publicPage, releasePage } from "./public.js";
import { journalistPage } from "./journalist.js";
import { spokespersonPage } from "./spokesperson.js";
import { authorityPage } from "./authority.js";

// Errors are collected so browser tests can assert there were none.
window.__errors = [];
window.addEventListener("error", (e) => window.__errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => window.__errors.push(String(e.reason)));

const main = document.getElementById("main");
let me = null;
let cleanup = null;

export function setStatus(text, kind = "") {
  const s = document.getElementById("status");
  s.className = kind;
  s.textContent = text || "";
}

async function loadMe() {
  me = null;
  if (!session.token) return;
  try {
    me = (await gql("{ me { id email role unit { id name code } outlet { id name } } }")).me;
  } catch {
    session.token = null;
  }
}

function nav() {
  const links = [`<a href="#/">${t("home")}</a>`];
  if (me?.role === "JOURNALIST") links.push(`<a href="#/feed">${t("feed")}</a>`);
  if (me?.role === "SPOKESPERSON") links.push(`<a href="#/console">${t("console")}</a>`);
  if (me?.role === "ADMIN" || me?.role === "AUDITOR") links.push(`<a href="#/authority">${t("authority")}</a>`);
  document.getElementById("nav").innerHTML = links.join("");
  document.getElementById("lang").textContent = currentLang() === "vi" ? "EN" : "VI";
  document.getElementById("who").innerHTML = me
    ? `<span class="muted">${esc(me.email)}</span> <button type="button" class="secondary" id="signout">${t("signout")}</button>`
    : `<a href="#/login">${t("signin")}</a>`;
  const so = document.getElementById("signout");
  if (so) so.onclick = async () => {
    try { await gql("mutation { logout }"); } catch { /* the session is gone either way */ }
    session.token = null;
    me = null;
    location.hash = "#/";
    route();
  };
}

function loginPage() {
  main.innerHTML = `<h1>${t("signin")}</h1>
    <form id="login"><label for="email">${t("email")}</label><input id="email" name="email" type="email" autocomplete="username" required>
    <label for="password">${t("password")}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
    <p><button type="submit">${t("signin")}</button></p><p id="login-error" class="error" role="alert"></p></form>`;
  document.getElementById("login").onsubmit = async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    try {
      const r = await gql("mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token account { role } } }", { e: f.email.value, p: f.password.value });
      session.token = r.login.token;
      await loadMe();
      const home = { JOURNALIST: "#/feed", SPOKESPERSON: "#/console", ADMIN: "#/authority", AUDITOR: "#/authority" }[r.login.account.role] || "#/";
      location.hash = home;
    } catch (e) {
      document.getElementById("login-error").textContent = e.message;
    }
  };
}

function invitePage(token) {
  main.innerHTML = `<h1>${t("set_password")}</h1><form id="invite"><label for="password">${t("password")}</label>
    <input id="password" name="password" type="password" minlength="8" autocomplete="new-password" required>
    <p><button type="submit">${t("submit")}</button></p><p id="invite-error" class="error" role="alert"></p></form>`;
  document.getElementById("invite").onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const r = await gql("mutation($t:String!,$p:String!){ acceptInvitation(token:$t,password:$p){ token } }", { t: token, p: ev.target.password.value });
      session.token = r.acceptInvitation.token;
      await loadMe();
      location.hash = "#/";
    } catch (e) {
      document.getElementById("invite-error").textContent = e.message;
    }
  };
}

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  setStatus("");
  nav();
  const [, page, arg] = (location.hash || "#/").split("/");
  main.innerHTML = `<p class="muted">${t("loading")}</p>`;
  try {
    if (page === "login") return loginPage();
    if (page === "invite") return invitePage(arg);
    if (page === "releases" && arg) return await releasePage(main, arg);
    if (page === "feed" && me?.role === "JOURNALIST") { cleanup = await journalistPage(main, me); return; }
    if (page === "console" && me?.role === "SPOKESPERSON") { cleanup = await spokespersonPage(main, me); return; }
    if (page === "authority" && (me?.role === "ADMIN" || me?.role === "AUDITOR")) { cleanup = await authorityPage(main, me); return; }
    await publicPage(main);
  } catch (e) {
    main.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>`;
  }
}

document.getElementById("lang").onclick = () => { toggleLang(); route(); };
window.addEventListener("hashchange", route);
loadMe().then(route);
