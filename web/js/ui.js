// Components every page uses: form fields, enum pickers, badges, sortable tables, SVG charts with
// axes and labels, and the page-wide status line. Text goes through i18n; nothing here builds
// HTML from strings.
import { html, useState, useEffect, useCallback, signal } from "./lib.js";
import { t, label, values, fmt } from "./i18n.js";

/** The status line under the header (role=status): what just happened, or went wrong. */
export const status = signal({ text: "", kind: "", at: 0 });
export const notify = (/** @type {string} */ text, kind = "ok") => { status.value = { text, kind, at: Date.now() }; };
export const fail = (/** @type {unknown} */ e) => notify(e instanceof Error ? e.message : String(e), "error");

/**
 * Loads data for a component; `reload` runs it again.
 * @template T
 * @param {() => Promise<T>} load
 * @param {unknown[]} deps
 * @returns {{data: T|undefined, error: Error|null, loading: boolean, reload: () => void}}
 */
export function useAsync(load, deps) {
  const [state, setState] = useState(/** @type {{data: any, error: Error|null, loading: boolean}} */ ({ data: undefined, error: null, loading: true }));
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error) => live && setState({ data: undefined, error, loading: false }),
    );
    return () => { live = false; };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * Runs `reload` every `ms` while the tab is visible: pages whose data others change (answers,
 * replies, new questions) follow without a manual reload.
 * @param {() => void} reload
 * @param {number} ms
 */
export function usePoll(reload, ms) {
  useEffect(() => {
    const timer = setInterval(() => { if (!document.hidden) reload(); }, ms);
    return () => clearInterval(timer);
  }, [reload, ms]);
}

/** What a loading or failed `useAsync` shows; null once there is data. */
export function Pending({ state }) {
  if (state.error) return html`<p class="error" role="alert">${state.error.message}</p>`;
  if (state.data === undefined) return html`<p class="muted">${t("loading")}</p>`;
  return null;
}

/** A labelled control; `hint` is tied to it by aria-describedby. */
export function Field({ id, text, hint, children }) {
  return html`<div class="field">
    <label for=${id}>${text}</label>
    ${children}
    ${hint && html`<small id=${`${id}-hint`} class="muted">${hint}</small>`}
  </div>`;
}

/** A <select> of an API enum's values, labelled in the reader's language. */
export function EnumSelect({ id, name, enumName, value, onChange, any = false, required = false }) {
  return html`<select id=${id} name=${name || id} required=${required} value=${value ?? ""}
      onChange=${(/** @type {any} */ e) => onChange(e.currentTarget.value || null)}>
    ${any && html`<option value="">${t("all")}</option>`}
    ${values(enumName).map((v) => html`<option value=${v} selected=${v === value}>${label(enumName, v)}</option>`)}
  </select>`;
}

/** Check boxes for several values of an enum. */
export function EnumChecks({ name, enumName, selected, onChange }) {
  const toggle = (/** @type {string} */ v) => onChange(selected.includes(v) ? selected.filter((x) => x !== v) : [...selected, v]);
  return html`<fieldset class="checks"><legend>${t(name)}</legend>
    ${values(enumName).map((v) => html`<label class="check"><input type="checkbox" name=${name} value=${v}
      checked=${selected.includes(v)} onChange=${() => toggle(v)} /> ${label(enumName, v)}</label>`)}
  </fieldset>`;
}

/** A status as a coloured badge (the colour repeats the words, never replaces them). */
export function Badge({ enumName, value }) {
  return html`<span class=${`badge s-${String(value).toLowerCase()}`}>${label(enumName, value)}</span>`;
}

/**
 * A table whose columns sort on click (aria-sort says how).
 * @param {{id?: string, columns: {key: string, text: string, value?: (r: any) => any, render?: (r: any) => any, num?: boolean}[],
 *   rows: any[], rowClass?: (r: any) => string, initial?: string, caption?: string}} props
 */
