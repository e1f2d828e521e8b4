// What the press made of releases (issue 20): the authority's monitoring page (alerts, outlets'
// feeds, new articles with search, suggested press reports, raising them, open and overdue
// ones), the unit's press-report inbox, a release's spread (outlets addressed and carrying it,
// each pickup's lag, as a chart beside the delivery timeline) and the journalist's "I published
// this".
import { html, useState } from "../lib.js";
import { t, label, fmt } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, Badge, EnumSelect, SpreadChart, notify, fail } from "../ui.js";

function ArticleLine({ a }) {
  return html`<p class="article"><a href=${a.url} rel="noopener noreferrer nofollow" target="_blank">${a.title}</a>
    <span class="meta"> · ${a.outlet.name} · <time datetime=${a.publishedAt || a.fetchedAt}>${fmt.dateTime(a.publishedAt || a.fetchedAt)}</time></span>
    ${a.summary && html`<br /><small class="muted">${a.summary}</small>`}</p>`;
}

/** ADMIN and AUDITOR: alerts, feeds, articles (of one unit when `arg` names it), press reports. */
export function Monitoring({ me, arg }) {
  const admin = me.role === "ADMIN";
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [unitId, setUnitId] = useState(arg || "");
  const units = useAsync(() => request(op.UNITS), []);
  const articles = useAsync(() => request(op.ARTICLES, { search: query || null, unitId: unitId || null, first: 50 }), [query, unitId]);
  const reports = useAsync(() => request(op.PRESS_REPORTS, {}), []);
  const alerts = useAsync(() => request(op.MENTION_ALERTS), []);
  const suggestions = useAsync(() => request(op.PRESS_REPORT_SUGGESTIONS), []);
  const poll = async () => {
    try {
      const d = await request(op.POLL_FEEDS);
      notify(t("polled", { n: d.pollOutletFeeds }));
      articles.reload();
    } catch (e) { fail(e); }
  };
  const unitList = (units.data && units.data.units) || [];
  const open = ((reports.data && reports.data.pressReports) || []).filter((r) => r.status === "OPEN");
  const alertList = (alerts.data && alerts.data.mentionAlerts) || [];
  const suggested = (suggestions.data && suggestions.data.pressReportSuggestions) || [];
  const showUnit = (/** @type {string} */ id) => {
    setUnitId(id);
    const el = document.getElementById("articles-h");
    if (el) el.scrollIntoView();
  };
  return html`<h1>${t("monitoring")}</h1>
    <section class="card" aria-labelledby="alerts-h"><h2 id="alerts-h">${t("alerts")}</h2>
      <${Pending} state=${alerts} />
      ${alerts.data && alertList.length === 0 && html`<p class="muted">${t("empty")}</p>`}
      <ul class="plain" id="mention-alerts">${alertList.map((a) => html`<li class="late" key=${a.id}>
        ${t("alert_line", { unit: a.unit.name, n: a.mentions, day: a.day, mean: a.dailyMean.toFixed(1) })}
        <button type="button" class="secondary" onClick=${() => showUnit(a.unit.id)}>${t("show_articles")}</button></li>`)}</ul>
    </section>
    <section class="card" aria-labelledby="reports-h"><h2 id="reports-h">${t("press_reports_open")}</h2>
      <${Pending} state=${reports} />
      ${reports.data && open.length === 0 && html`<p class="muted">${t("empty")}</p>`}
      <ul class="plain" id="open-reports">${open.map((r) => html`<li class=${r.overdue ? "late" : ""}>
        <strong>${r.unit.name}</strong>: <a href=${r.article.url} rel="noopener noreferrer nofollow" target="_blank">${r.article.title}</a>
        · ${t("due")} <time datetime=${r.dueAt}>${fmt.dateTime(r.dueAt)}</time>
        ${r.overdue && html` <span class="badge s-failed">${t("overdue")}</span>`}</li>`)}</ul>
    </section>
    ${suggested.length > 0 && html`<section aria-labelledby="suggest-h"><h2 id="suggest-h">${t("suggestions")}</h2>
      <div id="suggestions">${suggested.map((g) => html`<div class="card" key=${`${g.article.id}/${g.unit.id}`} data-article-id=${g.article.id}>
        <p class="meta">${t("suggested_for", { unit: g.unit.name })}</p>
        <${ArticleLine} a=${g.article} />
        ${admin && html`<${Raise} a=${g.article} units=${unitList} unit=${g.unit.id} done=${() => { reports.reload(); suggestions.reload(); }} />`}</div>`)}</div>
    </section>`}
    <section aria-labelledby="articles-h"><h2 id="articles-h">${t("articles")}</h2>
      <form class="inline" role="search" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); setQuery(search.trim()); }}>
        <label for="article-unit">${t("unit")}</label>
        <select id="article-unit" value=${unitId} onChange=${(/** @type {any} */ e) => setUnitId(e.currentTarget.value)}>
          <option value="">${t("all_units")}</option>${unitList.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
        </select>
        <label for="article-search">${t("search")}</label>
        <input id="article-search" type="search" maxlength="200" value=${search} onInput=${(/** @type {any} */ e) => setSearch(e.currentTarget.value)} />
        <button type="submit">${t("search")}</button>
        ${admin && html`<button type="button" class="secondary" id="poll-feeds" onClick=${poll}>${t("poll_now")}</button>`}
      </form>
      <${Pending} state=${articles} />
      ${articles.data && articles.data.articles.length === 0 && html`<p class="muted">${t("empty")}</p>`}
      <div id="articles">${articles.data && articles.data.articles.map((a) => html`<div class="card" key=${a.id} data-article-id=${a.id}>
        <${ArticleLine} a=${a} />
        ${admin && html`<${Raise} a=${a} units=${unitList} done=${reports.reload} />`}</div>`)}</div>
    </section>
    ${admin && html`<${Feeds} />`}`;
}

