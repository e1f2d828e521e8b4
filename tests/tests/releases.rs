//! Releases: audiences, the delivery log, visibility, embargo, search, retraction, corrections.
use pressnet_tests::*;
use serde_json::{json, Value};

const DELIVERIES: &str = "query($r:UUID,$o:UUID,$c:Channel,$s:DeliveryStatus,$f:Int,$a:String){ deliveries(releaseId:$r,outletId:$o,channel:$c,status:$s,first:$f,after:$a){ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { outlet { id } channel status attempts createdAt release { id } } } } }";
const STATS: &str = "query($id:UUID!){ release(id:$id){ status deliveryStats { targeted pending delivered acknowledged failed } } }";

fn outlet_ids(r: &pressnet_tests::gql::Reply) -> Vec<String> {
    let mut v: Vec<String> = r.data()["deliveries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            e["node"]["outlet"]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    v.sort();
    v
}

each!(backends;
    async fn publish_reaches_accredited_outlets_and_no_other(app) {
        let w = World::build(&app, 3).await;
        let a = app.gql_as(&w.admin);
        // Not accredited: pending, suspended, expired.
        let pending = register_outlet(&a, "Chờ cấp phép", "ONLINE", "LOCAL", "GP-P").await;
        let suspended = register_outlet(&a, "Bị đình chỉ", "ONLINE", "LOCAL", "GP-S").await;
        accredit(&a, &suspended).await;
        a.run("mutation($o:UUID!){ setAccreditation(outletId:$o,status:SUSPENDED){ id } }", json!({"o": suspended})).await.data();
        let expired = register_outlet(&a, "Hết hạn", "ONLINE", "LOCAL", "GP-E").await;
        let soon = (app.clock.now() + chrono::Duration::minutes(5)).to_rfc3339();
        a.run("mutation($o:UUID!,$u:DateTime){ setAccreditation(outletId:$o,status:ACCREDITED,until:$u){ id } }", json!({"o": expired, "u": soon})).await.data();
        app.clock.advance(chrono::Duration::minutes(10));

        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo báo chí về dịch sốt xuất huyết", json!({"allAccredited": true})).await;
        let r = a.run(DELIVERIES, json!({"c": "LIVE", "r": id, "f": 50})).await;
        let mut expect: Vec<String> = w.outlets.iter().map(|(o, _)| o.clone()).collect();
        expect.sort();
        assert_eq!(outlet_ids(&r), expect);
        for o in [&pending, &suspended, &expired] {
            assert!(!outlet_ids(&r).contains(o));
        }
        let first = &r.data()["deliveries"]["edges"][0]["node"];
        assert_eq!(first["channel"], "LIVE");
        assert_eq!(first["status"], "PENDING");
        assert_eq!(first["attempts"], 0);
        let s = sp.run(STATS, json!({"id": id})).await;
        assert_eq!(s.data()["release"]["deliveryStats"], json!({"targeted": 3, "pending": 3, "delivered": 0, "acknowledged": 0, "failed": 0}));
    }
);

each!(backends;
    async fn targeted_audiences(app) {
        // Outlet i: kind PRINT (even) / TELEVISION (odd); scope CENTRAL (i % 3 == 0) / LOCAL.
        let w = World::build(&app, 6).await;
        let sp = app.gql_as(&w.spokesperson);
        let a = app.gql_as(&w.admin);
        let o = |i: usize| w.outlets[i].0.clone();
        let cases: Vec<(Value, Vec<String>)> = vec![
            (json!({"outletIds": [o(1), o(4)]}), vec![o(1), o(4)]),
            (json!({"kinds": ["TELEVISION"]}), vec![o(1), o(3), o(5)]),
            (json!({"scopes": ["CENTRAL"]}), vec![o(0), o(3)]),
            // Kind and scope together: both must match (central television), plus listed ids.
            (json!({"kinds": ["TELEVISION"], "scopes": ["CENTRAL"]}), vec![o(3)]),
            (json!({"kinds": ["TELEVISION"], "scopes": ["CENTRAL"], "outletIds": [o(0)]}), vec![o(0), o(3)]),
        ];
        for (aud, mut expect) in cases {
            let id = publish_now(&sp, &w.unit_id, "Thông báo có đối tượng", aud.clone()).await;
            let r = a.run(DELIVERIES, json!({"c": "LIVE", "r": id})).await;
            expect.sort();
            assert_eq!(outlet_ids(&r), expect, "audience {aud}");
        }
        // An empty audience and an unknown outlet are refused.
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "T", "summary": "S", "body": "B", "audience": {}}})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "T", "summary": "S", "body": "B", "audience": {"outletIds": [uuid::Uuid::new_v4()]}}})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
    }
);

