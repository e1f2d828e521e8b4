// The journalist's live feed: newest first, unread until acknowledged, reconnecting with
// `since` so a laptop waking up misses nothing; conferences with RSVP; questions; settings.
import { t } from "./i18n.js";
import { gql, esc, fmtTime, session } from "./gql.js";
import { subscribe } from "./ws.js";
import { setStatus } from "./app.js";

const FEED = `subscription($s:String){ releasePublished(since:$s){ cursor release { id title summary status kind publishedAt unit { name }
  pressConference { startsAt location myRsvp } } } }`;

export async function journalistPage(main, me) {
  main.innerHTML = `<h1>${t("feed")} <span class="muted">— ${esc(me.outlet?.name || "")}</span></h1>
    <div id="feed" aria-live="polite"></div>
    <div class="row"><section><h2>${t("questions")}</h2><div id="questions"></div>
      <form id="ask"><label for="ask-unit">${t("unit")}</label><select id="ask-unit" name="unit"></select>
      <label for="ask-q">${t("question")}</label><textarea id="ask-q" name="question" required></textarea>
      <p><button type="submit">${t("ask")}</button></p><p class="error" role="alert" id="ask-error"></p></form></section>
    <section><h2>${t("email_mode")}</h2><label for="mode">${t("email_mode")}</label>
      <select id="mode"><option value="EACH_RELEASE">${t("each")}</option><option value="DAILY_DIGEST">${t("digest")}</option><option value="NONE">${t("none")}</option></select>
      <p class="okmsg" id="mode-ok" role="status"></p></section></div>`;
  const feed = document.getElementById("feed");
  const key = `cursor:${me.id}`;
  // Items already acknowledged (from the delivery log) are shown read.
  const acked = new Set();
  const log = await gql("{ deliveries(channel: LIVE, status: ACKNOWLEDGED, first: 100) { edges { node { release { id } } } } }");
  log.deliveries.edges.forEach((e) => acked.add(e.node.release.id));
  // Start from what was already received (newest first), then go live.
  const list = await gql("{ releases(first: 20) { edges { node { id title summary status kind publishedAt unit { name } pressConference { startsAt location myRsvp } } } } }");
  list.releases.edges.reverse().forEach((e) => render(e.node, !acked.has(e.node.id) && false));

  function render(r, unread) {
    const existing = feed.querySelector(`[data-release-id="${CSS.escape(r.id)}"]`);
    const el = existing || document.createElement("div");
    el.className = `card${unread ? " unread" : ""}`;
    el.dataset.releaseId = r.id;
    const conf = r.pressConference ? `<p>${t("starts")}: ${fmtTime(r.pressConference.startsAt)} · ${esc(r.pressConference.location)}
      <button type="button" class="secondary rsvp" data-attending="${r.pressConference.myRsvp ? "false" : "true"}">${r.pressConference.myRsvp ? t("rsvp_no") : t("rsvp_yes")}</button></p>` : "";
    el.innerHTML = `${unread ? `<span class="badge">${t("unread")}</span> ` : ""}<a href="#/releases/${esc(r.id)}"><strong>${esc(r.title)}</strong></a>
      <span class="badge">${esc(r.status)}</span><div class="muted">${esc(r.unit.name)} · ${fmtTime(r.publishedAt)}</div><p>${esc(r.summary)}</p>${conf}
      ${unread ? `<button type="button" class="ack">${t("ack")}</button>` : `<span class="muted">${acked.has(r.id) ? t("acked") : ""}</span>`}`;
    const ack = el.querySelector(".ack");
    if (ack) ack.onclick = async () => {
      try {
        await gql("mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }", { id: r.id });
        acked.add(r.id);
        render(r, false);
      } catch (e) { setStatus(e.message, "error"); }
    };
    const rsvp = el.querySelector(".rsvp");
    if (rsvp) rsvp.onclick = async () => {
      try {
        const a = rsvp.dataset.attending === "true";
        await gql("mutation($id:UUID!,$a:Boolean!){ rsvp(releaseId:$id, attending:$a){ myRsvp } }", { id: r.id, a });
        r.pressConference.myRsvp = a;
        render(r, el.classList.contains("unread"));
      } catch (e) { setStatus(e.message, "error"); }
    };
    if (!existing) feed.prepend(el);
  }

  const sub = subscribe({
    token: session.token,
    query: FEED,
    variables: () => ({ s: localStorage.getItem(key) }),
    onNext: (payload) => {
      const item = payload.data && payload.data.releasePublished;
      if (!item) return;
      localStorage.setItem(key, item.cursor);
      render(item.release, !acked.has(item.release.id));
    },
    onState: (s) => setStatus(s === "live" ? t("live") : t("offline")),
  });

  const units = await gql("{ units { id name } }");
  document.getElementById("ask-unit").innerHTML = units.units.map((u) => `<option value="${esc(u.id)}">${esc(u.name)}</option>`).join("");
  async function questions() {
    const q = await gql("{ inquiries { id question status overdue dueAt answer declineReason rating unit { name } } }");
    document.getElementById("questions").innerHTML = q.inquiries.map((i) => `<div class="card"><strong>${esc(i.unit.name)}</strong>
      <span class="badge">${esc(i.status)}</span>${i.overdue ? ` <span class="error">${t("overdue")}</span>` : ""}<p>${esc(i.question)}</p>
      ${i.answer ? `<p><strong>${t("answer")}:</strong> ${esc(i.answer)}</p>` : ""}${i.declineReason ? `<p><strong>${t("reason")}:</strong> ${esc(i.declineReason)}</p>` : ""}
      ${i.status === "ANSWERED" ? `<label for="rate-${esc(i.id)}">${t("rate")}</label><select id="rate-${esc(i.id)}" data-id="${esc(i.id)}" class="rating">
        <option value="">—</option>${["SATISFIED", "ACCEPTABLE", "UNSATISFIED"].map((v) => `<option ${i.rating === v ? "selected" : ""}>${v}</option>`).join("")}</select>` : ""}</div>`).join("") || `<p>${t("empty")}</p>`;
    document.querySelectorAll(".rating").forEach((s) => s.onchange = async () => {
      if (!s.value) return;
      try { await gql("mutation($id:UUID!,$r:AnswerRating!){ rateAnswer(id:$id, rating:$r){ rating } }", { id: s.dataset.id, r: s.value }); }
      catch (e) { setStatus(e.message, "error"); }
    });
  }
  await questions();
  document.getElementById("ask").onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      await gql("mutation($u:UUID!,$q:String!){ askQuestion(unitId:$u, question:$q){ id } }", { u: ev.target.unit.value, q: ev.target.question.value });
      ev.target.question.value = "";
      await questions();
    } catch (e) { document.getElementById("ask-error").textContent = e.message; }
  };
  const mode = document.getElementById("mode");
  mode.value = (await gql("{ mySubscription { emailMode } }")).mySubscription.emailMode;
  mode.onchange = async () => {
    try { await gql("mutation($m:EmailMode!){ setEmailMode(mode:$m){ emailMode } }", { m: mode.value }); document.getElementById("mode-ok").textContent = t("saved"); }
    catch (e) { setStatus(e.message, "error"); }
  };
  return () => sub.close();
}
