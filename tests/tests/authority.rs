//! Press questions, the compliance report, CSV exports and the audit log.
use pressnet_tests::*;
use serde_json::{json, Value};

const ASK: &str = "mutation($u:UUID!,$q:String!){ askQuestion(unitId:$u, question:$q){ id status askedAt dueAt overdue unit { code } journalist { fullName } } }";
const ANSWER: &str = "mutation($id:UUID!,$a:String!){ answerInquiry(id:$id, answer:$a){ status answer answeredAt answeredBy { fullName } overdue } }";
const DECLINE: &str =
    "mutation($id:UUID!,$r:String!){ declineInquiry(id:$id, reason:$r){ status declineReason } }";
const RATE: &str =
    "mutation($id:UUID!,$r:AnswerRating!){ rateAnswer(id:$id, rating:$r){ rating } }";
const LIST: &str = "query($u:UUID,$s:InquiryStatus,$o:Boolean){ inquiries(unitId:$u, status:$s, overdueOnly:$o){ id status overdue } }";

async fn ask(app: &TestApp, token: &str, unit: &str, q: &str) -> String {
    let r = app.gql_as(token).run(ASK, json!({"u": unit, "q": q})).await;
    r.data()["askQuestion"]["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

each!(backends;
    async fn question_lifecycle_and_permissions(app) {
        let w = World::build(&app, 2).await;
        let (j0, j1) = (&w.outlets[0].1, &w.outlets[1].1);
        let r = app.gql_as(j0).run(ASK, json!({"u": w.unit_id, "q": "Số ca sốt xuất huyết tuần này là bao nhiêu?"})).await;
        let q = r.data()["askQuestion"].clone();
        assert_eq!((q["status"].as_str(), q["overdue"].as_bool()), (Some("OPEN"), Some(false)));
        let asked = chrono::DateTime::parse_from_rfc3339(q["askedAt"].as_str().unwrap_or_default()).expect("t");
        let due = chrono::DateTime::parse_from_rfc3339(q["dueAt"].as_str().unwrap_or_default()).expect("t");
        assert_eq!((due - asked).num_hours(), 72);
        let id = q["id"].as_str().expect("id").to_owned();
        // Who may ask: journalists only; blank questions refused; unknown unit.
        assert_eq!(app.gql_as(&w.spokesperson).run(ASK, json!({"u": w.unit_id, "q": "x"})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(j0).run(ASK, json!({"u": w.unit_id, "q": "  "})).await.code(), "BAD_USER_INPUT");
        assert_eq!(app.gql_as(j0).run(ASK, json!({"u": uuid::Uuid::new_v4(), "q": "x"})).await.code(), "BAD_USER_INPUT");
        // Who sees it.
        let count = |r: &pressnet_tests::gql::Reply| r.data()["inquiries"].as_array().map(Vec::len).unwrap_or(0);
        assert_eq!(count(&app.gql_as(j0).run(LIST, json!({})).await), 1);
        assert_eq!(count(&app.gql_as(j1).run(LIST, json!({})).await), 0);
        assert_eq!(count(&app.gql_as(&w.spokesperson).run(LIST, json!({})).await), 1);
        assert_eq!(count(&app.gql_as(&w.other_spokesperson).run(LIST, json!({})).await), 0);
        assert_eq!(count(&app.gql_as(&w.auditor).run(LIST, json!({})).await), 1);
        assert_eq!(app.gql().run(LIST, json!({})).await.code(), "UNAUTHENTICATED");
        // Who may answer: the unit's spokesperson only.
        assert_eq!(app.gql_as(&w.other_spokesperson).run(ANSWER, json!({"id": id, "a": "x"})).await.code(), "NOT_FOUND");
        // The asker knows the question exists: FORBIDDEN, not NOT_FOUND (issue 30).
        assert_eq!(app.gql_as(j0).run(ANSWER, json!({"id": id, "a": "x"})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.auditor).run(ANSWER, json!({"id": id, "a": "x"})).await.code(), "FORBIDDEN");
        let r = app.gql_as(&w.spokesperson).run(ANSWER, json!({"id": id, "a": "Tuần này có 42 ca."})).await;
        assert_eq!(r.data()["answerInquiry"]["status"], "ANSWERED");
        assert_eq!(r.data()["answerInquiry"]["answeredBy"]["fullName"], "Lê Minh Đức");
        assert_eq!(app.gql_as(&w.spokesperson).run(ANSWER, json!({"id": id, "a": "lại"})).await.code(), "CONFLICT");
        // Who may rate: the asker only.
        assert_eq!(app.gql_as(j1).run(RATE, json!({"id": id, "r": "SATISFIED"})).await.code(), "FORBIDDEN");
        let r = app.gql_as(j0).run(RATE, json!({"id": id, "r": "UNSATISFIED"})).await;
        assert_eq!(r.data()["rateAnswer"]["rating"], "UNSATISFIED");
        // Declining carries its legal reason; a declined question cannot be rated.
        let id2 = ask(&app, j0, &w.unit_id, "Kết quả điều tra vụ việc X?").await;
        assert_eq!(app.gql_as(&w.spokesperson).run(DECLINE, json!({"id": id2, "r": " "})).await.code(), "BAD_USER_INPUT");
        let r = app.gql_as(&w.spokesperson).run(DECLINE, json!({"id": id2, "r": "Vụ việc đang được điều tra, chưa kết luận"})).await;
        assert_eq!(r.data()["declineInquiry"]["status"], "DECLINED");
        assert_eq!(app.gql_as(j0).run(RATE, json!({"id": id2, "r": "ACCEPTABLE"})).await.code(), "BAD_USER_INPUT");
        // A journalist whose outlet lost its accreditation may not ask.
        app.gql_as(&w.admin).run("mutation($o:UUID!){ setAccreditation(outletId:$o, status:SUSPENDED){ id } }", json!({"o": w.outlets[1].0})).await.data();
        assert_eq!(app.gql_as(j1).run(ASK, json!({"u": w.unit_id, "q": "x"})).await.code(), "FORBIDDEN");
    }
);

each!(backends;
    async fn due_and_overdue_follow_the_clock(app) {
        let w = World::build(&app, 1).await;
        let j0 = w.outlets[0].1.clone();
        let id = ask(&app, &j0, &w.unit_id, "Tiến độ giải phóng mặt bằng?").await;
        let over = app.gql_as(&w.spokesperson).run(LIST, json!({"o": true})).await;
        assert_eq!(over.data()["inquiries"], json!([]));
        app.clock.advance(chrono::Duration::hours(73));
        let sp = app.login("duc@syt.vn", PASSWORD).await;
        let over = app.gql_as(&sp).run(LIST, json!({"o": true})).await;
        assert_eq!(over.data()["inquiries"][0]["id"], id.as_str());
        assert_eq!(over.data()["inquiries"][0]["overdue"], true);
        let r = app.gql_as(&sp).run(ANSWER, json!({"id": id, "a": "Đã xong 80%."})).await;
        assert_eq!(r.data()["answerInquiry"]["overdue"], false);
        let over = app.gql_as(&sp).run(LIST, json!({"o": true})).await;
        assert_eq!(over.data()["inquiries"], json!([]));
    }
);

fn row<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["complianceReport"]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["unit"]["code"] == code))
        .expect("unit row")
}

