//! pressnet-bench's monitoring scenario (issue 20):
//! - polling `feeds` outlet feeds of 20 items each, served locally, through `pollOutletFeeds`
//!   (every feed at once), beside the floor: the same GETs and feed-rs parses from a bare
//!   client with the same per-host politeness, in the same run;
//! - matching 10,000 new articles against 2,000 recent releases (the text index and link scan
//!   the poller uses, no database);
//! - article search through the API at `articles` stored articles (p50 of varied queries);
//! - the text threshold's precision and recall on the labelled headlines, around the chosen one.
use chrono::{Duration as CDuration, Utc};
use futures::StreamExt;
use pressnet_domain::entities::{article, outlet_feed};
use pressnet_domain::services::monitoring::pickups::Window;
use pressnet_domain::services::monitoring::similarity::THRESHOLD;
use pressnet_domain::services::text::fold;
use pressnet_tests::feed_server::{FeedServer, Route};
use pressnet_tests::TestApp;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;
use uuid::Uuid;

/// Syllables headlines are made of (a deterministic generator picks them, the first ones more
/// often, as words are in real text).
const SYLLABLES: &[&str] = &[
    "tỉnh",
    "thành",
    "phố",
    "dự",
    "án",
    "khởi",
    "công",
    "cầu",
    "đường",
    "giao",
    "thông",
    "y",
    "tế",
    "giáo",
    "dục",
    "học",
    "sinh",
    "bệnh",
    "viện",
    "du",
    "lịch",
    "lễ",
    "hội",
    "văn",
    "hóa",
    "kinh",
    "tế",
    "đầu",
    "tư",
    "doanh",
    "nghiệp",
    "nông",
    "dân",
    "thủy",
    "sản",
    "môi",
    "trường",
    "sông",
    "biển",
    "đảo",
    "mưa",
    "bão",
    "lũ",
    "sạt",
    "lở",
    "điện",
    "gió",
    "nước",
    "sạch",
    "giá",
    "vàng",
    "xăng",
    "dầu",
    "quy",
    "hoạch",
    "đô",
    "thị",
    "nhà",
    "ở",
    "xã",
    "hội",
    "công",
    "an",
    "lừa",
    "đảo",
    "tai",
    "nạn",
    "cháy",
    "rừng",
    "trồng",
    "cây",
    "xanh",
    "vắc",
    "xin",
    "sởi",
    "sốt",
    "xuất",
    "huyết",
    "tuyển",
    "dụng",
    "giáo",
    "viên",
    "đối",
    "thoại",
    "chính",
    "quyền",
    "hành",
    "khánh",
    "thành",
    "khai",
    "mạc",
    "bế",
    "hỏa",
    "pháo",
    "hoa",
    "festival",
    "nghề",
    "truyền",
    "thống",
    "cảng",
    "sân",
    "bay",
    "hầm",
    "đèo",
    "hải",
    "vân",
    "đà",
    "nẵng",
    "huế",
    "quảng",
    "nam",
    "ngãi",
    "hội",
    "an",
    "sơn",
    "trà",
    "ngũ",
    "hành",
    "liên",
    "chiểu",
    "cẩm",
    "lệ",
];

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    /// Skewed towards the start of the list.
    fn syllable(&mut self) -> &'static str {
        let r = (self.next() % 10_000) as f64 / 10_000.0;
        let i = ((r * r) * SYLLABLES.len() as f64) as usize;
        SYLLABLES[i.min(SYLLABLES.len() - 1)]
    }
    fn text(&mut self, words: usize) -> String {
        (0..words)
            .map(|_| self.syllable())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn rss(outlet: usize, items: usize, rng: &mut Lcg) -> String {
    let now = Utc::now();
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Báo</title><link>https://bao.example/</link><description>Tin</description>");
    for i in 0..items {
        s.push_str(&format!(
            "<item><title>{}</title><link>https://bao{outlet}.example/tin/{i}.html</link><description>{}</description><pubDate>{}</pubDate></item>",
            rng.text(10),
            rng.text(25),
            (now - CDuration::minutes(i as i64)).to_rfc2822()
        ));
    }
    s.push_str("</channel></rss>");
    s
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Polling `feeds` feeds through the server, and the bare-client floor.
async fn polling(app: &TestApp, admin: &str, outlet_ids: &[Uuid], feeds: usize) -> Value {
    let server = FeedServer::start().await;
    let mut rng = Lcg(7);
    let now = app.clock.now();
    let mut rows = Vec::new();
    let mut urls = Vec::new();
    for (i, outlet) in outlet_ids.iter().take(feeds).enumerate() {
        let path = format!("/feeds/{i}.rss");
        server.serve(
            &path,
            Route::feed("application/rss+xml", rss(i, 20, &mut rng)),
        );
        let url = format!("{}{path}", server.url);
        urls.push(url.clone());
        rows.push(outlet_feed::ActiveModel {
            id: Set(Uuid::now_v7()),
            outlet_id: Set(*outlet),
            url: Set(url),
            etag: Set(None),
            last_modified: Set(None),
            // Not due: only the forced poll below fetches them.
            next_attempt_at: Set(now + CDuration::days(1)),
            claimed_until: Set(None),
            failures: Set(0),
            last_error: Set(None),
            last_polled_at: Set(None),
            created_at: Set(now),
        });
    }
    for chunk in rows.chunks(500) {
        outlet_feed::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&app.ctx.db)
            .await
            .expect("feeds");
    }
    let g = app.gql_as(admin);
    let t = Instant::now();
    let r = g.run("mutation{ pollOutletFeeds }", json!({})).await;
    let seconds = t.elapsed().as_secs_f64();
    let stored = r.data()["pollOutletFeeds"].as_i64().unwrap_or(0);
    // The floor: the same GETs, two at a time (the one host's politeness), and the same parse.
    let client = reqwest::Client::new();
    let gate = Arc::new(Semaphore::new(2));
    let t = Instant::now();
    let parsed: usize = futures::stream::iter(urls)
        .map(|u| {
            let (client, gate) = (client.clone(), gate.clone());
            async move {
                let _p = gate.acquire().await.expect("gate");
                let body = client
                    .get(&u)
                    .send()
                    .await
                    .expect("get")
                    .bytes()
                    .await
                    .expect("body");
                tokio::task::spawn_blocking(move || {
                    feed_rs::parser::parse(&body[..])
                        .map(|f| f.entries.len())
                        .unwrap_or(0)
                })
                .await
                .unwrap_or(0)
            }
        })
        .buffer_unordered(32)
        .fold(0, |a, n| async move { a + n })
        .await;
    let floor = t.elapsed().as_secs_f64();
    json!({"feeds": feeds, "poll_seconds": seconds, "articles_stored": stored, "floor_seconds": floor,
           "floor_entries": parsed, "ratio_to_floor": if floor > 0.0 { seconds / floor } else { 0.0 }})
}

/// Matching 10,000 articles against 2,000 releases: the window's index and scan, no database.
fn matching(releases: usize, articles: usize) -> Value {
    let mut rng = Lcg(11);
    let now = Utc::now();
    let rel: Vec<(Uuid, chrono::DateTime<Utc>, String, String)> = (0..releases)
        .map(|i| {
            (
                Uuid::now_v7(),
                now - CDuration::minutes(i as i64 * 5),
                rng.text(12),
                rng.text(30),
            )
        })
        .collect();
    let t = Instant::now();
    let window = Window::new("https://pressnet.example", rel.clone());
    let index_ms = t.elapsed().as_secs_f64() * 1000.0;
    let outlet = Uuid::now_v7();
    let list: Vec<(article::Model, String)> = (0..articles)
        .map(|i| {
            // One in ten rewrites a release's title; the rest are other news.
            let title = if i % 10 == 0 {
                rel[i % releases].2.clone()
            } else {
                rng.text(10)
            };
            let summary = rng.text(25);
            (
                article::Model {
                    id: Uuid::now_v7(),
                    outlet_id: outlet,
                    feed_id: None,
                    key: format!("url:{i}"),
                    url: format!("https://bao.example/{i}"),
                    search_text: fold(&format!("{title} {summary}")),
                    title,
                    summary: Some(summary),
                    published_at: Some(now),
                    fetched_at: now,
                },
                String::new(),
            )
        })
        .collect();
    let t = Instant::now();
    let found: usize = list
        .iter()
        .map(|(a, raw)| window.matches(a, raw).len())
        .sum();
    let match_ms = t.elapsed().as_secs_f64() * 1000.0;
    json!({"releases": releases, "articles": articles, "index_ms": index_ms, "match_ms": match_ms, "pickups_found": found})
}

/// Stores `n` articles directly, then times searches through the API.
async fn search(app: &TestApp, admin: &str, outlet_ids: &[Uuid], n: usize) -> Value {
    let mut rng = Lcg(23);
    let now = app.clock.now();
    let t = Instant::now();
    let mut batch = Vec::with_capacity(2_000);
    for i in 0..n {
        let title = rng.text(10);
        let summary = rng.text(20);
        batch.push(article::ActiveModel {
            id: Set(Uuid::now_v7()),
            outlet_id: Set(outlet_ids[i % outlet_ids.len()]),
            feed_id: Set(None),
            key: Set(format!("url:https://bao.example/{i}")),
            url: Set(format!("https://bao.example/{i}")),
            search_text: Set(fold(&format!("{title} {summary}"))),
            title: Set(title),
            summary: Set(Some(summary)),
            // Stored oldest first, as a poller stores them.
            published_at: Set(Some(now - CDuration::seconds((n - i) as i64))),
            fetched_at: Set(now - CDuration::seconds((n - i) as i64)),
        });
        if batch.len() == 2_000 || i + 1 == n {
            pressnet_domain::bulk::insert(&app.ctx.db, std::mem::take(&mut batch), 300)
                .await
                .expect("articles");
        }
    }
    let load_s = t.elapsed().as_secs_f64();
    // The statistics autovacuum keeps up to date after a load this size, taken at once: the
    // planner needs them to know common words from rare ones.
    if app.ctx.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        use sea_orm::ConnectionTrait;
        app.ctx
            .db
            .execute_unprepared("ANALYZE articles")
            .await
            .expect("analyze");
    }
    let g = app.gql_as(admin);
    let queries = [
        "đà nẵng",
        "khởi công cầu",
        "festival",
        "ngũ hành sơn",
        "lừa đảo",
        "vắc xin sởi",
        "giá vàng",
        "cẩm lệ",
        "hải vân",
        "quy hoạch đô thị",
        "bệnh viện",
        "sạt lở",
        "nông dân",
        "du lịch biển",
        "liên chiểu",
        "trồng cây xanh",
        "điện gió",
        "thủy sản",
        "tuyển dụng giáo viên",
        "sân bay",
    ];
    let mut ms = Vec::new();
    // How many of the queries' pages came back full (20 articles), and the articles returned
    // in all: a fast answer must be a real one.
    let (mut full_pages, mut returned) = (0usize, 0usize);
    for round in 0..3 {
        for q in queries {
            let t = Instant::now();
            let r = g
                .run(
                    "query($s:String){ articles(search:$s, first: 20){ id title } }",
                    json!({"s": q}),
                )
                .await;
            let took = t.elapsed().as_secs_f64() * 1000.0;
            assert!(r.body["errors"].is_null(), "{}", r.body);
            if round > 0 {
                ms.push(took);
            }
            if round == 0 {
                let got = r.body["data"]["articles"].as_array().map_or(0, Vec::len);
                returned += got;
                full_pages += usize::from(got == 20);
            }
        }
    }
    let max = ms.iter().copied().fold(0.0, f64::max);
    json!({"articles": n, "load_seconds": load_s, "search_ms_p50": median(ms), "search_ms_max": max,
           "queries": queries.len(), "full_pages": full_pages, "articles_returned": returned})
}