each!(backends;
    async fn delivery_log_paging_and_who_sees_which_rows(app) {
        let w = World::build(&app, 5).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Họp báo định kỳ quý IV", json!({"allAccredited": true})).await;
        // Paging: 2 + 2 + 1, cursors continue, total stays 5.
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let r = sp.run(DELIVERIES, json!({"c": "LIVE", "r": id, "f": 2, "a": after})).await;
            let d = &r.data()["deliveries"];
            assert_eq!(d["totalCount"], 5);
            for e in d["edges"].as_array().expect("edges") {
                seen.push(e["node"]["outlet"]["id"].as_str().unwrap_or_default().to_owned());
            }
            if d["pageInfo"]["hasNextPage"] != true { break; }
            after = d["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        assert_eq!(seen.len(), 5);
        seen.dedup();
        assert_eq!(seen.len(), 5);
        // Filters.
        // One EMAIL row per newsroom address (journalists have not opted in).
        let r = sp.run(DELIVERIES, json!({"r": id, "c": "EMAIL"})).await;
        assert_eq!(r.data()["deliveries"]["totalCount"], 5);
        let r = sp.run(DELIVERIES, json!({"c": "LIVE", "r": id, "s": "PENDING", "o": w.outlets[2].0})).await;
        assert_eq!(r.data()["deliveries"]["totalCount"], 1);
        // A journalist sees only their outlet's row; the other unit's spokesperson none; the authority all.
        let (o0, j0) = &w.outlets[0];
        let r = app.gql_as(j0).run(DELIVERIES, json!({"c": "LIVE", "r": id})).await;
        assert_eq!(outlet_ids(&r), vec![o0.clone()]);
        let r = app.gql_as(&w.other_spokesperson).run(DELIVERIES, json!({"c": "LIVE", "r": id})).await;
        assert_eq!(r.data()["deliveries"]["totalCount"], 0);
        let r = app.gql_as(&w.auditor).run(DELIVERIES, json!({"c": "LIVE", "r": id})).await;
        assert_eq!(r.data()["deliveries"]["totalCount"], 5);
        assert_eq!(app.gql().run(DELIVERIES, json!({"c": "LIVE", "r": id})).await.code(), "UNAUTHENTICATED");
        // A journalist's stats are their outlet's part only.
        let s = app.gql_as(j0).run(STATS, json!({"id": id})).await;
        assert_eq!(s.data()["release"]["deliveryStats"]["targeted"], 1);
        // Page size is bounded.
        assert_eq!(sp.run(DELIVERIES, json!({"c": "LIVE", "r": id, "f": 1000})).await.code(), "BAD_USER_INPUT");
    }
);

each!(backends;
    async fn authorization_rules(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let (o0, j0) = &w.outlets[0];
        let (_o1, j1) = &w.outlets[1];
        let body = |unit: &str| json!({"i": {"unitId": unit, "kind": "STATEMENT", "title": "Phát ngôn", "summary": "S", "body": "B", "audience": {"allAccredited": true}}});
        // A journalist cannot write or publish; a spokesperson cannot write for another unit.
        assert_eq!(app.gql_as(j0).run(CREATE_RELEASE, body(&w.unit_id)).await.code(), "FORBIDDEN");
        assert_eq!(sp.run(CREATE_RELEASE, body(&w.other_unit_id)).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.auditor).run(CREATE_RELEASE, body(&w.unit_id)).await.code(), "FORBIDDEN");
        assert_eq!(app.gql().run(CREATE_RELEASE, body(&w.unit_id)).await.code(), "UNAUTHENTICATED");
        // Only a unit's spokesperson speaks for it (Decree 09/2017): not even ADMIN.
        assert_eq!(app.gql_as(&w.admin).run(CREATE_RELEASE, body(&w.other_unit_id)).await.code(), "FORBIDDEN");
        let admin_draft = draft(&app.gql_as(&w.other_spokesperson), &w.other_unit_id, "Của đơn vị khác", json!({"allAccredited": true})).await;
        let id = draft(&sp, &w.unit_id, "Bản nháp", json!({"outletIds": [o0]})).await;
        // Drafts are invisible to the press and to other units; publishing another unit's
        // release looks like it does not exist.
        for t in [j0, j1, &w.other_spokesperson] {
            let r = app.gql_as(t).run("query($id:UUID!){ release(id:$id){ id } }", json!({"id": id})).await;
            assert!(r.data()["release"].is_null());
        }
        assert_eq!(app.gql_as(&w.other_spokesperson).run(PUBLISH, json!({"id": id})).await.code(), "NOT_FOUND");
        assert_eq!(app.gql_as(j0).run(PUBLISH, json!({"id": id})).await.code(), "NOT_FOUND");
        assert_eq!(sp.run(PUBLISH, json!({"id": admin_draft})).await.code(), "NOT_FOUND");
        sp.run(PUBLISH, json!({"id": id})).await.data();
        // Targeted at outlet 0: outlet 1's journalist sees nothing of it.
        let q = "query($id:UUID!){ release(id:$id){ id } }";
        assert_eq!(app.gql_as(j0).run(q, json!({"id": id})).await.data()["release"]["id"], id.as_str());
        assert!(app.gql_as(j1).run(q, json!({"id": id})).await.data()["release"].is_null());
        let list = app.gql_as(j1).run("{ releases { totalCount } }", json!({})).await;
        assert_eq!(list.data()["releases"]["totalCount"], 0);
        let ack = "mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }";
        assert_eq!(app.gql_as(j1).run(ack, json!({"id": id})).await.code(), "NOT_FOUND");
        assert_eq!(sp.run(ack, json!({"id": id})).await.code(), "FORBIDDEN");
        // Publishing twice is a conflict; a spokesperson whose term ended can no longer publish,
        // nor even see the unit's drafts (their rights ended with the term).
        assert_eq!(sp.run(PUBLISH, json!({"id": id})).await.code(), "CONFLICT");
        let id2 = draft(&sp, &w.unit_id, "Sau nhiệm kỳ", json!({"allAccredited": true})).await;
        app.gql_as(&w.admin).run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await.data();
        assert_eq!(sp.run(PUBLISH, json!({"id": id2})).await.code(), "NOT_FOUND");
    }
);

