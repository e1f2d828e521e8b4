//! The registry round trip, the public roster, accreditation, and restarts.
use pressnet_tests::*;
use serde_json::json;

each!(backends;
    async fn registry_round_trip(app) {
        let w = World::build(&app, 2).await;
        let a = app.gql_as(&w.admin);
        let r = a
            .run(
                "{ units { code name level parent { code } spokespersons { fullName isPrimary appointmentRef unit { code } } } }",
                json!({}),
            )
            .await;
        let units = r.data()["units"].as_array().expect("units").clone();
        assert_eq!(units.len(), 2);
        let yte = units.iter().find(|u| u["code"] == "SO-YTE").expect("SO-YTE");
        assert_eq!(yte["name"], "Sở Y tế");
        assert_eq!(yte["spokespersons"][0]["fullName"], "Lê Minh Đức");
        assert_eq!(yte["spokespersons"][0]["appointmentRef"], "15/QĐ-UBND");
        assert_eq!(yte["spokespersons"][0]["unit"]["code"], "SO-YTE");

        // A child unit points at its parent.
        let child = a
            .run(
                "mutation($p:UUID!){ createUnit(input:{code:\"XA-1\",name:\"UBND xã Đông Sơn\",level:COMMUNE,parentId:$p}){ parent { code } } }",
                json!({"p": w.unit_id}),
            )
            .await;
        assert_eq!(child.data()["createUnit"]["parent"]["code"], "SO-YTE");

        let r = a.run("{ outlets { id name accreditation journalists { fullName outlet { id } } } }", json!({})).await;
        let outlets = r.data()["outlets"].as_array().expect("outlets").clone();
        assert_eq!(outlets.len(), 2);
        for o in &outlets {
            assert_eq!(o["accreditation"], "ACCREDITED");
            assert_eq!(o["journalists"][0]["outlet"]["id"], o["id"]);
        }

        // The signed-in journalist sees their account, outlet and colleagues.
        let (outlet_id, jtoken) = &w.outlets[0];
        let me = app.gql_as(jtoken).run("{ me { role outlet { id journalists { fullName } } unit { id } } }", json!({})).await;
        assert_eq!(me.data()["me"]["role"], "JOURNALIST");
        assert_eq!(me.data()["me"]["outlet"]["id"], *outlet_id);
        assert!(me.data()["me"]["unit"].is_null());
        let me = app.gql_as(&w.spokesperson).run("{ me { role unit { code } } }", json!({})).await;
        assert_eq!(me.data()["me"]["unit"]["code"], "SO-YTE");
        let me = app.gql().run("{ me { id } }", json!({})).await;
        assert!(me.data()["me"].is_null());
    }
);

each!(backends;
    async fn roster_is_public_and_drops_ended_terms(app) {
        let w = World::build(&app, 0).await;
        let anon = app.gql();
        let q = "{ spokespersonRoster { id fullName position phone email unit { name } } }";
        let r = anon.run(q, json!({})).await;
        let roster = r.data()["spokespersonRoster"].as_array().expect("roster").clone();
        assert_eq!(roster.len(), 2);
        let duc = roster.iter().find(|s| s["fullName"] == "Lê Minh Đức").expect("duc");
        assert_eq!(duc["phone"], "0204 3854 123");
        assert_eq!(duc["email"], "duc@syt.vn");
        assert_eq!(duc["unit"]["name"], "Sở Y tế");

        let a = app.gql_as(&w.admin);
        let r = a
            .run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ activeUntil } }", json!({"id": w.spokesperson_id}))
            .await;
        assert!(r.data()["endSpokespersonTerm"]["activeUntil"].is_string());
        let r = anon.run(q, json!({})).await;
        let names: Vec<_> = r.data()["spokespersonRoster"].as_array().expect("roster").iter().map(|s| s["fullName"].clone()).collect();
        assert_eq!(names, vec![json!("Phạm Quốc Anh")]);
        // The unit's nested list drops them too.
        let r = anon.run("{ units { code spokespersons { fullName } } }", json!({})).await;
        let yte = r.data()["units"].as_array().expect("units").iter().find(|u| u["code"] == "SO-YTE").cloned().expect("unit");
        assert_eq!(yte["spokespersons"], json!([]));
        // Ending twice is a conflict.
        let r = a
            .run("mutation($id:UUID!){ endSpokespersonTerm(id:$id){ id } }", json!({"id": w.spokesperson_id}))
            .await;
        assert_eq!(r.code(), "CONFLICT");
    }
);

