//! Work before publication: updateRelease, cancelSchedule, discardDraft and audiencePreview,
//! with the same authorization, validation and audit as the rest.
use pressnet_tests::*;
use serde_json::{json, Value};

const UPDATE: &str = "mutation($id:UUID!,$i:UpdateReleaseInput!){ updateRelease(id:$id,input:$i){ id status version title body topics visibility publishAt pressConference { location } } }";
const CANCEL: &str = "mutation($id:UUID!){ cancelSchedule(id:$id){ id status publishAt version } }";
const DISCARD: &str = "mutation($id:UUID!){ discardDraft(id:$id) }";
const PREVIEW: &str = "query($u:UUID!,$a:AudienceInput!){ audiencePreview(unitId:$u,audience:$a){ outlets journalists emailRecipients } }";
const GET: &str = "query($id:UUID!){ release(id:$id){ id status version title } }";

async fn last_event(app: &TestApp, admin: &str, action: &str) -> Value {
    let g = app.gql_as(admin);
    let (mut found, mut after) = (Value::Null, None::<String>);
    loop {
        let r = g
            .run(
                "query($a:String){ auditEvents(first: 100, after: $a) { seq action entityId details actor { email } } }",
                json!({"a": after}),
            )
            .await;
        let page = r.data()["auditEvents"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if let Some(e) = page.iter().rev().find(|e| e["action"] == action) {
            found = e.clone();
        }
        match page.last() {
            Some(last) if page.len() == 100 => after = Some(last["seq"].to_string()),
            _ => return found,
        }
    }
}

each!(backends;
    async fn a_draft_is_edited_and_the_log_names_who_changed_what(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Dự thảo thông cáo", json!({"allAccredited": true})).await;
        let r = sp.run(UPDATE, json!({"id": id, "i": {"title": "Thông cáo về tiêm chủng mở rộng", "topics": ["y tế", "tiêm chủng"], "visibility": "PRESS_ONLY"}})).await;
        let u = &r.data()["updateRelease"];
        assert_eq!(u["status"], "DRAFT");
        assert_eq!(u["version"], 2);
        assert_eq!(u["title"], "Thông cáo về tiêm chủng mở rộng");
        assert_eq!(u["visibility"], "PRESS_ONLY");
        assert_eq!(u["body"], "# Dự thảo thông cáo\n\nNội dung **chi tiết**.", "untouched fields stay");
        let e = last_event(&app, &w.admin, "release.update").await;
        assert_eq!(e["entityId"], id.as_str());
        assert_eq!(e["actor"]["email"], "duc@syt.vn");
        let details: Value = serde_json::from_str(e["details"].as_str().unwrap_or("{}")).expect("details");
        assert_eq!(details["changed"], json!(["title", "topics", "visibility"]));
        assert_eq!(details["version"], 2);
        // The same values again change nothing: no new version, nothing logged.
        let r = sp.run(UPDATE, json!({"id": id, "i": {"title": "Thông cáo về tiêm chủng mở rộng"}})).await;
        assert_eq!(r.data()["updateRelease"]["version"], 2);
        // The search index follows the edit (accent-insensitive).
        let r = sp.run("{ releases(search:\"tiem chung mo rong\") { totalCount } }", json!({})).await;
        assert_eq!(r.data()["releases"]["totalCount"], 1);
        // Becoming a press conference needs its details; then they are kept.
        let r = sp.run(UPDATE, json!({"id": id, "i": {"kind": "PRESS_CONFERENCE"}})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "pressConference");
        let starts = (app.clock.now() + chrono::Duration::days(3)).to_rfc3339();
        let r = sp.run(UPDATE, json!({"id": id, "i": {"kind": "PRESS_CONFERENCE", "pressConference": {"startsAt": starts, "location": "Hội trường UBND tỉnh"}}})).await;
        assert_eq!(r.data()["updateRelease"]["pressConference"]["location"], "Hội trường UBND tỉnh");
        assert_eq!(r.data()["updateRelease"]["version"], 3);
    }
);

each!(backends;
    async fn only_the_units_active_spokespersons_edit_and_only_before_publication(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Dự thảo", json!({"allAccredited": true})).await;
        let change = json!({"id": id, "i": {"title": "Sửa bởi người khác"}});
        // Another unit's spokesperson and a journalist are told it does not exist; ADMIN and
        // AUDITOR see it but do not speak for the unit.
        for (who, code) in [(&w.other_spokesperson, "NOT_FOUND"), (&w.outlets[0].1, "NOT_FOUND"), (&w.admin, "FORBIDDEN"), (&w.auditor, "FORBIDDEN")] {
            for (q, vars) in [(UPDATE, change.clone()), (CANCEL, json!({"id": id})), (DISCARD, json!({"id": id}))] {
                assert_eq!(app.gql_as(who).run(q, vars).await.code(), code, "{q}");
            }
        }
        assert_eq!(app.gql().run(UPDATE, change.clone()).await.code(), "UNAUTHENTICATED");
        // Bad input names its field.
        for (input, field) in [(json!({"title": "  "}), "title"), (json!({"audience": {}}), "audience"), (json!({"topics": vec!["x"; 21]}), "topics"), (json!({"kind": "CORRECTION"}), "kind")] {
            let r = sp.run(UPDATE, json!({"id": id, "i": input})).await;
            assert_eq!(r.code(), "BAD_USER_INPUT", "{input}");
            assert_eq!(r.body["errors"][0]["extensions"]["field"], field, "{input}");
        }
        // Published: no more edits, no discard, no schedule to cancel.
        sp.run(PUBLISH, json!({"id": id})).await.data();
        assert_eq!(sp.run(UPDATE, change.clone()).await.code(), "CONFLICT");
        assert_eq!(sp.run(DISCARD, json!({"id": id})).await.code(), "CONFLICT");
        assert_eq!(sp.run(CANCEL, json!({"id": id})).await.code(), "CONFLICT");
        // A term that ended ends the right to edit, at once.
        let other = draft(&sp, &w.unit_id, "Một dự thảo khác", json!({"allAccredited": true})).await;
        app.gql_as(&w.admin).run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await.data();
        let r = sp.run(UPDATE, json!({"id": other, "i": {"title": "Sau nhiệm kỳ"}})).await;
        assert_eq!(r.code(), "NOT_FOUND");
    }
);

each!(backends;
    async fn a_cancelled_schedule_is_never_published_and_was_never_visible(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let j = app.gql_as(&w.outlets[0].1);
        let id = draft(&sp, &w.unit_id, "Thông cáo có cấm vận", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
        assert_eq!(sp.run(PUBLISH, json!({"id": id, "at": at})).await.data()["publishRelease"]["status"], "SCHEDULED");
        // Edited while scheduled: it keeps its time.
        let r = sp.run(UPDATE, json!({"id": id, "i": {"body": "Nội dung đã sửa trước giờ công bố."}})).await;
        assert_eq!(r.data()["updateRelease"]["status"], "SCHEDULED");
        assert!(r.data()["updateRelease"]["publishAt"].is_string());
        let r = sp.run(CANCEL, json!({"id": id})).await;
        assert_eq!(r.data()["cancelSchedule"]["status"], "DRAFT");
        assert!(r.data()["cancelSchedule"]["publishAt"].is_null());
        assert_eq!(sp.run(CANCEL, json!({"id": id})).await.code(), "CONFLICT", "a DRAFT has no schedule");
        let e = last_event(&app, &w.admin, "release.cancel_schedule").await;
        assert_eq!(e["entityId"], id.as_str());
        // Its time passes: nothing is published, nothing delivered, nobody outside sees it.
        app.clock.advance(chrono::Duration::hours(2));
        tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
        assert_eq!(sp.run(GET, json!({"id": id})).await.data()["release"]["status"], "DRAFT");
        for g in [&j, &app.gql()] {
            assert!(g.run(GET, json!({"id": id})).await.data()["release"].is_null());
        }
        let d = app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r){ totalCount } }", json!({"r": id})).await;
        assert_eq!(d.data()["deliveries"]["totalCount"], 0);
        // It can be scheduled again, and then it is published.
        let at = (app.clock.now() + chrono::Duration::minutes(5)).to_rfc3339();
        sp.run(PUBLISH, json!({"id": id, "at": at})).await.data();
        app.clock.advance(chrono::Duration::minutes(6));
        eventually("rescheduled release published", || {
            let j = app.gql_as(&w.outlets[0].1);
            let id = id.clone();
            async move { j.run(GET, json!({"id": id})).await.data()["release"]["status"] == "PUBLISHED" }
        })
        .await;
    }
);

