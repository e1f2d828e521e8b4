// The authority's webhook endpoints of outlets' newsroom systems (ADMIN): register one (its
// Standard Webhooks secret is shown this once, to be handed to the newsroom), list, remove.
import { html, useState } from "../lib.js";
import { t, fmt } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, notify, fail } from "../ui.js";

export function Webhooks({ outlets }) {
  const [outletId, setOutletId] = useState(outlets.length ? outlets[0].id : "");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState("");
  const state = useAsync(() => (outletId ? request(op.WEBHOOK_ENDPOINTS, { outletId }).then((d) => d.webhookEndpoints) : Promise.resolve([])), [outletId]);
  const add = async (/** @type {Event} */ e) => {
    e.preventDefault();
    setError("");
    try {
      const d = await request(op.ADD_WEBHOOK, { outletId, url });
      setSecret(d.addWebhookEndpoint.secret);
      setUrl("");
      state.reload();
    } catch (err) { setError(err instanceof Error ? err.message : String(err)); }
  };
  const act = async (/** @type {string} */ query, /** @type {any} */ vars, /** @type {string} */ done) => {
    try {
      const d = await request(query, vars);
      const n = d.replayWebhookDeliveries;
      notify(typeof n === "number" ? t("webhook_replayed", { n }) : t(done));
      state.reload();
      // The worker answers within a second or two: show the outcome without a manual reload.
      setTimeout(() => state.reload(), 1500);
    } catch (err) { fail(err); }
  };
  const remove = (/** @type {any} */ w) => act(op.REMOVE_WEBHOOK, { id: w.id }, "saved");
  const list = state.data || [];
  return html`<section aria-labelledby="webhooks-h"><h2 id="webhooks-h">${t("webhooks")}</h2>
    <p class="muted">${t("webhooks_note")}</p>
    <form id="new-webhook" class="card" onSubmit=${add}>
      <label for="w-outlet">${t("outlet")}</label>
      <select id="w-outlet" value=${outletId} onChange=${(/** @type {any} */ e) => { setOutletId(e.currentTarget.value); setSecret(""); }}>
        ${outlets.map((/** @type {any} */ o) => html`<option value=${o.id}>${o.name}</option>`)}</select>
      <label for="w-url">${t("webhook_url")}</label>
      <input id="w-url" type="url" required placeholder="https://toasoan.example.vn/pressnet" value=${url} onInput=${(/** @type {any} */ e) => setUrl(e.currentTarget.value)} />
      <p class="error" role="alert" id="webhook-error">${error}</p>
      <p><button type="submit">${t("add_webhook")}</button></p>
      ${secret && html`<div class="notice" id="webhook-secret"><p>${t("webhook_secret_once")}</p><code class="mono secret">${secret}</code></div>`}
    </form>
    <div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="webhooks">
      <thead><tr><th scope="col">${t("webhook_url")}</th><th scope="col">${t("status")}</th><th scope="col">${t("webhook_recent")}</th><th scope="col">${t("created_at")}</th><th scope="col"><span class="sr-only">${t("actions")}</span></th></tr></thead>
      <tbody>${list.length === 0 ? html`<tr><td colspan="5" class="muted">${t("no_webhooks")}</td></tr>` : list.map((/** @type {any} */ w) => html`<tr data-webhook-id=${w.id}>
        <td class="mono">${w.url}</td>
        <td class="webhook-state">${w.enabled ? t("webhook_enabled") : t("webhook_disabled")}${w.disabledReason && html`<br /><small class="muted">${w.disabledReason}</small>`}${w.consecutiveFailures > 0 && html`<br /><small class="muted">${t("webhook_failures", { n: w.consecutiveFailures })}</small>`}</td>
        <td><ul class="plain attempts">${w.recentAttempts.map((/** @type {any} */ a) => html`<li data-attempt-id=${a.id}><span class=${`badge s-${a.status.toLowerCase()}`}>${a.status}</span> ${a.event}${a.httpStatus != null && ` · HTTP ${a.httpStatus}`} · ${fmt.dateTime(a.sentAt || a.createdAt)}${a.error && html`<br /><small class="muted">${a.error}</small>`}</li>`)}</ul></td>
        <td>${fmt.dateTime(w.createdAt)}</td>
        <td class="actions">
          <button type="button" class="secondary small test" disabled=${!w.enabled} onClick=${() => act(op.SEND_WEBHOOK_TEST, { id: w.id }, "webhook_test_sent")}>${t("webhook_test")}</button>
          <button type="button" class="secondary small replay" disabled=${!w.enabled} onClick=${() => act(op.REPLAY_WEBHOOK, { id: w.id }, "saved")}>${t("webhook_replay")}</button>
          <button type="button" class="secondary small toggle" onClick=${() => act(op.SET_WEBHOOK_ENABLED, { id: w.id, enabled: !w.enabled }, "saved")}>${w.enabled ? t("webhook_disable") : t("webhook_enable")}</button>
          <button type="button" class="secondary small remove" onClick=${() => remove(w)}>${t("remove")}</button></td></tr>`)}</tbody>
    </table></div>
  </section>`;
}
