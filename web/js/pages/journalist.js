// The journalist's pages, phone first: the live feed (unread until acknowledged, resuming from
// its cursor after a reconnection), archive search, conferences as a list and a month, their
// questions with status and rating, and e-mail and follow settings.
import { html, useState, useEffect } from "../lib.js";
import { t, label, fmt, values, lang, todayInVietnam, TIME_ZONE } from "../i18n.js";
import { request, token } from "../api/client.js";
import { subscribe } from "../api/live.js";
import * as op from "../api/operations.js";
import { useAsync, usePoll, Pending, Badge, EnumSelect, notify, fail } from "../ui.js";
import { ReleaseItem } from "./public.js";
import { downloadIcs, monthGrid } from "../calendar.js";
import { Gallery } from "../files.js";
import { refreshCounts } from "../counts.js";

/** The feed: what reached the outlet (`received`, with its acknowledgement from the server, so
 * unread stays unread after any navigation, tab or device), newest first, and live items on top. */
export function Feed({ me }) {
  const [items, setItems] = useState(/** @type {any[]} */ ([]));
  const [page, setPage] = useState(/** @type {any} */ (null));
  const [onlyUnread, setOnlyUnread] = useState(false);
  const [state, setState] = useState("");
  const [error, setError] = useState("");
  const load = async (/** @type {string|null} */ after) => {
    // Ten at a time: each item's files are priced by the most any release has.
    const d = await request(op.RECEIVED, { first: 10, after, unreadOnly: onlyUnread });
    const got = d.received.edges.map((/** @type {any} */ e) => ({ ...e.node.release, acknowledged: e.node.acknowledged, deliveredAt: e.node.deliveredAt }));
    setItems((old) => (after ? [...old, ...got.filter((r) => !old.some((x) => x.id === r.id))] : got));
    setPage(d.received);
  };
  useEffect(() => { setError(""); load(null).catch((e) => setError(e.message)); }, [onlyUnread]);
  useEffect(() => {
    const key = `cursor:${me.id}`;
    const sub = subscribe({
      token: token.value,
      query: op.FEED,
      variables: () => ({ since: localStorage.getItem(key) }),
      onNext: (/** @type {any} */ p) => {
        const item = p.data && p.data.releasePublished;
        if (!item) return;
        localStorage.setItem(key, item.cursor);
        // A live item is a new delivery: unread until someone at the outlet acknowledges it.
        setItems((old) => {
          const known = old.find((x) => x.id === item.release.id);
          const next = { ...item.release, acknowledged: known ? known.acknowledged : false, fresh: true };
          return [next, ...old.filter((x) => x.id !== item.release.id)];
        });
        refreshCounts();
      },
      onState: setState,
    });
    return () => sub.close();
  }, [me.id]);
  const ack = async (/** @type {string} */ id) => {
    try {
      await request(op.ACKNOWLEDGE, { releaseId: id });
      setItems((old) => old.map((r) => (r.id === id ? { ...r, acknowledged: true } : r)));
      notify(t("acked_ok"));
      refreshCounts();
    } catch (e) { fail(e); }
  };
  const unread = (/** @type {any} */ r) => r.status === "PUBLISHED" && !r.acknowledged;
  const shown = items.filter((r) => !onlyUnread || unread(r));
  return html`<h1>${t("feed")} <span class="muted">— ${me.outlet ? me.outlet.name : ""}</span></h1>
    <p class="toolbar"><span id="live-state" class=${`pill ${state}`}>${state === "live" ? t("live") : state === "offline" ? t("offline") : t("loading")}</span>
      <label class="check"><input type="checkbox" id="only-unread" checked=${onlyUnread} onChange=${() => setOnlyUnread(!onlyUnread)} /> ${t("show_unread")}</label>
      ${page && html`<span class="muted" id="unread-count">${t("unread_n", { n: fmt.number(page.unread) })}</span>`}</p>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <div id="feed" aria-live="polite">
      ${page && shown.length === 0 && html`<p class="muted">${onlyUnread ? t("feed_all_read") : t("feed_empty")}</p>`}
      ${shown.map((r) => html`<div class=${unread(r) ? "unread" : ""} data-release-id=${r.id} key=${r.id}>
        <${ReleaseItem} r=${r}>
          <p class="actions">${unread(r) ? html`<span class="badge s-unread">${t("unread")}</span> <button type="button" class="ack" onClick=${() => ack(r.id)}>${t("ack")}</button>`
            : r.acknowledged ? html`<span class="ok">${t("read")}</span>` : ""}
            ${r.pressConference && html` <button type="button" class="secondary" onClick=${() => downloadIcs(r)}>${t("ics")}</button>`}</p>
          ${r.attachments && r.attachments.length > 0 && html`<${Gallery} files=${r.attachments} compact />`}
        <//>
      </div>`)}
    </div>
    ${page && page.pageInfo.hasNextPage && html`<p><button type="button" class="secondary" id="feed-more" onClick=${() => load(page.pageInfo.endCursor).catch(fail)}>${t("more")}</button></p>`}`;
}

