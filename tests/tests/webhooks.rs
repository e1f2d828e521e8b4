//! Newsroom systems (issue 19, first part): ADMIN registers an outlet's webhook endpoints; the
//! Standard Webhooks secret is shown once; targets on private addresses are refused unless
//! PRESSNET_ALLOW_PRIVATE_TARGETS=1 (the tests' default).
use base64::Engine;
use pressnet_tests::*;
use serde_json::{json, Value};

const ADD: &str = "mutation($o:UUID!,$u:String!){ addWebhookEndpoint(outletId:$o, url:$u){ secret endpoint { id url enabled createdAt outlet { id name } } } }";
const LIST: &str = "query($o:UUID!){ webhookEndpoints(outletId:$o){ id url enabled } }";
const REMOVE: &str = "mutation($id:UUID!){ removeWebhookEndpoint(id:$id) }";

each!(backends;
    async fn admin_registers_an_outlets_endpoints_and_the_secret_is_shown_once(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let outlet = &w.outlets[0].0;
        let r = a.run(ADD, json!({"o": outlet, "u": "http://127.0.0.1:9/toa-soan/nhan-tin"})).await;
        let created = r.data()["addWebhookEndpoint"].clone();
        let secret = created["secret"].as_str().expect("secret");
        let raw = secret.strip_prefix("whsec_").expect("a whsec_ secret");
        assert_eq!(base64::engine::general_purpose::STANDARD.decode(raw).expect("base64").len(), 32);
        assert_eq!(created["endpoint"]["enabled"], true);
        assert_eq!(created["endpoint"]["outlet"]["name"], "Báo số 0");
        let id = created["endpoint"]["id"].clone();
        // Listed without the secret; the schema has no field that shows it again.
        let list = a.run(LIST, json!({"o": outlet})).await;
        assert_eq!(list.data()["webhookEndpoints"], json!([{"id": id, "url": "http://127.0.0.1:9/toa-soan/nhan-tin", "enabled": true}]));
        assert!(!list.body.to_string().contains(raw));
        assert_eq!(a.run("query($o:UUID!){ webhookEndpoints(outletId:$o){ secret } }", json!({"o": outlet})).await.code(), "BAD_USER_INPUT");
        // Only ADMIN: not the outlet's journalist, not a spokesperson, not the auditor.
        for who in [&w.outlets[0].1, &w.spokesperson, &w.auditor] {
            assert_eq!(app.gql_as(who).run(ADD, json!({"o": outlet, "u": "https://example.org/hook"})).await.code(), "FORBIDDEN");
            assert_eq!(app.gql_as(who).run(LIST, json!({"o": outlet})).await.code(), "FORBIDDEN");
            assert_eq!(app.gql_as(who).run(REMOVE, json!({"id": id})).await.code(), "FORBIDDEN");
        }
        // Bad targets get a coded error naming the field.
        for bad in ["ftp://example.org/x", "https://user:pw@example.org/x", "không phải URL"] {
            let e = a.run(ADD, json!({"o": outlet, "u": bad})).await;
            assert_eq!(e.code(), "BAD_USER_INPUT", "{bad}: {}", e.body);
            assert_eq!(e.body["errors"][0]["extensions"]["field"], "url");
        }
        assert_eq!(a.run(ADD, json!({"o": w.unit_id, "u": "https://example.org/hook"})).await.code(), "NOT_FOUND");
        // Removed: gone from the list; the audit log has both, without the secret.
        assert_eq!(a.run(REMOVE, json!({"id": id})).await.data()["removeWebhookEndpoint"], true);
        assert_eq!(a.run(LIST, json!({"o": outlet})).await.data()["webhookEndpoints"], json!([]));
        assert_eq!(a.run(REMOVE, json!({"id": id})).await.code(), "NOT_FOUND");
        let events = a.run("{ auditEvents(first: 100){ action details } }", json!({})).await;
        let all = events.data()["auditEvents"].as_array().expect("events").clone();
        assert!(all.iter().any(|e| e["action"] == "webhook.add") && all.iter().any(|e| e["action"] == "webhook.remove"), "{all:?}");
        assert!(!events.body.to_string().contains(raw), "the secret is not in the audit log");
    }
);

