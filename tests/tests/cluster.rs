//! Several `pressnet serve` processes on one PostgreSQL database behave as one: live delivery
//! across instances, one e-mail per delivery, one publication per schedule, and nothing lost
//! when an instance is killed mid-publication.
//!
//! PostgreSQL only (SQLite is one process's file). The world is built through an in-process
//! server that is then stopped; the instances are real child processes of the server binary.
use pressnet_domain::entities::{audit_event, delivery, feed_item, outbox, release};
use pressnet_domain::enums::{Channel, DeliveryStatus, ReleaseStatus};
use pressnet_tests::cluster::Instance;
use pressnet_tests::smtp::TestSmtp;
use pressnet_tests::ws::WsClient;
use pressnet_tests::*;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_pressnet-instance");
const FEED: &str = "subscription{ releasePublished{ cursor release { id status } } }";

struct Cluster {
    db: DatabaseConnection,
    world: World,
    a: Instance,
    b: Instance,
    _app: TestApp,
}

/// A world of `outlets` accredited outlets, then instances A and B on its database.
async fn cluster(outlets: usize, env: &[(&str, String)]) -> Cluster {
    let mut app = TestApp::spawn(Backend::Postgres)
        .await
        .expect(pressnet_tests::POSTGRES_MISSING);
    let world = World::build(&app, outlets).await;
    app.stop().await;
    let url = app.db.url.clone();
    // A transient SMTP failure retries in a second, not thirty.
    let mut all: Vec<(&str, String)> = vec![
        ("DATABASE_URL", url.clone()),
        ("PRESSNET_EMAIL_RETRY_BASE_SECS", "1".into()),
    ];
    all.extend(env.iter().cloned());
    let a = Instance::start(BIN, "A", &all).await;
    let b = Instance::start(BIN, "B", &all).await;
    let db = sea_orm::Database::connect(&url).await.expect("connect");
    Cluster {
        db,
        world,
        a,
        b,
        _app: app,
    }
}

/// Publishes `n` releases to every accredited outlet, alternately through A and B.
async fn publish_alternating(c: &Cluster, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let via = if i % 2 == 0 { &c.a } else { &c.b };
        let g = via.gql(&c.world.spokesperson);
        let title = format!("Thông cáo số {i}");
        ids.push(publish_now(&g, &c.world.unit_id, &title, json!({"allAccredited": true})).await);
    }
    ids
}

async fn feed(i: &Instance, token: &str) -> WsClient {
    let mut c = WsClient::connect(&i.ws_url(), token)
        .await
        .expect("connect");
    c.subscribe("feed", FEED, json!({})).await;
    // The subscription is registered once the server answers something: give it a moment.
    tokio::time::sleep(Duration::from_millis(200)).await;
    c
}

/// Release ids received on a feed until `want` are all there (or `wait` passes).
async fn collect(c: &mut WsClient, want: &HashSet<String>, wait: Duration) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut got = Vec::new();
    while !want.iter().all(|w| got.contains(w)) {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        if left.is_zero() {
            break;
        }
        match c.next(left).await {
            Some(m) if m["type"] == "next" => {
                let id = m["payload"]["data"]["releasePublished"]["release"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                got.push(id);
            }
            Some(m) => panic!("unexpected frame {m}"),
            None => break,
        }
    }
    got
}

async fn until(what: &str, secs: u64, mut f: impl AsyncFnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    while tokio::time::Instant::now() < deadline {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out after {secs} s waiting for: {what}");
}

/// Waits until every EMAIL delivery of `releases` is SENT; returns how many there are.
async fn until_every_email_sent(c: &Cluster, releases: &[String], secs: u64) -> u64 {
    let rids: Vec<uuid::Uuid> = releases.iter().filter_map(|i| i.parse().ok()).collect();
    let emails = || {
        delivery::Entity::find()
            .filter(delivery::Column::Channel.eq(Channel::Email))
            .filter(delivery::Column::ReleaseId.is_in(rids.clone()))
    };
    let total = emails().count(&c.db).await.expect("count");
    until("every EMAIL delivery SENT", secs, async || {
        emails()
            .filter(delivery::Column::Status.eq(DeliveryStatus::Sent))
            .count(&c.db)
            .await
            .unwrap_or(0)
            == total
    })
    .await;
    total
}

async fn publications_of(db: &DatabaseConnection, release_id: uuid::Uuid) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("release.publish"))
        .filter(audit_event::Column::EntityId.eq(release_id))
        .count(db)
        .await
        .expect("count")
}