each!(backends;
    async fn embargo_hides_everything_until_publish_at(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let j = app.gql_as(&w.outlets[0].1);
        let id = draft(&sp, &w.unit_id, "Kết quả thanh tra đất đai", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::hours(2)).to_rfc3339();
        let r = sp.run(PUBLISH, json!({"id": id, "at": at})).await;
        assert_eq!(r.data()["publishRelease"]["status"], "SCHEDULED");
        // Not by id, list, search, nor delivery log; anonymous neither.
        for g in [&j, &app.gql()] {
            assert!(g.run("query($id:UUID!){ release(id:$id){ id } }", json!({"id": id})).await.data()["release"].is_null());
            let r = g.run("{ releases(search:\"thanh tra\") { totalCount } }", json!({})).await;
            assert_eq!(r.data()["releases"]["totalCount"], 0);
        }
        assert_eq!(j.run("{ deliveries { totalCount } }", json!({})).await.data()["deliveries"]["totalCount"], 0);
        // The unit sees its scheduled release.
        let r = sp.run("query($id:UUID!){ release(id:$id){ status publishAt } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"]["status"], "SCHEDULED");
        // Time passes: the scheduler publishes it within a second.
        app.clock.advance(chrono::Duration::hours(2) + chrono::Duration::seconds(1));
        eventually("scheduled release published", || {
            let j = app.gql_as(&w.outlets[0].1);
            let id = id.clone();
            async move {
                let r = j.run("query($id:UUID!){ release(id:$id){ status } }", json!({"id": id})).await;
                r.data()["release"]["status"] == "PUBLISHED"
            }
        })
        .await;
    }
);

