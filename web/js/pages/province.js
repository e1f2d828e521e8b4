// The province of 2026 (ADMIN; AUDITOR reads): reorganizations of units with a preview of what
// moves, merged outlets, rule sets that change on a date, press cards about to expire; and a
// unit's annual communication plan (its spokesperson writes it).
import { html, useState, useEffect } from "../lib.js";
import { t, label, fmt, fromLocalInput, toLocalInput, todayInVietnam } from "../i18n.js";
import { confirmAct } from "../confirm.js";
import { DateField, DateTimeField } from "../datetime.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, EnumSelect, notify, fail } from "../ui.js";

const LEVELS = ["PROVINCE", "DEPARTMENT", "BRANCH", "COMMUNE"];
/** The first instant of a Vietnamese calendar day (YYYY-MM-DD). */
const dayStart = (/** @type {string} */ d) => `${d}T00:00:00+07:00`;
const checked = (/** @type {any} */ form, /** @type {string} */ name) =>
  [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((/** @type {any} */ i) => i.value);

export function Province({ me }) {
  const admin = me.role === "ADMIN";
  const state = useAsync(() => Promise.all([
    request(op.ALL_UNITS), request(op.REORGANIZATIONS), request(op.RULE_SETS),
    request(op.PRESS_CARDS_EXPIRING, { withinDays: 30 }), request(op.PROVINCE_OUTLETS),
  ]), []);
  const d = state.data;
  if (!d) return html`<h1>${t("province")}</h1><${Pending} state=${state} />`;
  return html`<h1>${t("province")}</h1>
    <${Reorganizations} units=${d[0].units} list=${d[1].reorganizations} admin=${admin} reload=${state.reload} />
    <${RuleSets} sets=${d[2].ruleSets} admin=${admin} reload=${state.reload} />
    <${ExpiringCards} people=${d[3].pressCardsExpiring} admin=${admin} reload=${state.reload} />
    <${OutletMerger} outlets=${d[4].outlets} admin=${admin} reload=${state.reload} />`;
}

const unitNames = (/** @type {any[]} */ list) => list.map((u) => u.name).join(", ");

function Reorganizations({ units, list, admin, reload }) {
  const active = units.filter((/** @type {any} */ u) => u.active);
  const [from, setFrom] = useState(/** @type {string[]} */ ([]));
  const [preview, setPreview] = useState(/** @type {any} */ (null));
  const [day, setDay] = useState(todayInVietnam());
  const [error, setError] = useState("");
  // Held in state: the form re-renders as units are ticked, which would reset a select to its default.
  const [kind, setKind] = useState("MERGE");
  const [level, setLevel] = useState("DEPARTMENT");
  useEffect(() => {
    let live = true;
    if (!from.length) { setPreview(null); return undefined; }
    Promise.all(from.map((id) => request(op.OPEN_ITEMS, { unitId: id }))).then((rows) => {
      if (!live) return;
      const people = units.filter((/** @type {any} */ u) => from.includes(u.id)).flatMap((/** @type {any} */ u) => u.spokespersons);
      setPreview({
        spokespersons: people.map((/** @type {any} */ p) => p.fullName),
        questions: rows.reduce((n, r) => n + r.inquiries.length, 0),
        reports: rows.reduce((n, r) => n + r.pressReports.length, 0),
      });
    }, fail);
    return () => { live = false; };
  }, [from.join(",")]);
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const newUnit = f.newCode.value.trim() ? [{ code: f.newCode.value, name: f.newName.value, level }] : [];
    const input = { kind, effectiveAt: dayStart(day), decisionRef: f.decisionRef.value,
      fromUnitIds: from, intoUnitIds: checked(f, "into"), newUnits: newUnit };
    const names = unitNames(active.filter((/** @type {any} */ u) => from.includes(u.id)));
    const yes = await confirmAct({ title: t("reorganize"), lines: [`${label("ReorganizationKind", input.kind)}: ${names}`,
      preview ? t("reorg_moves", { questions: preview.questions, reports: preview.reports, people: preview.spokespersons.length }) : ""],
    action: t("reorganize"), danger: true });
    if (!yes) return;
    try {
      await request(op.REORGANIZE_UNITS, { input });
      setError(""); setFrom([]); f.reset();
      notify(t("saved"));
      reload();
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  return html`<section aria-labelledby="reorg-h"><h2 id="reorg-h">${t("reorganizations")}</h2>
    ${list.length ? html`<ul id="reorganizations" class="plain">${list.map((/** @type {any} */ r) => html`<li data-reorg-id=${r.id}>
        <strong>${label("ReorganizationKind", r.kind)}</strong> · ${fmt.date(r.effectiveAt)} · ${r.decisionRef}<br />
        ${r.kind === "RENAME" ? `${r.previousName} → ${unitNames(r.into)}` : `${unitNames(r.from)} → ${unitNames(r.into) || "—"}`}</li>`)}</ul>`
      : html`<p class="muted">${t("empty")}</p>`}
    <h3>${t("lineage")}</h3>
    <ul id="ended-units" class="plain">${units.filter((/** @type {any} */ u) => !u.active).map((/** @type {any} */ u) => html`<li>
      <a href=${`#/units/${u.id}`}>${u.name}</a> <small class="muted">(${t("ended_on")} ${fmt.date(u.endedAt)})</small>
      ${u.successors.length > 0 && html` → ${unitNames(u.successors)}`}</li>`)}</ul>
    ${admin && html`<form id="reorganize" class="card" onSubmit=${submit}>
      <h3>${t("reorganize")}</h3>
      <label for="reorg-kind">${t("kind")}</label><${EnumSelect} id="reorg-kind" name="kind" enumName="ReorganizationKind" value=${kind} onChange=${(/** @type {string} */ v) => setKind(v || "MERGE")} />
      <fieldset><legend>${t("reorg_from")}</legend>${active.map((/** @type {any} */ u) => html`<label class="check">
        <input type="checkbox" name="from" value=${u.id} checked=${from.includes(u.id)}
          onChange=${(/** @type {any} */ e) => setFrom(e.currentTarget.checked ? [...from, u.id] : from.filter((x) => x !== u.id))} /> ${u.name}</label>`)}</fieldset>
      <fieldset><legend>${t("reorg_into")}</legend>${active.filter((/** @type {any} */ u) => !from.includes(u.id)).map((/** @type {any} */ u) => html`<label class="check">
        <input type="checkbox" name="into" value=${u.id} /> ${u.name}</label>`)}</fieldset>
      <fieldset><legend>${t("reorg_new_unit")}</legend>
        <label for="reorg-code">${t("code")}</label><input id="reorg-code" name="newCode" />
        <label for="reorg-name">${t("unit")}</label><input id="reorg-name" name="newName" />
        <label for="reorg-level">${t("level")}</label><${EnumSelect} id="reorg-level" name="newLevel" enumName="UnitLevel" value=${level} onChange=${(/** @type {string} */ v) => setLevel(v || "DEPARTMENT")} />
      </fieldset>
      <${DateField} id="reorg-day" label=${t("effective_from")} value=${day} required=${true} onChange=${(/** @type {string} */ v) => setDay(v)} />
      <label for="reorg-ref">${t("decision")}</label><input id="reorg-ref" name="decisionRef" required />
      ${preview && html`<p id="reorg-preview" class="notice" role="status">${t("reorg_moves", { questions: preview.questions, reports: preview.reports, people: preview.spokespersons.length })}
        ${preview.spokespersons.length > 0 && html`<br /><small>${preview.spokespersons.join(", ")}</small>`}</p>`}
      <p class="error" role="alert">${error}</p>
      <p><button type="submit" disabled=${from.length === 0}>${t("reorganize")}</button></p>
    </form>`}
  </section>`;
}

const byLevel = (/** @type {any[]} */ list) => list.filter((x) => x.value).map((x) => `${label("UnitLevel", x.level)}: ${x.value}`).join("; ") || "—";

function RuleSets({ sets, admin, reload }) {
  const [error, setError] = useState("");
  // Tomorrow at midnight, Vietnam time: a rule set is never in force in the past.
  const [from, setFrom] = useState(`${toLocalInput(new Date(Date.now() + 86400e3).toISOString()).slice(0, 10)}T00:00`);
  const latest = sets[sets.length - 1];
  const valueOf = (/** @type {any[]} */ list, /** @type {string} */ level) => (list.find((x) => x.level === level) || { value: 0 }).value;
  const levelInputs = (/** @type {string} */ name, /** @type {any[]} */ list) => html`<div class="row">${LEVELS.map((l) => html`<label class="check">
    ${label("UnitLevel", l)} <input type="number" min="0" name=${`${name}-${l}`} value=${valueOf(list, l)} /></label>`)}</div>`;
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const levels = (/** @type {string} */ name) => LEVELS.map((l) => ({ level: l, value: Number(f[`${name}-${l}`].value) }));
    try {
      await request(op.ADD_RULE_SET, { input: {
        effectiveFrom: fromLocalInput(from), decisionRef: f.decisionRef.value,
        inquiryDueHours: levels("inquiry"), pressReportDueDays: Number(f.pressReportDueDays.value),
        firstStatementHours: Number(f.firstStatementHours.value), conferencesPerQuarter: levels("conferences"),
        informationPerMonth: levels("information"), spokespersonVacancyDays: Number(f.spokespersonVacancyDays.value) } });
      setError("");
      notify(t("saved"));
      reload();
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  return html`<section aria-labelledby="rules-h"><h2 id="rules-h">${t("rule_sets")}</h2>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="rule-sets" class="stack">
      <thead><tr><th scope="col">${t("effective_from")}</th><th scope="col">${t("decision")}</th><th scope="col">${t("rule_inquiry_hours")}</th>
        <th scope="col">${t("rule_report_days")}</th><th scope="col">${t("rule_first_statement")}</th><th scope="col">${t("rule_conferences")}</th>
        <th scope="col">${t("rule_information")}</th><th scope="col">${t("rule_vacancy")}</th></tr></thead>
      <tbody>${sets.map((/** @type {any} */ s) => html`<tr data-rule-set-id=${s.id}>
        <td data-label=${t("effective_from")}>${new Date(s.effectiveFrom).getTime() <= 0 ? t("from_the_start") : fmt.long(s.effectiveFrom)}</td>
        <td data-label=${t("decision")}>${s.decisionRef}</td><td data-label=${t("rule_inquiry_hours")}>${byLevel(s.inquiryDueHours)}</td>
        <td data-label=${t("rule_report_days")}>${s.pressReportDueDays}</td><td data-label=${t("rule_first_statement")}>${s.firstStatementHours}</td>
        <td data-label=${t("rule_conferences")}>${byLevel(s.conferencesPerQuarter)}</td><td data-label=${t("rule_information")}>${byLevel(s.informationPerMonth)}</td>
        <td data-label=${t("rule_vacancy")}>${s.spokespersonVacancyDays}</td></tr>`)}</tbody></table></div>
    ${admin && latest && html`<form id="add-rule-set" class="card" onSubmit=${submit}>
      <h3>${t("add_rule_set")}</h3>
      <${DateTimeField} id="rule-from" label=${t("effective_from")} value=${from} required=${true} onChange=${(/** @type {string} */ v) => setFrom(v)} />
      <label for="rule-ref">${t("decision")}</label><input id="rule-ref" name="decisionRef" required />
      <fieldset><legend>${t("rule_inquiry_hours")}</legend>${levelInputs("inquiry", latest.inquiryDueHours)}</fieldset>
      <label for="rule-report">${t("rule_report_days")}</label><input id="rule-report" name="pressReportDueDays" type="number" min="1" value=${latest.pressReportDueDays} />
      <label for="rule-first">${t("rule_first_statement")}</label><input id="rule-first" name="firstStatementHours" type="number" min="1" value=${latest.firstStatementHours} />
      <fieldset><legend>${t("rule_conferences")}</legend>${levelInputs("conferences", latest.conferencesPerQuarter)}</fieldset>
      <fieldset><legend>${t("rule_information")}</legend>${levelInputs("information", latest.informationPerMonth)}</fieldset>
      <label for="rule-vacancy">${t("rule_vacancy")}</label><input id="rule-vacancy" name="spokespersonVacancyDays" type="number" min="1" value=${latest.spokespersonVacancyDays} />
      <p class="error" role="alert">${error}</p>
      <p><button type="submit">${t("add_rule_set")}</button></p>
    </form>`}
  </section>`;
}

function ExpiringCards({ people, admin, reload }) {
  const renew = async (/** @type {any} */ j) => {
    const until = new Date(Date.now() + 5 * 365 * 86400e3).toISOString();
    const yes = await confirmAct({ title: t("renew_card"), lines: [`${j.fullName}: ${j.pressCardNumber || ""} → ${fmt.date(until)}`], action: t("renew_card") });
    if (!yes) return;
    try {
      await request(op.SET_PRESS_CARD, { journalistId: j.id, pressCardNumber: j.pressCardNumber || "", expiresAt: until });
      notify(t("saved"));
      reload();
    } catch (e) { fail(e); }
  };
  return html`<section aria-labelledby="cards-h"><h2 id="cards-h">${t("press_cards_expiring")}</h2>
    ${people.length ? html`<ul id="expiring-cards" class="plain">${people.map((/** @type {any} */ j) => html`<li class=${j.pressCardValid ? "" : "attention"}>
        <strong>${j.fullName}</strong> · ${j.outlet.name} · ${j.pressCardNumber || "—"} ·
        ${j.pressCardValid ? t("card_expires", { at: fmt.date(j.pressCardExpiresAt) }) : html`<strong class="error">${t("card_expired")}</strong>`}
        ${admin && j.pressCardNumber && html` <button type="button" class="secondary small" onClick=${() => renew(j)}>${t("renew_card")}</button>`}</li>`)}</ul>`
      : html`<p class="muted">${t("empty")}</p>`}
  </section>`;
}

function OutletMerger({ outlets, admin, reload }) {
  const [error, setError] = useState("");
  const [day, setDay] = useState(todayInVietnam());
  const [kind, setKind] = useState("PRINT");
  const [scope, setScope] = useState("LOCAL");
  const active = outlets.filter((/** @type {any} */ o) => o.active);
  const merged = outlets.filter((/** @type {any} */ o) => !o.active);
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    const f = e.currentTarget;
    const from = checked(f, "from");
    const into = { name: f.name.value, kind, scope, licenceNumber: f.licenceNumber.value, email: f.email.value };
    const yes = await confirmAct({ title: t("merge_outlets"), lines: [unitNames(active.filter((/** @type {any} */ o) => from.includes(o.id))), `→ ${into.name}`], action: t("merge_outlets"), danger: true });
    if (!yes) return;
    try {
      await request(op.MERGE_OUTLETS, { fromOutletIds: from, into, effectiveAt: dayStart(day), decisionRef: f.decisionRef.value });
      setError(""); f.reset();
      notify(t("saved"));
      reload();
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  return html`<section aria-labelledby="merge-h"><h2 id="merge-h">${t("merged_outlets")}</h2>
    ${merged.length ? html`<ul id="merged-outlets" class="plain">${merged.map((/** @type {any} */ o) => html`<li>${o.name} → ${o.successor ? o.successor.name : "—"}</li>`)}</ul>`
      : html`<p class="muted">${t("empty")}</p>`}
    ${admin && active.length > 0 && html`<form id="merge-outlets" class="card" onSubmit=${submit}>
      <h3>${t("merge_outlets")}</h3>
      <fieldset><legend>${t("reorg_from")}</legend>${active.map((/** @type {any} */ o) => html`<label class="check">
        <input type="checkbox" name="from" value=${o.id} /> ${o.name} <small class="muted">(${o.mediaTypes.map((/** @type {string} */ k) => label("OutletKind", k)).join(", ")}; ${o.journalists.length} ${t("journalists")})</small></label>`)}</fieldset>
      <label for="merge-name">${t("outlet")}</label><input id="merge-name" name="name" required />
      <label for="merge-kind">${t("kind")}</label><${EnumSelect} id="merge-kind" name="kind" enumName="OutletKind" value=${kind} onChange=${(/** @type {string} */ v) => setKind(v || "PRINT")} />
      <label for="merge-scope">${t("scope")}</label><${EnumSelect} id="merge-scope" name="scope" enumName="OutletScope" value=${scope} onChange=${(/** @type {string} */ v) => setScope(v || "LOCAL")} />
      <label for="merge-licence">${t("licence")}</label><input id="merge-licence" name="licenceNumber" required />
      <label for="merge-email">${t("email")}</label><input id="merge-email" name="email" type="email" required />
      <${DateField} id="merge-day" label=${t("effective_from")} value=${day} required=${true} onChange=${(/** @type {string} */ v) => setDay(v)} />
      <label for="merge-ref">${t("decision")}</label><input id="merge-ref" name="decisionRef" required />
      <p class="error" role="alert">${error}</p>
      <p><button type="submit">${t("merge_outlets")}</button></p>
    </form>`}
  </section>`;
}

/** The unit's annual communication plan, for its spokesperson: items, what was done, save. */
export function PlanPage({ me }) {
  const unitId = me.unit && me.unit.id;
  const [year, setYear] = useState(Number(todayInVietnam().slice(0, 4)));
  const state = useAsync(() => (unitId ? request(op.COMMUNICATION_PLAN, { unitId, year }) : Promise.resolve(null)), [unitId, year]);
  const [items, setItems] = useState(/** @type {any[]|null} */ (null));
  const [error, setError] = useState("");
  const [due, setDue] = useState("");
  const [kind, setKind] = useState("PRESS_RELEASE");
  const loaded = state.data && state.data.communicationPlan;
  useEffect(() => { if (loaded) setItems(loaded.items); }, [loaded]);
  if (!unitId) return html`<h1>${t("plan")}</h1>`;
  const list = items || [];
  const save = async (/** @type {any[]} */ next) => {
    try {
      const r = await request(op.SET_COMMUNICATION_PLAN, { unitId, year, items: next.map((i) => ({ title: i.title, kind: i.kind, dueAt: i.dueAt })) });
      setItems(r.setCommunicationPlan.items);
      setError("");
      notify(t("saved"));
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  const add = (/** @type {any} */ e) => {
    e.preventDefault();
    const f = e.currentTarget;
    if (!due) { setError(t("bad_date")); return; }
    save([...list, { title: f.title.value, kind, dueAt: dayStart(due) }]).then(() => f.reset());
  };
  const done = list.filter((i) => i.done).length;
  return html`<h1>${t("plan")} ${year}</h1>
    <p><label for="plan-year">${t("year")}</label>
      <select id="plan-year" value=${year} onChange=${(/** @type {any} */ e) => { setItems(null); setYear(Number(e.currentTarget.value)); }}>
        ${[year - 1, year, year + 1].map((y) => html`<option value=${y} selected=${y === year}>${y}</option>`)}</select></p>
    <${Pending} state=${state} />
    <p id="plan-progress" class="meta">${t("plan_progress", { done, n: list.length })}</p>
    <ul id="plan-items" class="plain">${list.map((i, k) => html`<li data-plan-item-id=${i.id || ""} class=${i.done ? "done" : new Date(i.dueAt).getTime() < Date.now() ? "attention" : ""}>
      ${i.done ? "✓ " : ""}<strong>${i.title}</strong> · ${label("PlanItemKind", i.kind)} · ${fmt.date(i.dueAt)}
      ${(i.releases || []).map((/** @type {any} */ r) => html` · <a href=${`#/releases/${r.id}`}>${r.title}</a>`)}
      ${!(i.releases || []).length && html` <button type="button" class="link small" onClick=${() => save(list.filter((_, j) => j !== k))}>${t("remove")}</button>`}</li>`)}</ul>
    <form id="plan-add" class="card" onSubmit=${add}>
      <h2>${t("plan_add")}</h2>
      <label for="plan-title">${t("title")}</label><input id="plan-title" name="title" required />
      <label for="plan-kind">${t("kind")}</label><${EnumSelect} id="plan-kind" name="kind" enumName="PlanItemKind" value=${kind} onChange=${(/** @type {string} */ v) => setKind(v || "PRESS_RELEASE")} />
      <${DateField} id="plan-due" label=${t("plan_due")} value=${due} required=${true} onChange=${(/** @type {string} */ v) => setDue(v)} />
      <p class="error" role="alert">${error}</p>
      <p><button type="submit">${t("plan_add")}</button></p>
    </form>`;
}

/** A unit's lineage on its page: ended when, and who answers for it now. */
export function Lineage({ unit }) {
  if (!unit) return null;
  return html`${!unit.active && html`<p id="unit-ended" class="notice warn">${t("unit_ended", { at: fmt.date(unit.endedAt) })}
      ${unit.successors.map((/** @type {any} */ s, /** @type {number} */ i) => html`${i ? ", " : " "}<a href=${`#/units/${s.id}`}>${s.name}</a>`)}</p>`}
    ${unit.predecessors.length > 0 && html`<p id="unit-predecessors" class="meta">${t("predecessors")}:
      ${unit.predecessors.map((/** @type {any} */ s, /** @type {number} */ i) => html`${i ? ", " : " "}<a href=${`#/units/${s.id}`}>${s.name}</a>`)}</p>`}`;
}

