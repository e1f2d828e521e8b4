// The public page: what the law requires to be public, with no sign-in.
import { t } from "./i18n.js";
import { gql, esc, fmtTime } from "./gql.js";

export async function publicPage(main) {
  const d = await gql(`{ spokespersonRoster { id fullName position phone email unit { name code } }
    releases(first: 10) { edges { node { id title summary kind publishedAt unit { name } } } }
    conf: releases(kind: PRESS_CONFERENCE, status: PUBLISHED, first: 10) { edges { node { id title unit { name } pressConference { startsAt location } } } } }`);
  const roster = d.spokespersonRoster.map((s) => `<tr><td>${esc(s.unit.name)}</td><td>${esc(s.fullName)}</td><td>${esc(s.position)}</td>
    <td><a href="tel:${esc(s.phone)}">${esc(s.phone)}</a></td><td><a href="mailto:${esc(s.email)}">${esc(s.email)}</a></td></tr>`).join("");
  const releases = d.releases.edges.map(({ node: r }) => `<div class="card" data-release-id="${esc(r.id)}"><a href="#/releases/${esc(r.id)}"><strong>${esc(r.title)}</strong></a>
    <div class="muted">${esc(r.unit.name)} · ${fmtTime(r.publishedAt)}</div><p>${esc(r.summary)}</p></div>`).join("");
  const now = Date.now();
  const conf = d.conf.edges.map((e) => e.node).filter((r) => r.pressConference && Date.parse(r.pressConference.startsAt) > now)
    .map((r) => `<li><a href="#/releases/${esc(r.id)}">${esc(r.title)}</a> — ${fmtTime(r.pressConference.startsAt)}, ${esc(r.pressConference.location)}</li>`).join("");
  main.innerHTML = `<h1>${t("roster")}</h1>
    ${roster ? `<table id="roster"><thead><tr><th>${t("unit")}</th><th>${t("name")}</th><th>${t("position")}</th><th>${t("phone")}</th><th>${t("email")}</th></tr></thead><tbody>${roster}</tbody></table>` : `<p>${t("empty")}</p>`}
    <div class="row"><section><h2>${t("recent")}</h2>${releases || `<p>${t("empty")}</p>`}
    <p><a href="/feeds/releases.atom">${t("feeds")}</a></p></section>
    <section><h2>${t("upcoming")}</h2>${conf ? `<ul>${conf}</ul>` : `<p>${t("empty")}</p>`}</section></div>`;
}

export async function releasePage(main, id) {
  const d = await gql(`query($id:UUID!){ release(id:$id){ id title summary bodyHtml kind status publishedAt version retractReason
    unit { name spokespersons { fullName position phone email } } pressConference { startsAt endsAt location rsvpDeadline capacity attendeeCount } } }`, { id });
  const r = d.release;
  if (!r) { main.innerHTML = `<p>${t("empty")}</p>`; return; }
  const sp = r.unit.spokespersons[0];
  main.innerHTML = `<article data-release-id="${esc(r.id)}"><p class="muted">${esc(r.unit.name)} · ${esc(r.kind)} · ${fmtTime(r.publishedAt)} <span class="badge">${esc(r.status)}</span></p>
    <h1>${esc(r.title)}</h1><p><em>${esc(r.summary)}</em></p>${r.retractReason ? `<p class="error">${esc(r.retractReason)}</p>` : ""}
    <div>${r.bodyHtml}</div>
    ${r.pressConference ? `<p><strong>${t("starts")}:</strong> ${fmtTime(r.pressConference.startsAt)} · <strong>${t("location")}:</strong> ${esc(r.pressConference.location)}</p>` : ""}
    ${sp ? `<p class="muted">${esc(sp.fullName)}, ${esc(sp.position)} · ${esc(sp.phone)} · ${esc(sp.email)}</p>` : ""}</article>`;
}
