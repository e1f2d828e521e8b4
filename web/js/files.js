// Source material in the web app: a release's files as a gallery (thumbnails, sizes, checksums,
// download buttons, and for its unit and the authority who downloaded what), and the editor's
// drop zone with upload progress.
import { html, useState, useEffect, useRef } from "./lib.js";
import { t, fmt, lang } from "./i18n.js";
import { request, uploadFile, blobUrl, download } from "./api/client.js";
import * as op from "./api/operations.js";
import { notify, fail } from "./ui.js";

/** Bytes for people: 1,2 MB. The exact count is in `sizeBytes` (it may exceed 2 GiB). */
export function bytes(/** @type {string|number} */ n) {
  const v = Number(n);
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return new Intl.NumberFormat(lang.value === "en" ? "en-GB" : "vi-VN", { style: "unit", unit: units[i], maximumFractionDigits: i ? 1 : 0 }).format(x);
}

/** The path of a file URL (served by this origin), for fetch. */
const path = (/** @type {string} */ url) => new URL(url, location.origin).pathname + new URL(url, location.origin).search;

/** A release's photo on its card (the first image among its files), or nothing. */
export function CardPhoto({ files }) {
  const a = (files || []).find((/** @type {any} */ f) => f.thumbnailUrl && f.contentType.startsWith("image/"));
  return a ? html`<div class="card-photo"><${Thumb} a=${a} /></div>` : null;
}

function Thumb({ a }) {
  const [src, setSrc] = useState("");
  useEffect(() => {
    if (!a.thumbnailUrl) return;
    let url = "";
    blobUrl(path(a.thumbnailUrl)).then((u) => { url = u; setSrc(u); }, () => {});
    return () => { if (url) URL.revokeObjectURL(url); };
  }, [a.thumbnailUrl]);
  if (!a.thumbnailUrl) return html`<span class="file-icon" aria-hidden="true">${a.contentType.split("/")[1] || "file"}</span>`;
  return src ? html`<img class="thumb" src=${src} alt=${a.caption || a.filename} width="160" />` : html`<span class="thumb placeholder" aria-hidden="true"></span>`;
}

/**
 * The gallery; `counts` (id -> downloads) for the unit and the authority. `compact`: inside a
 * feed card (no heading, no ids: a feed holds many). The editor passes `onRemove`, `onEdit`
 * (caption and credit, saved when a field is left) and `onMove` (one place up or down).
 */
export function Gallery({ files, counts, onRemove, onEdit, onMove, compact = false }) {
  if (!files.length) return null;
  const list = html`<ul class="gallery" id=${compact ? undefined : "files"} aria-label=${compact ? t("files") : undefined}>${files.map((/** @type {any} */ a, /** @type {number} */ i) => html`<li class="file" data-attachment-id=${a.id}>
      <${Thumb} a=${a} />
      <div class="file-meta">
        <strong>${a.filename}</strong>
        ${onEdit ? html`<input class="caption-edit" aria-label=${`${t("caption")}: ${a.filename}`} placeholder=${t("caption")} value=${a.caption || ""}
            onChange=${(/** @type {any} */ e) => onEdit(a, { caption: e.currentTarget.value, credit: a.credit })} />
          <input class="credit-edit" aria-label=${`${t("credit")}: ${a.filename}`} placeholder=${t("credit")} value=${a.credit || ""}
            onChange=${(/** @type {any} */ e) => onEdit(a, { caption: a.caption, credit: e.currentTarget.value })} />`
        : html`${a.caption && html`<span>${a.caption}</span>`}
          ${a.credit && html`<small class="muted">${a.credit}</small>`}`}
        <small class="muted">${a.contentType} · ${bytes(a.sizeBytes)}${a.width ? ` · ${a.width}×${a.height}` : ""}</small>
        ${onEdit && a.keepsMetadata && html`<small class="keeps-metadata">${t("keeps_metadata")}</small>`}
        <small class="mono muted" title=${a.sha256}>SHA-256 ${a.sha256.slice(0, 16)}…</small>
        ${counts && html`<small>${t("downloads_n", { n: fmt.number(counts[a.id] || 0) })}</small>`}
        <span class="actions">
          <button type="button" class="secondary small download" onClick=${() => download(path(a.url), a.filename).catch(fail)}>${t("download")}</button>
          ${onMove && html`<button type="button" class="secondary small move-up" disabled=${i === 0} aria-label=${`${t("move_up")}: ${a.filename}`} onClick=${() => onMove(a, -1)}>↑</button>
            <button type="button" class="secondary small move-down" disabled=${i === files.length - 1} aria-label=${`${t("move_down")}: ${a.filename}`} onClick=${() => onMove(a, 1)}>↓</button>`}
          ${onRemove && html`<button type="button" class="secondary small remove" onClick=${() => onRemove(a)}>${t("remove")}</button>`}
        </span>
      </div>
    </li>`)}</ul>`;
  return compact ? list : html`<section aria-labelledby="files-h"><h2 id="files-h">${t("files")}</h2>${list}</section>`;
}

