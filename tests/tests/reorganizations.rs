//! Reorganizations (issue 33): units merge, split and are renamed on a date by a decision;
//! open items pass to the successor with their due times, history stays with the unit.
use chrono::{DateTime, Duration, Utc};
use pressnet_tests::feed_server::{FeedServer, Route};
use pressnet_tests::*;
use serde_json::{json, Value};

const REORGANIZE: &str = "mutation($i:ReorganizeUnitsInput!){ reorganizeUnits(input:$i){ id kind effectiveAt decisionRef from { id code active } into { id code name active predecessors { id } } previousName previousCode } }";
const UNITS: &str = "query($e:Boolean){ units(includeEnded:$e){ id code name active endedAt successors { id code } predecessors { id code } } }";
const ASK: &str =
    "mutation($u:UUID!,$q:String!){ askQuestion(unitId:$u, question:$q){ id dueAt unit { id } } }";
const INQUIRIES: &str = "{ inquiries { id status dueAt unit { id code } } }";
const REPORTS: &str = "{ pressReports { id status dueAt unit { id code } } }";
const SET_FEEDS: &str =
    "mutation($o:UUID!,$u:[String!]!){ setOutletFeeds(outletId:$o, urls:$u){ id } }";
const RAISE: &str = "mutation($a:UUID!,$u:UUID!){ raisePressReport(articleId:$a, unitId:$u){ id dueAt unit { id } } }";
const CREATE: &str = "mutation($i:CreateReleaseInput!){ createRelease(input:$i){ id status } }";
const PUBLISH_AT: &str =
    "mutation($id:UUID!,$t:DateTime){ publishRelease(id:$id, publishAt:$t){ id status } }";
const RELEASE: &str = "query($id:UUID!){ release(id:$id){ id status } }";
const REPORT: &str = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { id code } periodFrom periodTo inquiriesReceived pressConferencesRequired monthsWithoutInformation daysWithoutSpokesperson hasActiveSpokesperson releasesPublished } }";

fn rss(title: &str, link: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Báo</title>\
         <link>https://bao.example/</link><description>Tin</description>\
         <item><title>{title}</title><link>{link}</link><guid>{link}</guid>\
         <description>Bệnh viện quá tải</description><pubDate>{}</pubDate></item></channel></rss>",
        Utc::now().to_rfc2822()
    )
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .collect()
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .and_then(|l| l.iter().find(|x| x["id"] == id))
        .unwrap_or(&Value::Null)
}

fn new_unit(code: &str, name: &str) -> Value {
    json!({"code": code, "name": name, "level": "DEPARTMENT"})
}

fn at(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap_or_default())
        .map(|t| t.to_utc())
        .expect("a time")
}