each!(backends;
    async fn accreditation_expiry_and_filters(app) {
        let admin = app.admin().await;
        let a = app.gql_as(&admin);
        let o1 = register_outlet(&a, "Báo Hà Sơn", "PRINT", "LOCAL", "GP-1").await;
        let o2 = register_outlet(&a, "Đài PT-TH", "TELEVISION", "LOCAL", "GP-2").await;
        let _o3 = register_outlet(&a, "Tạp chí", "MAGAZINE", "LOCAL", "GP-3").await;
        let soon = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
        let r = a
            .run(
                "mutation($o:UUID!,$u:DateTime){ setAccreditation(outletId:$o,status:ACCREDITED,until:$u){ accreditation accreditedUntil } }",
                json!({"o": o1, "u": soon}),
            )
            .await;
        assert_eq!(r.data()["setAccreditation"]["accreditation"], "ACCREDITED");
        let r = a
            .run("mutation($o:UUID!){ setAccreditation(outletId:$o,status:SUSPENDED){ accreditation } }", json!({"o": o2}))
            .await;
        assert_eq!(r.data()["setAccreditation"]["accreditation"], "SUSPENDED");

        let names = |r: &pressnet_tests::gql::Reply| -> Vec<String> {
            r.data()["outlets"].as_array().expect("list").iter().map(|o| o["name"].as_str().unwrap_or_default().to_owned()).collect()
        };
        let r = a.run("{ outlets(accreditation: ACCREDITED) { name } }", json!({})).await;
        assert_eq!(names(&r), vec!["Báo Hà Sơn"]);
        let r = a.run("{ outlets(accreditation: SUSPENDED) { name } }", json!({})).await;
        assert_eq!(names(&r), vec!["Đài PT-TH"]);

        // Two hours later the accreditation has lapsed: it no longer counts.
        app.clock.advance(chrono::Duration::hours(2));
        let r = a.run("{ outlets(accreditation: ACCREDITED) { name } }", json!({})).await;
        assert!(names(&r).is_empty());
        let r = a.run("{ outlets(accreditation: PENDING) { name accreditation isAccredited } }", json!({})).await;
        assert_eq!(names(&r), vec!["Báo Hà Sơn", "Tạp chí"]);
        assert_eq!(r.data()["outlets"][0]["isAccredited"], false);

        // Accrediting "until" a past time is refused.
        let past = (app.clock.now() - chrono::Duration::hours(1)).to_rfc3339();
        let r = a
            .run(
                "mutation($o:UUID!,$u:DateTime){ setAccreditation(outletId:$o,status:ACCREDITED,until:$u){ id } }",
                json!({"o": o1, "u": past}),
            )
            .await;
        assert_eq!(r.code(), "BAD_USER_INPUT");
    }
);

each!(backends;
    async fn data_survives_a_restart(app) {
        let w = World::build(&app, 1).await;
        let app = app.restart().await;
        // The old token still works: sessions are in the database.
        let r = app.gql_as(&w.admin).run("{ units { code } outlets { name } }", json!({})).await;
        assert_eq!(r.data()["units"].as_array().map(Vec::len), Some(2));
        assert_eq!(r.data()["outlets"].as_array().map(Vec::len), Some(1));
        let token = app.login("duc@syt.vn", PASSWORD).await;
        let me = app.gql_as(&token).run("{ me { unit { code } } }", json!({})).await;
        assert_eq!(me.data()["me"]["unit"]["code"], "SO-YTE");
    }
);

each!(backends;
    async fn demo_loads_twice_without_duplicates(app) {
        pressnet_domain::demo::load(&app.ctx).await.map_err(|e| e.public_message()).expect("demo");
        let count = |app: &TestApp| {
            let g = app.gql();
            async move {
                let r = g.run("{ units { id } spokespersonRoster { id } }", json!({})).await;
                (
                    r.data()["units"].as_array().map(Vec::len).unwrap_or_default(),
                    r.data()["spokespersonRoster"].as_array().map(Vec::len).unwrap_or_default(),
                )
            }
        };
        let first = count(&app).await;
        assert!(first.0 >= 10, "at least 10 units, got {}", first.0);
        pressnet_domain::demo::load(&app.ctx).await.map_err(|e| e.public_message()).expect("demo again");
        assert_eq!(count(&app).await, first);
        let admin = app.login(pressnet_domain::demo::DEMO_ADMIN, pressnet_domain::demo::DEMO_PASSWORD).await;
        let r = app.gql_as(&admin).run("{ outlets(accreditation: ACCREDITED) { journalists { id } } }", json!({})).await;
        let outlets = r.data()["outlets"].as_array().expect("outlets").clone();
        assert!(outlets.len() >= 5);
        assert!(outlets.iter().all(|o| !o["journalists"].as_array().map(Vec::is_empty).unwrap_or(true)));
        // Activity: public releases, an upcoming press conference, answered and overdue questions.
        let r = app.gql().run("{ releases { totalCount } c: releases(kind: PRESS_CONFERENCE) { edges { node { pressConference { startsAt } } } } }", json!({})).await;
        assert!(r.data()["releases"]["totalCount"].as_i64().unwrap_or(0) >= 4);
        assert_eq!(r.data()["c"]["edges"].as_array().map(Vec::len), Some(1));
        let q = app.gql_as(&admin).run("{ inquiries { status overdue } }", json!({})).await;
        let qs = q.data()["inquiries"].as_array().cloned().unwrap_or_default();
        assert!(qs.iter().any(|i| i["status"] == "ANSWERED") && qs.iter().any(|i| i["overdue"] == true));
    }
);
