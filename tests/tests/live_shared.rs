//! The shared feed renderer: what graphql-transport-ws subscribers receive (each publication
//! rendered once per subscription shape and scope) is, for every subscriber, exactly what
//! async-graphql's own per-subscriber execution produces — the same document over the older
//! graphql-ws protocol, which this server still serves through async-graphql.
use futures::{SinkExt, StreamExt};
use pressnet_tests::ws::{Socket, WsClient};
use pressnet_tests::*;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

const WAIT: Duration = Duration::from_secs(10);

/// Subscriptions as clients send them: the smallest, the web application's (RSVP per account),
/// aliases with per-outlet delivery figures, fragments with a correction's original, and the
/// rendered body with `__typename` at two levels.
const SHAPES: [&str; 5] = [
    "subscription { releasePublished { cursor release { id } } }",
    "subscription($s:String){ releasePublished(since:$s){ cursor release { id title summary status kind publishedAt unit { name } pressConference { startsAt location myRsvp } } } }",
    "subscription { releasePublished { a: cursor b: cursor release { title deliveryStats { targeted failed } unit { code spokespersons { fullName phone } } } } }",
    "subscription Feed { releasePublished { ...F } } fragment F on FeedItem { cursor release { id version supersedes { id title } audience { allAccredited } pressConference { location attendees { fullName } attendeeCount myRsvp } } }",
    "subscription { releasePublished { cursor release { id bodyHtml topics __typename } __typename } }",
];

/// A graphql-ws (subscriptions-transport-ws) client: async-graphql executes its subscriptions.
async fn legacy(app: &TestApp, token: &str, query: &str) -> Socket {
    let mut s = pressnet_tests::ws::open_legacy(&app.ws_url(), token).await;
    assert_eq!(legacy_next(&mut s).await["type"], "connection_ack");
    let start = json!({"id": "1", "type": "start", "payload": {"query": query}});
    s.send(Message::Text(start.to_string().into()))
        .await
        .expect("send");
    s
}

async fn legacy_next(s: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(WAIT, s.next())
            .await
            .expect("a legacy message in time")
            .expect("open")
            .expect("ok");
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).expect("json");
            if v["type"] != "ka" {
                return v;
            }
        }
    }
}

/// One journalist's pair of subscriptions with one document.
struct Pair {
    who: String,
    shape: usize,
    modern: WsClient,
    legacy: Socket,
}

impl Pair {
    /// The next item on both, which must be equal.
    async fn next_equal(&mut self, event: &str) -> Value {
        let m = self.modern.next_data(WAIT).await;
        let l = legacy_next(&mut self.legacy).await;
        assert_eq!(l["type"], "data", "{event}: {l}");
        assert_eq!(
            m, l["payload"],
            "{event}: {} with shape {} differs from async-graphql's own execution",
            self.who, self.shape
        );
        m
    }
}

