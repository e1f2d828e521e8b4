// One release, for whoever may see it (the server decides; null means not visible): its text
// and conference; for journalists acknowledgement, RSVP and the .ics; for its unit and the
// authority the delivery timeline, the delivery log (filters, live updates, CSV); for its unit's
// spokesperson the actions its status allows.
import { html, useState, useEffect } from "../lib.js";
import { t, label, fmt, fromLocalInput, toLocalInput } from "../i18n.js";
import { request, download, token } from "../api/client.js";
import { subscribe } from "../api/live.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, Badge, EnumSelect, SpreadChart, notify, fail } from "../ui.js";
import { downloadIcs } from "../calendar.js";
import { Gallery, Downloads } from "../files.js";
import { Spread, DeclarePickup } from "./monitoring.js";

export function ReleasePage({ arg, me }) {
  const state = useAsync(() => request(op.RELEASE, { id: arg }).then((d) => d.release), [arg]);
  const r = state.data;
  if (state.data === null) return html`<h1>${t("not_found")}</h1>`;
  if (!r) return html`<${Pending} state=${state} />`;
  const role = me && me.role;
  const ownUnit = role === "SPOKESPERSON" && me.unit && me.unit.id === r.unit.id;
  const seesDeliveries = ownUnit || role === "ADMIN" || role === "AUDITOR";
  return html`<article class="release" data-release-id=${r.id}>
    <p class="meta"><a href=${`#/units/${r.unit.id}`}>${r.unit.name}</a> · ${label("ReleaseKind", r.kind)} ·
      <${Badge} enumName="ReleaseStatus" value=${r.status} /> · ${label("Visibility", r.visibility)} · ${t("version")} ${r.version}</p>
    <h1>${r.title}</h1>
    ${r.supersedes && html`<p class="notice">${t("correction_of")} <a href=${`#/releases/${r.supersedes.id}`}>${r.supersedes.title}</a></p>`}
    ${r.status === "RETRACTED" && html`<p class="notice warn" role="note">${t("retracted_note")}${r.retractReason ? `: ${r.retractReason}` : ""}</p>`}
    <p class="meta">${r.publishedAt ? html`${t("published_at")} <time datetime=${r.publishedAt}>${fmt.dateTime(r.publishedAt)}</time>`
      : r.publishAt ? html`${t("publish_at")}: <time datetime=${r.publishAt}>${fmt.dateTime(r.publishAt)}</time> (${t("tz_note")})` : ""}</p>
    <p class="lead">${r.summary}</p>
    <div class="body" dangerouslySetInnerHTML=${{ __html: r.bodyHtml }}></div>
    ${r.topics.length > 0 && html`<p class="meta">${t("topics")}: ${r.topics.map((x) => html`<span class="badge">${x}</span> `)}</p>`}
    ${seesDeliveries ? html`<${Downloads} releaseId=${r.id} files=${r.attachments} />` : html`<${Gallery} files=${r.attachments} />`}
    ${r.pressConference && html`<${Conference} r=${r} me=${me} ownUnit=${seesDeliveries} />`}
    ${role === "JOURNALIST" && r.status === "PUBLISHED" && html`<${Acknowledge} r=${r} />`}
    ${role === "JOURNALIST" && r.status === "PUBLISHED" && html`<${DeclarePickup} r=${r} />`}
    ${ownUnit && html`<${Actions} r=${r} reload=${state.reload} />`}
    ${seesDeliveries && r.status !== "DRAFT" && r.status !== "SCHEDULED" && html`<${Deliveries} r=${r} />`}
    ${seesDeliveries && r.publishedAt && html`<${Spread} r=${r} />`}
  </article>`;
}

function Conference({ r, me, ownUnit }) {
  const c = r.pressConference;
  const [mine, setMine] = useState(c.myRsvp);
  const [count, setCount] = useState(c.attendeeCount);
  const attendees = useAsync(() => (ownUnit ? request(op.ATTENDEES, { id: r.id }) : Promise.resolve(null)), [r.id, ownUnit, count]);
  const rsvp = async (/** @type {boolean} */ attending) => {
    try {
      const d = await request(op.RSVP, { releaseId: r.id, attending });
      setMine(d.rsvp.myRsvp);
      setCount(d.rsvp.attendeeCount);
      notify(t("saved"));
    } catch (e) { fail(e); }
  };
  const people = attendees.data && attendees.data.release && attendees.data.release.pressConference.attendees;
  return html`<section class="card conf" aria-labelledby="conf-h"><h2 id="conf-h">${t("conference")}</h2>
    <dl class="facts">
      <dt>${t("starts")}</dt><dd><time datetime=${c.startsAt}>${fmt.dateTime(c.startsAt)}</time></dd>
      ${c.endsAt && html`<dt>${t("ends")}</dt><dd>${fmt.dateTime(c.endsAt)}</dd>`}
      <dt>${t("location")}</dt><dd>${c.location}</dd>
      ${c.rsvpDeadline && html`<dt>${t("rsvp_deadline")}</dt><dd>${fmt.dateTime(c.rsvpDeadline)}</dd>`}
      <dt>${t("attendees")}</dt><dd>${t("places", { n: count })}${c.capacity != null ? ` / ${c.capacity}` : ""}</dd>
    </dl>
    <p class="actions">
      ${me && me.role === "JOURNALIST" && r.status === "PUBLISHED" && (mine
        ? html`<span class="ok">${t("attending")}</span> <button type="button" class="secondary rsvp" onClick=${() => rsvp(false)}>${t("rsvp_no")}</button>`
        : html`<button type="button" class="rsvp" onClick=${() => rsvp(true)}>${t("rsvp_yes")}</button>`)}
      <button type="button" class="secondary" id="ics" onClick=${() => downloadIcs(r)}>${t("ics")}</button>
    </p>
    ${people && html`<ul class="plain" id="attendees">${people.map((p) => html`<li>${p.fullName} (${p.outlet.name})</li>`)}</ul>`}
  </section>`;
}

function Acknowledge({ r }) {
  const state = useAsync(() => request(op.DELIVERIES, { releaseId: r.id, channel: "LIVE", first: 1 }), [r.id]);
  const [done, setDone] = useState(false);
  const node = state.data && state.data.deliveries.edges[0] && state.data.deliveries.edges[0].node;
  if (!node) return null;
  if (done || node.status === "ACKNOWLEDGED") return html`<p class="ok">${t("read")}</p>`;
  const ack = async () => {
    try { await request(op.ACKNOWLEDGE, { releaseId: r.id }); setDone(true); } catch (e) { fail(e); }
  };
  return html`<p><button type="button" class="ack" onClick=${ack}>${t("ack")}</button></p>`;
}

function Actions({ r, reload }) {
  const [at, setAt] = useState(toLocalInput(r.publishAt));
  const [reason, setReason] = useState("");
  const run = async (/** @type {string} */ query, /** @type {any} */ vars, /** @type {string} */ done) => {
    try { await request(query, vars); notify(t(done)); reload(); } catch (e) { fail(e); }
  };
  const editable = r.status === "DRAFT" || r.status === "SCHEDULED";
  return html`<section class="card" aria-labelledby="act-h"><h2 id="act-h">${t("status")}: ${label("ReleaseStatus", r.status)}</h2>
    ${editable && html`<p class="actions"><a class="button secondary" href=${`#/edit/${r.id}`}>${t("edit")}</a>
      ${r.status === "DRAFT" && html`<button type="button" id="publish-now" onClick=${() => run(op.PUBLISH, { id: r.id }, "published_ok")}>${t("publish")}</button>`}
      ${r.status === "SCHEDULED" && html`<button type="button" class="secondary" id="cancel-schedule" onClick=${() => run(op.CANCEL_SCHEDULE, { id: r.id }, "unscheduled_ok")}>${t("cancel_schedule")}</button>`}</p>
      <form class="inline" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); run(op.PUBLISH, { id: r.id, at: fromLocalInput(at) }, "scheduled_ok"); }}>
        <label for="schedule-at">${t("publish_at")}</label>
        <input id="schedule-at" type="datetime-local" required value=${at} onInput=${(/** @type {any} */ e) => setAt(e.currentTarget.value)} aria-describedby="schedule-tz" />
        <small id="schedule-tz" class="muted">${t("tz_note")}</small>
        <button type="submit" id="schedule">${t("schedule")}</button>
      </form>`}
    ${r.status === "DRAFT" && html`<p><button type="button" class="danger" id="discard" onClick=${async () => {
      if (!window.confirm(t("confirm_discard"))) return;
      try { await request(op.DISCARD, { id: r.id }); notify(t("discarded")); location.hash = "#/console"; } catch (e) { fail(e); }
    }}>${t("discard")}</button></p>`}
    ${(r.status === "PUBLISHED" || r.status === "SCHEDULED") && html`<form class="inline" id="retract" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); run(op.RETRACT, { id: r.id, reason }, "retracted_ok"); }}>
      <label for="retract-reason">${t("retract_reason")}</label>
      <input id="retract-reason" required value=${reason} onInput=${(/** @type {any} */ e) => setReason(e.currentTarget.value)} />
      <button type="submit" class="danger">${t("retract")}</button>
    </form>`}
    ${r.status === "PUBLISHED" && html`<p><a class="button secondary" id="correct" href=${`#/new/${r.id}`}>${t("correction")}</a></p>`}
  </section>`;
}

