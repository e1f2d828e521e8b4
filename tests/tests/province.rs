//! The province of 2026 (issue 33): rule sets that change on a date.
use pressnet_tests::smtp::TestSmtp;
use pressnet_tests::*;
use serde_json::{json, Value};

const RULES_AT: &str = "query($t:DateTime!){ rulesAt(at:$t){ id effectiveFrom decisionRef inquiryDueHours { level value } pressReportDueDays firstStatementHours conferencesPerQuarter { level value } informationPerMonth { level value } spokespersonVacancyDays } }";
const RULE_SETS: &str =
    "{ ruleSets { id effectiveFrom decisionRef inquiryDueHours { level value } } }";
const ADD: &str = "mutation($i:RuleSetInput!){ addRuleSet(input:$i){ id effectiveFrom decisionRef inquiryDueHours { level value } pressReportDueDays informationPerMonth { level value } } }";
const ASK: &str =
    "mutation($u:UUID!,$q:String!){ askQuestion(unitId:$u, question:$q){ id askedAt dueAt } }";

fn every_level(v: i64) -> Value {
    json!(["PROVINCE", "DEPARTMENT", "BRANCH", "COMMUNE"].map(|l| json!({"level": l, "value": v})))
}

fn stricter(from: chrono::DateTime<chrono::Utc>) -> Value {
    json!({
        "effectiveFrom": from.to_rfc3339(),
        "decisionRef": "Nghị định 15/2026/NĐ-CP",
        "inquiryDueHours": every_level(24),
        "pressReportDueDays": 5,
        "firstStatementHours": 12,
        "conferencesPerQuarter": [{"level": "PROVINCE", "value": 2}],
        "informationPerMonth": every_level(2),
        "spokespersonVacancyDays": 3,
    })
}

fn hours_between(q: &Value) -> i64 {
    let t = |k: &str| {
        chrono::DateTime::parse_from_rfc3339(q[k].as_str().unwrap_or_default()).expect("time")
    };
    (t("dueAt") - t("askedAt")).num_hours()
}

