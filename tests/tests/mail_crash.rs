//! A crash while e-mailing: the instance is killed (SIGKILL) in the middle of sending a release
//! to 150 newsrooms and started again at once. Every newsroom gets the release, and at most one
//! message per SMTP connection in flight is sent twice (each connection's outcome is committed
//! before it takes its next message). On both databases: the server is a real child process.
use pressnet_domain::entities::delivery;
use pressnet_domain::enums::{Channel, DeliveryStatus};
use pressnet_tests::cluster::Instance;
use pressnet_tests::smtp::TestSmtp;
use pressnet_tests::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_pressnet-instance");
const OUTLETS: usize = 150;
/// `PRESSNET_SMTP_CONNECTIONS` for the run.
const CONNECTIONS: usize = 4;

async fn run(backend: Backend) {
    let mut app = TestApp::spawn(backend)
        .await
        .expect(pressnet_tests::POSTGRES_MISSING);
    let w = World::build(&app, 0).await;
    let a = app.gql_as(&w.admin);
    for i in 0..OUTLETS {
        let id = register_outlet(
            &a,
            &format!("Báo {i}"),
            "ONLINE",
            "LOCAL",
            &format!("GP-{i}"),
        )
        .await;
        accredit(&a, &id).await;
    }
    app.stop().await;
    let smtp = TestSmtp::start();
    // A relay a few milliseconds away, so the kill lands while messages are in flight.
    smtp.accept_after(Duration::from_millis(0));
    let env = vec![
        ("DATABASE_URL", app.db.url.clone()),
        ("PRESSNET_SMTP_URL", smtp.url()),
        ("PRESSNET_EMAIL_CLAIM_SECS", "3".to_owned()),
        ("PRESSNET_SMTP_CONNECTIONS", CONNECTIONS.to_string()),
        (
            "PRESSNET_AUDIT_KEY_FILE",
            app.config.audit_key_file.clone().unwrap_or_default(),
        ),
        (
            "PRESSNET_STORAGE_URL",
            app.config.storage_url.clone().unwrap_or_default(),
        ),
    ];
    let mut first = Instance::start(BIN, "first", &env).await;
    let id = publish_now(
        &first.gql(&w.spokesperson),
        &w.unit_id,
        "Thông cáo giữa sự cố",
        json!({"allAccredited": true}),
    )
    .await;
    // Killed once a fifth of the newsrooms have it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while smtp.messages().len() < OUTLETS / 5 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "sending did not start"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().await;
    let at_kill = smtp.messages().len();
    let _second = Instance::start(BIN, "second", &env).await;
    let db = sea_orm::Database::connect(&app.db.url)
        .await
        .expect("connect");
    let rid: uuid::Uuid = id.parse().expect("uuid");
    let sent = || {
        delivery::Entity::find()
            .filter(delivery::Column::ReleaseId.eq(rid))
            .filter(delivery::Column::Channel.eq(Channel::Email))
            .filter(delivery::Column::Status.eq(DeliveryStatus::Sent))
            .count(&db)
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while sent().await.expect("count") < OUTLETS as u64 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "not every newsroom got it within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for m in smtp.messages() {
        for to in m.to {
            *per_recipient.entry(to.to_lowercase()).or_default() += 1;
        }
    }
    assert_eq!(per_recipient.len(), OUTLETS, "every newsroom got it");
    let duplicates: usize = per_recipient.values().map(|n| n - 1).sum();
    eprintln!(
        "mail crash ({backend:?}): {at_kill} accepted before the kill, {duplicates} sent twice"
    );
    assert!(
        duplicates <= CONNECTIONS,
        "{duplicates} duplicates; at most one per connection in flight ({CONNECTIONS})"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    run(Backend::Sqlite).await;
}

#[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    run(Backend::Postgres).await;
}