export function Archive() {
  const [q, setQ] = useState("");
  const [kind, setKind] = useState(/** @type {string|null} */ (null));
  const [query, setQuery] = useState({ search: "", kind: /** @type {string|null} */ (null) });
  const state = useAsync(() => request(op.RELEASES, { search: query.search || null, kind: query.kind, status: "PUBLISHED", first: 50 }), [query]);
  const d = state.data;
  return html`<h1>${t("archive")}</h1>
    <form id="search" class="filters" role="search" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); setQuery({ search: q.trim(), kind }); }}>
      <div class="field grow"><label for="q">${t("search")}</label>
        <input id="q" type="search" value=${q} aria-describedby="q-hint" onInput=${(/** @type {any} */ e) => setQ(e.currentTarget.value)} />
        <small id="q-hint" class="muted">${t("search_hint")}</small></div>
      <div class="field"><label for="q-kind">${t("kind")}</label><${EnumSelect} id="q-kind" enumName="ReleaseKind" any value=${kind} onChange=${setKind} /></div>
      <button type="submit">${t("search")}</button>
    </form>
    <${Pending} state=${state} />
    ${d && html`<p class="muted" id="results-count">${t("results", { n: fmt.number(d.releases.totalCount) })}</p>
      <div id="results">${d.releases.edges.map((/** @type {any} */ e) => html`<${ReleaseItem} r=${e.node} />`)}</div>`}`;
}

export function Conferences() {
  const [view, setView] = useState("list");
  const today = todayInVietnam();
  const [month, setMonth] = useState({ y: Number(today.slice(0, 4)), m: Number(today.slice(5, 7)) - 1 });
  const state = useAsync(() => request(op.RELEASES, { kind: "PRESS_CONFERENCE", status: "PUBLISHED", first: 100 })
    .then((d) => d.releases.edges.map((/** @type {any} */ e) => e.node).filter((r) => r.pressConference)), []);
  const all = state.data || [];
  const dayOf = (/** @type {string} */ iso) => new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE }).format(new Date(iso));
  const upcoming = all.filter((r) => dayOf(r.pressConference.startsAt) >= today).sort((a, b) => a.pressConference.startsAt.localeCompare(b.pressConference.startsAt));
  const title = new Intl.DateTimeFormat(lang.value === "en" ? "en-GB" : "vi-VN", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(month.y, month.m, 1)));
  const shift = (/** @type {number} */ n) => setMonth(({ y, m }) => ({ y: y + Math.floor((m + n) / 12), m: (((m + n) % 12) + 12) % 12 }));
  const rsvp = async (/** @type {any} */ r, /** @type {boolean} */ attending) => {
    try { await request(op.RSVP, { releaseId: r.id, attending }); notify(t("saved")); state.reload(); } catch (e) { fail(e); }
  };
  return html`<h1>${t("conferences")}</h1>
    <div class="tabs" role="group" aria-label=${t("conferences")}>
      <button type="button" id="view-list" aria-pressed=${view === "list"} onClick=${() => setView("list")}>${t("list")}</button>
      <button type="button" id="view-month" aria-pressed=${view === "month"} onClick=${() => setView("month")}>${t("calendar")}</button>
    </div>
    <${Pending} state=${state} />
    ${state.data && view === "list" && html`<div id="conference-list">
      ${upcoming.length === 0 && html`<p class="muted">${t("empty")}</p>`}
      ${upcoming.map((r) => html`<${ReleaseItem} r=${r}><p class="actions">
        ${r.pressConference.myRsvp ? html`<span class="ok">${t("attending")}</span> <button type="button" class="secondary" onClick=${() => rsvp(r, false)}>${t("rsvp_no")}</button>`
          : html`<button type="button" class="rsvp" onClick=${() => rsvp(r, true)}>${t("rsvp_yes")}</button>`}
        <button type="button" class="secondary ics" onClick=${() => downloadIcs(r)}>${t("ics")}</button></p><//>`)}
    </div>`}
    ${state.data && view === "month" && html`<div class="month">
      <p class="toolbar"><button type="button" class="secondary" onClick=${() => shift(-1)} aria-label=${t("prev_month")}>‹</button>
        <strong id="month-title">${title}</strong>
        <button type="button" class="secondary" onClick=${() => shift(1)} aria-label=${t("next_month")}>›</button></p>
      <table id="month-grid" class="calendar"><thead><tr>${t("weekdays").split(",").map((w) => html`<th scope="col">${w}</th>`)}</tr></thead>
        <tbody>${monthGrid(month.y, month.m).map((week) => html`<tr>${week.map((day) => html`<td class=${day === today ? "today" : ""}>
          ${day && html`<span class="day">${Number(day.slice(8))}</span>
            ${all.filter((r) => dayOf(r.pressConference.startsAt) === day).map((r) => html`<a class="event" href=${`#/releases/${r.id}`}>${fmt.time(r.pressConference.startsAt)} ${r.title}</a>`)}`}
        </td>`)}</tr>`)}</tbody></table>
    </div>`}`;
}

