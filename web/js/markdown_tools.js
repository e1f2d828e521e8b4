// Writing the body the way departments draft: a toolbar for the common marks, and paste from
// Word or Google Docs turned into clean Markdown (turndown, vendored from the npm registry) so
// headings, bold, lists and links survive and Word's styles, comments and empty spans do not.
// The server's sanitiser still judges what is published.
import { html } from "./lib.js";
import { t } from "./i18n.js";
import TurndownService from "/vendor/turndown/turndown.js";

const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", emDelimiter: "*", codeBlockStyle: "fenced" });
// Word marks bold and italic with spans and classes as often as with <b>/<i>.
turndown.addRule("wordBold", {
  filter: (node) => node.nodeName === "SPAN" && /font-weight:\s*(bold|[6-9]00)/i.test(node.getAttribute("data-style") || ""),
  replacement: (content) => (content.trim() ? `**${content.trim()}** ` : content),
});
turndown.addRule("wordItalic", {
  filter: (node) => node.nodeName === "SPAN" && /font-style:\s*italic/i.test(node.getAttribute("data-style") || ""),
  replacement: (content) => (content.trim() ? `*${content.trim()}* ` : content),
});
turndown.remove(["style", "script", "meta", "link", "title", "xml"]);

/** Pasted HTML (from Word, Google Docs, a web page) as Markdown. */
export function htmlToMarkdown(/** @type {string} */ source) {
  // Parsed inert (DOMParser runs no script and loads nothing), cleaned, then converted. The
  // page's CSP applies to the parsed document too: Word's <style> blocks and style attributes
  // would be refused (and reported) there, so they are dropped or renamed first.
  const safe = source
    .replace(/<style[\s\S]*?<\/style>/gi, "")
    .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*')/gi, " data-style=$1");
  const doc = new DOMParser().parseFromString(safe, "text/html");
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode && c.parentNode.removeChild(c);
  // Word's own elements (<o:p>) and Google Docs' wrapper (<b id="docs-internal-guid…"> with
  // font-weight: normal) carry no meaning of their own.
  for (const el of [...doc.body.querySelectorAll("*")]) {
    if (el.tagName.includes(":")) el.replaceWith(...el.childNodes);
  }
  for (const b of [...doc.body.querySelectorAll("b[id^='docs-internal-guid']")]) b.replaceWith(...b.childNodes);
  const md = turndown.turndown(doc.body);
  return md
    .replace(/\u00a0/g, " ")
    .replace(/^(\s*)([-*]|\d+\.) {2,}/gm, "$1$2 ")
    .replace(/(\S) {2,}/g, "$1 ")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Puts `text` in place of the selection of a textarea and tells the component. */
function replaceSelection(/** @type {HTMLTextAreaElement} */ area, /** @type {string} */ text, /** @type {(v: string) => void} */ onChange) {
  const { selectionStart: a, selectionEnd: b, value } = area;
  const next = value.slice(0, a) + text + value.slice(b);
  onChange(next);
  // After the component has put the new value in.
  requestAnimationFrame(() => { area.focus(); area.setSelectionRange(a + text.length, a + text.length); });
}

/** The paste handler for the body's textarea: HTML becomes Markdown; plain text stays. */
export function onPasteMarkdown(/** @type {(v: string) => void} */ onChange) {
  return (/** @type {ClipboardEvent} */ e) => {
    const data = e.clipboardData;
    const source = data && data.getData("text/html");
    if (!source) return;
    e.preventDefault();
    const area = /** @type {HTMLTextAreaElement} */ (e.currentTarget);
    // Blocks (headings, lists) start on a line of their own.
    const before = area.value.slice(0, area.selectionStart);
    const gap = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    replaceSelection(area, gap + htmlToMarkdown(source), onChange);
  };
}

/** Marks around the selection (or a line prefix for each selected line). */
const MARKS = [
  { key: "md_bold", label: "B", wrap: ["**", "**"] },
  { key: "md_italic", label: "I", wrap: ["*", "*"] },
  { key: "md_heading", label: "H", prefix: "## " },
  { key: "md_list", label: "•", prefix: "- " },
  { key: "md_numbered", label: "1.", prefix: "1. " },
  { key: "md_quote", label: "❝", prefix: "> " },
  { key: "md_link", label: "🔗", wrap: ["[", "](https://)"] },
];

/**
 * The toolbar over the body's textarea (`target` is its id).
 * @param {{target: string, value: string, onChange: (v: string) => void}} props
 */
export function MarkdownToolbar({ target, value, onChange }) {
  const apply = (/** @type {any} */ m) => {
    const area = /** @type {HTMLTextAreaElement|null} */ (document.getElementById(target));
    if (!area) return;
    const { selectionStart: a, selectionEnd: b } = area;
    const chosen = value.slice(a, b);
    const text = m.wrap
      ? `${m.wrap[0]}${chosen || t(m.key)}${m.wrap[1]}`
      : (chosen || t(m.key)).split("\n").map((l) => `${m.prefix}${l}`).join("\n");
    replaceSelection(area, text, onChange);
  };
  return html`<div class="md-toolbar" role="toolbar" aria-label=${t("md_toolbar")} aria-controls=${target}>
    ${MARKS.map((m) => html`<button type="button" class="secondary small" data-mark=${m.key} title=${t(m.key)}
      onClick=${() => apply(m)}><span aria-hidden="true">${m.label}</span><span class="sr-only">${t(m.key)}</span></button>`)}
  </div>`;
}
