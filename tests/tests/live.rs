//! Live push over graphql-transport-ws: catch-up, resume, no gap or duplicate, acknowledgement,
//! the delivery log live, slow clients, and protocol errors.
use futures::SinkExt;
use pressnet_tests::ws::{open, WsClient};
use pressnet_tests::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const FEED: &str =
    "subscription($s:String){ releasePublished(since:$s){ cursor release { id title status } } }";
const WAIT: Duration = Duration::from_secs(10);

async fn feed(app: &TestApp, token: &str, since: Option<&str>) -> WsClient {
    let mut c = WsClient::connect(&app.ws_url(), token)
        .await
        .expect("connect");
    c.subscribe("feed", FEED, json!({"s": since})).await;
    c
}

async fn next_item(c: &mut WsClient) -> Value {
    c.next_data(WAIT).await["data"]["releasePublished"].clone()
}

/// The code of the first error in an `error` message or in a `next` message's payload.
fn error_code(m: &Value) -> String {
    let errors = if m["type"] == "error" {
        &m["payload"]
    } else {
        &m["payload"]["errors"]
    };
    errors[0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn assert_quiet(c: &mut WsClient, for_ms: u64) {
    if let Some(v) = c.next(Duration::from_millis(for_ms)).await {
        panic!("expected nothing, got {v}");
    }
}

each!(backends;
    async fn pending_items_first_then_live_and_marked_delivered(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let a = publish_now(&sp, &w.unit_id, "Thông cáo số 1", json!({"allAccredited": true})).await;
        let b = publish_now(&sp, &w.unit_id, "Thông cáo số 2", json!({"allAccredited": true})).await;
        let mut c = feed(&app, &w.outlets[0].1, None).await;
        let i1 = next_item(&mut c).await;
        let i2 = next_item(&mut c).await;
        assert_eq!((i1["release"]["id"].as_str(), i2["release"]["id"].as_str()), (Some(a.as_str()), Some(b.as_str())));
        let live = publish_now(&sp, &w.unit_id, "Thông cáo số 3", json!({"allAccredited": true})).await;
        let i3 = next_item(&mut c).await;
        assert_eq!(i3["release"]["id"], live.as_str());
        assert_eq!(i3["release"]["title"], "Thông cáo số 3");
        let cursors: Vec<&str> = [&i1, &i2, &i3].iter().map(|i| i["cursor"].as_str().unwrap_or_default()).collect();
        assert!(cursors[0] < cursors[1] && cursors[1] < cursors[2], "{cursors:?}");
        eventually("all three LIVE deliveries DELIVERED", || {
            let g = app.gql_as(&w.admin);
            async move {
                let r = g.run("{ deliveries(channel: LIVE, status: DELIVERED) { totalCount edges { node { deliveredAt attempts } } } }", json!({})).await;
                r.data()["deliveries"]["totalCount"] == 3
            }
        })
        .await;
        // A second connection without `since` gets nothing old: nothing is pending any more.
        let mut c2 = feed(&app, &w.outlets[0].1, None).await;
        assert_quiet(&mut c2, 500).await;
    }
);

each!(backends;
    async fn reconnect_with_since_returns_exactly_the_missed_items_in_order(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        publish_now(&sp, &w.unit_id, "Trước khi kết nối", json!({"allAccredited": true})).await;
        let mut c = feed(&app, &w.outlets[0].1, None).await;
        let first = next_item(&mut c).await;
        let since = first["cursor"].as_str().expect("cursor").to_owned();
        drop(c);
        let mut missed = Vec::new();
        for i in 0..4 {
            missed.push(publish_now(&sp, &w.unit_id, &format!("Khi mất kết nối {i}"), json!({"allAccredited": true})).await);
        }
        let mut c = feed(&app, &w.outlets[0].1, Some(&since)).await;
        let mut got = Vec::new();
        let mut last = since.clone();
        for _ in 0..4 {
            let item = next_item(&mut c).await;
            let cur = item["cursor"].as_str().unwrap_or_default().to_owned();
            assert!(cur > last, "cursor {cur} after {last}");
            last = cur;
            got.push(item["release"]["id"].as_str().unwrap_or_default().to_owned());
        }
        assert_eq!(got, missed);
        assert_quiet(&mut c, 500).await;
        // A malformed cursor is refused with a clear error.
        let mut bad = WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        bad.subscribe("x", FEED, json!({"s": "not-a-cursor"})).await;
        let m = bad.next(WAIT).await.expect("error message");
        assert_eq!(error_code(&m), "BAD_USER_INPUT", "{m}");
    }
);

each!(backends;
    async fn a_release_published_during_catch_up_is_neither_lost_nor_doubled(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        // More than one catch-up page (200) already waiting.
        let mut expected = Vec::new();
        for i in 0..230 {
            expected.push(publish_now(&sp, &w.unit_id, &format!("Tin {i}"), json!({"allAccredited": true})).await);
        }
        let mut c = feed(&app, &w.outlets[0].1, None).await;
        // Publish more while the client is catching up.
        let sp2 = app.gql_as(&w.spokesperson);
        let unit = w.unit_id.clone();
        let during = tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..20 {
                ids.push(publish_now(&sp2, &unit, &format!("Trong lúc đồng bộ {i}"), json!({"allAccredited": true})).await);
            }
            ids
        });
        let mut got = Vec::new();
        let mut cursors = Vec::new();
        for _ in 0..250 {
            let item = next_item(&mut c).await;
            cursors.push(item["cursor"].as_str().unwrap_or_default().to_owned());
            got.push(item["release"]["id"].as_str().unwrap_or_default().to_owned());
        }
        expected.extend(during.await.expect("publisher"));
        assert_eq!(got.len(), 250);
        assert_eq!(got.iter().collect::<HashSet<_>>().len(), 250, "no duplicate");
        assert!(cursors.windows(2).all(|p| p[0] < p[1]), "strictly increasing cursors");
        assert_eq!(got, expected, "same items, same order");
        assert_quiet(&mut c, 500).await;
    }
);