const REPORT: &str = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f, to:$t){ unit { code } hasActiveSpokesperson releasesPublished pressConferencesHeld pressConferencesRequired inquiriesReceived inquiriesAnsweredOnTime inquiriesOverdue answersUnsatisfied medianResponseHours deliveryCoverage targetedPairs maxDeliverySpreadMs needsAttention } }";

each!(backends;
    async fn compliance_report_figures_on_a_constructed_province(app) {
        let w = World::build(&app, 2).await;
        let admin = app.gql_as(&w.admin);
        let prov = create_unit(&admin, "UBND-TINH", "Ủy ban nhân dân tỉnh", "PROVINCE").await;
        register_spokesperson(&admin, &prov, "Nguyễn Văn Thắng", "thang@ubnd.vn").await;
        let _empty = create_unit(&admin, "SO-NV", "Sở Nội vụ", "DEPARTMENT").await; // no spokesperson
        let start = app.clock.now();
        let sp = app.login("thang@ubnd.vn", PASSWORD).await;
        let g = app.gql_as(&sp);
        // Two releases, one a press conference starting in an hour.
        let a = publish_now(&g, &prov, "Thông cáo kinh tế - xã hội", json!({"allAccredited": true})).await;
        let conf = json!({"unitId": prov, "kind": "PRESS_CONFERENCE", "title": "Họp báo quý", "summary": "S", "body": "B",
            "audience": {"allAccredited": true}, "pressConference": {"startsAt": (start + chrono::Duration::hours(1)).to_rfc3339(), "location": "Hội trường"}});
        let cid = g.run(CREATE_RELEASE, json!({"i": conf})).await.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        g.run(PUBLISH, json!({"id": cid})).await.data();
        // Outlet 0 acknowledges both; outlet 1 receives nothing: coverage 2 of 4 pairs.
        let ack = "mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }";
        for id in [&a, &cid] {
            app.gql_as(&w.outlets[0].1).run(ack, json!({"id": id})).await.data();
        }
        // Three questions: on time (rated unsatisfied), late, open past due.
        let (j0, j1) = (w.outlets[0].1.clone(), w.outlets[1].1.clone());
        let q1 = ask(&app, &j0, &prov, "Câu hỏi 1").await;
        let q2 = ask(&app, &j0, &prov, "Câu hỏi 2").await;
        let _q3 = ask(&app, &j1, &prov, "Câu hỏi 3").await;
        app.clock.advance(chrono::Duration::hours(1));
        g.run(ANSWER, json!({"id": q1, "a": "Trả lời đúng hạn"})).await.data();
        app.gql_as(&j0).run(RATE, json!({"id": q1, "r": "UNSATISFIED"})).await.data();
        app.clock.advance(chrono::Duration::hours(79)); // 80 h after asking: past the 72 h deadline
        let sp = app.login("thang@ubnd.vn", PASSWORD).await;
        app.gql_as(&sp).run(ANSWER, json!({"id": q2, "a": "Trả lời muộn"})).await.data();
        let auditor = app.login(AUDITOR_EMAIL, PASSWORD).await;
        let period = json!({"f": (start - chrono::Duration::days(30)).to_rfc3339(), "t": (start + chrono::Duration::days(61)).to_rfc3339()});
        let r = app.gql_as(&auditor).run(REPORT, period.clone()).await;
        let p = row(r.data(), "UBND-TINH");
        assert_eq!(p["hasActiveSpokesperson"], true);
        assert_eq!(p["releasesPublished"], 2);
        assert_eq!(p["pressConferencesHeld"], 1);
        assert_eq!(p["pressConferencesRequired"], 1);
        assert_eq!(p["inquiriesReceived"], 3);
        assert_eq!(p["inquiriesAnsweredOnTime"], 1);
        assert_eq!(p["inquiriesOverdue"], 2);
        assert_eq!(p["answersUnsatisfied"], 1);
        let median = p["medianResponseHours"].as_f64().expect("median");
        assert!((median - 40.5).abs() < 0.01, "median of 1 h and 80 h: {median}");
        assert_eq!(p["targetedPairs"], 4);
        assert!((p["deliveryCoverage"].as_f64().unwrap_or(0.0) - 0.5).abs() < 1e-9);
        assert_eq!(p["needsAttention"], true);
        let d = row(r.data(), "SO-NV");
        assert_eq!(d["hasActiveSpokesperson"], false);
        assert_eq!((d["releasesPublished"].as_i64(), d["inquiriesReceived"].as_i64()), (Some(0), Some(0)));
        assert!(d["medianResponseHours"].is_null());
        assert_eq!(d["pressConferencesRequired"], 0);
        assert_eq!(d["needsAttention"], true, "no spokesperson");
        // The next quarter: a required press conference that was not held.
        let next = json!({"f": (start + chrono::Duration::days(100)).to_rfc3339(), "t": (start + chrono::Duration::days(191)).to_rfc3339()});
        let r = app.gql_as(&auditor).run(REPORT, next).await;
        let p = row(r.data(), "UBND-TINH");
        assert_eq!((p["pressConferencesHeld"].as_i64(), p["pressConferencesRequired"].as_i64()), (Some(0), Some(1)));
        // Only the authority.
        let j = app.login("pv0@bao0.vn", PASSWORD).await;
        assert_eq!(app.gql_as(&j).run(REPORT, period.clone()).await.code(), "FORBIDDEN");
        let bad = json!({"f": start.to_rfc3339(), "t": (start - chrono::Duration::days(1)).to_rfc3339()});
        assert_eq!(app.gql_as(&auditor).run(REPORT, bad).await.code(), "BAD_USER_INPUT");

        // CSV exports.
        let http = reqwest::Client::new();
        let url = format!("{}/exports/compliance.csv?from={}&to={}", app.base,
            urlencode(period["f"].as_str().unwrap_or_default()), urlencode(period["t"].as_str().unwrap_or_default()));
        let resp = http.get(&url).bearer_auth(&auditor).send().await.expect("csv");
        assert_eq!(resp.status().as_u16(), 200);
        assert!(resp.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
        let bytes = resp.bytes().await.expect("body");
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
        let mut rdr = csv::Reader::from_reader(&bytes[3..]);
        let headers = rdr.headers().expect("headers").clone();
        assert_eq!(&headers[0], "unit_code");
        let rows: Vec<csv::StringRecord> = rdr.records().collect::<Result<_, _>>().expect("rows");
        let prov_row = rows.iter().find(|r| &r[0] == "UBND-TINH").expect("province row");
        assert_eq!(&prov_row[1], "Ủy ban nhân dân tỉnh");
        assert_eq!(&prov_row[4], "2");
        assert_eq!(http.get(&url).bearer_auth(&j).send().await.expect("csv").status().as_u16(), 403);
        assert_eq!(http.get(&url).send().await.expect("csv").status().as_u16(), 401);
        let durl = format!("{}/exports/deliveries.csv?releaseId={a}", app.base);
        let resp = http.get(&durl).bearer_auth(&sp).send().await.expect("csv");
        assert_eq!(resp.status().as_u16(), 200);
        let bytes = resp.bytes().await.expect("body");
        let mut rdr = csv::Reader::from_reader(&bytes[3..]);
        let n = rdr.records().count();
        assert_eq!(n, 4, "2 LIVE + 2 EMAIL rows");
        let other = app.login("anh@stc.vn", PASSWORD).await;
        assert_eq!(http.get(&durl).bearer_auth(&other).send().await.expect("csv").status().as_u16(), 404);
        assert_eq!(http.get(&durl).bearer_auth(&j).send().await.expect("csv").status().as_u16(), 404);
    }
);

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

each!(backends;
    async fn audit_chain_verifies_and_catches_a_direct_edit(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo có kiểm toán", json!({"allAccredited": true})).await;
        app.gql_as(&w.outlets[0].1).run("mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }", json!({"id": id})).await.data();
        let _ = app.gql().run("mutation { login(email:\"duc@syt.vn\", password:\"sai mật khẩu\"){ token } }", json!({})).await;
        let q = ask(&app, &w.outlets[0].1, &w.unit_id, "Câu hỏi có kiểm toán").await;
        sp.run(ANSWER, json!({"id": q, "a": "Trả lời"})).await.data();
        let a = app.gql_as(&w.auditor);
        let v = a.run("{ verifyAuditLog { ok eventsChecked firstBadSeq } }", json!({})).await;
        assert_eq!(v.data()["verifyAuditLog"]["ok"], true, "{}", v.body);
        let checked = v.data()["verifyAuditLog"]["eventsChecked"].as_i64().unwrap_or(0);
        assert!(checked >= 15, "a realistic session leaves events: {checked}");
        let events = a.run("{ auditEvents(first: 100) { seq action entity actor { email } hash } }", json!({})).await;
        let list = events.data()["auditEvents"].as_array().expect("events").clone();
        let actions: Vec<&str> = list.iter().filter_map(|e| e["action"].as_str()).collect();
        for expected in ["unit.create", "spokesperson.register", "outlet.register", "outlet.set_accreditation",
                         "journalist.register", "account.login", "account.login_failed", "release.create",
                         "release.publish", "delivery.acknowledge", "inquiry.ask", "inquiry.answer"] {
            assert!(actions.contains(&expected), "missing {expected}: {actions:?}");
        }
        assert!(list.windows(2).all(|p| p[1]["seq"].as_i64() == p[0]["seq"].as_i64().map(|s| s + 1)));
        let page2 = a.run("{ auditEvents(first: 2, after: \"2\") { seq } }", json!({})).await;
        assert_eq!(page2.data()["auditEvents"], json!([{"seq": 3}, {"seq": 4}]));
        assert_eq!(app.gql_as(&w.outlets[0].1).run("{ verifyAuditLog { ok } }", json!({})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.spokesperson).run("{ auditEvents { seq } }", json!({})).await.code(), "FORBIDDEN");
        // Somebody edits event 5 directly in the database.
        use sea_orm::ConnectionTrait;
        app.ctx.db.execute_unprepared("UPDATE audit_events SET details = '{\"forged\":true}' WHERE seq = 5").await.expect("tamper");
        let v = a.run("{ verifyAuditLog { ok eventsChecked firstBadSeq } }", json!({})).await;
        assert_eq!(v.data()["verifyAuditLog"]["ok"], false);
        assert_eq!(v.data()["verifyAuditLog"]["firstBadSeq"], 5);
    }
);