export function Table({ id, columns, rows, rowClass, initial, caption }) {
  const [sort, setSort] = useState({ key: initial || "", dir: 1 });
  const col = columns.find((c) => c.key === sort.key);
  const sorted = col
    ? [...rows].sort((a, b) => {
      const va = col.value ? col.value(a) : a[col.key];
      const vb = col.value ? col.value(b) : b[col.key];
      return (va > vb ? 1 : va < vb ? -1 : 0) * sort.dir;
    })
    : rows;
  const by = (/** @type {string} */ key) => setSort((s) => ({ key, dir: s.key === key ? -s.dir : 1 }));
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id=${id} class="stack">
    ${caption && html`<caption>${caption}</caption>`}
    <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.num ? "num" : ""}
        aria-sort=${sort.key === c.key ? (sort.dir > 0 ? "ascending" : "descending") : "none"}>
      <button type="button" class="sort" onClick=${() => by(c.key)}>${c.text}</button></th>`)}</tr></thead>
    <tbody>${sorted.map((r) => html`<tr class=${rowClass ? rowClass(r) : ""}>
      ${columns.map((c) => html`<td class=${c.num ? "num" : ""} data-label=${c.text}>${c.render ? c.render(r) : String(c.value ? c.value(r) : r[c.key] ?? "")}</td>`)}
    </tr>`)}</tbody>
  </table></div>`;
}

/** A category label cut to what its slot holds (about 7 units of width per character at the
 * chart's font size), so neighbouring labels never overlap; the full name is its tooltip. */
function fit(/** @type {string} */ text, /** @type {number} */ slot) {
  const room = Math.max(3, Math.floor((slot - 4) / 7));
  return text.length > room ? `${text.slice(0, room - 1)}…` : text;
}

const W = 640;
const H = 240;
const PAD = { l: 48, r: 12, t: 12, b: 56 };

/** Round steps for an axis up to `max` (whole numbers when counting). */
function ticks(/** @type {number} */ max, count = 4, whole = true) {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const found = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
  const step = whole ? Math.max(1, Math.round(found)) : found;
  const out = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(v);
  return out;
}

/**
 * A bar chart with a labelled value axis and category labels; `target` draws a second, hollow
 * bar per category (for "held against required").
 * @param {{id: string, title: string, yLabel: string, data: {label: string, value: number, target?: number}[],
 *   percent?: boolean}} props
 */
export function BarChart({ id, title, yLabel, data, percent = false }) {
  const top = percent ? 1 : Math.max(1, ...data.map((d) => Math.max(d.value, d.target ?? 0)));
  const axis = percent ? [0, 0.25, 0.5, 0.75, 1] : ticks(top);
  const ymax = axis[axis.length - 1] || 1;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const slot = iw / Math.max(1, data.length);
  const bw = Math.min(48, slot * 0.6);
  const y = (/** @type {number} */ v) => PAD.t + ih - (v / ymax) * ih;
  const show = (/** @type {number} */ v) => (percent ? fmt.percent(v) : fmt.number(v));
  if (data.length === 0) {
    return html`<figure class="chart"><figcaption>${title}</figcaption><p id=${id} class="muted">${t("empty")}</p></figure>`;
  }
  return html`<figure class="chart">
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <svg id=${id} viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby=${`${id}-title ${id}-desc`}>
      <desc id=${`${id}-desc`}>${data.map((d) => `${d.label}: ${show(d.value)}${d.target != null ? ` / ${show(d.target)}` : ""}`).join("; ")}</desc>
      ${axis.map((v) => html`<g class="tick"><line x1=${PAD.l} x2=${W - PAD.r} y1=${y(v)} y2=${y(v)} />
        <text x=${PAD.l - 6} y=${y(v) + 4} text-anchor="end">${show(v)}</text></g>`)}
      <text class="axis-label" transform=${`translate(12 ${PAD.t + ih / 2}) rotate(-90)`} text-anchor="middle">${yLabel}</text>
      <line class="axis" x1=${PAD.l} x2=${PAD.l} y1=${PAD.t} y2=${PAD.t + ih} />
      <line class="axis" x1=${PAD.l} x2=${W - PAD.r} y1=${PAD.t + ih} y2=${PAD.t + ih} />
      ${data.map((d, i) => {
        const cx = PAD.l + slot * i + slot / 2;
        return html`<g class="bar">
          ${d.target != null && html`<rect class="target" x=${cx - bw / 2 - 3} y=${y(d.target)} width=${bw + 6} height=${Math.max(0, PAD.t + ih - y(d.target))} />`}
          <rect x=${cx - bw / 2} y=${y(d.value)} width=${bw} height=${Math.max(0, PAD.t + ih - y(d.value))}><title>${`${d.label}: ${show(d.value)}`}</title></rect>
          <text class="value" x=${cx} y=${y(d.value) - 4} text-anchor="middle">${show(d.value)}</text>
          <text class="cat" x=${cx} y=${PAD.t + ih + 16} text-anchor="middle"><title>${d.label}</title>${fit(d.label, slot)}</text>
        </g>`;
      })}
    </svg>
  </figure>`;
}

