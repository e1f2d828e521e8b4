// The one confirmation before an act that cannot be taken back (publish, schedule, retract,
// revoke, end a term): a modal <dialog> that names what happens and to whom. Escape or
// "Cancel" answers no; focus starts on Cancel, so a stray Enter does nothing irreversible.
import { html, signal, useEffect, useRef } from "./lib.js";
import { t } from "./i18n.js";

/** What is being asked, with the function that answers it; null when nothing is. */
const asking = signal(/** @type {null | {title: string, lines: string[], action: string, danger: boolean, answer: (yes: boolean) => void}} */ (null));

/**
 * Asks; resolves true when confirmed.
 * @param {{title: string, lines?: string[], action: string, danger?: boolean}} what
 * @returns {Promise<boolean>}
 */
export function confirmAct({ title, lines = [], action, danger = false }) {
  return new Promise((resolve) => {
    if (asking.value) asking.value.answer(false);
    asking.value = {
      title, lines, action, danger,
      answer: (yes) => { asking.value = null; resolve(yes); },
    };
  });
}

/** Rendered once by the application shell. */
export function ConfirmHost() {
  const ref = useRef(/** @type {HTMLDialogElement|null} */ (null));
  const q = asking.value;
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (q && !d.open) d.showModal();
    if (!q && d.open) d.close();
    if (q) d.querySelector("button.cancel")?.focus();
  }, [q]);
  return html`<dialog ref=${ref} id="confirm" aria-labelledby="confirm-h" aria-describedby="confirm-body"
      onCancel=${(/** @type {Event} */ e) => { e.preventDefault(); q && q.answer(false); }}>
    ${q && html`<h2 id="confirm-h">${q.title}</h2>
      <div id="confirm-body">${q.lines.map((l) => html`<p>${l}</p>`)}</div>
      <p class="actions">
        <button type="button" class="secondary cancel" onClick=${() => q.answer(false)}>${t("cancel")}</button>
        <button type="button" class=${q.danger ? "danger" : ""} id="confirm-ok" onClick=${() => q.answer(true)}>${q.action}</button>
      </p>`}
  </dialog>`;
}