function Raise({ a, units, done, unit: preset = "" }) {
  const [unit, setUnit] = useState(preset);
  const [note, setNote] = useState("");
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    try {
      await request(op.RAISE_PRESS_REPORT, { articleId: a.id, unitId: unit, note: note || null });
      notify(t("raised_ok"));
      setNote("");
      done();
    } catch (err) { fail(err); }
  };
  return html`<form class="inline raise" onSubmit=${submit}>
    <label for=${`raise-unit-${a.id}`}>${t("raise_for")}</label>
    <select id=${`raise-unit-${a.id}`} required value=${unit} onChange=${(/** @type {any} */ e) => setUnit(e.currentTarget.value)}>
      <option value="">—</option>${units.map((u) => html`<option value=${u.id}>${u.name}</option>`)}
    </select>
    <label for=${`raise-note-${a.id}`}>${t("note")}</label>
    <input id=${`raise-note-${a.id}`} maxlength="5000" value=${note} onInput=${(/** @type {any} */ e) => setNote(e.currentTarget.value)} />
    <button type="submit" class="secondary">${t("raise")}</button>
  </form>`;
}

/** ADMIN: each outlet's own feeds, one URL per line. */
function Feeds() {
  const state = useAsync(() => request(op.OUTLET_FEEDS), []);
  return html`<section aria-labelledby="feeds-h"><h2 id="feeds-h">${t("outlet_feeds")}</h2>
    <${Pending} state=${state} />
    ${state.data && state.data.outlets.map((o) => html`<${FeedForm} key=${o.id} o=${o} />`)}</section>`;
}

function FeedForm({ o }) {
  const [text, setText] = useState(o.feedUrls.join("\n"));
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    const urls = text.split("\n").map((s) => s.trim()).filter(Boolean);
    try { await request(op.SET_OUTLET_FEEDS, { outletId: o.id, urls }); notify(t("saved")); } catch (err) { fail(err); }
  };
  return html`<form class="feeds" data-outlet-id=${o.id} onSubmit=${submit}>
    <label for=${`feeds-${o.id}`}>${o.name}</label>
    <textarea id=${`feeds-${o.id}`} rows="2" placeholder="https://…/rss" value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}></textarea>
    <button type="submit" class="secondary">${t("save")}</button>
  </form>`;
}

/** The unit's spokesperson: press reports to respond to. */
export function PressReports({ me }) {
  const [status, setStatus] = useState(/** @type {string|null} */ ("OPEN"));
  const state = useAsync(() => request(op.PRESS_REPORTS, { unitId: me.unit.id, status }), [status]);
  const releases = useAsync(() => request(op.UNIT_STATEMENTS, { unitId: me.unit.id }), []);
  const linkable = ((releases.data && releases.data.releases.edges) || []).map((/** @type {any} */ e) => e.node)
    .filter((r) => (r.kind === "STATEMENT" || r.kind === "CORRECTION") && (r.status === "PUBLISHED" || r.status === "RETRACTED"));
  const items = state.data ? [...state.data.pressReports].sort((a, b) => a.dueAt.localeCompare(b.dueAt)) : [];
  return html`<h1>${t("press_reports")}</h1>
    <div class="filters"><div class="field"><label for="f-prstatus">${t("status")}</label>
      <${EnumSelect} id="f-prstatus" enumName="PressReportStatus" any value=${status} onChange=${setStatus} /></div></div>
    <${Pending} state=${state} />
    ${state.data && items.length === 0 && html`<p class="muted">${t("empty")}</p>`}
    <div id="press-reports">${items.map((r) => html`<${ReportCard} key=${r.id} r=${r} linkable=${linkable} done=${state.reload} />`)}</div>`;
}