each!(backends;
    async fn acknowledgement_and_delivery_updated(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = draft(&sp, &w.unit_id, "Thông báo khẩn", json!({"allAccredited": true})).await;
        let mut watch = WsClient::connect(&app.ws_url(), &w.spokesperson).await.expect("connect");
        watch
            .subscribe("d", "subscription($r:UUID!){ deliveryUpdated(releaseId:$r){ outlet { id } channel status acknowledgedBy { fullName } } }", json!({"r": id}))
            .await;
        // Others may not watch this release.
        let mut other = WsClient::connect(&app.ws_url(), &w.other_spokesperson).await.expect("connect");
        other.subscribe("d", "subscription($r:UUID!){ deliveryUpdated(releaseId:$r){ id } }", json!({"r": id})).await;
        let m = other.next(WAIT).await.expect("error");
        assert_eq!(error_code(&m), "FORBIDDEN", "{m}");
        tokio::time::sleep(Duration::from_millis(200)).await;
        sp.run(PUBLISH, json!({"id": id})).await.data();
        let (o0, j0) = &w.outlets[0];
        let mut c = feed(&app, j0, None).await;
        assert_eq!(next_item(&mut c).await["release"]["id"], id.as_str());
        let d = watch.next_data(WAIT).await["data"]["deliveryUpdated"].clone();
        assert_eq!((d["outlet"]["id"].as_str(), d["status"].as_str()), (Some(o0.as_str()), Some("DELIVERED")));
        let r = app.gql_as(j0).run("mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status acknowledgedAt acknowledgedBy { fullName } } }", json!({"id": id})).await;
        assert_eq!(r.data()["acknowledgeRelease"]["status"], "ACKNOWLEDGED");
        assert_eq!(r.data()["acknowledgeRelease"]["acknowledgedBy"]["fullName"], "Phóng viên 0");
        let d = watch.next_data(WAIT).await["data"]["deliveryUpdated"].clone();
        assert_eq!(d["status"], "ACKNOWLEDGED");
        assert_eq!(d["acknowledgedBy"]["fullName"], "Phóng viên 0");
        let s = sp.run("query($id:UUID!){ release(id:$id){ deliveryStats { targeted pending delivered acknowledged failed spreadMs } } }", json!({"id": id})).await;
        assert_eq!(s.data()["release"]["deliveryStats"]["acknowledged"], 1);
        assert_eq!(s.data()["release"]["deliveryStats"]["pending"], 1);
    }
);

