// One release, for whoever may see it (the server decides; null means not visible): its text
// and conference; for journalists acknowledgement, RSVP and the .ics; for its unit and the
// authority the delivery timeline, the delivery log (filters, live updates, CSV); for its unit's
// spokesperson the actions its status allows.
import { html, useState, useEffect } from "../lib.js";
import { t, label, fmt, fromLocalInput, toLocalInput, lang } from "../i18n.js";
import { DateTimeField } from "../datetime.js";
import { confirmAct } from "../confirm.js";
import { SignInToSee } from "../signin.js";
import { request, download, token } from "../api/client.js";
import { subscribe } from "../api/live.js";
import * as op from "../api/operations.js";
import { useAsync, usePoll, Pending, Badge, EnumSelect, SpreadChart, notify, fail } from "../ui.js";
import { downloadIcs } from "../calendar.js";
import { Gallery, Downloads } from "../files.js";
import { Spread, DeclarePickup } from "./monitoring.js";

export function ReleasePage({ arg, me }) {
  const state = useAsync(() => request(op.RELEASE, { id: arg }).then((d) => d.release), [arg]);
  const r = state.data;
  // A scheduled release turns published at its embargo: the page follows without a reload.
  useEffect(() => {
    if (!r || r.status !== "SCHEDULED" || !r.publishAt) return;
    const wait = new Date(r.publishAt).getTime() - Date.now();
    if (wait > 2 ** 31 - 1) return;
    const timer = setTimeout(state.reload, Math.max(0, wait) + 1500);
    return () => clearTimeout(timer);
  }, [r && r.status, r && r.publishAt]);
  useEffect(() => { if (r) document.title = `${r.title} — pressnet`; }, [r && r.title]);
  // Someone not signed in may be following a link to a press-only release: sign in, then here.
  if (state.data === null && !me) return html`<${SignInToSee} />`;
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
    ${r.correctedBy && html`<p class="notice warn corrected" role="note">${t("corrected_by")}: <a href=${`#/releases/${r.correctedBy.id}`}>${r.correctedBy.title}</a></p>`}
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
  // Replies keep coming while the page is open: the list is read again every 15 seconds.
  usePoll(attendees.reload, 15000);
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
  const [atValid, setAtValid] = useState(true);
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const run = async (/** @type {string} */ query, /** @type {any} */ vars, /** @type {string} */ done) => {
    setError("");
    try { await request(query, vars); notify(done); reload(); } catch (e) { setError(e instanceof Error ? e.message : String(e)); }
  };
  const s = r.deliveryStats;
  const audience = t("confirm_reach_outlets", { outlets: fmt.number(s && s.targeted ? s.targeted : 0) });
  const publishNow = async () => {
    const yes = await confirmAct({
      title: t("confirm_publish_h", { title: r.title }),
      lines: [t("confirm_audience_saved"), t("confirm_when", { when: t("right_now") }), label("Visibility", r.visibility)],
      action: t("publish"),
    });
    if (yes) run(op.PUBLISH, { id: r.id }, t("published_msg", { title: r.title }));
  };
  const schedule = async (/** @type {any} */ e) => {
    e.preventDefault();
    const iso = fromLocalInput(at);
    if (!atValid || !iso) { setError(t("fix_dates")); return; }
    if (new Date(iso).getTime() <= Date.now()) { setError(t("past_time")); return; }
    const yes = await confirmAct({
      title: t("confirm_schedule_h", { title: r.title }),
      lines: [t("confirm_audience_saved"), t("confirm_when", { when: fmt.long(iso) })],
      action: t("schedule"),
    });
    if (yes) run(op.PUBLISH, { id: r.id, at: iso }, t("scheduled_msg", { when: fmt.long(iso) }));
  };
  const retract = async (/** @type {any} */ e) => {
    e.preventDefault();
    const yes = await confirmAct({
      title: t("confirm_retract_h", { title: r.title }),
      lines: [r.status === "PUBLISHED" ? t("confirm_retract_body", { outlets: audience }) : t("confirm_retract_scheduled"), `${t("reason")}: ${reason}`],
      action: t("retract"),
      danger: true,
    });
    if (yes) run(op.RETRACT, { id: r.id, reason }, t("retracted_ok"));
  };
  const editable = r.status === "DRAFT" || r.status === "SCHEDULED";
  return html`<section class="card" aria-labelledby="act-h"><h2 id="act-h">${t("status")}: ${label("ReleaseStatus", r.status)}</h2>
    ${editable && html`<p class="actions"><a class="button secondary" href=${`#/edit/${r.id}`}>${t("edit")}</a>
      ${r.status === "DRAFT" && html`<button type="button" id="publish-now" onClick=${publishNow}>${t("publish")}</button>`}
      ${r.status === "SCHEDULED" && html`<button type="button" class="secondary" id="cancel-schedule" onClick=${() => run(op.CANCEL_SCHEDULE, { id: r.id }, t("unscheduled_ok"))}>${t("cancel_schedule")}</button>`}</p>
      <form class="schedule-form" onSubmit=${schedule}>
        <${DateTimeField} id="schedule-at" label=${t("publish_at")} required value=${at} onChange=${(/** @type {string} */ v, /** @type {boolean} */ ok) => { setAt(v); setAtValid(ok); }} />
        <button type="submit" id="schedule">${t("schedule")}</button>
      </form>`}
    ${r.status === "DRAFT" && html`<p><button type="button" class="danger" id="discard" onClick=${async () => {
      const yes = await confirmAct({ title: t("confirm_discard"), action: t("discard"), danger: true });
      if (!yes) return;
      try { await request(op.DISCARD, { id: r.id }); notify(t("discarded")); location.hash = "#/console"; } catch (e) { fail(e); }
    }}>${t("discard")}</button></p>`}
    ${(r.status === "PUBLISHED" || r.status === "SCHEDULED") && html`<form class="inline" id="retract" onSubmit=${retract}>
      <label for="retract-reason">${t("retract_reason")}</label>
      <input id="retract-reason" required value=${reason} onInput=${(/** @type {any} */ e) => setReason(e.currentTarget.value)} />
      <button type="submit" class="danger">${t("retract")}</button>
    </form>`}
    <p class="error" role="alert" id="act-error">${error}</p>
    ${r.status === "PUBLISHED" && !r.correctedBy && html`<p><a class="button secondary" id="correct" href=${`#/new/${r.id}`}>${t("correction")}</a></p>`}
  </section>`;
}

const PAGE = 100;

/** A delivery's last error in the reader's language: the server's notes are matched to the
 * dictionary's; anything else (an SMTP server's own reply) is shown as it came. */
const NOTES = [
  [/e-mail channel is off/i, "note_email_off"],
  [/suppress/i, "note_suppressed"],
  [/suspend|revoked|no longer accredited|not accredited/i, "note_outlet_stopped"],
  [/retracted/i, "note_retracted"],
  [/timed? ?out/i, "note_timeout"],
  [/refused|rejected|5\d\d /i, "note_refused"],
  [/private|loopback/i, "note_private_target"],
];
function deliveryNote(/** @type {string} */ text) {
  const hit = NOTES.find(([re]) => /** @type {RegExp} */ (re).test(text));
  // The server's own words stay available to whoever needs them (the tooltip), not read out.
  return hit ? html`<span title=${text}>${t(/** @type {string} */ (hit[1]))}</span>` : text;
}

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
      <button type="button" class="secondary" id="deliveries-csv" onClick=${() => download(`/exports/deliveries.csv?releaseId=${r.id}&lang=${lang.value}`, `deliveries-${r.id}.csv`).catch(fail)}>${t("download_csv")}</button>
    </div>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="delivery-log" class="stack">
      <thead><tr><th scope="col">${t("outlet")}</th><th scope="col">${t("channel")}</th><th scope="col">${t("status")}</th>
        <th scope="col">${t("delivered_at")}</th><th scope="col">${t("acknowledged_by")}</th><th scope="col" class="num">${t("attempts")}</th></tr></thead>
      <tbody>${shown.map((d) => html`<tr data-delivery-id=${d.id}><td data-label=${t("outlet")}>${d.outlet.name}</td><td data-label=${t("channel")}>${label("Channel", d.channel)}</td>
        <td data-label=${t("status")}><${Badge} enumName="DeliveryStatus" value=${d.status} />${d.lastError && html` <small class="error">${deliveryNote(d.lastError)}</small>`}</td>
        <td data-label=${t("delivered_at")}>${fmt.dateTime(reached(d))}</td><td data-label=${t("acknowledged_by")}>${d.acknowledgedBy ? d.acknowledgedBy.fullName : ""}</td>
        <td class="num" data-label=${t("attempts")}>${d.attempts}</td></tr>`)}</tbody>
    </table></div>
  </section>`;
}