/// Precision and recall around the chosen threshold on the labelled headlines.
pub fn sweep() -> Value {
    let set = pressnet_tests::labelled::load();
    let rows: Vec<Value> = [0.2f32, 0.25, 0.3, THRESHOLD, 0.4, 0.45, 0.5, 0.6]
        .iter()
        .map(|t| {
            let s = pressnet_tests::labelled::score(&set, *t);
            json!({"threshold": t, "precision": s.precision, "recall": s.recall,
                   "tp": s.true_positives, "fp": s.false_positives, "fn": s.false_negatives})
        })
        .collect();
    json!({"chosen": THRESHOLD, "releases": set.releases.len(), "articles": set.articles.len(), "rows": rows})
}

pub async fn run(app: &TestApp, outlet_ids: &[Uuid], feeds: usize, articles: usize) -> Value {
    let admin = app.admin().await;
    let poll = polling(app, &admin, outlet_ids, feeds).await;
    // The sizes at full scale; a quick (CI smoke) run, fewer feeds, scales them down.
    let scale = |full: usize, per_feed: usize| full.min(feeds.max(1) * per_feed);
    let matched = matching(scale(2_000, 4), scale(10_000, 20));
    let searched = search(app, &admin, outlet_ids, articles).await;
    json!({"polling": poll, "matching": matched, "search": searched, "labelled": sweep()})
}