each!(backends;
    async fn only_addressed_outlets_are_pushed_and_retractions_follow(app) {
        let w = World::build(&app, 2).await;
        let sp = app.gql_as(&w.spokesperson);
        let (o0, j0) = &w.outlets[0];
        let mut c0 = feed(&app, j0, None).await;
        let mut c1 = feed(&app, &w.outlets[1].1, None).await;
        // Nothing before publishAt either.
        let sched = draft(&sp, &w.unit_id, "Cấm vận tin", json!({"allAccredited": true})).await;
        let at = (app.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
        sp.run(PUBLISH, json!({"id": sched, "at": at})).await.data();
        let id = publish_now(&sp, &w.unit_id, "Chỉ cho báo 0", json!({"outletIds": [o0]})).await;
        assert_eq!(next_item(&mut c0).await["release"]["id"], id.as_str());
        assert_quiet(&mut c1, 700).await;
        sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Sai sót\"){ id } }", json!({"id": id})).await.data();
        let item = next_item(&mut c0).await;
        assert_eq!((item["release"]["id"].as_str(), item["release"]["status"].as_str()), (Some(id.as_str()), Some("RETRACTED")));
        assert_quiet(&mut c1, 300).await;
        assert_quiet(&mut c0, 300).await;
    }
);

each!(backends;
    async fn a_stalled_client_does_not_hold_up_others_and_loses_nothing(app) {
        let w = World::build(&app, 1).await;
        let sp = app.gql_as(&w.spokesperson);
        let token = &w.outlets[0].1;
        // The stalled client asks for large items and then stops reading.
        let mut stalled = WsClient::connect(&app.ws_url(), token).await.expect("connect");
        stalled
            .subscribe("s", "subscription{ releasePublished { cursor release { id body bodyHtml } } }", json!({}))
            .await;
        let mut brisk = feed(&app, token, None).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let big = "Nội dung dài. ".repeat(600);
        let n = 600;
        let mut ids = Vec::new();
        for i in 0..n {
            let r = sp
                .run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_RELEASE", "title": format!("Tin {i}"),
                      "summary": "S", "body": big, "audience": {"allAccredited": true}}}))
                .await;
            let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
            sp.run(PUBLISH, json!({"id": id})).await.data();
            // The brisk client keeps up: each item arrives promptly.
            let item = tokio::time::timeout(Duration::from_secs(5), next_item(&mut brisk)).await.expect("brisk client not held up");
            assert_eq!(item["release"]["id"], id.as_str());
            ids.push(id);
        }
        // The stalled client now reads: everything arrives, in order, once.
        let mut got = Vec::new();
        for _ in 0..n {
            let v = stalled.next_data(Duration::from_secs(20)).await;
            got.push(v["data"]["releasePublished"]["release"]["id"].as_str().unwrap_or_default().to_owned());
        }
        assert_eq!(got, ids);
        assert_quiet(&mut stalled, 500).await;
    }
);

