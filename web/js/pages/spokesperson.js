// The spokesperson's pages: the unit's releases with filters, the editor (drafts, Markdown
// preview rendered by the server, the audience picker with its reach, visibility, topics,
// conference fields, publish now or on an embargo), and the question inbox.
import { html, useState, useEffect, useRef } from "../lib.js";
import { t, label, fmt, values, fromLocalInput, toLocalInput } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, usePoll, Pending, Badge, EnumSelect, EnumChecks, notify, fail } from "../ui.js";
import { Uploader, Gallery } from "../files.js";
import { DateTimeField } from "../datetime.js";
import { confirmAct } from "../confirm.js";
import { MarkdownToolbar, onPasteMarkdown } from "../markdown_tools.js";
import { RichEditor } from "../rich_editor.js";

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
    ${state.data && html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="my-releases" class="stack">
      <thead><tr><th scope="col">${t("title")}</th><th scope="col">${t("kind")}</th><th scope="col">${t("status")}</th>
        <th scope="col">${t("published_at")}</th><th scope="col">${t("delivery")}</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr data-release-id=${r.id}>
        <td data-label=${t("title")}><a href=${r.status === "DRAFT" ? `#/edit/${r.id}` : `#/releases/${r.id}`}>${r.title}</a>
          ${r.correctedBy && html`<small class="corrected-mark">${t("corrected_by")}: <a href=${`#/releases/${r.correctedBy.id}`}>${r.correctedBy.title}</a></small>`}</td>
        <td data-label=${t("kind")}>${label("ReleaseKind", r.kind)}</td><td data-label=${t("status")}><${Badge} enumName="ReleaseStatus" value=${r.status} /></td>
        <td data-label=${t("published_at")}>${fmt.dateTime(r.publishedAt || r.publishAt)}</td>
        <td data-label=${t("delivery")}>${r.deliveryStats.targeted > 0 && html`<${Reach} s=${r.deliveryStats} />`}</td>
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

/** Whether a "YYYY-MM-DDTHH:mm" Vietnam time is still ahead. */
const ahead = (/** @type {string} */ local) => {
  const iso = fromLocalInput(local);
  return iso != null && new Date(iso).getTime() > Date.now();
};

/** How long the editor waits after the last keystroke before saving a draft by itself. */
const AUTOSAVE_MS = 4000;

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
  const [files, setFiles] = useState(/** @type {any[]} */ ([]));
  // "saved" (with when), "dirty" (changes not saved yet), "saving", or "" before any edit.
  const [saveState, setSaveState] = useState({ kind: "", at: "" });
  const [invalid, setInvalid] = useState(/** @type {Record<string, boolean>} */ ({}));
  const busy = useRef(false);
  const outlets = useAsync(() => request(op.OUTLETS, { accreditation: "ACCREDITED" }).then((d) => d.outlets), []);
  useEffect(() => {
    const id = editing || correcting;
    if (!id) return;
    // A load that lands after the route moved on must not overwrite what is being typed.
    let current = true;
    request(op.RELEASE, { id }).then(({ release: r }) => {
      if (!current) return;
      if (!r) { setError(t("not_found")); return; }
      setFiles(r.attachments || []);
      if (editing) { setF(formOf(r)); setVersion(r.version); }
      else setF({ ...formOf(r), kind: "CORRECTION", title: `${t("correction")}: ${r.title}`, supersedesId: r.id, visibility: r.visibility, publishAt: "" });
    }, fail);
    return () => { current = false; };
  }, [editing, correcting]);
  const set = (/** @type {Partial<typeof EMPTY>} */ patch) => {
    setF((old) => ({ ...old, ...patch }));
    setSaveState((s) => (s.kind === "saving" ? s : { kind: "dirty", at: s.at }));
  };
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
    setSaveState((s) => ({ kind: "saving", at: s.at }));
    try {
      let id = savedId;
      if (savedId) {
        const d = await request(op.UPDATE_RELEASE, { id: savedId, input: fields() });
        setVersion(d.updateRelease.version);
      } else {
        const input = { ...fields(), unitId: me.unit.id, supersedesId: f.supersedesId || null };
        const d = await request(op.CREATE_RELEASE, { input });
        id = d.createRelease.id;
        setSavedId(id);
      }
      setSaveState({ kind: "saved", at: new Date().toISOString() });
      return id;
    } catch (e) {
      setSaveState((s) => ({ kind: "dirty", at: s.at }));
      throw e;
    }
  };
  // Autosave: a draft with a title, summary and body is saved a few seconds after the last
  // change (never a published one: editing is only for drafts and scheduled releases).
  useEffect(() => {
    if (saveState.kind !== "dirty" || !f.title.trim() || !f.summary.trim() || !f.body.trim()) return;
    if (Object.values(invalid).some(Boolean)) return;
    const timer = setTimeout(() => {
      if (busy.current) return;
      save().catch(() => { /* shown as "not saved"; the next change tries again */ });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [f, saveState.kind]);
  const audienceLine = () => (reach
    ? t("confirm_reach", { outlets: fmt.number(reach.outlets), journalists: fmt.number(reach.journalists), emails: fmt.number(reach.emailRecipients) })
    : t("confirm_reach_unknown"));
  const act = async (/** @type {"draft"|"publish"|"schedule"} */ what) => {
    setError("");
    // The embargo's own field matters only when scheduling.
    if (Object.entries(invalid).some(([k, bad]) => bad && (what === "schedule" || k !== "publishAt"))) { setError(t("fix_dates")); return; }
    if (what === "schedule" && !ahead(f.publishAt)) { setError(t("past_time")); return; }
    if (what !== "draft") {
      const when = what === "schedule" ? fmt.long(fromLocalInput(f.publishAt)) : t("right_now");
      const yes = await confirmAct({
        title: t(what === "schedule" ? "confirm_schedule_h" : "confirm_publish_h", { title: f.title || "…" }),
        lines: [audienceLine(), t("confirm_when", { when }),
          label("Visibility", f.visibility || (f.mode === "all" ? "PUBLIC" : "PRESS_ONLY"))],
        action: t(what === "schedule" ? "schedule" : "publish"),
      });
      if (!yes) return;
    }
    busy.current = true;
    try {
      const id = await save();
      if (what === "draft") { notify(t("draft_saved")); return; }
      const at = what === "schedule" ? fromLocalInput(f.publishAt) : null;
      await request(op.PUBLISH, { id, at });
      notify(what === "schedule" ? t("scheduled_msg", { when: fmt.long(at) }) : t("published_msg", { title: f.title }));
      location.hash = `#/releases/${id}`;
    } catch (e) { setError(e instanceof Error ? e.message : String(e)); } finally { busy.current = false; }
  };
  const input = (/** @type {keyof typeof EMPTY} */ k) => (/** @type {any} */ e) => set({ [k]: e.currentTarget.value });
  const when = (/** @type {keyof typeof EMPTY} */ k) => (/** @type {string} */ v, /** @type {boolean} */ ok) => {
    set({ [k]: v });
    setInvalid((old) => ({ ...old, [k]: !ok }));
  };
  const list = outlets.data || [];
  const conf = conference();
  return html`<h1>${editing ? t("edit") : f.supersedesId ? t("correction") : t("new_release")}${version ? html` <span class="muted">v${version}</span>` : ""}</h1>
    <p id="save-state" class="muted" aria-live="polite">${saveState.kind === "saved" ? t("saved_at", { at: fmt.time(saveState.at) })
      : saveState.kind === "saving" ? t("saving") : saveState.kind === "dirty" ? t("unsaved") : ""}</p>
    <form id="write" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); /* Enter never sends: publishing is its own button */ }}>
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
        <button type="button" id="mode-rich" aria-pressed=${tab === "write"} onClick=${() => setTab("write")}>${t("editor")}</button>
        <button type="button" id="mode-markdown" aria-pressed=${tab === "markdown"} onClick=${() => setTab("markdown")}>${t("markdown")}</button>
        <button type="button" id="show-preview" aria-pressed=${tab === "preview"} onClick=${showPreview}>${t("preview")}</button>
      </div>
      ${tab === "write"
        ? html`<p class="label" id="body-label">${t("body_rich")}</p>
          <${RichEditor} id="body-rich" labelledBy="body-label" markdown=${f.body} onChange=${(/** @type {string} */ v) => set({ body: v })} />
          <small class="muted">${t("body_hint")}</small>`
        : tab === "markdown"
        ? html`<label for="body">${t("body")}</label>
          <${MarkdownToolbar} target="body" value=${f.body} onChange=${(/** @type {string} */ v) => set({ body: v })} />
          <textarea id="body" name="body" required rows="12" value=${f.body} aria-describedby="body-hint" onInput=${input("body")}
            onPaste=${onPasteMarkdown((/** @type {string} */ v) => set({ body: v }))}></textarea>
          <small id="body-hint" class="muted">${t("body_hint")}</small>`
        : html`<article id="preview" class="release card" aria-live="polite" aria-label=${t("preview_as_press")}>
            <p class="meta">${me.unit.name} · ${label("ReleaseKind", f.kind)}</p>
            <h2>${f.title}</h2><p class="lead">${f.summary}</p>
            <div class="body" dangerouslySetInnerHTML=${{ __html: previewHtml }}></div>
            ${f.topics.trim() && html`<p class="meta">${t("topics")}: ${f.topics}</p>`}
            <${Gallery} files=${files} compact />
            ${conf && html`<dl class="facts"><dt>${t("starts")}</dt><dd>${fmt.long(conf.startsAt)}</dd>
              <dt>${t("location")}</dt><dd>${conf.location}</dd></dl>`}
          </article>`}
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
        <${DateTimeField} id="starts" label=${t("starts")} required value=${f.startsAt} onChange=${when("startsAt")} />
        <${DateTimeField} id="ends" label=${t("ends")} value=${f.endsAt} onChange=${when("endsAt")} />
        <label for="location">${t("location")}</label><input id="location" name="location" required value=${f.location} onInput=${input("location")} />
        <${DateTimeField} id="rsvp-deadline" label=${t("rsvp_deadline")} value=${f.rsvpDeadline} onChange=${when("rsvpDeadline")} />
        <div class="field"><label for="capacity">${t("capacity")}</label><input id="capacity" type="number" min="1" value=${f.capacity} onInput=${input("capacity")} /></div>
      </fieldset>`}
      ${f.supersedesId && !savedId && files.length > 0 && html`<p class="notice" id="keeps-files">${t("correction_keeps_files", { n: files.length })}</p>`}
      <${Uploader} releaseId=${savedId} ensureSaved=${save} />
      <p class="error" role="alert" id="write-error">${error}</p>
      <div class="actions">
        <button type="button" class="secondary" name="draft" onClick=${() => act("draft")}>${t("save_draft")}</button>
        <button type="button" name="publish" onClick=${() => act("publish")}>${t("publish")}</button>
      </div>
      <div class="schedule">
        <${DateTimeField} id="publish-at" label=${t("publish_at")} value=${f.publishAt} onChange=${when("publishAt")} />
        <button type="button" name="schedule" class="secondary" disabled=${!f.publishAt} onClick=${() => act("schedule")}>${t("schedule")}</button>
      </div>
    </form>`;
}

/** The legal grounds a spokesperson may decline on (Decree 09/2017, Art. 9), as message keys. */
const GROUNDS = ["ground_secret", "ground_investigation", "ground_privacy", "ground_policy", "ground_scope", "ground_other"];

export function Inbox({ me }) {
  const [status, setStatus] = useState(/** @type {string|null} */ ("OPEN"));
  const [overdueOnly, setOverdueOnly] = useState(false);
  const state = useAsync(() => request(op.INQUIRIES, { unitId: me.unit.id, status, overdueOnly }), [status, overdueOnly]);
  usePoll(state.reload, 20000);
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