each!(backends;
    async fn private_targets_are_refused_unless_allowed(app) {
        let app = app.restart_with(|c| c.allow_private_targets = false).await;
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        for url in ["http://127.0.0.1:8080/hook", "http://localhost/hook", "https://[::1]/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest/meta-data", "http://192.168.1.10/"] {
            let e = a.run(ADD, json!({"o": w.outlets[0].0, "u": url})).await;
            assert_eq!(e.code(), "BAD_USER_INPUT", "{url}: {}", e.body);
            assert_eq!(e.body["errors"][0]["extensions"]["field"], "url");
            assert!(e.body["errors"][0]["message"].as_str().unwrap_or_default().contains("private"), "{}", e.body);
        }
        assert_eq!(a.run(LIST, json!({"o": w.outlets[0].0})).await.data()["webhookEndpoints"], json!([]));
    }
);

// ---- Sending (issue 19): ninjs documents signed per Standard Webhooks ----

use pressnet_tests::receiver::Receiver;

const WEBHOOK_DELIVERIES: &str = "query($r:UUID){ deliveries(releaseId:$r, channel: WEBHOOK, first: 20){ totalCount edges { node { status attempts lastError recipient deliveredAt outlet { id } } } } }";
const ENDPOINTS: &str = "query($o:UUID!){ webhookEndpoints(outletId:$o){ id enabled disabledReason consecutiveFailures recentAttempts { event status attempts httpStatus error } } }";

/// Registers `url` for the outlet; returns (endpoint id, secret).
async fn register(a: &Gql, outlet: &str, url: &str) -> (String, String) {
    let r = a.run(ADD, json!({"o": outlet, "u": url})).await;
    let c = &r.data()["addWebhookEndpoint"];
    (
        c["endpoint"]["id"].as_str().expect("id").to_owned(),
        c["secret"].as_str().expect("secret").to_owned(),
    )
}

/// Checks a request's signature with Standard Webhooks' own library (not pressnet's code).
fn verify(secret: &str, got: &pressnet_tests::receiver::Received) {
    let wh = standardwebhooks::Webhook::new(secret).expect("a whsec_ secret");
    wh.verify(&got.body, &got.headers)
        .unwrap_or_else(|e| panic!("signature refused: {e:?}"));
    // A tampered body is refused by the same check.
    let mut tampered = got.body.to_vec();
    tampered.push(b' ');
    assert!(wh.verify(&tampered, &got.headers).is_err());
}

async fn deliveries(app: &TestApp, admin: &str, release: &str) -> Value {
    app.gql_as(admin)
        .run(WEBHOOK_DELIVERIES, json!({"r": release}))
        .await
        .data()["deliveries"]
        .clone()
}

