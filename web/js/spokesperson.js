// The spokesperson's console: write and publish (now, at a time, or as a draft), watch each
// release's delivery log live, and answer the unit's questions.
import { t } from "./i18n.js";
import { gql, esc, fmtTime, session } from "./gql.js";
import { subscribe } from "./ws.js";
import { setStatus } from "./app.js";

const KINDS = ["PRESS_RELEASE", "PRESS_CONFERENCE", "STATEMENT", "CORRECTION"];

export async function spokespersonPage(main, me) {
  const unit = me.unit;
  main.innerHTML = `<h1>${t("console")} <span class="muted">— ${esc(unit?.name || "")}</span></h1>
    <section><h2>${t("write")}</h2><form id="write">
      <label for="kind">${t("kind")}</label><select id="kind" name="kind">${KINDS.map((k) => `<option>${k}</option>`).join("")}</select>
      <label for="title">${t("title")}</label><input id="title" name="title" required maxlength="500">
      <label for="summary">${t("summary")}</label><textarea id="summary" name="summary" required></textarea>
      <label for="body">${t("body")} (Markdown)</label><textarea id="body" name="body" required></textarea>
      <fieldset id="conf" hidden><legend>PRESS_CONFERENCE</legend>
        <label for="starts">${t("starts")}</label><input id="starts" name="starts" type="datetime-local">
        <label for="location">${t("location")}</label><input id="location" name="location">
        <label for="capacity">${t("capacity")}</label><input id="capacity" name="capacity" type="number" min="1"></fieldset>
      <label><input type="checkbox" name="all" id="all" class="inline-check" checked> ${t("all_outlets")}</label>
      <label for="at">${t("publish_at")}</label><input id="at" name="at" type="datetime-local">
      <p><button type="submit" name="publish" value="1">${t("publish")}</button> <button type="submit" class="secondary" name="draft" value="1">${t("save_draft")}</button></p>
      <p class="error" role="alert" id="write-error"></p><p class="okmsg" role="status" id="write-ok"></p></form></section>
    <section><h2>${t("my_releases")}</h2><div id="mine"></div></section>
    <section><h2>${t("delivery_log")}</h2><div id="log" class="muted">—</div></section>
    <section><h2>${t("open_questions")}</h2><div id="open"></div></section>`;
  const form = document.getElementById("write");
  form.kind.onchange = () => { document.getElementById("conf").hidden = form.kind.value !== "PRESS_CONFERENCE"; };
  let submitter = "publish";
  form.querySelectorAll("button[type=submit]").forEach((b) => b.onclick = () => { submitter = b.name; });
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    document.getElementById("write-error").textContent = "";
    const input = { unitId: unit.id, kind: form.kind.value, title: form.title.value, summary: form.summary.value, body: form.body.value,
      audience: { allAccredited: form.all.checked } };
    if (form.kind.value === "PRESS_CONFERENCE") {
      input.pressConference = { startsAt: form.starts.value ? new Date(form.starts.value).toISOString() : null, location: form.location.value,
        capacity: form.capacity.value ? Number(form.capacity.value) : null };
    }
    try {
      const r = await gql("mutation($i:CreateReleaseInput!){ createRelease(input:$i){ id } }", { i: input });
      if (submitter === "publish") {
        const at = form.at.value ? new Date(form.at.value).toISOString() : null;
        await gql("mutation($id:UUID!,$at:DateTime){ publishRelease(id:$id, publishAt:$at){ status } }", { id: r.createRelease.id, at });
      }
      document.getElementById("write-ok").textContent = submitter === "publish" ? t("published_ok") : t("saved");
      form.reset();
      await mine();
    } catch (e) { document.getElementById("write-error").textContent = e.message; }
  };

  let watch = null;
  async function showLog(id) {
    if (watch) watch.close();
    const rows = new Map();
    const box = document.getElementById("log");
    const draw = () => {
      box.innerHTML = `<table><thead><tr><th>${t("outlet")}</th><th>${t("channel")}</th><th>${t("status")}</th><th>${t("when")}</th><th></th></tr></thead><tbody>${
        [...rows.values()].map((d) => `<tr><td>${esc(d.outlet.name)}${d.recipient ? `<br><span class="muted">${esc(d.recipient)}</span>` : ""}</td><td>${esc(d.channel)}</td>
        <td>${esc(d.status)}</td><td>${fmtTime(d.acknowledgedAt || d.deliveredAt || d.createdAt)}</td>
        <td>${d.acknowledgedBy ? esc(d.acknowledgedBy.fullName) : ""}${d.lastError ? `<span class="error">${esc(d.lastError)}</span>` : ""}</td></tr>`).join("")}</tbody></table>`;
    };
    const fields = "id channel status recipient createdAt deliveredAt acknowledgedAt lastError outlet { name } acknowledgedBy { fullName }";
    const d = await gql(`query($r:UUID){ deliveries(releaseId:$r, first:100){ edges { node { ${fields} } } } }`, { r: id });
    d.deliveries.edges.forEach((e) => rows.set(e.node.id, e.node));
    draw();
    watch = subscribe({ token: session.token, query: `subscription($r:UUID!){ deliveryUpdated(releaseId:$r){ ${fields} } }`, variables: () => ({ r: id }),
      onNext: (p) => { const x = p.data && p.data.deliveryUpdated; if (x) { rows.set(x.id, x); draw(); } } });
  }

  async function mine() {
    const d = await gql("query($u:UUID){ releases(unitId:$u, first:20){ edges { node { id title status publishAt publishedAt deliveryStats { targeted pending delivered acknowledged failed } } } } }", { u: unit.id });
    document.getElementById("mine").innerHTML = d.releases.edges.map(({ node: r }) => `<div class="card" data-release-id="${esc(r.id)}">
      <strong>${esc(r.title)}</strong> <span class="badge">${esc(r.status)}</span> <span class="muted">${fmtTime(r.publishedAt || r.publishAt)}</span>
      <div class="muted">${r.deliveryStats.targeted} · ✓ ${r.deliveryStats.delivered} · ✔ ${r.deliveryStats.acknowledged} · ✗ ${r.deliveryStats.failed}</div>
      <button type="button" class="secondary show-log" data-id="${esc(r.id)}">${t("delivery_log")}</button></div>`).join("") || `<p>${t("empty")}</p>`;
    document.querySelectorAll(".show-log").forEach((b) => b.onclick = () => showLog(b.dataset.id).catch((e) => setStatus(e.message, "error")));
  }
  await mine();

  async function openQuestions() {
    const q = await gql("query($u:UUID){ inquiries(unitId:$u, status: OPEN){ id question dueAt overdue journalist { fullName } outlet { name } } }", { u: unit.id });
    document.getElementById("open").innerHTML = q.inquiries.map((i) => `<div class="card"><p>${esc(i.question)}</p>
      <p class="muted">${esc(i.journalist.fullName)} — ${esc(i.outlet.name)} · ${t("due")}: ${fmtTime(i.dueAt)} ${i.overdue ? `<span class="error">${t("overdue")}</span>` : ""}</p>
      <label for="a-${esc(i.id)}">${t("answer")} / ${t("reason")}</label><textarea id="a-${esc(i.id)}"></textarea>
      <p><button type="button" data-id="${esc(i.id)}" class="answer">${t("answer")}</button> <button type="button" class="secondary decline" data-id="${esc(i.id)}">${t("decline")}</button></p></div>`).join("") || `<p>${t("empty")}</p>`;
    const act = (cls, mutation) => document.querySelectorAll(cls).forEach((b) => b.onclick = async () => {
      try { await gql(mutation, { id: b.dataset.id, x: document.getElementById(`a-${b.dataset.id}`).value }); await openQuestions(); }
      catch (e) { setStatus(e.message, "error"); }
    });
    act(".answer", "mutation($id:UUID!,$x:String!){ answerInquiry(id:$id, answer:$x){ status } }");
    act(".decline", "mutation($id:UUID!,$x:String!){ declineInquiry(id:$id, reason:$x){ status } }");
  }
  await openQuestions();
  return () => { if (watch) watch.close(); };
}
