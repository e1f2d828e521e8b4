// Writing the body the way departments draft: a toolbar for the common marks, and paste from
// Word or Google Docs turned into clean Markdown (turndown, vendored from the npm registry) so
// headings, bold, lists and links survive and Word's styles, comments and empty spans do not.
// The server's sanitiser still judges what is published.
import { html } from "./lib.js";
import { t } from "./i18n.js";
import TurndownService from "/vendor/turndown/turndown.js";

const turndown = new TurndownService({ headingStyle: "atx", bulletListMarker: "-", emDelimiter: "*", codeBlockStyle: "fenced" });
turndown.remove(["style", "script", "meta", "link", "title", "xml"]);

/**
 * Pasted HTML (from Word, Google Docs, a web page) reduced to its meaning, as a document:
 * comments, <style>, Word's own elements (<o:p>) and Google Docs' wrapper gone; bold and italic
 * that Word expresses in style attributes turned into <strong> and <em>; no style attribute
 * left. The page's CSP applies even to an inert parsed document, and would refuse (and report)
 * Word's <style> blocks and style attributes, so those are renamed before parsing.
 */
export function cleanPastedHtml(/** @type {string} */ source) {
  const safe = source
    .replace(/<style[\s\S]*?<\/style>/gi, "")
    .replace(/\sstyle\s*=\s*("[^"]*"|'[^']*')/gi, " data-style=$1");
  const doc = new DOMParser().parseFromString(safe, "text/html");
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  for (const c of comments) c.parentNode && c.parentNode.removeChild(c);
  for (const el of [...doc.body.querySelectorAll("*")]) {
    if (el.tagName.includes(":")) el.replaceWith(...el.childNodes);
  }
  for (const b of [...doc.body.querySelectorAll("b[id^='docs-internal-guid']")]) b.replaceWith(...b.childNodes);
  for (const span of [...doc.body.querySelectorAll("span[data-style]")]) {
    const style = span.getAttribute("data-style") || "";
    let node = /** @type {Element} */ (span);
    if (/font-style:\s*italic/i.test(style)) { const em = doc.createElement("em"); em.append(...node.childNodes); node.replaceWith(em); node = em; }
    if (/font-weight:\s*(bold|[6-9]00)/i.test(style)) { const strong = doc.createElement("strong"); strong.append(...node.childNodes); node.replaceWith(strong); }
  }
  for (const el of [...doc.body.querySelectorAll("[data-style], [class]")]) { el.removeAttribute("data-style"); el.removeAttribute("class"); }
  return doc;
}

/** Pasted HTML (from Word, Google Docs, a web page) as Markdown. */
export function htmlToMarkdown(/** @type {string} */ source) {
  const md = turndown.turndown(cleanPastedHtml(source).body);
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
  { key: "md_link", label: "↗", wrap: ["[", "](https://)"] },
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