each!(backends;
    async fn shared_frames_equal_each_subscribers_own_execution(app) {
        let w = World::build(&app, 2).await;
        let admin = app.gql_as(&w.admin);
        // A second journalist of the first outlet: same outlet, their own RSVP.
        register_journalist(&admin, &w.outlets[0].0, "Phóng viên 0b", "pv0b@bao0.vn").await;
        let j0b = app.login("pv0b@bao0.vn", PASSWORD).await;
        let journalists = [("j0a", w.outlets[0].1.clone()), ("j0b", j0b), ("j1", w.outlets[1].1.clone())];
        let mut pairs = Vec::new();
        for (who, token) in &journalists {
            for (i, q) in SHAPES.iter().enumerate() {
                let mut modern = WsClient::connect(&app.ws_url(), token).await.expect("connect");
                modern.subscribe("feed", q, json!({})).await;
                let legacy = legacy(&app, token, q).await;
                pairs.push(Pair { who: who.to_string(), shape: i, modern, legacy });
            }
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sp = app.gql_as(&w.spokesperson);
        let frames_before = app.metric("pressnet_feed_frames_total").await;
        let renders_before = app.metric("pressnet_feed_renders_total").await;

        // 1. A press release to everyone: every subscriber, one rendering per shape.
        let plain = publish_now(&sp, &w.unit_id, "Thông cáo về giá điện", json!({"allAccredited": true})).await;
        let mut cursors = std::collections::HashMap::new();
        for p in &mut pairs {
            let item = p.next_equal("press release").await;
            if p.shape == 0 {
                assert_eq!(item["data"]["releasePublished"]["release"]["id"], plain.as_str());
                cursors.insert(p.who.clone(), item["data"]["releasePublished"]["cursor"].clone());
            }
        }
        // Each outlet its own cursor; two journalists of one outlet the same.
        assert_eq!(cursors["j0a"], cursors["j0b"]);
        assert_ne!(cursors["j0a"], cursors["j1"]);
        let frames = app.metric("pressnet_feed_frames_total").await - frames_before;
        let renders = app.metric("pressnet_feed_renders_total").await - renders_before;
        assert_eq!(frames, 15.0, "one frame per subscriber");
        // Once for everybody, except shape 2 (delivery figures): once per outlet. (The web
        // application's RSVP only matters for press conferences, a correction's original only
        // for corrections.)
        assert_eq!(renders, 1.0 + 1.0 + 2.0 + 1.0 + 1.0, "renderings shared");

        // 2. A press conference; j0a will attend.
        let starts = app.clock.now() + chrono::Duration::days(3);
        let input = json!({"unitId": w.unit_id, "kind": "PRESS_CONFERENCE", "title": "Họp báo quý IV",
            "summary": "S", "body": "B", "audience": {"allAccredited": true},
            "pressConference": {"startsAt": starts.to_rfc3339(), "location": "Hội trường A"}});
        let conf = sp.run(CREATE_RELEASE, json!({"i": input})).await.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        sp.run(PUBLISH, json!({"id": conf})).await.data();
        for p in &mut pairs {
            p.next_equal("press conference").await;
        }
        let rsvp = "mutation($id:UUID!){ rsvp(releaseId:$id, attending:true){ myRsvp } }";
        app.gql_as(&journalists[0].1).run(rsvp, json!({"id": conf})).await.data();

        // 3. Its retraction: the web application's subscription differs between the two
        // journalists of one outlet (their own RSVP).
        sp.run("mutation($id:UUID!){ retractRelease(id:$id, reason:\"Hoãn\"){ status } }", json!({"id": conf})).await.data();
        for p in &mut pairs {
            let item = p.next_equal("retraction").await;
            if p.shape == 1 {
                let mine = &item["data"]["releasePublished"]["release"]["pressConference"]["myRsvp"];
                assert_eq!(*mine, if p.who == "j0a" { json!(true) } else { Value::Null }, "{}", p.who);
            }
        }

        // 4. A correction addressed to the second outlet only, of a release that reached only
        // the first: only the first outlet may see what it corrects.
        let only0 = publish_now(&sp, &w.unit_id, "Số liệu ban đầu", json!({"outletIds": [w.outlets[0].0]})).await;
        for p in pairs.iter_mut().filter(|p| p.who != "j1") {
            p.next_equal("release to one outlet").await;
        }
        let fix = json!({"unitId": w.unit_id, "kind": "CORRECTION", "title": "Đính chính số liệu", "summary": "S",
            "body": "B", "audience": {"outletIds": [w.outlets[0].0, w.outlets[1].0]}, "supersedesId": only0});
        let fix = sp.run(CREATE_RELEASE, json!({"i": fix})).await.data()["createRelease"]["id"].as_str().expect("id").to_owned();
        sp.run(PUBLISH, json!({"id": fix})).await.data();
        for p in &mut pairs {
            let item = p.next_equal("correction").await;
            if p.shape == 3 {
                let orig = &item["data"]["releasePublished"]["release"]["supersedes"];
                if p.who == "j1" {
                    assert_eq!(*orig, Value::Null);
                } else {
                    assert_eq!(orig["id"], only0.as_str());
                }
            }
        }
    }
);

each!(backends;
    async fn the_older_protocol_marks_a_delivery_once_its_frame_is_written(app) {
        let w = World::build(&app, 1).await;
        let (outlet, token) = &w.outlets[0];
        let mut s = legacy(&app, token, "subscription { releasePublished { cursor release { id } } }").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let sp = app.gql_as(&w.spokesperson);
        let id = publish_now(&sp, &w.unit_id, "Thông cáo qua giao thức cũ", json!({"allAccredited": true})).await;
        let m = legacy_next(&mut s).await;
        assert_eq!(m["type"], "data", "{m}");
        assert_eq!(m["payload"]["data"]["releasePublished"]["release"]["id"], id.as_str());
        let q = "query($r:UUID,$o:UUID){ deliveries(releaseId:$r, outletId:$o, channel: LIVE){ edges { node { status } } } }";
        eventually("the written frame's delivery DELIVERED", || async {
            app.gql_as(&w.admin).run(q, json!({"r": id, "o": outlet})).await.data()["deliveries"]["edges"][0]["node"]["status"] == "DELIVERED"
        })
        .await;
    }
);

// DELIVERED means written (finding 12), shown where producing and writing are furthest apart:
// on the older protocol, frames async-graphql has produced queue (up to 32) before the writer.
// The client stops reading, with the smallest receive buffer, so the server's socket fills and
// its writer blocks. What the kernel can hold bounds how many frames were written; a delivery
// marked when its frame was produced would exceed that bound by the writer's queue.
each!(backends;
    async fn a_frame_the_socket_has_not_taken_is_not_delivered(app) {
        const RELEASES: usize = 60;
        const BODY: usize = 190_000;
        let w = World::build(&app, 1).await;
        let (outlet, token) = &w.outlets[0];
        let tcp = tokio::net::TcpSocket::new_v4().expect("socket");
        tcp.set_recv_buffer_size(4096).expect("SO_RCVBUF");
        let addr = app.ws_url().trim_start_matches("ws://").split('/').next().expect("host").to_owned();
        let stream = tcp.connect(addr.parse().expect("addr")).await.expect("connect");
        let mut req = app.ws_url().into_client_request().expect("ws request");
        req.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("graphql-ws"));
        let (mut s, _) = tokio_tungstenite::client_async(req, stream).await.expect("ws handshake");
        let init = json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {token}")}});
        s.send(Message::Text(init.to_string().into())).await.expect("send");
        let ack = tokio::time::timeout(WAIT, s.next()).await.expect("ack in time").expect("open").expect("ok");
        assert!(ack.to_text().unwrap_or_default().contains("connection_ack"), "{ack:?}");
        let start = json!({"id": "1", "type": "start", "payload": {"query": "subscription { releasePublished { cursor release { id bodyHtml } } }"}});
        s.send(Message::Text(start.to_string().into())).await.expect("send");
        tokio::time::sleep(Duration::from_millis(300)).await;

        // From here the client reads nothing.
        let sp = app.gql_as(&w.spokesperson);
        let body = "lorem ipsum ".repeat(BODY / 12);
        for i in 0..RELEASES {
            let r = sp
                .run(CREATE_RELEASE, json!({"i": {"unitId": w.unit_id, "kind": "PRESS_RELEASE", "title": format!("Thông cáo dài {i}"),
                    "summary": "Tóm tắt", "body": body, "topics": [], "audience": {"allAccredited": true}}}))
                .await;
            let id = r.data()["createRelease"]["id"].as_str().expect("id").to_owned();
            let r = sp.run(PUBLISH, json!({"id": id})).await;
            assert!(r.body["errors"].is_null(), "{}", r.body);
        }
        let delivered = || async {
            let q = "query($o:UUID){ deliveries(outletId:$o, channel: LIVE, status: DELIVERED){ totalCount } }";
            app.gql_as(&w.admin).run(q, json!({"o": outlet})).await.data()["deliveries"]["totalCount"].as_u64().expect("count") as usize
        };
        // Settled: marks are written in batches, and the writer is blocked.
        let mut settled = delivered().await;
        loop {
            tokio::time::sleep(Duration::from_millis(1500)).await;
            let now = delivered().await;
            if now == settled {
                break;
            }
            settled = now;
        }
        let wmem_max: usize = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_wmem")
            .expect("tcp_wmem")
            .split_whitespace()
            .nth(2)
            .and_then(|v| v.parse().ok())
            .expect("tcp_wmem max");
        // Everything written fits the server's send buffer and the client's receive buffer
        // (which Linux may double), plus the connection_ack and one frame partly written.
        let kernel_holds = (wmem_max + 2 * 4096) / BODY + 1;
        assert!(kernel_holds + 32 <= RELEASES, "the machine's buffers are too large for this test");
        assert!(settled <= kernel_holds, "{settled} DELIVERED, but the socket can hold only {kernel_holds} frames");

        // Once the client reads, every frame is written and every delivery DELIVERED.
        let mut seen = 0;
        while seen < RELEASES {
            let m = tokio::time::timeout(WAIT, s.next()).await.expect("a frame in time").expect("open").expect("ok");
            if m.to_text().unwrap_or_default().contains("releasePublished") {
                seen += 1;
            }
        }
        eventually("every read frame's delivery DELIVERED", || async { delivered().await == RELEASES }).await;
    }
);