/// Waits until the release's WEBHOOK deliveries all have `status`.
async fn until_status(app: &TestApp, admin: &str, release: &str, status: &str) -> Value {
    for _ in 0..200 {
        let d = deliveries(app, admin, release).await;
        let edges = d["edges"].as_array().expect("edges").clone();
        if !edges.is_empty() && edges.iter().all(|e| e["node"]["status"] == status) {
            return d;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "deliveries never became {status}: {}",
        deliveries(app, admin, release).await
    );
}

each!(backends;
    async fn a_publication_is_posted_as_signed_ninjs_to_the_addressed_outlets_only(app) {
        let w = World::build(&app, 2).await;
        let a = app.gql_as(&w.admin);
        let (rx0, rx1) = (Receiver::start().await, Receiver::start().await);
        let (_, secret) = register(&a, &w.outlets[0].0, &format!("{}/toa-soan/pressnet", rx0.url)).await;
        register(&a, &w.outlets[1].0, &format!("{}/khac", rx1.url)).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Khánh thành cầu Thuận Phước 2", json!({"outletIds": [w.outlets[0].0]})).await;
        let png = {
            let mut buf = std::io::Cursor::new(Vec::new());
            image::RgbImage::from_pixel(64, 48, image::Rgb([200, 30, 30])).write_to(&mut buf, image::ImageFormat::Png).expect("png");
            buf.into_inner()
        };
        upload(&app, &w.spokesperson, &id, "cau.png", png, Some("Cầu mới nhìn từ bờ sông")).await;
        assert_eq!(sp.run(PUBLISH, json!({"id": id})).await.data()["publishRelease"]["status"], "PUBLISHED");

        let got = rx0.wait_for(1, 20).await;
        let post = &got[0];
        assert_eq!(post.path, "/toa-soan/pressnet");
        assert_eq!(post.header("content-type"), "application/json");
        assert_eq!(post.header("pressnet-event"), "release.published");
        assert!(!post.header("webhook-id").is_empty());
        verify(&secret, post);
        let doc = post.json();
        assert_eq!(doc["standard"]["name"], "ninjs");
        assert_eq!(doc["standard"]["version"], "2.0");
        assert_eq!(doc["uri"], format!("{}/releases/{id}", app.base));
        assert_eq!(doc["version"], "1");
        assert_eq!(doc["pubstatus"], "usable");
        assert_eq!(doc["language"], "vi");
        assert!(doc["firstcreated"].as_str().expect("firstcreated").ends_with('Z'));
        assert!(doc["versioncreated"].is_string());
        assert_eq!(doc["headlines"][0]["value"], "Khánh thành cầu Thuận Phước 2");
        assert_eq!(doc["descriptions"][0]["value"], "Tóm tắt: Khánh thành cầu Thuận Phước 2");
        let html = doc["bodies"].as_array().expect("bodies").iter().find(|b| b["contenttype"] == "text/html").expect("an HTML body");
        assert!(html["value"].as_str().expect("html").contains("<strong>chi tiết</strong>"), "{html}");
        assert!(doc["by"].as_str().expect("by").contains("Sở"), "{}", doc["by"]);
        assert!(doc["located"].is_string());
        assert_eq!(doc["subjects"], json!([{"name": "y tế"}]));
        assert!(doc.get("embargoed").is_none());
        let assoc = &doc["associations"][0];
        assert_eq!(assoc["type"], "picture");
        assert_eq!(assoc["descriptions"][0]["value"], "Cầu mới nhìn từ bờ sông");
        let renditions = assoc["renditions"].as_array().expect("renditions");
        let original = renditions.iter().find(|r| r["name"] == "original").expect("the original");
        assert_eq!(original["contenttype"], "image/png");
        assert_eq!(original["width"], 64);
        // The renditions' links are signed for the receiving outlet and open without a session.
        for r in renditions {
            let href = r["href"].as_str().expect("href");
            assert!(href.contains(&format!("outlet={}", w.outlets[0].0)), "{href}");
            assert_eq!(reqwest::get(href).await.expect("get").status(), 200, "{href}");
        }
        let d = until_status(&app, &w.admin, &id, "DELIVERED").await;
        assert_eq!(d["totalCount"], 1, "one delivery per endpoint of the addressed outlet: {d}");
        assert_eq!(d["edges"][0]["node"]["outlet"]["id"], json!(w.outlets[0].0));
        // The other outlet was not addressed: its system hears nothing.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(rx1.got().is_empty(), "an outlet the release did not address got it");

        // A retraction is posted too, with the same signature scheme and pubstatus canceled.
        let r = sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Sai ngày khánh thành\"){ status } }", json!({"id": id})).await;
        assert_eq!(r.data()["retractRelease"]["status"], "RETRACTED");
        let got = rx0.wait_for(2, 20).await;
        verify(&secret, &got[1]);
        assert_eq!(got[1].header("pressnet-event"), "release.retracted");
        assert_ne!(got[1].header("webhook-id"), got[0].header("webhook-id"));
        let doc = got[1].json();
        assert_eq!(doc["pubstatus"], "canceled");
        assert!(doc["ednote"].as_str().expect("ednote").contains("Sai ngày khánh thành"));
        let attempts = a.run(ENDPOINTS, json!({"o": w.outlets[0].0})).await;
        let recent = attempts.data()["webhookEndpoints"][0]["recentAttempts"].clone();
        assert_eq!(recent[0]["event"], "RETRACTED", "{recent}");
        assert_eq!(recent[1]["httpStatus"], 200, "{recent}");
    }
);

