//! Every role's allowed and forbidden registry operations, table-driven.
use pressnet_tests::*;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Admin,
    Auditor,
    Spokesperson,
    Journalist,
}

/// (operation, variables builder, who may: ALLOWED, else the expected code)
fn cases(w: &World) -> Vec<(&'static str, String, Value)> {
    let n = uuid::Uuid::new_v4().simple().to_string();
    vec![
        (
            "createUnit",
            "mutation($i:CreateUnitInput!){ createUnit(input:$i){ id } }".into(),
            json!({"i": {"code": format!("U{}", &n[..8]), "name": "Sở Nội vụ", "level": "DEPARTMENT"}}),
        ),
        (
            "registerSpokesperson",
            "mutation($i:RegisterSpokespersonInput!){ registerSpokesperson(input:$i){ id } }"
                .into(),
            json!({"i": {"unitId": w.other_unit_id, "fullName": "Vũ Thị Ánh", "position": "Chánh Văn phòng",
                "phone": "0204 3854 000", "email": format!("{}@stc.vn", &n[..8])}}),
        ),
        (
            "registerOutlet",
            "mutation($i:RegisterOutletInput!){ registerOutlet(input:$i){ id } }".into(),
            json!({"i": {"name": "Báo mới", "kind": "ONLINE", "scope": "LOCAL", "licenceNumber": format!("GP-{}", &n[..8]), "email": "a@b.vn"}}),
        ),
        (
            "setAccreditation",
            "mutation($o:UUID!){ setAccreditation(outletId:$o,status:ACCREDITED){ id } }".into(),
            json!({"o": w.outlets[0].0}),
        ),
        (
            "registerJournalist",
            "mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }".into(),
            json!({"i": {"outletId": w.outlets[0].0, "fullName": "Phóng viên mới", "email": format!("{}@bao.vn", &n[..8])}}),
        ),
        ("outlets", "{ outlets { id } }".into(), json!({})),
        ("units", "{ units { id } }".into(), json!({})),
        (
            "spokespersonRoster",
            "{ spokespersonRoster { id } }".into(),
            json!({}),
        ),
    ]
}

fn expected(op: &str, who: Who) -> Option<&'static str> {
    use Who::*;
    let admin_only = [
        "createUnit",
        "registerSpokesperson",
        "registerOutlet",
        "setAccreditation",
        "registerJournalist",
    ];
    match (op, who) {
        ("units" | "spokespersonRoster", _) => None,
        ("outlets", Anonymous) => Some("UNAUTHENTICATED"),
        ("outlets", _) => None,
        (op, Admin) if admin_only.contains(&op) => None,
        (op, Anonymous) if admin_only.contains(&op) => Some("UNAUTHENTICATED"),
        (op, _) if admin_only.contains(&op) => Some("FORBIDDEN"),
        _ => Some("UNEXPECTED"),
    }
}

each!(backends;
    async fn every_role_allowed_and_forbidden(app) {
        let w = World::build(&app, 1).await;
        let who_all = [Who::Anonymous, Who::Admin, Who::Auditor, Who::Spokesperson, Who::Journalist];
        for who in who_all {
            let client = match who {
                Who::Anonymous => app.gql(),
                Who::Admin => app.gql_as(&w.admin),
                Who::Auditor => app.gql_as(&w.auditor),
                Who::Spokesperson => app.gql_as(&w.spokesperson),
                Who::Journalist => app.gql_as(&w.outlets[0].1),
            };
            for (op, query, vars) in cases(&w) {
                let r = client.run(&query, vars).await;
                match expected(op, who) {
                    None => {
                        assert!(r.body["errors"].is_null(), "{op} as {who:?} should be allowed: {}", r.body);
                    }
                    Some(code) => {
                        assert_eq!(r.code(), code, "{op} as {who:?}: {}", r.body);
                        assert!(r.body["data"].is_null() || r.body["data"][op].is_null(), "{op} as {who:?} leaked data");
                    }
                }
            }
        }
    }
);

each!(backends;
    async fn journalists_see_only_their_own_colleagues(app) {
        let w = World::build(&app, 2).await;
        let (o0, j0) = &w.outlets[0];
        let r = app.gql_as(j0).run("{ outlets { id journalists { fullName } } }", json!({})).await;
        for o in r.data()["outlets"].as_array().expect("outlets") {
            let n = o["journalists"].as_array().map(Vec::len).unwrap_or_default();
            if o["id"] == *o0 { assert_eq!(n, 1) } else { assert_eq!(n, 0) }
        }
    }
);