const PAGE = 100;

/** Every delivery of the release (paged in), kept current by deliveryUpdated. */
function Deliveries({ r }) {
  const [rows, setRows] = useState(/** @type {any[]} */ ([]));
  const [channel, setChannel] = useState(/** @type {string|null} */ (null));
  const [statusFilter, setStatusFilter] = useState(/** @type {string|null} */ (null));
  const [error, setError] = useState("");
  const [s, setStats] = useState(r.deliveryStats);
  useEffect(() => {
    let live = true;
    /** The figures follow the log: re-read at most every half second while deliveries change. */
    let pending = 0;
    const refresh = () => {
      if (pending) return;
      pending = window.setTimeout(() => {
        pending = 0;
        request(op.DELIVERY_STATS, { id: r.id }).then((d) => live && d.release && setStats(d.release.deliveryStats), () => {});
      }, 500);
    };
    (async () => {
      /** @type {any[]} */
      const all = [];
      let after = null;
      for (let i = 0; i < 50; i++) {
        const d = await request(op.DELIVERIES, { releaseId: r.id, first: PAGE, after });
        all.push(...d.deliveries.edges.map((/** @type {any} */ e) => e.node));
        if (!d.deliveries.pageInfo.hasNextPage) break;
        after = d.deliveries.pageInfo.endCursor;
      }
      if (live) setRows(all);
    })().catch((e) => live && setError(e.message));
    const sub = subscribe({
      token: token.value,
      query: op.DELIVERY_UPDATED,
      variables: () => ({ releaseId: r.id }),
      onNext: (/** @type {any} */ p) => {
        const d = p.data && p.data.deliveryUpdated;
        if (!d) return;
        setRows((old) => (old.some((x) => x.id === d.id) ? old.map((x) => (x.id === d.id ? d : x)) : [...old, d]));
        refresh();
      },
    });
    return () => { live = false; clearTimeout(pending); sub.close(); };
  }, [r.id]);
  const start = new Date(r.publishedAt || r.publishAt || 0).getTime();
  const reached = (/** @type {any} */ d) => d.deliveredAt || d.acknowledgedAt;
  const channels = [...new Set(rows.map((d) => d.channel))];
  const series = channels.map((c) => ({
    name: label("Channel", c),
    times: rows.filter((d) => d.channel === c && reached(d)).map((d) => Math.max(0, (new Date(reached(d)).getTime() - start) / 1000)),
  }));
  const total = Math.max(0, ...channels.map((c) => rows.filter((d) => d.channel === c).length));
  const shown = rows.filter((d) => (!channel || d.channel === channel) && (!statusFilter || d.status === statusFilter));
  return html`<section aria-labelledby="deliv-h"><h2 id="deliv-h">${t("delivery")}</h2>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <ul class="stats" id="delivery-stats">
      <li><strong>${fmt.number(s.targeted)}</strong> ${t("targeted")}</li><li><strong>${fmt.number(s.pending)}</strong> ${t("pending")}</li>
      <li><strong>${fmt.number(s.delivered)}</strong> ${t("delivered")}</li><li><strong>${fmt.number(s.acknowledged)}</strong> ${t("acknowledged")}</li>
      <li><strong>${fmt.number(s.failed)}</strong> ${t("failed")}</li>
      ${r.attachments.length > 0 && html`<li id="stats-downloads"><strong>${fmt.number(s.downloads)}</strong> ${t("downloads")}</li>
        <li><strong>${fmt.number(s.outletsDownloaded)}</strong> ${t("outlets_downloaded")}</li>`}
    </ul>
    ${rows.length > 0 && html`<${SpreadChart} id="timeline" title=${t("timeline")} xLabel=${t("seconds_after")} yLabel=${t("outlets_reached")} total=${total} series=${series} />`}
    <h3>${t("delivery_log")}</h3>
    <div class="filters">
      <div class="field"><label for="f-channel">${t("channel")}</label><${EnumSelect} id="f-channel" enumName="Channel" any value=${channel} onChange=${setChannel} /></div>
      <div class="field"><label for="f-status">${t("status")}</label><${EnumSelect} id="f-status" enumName="DeliveryStatus" any value=${statusFilter} onChange=${setStatusFilter} /></div>
      <button type="button" class="secondary" id="deliveries-csv" onClick=${() => download(`/exports/deliveries.csv?releaseId=${r.id}`, `deliveries-${r.id}.csv`).catch(fail)}>${t("download_csv")}</button>
    </div>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="delivery-log">
      <thead><tr><th scope="col">${t("outlet")}</th><th scope="col">${t("channel")}</th><th scope="col">${t("status")}</th>
        <th scope="col">${t("delivered_at")}</th><th scope="col">${t("acknowledged_by")}</th><th scope="col" class="num">${t("attempts")}</th></tr></thead>
      <tbody>${shown.map((d) => html`<tr data-delivery-id=${d.id}><td>${d.outlet.name}</td><td>${label("Channel", d.channel)}</td>
        <td><${Badge} enumName="DeliveryStatus" value=${d.status} />${d.lastError && html` <small class="error">${d.lastError}</small>`}</td>
        <td>${fmt.dateTime(reached(d))}</td><td>${d.acknowledgedBy ? d.acknowledgedBy.fullName : ""}</td><td class="num">${d.attempts}</td></tr>`)}</tbody>
    </table></div>
  </section>`;
}