function ReportCard({ r, linkable, done }) {
  const [text, setText] = useState("");
  const [release, setRelease] = useState("");
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    try {
      await request(op.RESPOND_PRESS_REPORT, { id: r.id, response: text, releaseId: release || null });
      notify(t("responded_ok"));
      done();
    } catch (err) { fail(err); }
  };
  return html`<article class=${`card${r.overdue ? " late" : ""}`} data-press-report-id=${r.id}>
    <${ArticleLine} a=${r.article} />
    <p class="meta"><${Badge} enumName="PressReportStatus" value=${r.status} /> · ${t("raised")} ${fmt.dateTime(r.raisedAt)} ·
      ${t("due")} <time datetime=${r.dueAt}>${fmt.dateTime(r.dueAt)}</time>${r.overdue && html` <span class="badge s-failed">${t("overdue")}</span>`}</p>
    ${r.note && html`<p><strong>${t("note")}:</strong> ${r.note}</p>`}
    ${r.response && html`<p><strong>${t("response")}:</strong> ${r.response}</p>`}
    ${r.responseRelease && html`<p><a href=${`#/releases/${r.responseRelease.id}`}>${r.responseRelease.title}</a></p>`}
    ${r.status === "OPEN" && html`<form class="respond" onSubmit=${submit}>
      <label for=${`resp-${r.id}`}>${t("response")}</label>
      <textarea id=${`resp-${r.id}`} required maxlength="20000" value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}></textarea>
      <label for=${`resp-rel-${r.id}`}>${t("response_release")}</label>
      <select id=${`resp-rel-${r.id}`} value=${release} onChange=${(/** @type {any} */ e) => setRelease(e.currentTarget.value)}>
        <option value="">—</option>${linkable.map((x) => html`<option value=${x.id}>${label("ReleaseKind", x.kind)}: ${x.title}</option>`)}
      </select>
      <p><button type="submit">${t("respond")}</button></p>
    </form>`}
  </article>`;
}

/** A release's spread, for its unit and the authority. */
export function Spread({ r }) {
  const state = useAsync(() => request(op.SPREAD, { id: r.id }), [r.id]);
  const s = state.data && state.data.release && state.data.release.spread;
  if (!s) return html`<${Pending} state=${state} />`;
  return html`<section class="card" id="spread" aria-labelledby="spread-h"><h2 id="spread-h">${t("spread")}</h2>
    <p id="spread-summary">${t("spread_summary", { carried: s.carriedBy, addressed: s.addressed })}
      ${s.firstPickupMinutes != null && html` · ${t("first_pickup", { m: fmt.number(s.firstPickupMinutes, 1) })}`}</p>
    ${s.pickups.length > 0 && html`<${SpreadChart} id="spread-chart" title=${t("spread_chart")} xLabel=${t("minutes_after")} yLabel=${t("pickups")}
      total=${Math.max(s.addressed, s.pickups.length)} series=${[{ name: t("pickups"), times: s.pickups.map((p) => p.lagMinutes || 0) }]} />`}
    <ul class="plain" id="pickups">${s.pickups.map((p) => html`<li data-matched-by=${p.matchedBy}>
      <a href=${p.article.url} rel="noopener noreferrer nofollow" target="_blank">${p.article.title}</a> · ${p.article.outlet.name}
      · ${t(`matched_${p.matchedBy}`)}${p.lagMinutes != null ? ` · ${t("lag", { m: fmt.number(p.lagMinutes, 1) })}` : ""}</li>`)}</ul>
  </section>`;
}

/** A journalist of an outlet the release reached: "I published this". */
export function DeclarePickup({ r }) {
  const [url, setUrl] = useState("");
  const [done, setDone] = useState(false);
  if (done) return html`<p class="ok" id="declared">${t("declared_ok")}</p>`;
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    try { await request(op.DECLARE_PICKUP, { releaseId: r.id, url }); setDone(true); } catch (err) { fail(err); }
  };
  return html`<form class="inline" id="declare-pickup" onSubmit=${submit}>
    <label for="pickup-url">${t("i_published")}</label>
    <input id="pickup-url" type="url" required placeholder="https://…" value=${url} onInput=${(/** @type {any} */ e) => setUrl(e.currentTarget.value)} />
    <button type="submit" class="secondary">${t("declare")}</button>
  </form>`;
}
