// Date and time entry the same way whatever the browser's locale: day/month/year and 24-hour
// time, typed (or picked from the month grid), always in Vietnam time with the zone shown. The
// browser's own datetime-local follows its locale (mm/dd/yyyy on an English browser) and turned
// "07/12" into 12 July: that input is not used.
//
// Values move between components as "YYYY-MM-DDTHH:mm" in Vietnam time (what toLocalInput and
// fromLocalInput in i18n.js convert to and from an instant).
import { html, useState, useEffect } from "./lib.js";
import { t } from "./i18n.js";

/**
 * "dd/mm/yyyy" (also d/m/yyyy, dd.mm.yyyy, dd-mm-yyyy) as "YYYY-MM-DD", or null when it is
 * not a real date.
 */
export function parseDate(/** @type {string} */ text) {
  const m = text.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "HH:mm" (also H:mm, HHmm, HH.mm) in 24-hour time as "HH:mm", or null. */
export function parseTime(/** @type {string} */ text) {
  const m = text.trim().match(/^(\d{1,2})[:.h]?(\d{2})$/);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  if (h > 23 || mi > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`;
}

/** "YYYY-MM-DDTHH:mm" as the two fields' texts. */
export function partsOf(/** @type {string} */ local) {
  if (!local) return { date: "", time: "" };
  const [d, tm = ""] = local.split("T");
  const [y, mo, day] = d.split("-");
  return { date: `${day}/${mo}/${y}`, time: tm.slice(0, 5) };
}

/**
 * A date and a time field in Vietnam time. `onChange(value, valid)`: value is
 * "YYYY-MM-DDTHH:mm", or "" when both fields are empty; valid is false while what is typed is
 * not a date and time.
 * @param {{id: string, label: string, value: string, required?: boolean,
 *   onChange: (value: string, valid: boolean) => void}} props
 */
export function DateTimeField({ id, label: text, value, required = false, onChange }) {
  const [parts, setParts] = useState(partsOf(value));
  const [error, setError] = useState("");
  // A value set from outside (a loaded draft) replaces what the fields show.
  useEffect(() => {
    const mine = combine(parts);
    if (value !== mine.value) setParts(partsOf(value));
  }, [value]);
  const update = (/** @type {{date: string, time: string}} */ next) => {
    setParts(next);
    const c = combine(next);
    setError(c.valid ? "" : c.error);
    onChange(c.value, c.valid);
  };
  const hint = `${id}-hint`;
  return html`<fieldset class="datetime" id=${id}>
    <legend>${text}</legend>
    <div class="row">
      <div class="field"><label for=${`${id}-date`}>${t("date_dmy")}</label>
        <input id=${`${id}-date`} class="date" inputmode="numeric" autocomplete="off" placeholder=${t("date_placeholder")}
          required=${required} aria-describedby=${hint} aria-invalid=${error ? "true" : undefined} value=${parts.date}
          onInput=${(/** @type {any} */ e) => update({ ...parts, date: e.currentTarget.value })} /></div>
      <div class="field"><label for=${`${id}-time`}>${t("time_24h")}</label>
        <input id=${`${id}-time`} class="time" inputmode="numeric" autocomplete="off" placeholder="HH:mm"
          required=${required} aria-describedby=${hint} aria-invalid=${error ? "true" : undefined} value=${parts.time}
          onInput=${(/** @type {any} */ e) => update({ ...parts, time: e.currentTarget.value })} /></div>
    </div>
    <small id=${hint} class=${error ? "error" : "muted"}>${error || t("tz_note")}</small>
  </fieldset>`;
}

/** The fields' texts as a value, whether they make one, and what is wrong if not. */
function combine(/** @type {{date: string, time: string}} */ p) {
  if (!p.date.trim() && !p.time.trim()) return { value: "", valid: true, error: "" };
  const d = parseDate(p.date);
  const tm = parseTime(p.time);
  if (!d) return { value: "", valid: false, error: t("bad_date") };
  if (!tm) return { value: "", valid: false, error: t("bad_time") };
  return { value: `${d}T${tm}`, valid: true, error: "" };
}

/** "YYYY-MM-DD" as "dd/mm/yyyy". */
const dmy = (/** @type {string} */ iso) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

/**
 * A date alone, typed day/month/year whatever the browser's locale. `onChange(value, valid)`:
 * value is "YYYY-MM-DD" (a Vietnamese calendar day), or "" while what is typed is not a date.
 * @param {{id: string, label: string, value: string, required?: boolean,
 *   onChange: (value: string, valid: boolean) => void}} props
 */
export function DateField({ id, label: text, value, required = false, onChange }) {
  const [typed, setTyped] = useState(dmy(value));
  const [error, setError] = useState("");
  useEffect(() => { if (parseDate(typed) !== value) setTyped(dmy(value)); }, [value]);
  return html`<div class="field">
    <label for=${id}>${text} <small class="inline-hint">(${t("date_placeholder")})</small></label>
    <input id=${id} class="date" inputmode="numeric" autocomplete="off" placeholder=${t("date_placeholder")} required=${required}
      aria-invalid=${error ? "true" : undefined} aria-describedby=${error ? `${id}-error` : undefined} value=${typed}
      onInput=${(/** @type {any} */ e) => {
        const v = e.currentTarget.value;
        setTyped(v);
        const d = parseDate(v);
        setError(d || !v.trim() ? "" : t("bad_date"));
        onChange(d || "", Boolean(d));
      }} />
    ${error && html`<small id=${`${id}-error`} class="error">${error}</small>`}
  </div>`;
}
