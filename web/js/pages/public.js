// What anyone may read without signing in: the spokesperson roster (Decree 09/2017 requires it
// to be public), PUBLIC releases, unit pages with their Atom feeds, and upcoming conferences.
import { html } from "../lib.js";
import { t, label, fmt } from "../i18n.js";
import { request } from "../api/client.js";
import * as op from "../api/operations.js";
import { useAsync, Pending, Badge } from "../ui.js";
import { CardPhoto } from "../files.js";
import { Lineage } from "./province.js";

/** One release in a list: title to its page, unit, kind and time. */
export function ReleaseItem({ r, children }) {
  return html`<article class="card" data-release-id=${r.id}>
    ${!children && html`<${CardPhoto} files=${r.attachments} />`}
    <h3><a href=${`#/releases/${r.id}`}>${r.title}</a></h3>
    <p class="meta">${r.unit.name} · ${label("ReleaseKind", r.kind)} · <${Badge} enumName="ReleaseStatus" value=${r.status} />
      ${r.publishedAt && html` · <time datetime=${r.publishedAt}>${fmt.dateTime(r.publishedAt)}</time>`}</p>
    ${r.correctedBy && html`<p class="notice warn corrected" role="note">${t("corrected_by")}: <a href=${`#/releases/${r.correctedBy.id}`}>${r.correctedBy.title}</a></p>`}
    <p>${r.summary}</p>
    ${r.pressConference && html`<p class="conf">${t("starts")}: <time datetime=${r.pressConference.startsAt}>${fmt.dateTime(r.pressConference.startsAt)}</time> · ${r.pressConference.location}</p>`}
    ${children}
  </article>`;
}

function Roster({ people }) {
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label=${t("table_region")}><table id="roster" class="stack">
    <caption class="sr-only">${t("roster")}</caption>
    <thead><tr><th scope="col">${t("unit")}</th><th scope="col">${t("name")}</th><th scope="col">${t("position")}</th>
      <th scope="col">${t("phone")}</th><th scope="col">${t("email")}</th></tr></thead>
    <tbody>${people.map((p) => html`<tr>
      <td data-label=${t("unit")}><a href=${`#/units/${p.unit.id}`}>${p.unit.name}</a></td><td data-label=${t("name")}>${p.fullName}</td>
      <td data-label=${t("position")}>${p.position}</td>
      <td data-label=${t("phone")}><a href=${`tel:${p.phone.replace(/\s/g, "")}`}>${p.phone}</a></td>
      <td data-label=${t("email")}><a href=${`mailto:${p.email}`}>${p.email}</a></td>
    </tr>`)}</tbody>
  </table></div>`;
}

/** The public home, a newsroom: the latest public releases, the conferences ahead, then the
 * roster of spokespersons with tap-to-call and tap-to-mail. */
export function PublicHome() {
  const state = useAsync(async () => {
    const [roster, recent, conferences] = await Promise.all([
      request(op.ROSTER),
      request(op.NEWS_RELEASES, { first: 6 }),
      request(op.RELEASES, { status: "PUBLISHED", kind: "PRESS_CONFERENCE", first: 20 }),
    ]);
    const now = Date.now();
    const upcoming = conferences.releases.edges.map((e) => e.node)
      .filter((r) => r.pressConference && new Date(r.pressConference.startsAt).getTime() > now)
      .sort((a, b) => a.pressConference.startsAt.localeCompare(b.pressConference.startsAt));
    return { roster: roster.spokespersonRoster, recent: recent.releases.edges.map((e) => e.node), upcoming };
  }, []);
  const d = state.data;
  return html`<h1>${t("newsroom")}</h1>
    <${Pending} state=${state} />
    ${d && html`<section aria-labelledby="recent-h"><h2 id="recent-h">${t("recent")}</h2>
        <div id="recent" class="grid">${d.recent.length ? d.recent.map((r) => html`<${ReleaseItem} r=${r} />`) : html`<p class="muted">${t("empty")}</p>`}</div>
        <p><a class="button secondary" href="#/news" id="all-news">${t("all_news")}</a></p>
      </section>
      <section aria-labelledby="upcoming-h"><h2 id="upcoming-h">${t("upcoming")}</h2>
        <div id="upcoming" class="grid">${d.upcoming.length ? d.upcoming.map((r) => html`<${ReleaseItem} r=${r} />`) : html`<p class="muted">${t("empty")}</p>`}</div>
      </section>
      <section aria-labelledby="roster-h"><h2 id="roster-h">${t("roster")}</h2>
        <${Roster} people=${d.roster} />
        <p class="muted">${t("atom_note")} <a href="/feeds/releases.atom">${t("atom")}</a></p>
      </section>`}`;
}

export function UnitPage({ arg }) {
  const state = useAsync(async () => {
    const [u, r, l] = await Promise.all([request(op.UNIT, { id: arg }), request(op.RELEASES, { unitId: arg, status: "PUBLISHED", first: 20 }),
      request(op.UNIT_LINEAGE, { id: arg })]);
    return { unit: u.unit, releases: r.releases.edges.map((e) => e.node), lineage: l.unit };
  }, [arg]);
  const d = state.data;
  if (d && !d.unit) return html`<h1>${t("not_found")}</h1>`;
  return html`<${Pending} state=${state} />
    ${d && html`<h1>${d.unit.name}</h1>
      <p class="meta">${label("UnitLevel", d.unit.level)}${d.unit.parent && ` · ${d.unit.parent.name}`}
        · <a href=${`/feeds/units/${encodeURIComponent(d.unit.code)}.atom`}>${t("atom")}</a></p>
      <${Lineage} unit=${d.lineage} />
      <h2>${t("spokespersons")}</h2>
      ${d.unit.spokespersons.length
        ? html`<ul class="plain">${d.unit.spokespersons.map((p) => html`<li><strong>${p.fullName}</strong>, ${p.position} ·
            <a href=${`tel:${p.phone.replace(/\s/g, "")}`}>${p.phone}</a> · <a href=${`mailto:${p.email}`}>${p.email}</a></li>`)}</ul>`
        : html`<p class="warn">${t("no_spokesperson")}</p>`}
      <h2>${t("recent")}</h2>
      ${d.releases.length ? d.releases.map((r) => html`<${ReleaseItem} r=${r} />`) : html`<p class="muted">${t("empty")}</p>`}`}`;
}