each!(backends;
    async fn a_failed_post_is_retried_with_the_same_id_then_delivered(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let rx = Receiver::start().await;
        let (endpoint, secret) = register(&a, &w.outlets[0].0, &format!("{}/hook", rx.url)).await;
        rx.answer(&[503, 500]);
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Lịch cắt điện tuần tới", json!({"allAccredited": true})).await;
        rx.wait_for(1, 20).await;
        // Failed once: PENDING with the error and its next attempt 30 s later (the base delay).
        let mut d = Value::Null;
        for _ in 0..100 {
            d = deliveries(&app, &w.admin, &id).await;
            if d["edges"][0]["node"]["attempts"] == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let node = &d["edges"][0]["node"];
        assert_eq!(node["status"], "PENDING", "{d}");
        assert!(node["lastError"].as_str().expect("error").contains("HTTP 503"), "{d}");
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        assert_eq!(rx.got().len(), 1, "not retried before its time");
        app.clock.advance(chrono::Duration::seconds(31));
        rx.wait_for(2, 20).await;
        // Second failure: the delay doubles (60 s); 31 s more is not enough.
        app.clock.advance(chrono::Duration::seconds(31));
        tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
        assert_eq!(rx.got().len(), 2, "the second delay is twice the first");
        app.clock.advance(chrono::Duration::seconds(30));
        let got = rx.wait_for(3, 20).await;
        let ids: Vec<String> = got.iter().map(|g| g.header("webhook-id")).collect();
        assert!(ids.iter().all(|i| *i == ids[0]), "one webhook-id for every attempt: {ids:?}");
        for g in &got {
            verify(&secret, g);
        }
        let d = until_status(&app, &w.admin, &id, "DELIVERED").await;
        assert_eq!(d["edges"][0]["node"]["attempts"], 3);
        let e = a.run(ENDPOINTS, json!({"o": w.outlets[0].0})).await;
        assert_eq!(e.data()["webhookEndpoints"][0]["consecutiveFailures"], 0, "a success resets the count");
        assert_eq!(e.data()["webhookEndpoints"][0]["id"], json!(endpoint));
    }
);

each!(backends;
    async fn gone_disables_at_once_and_failures_in_a_row_disable_and_tell_the_outlet(app) {
        let app = app.restart_with(|c| c.webhook_disable_after = 2).await;
        let w = World::build(&app, 2).await;
        let a = app.gql_as(&w.admin);
        let gone = Receiver::start().await;
        gone.set_default(410);
        let down = Receiver::start().await;
        down.set_default(500);
        register(&a, &w.outlets[0].0, &format!("{}/gone", gone.url)).await;
        register(&a, &w.outlets[1].0, &format!("{}/down", down.url)).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông báo tuyển dụng", json!({"allAccredited": true})).await;
        gone.wait_for(1, 20).await;
        down.wait_for(1, 20).await;
        app.clock.advance(chrono::Duration::seconds(31));
        down.wait_for(2, 20).await;
        // Both endpoints are now disabled, each saying why.
        let mut reasons = Vec::new();
        for (o, _) in &w.outlets {
            for _ in 0..100 {
                let e = a.run(ENDPOINTS, json!({"o": o})).await.data()["webhookEndpoints"][0].clone();
                if e["enabled"] == false {
                    reasons.push(e["disabledReason"].as_str().expect("reason").to_owned());
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(reasons[0].contains("410"), "{reasons:?}");
        assert!(reasons[1].contains("2 failed attempts in a row"), "{reasons:?}");
        // Gone: FAILED at once; the other gives up because its endpoint is disabled.
        app.clock.advance(chrono::Duration::seconds(61));
        let d = until_status(&app, &w.admin, &id, "FAILED").await;
        assert_eq!(d["totalCount"], 2);
        // A disabled endpoint gets nothing of the next publication, and the authority's log
        // and the outlet's newsroom (an e-mail, queued) were told.
        let before = (gone.got().len(), down.got().len());
        publish_now(&sp, &w.unit_id, "Thông báo thứ hai", json!({"allAccredited": true})).await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        assert_eq!((gone.got().len(), down.got().len()), before);
        assert_eq!(app.db_count("SELECT COUNT(*) FROM audit_events WHERE action = 'webhook.disable'").await, 2);
        let queued = app.db_count("SELECT COUNT(*) FROM outbox WHERE kind = 'NOTICE'").await;
        assert_eq!(queued, 2, "each outlet's newsroom is e-mailed");
    }
);

each!(backends;
    async fn the_authority_sends_a_test_event_and_replays_what_failed(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        let rx = Receiver::start().await;
        let (endpoint, secret) = register(&a, &w.outlets[0].0, &format!("{}/hook", rx.url)).await;
        let r = a.run("mutation($id:UUID!){ sendWebhookTest(id:$id){ id status } }", json!({"id": endpoint})).await;
        assert_eq!(r.data()["sendWebhookTest"]["status"], "PENDING");
        let got = rx.wait_for(1, 20).await;
        verify(&secret, &got[0]);
        assert_eq!(got[0].header("pressnet-event"), "test");
        assert_eq!(got[0].json()["signal"][0]["name"], "test");
        // Only ADMIN.
        for who in [&w.outlets[0].1, &w.spokesperson, &w.auditor] {
            assert_eq!(app.gql_as(who).run("mutation($id:UUID!){ sendWebhookTest(id:$id){ id } }", json!({"id": endpoint})).await.code(), "FORBIDDEN");
            assert_eq!(app.gql_as(who).run("mutation($id:UUID!){ replayWebhookDeliveries(id:$id) }", json!({"id": endpoint})).await.code(), "FORBIDDEN");
        }
        // The newsroom system goes away (410): the delivery fails and the endpoint stops.
        rx.set_default(410);
        let id = publish_now(&app.gql_as(&w.spokesperson), &w.unit_id, "Kế hoạch phòng chống bão", json!({"allAccredited": true})).await;
        until_status(&app, &w.admin, &id, "FAILED").await;
        assert_eq!(a.run("mutation($id:UUID!){ replayWebhookDeliveries(id:$id) }", json!({"id": endpoint})).await.code(), "BAD_USER_INPUT");
        // Back up: enabled again, the failed release is replayed and delivered.
        rx.set_default(200);
        let e = a.run("mutation($id:UUID!){ setWebhookEndpointEnabled(id:$id, enabled:true){ enabled } }", json!({"id": endpoint})).await;
        assert_eq!(e.data()["setWebhookEndpointEnabled"]["enabled"], true);
        let n = a.run("mutation($id:UUID!){ replayWebhookDeliveries(id:$id) }", json!({"id": endpoint})).await;
        assert_eq!(n.data()["replayWebhookDeliveries"], 1);
        let got = rx.wait_for(3, 20).await;
        verify(&secret, &got[2]);
        assert_eq!(got[2].json()["headlines"][0]["value"], "Kế hoạch phòng chống bão");
        until_status(&app, &w.admin, &id, "DELIVERED").await;
    }
);
