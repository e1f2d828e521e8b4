// The authority's dashboard: the registry (forms for ADMIN), the compliance report as a table
// and an SVG chart with units needing attention highlighted, CSV download, and the audit log.
import { t } from "./i18n.js";
import { gql, esc, fmtTime, session } from "./gql.js";
import { setStatus } from "./app.js";

function chart(rows) {
  const w = 640, bar = 14, gap = 10, left = 180;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.releasesPublished, r.pressConferencesRequired, r.pressConferencesHeld)));
  const h = rows.length * (bar * 2 + gap) + 30;
  const scale = (v) => ((w - left - 20) * v) / max;
  const items = rows.map((r, i) => {
    const y = 20 + i * (bar * 2 + gap);
    return `<text x="0" y="${y + bar}" font-size="11">${esc(r.unit.name.slice(0, 28))}</text>
      <rect x="${left}" y="${y}" width="${scale(r.releasesPublished)}" height="${bar}" fill="#0b5cad"><title>${t("releases_col")}: ${r.releasesPublished}</title></rect>
      <rect x="${left}" y="${y + bar}" width="${scale(r.pressConferencesHeld)}" height="${bar - 2}" fill="#2da44e"><title>${t("conferences")}: ${r.pressConferencesHeld}/${r.pressConferencesRequired}</title></rect>
      ${r.pressConferencesRequired ? `<line x1="${left + scale(r.pressConferencesRequired)}" x2="${left + scale(r.pressConferencesRequired)}" y1="${y + bar}" y2="${y + bar * 2}" stroke="#a40000" stroke-width="2"/>` : ""}`;
  }).join("");
  return `<svg id="report-chart" role="img" aria-label="${t("report")}" viewBox="0 0 ${w} ${h}" width="100%">
    <text x="${left}" y="12" font-size="11" fill="#0b5cad">■ ${t("releases_col")}</text><text x="${left + 120}" y="12" font-size="11" fill="#2da44e">■ ${t("conferences")}</text>${items}</svg>`;
}

