// The spokesperson's pages: the unit's releases with filters, the editor (drafts, Markdown
// preview rendered by the server, the audience picker with its reach, visibility, topics,
// conference fields, publish now or on an embargo), and the question inbox.
import { html, useState, useEffect } from "../lib.js";
import { t, label, fmt, values, fromLocalInput, toLocalInput } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, Badge, EnumSelect, EnumChecks, notify, fail } from "../ui.js";
import { Uploader } from "../files.js";

export function Console({ me }) {
  const [status, setStatus] = useState(/** @type {string|null} */ (null));
  const [kind, setKind] = useState(/** @type {string|null} */ (null));
  const [pages, setPages] = useState(/** @type {any[]} */ ([]));
  const state = useAsync(() => request(op.RELEASES, { unitId: me.unit.id, status, kind, first: 20 }), [status, kind]);
  useEffect(() => { if (state.data) setPages([state.data.releases]); }, [state.data]);
  const more = async () => {
    const last = pages[pages.length - 1];
    try {
      const d = await request(op.RELEASES, { unitId: me.unit.id, status, kind, first: 20, after: last.pageInfo.endCursor });
      setPages([...pages, d.releases]);
    } catch (e) { fail(e); }
  };
  const rows = pages.flatMap((p) => p.edges.map((/** @type {any} */ e) => e.node));
  const last = pages[pages.length - 1];
  return html`<h1>${t("console")} <span class="muted">— ${me.unit.name}</span></h1>
    <div class="filters">
      <div class="field"><label for="f-status">${t("status")}</label><${EnumSelect} id="f-status" enumName="ReleaseStatus" any value=${status} onChange=${setStatus} /></div>
      <div class="field"><label for="f-kind">${t("kind")}</label><${EnumSelect} id="f-kind" enumName="ReleaseKind" any value=${kind} onChange=${setKind} /></div>
      <a class="button" href="#/new" id="new-release">${t("new_release")}</a>
    </div>
    <${Pending} state=${state} />
    ${state.data && html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="my-releases">
      <thead><tr><th scope="col">${t("title")}</th><th scope="col">${t("kind")}</th><th scope="col">${t("status")}</th>
        <th scope="col">${t("published_at")}</th><th scope="col">${t("delivery")}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-release-id=${r.id}>
        <td><a href=${r.status === "DRAFT" ? `#/edit/${r.id}` : `#/releases/${r.id}`}>${r.title}</a></td>
        <td>${label("ReleaseKind", r.kind)}</td><td><${Badge} enumName="ReleaseStatus" value=${r.status} /></td>
        <td>${fmt.dateTime(r.publishedAt || r.publishAt)}</td>
        <td>${r.deliveryStats.targeted > 0 && html`<${Reach} s=${r.deliveryStats} />`}</td>
      </tr>`)}</tbody>
    </table></div>
    <p class="muted">${t("results", { n: fmt.number(state.data.releases.totalCount) })}
      ${last && last.pageInfo.hasNextPage && html` <button type="button" class="secondary" onClick=${more}>${t("more")}</button>`}</p>`}`;
}

/** Delivery figures in words, with a bar of the delivered share. */
function Reach({ s }) {
  const share = s.targeted ? (s.delivered + s.acknowledged) / s.targeted : 0;
  return html`<span class="reach"><meter min="0" max="1" value=${share} aria-label=${t("delivered")}></meter>
    ${fmt.number(s.delivered + s.acknowledged)}/${fmt.number(s.targeted)} ${t("delivered").toLowerCase()}
    ${s.acknowledged > 0 && html` · ${fmt.number(s.acknowledged)} ${t("acknowledged").toLowerCase()}`}
    ${s.failed > 0 && html` · <span class="error">${fmt.number(s.failed)} ${t("failed").toLowerCase()}</span>`}</span>`;
}

const EMPTY = {
  kind: "PRESS_RELEASE", title: "", summary: "", body: "", topics: "", visibility: "", mode: "all",
  kinds: /** @type {string[]} */ ([]), scopes: /** @type {string[]} */ ([]), outletIds: /** @type {string[]} */ ([]),
  startsAt: "", endsAt: "", location: "", rsvpDeadline: "", capacity: "", publishAt: "", supersedesId: "",
};

/** The form's audience as the API's AudienceInput. */
function audienceOf(/** @type {typeof EMPTY} */ f) {
  if (f.mode === "all") return { allAccredited: true };
  if (f.mode === "chosen") return { outletIds: f.outletIds };
  return { kinds: f.kinds.length ? f.kinds : null, scopes: f.scopes.length ? f.scopes : null };
}

/** A release (as RELEASE returns it) as the form's fields. */
function formOf(/** @type {any} */ r) {
  const a = r.audience || { allAccredited: true, outletIds: [], kinds: [], scopes: [] };
  const c = r.pressConference;
  return {
    ...EMPTY, kind: r.kind, title: r.title, summary: r.summary, body: r.body, topics: r.topics.join(", "), visibility: r.visibility,
    mode: a.allAccredited ? "all" : a.outletIds.length ? "chosen" : "filter", kinds: a.kinds, scopes: a.scopes, outletIds: a.outletIds,
    startsAt: c ? toLocalInput(c.startsAt) : "", endsAt: c ? toLocalInput(c.endsAt) : "", location: c ? c.location : "",
    rsvpDeadline: c ? toLocalInput(c.rsvpDeadline) : "", capacity: c && c.capacity != null ? String(c.capacity) : "",
    publishAt: toLocalInput(r.publishAt),
  };
}

/** `#/new` (a new release), `#/new/{id}` (a correction of id), `#/edit/{id}` (a draft or scheduled one). */
export function Editor({ arg, me }) {
  const editing = location.hash.startsWith("#/edit/") ? arg : "";
  const correcting = location.hash.startsWith("#/new/") ? arg : "";
  const [f, setF] = useState(EMPTY);
  const [tab, setTab] = useState("write");
  const [previewHtml, setPreviewHtml] = useState("");
  const [reach, setReach] = useState(/** @type {any} */ (null));
  const [error, setError] = useState("");
  const [savedId, setSavedId] = useState(editing);
  const [version, setVersion] = useState(0);
  const outlets = useAsync(() => request(op.OUTLETS, { accreditation: "ACCREDITED" }).then((d) => d.outlets), []);
  useEffect(() => {
    const id = editing || correcting;
    if (!id) return;
    // A load that lands after the route moved on must not overwrite what is being typed.
    let current = true;
    request(op.RELEASE, { id }).then(({ release: r }) => {
      if (!current) return;
      if (!r) { setError(t("not_found")); return; }
      if (editing) { setF(formOf(r)); setVersion(r.version); }
      else setF({ ...formOf(r), kind: "CORRECTION", title: `${t("correction")}: ${r.title}`, supersedesId: r.id, visibility: r.visibility, publishAt: "" });
    }, fail);
    return () => { current = false; };
  }, [editing, correcting]);
  const set = (/** @type {Partial<typeof EMPTY>} */ patch) => setF((old) => ({ ...old, ...patch }));
  const audience = audienceOf(f);
  const audienceKey = JSON.stringify(audience);
  useEffect(() => {
    if (f.mode === "chosen" && f.outletIds.length === 0) { setReach(null); return; }
    const timer = setTimeout(() => {
      request(op.AUDIENCE_PREVIEW, { unitId: me.unit.id, audience }).then((d) => setReach(d.audiencePreview), () => setReach(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [audienceKey]);
  const showPreview = async () => {
    setTab("preview");
    try { setPreviewHtml(f.body.trim() ? (await request(op.RENDER_MARKDOWN, { markdown: f.body })).renderMarkdown : ""); } catch (e) { fail(e); }
  };
  const conference = () => (f.kind === "PRESS_CONFERENCE" && f.startsAt ? {
    startsAt: fromLocalInput(f.startsAt), endsAt: fromLocalInput(f.endsAt), location: f.location,
    rsvpDeadline: fromLocalInput(f.rsvpDeadline), capacity: f.capacity ? Number(f.capacity) : null,
  } : null);
  const fields = () => ({
    kind: f.kind, title: f.title, summary: f.summary, body: f.body,
    topics: f.topics.split(",").map((x) => x.trim()).filter(Boolean), audience, visibility: f.visibility || null,
    pressConference: conference(),
  });
  /** Saves (creating the draft the first time); resolves to its id. */
  const save = async () => {
    if (savedId) {
      const d = await request(op.UPDATE_RELEASE, { id: savedId, input: fields() });
      setVersion(d.updateRelease.version);
      return savedId;
    }
    const input = { ...fields(), unitId: me.unit.id, supersedesId: f.supersedesId || null };
    const d = await request(op.CREATE_RELEASE, { input });
    setSavedId(d.createRelease.id);
    return d.createRelease.id;
  };
  const act = async (/** @type {"draft"|"publish"|"schedule"} */ what) => {
    setError("");
    try {
      const id = await save();
      if (what === "draft") { notify(t("draft_saved")); return; }
      await request(op.PUBLISH, { id, at: what === "schedule" ? fromLocalInput(f.publishAt) : null });
      notify(t(what === "schedule" ? "scheduled_ok" : "published_ok"));
      location.hash = `#/releases/${id}`;
    } catch (e) { setError(e instanceof Error ? e.message : String(e)); }
  };
  const input = (/** @type {keyof typeof EMPTY} */ k) => (/** @type {any} */ e) => set({ [k]: e.currentTarget.value });
  const list = outlets.data || [];
  return html`<h1>${editing ? t("edit") : f.supersedesId ? t("correction") : t("new_release")}${version ? html` <span class="muted">v${version}</span>` : ""}</h1>
    <form id="write" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); act("publish"); }}>
      <div class="row">
        <div class="field"><label for="kind">${t("kind")}</label>
          <${EnumSelect} id="kind" name="kind" enumName="ReleaseKind" value=${f.kind} onChange=${(/** @type {string} */ v) => set({ kind: v })} /></div>
        <div class="field"><label for="visibility">${t("visibility")}</label>
          <select id="visibility" name="visibility" onChange=${input("visibility")}>
            <option value="" selected=${!f.visibility}>${t("by_default", { v: label("Visibility", f.mode === "all" ? "PUBLIC" : "PRESS_ONLY") })}</option>
            ${values("Visibility").map((v) => html`<option value=${v} selected=${f.visibility === v}>${label("Visibility", v)}</option>`)}
          </select></div>
      </div>
      <label for="title">${t("title")}</label><input id="title" name="title" required maxlength="300" value=${f.title} onInput=${input("title")} />
      <label for="summary">${t("summary")}</label><textarea id="summary" name="summary" required rows="3" value=${f.summary} onInput=${input("summary")}></textarea>
      <div class="tabs" role="group" aria-label=${t("body")}>
        <button type="button" aria-pressed=${tab === "write"} onClick=${() => setTab("write")}>${t("editor")}</button>
        <button type="button" id="show-preview" aria-pressed=${tab === "preview"} onClick=${showPreview}>${t("preview")}</button>
      </div>
      ${tab === "write"
        ? html`<label for="body">${t("body")}</label><textarea id="body" name="body" required rows="12" value=${f.body} onInput=${input("body")}></textarea>`
        : html`<div id="preview" class="body card" aria-live="polite" dangerouslySetInnerHTML=${{ __html: previewHtml }}></div>`}
      <label for="topics">${t("topics")}</label><input id="topics" name="topics" value=${f.topics} aria-describedby="topics-hint" onInput=${input("topics")} />
      <small id="topics-hint" class="muted">${t("topics_hint")}</small>
      <fieldset class="audience"><legend>${t("audience")}</legend>
        ${["all", "filter", "chosen"].map((m) => html`<label class="check"><input type="radio" name="audience-mode" value=${m} checked=${f.mode === m}
          onChange=${() => set({ mode: m })} /> ${t(m === "all" ? "aud_all" : m === "filter" ? "aud_filter" : "aud_chosen")}</label>`)}
        ${f.mode === "filter" && html`<div class="row">
          <${EnumChecks} name="kinds" enumName="OutletKind" selected=${f.kinds} onChange=${(/** @type {string[]} */ v) => set({ kinds: v })} />
          <${EnumChecks} name="scopes" enumName="OutletScope" selected=${f.scopes} onChange=${(/** @type {string[]} */ v) => set({ scopes: v })} /></div>`}
        ${f.mode === "chosen" && html`<fieldset class="checks" id="outlet-picker"><legend>${t("outlets")}</legend>
          ${list.map((/** @type {any} */ o) => html`<label class="check"><input type="checkbox" name="outlet" value=${o.id} checked=${f.outletIds.includes(o.id)}
            onChange=${() => set({ outletIds: f.outletIds.includes(o.id) ? f.outletIds.filter((x) => x !== o.id) : [...f.outletIds, o.id] })} />
            ${o.name} <small class="muted">${label("OutletKind", o.kind)}, ${label("OutletScope", o.scope)}</small></label>`)}</fieldset>`}
        <p id="reach" class="reach-line" aria-live="polite">${reach && t("reach", { outlets: fmt.number(reach.outlets), journalists: fmt.number(reach.journalists), emails: fmt.number(reach.emailRecipients) })}</p>
      </fieldset>
      ${f.kind === "PRESS_CONFERENCE" && html`<fieldset><legend>${t("conference")}</legend>
        <div class="row">
          <div class="field"><label for="starts">${t("starts")}</label><input id="starts" name="startsAt" type="datetime-local" required value=${f.startsAt} onInput=${input("startsAt")} /></div>
          <div class="field"><label for="ends">${t("ends")}</label><input id="ends" name="endsAt" type="datetime-local" value=${f.endsAt} onInput=${input("endsAt")} /></div>
        </div>
        <label for="location">${t("location")}</label><input id="location" name="location" required value=${f.location} onInput=${input("location")} />
        <div class="row">
          <div class="field"><label for="rsvp-deadline">${t("rsvp_deadline")}</label><input id="rsvp-deadline" type="datetime-local" value=${f.rsvpDeadline} onInput=${input("rsvpDeadline")} /></div>
          <div class="field"><label for="capacity">${t("capacity")}</label><input id="capacity" type="number" min="1" value=${f.capacity} onInput=${input("capacity")} /></div>
        </div>
        <small class="muted">${t("tz_note")}</small></fieldset>`}
      <${Uploader} releaseId=${savedId} ensureSaved=${save} />
      <p class="error" role="alert" id="write-error">${error}</p>
      <div class="actions">
        <button type="button" class="secondary" name="draft" onClick=${() => act("draft")}>${t("save_draft")}</button>
        <button type="submit" name="publish">${t("publish")}</button>
        <span class="schedule">
          <label for="publish-at" class="inline-label">${t("publish_at")}</label>
          <input id="publish-at" name="publishAt" type="datetime-local" value=${f.publishAt} aria-describedby="publish-tz" onInput=${input("publishAt")} />
          <small id="publish-tz" class="muted">${t("tz_note")}</small>
          <button type="button" name="schedule" class="secondary" disabled=${!f.publishAt} onClick=${() => act("schedule")}>${t("schedule")}</button>
        </span>
      </div>
    </form>`;
}

/** The legal grounds a spokesperson may decline on (Decree 09/2017, Art. 9), as message keys. */
const GROUNDS = ["ground_secret", "ground_investigation", "ground_privacy", "ground_policy", "ground_scope", "ground_other"];

export function Inbox({ me }) {
  const [status, setStatus] = useState(/** @type {string|null} */ ("OPEN"));
  const [overdueOnly, setOverdueOnly] = useState(false);
  const state = useAsync(() => request(op.INQUIRIES, { unitId: me.unit.id, status, overdueOnly }), [status, overdueOnly]);
  const items = state.data ? [...state.data.inquiries].sort((a, b) => a.dueAt.localeCompare(b.dueAt)) : [];
  return html`<h1>${t("inbox")}</h1>
    <div class="filters">
      <div class="field"><label for="f-istatus">${t("status")}</label><${EnumSelect} id="f-istatus" enumName="InquiryStatus" any value=${status} onChange=${setStatus} /></div>
      <label class="check"><input type="checkbox" checked=${overdueOnly} onChange=${() => setOverdueOnly(!overdueOnly)} /> ${t("overdue")}</label>
    </div>
    <${Pending} state=${state} />
    ${state.data && items.length === 0 && html`<p class="muted">${t("empty")}</p>`}
    <div id="inbox">${items.map((i) => html`<${InquiryCard} key=${i.id} i=${i} done=${state.reload} />`)}</div>`;
}

function InquiryCard({ i, done }) {
  const [answer, setAnswer] = useState("");
  const [ground, setGround] = useState(GROUNDS[0]);
  const [details, setDetails] = useState("");
  const [mode, setMode] = useState("answer");
  const submit = async (/** @type {any} */ e) => {
    e.preventDefault();
    try {
      if (mode === "answer") { await request(op.ANSWER, { id: i.id, answer }); notify(t("answer_ok")); }
      else {
        const reason = ground === "ground_other" ? details : `${t(ground)}${details ? `. ${details}` : ""}`;
        await request(op.DECLINE, { id: i.id, reason });
        notify(t("declined_ok"));
      }
      done();
    } catch (err) { fail(err); }
  };
  return html`<article class=${`card${i.overdue ? " late" : ""}`} data-inquiry-id=${i.id}>
    <p class="meta"><strong>${i.outlet.name}</strong> · ${i.journalist.fullName} · ${t("asked")} ${fmt.dateTime(i.askedAt)} ·
      <${Badge} enumName="InquiryStatus" value=${i.status} /> · ${t("due")} <time datetime=${i.dueAt}>${fmt.dateTime(i.dueAt)}</time>
      ${i.overdue && html` <span class="badge s-failed">${t("overdue")}</span>`}</p>
    <p>${i.question}</p>
    ${i.answer && html`<p><strong>${t("answer")}:</strong> ${i.answer}</p>`}
    ${i.declineReason && html`<p><strong>${t("reason")}:</strong> ${i.declineReason}</p>`}
    ${i.rating && html`<p>${t("rating")}: <${Badge} enumName="AnswerRating" value=${i.rating} /></p>`}
    ${i.status === "OPEN" && html`<form class="answer" onSubmit=${submit}>
      <div class="tabs" role="group"><button type="button" aria-pressed=${mode === "answer"} onClick=${() => setMode("answer")}>${t("answer")}</button>
        <button type="button" aria-pressed=${mode === "decline"} onClick=${() => setMode("decline")}>${t("decline")}</button></div>
      ${mode === "answer"
        ? html`<label for=${`ans-${i.id}`}>${t("answer")}</label><textarea id=${`ans-${i.id}`} required value=${answer} onInput=${(/** @type {any} */ e) => setAnswer(e.currentTarget.value)}></textarea>`
        : html`<label for=${`gr-${i.id}`}>${t("legal_ground")}</label>
          <select id=${`gr-${i.id}`} onChange=${(/** @type {any} */ e) => setGround(e.currentTarget.value)}>${GROUNDS.map((g) => html`<option value=${g} selected=${g === ground}>${t(g)}</option>`)}</select>
          <label for=${`det-${i.id}`}>${t("details")}</label><textarea id=${`det-${i.id}`} required=${ground === "ground_other"} value=${details} onInput=${(/** @type {any} */ e) => setDetails(e.currentTarget.value)}></textarea>`}
      <p><button type="submit">${mode === "answer" ? t("answer") : t("decline")}</button></p>
    </form>`}
  </article>`;
}