export function MyQuestions() {
  const state = useAsync(() => Promise.all([request(op.INQUIRIES, {}), request(op.UNITS)]), []);
  usePoll(state.reload, 20000);
  const [error, setError] = useState("");
  const ask = async (/** @type {any} */ ev) => {
    ev.preventDefault();
    const f = ev.currentTarget;
    try {
      await request(op.ASK, { unitId: f.unit.value, question: f.question.value });
      f.question.value = "";
      setError("");
      notify(t("saved"));
      state.reload();
    } catch (e) { setError(e instanceof Error ? e.message : String(e)); }
  };
  const rate = async (/** @type {string} */ id, /** @type {string|null} */ rating) => {
    if (!rating) return;
    try { await request(op.RATE, { id, rating }); notify(t("saved")); } catch (e) { fail(e); }
  };
  const d = state.data;
  return html`<h1>${t("my_questions")}</h1>
    <${Pending} state=${state} />
    ${d && html`<form id="ask" class="card" onSubmit=${ask}><h2>${t("ask")}</h2>
        <label for="ask-unit">${t("unit")}</label><select id="ask-unit" name="unit" required>${d[1].units.map((/** @type {any} */ u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
        <label for="ask-q">${t("question")}</label><textarea id="ask-q" name="question" required maxlength="5000"></textarea>
        <p><button type="submit">${t("ask")}</button></p><p class="error" role="alert" id="ask-error">${error}</p>
      </form>
      <div id="questions">${d[0].inquiries.length === 0 && html`<p class="muted">${t("empty")}</p>`}
      ${d[0].inquiries.map((/** @type {any} */ i) => html`<article class="card" data-inquiry-id=${i.id}>
        <p class="meta"><strong>${i.unit.name}</strong> · <${Badge} enumName="InquiryStatus" value=${i.status} />
          ${i.overdue && html` <span class="badge s-failed">${t("overdue")}</span>`} · ${t("due")} ${fmt.dateTime(i.dueAt)}</p>
        <p>${i.question}</p>
        ${i.answer && html`<p><strong>${t("answer")}:</strong> ${i.answer}</p>`}
        ${i.declineReason && html`<p><strong>${t("reason")}:</strong> ${i.declineReason}</p>`}
        ${i.status === "ANSWERED" && html`<div class="field"><label for=${`rate-${i.id}`}>${t("rating")}</label>
          <select id=${`rate-${i.id}`} class="rating" onChange=${(/** @type {any} */ e) => rate(i.id, e.currentTarget.value || null)}>
            <option value="">—</option>${values("AnswerRating").map((v) => html`<option value=${v} selected=${i.rating === v}>${label("AnswerRating", v)}</option>`)}
          </select></div>`}
      </article>`)}</div>`}`;
}

export function Settings() {
  const state = useAsync(() => Promise.all([request(op.MY_SUBSCRIPTION), request(op.UNITS)]), []);
  const [topic, setTopic] = useState("");
  const [unit, setUnit] = useState("");
  const run = async (/** @type {string} */ query, /** @type {any} */ vars) => {
    try { await request(query, vars); notify(t("saved")); state.reload(); } catch (e) { fail(e); }
  };
  const d = state.data;
  if (!d) return html`<h1>${t("settings")}</h1><${Pending} state=${state} />`;
  const sub = d[0].mySubscription;
  const followed = sub.follows.filter((/** @type {any} */ f) => f.unit).map((/** @type {any} */ f) => f.unit.id);
  return html`<h1>${t("settings")}</h1>
    <${PushCard} />
    <section class="card"><h2><label for="mode">${t("email_mode")}</label></h2>
      <${EnumSelect} id="mode" enumName="EmailMode" value=${sub.emailMode} onChange=${(/** @type {string} */ m) => run(op.SET_EMAIL_MODE, { mode: m })} />
    </section>
    <section class="card" aria-labelledby="follows-h"><h2 id="follows-h">${t("follows")}</h2>
      <ul class="plain" id="follows">${sub.follows.length === 0 && html`<li class="muted">${t("no_follows")}</li>`}
        ${sub.follows.map((/** @type {any} */ f) => html`<li>${f.unit ? f.unit.name : html`<span class="badge">${f.topic}</span>`}
          <button type="button" class="secondary small" onClick=${() => run(f.unit ? op.UNFOLLOW_UNIT : op.UNFOLLOW_TOPIC, f.unit ? { unitId: f.unit.id } : { topic: f.topic })}>${t("unfollow")}</button></li>`)}</ul>
      <form class="inline" id="follow-unit" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); if (unit) run(op.FOLLOW_UNIT, { unitId: unit }); }}>
        <label for="follow-unit-id">${t("follow_unit")}</label>
        <select id="follow-unit-id" value=${unit} onChange=${(/** @type {any} */ e) => setUnit(e.currentTarget.value)}>
          <option value="">—</option>${d[1].units.filter((/** @type {any} */ u) => !followed.includes(u.id)).map((/** @type {any} */ u) => html`<option value=${u.id}>${u.name}</option>`)}</select>
        <button type="submit">${t("follow")}</button>
      </form>
      <form class="inline" id="follow-topic" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); if (topic.trim()) { run(op.FOLLOW_TOPIC, { topic: topic.trim() }); setTopic(""); } }}>
        <label for="follow-topic-name">${t("follow_topic")}</label>
        <input id="follow-topic-name" value=${topic} onInput=${(/** @type {any} */ e) => setTopic(e.currentTarget.value)} />
        <button type="submit">${t("follow")}</button>
      </form>
    </section>`;
}

/** The VAPID key, base64url, as the bytes PushManager.subscribe wants. */
function keyBytes(/** @type {string} */ b64) {
  const s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/** Web Push on this device: asks for permission, subscribes with pressnet's VAPID key, and
 * gives pressnet the subscription (or takes it back). */
function PushCard() {
  const supported = "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
  const [sub, setSub] = useState(/** @type {PushSubscription|null} */ (null));
  const [count, setCount] = useState(0);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    try {
      const d = await request(op.VAPID_KEY);
      setCount(d.pushDeviceCount);
      if (!supported) return;
      const reg = await navigator.serviceWorker.getRegistration("/");
      setSub(reg ? await reg.pushManager.getSubscription() : null);
    } catch (e) { fail(e); }
  };
  useEffect(() => { load(); }, []);
  const on = async () => {
    setBusy(true);
    try {
      const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      if ((await Notification.requestPermission()) !== "granted") throw new Error(t("push_denied"));
      const { vapidPublicKey } = await request(op.VAPID_KEY);
      const s = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(vapidPublicKey) });
      const j = s.toJSON();
      await request(op.SUBSCRIBE_PUSH, { input: { endpoint: s.endpoint, p256dh: j.keys?.p256dh || "", auth: j.keys?.auth || "" } });
      notify(t("push_enabled"));
      await load();
    } catch (e) { fail(e); } finally { setBusy(false); }
  };
  const off = async () => {
    if (!sub) return;
    setBusy(true);
    try {
      await request(op.UNSUBSCRIBE_PUSH, { endpoint: sub.endpoint });
      await sub.unsubscribe();
      notify(t("saved"));
      await load();
    } catch (e) { fail(e); } finally { setBusy(false); }
  };
  return html`<section class="card" id="push" aria-labelledby="push-h"><h2 id="push-h">${t("push_h")}</h2>
    <p class="muted">${t("push_note")}</p>
    ${!supported ? html`<p id="push-unsupported">${t("push_unsupported")}</p>`
      : sub ? html`<p id="push-state">${t("push_enabled")}</p><button type="button" class="secondary" disabled=${busy} onClick=${off}>${t("push_off")}</button>`
      : html`<button type="button" id="push-on" disabled=${busy} onClick=${on}>${t("push_on")}</button>`}
    <p class="muted" id="push-count">${t("push_devices", { n: count })}</p>
  </section>`;
}