#[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_delivery_crosses_instances() {
    let mut c = cluster(2, &[]).await;
    let w = &c.world;
    // A journalist listens on B; the spokesperson publishes on A.
    let mut j0 = feed(&c.b, &w.outlets[0].1).await;
    let mut j1 = feed(&c.a, &w.outlets[1].1).await;
    let sp_a = c.a.gql(&w.spokesperson);
    let id = publish_now(
        &sp_a,
        &w.unit_id,
        "Thông cáo liên máy chủ",
        json!({"allAccredited": true}),
    )
    .await;
    let want: HashSet<String> = [id.clone()].into();
    assert_eq!(
        collect(&mut j0, &want, Duration::from_secs(10)).await,
        vec![id.clone()]
    );
    assert_eq!(
        collect(&mut j1, &want, Duration::from_secs(10)).await,
        vec![id.clone()]
    );

    // The spokesperson watches the delivery log on B; the journalist acknowledges on A.
    let mut watch = WsClient::connect(&c.b.ws_url(), &w.spokesperson)
        .await
        .expect("connect");
    watch
        .subscribe("d", "subscription($r:UUID!){ deliveryUpdated(releaseId:$r){ outlet { id } channel status } }", json!({"r": id}))
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let r =
        c.a.gql(&w.outlets[0].1)
            .run(
                "mutation($id:UUID!){ acknowledgeRelease(releaseId:$id){ status } }",
                json!({"id": id}),
            )
            .await;
    assert_eq!(r.data()["acknowledgeRelease"]["status"], "ACKNOWLEDGED");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let m = watch
            .next(left)
            .await
            .expect("deliveryUpdated from the other instance");
        let d = &m["payload"]["data"]["deliveryUpdated"];
        if d["status"] == "ACKNOWLEDGED" {
            assert_eq!(d["outlet"]["id"], w.outlets[0].0.as_str());
            break;
        }
    }

    // A retraction on B reaches the journalists on both instances.
    let r =
        c.b.gql(&w.spokesperson)
            .run(
                "mutation($id:UUID!){ retractRelease(id:$id, reason:\"Sai số liệu\"){ status } }",
                json!({"id": id}),
            )
            .await;
    assert_eq!(r.data()["retractRelease"]["status"], "RETRACTED");
    for j in [&mut j0, &mut j1] {
        let m = j.next_data(Duration::from_secs(10)).await;
        assert_eq!(
            m["data"]["releasePublished"]["release"]["status"],
            "RETRACTED"
        );
    }

    // Many publications, alternating instances: every journalist gets every one, in order.
    let ids = publish_alternating(&c, 10).await;
    let want: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(collect(&mut j0, &want, Duration::from_secs(10)).await, ids);
    assert_eq!(collect(&mut j1, &want, Duration::from_secs(10)).await, ids);
    assert_eq!(c.a.terminate().await, Some(0));
    assert_eq!(c.b.terminate().await, Some(0));
}

#[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_email_per_delivery_across_instances() {
    let smtp = TestSmtp::start();
    let c = cluster(4, &[("PRESSNET_SMTP_URL", smtp.url())]).await;
    let ids = publish_alternating(&c, 8).await;
    let total = until_every_email_sent(&c, &ids, 30).await;
    assert!(
        total >= 8 * 4,
        "a newsroom e-mail per outlet and release: {total}"
    );
    // Both queues: the outbox, and the EMAIL deliveries that are their own queue items.
    let in_queues = async |status: DeliveryStatus| {
        let o = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(status))
            .count(&c.db)
            .await
            .expect("count");
        let d = delivery::Entity::find()
            .filter(delivery::Column::Channel.eq(Channel::Email))
            .filter(delivery::Column::Status.eq(status))
            .count(&c.db)
            .await
            .expect("count");
        o + d
    };
    until("the queues drained", 30, async || {
        in_queues(DeliveryStatus::Pending).await == 0
    })
    .await;
    // Give a double send (if any) time to arrive, then count.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let sent = in_queues(DeliveryStatus::Sent).await;
    let messages = smtp.messages();
    let ids_sent: Vec<String> = messages.iter().map(|m| message_id(&m.data)).collect();
    let unique: HashSet<&String> = ids_sent.iter().collect();
    assert_eq!(unique.len(), ids_sent.len(), "a message was sent twice");
    assert_eq!(
        messages.len() as u64,
        sent,
        "one SMTP message per sent queue item"
    );
    assert!(sent >= total);
}

fn message_id(data: &[u8]) -> String {
    mail_parser::MessageParser::default()
        .parse(data)
        .and_then(|m| m.message_id().map(str::to_owned))
        .unwrap_or_default()
}

/// Drafts `n` releases and schedules them all for `at`.
async fn schedule(
    g: &Gql,
    unit_id: &str,
    n: usize,
    at: chrono::DateTime<chrono::Utc>,
) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        let id = draft(
            g,
            unit_id,
            &format!("Lịch số {i}"),
            json!({"allAccredited": true}),
        )
        .await;
        let r = g
            .run(PUBLISH, json!({"id": id, "at": at.to_rfc3339()}))
            .await;
        assert_eq!(
            r.data()["publishRelease"]["status"],
            "SCHEDULED",
            "{}",
            r.body
        );
        ids.push(id);
    }
    ids
}