each!(backends;
    async fn a_rule_set_applies_from_its_moment_and_never_to_the_past(app) {
        let w = World::build(&app, 1).await;
        let j = w.outlets[0].1.clone();
        let now = app.clock.now();
        // The environment's set is the first, in force from the beginning.
        let r = app.gql_as(&j).run(RULE_SETS, json!({})).await;
        let sets = r.data()["ruleSets"].as_array().cloned().unwrap_or_default();
        assert_eq!(sets.len(), 1, "{sets:?}");
        assert_eq!(sets[0]["inquiryDueHours"], json!(["PROVINCE", "DEPARTMENT", "BRANCH", "COMMUNE"].map(|l| json!({"level": l, "value": 72}))));
        let first = app.gql_as(&j).run(RULES_AT, json!({"t": now.to_rfc3339()})).await;
        let first = first.data()["rulesAt"].clone();
        assert_eq!(first["pressReportDueDays"], 10);
        assert_eq!(first["firstStatementHours"], 24);
        assert_eq!(first["spokespersonVacancyDays"], 5);
        assert_eq!(first["informationPerMonth"][0], json!({"level": "PROVINCE", "value": 1}));
        assert_eq!(first["informationPerMonth"][2], json!({"level": "BRANCH", "value": 0}));
        assert_eq!(app.gql().run(RULES_AT, json!({"t": now.to_rfc3339()})).await.code(), "UNAUTHENTICATED");

        // Only the authority adds one, never in the past, with a deadline for every level.
        let tomorrow = now + chrono::Duration::days(1);
        assert_eq!(app.gql_as(&j).run(ADD, json!({"i": stricter(tomorrow)})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.spokesperson).run(ADD, json!({"i": stricter(tomorrow)})).await.code(), "FORBIDDEN");
        let past = stricter(now - chrono::Duration::days(30));
        assert_eq!(app.gql_as(&w.admin).run(ADD, json!({"i": past})).await.code(), "BAD_USER_INPUT");
        let mut missing = stricter(tomorrow);
        missing["inquiryDueHours"] = json!([{"level": "PROVINCE", "value": 24}]);
        assert_eq!(app.gql_as(&w.admin).run(ADD, json!({"i": missing})).await.code(), "BAD_USER_INPUT");
        let mut negative = stricter(tomorrow);
        negative["pressReportDueDays"] = json!(-1);
        assert_eq!(app.gql_as(&w.admin).run(ADD, json!({"i": negative})).await.code(), "BAD_USER_INPUT");
        let r = app.gql_as(&w.admin).run(ADD, json!({"i": stricter(tomorrow)})).await;
        assert_eq!(r.data()["addRuleSet"]["decisionRef"], "Nghị định 15/2026/NĐ-CP");
        assert_eq!(app.gql_as(&w.admin).run(ADD, json!({"i": stricter(tomorrow)})).await.code(), "CONFLICT");

        // A question asked before the set is judged by the first set, one after by the new.
        let before = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Hôm nay thế nào?"})).await;
        assert_eq!(hours_between(&before.data()["askQuestion"]), 72);
        app.clock.advance(chrono::Duration::days(2));
        let j = app.login("pv0@bao0.vn", PASSWORD).await;
        let after = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Ngày mai thế nào?"})).await;
        assert_eq!(hours_between(&after.data()["askQuestion"]), 24);
        let r = app.gql_as(&j).run(RULES_AT, json!({"t": now.to_rfc3339()})).await;
        assert_eq!(r.data()["rulesAt"]["id"], first["id"], "the past keeps its rules");
        let r = app.gql_as(&j).run(RULE_SETS, json!({})).await;
        assert_eq!(r.data()["ruleSets"].as_array().map(Vec::len), Some(2));
        // The authority's act is in the audit log.
        let a = app.login(ADMIN_EMAIL, PASSWORD).await;
        let r = app.gql_as(&a).run("{ auditEvents(first: 50){ action } }", json!({})).await;
        let actions: Vec<&str> = r.data()["auditEvents"].as_array().map(|l| l.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
        assert!(actions.contains(&"rules.add"), "{actions:?}");
    }
);

const SET_CARD: &str = "mutation($j:UUID!,$n:String!,$t:DateTime!){ setPressCard(journalistId:$j, pressCardNumber:$n, expiresAt:$t){ id pressCardNumber pressCardExpiresAt pressCardValid } }";
const EXPIRING: &str =
    "query($d:Int){ pressCardsExpiring(withinDays:$d){ email pressCardValid pressCardExpiresAt } }";
const FEED: &str = "subscription { releasePublished { release { id title } } }";

async fn smtp_app(backend: Backend) -> Option<(TestApp, TestSmtp)> {
    let smtp = TestSmtp::start();
    let url = smtp.url();
    let app = TestApp::spawn_with(backend, |c| {
        c.smtp_url = Some(url);
        c.email_retry_base_secs = 1;
    })
    .await?;
    Some((app, smtp))
}

/// The id of the journalist whose address is `email`.
async fn journalist_id(app: &TestApp, admin: &str, email: &str) -> String {
    let r = app
        .gql_as(admin)
        .run("{ outlets { journalists { id email } } }", json!({}))
        .await;
    r.data()["outlets"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|o| o["journalists"].as_array().cloned().unwrap_or_default())
        .find(|j| j["email"] == email)
        .and_then(|j| j["id"].as_str().map(str::to_owned))
        .expect("journalist")
}

/// A PRESS_ONLY release to every accredited outlet.
async fn press_only(app: &TestApp, w: &World, title: &str) -> String {
    let sp = app.gql_as(&w.spokesperson);
    let r = sp
        .run(
            CREATE_RELEASE,
            json!({"i": {"unitId": w.unit_id, "kind": "PRESS_RELEASE", "title": title,
                   "summary": "Tóm tắt", "body": "Nội dung.", "visibility": "PRESS_ONLY",
                   "audience": {"allAccredited": true}}}),
        )
        .await;
    let id = r.data()["createRelease"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let r = sp.run(PUBLISH, json!({"id": id})).await;
    assert_eq!(r.data()["publishRelease"]["status"], "PUBLISHED");
    id
}

async fn subjects_to(smtp: &TestSmtp, to: &str) -> Vec<String> {
    smtp.to(to)
        .iter()
        .filter_map(|m| {
            mail_parser::MessageParser::default()
                .parse(&m.data)
                .and_then(|p| p.subject().map(str::to_owned))
        })
        .collect()
}

each!(backends, setup = smtp_app;
    async fn an_expired_press_card_closes_the_press_view_until_renewed((app, smtp)) {
        let w = World::build(&app, 2).await;
        let j0 = w.outlets[0].1.clone();
        let jid = journalist_id(&app, &w.admin, "pv0@bao0.vn").await;
        let now = app.clock.now();
        // Only the authority records cards, in the future, for five years at most.
        let t = |d: chrono::Duration| (now + d).to_rfc3339();
        assert_eq!(app.gql_as(&j0).run(SET_CARD, json!({"j": jid, "n": "NB-1", "t": t(chrono::Duration::days(10))})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.admin).run(SET_CARD, json!({"j": jid, "n": "NB-1", "t": t(chrono::Duration::days(-1))})).await.code(), "BAD_USER_INPUT");
        assert_eq!(app.gql_as(&w.admin).run(SET_CARD, json!({"j": jid, "n": "NB-1", "t": t(chrono::Duration::days(7 * 366))})).await.code(), "BAD_USER_INPUT");
        let r = app.gql_as(&w.admin).run(SET_CARD, json!({"j": jid, "n": "NB-1", "t": t(chrono::Duration::days(10))})).await;
        assert_eq!(r.data()["setPressCard"]["pressCardValid"], true);

        // The registry shows who is expiring; reminders go 30 and then 7 days before.
        let r = app.gql_as(&w.auditor).run(EXPIRING, json!({"d": 30})).await;
        assert_eq!(r.data()["pressCardsExpiring"].as_array().map(Vec::len), Some(1), "{}", r.body);
        assert_eq!(r.data()["pressCardsExpiring"][0]["email"], "pv0@bao0.vn");
        assert_eq!(app.gql_as(&w.auditor).run(EXPIRING, json!({"d": 5})).await.data()["pressCardsExpiring"], json!([]));
        assert_eq!(app.gql_as(&j0).run(EXPIRING, json!({})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.admin).run(EXPIRING, json!({"d": -1})).await.code(), "BAD_USER_INPUT");
        eventually("the 30-day reminder", || async { subjects_to(&smtp, "pv0@bao0.vn").await.len() == 1 }).await;
        assert!(subjects_to(&smtp, "pv0@bao0.vn").await[0].contains("30 ngày"));
        app.clock.advance(chrono::Duration::days(4));
        eventually("the 7-day reminder", || async { subjects_to(&smtp, "pv0@bao0.vn").await.len() == 2 }).await;
        assert!(subjects_to(&smtp, "pv0@bao0.vn").await[1].contains("7 ngày"));
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        assert_eq!(subjects_to(&smtp, "pv0@bao0.vn").await.len(), 2, "each reminder once");

        // A card that expires in two hours; the journalist reads the press's release and has
        // the live feed.
        let admin = app.login(ADMIN_EMAIL, PASSWORD).await;
        let j0 = app.login("pv0@bao0.vn", PASSWORD).await;
        let sp = app.login("duc@syt.vn", PASSWORD).await;
        let w = World { admin: admin.clone(), spokesperson: sp, ..w };
        app.gql_as(&j0).run("mutation { setEmailMode(mode: EACH_RELEASE) { emailMode } }", json!({})).await.data();
        let r = app.gql_as(&admin).run(SET_CARD, json!({"j": jid, "n": "NB-1", "t": (app.clock.now() + chrono::Duration::hours(2)).to_rfc3339()})).await;
        assert_eq!(r.data()["setPressCard"]["pressCardValid"], true);
        let mut ws = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &j0).await.expect("connect");
        ws.subscribe("1", FEED, json!({})).await;
        let first = press_only(&app, &w, "Chỉ dành cho báo chí").await;
        let item = ws.next_data(std::time::Duration::from_secs(10)).await;
        assert_eq!(item["data"]["releasePublished"]["release"]["id"], first.as_str());
        let read = "query($id:UUID!){ release(id:$id){ id } }";
        assert_eq!(app.gql_as(&j0).run(read, json!({"id": first})).await.data()["release"]["id"], first.as_str());
        let mailbox = &smtp;
        let releases_to = move |to: &'static str| async move {
            subjects_to(mailbox, to).await.into_iter().filter(|s| !s.starts_with("Thẻ nhà báo")).count()
        };
        eventually("the journalist's copy", || async { releases_to("pv0@bao0.vn").await == 1 }).await;

        // Expired: the socket is closed, PRESS_ONLY reads and mail stop; the newsroom still gets
        // everything.
        app.clock.advance(chrono::Duration::hours(3));
        let mut closed = None;
        for _ in 0..10 {
            match ws.next(std::time::Duration::from_secs(1)).await {
                Some(v) if v["type"] == "close" => { closed = Some(v); break; }
                Some(_) => continue,
                None => continue,
            }
        }
        assert_eq!(closed.map(|c| c["code"].clone()), Some(json!(4403)), "the live feed is closed");
        assert_eq!(app.gql_as(&j0).run(read, json!({"id": first})).await.data()["release"], json!(null));
        let mut again = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &j0).await.expect("connect");
        again.subscribe("1", FEED, json!({})).await;
        let refused = again.next(std::time::Duration::from_secs(5)).await.expect("an answer");
        // The subscription's resolver refuses: an error, in a `next` payload's errors.
        let code = if refused["type"] == "error" { &refused["payload"][0] } else { &refused["payload"]["errors"][0] };
        assert_eq!(code["extensions"]["code"], "FORBIDDEN", "{refused}");
        let r = app.gql_as(&admin).run(EXPIRING, json!({"d": 0})).await;
        assert_eq!(r.data()["pressCardsExpiring"][0]["pressCardValid"], false);
        let second = press_only(&app, &w, "Thông tin thứ hai cho báo chí").await;
        eventually("the newsroom's copy", || async { smtp.to("toasoan-gp-0@bao.vn").len() == 2 }).await;
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        assert_eq!(releases_to("pv0@bao0.vn").await, 1, "no press-only mail to an expired card");

        // Renewed: the press view is back within a second.
        let r = app.gql_as(&admin).run(SET_CARD, json!({"j": jid, "n": "NB-2", "t": (app.clock.now() + chrono::Duration::days(5 * 365)).to_rfc3339()})).await;
        assert_eq!(r.data()["setPressCard"]["pressCardNumber"], "NB-2");
        eventually("the release readable again", || async {
            app.gql_as(&j0).run(read, json!({"id": second.clone()})).await.data()["release"]["id"] == second.as_str()
        }).await;
        let mut back = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &j0).await.expect("connect");
        back.subscribe("1", FEED, json!({"since": null})).await;
        let third = press_only(&app, &w, "Thông tin thứ ba").await;
        let mut got = Vec::new();
        for _ in 0..5 {
            let d = back.next_data(std::time::Duration::from_secs(10)).await;
            let id = d["data"]["releasePublished"]["release"]["id"].as_str().unwrap_or_default().to_owned();
            got.push(id.clone());
            if id == third { break; }
        }
        assert!(got.contains(&third), "{got:?}");
    }
);