each!(backends;
    async fn cancelling_races_the_scheduler_and_one_wins_whole(app) {
        let w = World::build(&app, 3).await;
        let sp = app.gql_as(&w.spokesperson);
        for round in 0..6 {
            let id = draft(&sp, &w.unit_id, &format!("Thông cáo lượt {round}"), json!({"allAccredited": true})).await;
            let at = (app.clock.now() + chrono::Duration::seconds(30)).to_rfc3339();
            sp.run(PUBLISH, json!({"id": id, "at": at})).await.data();
            app.clock.advance(chrono::Duration::seconds(31));
            // The scheduler's own call and the spokesperson's cancel, at once.
            let ctx = app.ctx.clone();
            let due = tokio::spawn(async move { pressnet_domain::services::publishing::publish_due(&ctx).await.map_err(|e| e.detail()) });
            let cancel = sp.run(CANCEL, json!({"id": id})).await;
            due.await.expect("join").expect("publish_due");
            let status = sp.run(GET, json!({"id": id})).await.data()["release"]["status"].clone();
            let d = app.gql_as(&w.admin).run("query($r:UUID){ deliveries(releaseId:$r, channel: LIVE){ totalCount } }", json!({"r": id})).await;
            let live = d.data()["deliveries"]["totalCount"].as_i64().unwrap_or(-1);
            if cancel.body["errors"].is_null() {
                assert_eq!(status, "DRAFT");
                assert_eq!(live, 0, "a cancelled schedule delivered nothing");
            } else {
                assert_eq!(cancel.code(), "CONFLICT");
                assert_eq!(status, "PUBLISHED");
                assert_eq!(live, 3, "a publication delivers to every addressed outlet");
            }
        }
    }
);

