// The public newsroom's archive: every PUBLIC release, searched (without diacritics too) and
// paged, for anyone; the Atom feed beside it for readers that want one.
import { html, useState } from "../lib.js";
import { t, fmt } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, EnumSelect, fail } from "../ui.js";
import { ReleaseItem } from "./public.js";

export function News() {
  const [q, setQ] = useState("");
  const [kind, setKind] = useState(/** @type {string|null} */ (null));
  const [query, setQuery] = useState({ search: "", kind: /** @type {string|null} */ (null) });
  const [more, setMore] = useState(/** @type {any[]} */ ([]));
  const state = useAsync(() => {
    setMore([]);
    return request(op.NEWS_RELEASES, { search: query.search || null, kind: query.kind, first: 20 });
  }, [query]);
  const pages = state.data ? [state.data.releases, ...more] : [];
  const last = pages[pages.length - 1];
  const next = async () => {
    try {
      const d = await request(op.NEWS_RELEASES, { search: query.search || null, kind: query.kind, first: 20, after: last.pageInfo.endCursor });
      setMore([...more, d.releases]);
    } catch (e) { fail(e); }
  };
  return html`<h1>${t("news")}</h1>
    <form id="news-search" class="filters" role="search" onSubmit=${(/** @type {any} */ e) => { e.preventDefault(); setQuery({ search: q.trim(), kind }); }}>
      <div class="field grow"><label for="news-q">${t("search")}</label>
        <input id="news-q" type="search" value=${q} aria-describedby="news-q-hint" onInput=${(/** @type {any} */ e) => setQ(e.currentTarget.value)} />
        <small id="news-q-hint" class="muted">${t("search_hint")}</small></div>
      <div class="field"><label for="news-kind">${t("kind")}</label><${EnumSelect} id="news-kind" enumName="ReleaseKind" any value=${kind} onChange=${setKind} /></div>
      <button type="submit">${t("search")}</button>
    </form>
    <${Pending} state=${state} />
    ${state.data && html`<p class="muted" id="news-count">${t("results", { n: fmt.number(state.data.releases.totalCount) })} ·
        <a href="/feeds/releases.atom">${t("atom")}</a></p>
      <div id="news" class="grid">${pages.flatMap((p) => p.edges.map((/** @type {any} */ e) => html`<${ReleaseItem} r=${e.node} />`))}</div>
      ${last && last.pageInfo.hasNextPage && html`<p><button type="button" class="secondary" id="news-more" onClick=${next}>${t("more")}</button></p>`}`}`;
}
