//! Every error code, bad input of each kind, and limits: clear errors, and the server stays up.
use pressnet_tests::*;
use serde_json::{json, Value};

const CREATE_UNIT: &str = "mutation($i:CreateUnitInput!){ createUnit(input:$i){ id } }";
const REG_SP: &str =
    "mutation($i:RegisterSpokespersonInput!){ registerSpokesperson(input:$i){ id } }";

fn field(r: &pressnet_tests::gql::Reply) -> String {
    r.body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

each!(backends;
    async fn each_error_code(app) {
        let w = World::build(&app, 1).await;
        let a = app.gql_as(&w.admin);
        // UNAUTHENTICATED: no token, and a bad token.
        assert_eq!(app.gql().run("{ outlets { id } }", json!({})).await.code(), "UNAUTHENTICATED");
        let bad = app.gql_as("not-a-real-token").run("{ units { id } }", json!({})).await;
        assert_eq!(bad.code(), "UNAUTHENTICATED");
        // FORBIDDEN
        let r = app.gql_as(&w.auditor).run(CREATE_UNIT, json!({"i": {"code": "A", "name": "B", "level": "COMMUNE"}})).await;
        assert_eq!(r.code(), "FORBIDDEN");
        // NOT_FOUND
        let r = a.run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": uuid::Uuid::new_v4()})).await;
        assert_eq!(r.code(), "NOT_FOUND");
        // CONFLICT: duplicate unit code, duplicate account e-mail, duplicate licence.
        let r = a.run(CREATE_UNIT, json!({"i": {"code": "SO-YTE", "name": "Trùng", "level": "DEPARTMENT"}})).await;
        assert_eq!(r.code(), "CONFLICT");
        let r = a
            .run(REG_SP, json!({"i": {"unitId": w.unit_id, "fullName": "X", "position": "Y", "phone": "0912345678", "email": "duc@syt.vn"}}))
            .await;
        assert_eq!(r.code(), "CONFLICT");
        let r = a
            .run("mutation{ registerOutlet(input:{name:\"X\",kind:PRINT,scope:LOCAL,licenceNumber:\"GP-0\",email:\"x@y.vn\"}){ id } }", json!({}))
            .await;
        assert_eq!(r.code(), "CONFLICT");
        // BAD_USER_INPUT from the parser and validator too.
        assert_eq!(a.run("{ units { id ", json!({})).await.code(), "BAD_USER_INPUT");
        assert_eq!(a.run("{ noSuchField }", json!({})).await.code(), "BAD_USER_INPUT");
        // INTERNAL is never caused by input; its shape is covered by the unit tests of the mapping.
    }
);

each!(backends;
    async fn bad_input_of_each_kind(app) {
        let w = World::build(&app, 0).await;
        let a = app.gql_as(&w.admin);
        let sp = |over: Value| {
            let mut base = json!({"unitId": w.unit_id, "fullName": "Đỗ Thị Lan", "position": "Chánh Văn phòng",
                                  "phone": "0204 3854 105", "email": "lan@sgd.vn"});
            if let (Some(b), Some(o)) = (base.as_object_mut(), over.as_object()) {
                for (k, v) in o { b.insert(k.clone(), v.clone()); }
            }
            json!({"i": base})
        };
        let cases = [
            (json!({"fullName": "   "}), "fullName"),
            (json!({"fullName": "x".repeat(201)}), "fullName"),
            (json!({"position": ""}), "position"),
            (json!({"email": "not-an-email"}), "email"),
            (json!({"email": "a@b"}), "email"),
            (json!({"phone": "12ab"}), "phone"),
            (json!({"phone": "1"}), "phone"),
            (json!({"unitId": uuid::Uuid::new_v4()}), "unitId"),
            (json!({"password": "short"}), "password"),
        ];
        for (over, name) in cases {
            let r = a.run(REG_SP, sp(over.clone())).await;
            assert_eq!(r.code(), "BAD_USER_INPUT", "{over}: {}", r.body);
            assert_eq!(field(&r), name, "{over}: {}", r.body);
        }
        // Unknown parent unit; malformed unit code.
        let r = a.run(CREATE_UNIT, json!({"i": {"code": "X1", "name": "Y", "level": "COMMUNE", "parentId": uuid::Uuid::new_v4()}})).await;
        assert_eq!((r.code(), field(&r)), ("BAD_USER_INPUT".into(), "parentId".into()));
        let r = a.run(CREATE_UNIT, json!({"i": {"code": "có dấu", "name": "Y", "level": "COMMUNE"}})).await;
        assert_eq!((r.code(), field(&r)), ("BAD_USER_INPUT".into(), "code".into()));
        // A malformed UUID and an unknown enum value are refused by the schema itself.
        let r = a.run("query($id:UUID!){ unit(id:$id){ id } }", json!({"id": "not-a-uuid"})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        let r = a.run(CREATE_UNIT, json!({"i": {"code": "Z", "name": "Y", "level": "GALAXY"}})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        // A 300 kB string: a clear error, no echo of the whole thing, and the server is still up.
        let huge = "ệ".repeat(100_000);
        let r = a.run(CREATE_UNIT, json!({"i": {"code": "BIG", "name": huge, "level": "COMMUNE"}})).await;
        assert_eq!((r.code(), field(&r)), ("BAD_USER_INPUT".into(), "name".into()));
        assert!(r.body.to_string().len() < 2_000);
        let health = reqwest::get(format!("{}/healthz", app.base)).await.expect("health");
        assert_eq!(health.status().as_u16(), 200);
    }
);

each!(backends;
    async fn limits_on_body_batch_depth_and_complexity(app) {
        let g = app.gql();
        // Over 1 MiB: refused before parsing.
        assert_eq!(g.post_oversized(Some(1_100_000), 0).await, 413);
        // A chunked body without a declared length is cut off once it passes the limit.
        assert_eq!(g.post_oversized(None, 1_048_600).await, 413);
        // Not JSON at all.
        let r = g.post_raw("{not json".into()).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        // A batch of 11 is refused; a batch of 2 works.
        let one = json!({"query": "{ units { id } }"});
        let r = g.post_json(&Value::Array(vec![one.clone(); 11])).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        let r = g.post_json(&Value::Array(vec![one.clone(); 2])).await;
        assert_eq!(r.body.as_array().map(Vec::len), Some(2));
        // Too deep.
        let mut q = String::from("id");
        for _ in 0..20 {
            q = format!("parent {{ {q} }}");
        }
        let r = g.run(&format!("{{ units {{ {q} }} }}"), json!({})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        assert!(r.message().to_lowercase().contains("nested") || r.message().to_lowercase().contains("depth"), "{}", r.message());
        // Too complex: many aliases.
        let fields: Vec<String> = (0..3000).map(|i| format!("a{i}: units {{ id code }}")).collect();
        let r = g.run(&format!("{{ {} }}", fields.join(" ")), json!({})).await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
        let health = reqwest::get(format!("{}/healthz", app.base)).await.expect("health");
        assert_eq!(health.status().as_u16(), 200);
    }
);

each!(backends;
    async fn the_plain_routes_answer_one_error_shape(app) {
        let w = World::build(&app, 0).await;
        let http = reqwest::Client::new();
        let code = |v: &Value| v["errors"][0]["extensions"]["code"].as_str().unwrap_or_default().to_owned();
        // No token: 401, the challenge, and the GraphQL error shape.
        let resp = http.get(format!("{}/exports/compliance.csv", app.base)).send().await.expect("get");
        assert_eq!(resp.status(), 401);
        assert_eq!(resp.headers().get("www-authenticate").and_then(|v| v.to_str().ok()), Some("Bearer"));
        let body: Value = resp.json().await.expect("json");
        assert_eq!(code(&body), "UNAUTHENTICATED", "{body}");
        // The scheme is case-insensitive (RFC 9110) on every route that takes a token.
        let resp = http
            .get(format!("{}/exports/compliance.csv?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z", app.base))
            .header("authorization", format!("bearer {}", w.auditor))
            .send().await.expect("get");
        assert_eq!(resp.status(), 200);
        // Bad input names its field.
        let resp = http
            .get(format!("{}/exports/compliance.csv?to=2027-01-01T00:00:00Z", app.base))
            .header("authorization", format!("BEARER {}", w.auditor))
            .send().await.expect("get");
        assert_eq!(resp.status(), 400);
        let body: Value = resp.json().await.expect("json");
        assert_eq!(code(&body), "BAD_USER_INPUT");
        assert_eq!(body["errors"][0]["extensions"]["field"], "from");
        // An unknown token is refused, not treated as anonymous.
        let resp = http
            .post(format!("{}/graphql/stream", app.base))
            .header("authorization", "Bearer no-such-token")
            .json(&json!({"query": "subscription { releasePublished { id } }"}))
            .send().await.expect("post");
        assert_eq!(resp.status(), 401);
        assert_eq!(code(&resp.json::<Value>().await.expect("json")), "UNAUTHENTICATED");
        // Not found, in the same shape.
        for (method, path) in [("GET", "/feeds/units/NO-SUCH-UNIT.atom"), ("POST", "/unsubscribe?token=no-such-token")] {
            let req = if method == "GET" { http.get(format!("{}{path}", app.base)) } else { http.post(format!("{}{path}", app.base)) };
            let resp = req.send().await.expect("send");
            assert_eq!(resp.status(), 404, "{path}");
            assert_eq!(code(&resp.json::<Value>().await.expect("json")), "NOT_FOUND", "{path}");
        }
    }
);

each!(backends;
    async fn a_failure_at_start_up_names_its_cause(app) {
        // The same database, opened read-only: bootstrapping the administrator must fail, and
        // say why (the database's own words), not "internal error".
        let url = match app.backend {
            Backend::Sqlite => app.db.url.replace("mode=rwc", "mode=ro"),
            Backend::Postgres => format!("{}?options=-c%20default_transaction_read_only%3Don", app.db.url),
        };
        let mut config = pressnet_server::Config::for_database(url);
        config.admin_email = Some("second-admin@stp.gov.vn".into());
        config.admin_password = Some("một mật khẩu đủ dài".into());
        config.audit_key_file = app.config.audit_key_file.clone();
        let err = match pressnet_server::Application::build(&config, pressnet_server::BuildOptions::default()).await {
            Ok(_) => panic!("a read-only database must not start"),
            Err(e) => format!("{e:#}"),
        };
        assert!(!err.ends_with("internal error"), "{err}");
        let lower = err.to_lowercase();
        assert!(lower.contains("readonly") || lower.contains("read-only"), "the cause is kept: {err}");
    }
);