each!(backends;
    async fn schedule_survives_a_restart(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Thông báo lịch tiếp công dân", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::minutes(30)).to_rfc3339();
        sp.run(PUBLISH, json!({"id": id, "at": at})).await.data();
        let mut app = app;
        app.stop().await;
        // It falls due while the server is down.
        app.clock.advance(chrono::Duration::minutes(31));
        let app = app.restart().await;
        eventually("published right after start", || {
            let g = app.gql_as(&w.admin);
            let id = id.clone();
            async move {
                let r = g.run("query($id:UUID!){ release(id:$id){ status deliveryStats { targeted } } }", json!({"id": id})).await;
                r.data()["release"]["status"] == "PUBLISHED" && r.data()["release"]["deliveryStats"]["targeted"] == 1
            }
        })
        .await;
    }
);

each!(backends;
    async fn listing_filters_search_and_paging(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let titles = ["Thông cáo báo chí về tiêm chủng", "Kế hoạch phòng chống dịch", "Kết quả tuyển sinh lớp 10"];
        for t in titles {
            publish_now(&sp, &w.unit_id, t, json!({"allAccredited": true})).await;
        }
        let other = app.gql_as(&w.other_spokesperson);
        publish_now(&other, &w.other_unit_id, "Báo cáo ngân sách", json!({"allAccredited": true})).await;
        let j = app.gql_as(&w.outlets[0].1);
        let q = "query($u:UUID,$s:String,$f:Int,$a:String){ releases(unitId:$u,search:$s,first:$f,after:$a){ totalCount pageInfo { hasNextPage endCursor } edges { node { title unit { code } } } } }";
        let titles_of = |r: &pressnet_tests::gql::Reply| -> Vec<String> {
            r.data()["releases"]["edges"].as_array().expect("edges").iter().map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned()).collect()
        };
        // Without diacritics, any case.
        let r = j.run(q, json!({"s": "thong cao"})).await;
        assert_eq!(titles_of(&r), vec!["Thông cáo báo chí về tiêm chủng"]);
        let r = j.run(q, json!({"s": "KẾT QUẢ"})).await;
        assert_eq!(titles_of(&r), vec!["Kết quả tuyển sinh lớp 10"]);
        let r = j.run(q, json!({"s": "100%_"})).await;
        assert_eq!(r.data()["releases"]["totalCount"], 0);
        // Through the text index: every word, the last one a prefix; its syntax is not the user's.
        let r = j.run(q, json!({"s": "lop tuyen si"})).await;
        assert_eq!(titles_of(&r), vec!["Kết quả tuyển sinh lớp 10"]);
        for s in ["\"; DROP TABLE releases; --", "tiem OR ngan", "NEAR(thong cao)"] {
            let r = j.run(q, json!({"s": s})).await;
            assert!(r.body["errors"].is_null(), "{s}: {}", r.body);
            assert_eq!(r.data()["releases"]["totalCount"], 0, "{s}");
        }
        // Newest first; unit filter; paging.
        let r = j.run(q, json!({"u": w.unit_id, "f": 2})).await;
        assert_eq!(titles_of(&r), vec![titles[2], titles[1]]);
        assert_eq!(r.data()["releases"]["totalCount"], 3);
        let after = r.data()["releases"]["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        let r = j.run(q, json!({"u": w.unit_id, "f": 2, "a": after})).await;
        assert_eq!(titles_of(&r), vec![titles[0]]);
        assert_eq!(r.data()["releases"]["pageInfo"]["hasNextPage"], false);
        assert_eq!(j.run(q, json!({"a": "garbage"})).await.code(), "BAD_USER_INPUT");
        // Anonymous visitors see public releases too.
        assert_eq!(app.gql().run(q, json!({})).await.data()["releases"]["totalCount"], 4);
        // Markdown is rendered safely.
        let r = j.run("{ releases(first:1) { edges { node { bodyHtml } } } }", json!({})).await;
        assert!(r.data()["releases"]["edges"][0]["node"]["bodyHtml"].as_str().unwrap_or_default().contains("<strong>chi tiết</strong>"));
    }
);