async fn assert_published_once(c: &Cluster, ids: &[String], outlets: u64) {
    for id in ids {
        let rid: uuid::Uuid = id.parse().expect("uuid");
        let r = release::Entity::find_by_id(rid)
            .one(&c.db)
            .await
            .expect("read")
            .expect("release");
        assert_eq!(r.status, ReleaseStatus::Published);
        assert_eq!(
            publications_of(&c.db, rid).await,
            1,
            "{id} published more than once"
        );
        let live = delivery::Entity::find()
            .filter(delivery::Column::ReleaseId.eq(rid))
            .filter(delivery::Column::Channel.eq(Channel::Live))
            .count(&c.db)
            .await
            .expect("count");
        assert_eq!(live, outlets, "{id}: one LIVE delivery per outlet");
        let items = feed_item::Entity::find()
            .filter(feed_item::Column::ReleaseId.eq(rid))
            .count(&c.db)
            .await
            .expect("count");
        assert_eq!(items, outlets, "{id}: one feed item per outlet");
    }
}

#[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_schedule_publishes_once() {
    let c = cluster(3, &[]).await;
    let w = &c.world;
    let at = chrono::Utc::now() + chrono::Duration::seconds(4);
    let mut ids = schedule(&c.a.gql(&w.spokesperson), &w.unit_id, 6, at).await;
    ids.extend(schedule(&c.b.gql(&w.spokesperson), &w.unit_id, 6, at).await);
    let mut j = feed(&c.b, &w.outlets[2].1).await;
    let want: HashSet<String> = ids.iter().cloned().collect();
    let got = collect(&mut j, &want, Duration::from_secs(20)).await;
    assert_eq!(
        got.iter().collect::<HashSet<_>>().len(),
        got.len(),
        "no duplicate on the feed"
    );
    assert!(
        want.iter().all(|id| got.contains(id)),
        "every scheduled release arrived live"
    );
    assert_published_once(&c, &ids, 3).await;
}

#[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_an_instance_mid_publication_loses_nothing() {
    let smtp = TestSmtp::start();
    let mut c = cluster(
        12,
        &[
            ("PRESSNET_SMTP_URL", smtp.url()),
            ("PRESSNET_EMAIL_CLAIM_SECS", "3".into()),
        ],
    )
    .await;
    let w = &c.world;
    let mut listeners = Vec::new();
    for (_, token) in w.outlets.iter().take(4) {
        listeners.push(feed(&c.b, token).await);
    }
    let at = chrono::Utc::now() + chrono::Duration::seconds(4);
    let ids = schedule(&c.a.gql(&w.spokesperson), &w.unit_id, 40, at).await;
    let rids: Vec<uuid::Uuid> = ids.iter().filter_map(|i| i.parse().ok()).collect();
    // Kill A as soon as the first of them is published: its scheduler and e-mail worker are
    // then in the middle of their work.
    until("the first scheduled publication", 20, async || {
        release::Entity::find()
            .filter(release::Column::Id.is_in(rids.clone()))
            .filter(release::Column::Status.eq(ReleaseStatus::Published))
            .count(&c.db)
            .await
            .unwrap_or(0)
            > 0
    })
    .await;
    c.a.kill().await;
    // B publishes the rest, once each.
    until("every scheduled release published", 30, async || {
        release::Entity::find()
            .filter(release::Column::Id.is_in(rids.clone()))
            .filter(release::Column::Status.eq(ReleaseStatus::Published))
            .count(&c.db)
            .await
            .unwrap_or(0)
            == ids.len() as u64
    })
    .await;
    assert_published_once(&c, &ids, 12).await;
    // Journalists connected to B received every one.
    let want: HashSet<String> = ids.iter().cloned().collect();
    for l in &mut listeners {
        let got = collect(l, &want, Duration::from_secs(15)).await;
        let missing: Vec<&String> = want.iter().filter(|i| !got.contains(i)).collect();
        assert!(missing.is_empty(), "lost on the live feed: {missing:?}");
    }
    // Every e-mail went out (A's claims expire and B sends them).
    let total = until_every_email_sent(&c, &ids, 60).await;
    assert!(total >= ids.len() as u64 * 12);
    // Every queue item: the releases' EMAIL deliveries and any outbox rows of theirs.
    let mut outbox_ids: HashMap<uuid::Uuid, ()> = outbox::Entity::find()
        .filter(outbox::Column::ReleaseId.is_in(rids.clone()))
        .all(&c.db)
        .await
        .expect("outbox")
        .into_iter()
        .map(|o| (o.id, ()))
        .collect();
    outbox_ids.extend(
        delivery::Entity::find()
            .filter(delivery::Column::Channel.eq(Channel::Email))
            .filter(delivery::Column::ReleaseId.is_in(rids.clone()))
            .all(&c.db)
            .await
            .expect("deliveries")
            .into_iter()
            .map(|d| (d.id, ())),
    );
    let received: HashSet<String> = smtp
        .messages()
        .iter()
        .map(|m| message_id(&m.data))
        .collect();
    for id in outbox_ids.keys() {
        assert!(
            received.contains(&format!("{id}@pressnet")),
            "e-mail {id} never arrived"
        );
    }
}