/** Who downloaded a release's files (its unit, ADMIN, AUDITOR). */
export function Downloads({ releaseId, files }) {
  const [rows, setRows] = useState(/** @type {any[]|null} */ (null));
  useEffect(() => { request(op.DOWNLOADS, { releaseId }).then((d) => setRows(d.downloads), () => setRows([])); }, [releaseId]);
  if (!rows) return null;
  /** @type {Record<string, number>} */
  const counts = {};
  rows.forEach((d) => { if (d.attachment) counts[d.attachment.id] = (counts[d.attachment.id] || 0) + 1; });
  const outlets = [...new Set(rows.map((d) => d.outlet && d.outlet.name).filter(Boolean))];
  return html`<${Gallery} files=${files} counts=${counts} />
    <p id="downloaded-by" class="muted">${t("downloaded_by")}: ${outlets.length ? outlets.join(", ") : "—"}</p>`;
}

/** The editor's files: drop or choose, with a caption and credit, progress, removal. */
export function Uploader({ releaseId, ensureSaved }) {
  const [files, setFiles] = useState(/** @type {any[]} */ ([]));
  const [progress, setProgress] = useState(/** @type {number|null} */ (null));
  const [caption, setCaption] = useState("");
  const [credit, setCredit] = useState("");
  const [over, setOver] = useState(false);
  // Only the newest read is shown: an older one may answer last (the draft's first save).
  const latest = useRef(0);
  const reload = (/** @type {string} */ id) => {
    const n = ++latest.current;
    return request(op.RELEASE, { id }).then((d) => { if (n === latest.current && d.release) setFiles(d.release.attachments); }, fail);
  };
  useEffect(() => { if (releaseId) reload(releaseId); }, [releaseId]);
  const send = async (/** @type {FileList|File[]} */ chosen) => {
    const list = Array.from(chosen);
    try {
      const id = releaseId || (await ensureSaved());
      for (const file of list) {
        setProgress(0);
        await uploadFile(op.ADD_ATTACHMENT, { releaseId: id, caption: caption || null, credit: credit || null }, "file", file, setProgress);
      }
      notify(t("uploaded"));
      setCaption("");
      await reload(id);
    } catch (e) { fail(e); } finally { setProgress(null); }
  };
  const remove = async (/** @type {any} */ a) => {
    try { await request(op.REMOVE_ATTACHMENT, { id: a.id }); if (releaseId) await reload(releaseId); } catch (e) { fail(e); }
  };
  const edit = async (/** @type {any} */ a, /** @type {{caption: string|null, credit: string|null}} */ v) => {
    try {
      const d = await request(op.UPDATE_ATTACHMENT, { id: a.id, caption: v.caption || null, credit: v.credit || null });
      setFiles((old) => old.map((x) => (x.id === a.id ? d.updateAttachment : x)));
      notify(t("saved"));
    } catch (e) { fail(e); }
  };
  const move = async (/** @type {any} */ a, /** @type {number} */ by) => {
    const ids = files.map((x) => x.id);
    const i = ids.indexOf(a.id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j], ids[i]];
    try { setFiles((await request(op.REORDER_ATTACHMENTS, { releaseId, ids })).reorderAttachments); } catch (e) { fail(e); }
  };
  return html`<fieldset class="uploader"><legend>${t("files")}</legend>
    <div class="row">
      <div class="field"><label for="file-caption">${t("caption")}</label><input id="file-caption" value=${caption} onInput=${(/** @type {any} */ e) => setCaption(e.currentTarget.value)} /></div>
      <div class="field"><label for="file-credit">${t("credit")}</label><input id="file-credit" value=${credit} onInput=${(/** @type {any} */ e) => setCredit(e.currentTarget.value)} /></div>
    </div>
    <div class=${`dropzone${over ? " over" : ""}`} id="dropzone"
      onDragOver=${(/** @type {any} */ e) => { e.preventDefault(); setOver(true); }} onDragLeave=${() => setOver(false)}
      onDrop=${(/** @type {any} */ e) => { e.preventDefault(); setOver(false); if (e.dataTransfer.files.length) send(e.dataTransfer.files); }}>
      <p>${t("drop_here")}</p>
      <p class="muted metadata-note">${t("metadata_note")}</p>
      <label for="file-input" class="button secondary">${t("choose_files")}</label>
      <input id="file-input" class="sr-only" type="file" multiple accept="image/*,video/*,audio/*,application/pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
        onChange=${(/** @type {any} */ e) => {
          // Copied first: clearing the input (so the same file can be chosen again) empties its FileList.
          const chosen = Array.from(/** @type {FileList} */ (e.currentTarget.files));
          e.currentTarget.value = "";
          if (chosen.length) send(chosen);
        }} />
      ${progress != null && html`<progress id="upload-progress" max="1" value=${progress} aria-label=${t("uploading")}></progress>`}
    </div>
    <${Gallery} files=${files} onRemove=${remove} onEdit=${edit} onMove=${move} />
  </fieldset>`;
}