each!(backends;
    async fn a_discarded_draft_is_gone_and_the_log_keeps_it(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = (app.clock.now() + chrono::Duration::days(2)).to_rfc3339();
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo quý IV",
            "summary": "Tóm tắt", "body": "Nội dung", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts, "location": "Hội trường"}}})).await;
        let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        assert_eq!(sp.run(DISCARD, json!({"id": id})).await.data()["discardDraft"], true);
        assert!(sp.run(GET, json!({"id": id})).await.data()["release"].is_null());
        assert_eq!(sp.run(DISCARD, json!({"id": id})).await.code(), "NOT_FOUND");
        let e = last_event(&app, &w.admin, "release.discard").await;
        let details: Value = serde_json::from_str(e["details"].as_str().unwrap_or("{}")).expect("details");
        assert_eq!(details["title"], "Họp báo quý IV");
        let v = app.gql_as(&w.auditor).run("{ verifyAuditLog { ok } }", json!({})).await;
        assert_eq!(v.data()["verifyAuditLog"]["ok"], true);
        // A SCHEDULED release is not a draft: take the schedule back first.
        let id = draft(&sp, &w.unit_id, "Có lịch", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
        sp.run(PUBLISH, json!({"id": id, "at": at})).await.data();
        assert_eq!(sp.run(DISCARD, json!({"id": id})).await.code(), "CONFLICT");
    }
);