/**
 * Cumulative step lines, one per series, over seconds since a start: the equal-access spread.
 * @param {{id: string, title: string, xLabel: string, yLabel: string, total: number,
 *   series: {name: string, times: number[]}[]}} props
 */
export function SpreadChart({ id, title, xLabel, yLabel, total, series }) {
  const xmaxRaw = Math.max(1, ...series.flatMap((s) => s.times));
  const xs = ticks(xmaxRaw, 4, false);
  const xmax = xs[xs.length - 1] || 1;
  const ys = ticks(Math.max(1, total));
  const ymax = ys[ys.length - 1] || 1;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const x = (/** @type {number} */ v) => PAD.l + (v / xmax) * iw;
  const y = (/** @type {number} */ v) => PAD.t + ih - (v / ymax) * ih;
  const path = (/** @type {number[]} */ times) => {
    const sorted = [...times].sort((a, b) => a - b);
    let d = `M${x(0)},${y(0)}`;
    sorted.forEach((tm, i) => { d += ` H${x(tm)} V${y(i + 1)}`; });
    return `${d} H${x(xmax)}`;
  };
  return html`<figure class="chart">
    <figcaption id=${`${id}-title`}>${title}</figcaption>
    <svg id=${id} viewBox=${`0 0 ${W} ${H}`} role="img" aria-labelledby=${`${id}-title ${id}-desc`}>
      <desc id=${`${id}-desc`}>${series.map((s) => `${s.name}: ${s.times.length}/${total}`).join("; ")}</desc>
      ${ys.map((v) => html`<g class="tick"><line x1=${PAD.l} x2=${W - PAD.r} y1=${y(v)} y2=${y(v)} />
        <text x=${PAD.l - 6} y=${y(v) + 4} text-anchor="end">${fmt.number(v)}</text></g>`)}
      ${xs.map((v) => html`<text class="tick" x=${x(v)} y=${PAD.t + ih + 16} text-anchor="middle">${fmt.number(v, 1)}</text>`)}
      <line class="axis" x1=${PAD.l} x2=${PAD.l} y1=${PAD.t} y2=${PAD.t + ih} />
      <line class="axis" x1=${PAD.l} x2=${W - PAD.r} y1=${PAD.t + ih} y2=${PAD.t + ih} />
      <text class="axis-label" x=${PAD.l + iw / 2} y=${H - 22} text-anchor="middle">${xLabel}</text>
      <text class="axis-label" transform=${`translate(12 ${PAD.t + ih / 2}) rotate(-90)`} text-anchor="middle">${yLabel}</text>
      ${series.map((s, i) => html`<path class=${`line c${i}`} d=${path(s.times)}><title>${s.name}</title></path>`)}
    </svg>
    <ul class="legend">${series.map((s, i) => html`<li><span class=${`swatch c${i}`} aria-hidden="true"></span>${s.name}: ${s.times.length}/${total}</li>`)}</ul>
  </figure>`;
}