export async function authorityPage(main, me) {
  const admin = me.role === "ADMIN";
  const today = new Date();
  const from = new Date(today.getFullYear(), Math.floor(today.getMonth() / 3) * 3, 1);
  const to = new Date(from.getFullYear(), from.getMonth() + 3, 1);
  const d8 = (x) => x.toISOString().slice(0, 10);
  main.innerHTML = `<h1>${t("authority")}</h1>
    <section><h2>${t("report")}</h2><form id="period" class="row">
      <div><label for="from">${t("from")}</label><input id="from" name="from" type="date" value="${d8(from)}"></div>
      <div><label for="to">${t("to")}</label><input id="to" name="to" type="date" value="${d8(to)}"></div>
      <div><p><button type="submit">${t("run")}</button> <button type="button" class="secondary" id="csv">${t("download")}</button></p></div></form>
      <div id="report"></div></section>
    <section><h2>${t("outlets")}</h2><div id="outlets"></div>
      ${admin ? `<form id="new-outlet"><h3>${t("new_outlet")}</h3><label for="o-name">${t("name")}</label><input id="o-name" name="name" required>
        <label for="o-kind">${t("kind")}</label><select id="o-kind" name="kind">${["PRINT", "ONLINE", "RADIO", "TELEVISION", "NEWS_AGENCY", "MAGAZINE"].map((k) => `<option>${k}</option>`).join("")}</select>
        <label for="o-scope">Scope</label><select id="o-scope" name="scope"><option>LOCAL</option><option>CENTRAL</option></select>
        <label for="o-lic">Licence</label><input id="o-lic" name="licence" required><label for="o-email">${t("email")}</label><input id="o-email" name="email" type="email" required>
        <p><button type="submit">${t("submit")}</button></p><p class="error" role="alert" id="o-error"></p></form>` : ""}</section>
    <section><h2>${t("units")}</h2><div id="units"></div>
      ${admin ? `<form id="new-unit"><h3>${t("new_unit")}</h3><label for="u-code">${t("code")}</label><input id="u-code" name="code" required>
        <label for="u-name">${t("name")}</label><input id="u-name" name="name" required><label for="u-level">${t("level")}</label>
        <select id="u-level" name="level"><option>DEPARTMENT</option><option>PROVINCE</option><option>BRANCH</option><option>COMMUNE</option></select>
        <p><button type="submit">${t("submit")}</button></p><p class="error" role="alert" id="u-error"></p></form>` : ""}</section>
    <section><h2>${t("audit")}</h2><p><button type="button" id="verify">${t("verify")}</button> <span id="verify-result" role="status"></span></p><div id="audit"></div></section>`;
  const range = () => {
    const f = document.getElementById("period");
    return { f: new Date(`${f.from.value}T00:00:00Z`).toISOString(), t: new Date(`${f.to.value}T00:00:00Z`).toISOString() };
  };
  async function report() {
    const r = await gql(`query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { name code } hasActiveSpokesperson releasesPublished
      pressConferencesHeld pressConferencesRequired inquiriesReceived inquiriesAnsweredOnTime inquiriesOverdue answersUnsatisfied medianResponseHours deliveryCoverage needsAttention } }`, range());
    const rows = r.complianceReport;
    document.getElementById("report").innerHTML = chart(rows) + `<table id="report-table"><thead><tr><th>${t("unit")}</th><th>${t("releases_col")}</th><th>${t("conferences")}</th>
      <th>${t("inquiries")}</th><th>${t("on_time")}</th><th>${t("overdue")}</th><th>${t("median")}</th><th>${t("coverage")}</th></tr></thead><tbody>${rows.map((x) =>
      `<tr class="${x.needsAttention ? "attention" : ""}"><td>${esc(x.unit.name)}${x.hasActiveSpokesperson ? "" : ` <span class="error">(!)</span>`}</td><td>${x.releasesPublished}</td>
      <td>${x.pressConferencesHeld}/${x.pressConferencesRequired}</td><td>${x.inquiriesReceived}</td><td>${x.inquiriesAnsweredOnTime}</td><td>${x.inquiriesOverdue}</td>
      <td>${x.medianResponseHours == null ? "" : x.medianResponseHours.toFixed(1)}</td><td>${Math.round(x.deliveryCoverage * 100)}%</td></tr>`).join("")}</tbody></table>`;
  }
  document.getElementById("period").onsubmit = (ev) => { ev.preventDefault(); report().catch((e) => setStatus(e.message, "error")); };
  document.getElementById("csv").onclick = async () => {
    const p = range();
    const resp = await fetch(`/exports/compliance.csv?from=${encodeURIComponent(p.f)}&to=${encodeURIComponent(p.t)}`, { headers: { authorization: `Bearer ${session.token}` } });
    if (!resp.ok) { setStatus(`CSV: ${resp.status}`, "error"); return; }
    const url = URL.createObjectURL(await resp.blob());
    const a = document.createElement("a");
    a.href = url; a.download = "compliance.csv"; a.click();
    URL.revokeObjectURL(url);
  };
  async function registry() {
    const d = await gql("{ outlets { id name kind scope licenceNumber accreditation accreditedUntil journalists { fullName } } units { id code name level spokespersons { fullName } } }");
    document.getElementById("outlets").innerHTML = `<table><thead><tr><th>${t("name")}</th><th>${t("kind")}</th><th>${t("status")}</th><th></th></tr></thead><tbody>${d.outlets.map((o) =>
      `<tr><td>${esc(o.name)}<br><span class="muted">${esc(o.licenceNumber)} · ${o.journalists.length}</span></td><td>${esc(o.kind)} / ${esc(o.scope)}</td><td>${esc(o.accreditation)}</td>
      <td>${admin && o.accreditation !== "ACCREDITED" ? `<button type="button" class="secondary accredit" data-id="${esc(o.id)}">${t("accredit")}</button>` : ""}</td></tr>`).join("")}</tbody></table>`;
    document.getElementById("units").innerHTML = `<table><thead><tr><th>${t("code")}</th><th>${t("name")}</th><th>${t("level")}</th><th>${t("roster")}</th></tr></thead><tbody>${d.units.map((u) =>
      `<tr><td>${esc(u.code)}</td><td>${esc(u.name)}</td><td>${esc(u.level)}</td><td>${u.spokespersons.map((s) => esc(s.fullName)).join(", ") || `<span class="error">—</span>`}</td></tr>`).join("")}</tbody></table>`;
    document.querySelectorAll(".accredit").forEach((b) => b.onclick = async () => {
      try { await gql("mutation($o:UUID!){ setAccreditation(outletId:$o, status: ACCREDITED){ id } }", { o: b.dataset.id }); await registry(); }
      catch (e) { setStatus(e.message, "error"); }
    });
  }
  if (admin) {
    document.getElementById("new-outlet").onsubmit = async (ev) => {
      ev.preventDefault();
      const f = ev.target;
      try {
        await gql("mutation($i:RegisterOutletInput!){ registerOutlet(input:$i){ id } }", { i: { name: f.name.value, kind: f.kind.value, scope: f.scope.value, licenceNumber: f.licence.value, email: f.email.value } });
        f.reset(); await registry();
      } catch (e) { document.getElementById("o-error").textContent = e.message; }
    };
    document.getElementById("new-unit").onsubmit = async (ev) => {
      ev.preventDefault();
      const f = ev.target;
      try { await gql("mutation($i:CreateUnitInput!){ createUnit(input:$i){ id } }", { i: { code: f.code.value, name: f.name.value, level: f.level.value } }); f.reset(); await registry(); }
      catch (e) { document.getElementById("u-error").textContent = e.message; }
    };
  }
  async function audit() {
    const a = await gql("{ auditEvents(first: 50) { seq at action entity actor { email } } }");
    document.getElementById("audit").innerHTML = `<table><tbody>${a.auditEvents.map((e) => `<tr><td>${e.seq}</td><td>${fmtTime(e.at)}</td><td>${esc(e.action)}</td><td>${esc(e.actor?.email || "")}</td></tr>`).join("")}</tbody></table>`;
  }
  document.getElementById("verify").onclick = async () => {
    const v = (await gql("{ verifyAuditLog { ok eventsChecked firstBadSeq } }")).verifyAuditLog;
    document.getElementById("verify-result").innerHTML = v.ok ? `<span class="okmsg">${t("intact")} (${v.eventsChecked})</span>` : `<span class="error">${t("tampered")} ${v.firstBadSeq}</span>`;
  };
  await Promise.all([report(), registry(), audit()]);
}
