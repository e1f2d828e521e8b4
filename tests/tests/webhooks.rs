//! Newsroom systems (issue 19, first part): ADMIN registers an outlet's webhook endpoints; the
//! Standard Webhooks secret is shown once; targets on private addresses are refused unless
//! PRESSNET_ALLOW_PRIVATE_TARGETS=1 (the tests' default).
use base64::Engine;
use pressnet_tests::*;
use serde_json::json;

const ADD: &str = "mutation($o:UUID!,$u:String!){ addWebhookEndpoint(outletId:$o, url:$u){ secret endpoint { id url enabled createdAt outlet { id name } } } }";
const LIST: &str = "query($o:UUID!){ webhookEndpoints(outletId:$o){ id url enabled } }";
const REMOVE: &str = "mutation($id:UUID!){ removeWebhookEndpoint(id:$id) }";

db_test!(
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

db_test!(
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
