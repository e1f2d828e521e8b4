// The authority's pages (ADMIN; AUDITOR reads): the compliance dashboard (period, sortable
// per-unit table with units needing attention first, charts with axes), the registry (units
// and spokespersons, outlets and their accreditation, journalists), the audit log (paging,
// filter, verification, signed checkpoints) and suppressed e-mail addresses.
import { html, useState } from "../lib.js";
import { t, label, fmt, values, fromLocalInput, toLocalInput, todayInVietnam, lang } from "../i18n.js";
import { confirmAct } from "../confirm.js";
import { DateTimeField, DateField } from "../datetime.js";
import { ACTIONS, FAMILIES, DETAIL_KEYS } from "../audit_words.js";
import { request, download } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, Badge, EnumSelect, Table, BarChart, notify, fail } from "../ui.js";
import { Webhooks } from "./webhooks.js";

/** The first instant of a Vietnamese calendar day (YYYY-MM-DD). */
const dayStart = (/** @type {string} */ d) => `${d}T00:00:00+07:00`;

/** Why a unit needs attention (message keys): no spokesperson, overdue answers, too few
 * conferences, or press not reached; empty when it does not. */
const reasons = (/** @type {any} */ u) => [
  !u.hasActiveSpokesperson && "why_no_spokesperson",
  u.inquiriesOverdue > 0 && "why_overdue",
  u.pressConferencesHeld < u.pressConferencesRequired && "why_conferences",
  u.releasesPublished > 0 && u.deliveryCoverage < 0.9 && "why_coverage",
].filter(Boolean);
const attention = (/** @type {any} */ u) => reasons(u).length > 0;

/** The last six calendar months (Vietnam time), oldest first, each as [from, to). */
function lastMonths() {
  const [y, m] = todayInVietnam().split("-").map(Number);
  const out = [];
  for (let i = 5; i >= 0; i--) {
    const from = new Date(Date.UTC(y, m - 1 - i, 1));
    const to = new Date(Date.UTC(y, m - i, 1));
    const iso = (/** @type {Date} */ d) => d.toISOString().slice(0, 10);
    out.push({ from: dayStart(iso(from)), to: dayStart(iso(to)), label: fmt.month(new Date(from.getTime() + 12 * 3600e3)) });
  }
  return out;
}

