//! The short-lived cache of query responses: repeated reads are served from it, and no
//! reader sees data older than the last change this instance knows of.
use pressnet_tests::*;
use serde_json::{json, Value};

const LIST: &str = "{ releases(first: 20) { totalCount edges { node { id title deliveryStats { targeted acknowledged } } } } }";

fn titles(v: &Value) -> Vec<String> {
    v["releases"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

each!(backends;
    async fn repeated_reads_come_from_the_cache_and_changes_show_at_once(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let admin = app.gql_as(&w.admin);
        let a = publish_now(&sp, &w.unit_id, "Thông cáo A", json!({"allAccredited": true})).await;
        let first = admin.run(LIST, json!({})).await.data().clone();
        let hits = app.metric("pressnet_read_cache_hits_total").await;
        for _ in 0..3 {
            assert_eq!(admin.run(LIST, json!({})).await.data(), &first);
        }
        assert!(app.metric("pressnet_read_cache_hits_total").await >= hits + 3.0);

        // A mutation by someone else: the next read has it.
        app.gql_as(&w.outlets[0].1)
            .run("mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }", json!({"id": a}))
            .await
            .data();
        let r = admin.run(LIST, json!({})).await;
        assert_eq!(r.data()["releases"]["edges"][0]["node"]["deliveryStats"]["acknowledged"], 1);

        // A publication by the scheduler (no request involved): the next read has it.
        let b = draft(&sp, &w.unit_id, "Thông cáo B", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::milliseconds(300)).to_rfc3339();
        sp.run("mutation($id:UUID!,$at:DateTime){ publishRelease(id:$id, publishAt:$at){ status } }", json!({"id": b, "at": at}))
            .await
            .data();
        eventually("the scheduler published B", || async {
            app.gql_as(&w.admin).run("query($id:UUID!){ release(id:$id){ status } }", json!({"id": b})).await.data()["release"]["status"] == "PUBLISHED"
        })
        .await;
        let r = admin.run(LIST, json!({})).await;
        assert_eq!(titles(r.data()), vec!["Thông cáo B", "Thông cáo A"]);
    }
);

each!(backends;
    async fn viewers_never_share_entries(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let (o0, j0) = &w.outlets[0];
        let j1 = &w.outlets[1].1;
        publish_now(&sp, &w.unit_id, "Chỉ cho báo 0", json!({"outletIds": [o0]})).await;
        // The same request text from three viewers: each sees their own answer.
        let mine = app.gql_as(j0).run(LIST, json!({})).await;
        assert_eq!(titles(mine.data()), vec!["Chỉ cho báo 0"]);
        let theirs = app.gql_as(j1).run(LIST, json!({})).await;
        assert_eq!(titles(theirs.data()), Vec::<String>::new());
        let anonymous = app.gql().run(LIST, json!({})).await;
        assert_eq!(titles(anonymous.data()), Vec::<String>::new());
        // A signed-out token never reads the cache.
        app.gql_as(j0).run("mutation { logout }", json!({})).await.data();
        let after = app.gql_as(j0).run(LIST, json!({})).await;
        assert_eq!(after.code(), "UNAUTHENTICATED");
    }
);

each!(backends;
    async fn a_change_no_event_describes_shows_within_a_second(app) {
        use pressnet_domain::entities::release;
        use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let admin = app.gql_as(&w.admin);
        let id = publish_now(&sp, &w.unit_id, "Tên cũ", json!({"allAccredited": true})).await;
        assert_eq!(titles(admin.run(LIST, json!({})).await.data()), vec!["Tên cũ"]);
        // Written behind the application's back (as another instance's registry edit would
        // look to this one): the entry expires within its one-second lifetime.
        let id: uuid::Uuid = id.parse().expect("uuid");
        release::Entity::update_many()
            .col_expr(release::Column::Title, Expr::value("Tên mới"))
            .filter(release::Column::Id.eq(id))
            .exec(&app.ctx.db)
            .await
            .expect("update");
        eventually("the new title shows", || async {
            titles(app.gql_as(&w.admin).run(LIST, json!({})).await.data()) == vec!["Tên mới"]
        })
        .await;
    }
);

each!(backends;
    async fn a_session_ended_elsewhere_stops_working_within_a_second(app) {
        use pressnet_domain::entities::auth_token;
        use sea_orm::EntityTrait;
        let w = World::build(&app, 1).await;
        let j = app.gql_as(&w.outlets[0].1);
        j.run(LIST, json!({})).await.data();
        // As another instance's sign-out would look to this one: the row is gone, no event.
        auth_token::Entity::delete_many().exec(&app.ctx.db).await.expect("delete");
        eventually("the deleted session is refused", || async {
            app.gql_as(&w.outlets[0].1).run(LIST, json!({})).await.body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        })
        .await;
    }
);

each!(backends;
    async fn a_mutation_sent_over_the_websocket_shows_in_the_next_read(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let before = sp.run(LIST, json!({})).await.data().clone();
        assert_eq!(sp.run(LIST, json!({})).await.data(), &before, "cached");
        // A draft announces nothing through the hub: only the mutation itself can tell the cache.
        let mut ws = pressnet_tests::ws::WsClient::connect(&app.ws_url(), &w.spokesperson)
            .await
            .expect("connect");
        let input = json!({"unitId": w.unit_id, "kind": "STATEMENT", "title": "Tuyên bố qua websocket",
            "summary": "S", "body": "B", "audience": {"allAccredited": true}});
        ws.subscribe("m", CREATE_RELEASE, json!({"i": input})).await;
        let done = ws.next_data(std::time::Duration::from_secs(10)).await;
        assert_eq!(done["data"]["createRelease"]["status"], "DRAFT", "{done}");
        let after = sp.run(LIST, json!({})).await;
        assert!(titles(after.data()).contains(&"Tuyên bố qua websocket".to_owned()), "{}", after.body);
    }
);
