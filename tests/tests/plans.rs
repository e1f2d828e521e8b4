//! The annual communication plan (issue 33): items with a kind and a due date, done when a
//! linked release is published, counted in the compliance report.
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone};
use pressnet_tests::*;
use serde_json::{json, Value};

const SET: &str = "mutation($u:UUID!,$y:Int!,$i:[PlanItemInput!]!){ setCommunicationPlan(unitId:$u, year:$y, items:$i){ year unit { id } items { id title kind dueAt done releases { id } } } }";
const GET: &str = "query($u:UUID!,$y:Int!){ communicationPlan(unitId:$u, year:$y){ items { id title done releases { id } } } }";
const REPORT: &str = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { id } planItemsDue planItemsDone } }";

fn row(list: &Value, unit: &str) -> Value {
    list.as_array()
        .and_then(|l| l.iter().find(|r| r["unit"]["id"] == unit))
        .cloned()
        .unwrap_or(Value::Null)
}

each!(backends;
    async fn a_linked_publication_marks_the_plan_item_done(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let now = app.clock.now();
        let vn = FixedOffset::east_opt(7 * 3600).expect("UTC+7");
        let year = now.with_timezone(&vn).year();
        let start = vn.from_local_datetime(&NaiveDate::from_ymd_opt(year, 1, 1).expect("date").and_hms_opt(0, 0, 0).expect("time")).single().expect("start").to_utc();
        let end = vn.from_local_datetime(&NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("date").and_hms_opt(0, 0, 0).expect("time")).single().expect("end").to_utc();
        let past = (now - Duration::hours(1)).max(start);
        let later = end - Duration::minutes(1);
        let items = json!([
            {"title": "Họp báo quý IV", "kind": "PRESS_CONFERENCE", "dueAt": past.to_rfc3339()},
            {"title": "Thông cáo tổng kết năm", "kind": "PRESS_RELEASE", "dueAt": later.to_rfc3339()},
        ]);
        // Only the unit's spokesperson writes it, within its year; the authority reads it.
        assert_eq!(app.gql_as(&w.other_spokesperson).run(SET, json!({"u": w.unit_id, "y": year, "i": items})).await.code(), "FORBIDDEN");
        let mut outside = items.clone();
        outside[1]["dueAt"] = json!(end.to_rfc3339());
        assert_eq!(sp.run(SET, json!({"u": w.unit_id, "y": year, "i": outside})).await.code(), "BAD_USER_INPUT");
        let plan = sp.run(SET, json!({"u": w.unit_id, "y": year, "i": items})).await.data()["setCommunicationPlan"].clone();
        assert_eq!(plan["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(plan["items"][0]["done"], false);
        let item = plan["items"][0]["id"].as_str().expect("item").to_owned();
        assert_eq!(app.gql_as(&w.outlets[0].1).run(GET, json!({"u": w.unit_id, "y": year})).await.code(), "FORBIDDEN");
        let period = json!({"f": start.to_rfc3339(), "t": end.to_rfc3339()});
        let r = app.gql_as(&w.auditor).run(REPORT, period.clone()).await.data()["complianceReport"].clone();
        assert_eq!(row(&r, &w.unit_id)["planItemsDue"], 1, "only the item already due");
        assert_eq!(row(&r, &w.unit_id)["planItemsDone"], 0);

        // Another unit's item cannot be linked; the unit's own can.
        let create = |item: &str| json!({"i": {"unitId": w.other_unit_id, "kind": "PRESS_RELEASE", "title": "Ngân sách", "summary": "Tóm tắt", "body": "Nội dung.", "audience": {"allAccredited": true}, "planItemId": item}});
        assert_eq!(app.gql_as(&w.other_spokesperson).run(CREATE_RELEASE, create(&item)).await.code(), "BAD_USER_INPUT");
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo quý IV",
            "summary": "Tóm tắt", "body": "Nội dung.", "audience": {"allAccredited": true}, "planItemId": item,
            "pressConference": {"startsAt": (now + Duration::days(1)).to_rfc3339(), "location": "Hội trường UBND tỉnh"}}})).await;
        let release = r.data()["createRelease"]["id"].as_str().expect("release").to_owned();
        let got = app.gql_as(&w.auditor).run(GET, json!({"u": w.unit_id, "y": year})).await.data()["communicationPlan"].clone();
        assert_eq!(got["items"][0]["done"], false, "a draft does not count");
        assert_eq!(sp.run(PUBLISH, json!({"id": release})).await.data()["publishRelease"]["status"], "PUBLISHED");
        let got = app.gql_as(&w.auditor).run(GET, json!({"u": w.unit_id, "y": year})).await.data()["communicationPlan"].clone();
        assert_eq!(got["items"][0]["done"], true);
        assert_eq!(got["items"][0]["releases"][0]["id"], release.as_str());
        let r = app.gql_as(&w.auditor).run(REPORT, period).await.data()["complianceReport"].clone();
        assert_eq!(row(&r, &w.unit_id)["planItemsDone"], 1);

        // The item keeps its identity when the plan is rewritten; it cannot be dropped now.
        let mut moved = items.clone();
        moved[0]["kind"] = json!("CAMPAIGN");
        let again = sp.run(SET, json!({"u": w.unit_id, "y": year, "i": moved})).await.data()["setCommunicationPlan"].clone();
        assert_eq!(again["items"][0]["id"], item.as_str());
        assert_eq!(again["items"][0]["kind"], "CAMPAIGN");
        let dropped = json!([items[1].clone()]);
        assert_eq!(sp.run(SET, json!({"u": w.unit_id, "y": year, "i": dropped})).await.code(), "CONFLICT");
    }
);