each!(backends;
    async fn protocol_errors_close_the_socket_and_the_server_stays_up(app) {
        let w = World::build(&app, 1).await;
        // A bad token in connection_init is refused.
        let e = WsClient::connect(&app.ws_url(), "forged-token").await.err().expect("refused");
        assert!(e.contains("4403"), "{e}");
        // Malformed JSON and unknown message types: protocol error 4400.
        for bad in ["{not json", "{\"type\":\"no_such_type\"}"] {
            let mut c = WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
            c.socket.send(Message::Text(bad.into())).await.expect("send");
            let m = c.next(WAIT).await.unwrap_or_else(|| panic!("no close frame after {bad}"));
            assert_eq!((m["type"].as_str(), m["code"].as_u64()), (Some("close"), Some(4400)), "{bad}: {m}");
        }
        // Subscribing before connection_init: 4401.
        let mut s = open(&app.ws_url()).await;
        let sub = json!({"id": "1", "type": "subscribe", "payload": {"query": FEED}});
        s.send(Message::Text(sub.to_string().into())).await.expect("send");
        let mut c = WsClient { socket: s };
        let m = c.next(WAIT).await.expect("close");
        assert_eq!(m["code"], 4401, "{m}");
        // A message over 64 KiB is refused.
        let mut c = WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        let huge = json!({"id": "1", "type": "subscribe", "payload": {"query": "x".repeat(100_000)}});
        let _ = c.socket.send(Message::Text(huge.to_string().into())).await;
        let m = c.next(WAIT).await;
        assert!(m.as_ref().is_none_or(|m| m["type"] == "close"), "{m:?}");
        // A journalist-only subscription from a spokesperson: FORBIDDEN.
        let mut c = WsClient::connect(&app.ws_url(), &w.spokesperson).await.expect("connect");
        c.subscribe("f", FEED, json!({})).await;
        let m = c.next(WAIT).await.expect("error");
        assert_eq!(error_code(&m), "FORBIDDEN", "{m}");
        // A client that never sends connection_init is closed with 4408.
        let mut silent = WsClient { socket: open(&app.ws_url()).await };
        let m = silent.next(Duration::from_secs(15)).await.expect("closed");
        assert_eq!(m["code"], 4408, "{m}");
        // Still serving.
        let health = reqwest::get(format!("{}/healthz", app.base)).await.expect("health");
        assert_eq!(health.status().as_u16(), 200);
        let mut c = feed(&app, &w.outlets[0].1, None).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Vẫn hoạt động", json!({"allAccredited": true})).await;
        assert_eq!(next_item(&mut c).await["release"]["id"], id.as_str());
    }
);

each!(backends;
    async fn ping_complete_and_a_reused_subscription_id(app) {
        let w = World::build(&app, 1).await;
        let mut c = feed(&app, &w.outlets[0].1, None).await;
        c.send(json!({"type": "ping"})).await;
        assert_eq!(c.next(WAIT).await.expect("pong")["type"], "pong");
        // The client stops its subscription: confirmed, and nothing more comes for it.
        c.send(json!({"id": "feed", "type": "complete"})).await;
        let m = c.next(WAIT).await.expect("complete");
        assert_eq!((m["type"].as_str(), m["id"].as_str()), (Some("complete"), Some("feed")), "{m}");
        let sp = app.gql_as(&w.spokesperson);
        publish_now(&sp, &w.unit_id, "Sau khi dừng", json!({"allAccredited": true})).await;
        assert_quiet(&mut c, 500).await;
        // The id is free again; the release is still pending for the outlet, so it comes first.
        c.subscribe("feed", FEED, json!({})).await;
        assert_eq!(next_item(&mut c).await["release"]["title"], "Sau khi dừng");
        // Reusing an id that is in use closes the connection (4409), as the protocol says.
        c.subscribe("feed", FEED, json!({})).await;
        let m = c.next(WAIT).await.expect("close");
        assert_eq!((m["type"].as_str(), m["code"].as_u64()), (Some("close"), Some(4409)), "{m}");
        // A second connection_init: 4429.
        let mut d = WsClient::connect(&app.ws_url(), &w.outlets[0].1).await.expect("connect");
        d.send(json!({"type": "connection_init", "payload": {}})).await;
        let m = d.next(WAIT).await.expect("close");
        assert_eq!((m["type"].as_str(), m["code"].as_u64()), (Some("close"), Some(4429)), "{m}");
    }
);