each!(backends;
    async fn the_audience_preview_counts_what_publication_reaches(app) {
        // Outlet i: PRINT (even) / TELEVISION (odd); CENTRAL (i % 3 == 0) / LOCAL.
        let w = World::build(&app, 6).await;
        let sp = app.gql_as(&w.spokesperson);
        // Two journalists choose e-mail for each release.
        for (_, token) in w.outlets.iter().take(2) {
            app.gql_as(token).run("mutation{ setEmailMode(mode: EACH_RELEASE){ emailMode } }", json!({})).await.data();
        }
        let all = sp.run(PREVIEW, json!({"u": w.unit_id, "a": {"allAccredited": true}})).await;
        assert_eq!(all.data()["audiencePreview"], json!({"outlets": 6, "journalists": 6, "emailRecipients": 8}));
        let print = sp.run(PREVIEW, json!({"u": w.unit_id, "a": {"kinds": ["PRINT"]}})).await;
        assert_eq!(print.data()["audiencePreview"]["outlets"], 3);
        let chosen = sp.run(PREVIEW, json!({"u": w.unit_id, "a": {"outletIds": [w.outlets[1].0]}})).await;
        assert_eq!(chosen.data()["audiencePreview"], json!({"outlets": 1, "journalists": 1, "emailRecipients": 2}));
        // What publication then does, counted from its delivery log.
        for (audience, preview) in [(json!({"allAccredited": true}), &all), (json!({"kinds": ["PRINT"]}), &print)] {
            let id = publish_now(&sp, &w.unit_id, "Thông cáo để đối chiếu", audience).await;
            let count = |c: &'static str| {
                let a = app.gql_as(&w.admin);
                let id = id.clone();
                async move {
                    let d = a.run("query($r:UUID,$c:Channel){ deliveries(releaseId:$r, channel:$c, first: 100){ totalCount } }", json!({"r": id, "c": c})).await;
                    d.data()["deliveries"]["totalCount"].clone()
                }
            };
            assert_eq!(count("LIVE").await, preview.data()["audiencePreview"]["outlets"]);
            assert_eq!(count("EMAIL").await, preview.data()["audiencePreview"]["emailRecipients"]);
        }
        // Only the unit's voice may ask; bad audiences are named.
        for who in [&w.other_spokesperson, &w.admin, &w.outlets[0].1] {
            assert_eq!(app.gql_as(who).run(PREVIEW, json!({"u": w.unit_id, "a": {"allAccredited": true}})).await.code(), "FORBIDDEN");
        }
        let r = sp.run(PREVIEW, json!({"u": w.unit_id, "a": {}})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        let r = sp.run(PREVIEW, json!({"u": w.unit_id, "a": {"outletIds": [uuid::Uuid::new_v4()]}})).await;
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "audience.outletIds");
    }
);

each!(backends;
    async fn the_editor_previews_markdown_as_readers_will_see_it(app) {
        let w = World::build(&app, 1).await;
        let q = "query($m:String!){ renderMarkdown(markdown:$m) }";
        let r = app.gql_as(&w.spokesperson).run(q, json!({"m": "# Lịch tiêm\n\n**Miễn phí** <script>alert(1)</script>"})).await;
        let html = r.data()["renderMarkdown"].as_str().expect("html").to_owned();
        assert!(html.contains("<h1>Lịch tiêm</h1>") && html.contains("<strong>Miễn phí</strong>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert_eq!(app.gql().run(q, json!({"m": "x"})).await.code(), "UNAUTHENTICATED");
        let long = "a".repeat(200_001);
        assert_eq!(app.gql_as(&w.spokesperson).run(q, json!({"m": long})).await.code(), "BAD_USER_INPUT");
    }
);