each!(backends;
    async fn press_conferences_corrections_and_retraction(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = (app.clock.now() + chrono::Duration::days(3)).to_rfc3339();
        let ends = (app.clock.now() + chrono::Duration::days(3) + chrono::Duration::hours(2)).to_rfc3339();
        let conf = json!({"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo thường kỳ quý IV/2026",
            "summary": "Thông tin kinh tế - xã hội", "body": "Kính mời các cơ quan báo chí", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts, "endsAt": ends, "location": "Hội trường UBND tỉnh, số 1 Trần Hưng Đạo", "capacity": 40}});
        let r = sp.run(CREATE_RELEASE, json!({"i": conf})).await;
        let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let r = sp.run("query($id:UUID!){ release(id:$id){ pressConference { startsAt endsAt location capacity attendees { id } } } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"]["pressConference"]["location"], "Hội trường UBND tỉnh, số 1 Trần Hưng Đạo");
        assert_eq!(r.data()["release"]["pressConference"]["capacity"], 40);
        // Conference details are required for, and only for, a PRESS_CONFERENCE; times make sense.
        let mut bad = conf.clone();
        bad["pressConference"]["endsAt"] = json!((app.clock.now() + chrono::Duration::days(1)).to_rfc3339());
        assert_eq!(sp.run(CREATE_RELEASE, json!({"i": bad})).await.code(), "BAD_USER_INPUT");
        let mut bad = conf.clone();
        bad["pressConference"] = Value::Null;
        assert_eq!(sp.run(CREATE_RELEASE, json!({"i": bad})).await.code(), "BAD_USER_INPUT");

        // A correction supersedes a published release and counts the version up.
        let orig = publish_now(&sp, &w.unit_id, "Số liệu ca mắc", json!({"allAccredited": true})).await;
        let corr = json!({"unitId": w.unit_id, "kind": "CORRECTION", "title": "Cải chính số liệu ca mắc", "summary": "S", "body": "B",
                          "audience": {"allAccredited": true}, "supersedesId": orig});
        let r = sp.run(CREATE_RELEASE, json!({"i": corr})).await;
        assert_eq!(r.data()["createRelease"]["version"], 2);
        let cid = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let r = sp.run("query($id:UUID!){ release(id:$id){ supersedes { id } } }", json!({"id": cid})).await;
        assert_eq!(r.data()["release"]["supersedes"]["id"], orig.as_str());
        let mut nocorr = corr.clone();
        nocorr["supersedesId"] = Value::Null;
        assert_eq!(sp.run(CREATE_RELEASE, json!({"i": nocorr})).await.code(), "BAD_USER_INPUT");

        // Retraction keeps the reason; a draft cannot be retracted; a blank reason is refused.
        let retract = "mutation($id:UUID!,$r:String!){ retractRelease(id:$id,reason:$r){ status retractReason retractedAt } }";
        assert_eq!(sp.run(retract, json!({"id": orig, "r": " "})).await.code(), "BAD_USER_INPUT");
        let r = sp.run(retract, json!({"id": orig, "r": "Số liệu chưa được thẩm định"})).await;
        assert_eq!(r.data()["retractRelease"]["status"], "RETRACTED");
        assert_eq!(r.data()["retractRelease"]["retractReason"], "Số liệu chưa được thẩm định");
        assert_eq!(sp.run(retract, json!({"id": id, "r": "x"})).await.code(), "CONFLICT");
        // The journalist still sees it, as retracted.
        let r = app.gql_as(&w.outlets[0].1).run("query($id:UUID!){ release(id:$id){ status } }", json!({"id": orig})).await;
        assert_eq!(r.data()["release"]["status"], "RETRACTED");
    }
);