each!(backends;
    async fn the_authority_is_reminded_once_when_a_vacancy_outlasts_the_rules(app) {
        let w = World::build(&app, 0).await;
        let ended = app.gql_as(&w.admin).run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await;
        assert!(ended.data()["endSpokespersonTerm"]["id"].is_string());
        let start = app.clock.now();
        let to_admin = format!("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE' AND recipient = '{ADMIN_EMAIL}'");
        // Within the rules' five days: nothing (the scheduler runs every five seconds).
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        assert_eq!(app.db_count(&to_admin).await, 0);
        app.clock.advance(chrono::Duration::days(6));
        eventually("the vacancy reminder", || async { app.db_count(&to_admin).await == 1 }).await;
        tokio::time::sleep(std::time::Duration::from_secs(6)).await;
        assert_eq!(app.db_count(&to_admin).await, 1, "once per vacancy");
        // The compliance report counts the days (sessions last 12 hours: sign in again).
        let auditor = app.login(AUDITOR_EMAIL, PASSWORD).await;
        let period = json!({"f": (start - chrono::Duration::days(1)).to_rfc3339(), "t": (start + chrono::Duration::days(7)).to_rfc3339()});
        let r = app.gql_as(&auditor).run("query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { id } hasActiveSpokesperson daysWithoutSpokesperson } }", period).await;
        let rows = r.data()["complianceReport"].as_array().cloned().unwrap_or_default();
        let health = rows.iter().find(|r| r["unit"]["id"] == w.unit_id.as_str()).cloned().expect("a row");
        assert_eq!(health["hasActiveSpokesperson"], false);
        assert_eq!(health["daysWithoutSpokesperson"], 6, "{health}");
        let finance = rows.iter().find(|r| r["unit"]["id"] == w.other_unit_id.as_str()).cloned().expect("a row");
        assert_eq!(finance["daysWithoutSpokesperson"], 0, "{finance}");
    }
);