export function Dashboard() {
  const today = todayInVietnam();
  const [period, setPeriod] = useState({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const [draft, setDraft] = useState(period);
  const from = dayStart(period.from);
  const to = new Date(new Date(dayStart(period.to)).getTime() + 86400e3).toISOString();
  const report = useAsync(() => request(op.COMPLIANCE, { from, to }).then((d) => d.complianceReport), [from, to]);
  const months = lastMonths();
  const monthly = useAsync(() => {
    /** @type {Record<string, string>} */
    const vars = {};
    months.forEach((m, i) => { vars[`m${i}f`] = m.from; vars[`m${i}t`] = m.to; });
    return request(op.MONTHLY, vars);
  }, []);
  const rows = report.data ? [...report.data].sort((a, b) => Number(attention(b)) - Number(attention(a))) : [];
  const flagged = rows.filter(attention).length;
  const columns = [
    { key: "unit", text: t("unit"), value: (/** @type {any} */ u) => u.unit.name, render: (/** @type {any} */ u) => html`<a href=${`#/units/${u.unit.id}`}>${u.unit.name}</a>${attention(u) ? html` <span class="badge s-failed">${t("attention")}</span>
      <ul class="why">${reasons(u).map((k) => html`<li>${t(k, { overdue: u.inquiriesOverdue, held: u.pressConferencesHeld, required: u.pressConferencesRequired, coverage: fmt.percent(u.deliveryCoverage) })}</li>`)}</ul>` : ""}` },
    { key: "sp", text: t("has_spokesperson"), value: (/** @type {any} */ u) => u.hasActiveSpokesperson, render: (/** @type {any} */ u) => (u.hasActiveSpokesperson ? t("yes") : html`<strong class="error">${t("no")}</strong>`) },
    { key: "releasesPublished", text: t("releases_published"), num: true },
    { key: "conf", text: `${t("conferences_held")} / ${t("conferences_required")}`, num: true, value: (/** @type {any} */ u) => u.pressConferencesHeld - u.pressConferencesRequired, render: (/** @type {any} */ u) => `${u.pressConferencesHeld} / ${u.pressConferencesRequired}` },
    { key: "inquiriesReceived", text: t("inquiries"), num: true },
    { key: "onTime", text: t("on_time"), num: true, value: (/** @type {any} */ u) => u.inquiriesAnsweredOnTime },
    { key: "inquiriesOverdue", text: t("answers_overdue"), num: true },
    { key: "answersUnsatisfied", text: t("unsatisfied"), num: true },
    { key: "median", text: t("median_hours"), num: true, value: (/** @type {any} */ u) => u.medianResponseHours ?? -1, render: (/** @type {any} */ u) => (u.medianResponseHours == null ? "—" : fmt.number(u.medianResponseHours, 1)) },
    // A unit that published nothing reached nobody and missed nobody: no share to show.
    { key: "deliveryCoverage", text: t("coverage"), num: true, value: (/** @type {any} */ u) => (u.releasesPublished > 0 ? u.deliveryCoverage : -1),
      render: (/** @type {any} */ u) => (u.releasesPublished > 0 ? fmt.percent(u.deliveryCoverage) : "—") },
  ];
  const short = (/** @type {any} */ u) => u.unit.name;
  return html`<h1>${t("dashboard")}</h1>
    <form id="period" class="filters" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); setPeriod(draft); }}>
      <${DateField} id="from" label=${t("from")} required value=${draft.from} onChange=${(/** @type {string} */ v) => v && setDraft({ ...draft, from: v })} />
      <${DateField} id="to" label=${t("to")} required value=${draft.to} onChange=${(/** @type {string} */ v) => v && setDraft({ ...draft, to: v })} />
      <button type="submit">${t("run")}</button>
      <button type="button" class="secondary" id="report-csv" onClick=${() => download(`/exports/compliance.csv?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&lang=${lang.value}`, `compliance-${period.from}-${period.to}.csv`).catch(fail)}>${t("download_csv")}</button>
    </form>
    <${Pending} state=${report} />
    ${report.data && html`
      ${flagged > 0 && html`<p class="notice warn" id="attention-count">${t("attention")}: ${flagged}</p>`}
      <${Table} id="report-table" columns=${columns} rows=${rows} rowClass=${(/** @type {any} */ u) => (attention(u) ? "attention" : "")} caption=${`${t("period")}: ${fmt.date(from)} – ${fmt.date(dayStart(period.to))}`} />
      <div class="charts" id="report-chart">
        ${monthly.data && html`<${BarChart} id="chart-monthly" title=${t("chart_monthly")} yLabel=${t("count")}
          data=${months.map((m, i) => ({ label: m.label, value: monthly.data[`m${i}`].reduce((/** @type {number} */ s, /** @type {any} */ u) => s + u.releasesPublished, 0) }))} />`}
        <${BarChart} id="chart-on-time" title=${t("chart_on_time")} yLabel=${t("share")} percent
          data=${rows.filter((u) => u.inquiriesReceived > 0).map((u) => ({ label: short(u), value: u.inquiriesAnsweredOnTime / u.inquiriesReceived }))} />
        <${BarChart} id="chart-cadence" title=${t("chart_cadence")} yLabel=${t("count")}
          data=${rows.map((u) => ({ label: short(u), value: u.pressConferencesHeld, target: u.pressConferencesRequired }))} />
        <${BarChart} id="chart-coverage" title=${t("chart_coverage")} yLabel=${t("share")} percent
          data=${rows.filter((u) => u.releasesPublished > 0).map((u) => ({ label: short(u), value: u.deliveryCoverage }))} />
      </div>`}`;
}

export function Registry({ me }) {
  const state = useAsync(() => Promise.all([request(op.UNITS), request(op.OUTLETS, {})]), []);
  const admin = me.role === "ADMIN";
  const d = state.data;
  if (!d) return html`<h1>${t("registry")}</h1><${Pending} state=${state} />`;
  const units = d[0].units;
  const outlets = d[1].outlets;
  const without = units.filter((/** @type {any} */ u) => u.spokespersons.length === 0);
  return html`<h1>${t("registry")}</h1>
    ${without.length > 0 && html`<p class="notice warn" id="units-without">${t("unit_without", { n: without.length })}: ${without.map((/** @type {any} */ u) => u.name).join(", ")}</p>`}
    <${Units} units=${units} admin=${admin} reload=${state.reload} />
    <${Outlets} outlets=${outlets} admin=${admin} reload=${state.reload} />
    ${admin && outlets.length > 0 && html`<${Webhooks} outlets=${outlets} />`}`;
}

/**
 * After registering someone without a password: the invitation's link when it could not be
 * e-mailed (the e-mail channel is off), for the administrator to pass on; null otherwise.
 */
async function unsentInvitation(/** @type {string} */ email, /** @type {string} */ password) {
  if (password) return null;
  const d = await request(op.INVITATION_LINK, { email });
  return d.invitationLink ? { email, link: d.invitationLink } : null;
}

/** The link to pass on, shown once to the administrator. */
function InviteLink({ invite }) {
  if (!invite) return null;
  return html`<div class="notice warn" id="invite-link" role="status">
    <p>${t("invite_unsent", { email: invite.email })}</p>
    <p><code class="secret">${invite.link}</code></p>
  </div>`;
}

/** Runs a registry mutation from a form, then reloads. */
function useSubmit(/** @type {() => void} */ reload) {
  const [error, setError] = useState("");
  const submit = (/** @type {(f: any) => Promise<unknown>} */ fn) => async (/** @type {any} */ e) => {
    e.preventDefault();
    const form = e.currentTarget;
    try {
      await fn(form);
      setError("");
      form.reset();
      notify(t("registered"));
      reload();
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  return { error, submit };
}

function Units({ units, admin, reload }) {
  const { error, submit } = useSubmit(reload);
  const [invite, setInvite] = useState(/** @type {any} */ (null));
  const [chosen, setChosen] = useState("");
  const endTerm = async (/** @type {any} */ p) => {
    const yes = await confirmAct({ title: t("end_term"), lines: [t("confirm_end_term", { name: p.fullName })], action: t("end_term"), danger: true });
    if (!yes) return;
    try { await request(op.END_TERM, { id: p.id }); notify(t("saved")); setChosen(p.unit ? p.unit.id : ""); reload(); } catch (e) { fail(e); }
  };
  return html`<section aria-labelledby="units-h"><h2 id="units-h">${t("units")}</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="units" class="stack">
      <thead><tr><th scope="col">${t("code")}</th><th scope="col">${t("unit")}</th><th scope="col">${t("level")}</th><th scope="col">${t("spokespersons")}</th></tr></thead>
      <tbody>${units.map((/** @type {any} */ u) => html`<tr class=${u.spokespersons.length ? "" : "attention"} data-unit-id=${u.id}>
        <td data-label=${t("code")}>${u.code}</td><td data-label=${t("unit")}><a href=${`#/units/${u.id}`}>${u.name}</a>${u.parent && html`<br /><small class="muted">${u.parent.name}</small>`}</td>
        <td data-label=${t("level")}>${label("UnitLevel", u.level)}</td>
        <td data-label=${t("spokespersons")}>${u.spokespersons.length === 0 && html`<strong class="error">${t("no_spokesperson")}</strong> `}
          ${u.spokespersons.map((/** @type {any} */ p) => html`<div class="person">${p.fullName}, ${p.position}${p.isPrimary ? " ★" : ""}
            <small class="muted">${t("active_from")} ${fmt.date(p.activeFrom)}</small>
            ${admin && html` <button type="button" class="secondary small end-term" onClick=${() => endTerm({ ...p, unit: u })}>${t("end_term")}</button>`}</div>`)}
          ${admin && html`<button type="button" class="link small" onClick=${() => setChosen(u.id)}>${u.spokespersons.length ? t("register_spokesperson") : t("replace")}</button>`}</td>
      </tr>`)}</tbody></table></div>
    ${admin && html`<p class="error" role="alert">${error}</p><${InviteLink} invite=${invite} /><div class="row">
      <form id="new-spokesperson" class="card" onSubmit=${submit(async (f) => {
        const [email, password] = [f.email.value, f.password.value];
        await request(op.REGISTER_SPOKESPERSON, { input: {
          unitId: f.unit.value, fullName: f.fullName.value, position: f.position.value, phone: f.phone.value, email,
          appointmentRef: f.appointmentRef.value || null, isPrimary: f.isPrimary.checked, password: password || null } });
        setInvite(await unsentInvitation(email.trim().toLowerCase(), password));
      })}>
        <h3>${t("register_spokesperson")}</h3>
        <label for="sp-unit">${t("unit")}</label><select id="sp-unit" name="unit" required value=${chosen} onChange=${(/** @type {any} */ e) => setChosen(e.currentTarget.value)}>
          ${units.map((/** @type {any} */ u) => html`<option value=${u.id} selected=${u.id === chosen}>${u.name}</option>`)}</select>
        <label for="sp-name">${t("name")}</label><input id="sp-name" name="fullName" required />
        <label for="sp-position">${t("position")}</label><input id="sp-position" name="position" required />
        <label for="sp-phone">${t("phone")}</label><input id="sp-phone" name="phone" type="tel" required />
        <label for="sp-email">${t("email")}</label><input id="sp-email" name="email" type="email" required />
        <label for="sp-ref">${t("appointment")}</label><input id="sp-ref" name="appointmentRef" />
        <label class="check"><input type="checkbox" name="isPrimary" checked /> ${t("primary")}</label>
        <label for="sp-password">${t("password")}</label><input id="sp-password" name="password" type="password" autocomplete="new-password" aria-describedby="sp-pw-hint" />
        <small id="sp-pw-hint" class="muted">${t("invite_note")}</small>
        <p><button type="submit">${t("register_spokesperson")}</button></p>
      </form>
      <form id="new-unit" class="card" onSubmit=${submit((f) => request(op.CREATE_UNIT, { input: { code: f.code.value, name: f.name.value, level: f.level.value, parentId: f.parent.value || null } }))}>
        <h3>${t("new_unit")}</h3>
        <label for="unit-code">${t("code")}</label><input id="unit-code" name="code" required />
        <label for="unit-name">${t("unit")}</label><input id="unit-name" name="name" required />
        <label for="unit-level">${t("level")}</label><${EnumSelect} id="unit-level" name="level" enumName="UnitLevel" value="DEPARTMENT" onChange=${() => {}} />
        <label for="unit-parent">${t("parent")}</label><select id="unit-parent" name="parent"><option value="">—</option>
          ${units.map((/** @type {any} */ u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
        <p><button type="submit">${t("new_unit")}</button></p>
      </form></div>`}
  </section>`;
}

const SOON = 30 * 86400e3;

function Outlets({ outlets, admin, reload }) {
  const { error, submit } = useSubmit(reload);
  const [invite, setInvite] = useState(/** @type {any} */ (null));
  const [until, setUntil] = useState(/** @type {Record<string, string>} */ ({}));
  const now = Date.now();
  const expiry = (/** @type {any} */ o) => {
    if (!o.accreditedUntil || o.accreditation !== "ACCREDITED") return "";
    const left = new Date(o.accreditedUntil).getTime() - now;
    return left < 0 ? "expired" : left < SOON ? "expiring" : "";
  };
  const setStatus = async (/** @type {any} */ o, /** @type {string} */ s, /** @type {any} */ select = null) => {
    const end = fromLocalInput(until[o.id] ?? toLocalInput(o.accreditedUntil));
    const stops = s !== "ACCREDITED";
    const yes = await confirmAct({
      title: t(stops ? "confirm_accreditation_stop_h" : "confirm_accreditation_h", { outlet: o.name, status: label("AccreditationStatus", s) }),
      lines: [stops ? t("confirm_accreditation_stop", { n: o.journalists.length }) : end ? t("accredited_until_line", { at: fmt.long(end) }) : t("accredited_open")],
      action: label("AccreditationStatus", s),
      danger: stops,
    });
    if (select) select.value = "";
    if (!yes) return;
    try {
      await request(op.SET_ACCREDITATION, { outletId: o.id, status: s, until: end });
      notify(t("accreditation_set", { outlet: o.name, status: label("AccreditationStatus", s) }));
      reload();
    } catch (e) { fail(e); }
  };
  return html`<section aria-labelledby="outlets-h"><h2 id="outlets-h">${t("outlets")}</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="outlets" class="stack">
      <thead><tr><th scope="col">${t("outlet")}</th><th scope="col">${t("kind")}</th><th scope="col">${t("accreditation")}</th>
        <th scope="col">${t("accredited_until")}</th><th scope="col">${t("journalists")}</th></tr></thead>
      <tbody>${[...outlets].sort((a, b) => Number(Boolean(expiry(b))) - Number(Boolean(expiry(a)))).map((/** @type {any} */ o) => html`<tr data-outlet-id=${o.id} class=${expiry(o) ? "attention" : ""}>
        <td data-label=${t("outlet")}><strong>${o.name}</strong><br /><small class="muted">${o.licenceNumber} · ${o.email}</small></td>
        <td data-label=${t("kind")}>${label("OutletKind", o.kind)}, ${label("OutletScope", o.scope)}</td>
        <td data-label=${t("accreditation")}><${Badge} enumName="AccreditationStatus" value=${o.accreditation} />
          ${admin && html`<div class="inline"><label class="sr-only" for=${`acc-${o.id}`}>${t("set_status")}</label>
            <select id=${`acc-${o.id}`} onChange=${(/** @type {any} */ e) => e.currentTarget.value && setStatus(o, e.currentTarget.value, e.currentTarget)}>
              <option value="">${t("set_status")}…</option>${values("AccreditationStatus").filter((s) => s !== o.accreditation).map((s) => html`<option value=${s}>${label("AccreditationStatus", s)}</option>`)}
            </select></div>`}</td>
        <td data-label=${t("accredited_until")}>${fmt.date(o.accreditedUntil)}${expiry(o) && html` <span class="badge s-failed">${t(expiry(o))}</span>`}
          ${admin && html`<${DateTimeField} id=${`until-${o.id}`} label=${t("accredited_until")} value=${until[o.id] ?? toLocalInput(o.accreditedUntil)}
            onChange=${(/** @type {string} */ v) => setUntil({ ...until, [o.id]: v })} />
            ${o.accreditation === "ACCREDITED" && html`<button type="button" class="secondary small renew" onClick=${() => setStatus(o, "ACCREDITED")}>${t("renew")}</button>`}`}</td>
        <td data-label=${t("journalists")}>${o.journalists.map((/** @type {any} */ j) => html`<div>${j.fullName} <small class="muted">${j.email}${j.pressCardNumber ? ` · ${j.pressCardNumber}` : ""}</small></div>`)}</td>
      </tr>`)}</tbody></table></div>
    ${admin && html`<p class="error" role="alert">${error}</p><${InviteLink} invite=${invite} /><div class="row">
      <form id="new-outlet" class="card" onSubmit=${submit((f) => request(op.REGISTER_OUTLET, { input: { name: f.name.value, kind: f.kind.value, scope: f.scope.value, licenceNumber: f.licence.value, email: f.email.value } }))}>
        <h3>${t("register_outlet")}</h3>
        <label for="o-name">${t("outlet")}</label><input id="o-name" name="name" required />
        <label for="o-kind">${t("kind")}</label><${EnumSelect} id="o-kind" name="kind" enumName="OutletKind" value="ONLINE" onChange=${() => {}} />
        <label for="o-scope">${t("scopes")}</label><${EnumSelect} id="o-scope" name="scope" enumName="OutletScope" value="LOCAL" onChange=${() => {}} />
        <label for="o-licence">${t("licence")}</label><input id="o-licence" name="licence" required />
        <label for="o-email">${t("email")}</label><input id="o-email" name="email" type="email" required />
        <p><button type="submit">${t("register_outlet")}</button></p>
      </form>
      <form id="new-journalist" class="card" onSubmit=${submit(async (f) => {
        const [email, password] = [f.email.value, f.password.value];
        await request(op.REGISTER_JOURNALIST, { input: { outletId: f.outlet.value, fullName: f.fullName.value, email, pressCardNumber: f.card.value || null, password: password || null } });
        setInvite(await unsentInvitation(email.trim().toLowerCase(), password));
      })}>
        <h3>${t("register_journalist")}</h3>
        <label for="j-outlet">${t("outlet")}</label><select id="j-outlet" name="outlet" required>${outlets.map((/** @type {any} */ o) => html`<option value=${o.id}>${o.name}</option>`)}</select>
        <label for="j-name">${t("name")}</label><input id="j-name" name="fullName" required />
        <label for="j-email">${t("email")}</label><input id="j-email" name="email" type="email" required />
        <label for="j-card">${t("press_card")}</label><input id="j-card" name="card" />
        <label for="j-password">${t("password")}</label><input id="j-password" name="password" type="password" autocomplete="new-password" aria-describedby="j-pw-hint" />
        <small id="j-pw-hint" class="muted">${t("invite_note")}</small>
        <p><button type="submit">${t("register_journalist")}</button></p>
      </form></div>`}
  </section>`;
}

const AUDIT_PAGE = 50;

/** An action in words, in the reader's language. */
function actionWords(/** @type {string} */ action) {
  const i = lang.value === "en" ? 1 : 0;
  const known = /** @type {Record<string, string[]>} */ (ACTIONS)[action];
  if (known) return known[i];
  const family = /** @type {Record<string, string[]>} */ (FAMILIES)[action.split(".")[0]];
  return family ? family[i] : action;
}

/** Detail values that are codes of the API, by key: shown as their words. */
const DETAIL_ENUMS = { kind: "ReleaseKind", status: "AccreditationStatus", level: "UnitLevel", channel: "Channel", mode: "EmailMode" };

/** An event's details (canonical JSON) as "what: value" lines; unit ids by their names. */
function detailLines(/** @type {string|null} */ details, /** @type {Record<string, string>} */ unitNames = {}) {
  if (!details) return [];
  let d;
  try { d = JSON.parse(details); } catch { return [details]; }
  if (!d || typeof d !== "object") return [];
  const i = lang.value === "en" ? 1 : 0;
  // "by" says which kind of actor acted (the actor is named above): not a change.
  return Object.entries(d).filter(([k, v]) => v != null && v !== "" && k !== "by").map(([k, v]) => {
    const name = /** @type {Record<string, string[]>} */ (DETAIL_KEYS)[k];
    const en = /** @type {Record<string, string>} */ (DETAIL_ENUMS)[k];
    const value = typeof v === "string" && /^\d{4}-\d{2}-\d{2}T/.test(v) ? fmt.dateTime(v)
      : typeof v === "string" && unitNames[v] ? unitNames[v]
        : typeof v === "string" && en ? label(/** @type {any} */ (en), v)
          : typeof v === "boolean" ? t(v ? "yes" : "no")
            : typeof v === "object" ? JSON.stringify(v) : String(v);
    return `${name ? name[i] : k}: ${value}`;
  });
}

/** The audit log as a record: newest first, filtered by the server (person, kind of action,
 * unit, period) over the whole log; each event in words, with what changed and who did it. */
export function Audit() {
  /** Cursors of the pages seen: `after` of each (null for the newest). */
  const [after, setAfter] = useState(/** @type {(string|null)[]} */ ([null]));
  const [filter, setFilter] = useState({ actorId: /** @type {string|null} */ (null), actorName: "", action: "", unitId: "", from: "", to: "" });
  const [result, setResult] = useState(/** @type {any} */ (null));
  const [checkpoint, setCheckpoint] = useState(/** @type {any} */ (null));
  const units = useAsync(() => request(op.AUDIT_ACTORS).then((d) => d.units), []);
  const cursor = after[after.length - 1];
  const vars = {
    first: AUDIT_PAGE, after: cursor, actorId: filter.actorId, action: filter.action || null, unitId: filter.unitId || null,
    from: filter.from ? fromLocalInput(filter.from) : null, to: filter.to ? fromLocalInput(filter.to) : null,
  };
  const state = useAsync(() => request(op.AUDIT_EVENTS, vars).then((d) => d.auditEvents), [JSON.stringify(vars)]);
  const events = state.data || [];
  const change = (/** @type {Partial<typeof filter>} */ patch) => { setAfter([null]); setFilter({ ...filter, ...patch }); };
  const verify = async () => {
    try { setResult((await request(op.VERIFY)).verifyAuditLog); } catch (e) { fail(e); }
  };
  const take = async () => {
    try { setCheckpoint((await request(op.CHECKPOINT)).auditCheckpoint); } catch (e) { fail(e); }
  };
  const against = async () => {
    try { setResult((await request(op.VERIFY_AGAINST, { checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash } })).verifyAuditLogAgainst); } catch (e) { fail(e); }
  };
  const i = lang.value === "en" ? 1 : 0;
  /** @type {Record<string, string>} */
  const unitNames = Object.fromEntries((units.data || []).map((/** @type {any} */ u) => [u.id, u.name]));
  const who = (/** @type {any} */ a) => (a ? `${a.name || a.email} (${label("Role", a.role)})` : t("system"));
  return html`<h1>${t("audit")}</h1>
    <div class="filters">
      <button type="button" id="verify" onClick=${verify}>${t("verify")}</button>
      <button type="button" class="secondary" id="checkpoint" onClick=${take}>${t("checkpoint")}</button>
      ${checkpoint && html`<button type="button" class="secondary" id="verify-against" onClick=${against}>${t("check_against")} #${checkpoint.seq}</button>`}
    </div>
    <p id="verify-result" role="status" class=${result ? (result.ok ? "ok" : "error") : ""}>${result && (result.ok ? t("intact", { n: fmt.number(result.eventsChecked) }) : t("tampered", { seq: result.firstBadSeq }))}</p>
    ${checkpoint && html`<details id="checkpoint-detail"><summary>#${checkpoint.seq} · ${fmt.dateTime(checkpoint.at)}</summary>
      <dl class="facts mono"><dt>hash</dt><dd>${checkpoint.hash}</dd><dt>signature</dt><dd>${checkpoint.signature}</dd><dt>public key</dt><dd>${checkpoint.publicKey}</dd></dl></details>`}
    <form class="filters" id="audit-filters" onSubmit=${(/** @type {any} */ e) => e.preventDefault()}>
      <div class="field"><label for="audit-action">${t("action")}</label>
        <select id="audit-action" onChange=${(/** @type {any} */ e) => change({ action: e.currentTarget.value })}>
          <option value="">${t("all")}</option>
          ${Object.entries(FAMILIES).map(([k, v]) => html`<option value=${k} selected=${filter.action === k}>${v[i]}</option>`)}
        </select></div>
      <div class="field"><label for="audit-unit">${t("unit")}</label>
        <select id="audit-unit" onChange=${(/** @type {any} */ e) => change({ unitId: e.currentTarget.value })}>
          <option value="">${t("all")}</option>
          ${(units.data || []).map((/** @type {any} */ u) => html`<option value=${u.id} selected=${filter.unitId === u.id}>${u.name}</option>`)}
        </select></div>
      <${DateTimeField} id="audit-from" label=${t("from")} value=${filter.from} onChange=${(/** @type {string} */ v, /** @type {boolean} */ ok) => ok && change({ from: v })} />
      <${DateTimeField} id="audit-to" label=${t("to")} value=${filter.to} onChange=${(/** @type {string} */ v, /** @type {boolean} */ ok) => ok && change({ to: v })} />
      ${filter.actorId && html`<p class="notice" id="audit-actor">${t("actor")}: ${filter.actorName}
        <button type="button" class="link small" onClick=${() => change({ actorId: null, actorName: "" })}>${t("clear_filter")}</button></p>`}
    </form>
    <${Pending} state=${state} />
    ${state.data && events.length === 0 && html`<p class="muted">${t("empty")}</p>`}
    <ol class="record" id="audit-log">${events.map((/** @type {any} */ e) => html`<li class="card" data-seq=${e.seq}>
      <p class="meta"><span class="mono">#${e.seq}</span> · <time datetime=${e.at}>${fmt.dateTime(e.at)}</time> ·
        ${e.actor ? html`<button type="button" class="link small who" onClick=${() => change({ actorId: e.actor.id, actorName: who(e.actor) })}>${who(e.actor)}</button>` : t("system")}</p>
      <p><strong>${actionWords(e.action)}</strong> <small class="muted mono">${e.action}</small></p>
      ${detailLines(e.details, unitNames).length > 0 && html`<ul class="details">${detailLines(e.details, unitNames).map((l) => html`<li>${l}</li>`)}</ul>`}
    </li>`)}</ol>
    <p class="pager">
      <button type="button" class="secondary" disabled=${after.length < 2} onClick=${() => setAfter(after.slice(0, -1))}>${t("newer_page")}</button>
      <button type="button" class="secondary" id="audit-older" disabled=${events.length < AUDIT_PAGE} onClick=${() => setAfter([...after, String(events[events.length - 1].seq)])}>${t("older_page")}</button>
    </p>`;
}

export function Suppressions({ me }) {
  const state = useAsync(() => request(op.SUPPRESSIONS).then((d) => d.emailSuppressions), []);
  const lift = async (/** @type {string} */ address) => {
    try { await request(op.UNSUPPRESS, { address }); notify(t("saved")); state.reload(); } catch (e) { fail(e); }
  };
  return html`<h1>${t("suppressions")}</h1>
    <${Pending} state=${state} />
    ${state.data && (state.data.length === 0 ? html`<p class="muted">${t("no_suppressions")}</p>` : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="suppressions">
      <thead><tr><th scope="col">${t("address")}</th><th scope="col">${t("reason")}</th><th scope="col">${t("at")}</th><th scope="col"><span class="sr-only">${t("unsuppress")}</span></th></tr></thead>
      <tbody>${state.data.map((/** @type {any} */ s) => html`<tr><td>${s.address}</td><td>${s.reason}</td><td>${fmt.dateTime(s.createdAt)}</td>
        <td>${me.role === "ADMIN" && html`<button type="button" class="secondary small" onClick=${() => lift(s.address)}>${t("unsuppress")}</button>`}</td></tr>`)}</tbody></table></div>`)}`;
}
