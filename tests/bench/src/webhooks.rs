//! pressnet-bench's newsroom-systems scenario (issue 19): one publication to `n` outlets with
//! one webhook endpoint each, all on one local receiver; the time from the publication's
//! answer to the last signed POST, and the publication's own commit time with and without the
//! endpoints (the channels work after the commit). The floor is the same number of POSTs of a
//! same-sized body from a bare reqwest client to the same receiver, with the same per-host
//! concurrency (16), measured in the same run.
use futures::StreamExt;
use pressnet_domain::entities::webhook_endpoint;
use pressnet_tests::receiver::Receiver;
use pressnet_tests::{draft, Gql, TestApp, PUBLISH};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use uuid::Uuid;

async fn publish_ms(g: &Gql, unit: &str, title: &str) -> f64 {
    let id = draft(g, unit, title, json!({"allAccredited": true})).await;
    let t = Instant::now();
    let r = g.run(PUBLISH, json!({"id": id})).await;
    assert_eq!(r.data()["publishRelease"]["status"], "PUBLISHED");
    t.elapsed().as_secs_f64() * 1000.0
}

/// The server's own publication timing (`publish_duration_seconds`: from taking the lock to
/// the commit), as (sum, count) from `/metrics`.
async fn commit_totals(base: &str) -> (f64, f64) {
    let text = match reqwest::get(format!("{base}/metrics")).await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    let (mut sum, mut count) = (0.0, 0.0);
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (Some(name), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let v: f64 = value.parse().unwrap_or(0.0);
        if name.ends_with("publish_duration_seconds_sum") {
            sum = v;
        } else if name.ends_with("publish_duration_seconds_count") {
            count = v;
        }
    }
    (sum, count)
}

/// Mean milliseconds per publication between two `commit_totals`.
fn mean_ms(before: (f64, f64), after: (f64, f64)) -> f64 {
    let n = after.1 - before.1;
    if n > 0.0 {
        (after.0 - before.0) / n * 1000.0
    } else {
        0.0
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

pub async fn run(app: &TestApp, g: &Gql, unit: &str, outlets: &[Uuid]) -> Value {
    // Commit time without endpoints (three, after a warm-up).
    publish_ms(g, unit, "Khởi động").await;
    let mut without = Vec::new();
    let t0 = commit_totals(&app.base).await;
    for i in 0..3 {
        without.push(publish_ms(g, unit, &format!("Không webhook {i}")).await);
    }
    let t1 = commit_totals(&app.base).await;
    // Their channel jobs expanded before any endpoint exists (else the last of them could
    // reach the first endpoints inserted, and count twice below).
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rx = Receiver::start().await;
    let now = app.clock.now();
    let rows: Vec<webhook_endpoint::ActiveModel> = outlets
        .iter()
        .enumerate()
        .map(|(i, o)| webhook_endpoint::ActiveModel {
            id: Set(Uuid::now_v7()),
            outlet_id: Set(*o),
            url: Set(format!("{}/toa-soan/{i}", rx.url)),
            secret: Set("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into()),
            enabled: Set(true),
            consecutive_failures: Set(0),
            disabled_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    for chunk in rows.chunks(500) {
        webhook_endpoint::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.ctx.db)
            .await
            .expect("endpoints");
    }
    let n = outlets.len();
    let mut with = Vec::new();
    let mut delivery_secs = Vec::new();
    let mut body_len = 0;
    let t2 = commit_totals(&app.base).await;
    for i in 0..3 {
        let before = rx.got().len();
        let ms = publish_ms(g, unit, &format!("Có webhook {i}")).await;
        let t = Instant::now();
        let deadline = Instant::now() + Duration::from_secs(60);
        while rx.got().len() < before + n && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        // From the publication's start: its commit, then every POST answered.
        delivery_secs.push(ms / 1000.0 + t.elapsed().as_secs_f64());
        with.push(ms);
        // The outcomes recorded too, before the next publication is timed (on SQLite they
        // would queue for the one writer).
        while pressnet_domain::services::channels::queue::waiting(&app.ctx)
            .await
            .unwrap_or(0)
            > 0
            && Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        body_len = rx.got().last().map(|r| r.body.len()).unwrap_or(0);
    }
    let t3 = commit_totals(&app.base).await;
    let received = rx.got().len();
    // The floor: the same POSTs from a bare client, 16 at a time to the one host.
    let client = reqwest::Client::new();
    let body = vec![b'x'; body_len.max(1)];
    let t = Instant::now();
    futures::stream::iter((0..n).map(|i| {
        let (client, body, url) = (
            client.clone(),
            body.clone(),
            format!("{}/floor/{i}", rx.url),
        );
        async move {
            let _ = client.post(url).body(body).send().await;
        }
    }))
    .buffer_unordered(16)
    .collect::<Vec<_>>()
    .await;
    let floor = t.elapsed().as_secs_f64();
    let seconds = median(delivery_secs);
    json!({
        "outlets": n, "endpoints": n, "received": received, "expected": 3 * n,
        "lost": (3 * n).saturating_sub(received),
        "all_posts_seconds_p50": seconds,
        "publish_ms_without_webhooks_p50": median(without),
        "publish_ms_with_webhooks_p50": median(with),
        "commit_ms_without_webhooks_mean": mean_ms(t0, t1),
        "commit_ms_with_webhooks_mean": mean_ms(t2, t3),
        "body_bytes": body_len,
        "floor_seconds": floor, "ratio_to_floor": if floor > 0.0 { seconds / floor } else { 0.0 },
    })
}
