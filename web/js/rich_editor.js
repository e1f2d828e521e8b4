// The body's rich-text editor, for people who write in Word: Quill (vendored from the npm
// registry) with our own accessible toolbar. The release keeps Markdown: what is typed is turned
// into Markdown on each change (turndown); a body loaded from the server is rendered by the
// server's own Markdown renderer and sanitiser (renderMarkdown) and shown. Paste from Word or
// Google Docs is cleaned first (cleanPastedHtml): Quill's own paste would parse Word's style
// attributes, which the page's CSP refuses.
import { html, useEffect, useRef, useState } from "./lib.js";
import { t } from "./i18n.js";
import { request } from "./api/client.js";
import * as op from "./api/operations.js";
import { cleanPastedHtml, htmlToMarkdown } from "./markdown_tools.js";

/** Quill and its stylesheet, loaded the first time an editor opens (not for every reader). */
let loading = /** @type {Promise<any>|null} */ (null);
function loadQuill() {
  if (!loading) {
    const css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = "/vendor/quill/quill.core.css";
    document.head.append(css);
    loading = import("/vendor/quill/quill.js").then(() => /** @type {any} */ (window).Quill);
  }
  return loading;
}

const FORMATS = ["bold", "italic", "header", "list", "blockquote", "link"];

/** Toolbar buttons: [message key, visible mark, what it does to the selection]. */
const BUTTONS = [
  ["md_bold", "B", (/** @type {any} */ q, /** @type {any} */ f) => q.format("bold", !f.bold, "user")],
  ["md_italic", "I", (/** @type {any} */ q, /** @type {any} */ f) => q.format("italic", !f.italic, "user")],
  ["md_heading", "H", (/** @type {any} */ q, /** @type {any} */ f) => q.format("header", f.header === 2 ? false : 2, "user")],
  ["md_list", "•", (/** @type {any} */ q, /** @type {any} */ f) => q.format("list", f.list === "bullet" ? false : "bullet", "user")],
  ["md_numbered", "1.", (/** @type {any} */ q, /** @type {any} */ f) => q.format("list", f.list === "ordered" ? false : "ordered", "user")],
  ["md_quote", "❝", (/** @type {any} */ q, /** @type {any} */ f) => q.format("blockquote", !f.blockquote, "user")],
  ["md_link", "↗", (/** @type {any} */ q, /** @type {any} */ f) => {
    const url = f.link ? "" : window.prompt(t("md_link_prompt"), "https://");
    q.format("link", url && /^https?:\/\//.test(url) ? url : false, "user");
  }],
];

/**
 * @param {{id: string, labelledBy: string, markdown: string, onChange: (markdown: string) => void}} props
 */
export function RichEditor({ id, labelledBy, markdown, onChange }) {
  const host = useRef(/** @type {HTMLDivElement|null} */ (null));
  const quill = useRef(/** @type {any} */ (null));
  /** The Markdown this editor last produced: a prop equal to it is our own echo, not a load. */
  const mine = useRef(/** @type {string|null} */ (null));
  const change = useRef(onChange);
  change.current = onChange;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    loadQuill().then((Quill) => {
      if (!live || !host.current || !Quill) return;
      start(Quill);
      setReady(true);
    }, () => {});
    return () => { live = false; quill.current = null; };
  }, []);
  const start = (/** @type {any} */ Quill) => {
    const q = new Quill(host.current, { formats: FORMATS, modules: { toolbar: false } });
    const root = q.root;
    root.id = id;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    root.setAttribute("aria-labelledby", labelledBy);
    // Before Quill's own handler (capture): Word's markup cleaned, then pasted as HTML.
    root.addEventListener("paste", (/** @type {ClipboardEvent} */ e) => {
      const source = e.clipboardData && e.clipboardData.getData("text/html");
      if (!source) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      const range = q.getSelection(true);
      q.deleteText(range.index, range.length, "user");
      // Pasted blocks (a heading, a list) start on a line of their own.
      let at = range.index;
      const [, offset] = q.getLine(at);
      if (offset > 0) { q.insertText(at, "\n", "user"); at += 1; }
      q.clipboard.dangerouslyPasteHTML(at, cleanPastedHtml(source).body.innerHTML, "user");
    }, true);
    q.on("text-change", (/** @type {any} */ _d, /** @type {any} */ _o, /** @type {string} */ source) => {
      // Only what the person did: Quill's own changes (its start, a body shown) are not edits.
      if (source !== "user") return;
      const md = q.getLength() <= 1 ? "" : htmlToMarkdown(q.getSemanticHTML());
      mine.current = md;
      change.current(md);
    });
    quill.current = q;
  };
  // A body from outside (a draft loaded, a correction started from its original): rendered
  // by the server and shown. Its answer is checked against `mine`, not against this effect's
  // lifetime: the editor turning ready re-runs the effect while the render is in flight, and a
  // cleanup flag would drop the very body it was loading.
  useEffect(() => {
    const q = quill.current;
    if (!q || markdown === mine.current) return;
    mine.current = markdown;
    if (!markdown.trim()) { q.setText("", "silent"); return; }
    request(op.RENDER_MARKDOWN, { markdown }).then((d) => {
      // Typed into, or another body loaded, meanwhile: that wins.
      if (!quill.current || mine.current !== markdown) return;
      q.setContents(q.clipboard.convert({ html: d.renderMarkdown }), "silent");
    }, () => {});
  }, [markdown, ready]);
  const apply = (/** @type {any} */ act) => {
    const q = quill.current;
    if (!q) return;
    q.focus();
    act(q, q.getFormat());
  };
  return html`<div class="rich">
    <div class="md-toolbar" role="toolbar" aria-label=${t("md_toolbar")} aria-controls=${id}>
      ${BUTTONS.map(([key, mark, act]) => html`<button type="button" class="secondary small" data-mark=${key} title=${t(/** @type {string} */ (key))}
        onMouseDown=${(/** @type {Event} */ e) => e.preventDefault()} onClick=${() => apply(act)}>
        <span aria-hidden="true">${mark}</span><span class="sr-only">${t(/** @type {string} */ (key))}</span></button>`)}
    </div>
    <div class="rich-host" ref=${host}></div>
  </div>`;
}
