//! Issue 31's server side, on both databases: the feed's unread state from the server
//! (`received`), sessions a person can see and end (`mySessions`, `revokeSession`) and keep on
//! a device (the `/auth` cookie routes), corrections that mark the original and carry its files
//! (`Release.correctedBy`), a publish time in the past refused, and the audit log filtered by
//! the server.
use pressnet_tests::*;
use serde_json::{json, Value};

const RECEIVED: &str = "query($f:Int,$a:String,$u:Boolean){ received(first:$f, after:$a, unreadOnly:$u){ totalCount unread
    pageInfo { hasNextPage endCursor } edges { cursor node { acknowledged acknowledgedAt deliveredAt release { id title } } } } }";
const ACK: &str = "mutation($r:UUID!){ acknowledgeRelease(releaseId:$r){ status } }";
const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";
const SESSIONS: &str = "{ mySessions { id createdAt lastSeenAt userAgent current } }";

fn titles(r: &Value) -> Vec<String> {
    r["received"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            e["node"]["release"]["title"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

each!(backends;
    async fn received_lists_the_outlets_releases_newest_first_with_their_acknowledgement(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let all = json!({"allAccredited": true});
        let first = publish_now(&sp, &w.unit_id, "Một", all.clone()).await;
        publish_now(&sp, &w.unit_id, "Hai", all.clone()).await;
        // Addressed to the other outlet only: never in this one's list.
        publish_now(&sp, &w.unit_id, "Riêng", json!({"outletIds": [w.outlets[1].0]})).await;
        publish_now(&sp, &w.unit_id, "Ba", all.clone()).await;
        // A draft reached nobody.
        draft(&sp, &w.unit_id, "Nháp", all).await;

        let j = app.gql_as(&w.outlets[0].1);
        let r = j.run(RECEIVED, json!({})).await;
        assert_eq!(titles(r.data()), ["Ba", "Hai", "Một"], "{}", r.body);
        assert_eq!(r.data()["received"]["totalCount"], 3);
        assert_eq!(r.data()["received"]["unread"], 3);

        // Acknowledged by one journalist of the outlet: read for the whole outlet, on any device.
        assert_eq!(j.run(ACK, json!({"r": first})).await.data()["acknowledgeRelease"]["status"], "ACKNOWLEDGED");
        let r = j.run(RECEIVED, json!({})).await;
        assert_eq!(r.data()["received"]["unread"], 2);
        let node = &r.data()["received"]["edges"][2]["node"];
        assert_eq!(node["acknowledged"], true);
        assert!(node["acknowledgedAt"].is_string());
        let unread = j.run(RECEIVED, json!({"u": true})).await;
        assert_eq!(titles(unread.data()), ["Ba", "Hai"]);
        assert_eq!(unread.data()["received"]["totalCount"], 2);

        // Paged by its cursor, newest first, with no overlap.
        let p1 = j.run(RECEIVED, json!({"f": 2})).await;
        assert_eq!(titles(p1.data()), ["Ba", "Hai"]);
        assert_eq!(p1.data()["received"]["pageInfo"]["hasNextPage"], true);
        let cursor = p1.data()["received"]["pageInfo"]["endCursor"].clone();
        let p2 = j.run(RECEIVED, json!({"f": 2, "a": cursor})).await;
        assert_eq!(titles(p2.data()), ["Một"]);
        assert_eq!(p2.data()["received"]["pageInfo"]["hasNextPage"], false);
        assert_eq!(j.run(RECEIVED, json!({"a": "not-a-cursor"})).await.code(), "BAD_USER_INPUT");
        assert_eq!(j.run(RECEIVED, json!({"f": 1000})).await.code(), "BAD_USER_INPUT");

        // The other outlet sees its own, including the one addressed to it alone.
        let other = app.gql_as(&w.outlets[1].1).run(RECEIVED, json!({})).await;
        assert_eq!(titles(other.data()), ["Ba", "Riêng", "Hai", "Một"]);

        // Journalists only; and an outlet suspended since reads nothing more.
        assert_eq!(sp.run(RECEIVED, json!({})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql().run(RECEIVED, json!({})).await.code(), "UNAUTHENTICATED");
        let admin = app.gql_as(&w.admin);
        let s = admin
            .run("mutation($o:UUID!){ setAccreditation(outletId:$o, status:SUSPENDED){ accreditation } }", json!({"o": w.outlets[0].0}))
            .await;
        assert_eq!(s.data()["setAccreditation"]["accreditation"], "SUSPENDED", "{}", s.body);
        let r = j.run(RECEIVED, json!({})).await;
        assert_eq!(r.data()["received"]["totalCount"], 0, "{}", r.body);
    }
);

/// Signs in as a browser would, with its User-Agent; returns the token.
async fn login_from(app: &TestApp, email: &str, agent: &str) -> String {
    let body: Value = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .header("user-agent", agent)
        .json(&json!({"query": LOGIN, "variables": {"e": email, "p": PASSWORD}}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    body["data"]["login"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

each!(backends;
    async fn a_person_sees_their_sessions_and_ends_any_of_them_but_nobody_elses(app) {
        let w = World::build(&app, 1).await;
        let phone = login_from(&app, "pv0@bao0.vn", "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile").await;
        let laptop = login_from(&app, "pv0@bao0.vn", "Mozilla/5.0 (Windows NT 10.0) Firefox/133.0").await;
        let r = app.gql_as(&phone).run(SESSIONS, json!({})).await;
        let list = r.data()["mySessions"].as_array().expect("sessions").clone();
        // World's own sign-in, the phone and the laptop.
        assert_eq!(list.len(), 3, "{}", r.body);
        let current: Vec<&Value> = list.iter().filter(|s| s["current"] == true).collect();
        assert_eq!(current.len(), 1);
        assert!(current[0]["userAgent"].as_str().is_some_and(|a| a.contains("Android")));
        // The same query from the laptop names the laptop: the answer is never shared.
        let r = app.gql_as(&laptop).run(SESSIONS, json!({})).await;
        let mine = r.data()["mySessions"].as_array().expect("sessions").iter().find(|s| s["current"] == true).cloned().expect("current");
        assert!(mine["userAgent"].as_str().is_some_and(|a| a.contains("Firefox")));

        // Another account cannot end it, nor learn that it exists.
        let other = app.gql_as(&w.spokesperson).run("mutation($id:UUID!){ revokeSession(id:$id) }", json!({"id": mine["id"]})).await;
        assert_eq!(other.code(), "NOT_FOUND");
        assert!(app.gql_as(&laptop).run("{ me { id } }", json!({})).await.body["errors"].is_null());

        // From the phone, the laptop is signed out at once.
        let done = app.gql_as(&phone).run("mutation($id:UUID!){ revokeSession(id:$id) }", json!({"id": mine["id"]})).await;
        assert_eq!(done.data()["revokeSession"], true, "{}", done.body);
        assert_eq!(app.gql_as(&laptop).run("{ me { id } }", json!({})).await.code(), "UNAUTHENTICATED");
        let r = app.gql_as(&phone).run(SESSIONS, json!({})).await;
        assert_eq!(r.data()["mySessions"].as_array().map(Vec::len), Some(2));
        assert_eq!(app.gql().run(SESSIONS, json!({})).await.code(), "UNAUTHENTICATED");
        // Ended sessions are in the audit log.
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'account.revoke_session'").await, 1);
    }
);

/// `POST /auth/resume` with the cookie, as the web app sends it (or, without the header, as a
/// cross-site form would).
async fn resume(app: &TestApp, cookie: &str, from_the_app: bool) -> reqwest::Response {
    let mut req = reqwest::Client::new()
        .post(format!("{}/auth/resume", app.base))
        .header("cookie", cookie);
    if from_the_app {
        req = req.header("x-requested-with", "pressnet");
    }
    req.send().await.expect("resume")
}

each!(backends;
    async fn a_session_kept_on_a_device_comes_back_in_a_new_tab_by_its_cookie_and_ends_with_sign_out(app) {
        let _w = World::build(&app, 1).await;
        let token = login_from(&app, "pv0@bao0.vn", "Mozilla/5.0 Chrome/131.0").await;
        let http = reqwest::Client::new();
        // Without a bearer there is nothing to remember.
        let r = http.post(format!("{}/auth/remember", app.base)).send().await.expect("remember");
        assert_eq!(r.status().as_u16(), 401);
        let r = http.post(format!("{}/auth/remember", app.base)).bearer_auth(&token).send().await.expect("remember");
        assert_eq!(r.status().as_u16(), 204);
        let cookie = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).expect("set-cookie").to_owned();
        for part in ["pressnet_session=", "HttpOnly", "SameSite=Strict", "Path=/auth", "Max-Age=2592000"] {
            assert!(cookie.contains(part), "{cookie}");
        }
        // The session now lasts 30 days from its last use.
        let long = app
            .db_count("SELECT COUNT(*) FROM auth_tokens WHERE purpose = 'SESSION' AND user_agent LIKE '%Chrome%'")
            .await;
        assert_eq!(long, 1);
        let pair = cookie.split(';').next().expect("pair").to_owned();

        // A cross-site form cannot send the header: refused.
        assert_eq!(resume(&app, &pair, false).await.status().as_u16(), 403);
        // The web app's own request gets the session back for the new tab.
        let r = resume(&app, &pair, true).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["token"], token.as_str());
        // The API itself never reads the cookie: with it alone a request is anonymous.
        let anon: Value = http
            .post(format!("{}/graphql", app.base))
            .header("cookie", &pair)
            .json(&json!({"query": "{ me { id } }"}))
            .send()
            .await
            .expect("graphql")
            .json()
            .await
            .expect("json");
        assert!(anon["data"]["me"].is_null(), "{anon}");

        // Signed out: the cookie brings nothing back and is cleared.
        app.gql_as(&token).run("mutation { logout }", json!({})).await;
        let r = resume(&app, &pair, true).await;
        assert_eq!(r.status().as_u16(), 401);
        let cleared = r.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert!(cleared.contains("Max-Age=0"), "{cleared}");
        let r = http.post(format!("{}/auth/forget", app.base)).header("x-requested-with", "pressnet").send().await.expect("forget");
        assert_eq!(r.status().as_u16(), 204);
    }
);

each!(backends;
    async fn a_correction_marks_its_original_everywhere_and_starts_with_its_files(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Lịch tiêm chủng", json!({"allAccredited": true})).await;
        let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
        let up = upload(&app, &w.spokesperson, &id, "Kế hoạch.pdf", pdf, Some("Kế hoạch số 12")).await;
        assert!(up["errors"].is_null(), "{up}");
        assert_eq!(sp.run(PUBLISH, json!({"id": id})).await.data()["publishRelease"]["status"], "PUBLISHED");
        let q = "query($id:UUID!){ release(id:$id){ id title correctedBy { id title } attachments { filename caption sha256 } } }";
        assert!(sp.run(q, json!({"id": id})).await.data()["release"]["correctedBy"].is_null());

        let c = sp
            .run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "CORRECTION", "title": "Đính chính: Lịch tiêm chủng",
                "summary": "Sửa ngày", "body": "Ngày đúng là 12/12.", "audience": {"allAccredited": true}, "supersedesId": id}}))
            .await;
        let cid = c.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let copy = sp.run(q, json!({"id": cid})).await;
        let orig = sp.run(q, json!({"id": id})).await;
        assert_eq!(copy.data()["release"]["attachments"], orig.data()["release"]["attachments"], "{}", copy.body);
        // Not yet: an unpublished correction corrects nothing anyone else can see.
        let j = app.gql_as(&w.outlets[0].1);
        assert!(j.run(q, json!({"id": id})).await.data()["release"]["correctedBy"].is_null());
        assert_eq!(sp.run(PUBLISH, json!({"id": cid})).await.data()["publishRelease"]["status"], "PUBLISHED");
        for viewer in [&j, &app.gql()] {
            let r = viewer.run(q, json!({"id": id})).await;
            assert_eq!(r.data()["release"]["correctedBy"]["id"], cid.as_str(), "{}", r.body);
        }
        // In lists too (one query for the page's corrections).
        let list = app.gql().run("{ releases(first: 10) { edges { node { title correctedBy { title } } } } }", json!({})).await;
        let marked: Vec<&Value> = list.data()["releases"]["edges"].as_array().expect("edges").iter()
            .filter(|e| !e["node"]["correctedBy"].is_null()).collect();
        assert_eq!(marked.len(), 1);
        assert_eq!(marked[0]["node"]["title"], "Lịch tiêm chủng");
        // The copy serves the original's bytes (stored once, by their SHA-256).
        let files = app.gql().run("query($id:UUID!){ release(id:$id){ attachments { url } } }", json!({"id": cid})).await;
        let url = files.data()["release"]["attachments"][0]["url"].as_str().expect("url").to_owned();
        let url = if url.starts_with("http") { url } else { format!("{}{}", app.base, url) };
        let got = reqwest::get(url).await.expect("file");
        assert_eq!(got.status().as_u16(), 200);
        assert!(got.bytes().await.expect("bytes").starts_with(b"%PDF"));
    }
);

each!(backends;
    async fn a_publish_time_in_the_past_is_refused_not_taken_as_now(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Nhầm ngày", json!({"allAccredited": true})).await;
        // "07/12" read as 12 July: months ago.
        let past = (app.clock.now() - chrono::Duration::days(148)).to_rfc3339();
        let r = sp.run(PUBLISH, json!({"id": id, "at": past})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        assert_eq!(r.body["errors"][0]["extensions"]["field"], "publishAt", "{}", r.body);
        let now = app.clock.now().to_rfc3339();
        assert_eq!(sp.run(PUBLISH, json!({"id": id, "at": now})).await.code(), "BAD_USER_INPUT");
        let s = sp.run("query($id:UUID!){ release(id:$id){ status } }", json!({"id": id})).await;
        assert_eq!(s.data()["release"]["status"], "DRAFT");
        assert_eq!(app.db_count("SELECT COUNT(*) FROM deliveries").await, 0);
    }
);

each!(backends;
    async fn the_audit_log_is_filtered_by_the_server_newest_first(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        publish_now(&sp, &w.unit_id, "Của Sở Y tế", json!({"allAccredited": true})).await;
        publish_now(&app.gql_as(&w.other_spokesperson), &w.other_unit_id, "Của Sở Tài chính", json!({"allAccredited": true})).await;
        let q = "query($a:String,$u:UUID,$who:UUID,$from:DateTime,$to:DateTime,$after:String,$n:Int){
            auditEvents(first:$n, after:$after, action:$a, unitId:$u, actorId:$who, from:$from, to:$to, newestFirst:true){
              seq at action entityId hash prevHash details actor { id name role } } }";
        let auditor = app.gql_as(&w.auditor);
        let all = auditor.run(q, json!({"n": 100})).await;
        let events = all.data()["auditEvents"].as_array().expect("events").clone();
        let seqs: Vec<i64> = events.iter().map(|e| e["seq"].as_i64().expect("seq")).collect();
        assert!(seqs.windows(2).all(|p| p[0] > p[1]), "newest first: {seqs:?}");
        // Each event's previous hash is its predecessor's in the chain, whatever the order.
        for pair in events.windows(2) {
            if pair[0]["seq"].as_i64() == pair[1]["seq"].as_i64().map(|s| s + 1) {
                assert_eq!(pair[0]["prevHash"], pair[1]["hash"]);
            }
        }
        // A family of actions, for one unit: its releases' events only.
        let r = auditor.run(q, json!({"a": "release", "u": w.unit_id, "n": 100})).await;
        let rows = r.data()["auditEvents"].as_array().expect("events").clone();
        assert!(!rows.is_empty(), "{}", r.body);
        assert!(rows.iter().all(|e| e["action"].as_str().is_some_and(|a| a.starts_with("release."))));
        assert!(rows.iter().all(|e| !e["details"].as_str().unwrap_or_default().contains("Tài chính")), "{}", r.body);
        assert!(rows.iter().any(|e| e["action"] == "release.publish"));
        // By person: the spokesperson's own acts, named.
        let who = rows.iter().find(|e| e["action"] == "release.create").expect("create")["actor"].clone();
        assert_eq!(who["name"], "Lê Minh Đức");
        assert_eq!(who["role"], "SPOKESPERSON");
        let mine = auditor.run(q, json!({"who": who["id"], "n": 100})).await;
        assert!(mine.data()["auditEvents"].as_array().expect("events").iter().all(|e| e["actor"]["id"] == who["id"]));
        // By period: nothing in a window that ended before everything.
        let long_ago = (app.clock.now() - chrono::Duration::days(30)).to_rfc3339();
        let none = auditor.run(q, json!({"to": long_ago, "n": 100})).await;
        assert_eq!(none.data()["auditEvents"], json!([]));
        // Paged newest first by `after`.
        let page1 = auditor.run(q, json!({"n": 3})).await;
        let last = page1.data()["auditEvents"][2]["seq"].as_i64().expect("seq");
        let page2 = auditor.run(q, json!({"n": 3, "after": last.to_string()})).await;
        assert_eq!(page2.data()["auditEvents"][0]["seq"].as_i64(), Some(last - 1));
        // Still the authority's only.
        assert_eq!(sp.run(q, json!({"n": 3})).await.code(), "FORBIDDEN");
    }
);

each!(backends;
    async fn exports_for_people_speak_their_language_and_for_programs_keep_codes(app) {
        let w = World::build(&app, 1).await;
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Xuất CSV", json!({"allAccredited": true})).await;
        let from = (app.clock.now() - chrono::Duration::days(1)).to_rfc3339();
        let to = (app.clock.now() + chrono::Duration::days(1)).to_rfc3339();
        let get = |url: String| {
            let token = w.admin.clone();
            async move {
                reqwest::Client::new().get(url).bearer_auth(token).send().await.expect("csv").text().await.expect("text")
            }
        };
        let enc = |s: &str| s.replace('+', "%2B").replace(':', "%3A");
        let vi = get(format!("{}/exports/compliance.csv?from={}&to={}&lang=vi", app.base, enc(&from), enc(&to))).await;
        let header = vi.lines().next().unwrap_or_default();
        assert!(header.contains("Cơ quan, đơn vị") && header.contains("Cần chú ý"), "{header}");
        assert!(vi.contains("Sở, ban, ngành") && (vi.contains(",Có,") || vi.contains(",Không,")), "{vi}");
        // The unit that published nothing: no share, not 0 % or 100 %.
        let other = vi.lines().find(|l| l.contains("Sở Tài chính")).unwrap_or_default();
        assert!(other.contains('—'), "{other}");
        let codes = get(format!("{}/exports/compliance.csv?from={}&to={}", app.base, enc(&from), enc(&to))).await;
        assert!(codes.lines().next().unwrap_or_default().contains("needs_attention"));
        assert!(codes.contains("DEPARTMENT"));
        let d = get(format!("{}/exports/deliveries.csv?releaseId={id}&lang=vi", app.base)).await;
        assert!(d.lines().next().unwrap_or_default().contains("Kênh"), "{d}");
        assert!(d.contains("Trực tuyến") && !d.contains(",LIVE,"), "{d}");
    }
);

each!(backends;
    async fn with_e_mail_off_the_administrator_is_given_the_invitation_link_to_pass_on(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let r = a
            .run("mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }",
                json!({"i": {"outletId": w.outlets[0].0, "fullName": "Nguyễn Văn Hùng", "email": "Hung@bbg.vn"}}))
            .await;
        assert!(r.body["errors"].is_null(), "{}", r.body);
        let q = "query($e:String!){ invitationLink(email:$e) }";
        let link = a.run(q, json!({"e": "hung@bbg.vn"})).await;
        let url = link.data()["invitationLink"].as_str().expect("a link").to_owned();
        assert!(url.contains("/#/invite/"), "{url}");
        // Nobody else may read it.
        assert_eq!(app.gql_as(&w.auditor).run(q, json!({"e": "hung@bbg.vn"})).await.code(), "FORBIDDEN");
        assert_eq!(app.gql_as(&w.outlets[0].1).run(q, json!({"e": "hung@bbg.vn"})).await.code(), "FORBIDDEN");
        // It works, once; then there is no link to give.
        let secret = url.rsplit('/').next().expect("token");
        let ok = app.gql()
            .run("mutation($t:String!,$p:String!){ acceptInvitation(token:$t, password:$p){ token } }", json!({"t": secret, "p": "mat-khau-moi-123"}))
            .await;
        assert!(ok.data()["acceptInvitation"]["token"].is_string(), "{}", ok.body);
        assert!(a.run(q, json!({"e": "hung@bbg.vn"})).await.data()["invitationLink"].is_null());
        assert!(a.run(q, json!({"e": "nobody@bbg.vn"})).await.data()["invitationLink"].is_null());
    }
);