each!(backends;
    async fn a_merger_and_a_split_pass_open_items_on_with_their_due_times(app) {
        let feeds = FeedServer::start().await;
        feeds.serve("/rss", Route::feed("application/rss+xml", rss("Bệnh viện tỉnh quá tải", "https://bao.example/qua-tai")));
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let j = w.outlets[0].1.clone();
        let now = app.clock.now();

        // Open items of the health department: a question, another answered, a press report;
        // and the finance department's scheduled release.
        let open = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Bao giờ có thuốc?"})).await.data()["askQuestion"].clone();
        let answered = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Bệnh viện mới ở đâu?"})).await.data()["askQuestion"]["id"].clone();
        app.gql_as(&w.spokesperson).run("mutation($id:UUID!){ answerInquiry(id:$id, answer:\"Ở phường Hải Châu.\"){ id } }", json!({"id": answered})).await.data();
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": [format!("{}/rss", feeds.url)]})).await.data();
        eventually("the article", || async { app.db_count("SELECT COUNT(*) FROM articles").await == 1 }).await;
        let article = a.run("{ articles { id } }", json!({})).await.data()["articles"][0]["id"].clone();
        let report = a.run(RAISE, json!({"a": article, "u": w.unit_id})).await.data()["raisePressReport"].clone();
        let other = app.gql_as(&w.other_spokesperson);
        let scheduled = other.run(CREATE, json!({"i": {"unitId": w.other_unit_id, "kind": "PRESS_RELEASE", "title": "Ngân sách 2027", "summary": "Tóm tắt", "body": "Nội dung.", "audience": {"allAccredited": true}}})).await.data()["createRelease"]["id"].clone();
        let r = other.run(PUBLISH_AT, json!({"id": scheduled, "t": (now + Duration::hours(6)).to_rfc3339()})).await;
        assert_eq!(r.data()["publishRelease"]["status"], "SCHEDULED");

        // Only the authority reorganizes; the shape of each kind is checked.
        let merge = json!({"kind": "MERGE", "effectiveAt": (now - Duration::hours(1)).to_rfc3339(), "decisionRef": "Nghị quyết 202/2025/QH15",
            "fromUnitIds": [w.unit_id, w.other_unit_id], "newUnits": [new_unit("SO-YT-TC", "Sở Y tế và Tài chính")]});
        assert_eq!(app.gql_as(&w.spokesperson).run(REORGANIZE, json!({"i": merge})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql().run(REORGANIZE, json!({"i": merge})).await.code(), "UNAUTHENTICATED");
        let mut two_results = merge.clone();
        two_results["intoUnitIds"] = json!([w.unit_id]);
        assert_eq!(a.run(REORGANIZE, json!({"i": two_results})).await.code(), "BAD_USER_INPUT");
        let mut future = merge.clone();
        future["effectiveAt"] = json!((now + Duration::days(3)).to_rfc3339());
        assert_eq!(a.run(REORGANIZE, json!({"i": future})).await.code(), "BAD_USER_INPUT");

        let r = a.run(REORGANIZE, json!({"i": merge})).await;
        let m = r.data()["reorganizeUnits"].clone();
        assert_eq!(m["kind"], "MERGE");
        assert_eq!(ids(&m["from"]), vec![w.unit_id.clone(), w.other_unit_id.clone()]);
        assert_eq!(m["from"][0]["active"], false);
        let merged = m["into"][0]["id"].as_str().expect("new unit").to_owned();
        assert_eq!(m["into"][0]["active"], true);
        assert_eq!(ids(&m["into"][0]["predecessors"]), vec![w.unit_id.clone(), w.other_unit_id.clone()]);
        // The same decision again: those units have ended.
        assert_eq!(a.run(REORGANIZE, json!({"i": merge})).await.code(), "BAD_USER_INPUT");

        // Active units only, unless asked; an ended unit names its successor.
        let active = app.gql().run(UNITS, json!({})).await.data()["units"].clone();
        assert_eq!(ids(&active), vec![merged.clone()]);
        let all = app.gql().run(UNITS, json!({"e": true})).await.data()["units"].clone();
        let old = find(&all, &w.unit_id);
        assert_eq!(old["active"], false);
        assert!(old["endedAt"].is_string());
        assert_eq!(ids(&old["successors"]), vec![merged.clone()]);

        // Open items moved with their due times; history stayed.
        let list = a.run(INQUIRIES, json!({})).await.data()["inquiries"].clone();
        let moved = find(&list, open["id"].as_str().unwrap_or_default());
        assert_eq!(moved["unit"]["id"], merged.as_str());
        assert_eq!(at(&moved["dueAt"]), at(&open["dueAt"]));
        assert_eq!(find(&list, answered.as_str().unwrap_or_default())["unit"]["id"], w.unit_id.as_str());
        let reports = a.run(REPORTS, json!({})).await.data()["pressReports"].clone();
        let r0 = find(&reports, report["id"].as_str().unwrap_or_default());
        assert_eq!(r0["unit"]["id"], merged.as_str());
        assert_eq!(at(&r0["dueAt"]), at(&report["dueAt"]));
        // Nothing goes out in the ended unit's name; its spokespersons are out of office.
        assert_eq!(a.run(RELEASE, json!({"id": scheduled})).await.data()["release"]["status"], "DRAFT");
        let roster = app.gql().run("{ spokespersonRoster { id } }", json!({})).await.data()["spokespersonRoster"].clone();
        assert_eq!(roster, json!([]));
        // A question to the ended unit is refused with its successor's name.
        let r = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Còn ai trả lời?"})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        assert!(r.body.to_string().contains("Sở Y tế và Tài chính"), "{}", r.body);

        // A split of the merged unit: the open question passes to the first new unit.
        let split = json!({"kind": "SPLIT", "effectiveAt": app.clock.now().to_rfc3339(), "decisionRef": "Quyết định 12/QĐ-UBND",
            "fromUnitIds": [merged], "newUnits": [new_unit("SO-YT", "Sở Y tế"), new_unit("SO-TC2", "Sở Tài chính")]});
        let s = a.run(REORGANIZE, json!({"i": split})).await.data()["reorganizeUnits"].clone();
        let health = s["into"][0]["id"].as_str().expect("first new unit").to_owned();
        let list = a.run(INQUIRIES, json!({})).await.data()["inquiries"].clone();
        let moved = find(&list, open["id"].as_str().unwrap_or_default());
        assert_eq!(moved["unit"]["id"], health.as_str());
        assert_eq!(at(&moved["dueAt"]), at(&open["dueAt"]));
        let reports = a.run(REPORTS, json!({})).await.data()["pressReports"].clone();
        assert_eq!(find(&reports, report["id"].as_str().unwrap_or_default())["unit"]["id"], health.as_str());

        // A rename keeps the unit and its history under the new name.
        let rename = json!({"kind": "RENAME", "effectiveAt": app.clock.now().to_rfc3339(), "decisionRef": "Quyết định 13/QĐ-UBND",
            "fromUnitIds": [health], "newUnits": [new_unit("SO-YT-2026", "Sở Y tế tỉnh")]});
        let r = a.run(REORGANIZE, json!({"i": rename})).await.data()["reorganizeUnits"].clone();
        assert_eq!(r["previousCode"], "SO-YT");
        assert_eq!(ids(&r["into"]), vec![health.clone()]);
        assert_eq!(r["into"][0]["name"], "Sở Y tế tỉnh");
        assert_eq!(r["into"][0]["active"], true);
        let list = a.run(INQUIRIES, json!({})).await.data()["inquiries"].clone();
        assert_eq!(find(&list, open["id"].as_str().unwrap_or_default())["unit"]["code"], "SO-YT-2026");

        // Reorganizations are public, oldest first; each is an audit event.
        let r = app.gql().run("{ reorganizations { kind decisionRef } }", json!({})).await;
        let kinds: Vec<&str> = r.data()["reorganizations"].as_array().map(|l| l.iter().filter_map(|x| x["kind"].as_str()).collect()).unwrap_or_default();
        assert_eq!(kinds, vec!["MERGE", "SPLIT", "RENAME"]);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'units.reorganize'").await, 3);
    }
);

each!(backends;
    async fn compliance_spanning_a_merger_counts_each_unit_for_its_part_and_keeps_past_rules(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let j = w.outlets[0].1.clone();
        let now = app.clock.now();
        let asked = app.gql_as(&j).run(ASK, json!({"u": w.unit_id, "q": "Bao giờ có thuốc?"})).await.data()["askQuestion"]["id"].clone();
        assert!(asked.is_string());
        let merged_at = now - Duration::days(30);
        let merge = json!({"kind": "MERGE", "effectiveAt": merged_at.to_rfc3339(), "decisionRef": "Nghị quyết 202/2025/QH15",
            "fromUnitIds": [w.unit_id, w.other_unit_id], "newUnits": [new_unit("SO-YT-TC", "Sở Y tế và Tài chính")]});
        let merged = a.run(REORGANIZE, json!({"i": merge})).await.data()["reorganizeUnits"]["into"][0]["id"].as_str().expect("unit").to_owned();

        let from = now - Duration::days(120);
        // To a little past now: the question was asked after `now` was read.
        let end = now + Duration::hours(1);
        let period = json!({"f": from.to_rfc3339(), "t": end.to_rfc3339()});
        let rows = app.gql_as(&w.auditor).run(REPORT, period.clone()).await.data()["complianceReport"].clone();
        let by_id = |id: &str| {
            rows.as_array()
                .and_then(|l| l.iter().find(|r| r["unit"]["id"] == id))
                .cloned()
                .unwrap_or(Value::Null)
        };
        let (health, merged_row) = (by_id(&w.unit_id), by_id(&merged));
        assert_eq!(rows.as_array().map(Vec::len), Some(3), "{rows}");
        // Each unit for the part of the period it existed.
        assert_eq!(at(&health["periodFrom"]), from);
        assert_eq!(at(&health["periodTo"]), merged_at);
        assert_eq!(at(&merged_row["periodFrom"]), merged_at);
        assert_eq!(at(&merged_row["periodTo"]), end);
        // The question moved: counted once, for the unit that answers for it.
        assert_eq!(health["inquiriesReceived"], 0);
        assert_eq!(merged_row["inquiriesReceived"], 1);
        // Ninety days hold two or three complete months, none with the one release a
        // department must publish; the merged unit has had no spokesperson for its 30 days.
        let months = health["monthsWithoutInformation"].as_i64().unwrap_or(-1);
        assert!((2..=3).contains(&months), "{health}");
        assert_eq!(merged_row["daysWithoutSpokesperson"], 30, "{merged_row}");
        assert_eq!(merged_row["hasActiveSpokesperson"], false);

        // A stricter rule set added today leaves last year's report as it was.
        let year = json!({"f": (now - Duration::days(365)).to_rfc3339(), "t": now.to_rfc3339()});
        let before = app.gql_as(&w.auditor).run(REPORT, year.clone()).await.data()["complianceReport"].clone();
        let levels = |v: i64| json!(["PROVINCE", "DEPARTMENT", "BRANCH", "COMMUNE"].map(|l| json!({"level": l, "value": v})));
        let stricter = json!({"effectiveFrom": (now + Duration::minutes(5)).to_rfc3339(), "decisionRef": "Nghị định 15/2026/NĐ-CP",
            "inquiryDueHours": levels(12), "pressReportDueDays": 3, "firstStatementHours": 6,
            "conferencesPerQuarter": levels(3), "informationPerMonth": levels(8), "spokespersonVacancyDays": 1});
        a.run("mutation($i:RuleSetInput!){ addRuleSet(input:$i){ id } }", json!({"i": stricter})).await.data();
        app.clock.advance(Duration::minutes(10));
        let auditor = app.login(AUDITOR_EMAIL, PASSWORD).await;
        let after = app.gql_as(&auditor).run(REPORT, year).await.data()["complianceReport"].clone();
        let without_days = |v: &Value| {
            let mut v = v.clone();
            for r in v.as_array_mut().into_iter().flatten() {
                // Counted until now, which moved on by ten minutes.
                r["daysWithoutSpokesperson"] = Value::Null;
            }
            v
        };
        assert_eq!(without_days(&after), without_days(&before));
    }
);

const MERGE_OUTLETS: &str = "mutation($f:[UUID!]!,$i:RegisterOutletInput!,$t:DateTime!,$d:String!){ mergeOutlets(fromOutletIds:$f, into:$i, effectiveAt:$t, decisionRef:$d){ id name kind mediaTypes active isAccredited accreditation journalists { email } } }";
const OUTLETS: &str = "{ outlets { id active successor { id } mediaTypes } }";

async fn publish(app: &TestApp, sp: &str, unit: &str, title: &str) -> String {
    let g = app.gql_as(sp);
    let r = g
        .run(
            CREATE_RELEASE,
            json!({"i": {"unitId": unit, "kind": "PRESS_RELEASE", "title": title,
        "summary": "Tóm tắt", "body": "Nội dung.", "audience": {"allAccredited": true}}}),
        )
        .await;
    let id = r.data()["createRelease"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    assert_eq!(
        g.run(PUBLISH, json!({"id": id})).await.data()["publishRelease"]["status"],
        "PUBLISHED"
    );
    id
}

each!(backends;
    async fn merged_outlets_hand_their_journalists_and_feeds_to_the_successor(app) {
        let w = World::build(&app, 2).await;
        let a = app.gql_as(&w.admin);
        let before = publish(&app, &w.spokesperson, &w.unit_id, "Trước khi hợp nhất").await;
        a.run(SET_FEEDS, json!({"o": w.outlets[0].0, "u": ["https://bao0.example/rss"]})).await.data();
        a.run(SET_FEEDS, json!({"o": w.outlets[1].0, "u": ["https://bao0.example/rss", "https://bao1.example/rss"]})).await.data();
        let into = json!({"name": "Báo và Phát thanh, Truyền hình Gia Lai", "kind": "PRINT", "scope": "LOCAL",
            "licenceNumber": "GP-GL-2025", "email": "toasoan@baogialai.vn"});
        let vars = |t: DateTime<Utc>| json!({"f": [w.outlets[0].0, w.outlets[1].0], "i": into, "t": t.to_rfc3339(), "d": "Quyết định 1012/QĐ-UBND"});
        let now = app.clock.now();
        assert_eq!(app.gql_as(&w.spokesperson).run(MERGE_OUTLETS, vars(now)).await.code(), "FORBIDDEN");
        assert_eq!(a.run(MERGE_OUTLETS, vars(now + Duration::days(2))).await.code(), "BAD_USER_INPUT");
        let r = a.run(MERGE_OUTLETS, vars(now)).await;
        let m = r.data()["mergeOutlets"].clone();
        // One outlet, at once print and television, accredited as its predecessors were.
        assert_eq!(m["mediaTypes"], json!(["PRINT", "TELEVISION"]));
        assert_eq!(m["isAccredited"], true);
        assert_eq!(m["active"], true);
        let mut emails: Vec<&str> = m["journalists"].as_array().map(|l| l.iter().filter_map(|j| j["email"].as_str()).collect()).unwrap_or_default();
        emails.sort();
        assert_eq!(emails, vec!["pv0@bao0.vn", "pv1@bao1.vn"]);
        let successor = m["id"].as_str().expect("id").to_owned();
        let outlets = a.run(OUTLETS, json!({})).await.data()["outlets"].clone();
        for (old, _) in &w.outlets {
            assert_eq!(find(&outlets, old)["active"], false);
            assert_eq!(find(&outlets, old)["successor"]["id"], successor.as_str());
        }
        assert_eq!(a.run(MERGE_OUTLETS, vars(now)).await.code(), "BAD_USER_INPUT", "merged once");
        // Feeds moved, the shared one kept once.
        let feeds = a.run("{ outlets { id feedUrls } }", json!({})).await.data()["outlets"].clone();
        assert_eq!(find(&feeds, &successor)["feedUrls"], json!(["https://bao0.example/rss", "https://bao1.example/rss"]));
        assert_eq!(find(&feeds, &w.outlets[1].0)["feedUrls"], json!([]));

        // A release now reaches the successor only; the earlier one's log stays with the old.
        let after = publish(&app, &w.spokesperson, &w.unit_id, "Sau khi hợp nhất").await;
        let outlets_of = |r: Value| {
            let mut l: Vec<String> = r["deliveries"]["edges"].as_array().into_iter().flatten()
                .filter_map(|e| e["node"]["outlet"]["id"].as_str().map(str::to_owned)).collect();
            l.sort();
            l.dedup();
            l
        };
        let log = "query($r:UUID!){ deliveries(releaseId:$r, first:100){ edges { node { outlet { id } } } } }";
        let old = outlets_of(a.run(log, json!({"r": before})).await.data().clone());
        let mut expected = vec![w.outlets[0].0.clone(), w.outlets[1].0.clone()];
        expected.sort();
        assert_eq!(old, expected);
        assert_eq!(outlets_of(a.run(log, json!({"r": after})).await.data().clone()), vec![successor.clone()]);
        // The journalist now speaks for the successor.
        let j = app.login("pv1@bao1.vn", PASSWORD).await;
        let me = app.gql_as(&j).run("{ me { outlet { id } } }", json!({})).await;
        assert_eq!(me.data()["me"]["outlet"]["id"], successor.as_str());
        let r = app.gql_as(&j).run(RELEASE, json!({"id": after})).await;
        assert_eq!(r.data()["release"]["id"], after.as_str());
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'outlets.merge'").await, 1);
    }
);
