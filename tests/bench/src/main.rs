//! pressnet-bench: drives a real pressnet server with real clients and prints one JSON object
//! per scenario, then writes the table in BENCHMARKS.md.
//!
//! Scenarios, each on SQLite and, when PRESSNET_TEST_POSTGRES is set, on PostgreSQL:
//! - publication: one release to N outlets, its delivery log written in the same transaction;
//! - fanout: N journalists connected over graphql-transport-ws to a server in a separate
//!   process, M releases: publish-to-receive latency, items lost, server memory per connection;
//! - read: `releases(first: 20)` with nested unit and deliveryStats from 64 concurrent clients;
//! - email: one release to N newsrooms through a local SMTP server, messages per second;
//! - report: the yearly compliance report of a large province;
//! - files: a 1 GiB upload and 50 journalists downloading a 500 MiB file at once, the
//!   server's resident memory sampled throughout, against the floor of the same `curl`
//!   downloads from Python's static file server.
//!
//! `pressnet-bench serve` runs the pressnet server itself (the same code as `pressnet serve`):
//! the fan-out scenario starts its server that way, so server memory is measured apart from
//! the clients'.
mod abuse;
mod files;
mod monitoring;
mod reorganization;
mod webhooks;
use clap::Parser;
use futures::StreamExt;
use pressnet_tests::cluster::Instance;
use pressnet_tests::seed::{pct, seed, seed_year};
use pressnet_tests::smtp::TestSmtp;
use pressnet_tests::ws::WsClient;
use pressnet_tests::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(name = "pressnet-bench")]
struct Args {
    /// Small sizes that finish in under a minute (CI smoke run).
    #[arg(long)]
    quick: bool,
    /// Outlet counts for the publication scenario.
    #[arg(long, value_delimiter = ',', default_values_t = vec![100, 1000, 10000])]
    outlets: Vec<usize>,
    /// Connected journalists for the fan-out scenario.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1000])]
    subscribers: Vec<usize>,
    /// Releases published in the fan-out scenario.
    #[arg(long, default_value_t = 20)]
    releases: usize,
    /// Scenarios to run.
    #[arg(long, value_delimiter = ',', default_values_t = ["publication", "fanout", "floor", "read", "email", "report", "files", "webhooks", "monitoring", "abuse", "reorganization"].map(String::from).to_vec())]
    scenarios: Vec<String>,
    /// Concurrent clients of the read scenario.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds the read scenario runs.
    #[arg(long, default_value_t = 10)]
    read_seconds: u64,
    /// Newsrooms e-mailed in the e-mail scenario.
    #[arg(long, default_value_t = 1000)]
    emails: usize,
    /// Units, outlets and releases of the report scenario's year.
    #[arg(long, value_delimiter = ',', default_values_t = vec![100, 300, 20000])]
    report_size: Vec<usize>,
    /// MiB uploaded, MiB downloaded by each journalist, and journalists, in the files scenario.
    #[arg(long, value_delimiter = ',', default_values_t = vec![1024, 500, 50])]
    files_size: Vec<u64>,
    /// Outlets (one webhook endpoint each) of the webhooks scenario.
    #[arg(long, default_value_t = 1000)]
    webhook_outlets: usize,
    /// Outlet feeds polled, and articles searched, in the monitoring scenario.
    #[arg(long, value_delimiter = ',', default_values_t = vec![500, 1_000_000])]
    monitoring_size: Vec<usize>,
    /// Anonymous uploads sent at once, MiB each, journalists sending the heaviest allowed
    /// reads, and seconds /healthz is sampled, in the abuse scenario.
    #[arg(long, value_delimiter = ',', default_values_t = vec![20, 200, 8, 5])]
    abuse_size: Vec<u64>,
    /// Units, releases and open questions of the reorganization scenario (50 units merge).
    #[arg(long, value_delimiter = ',', default_values_t = vec![100, 10000, 2000])]
    reorganization_size: Vec<usize>,
    /// sqlite, postgres or both (postgres needs PRESSNET_TEST_POSTGRES).
    #[arg(long, default_value = "both")]
    backend: String,
    /// Where to write the Markdown table ("-" for none).
    #[arg(long, default_value = "BENCHMARKS.md")]
    out: String,
}

fn machine() -> Value {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .unwrap_or(0);
    json!({"cpu": cpu, "cores": cores, "memory_gib": mem / 1024 / 1024, "build": if cfg!(debug_assertions) { "debug" } else { "release" }})
}

async fn app_with_unit(backend: Backend) -> Option<(TestApp, String, String)> {
    let app = TestApp::spawn(backend).await?;
    let admin = app.admin().await;
    let a = app.gql_as(&admin);
    let unit = create_unit(&a, "UBND-TINH", "Ủy ban nhân dân tỉnh", "PROVINCE").await;
    register_spokesperson(&a, &unit, "Nguyễn Văn Thắng", "phatngon@ubnd.vn").await;
    let sp = app.login("phatngon@ubnd.vn", PASSWORD).await;
    Some((app, unit, sp))
}

async fn publication(backend: Backend, outlets: usize) -> Option<Value> {
    let (app, unit, sp) = app_with_unit(backend).await?;
    seed(&app.ctx, outlets, 0).await.expect("seed");
    let g = app.gql_as(&sp);
    let mut ms = Vec::new();
    for i in 0..6 {
        let id = draft(
            &g,
            &unit,
            &format!("Thông cáo {i}"),
            json!({"allAccredited": true}),
        )
        .await;
        let t = Instant::now();
        let r = g.run(PUBLISH, json!({"id": id})).await;
        let took = t.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(r.data()["publishRelease"]["status"], "PUBLISHED");
        if i > 0 {
            ms.push(took); // the first is a warm-up
        }
    }
    ms.sort_by(f64::total_cmp);
    Some(
        json!({"scenario": "publication", "backend": format!("{backend:?}"), "outlets": outlets,
                "log_rows_per_release": outlets, "publish_ms_p50": pct(&ms, 50.0), "publish_ms_max": pct(&ms, 100.0),
                "samples": ms.len(), "machine": machine()}),
    )
}

/// Starts this binary as a pressnet server (`pressnet-bench serve`) on `database_url`.
async fn server_process(database_url: &str, extra: &[(&str, String)]) -> Instance {
    let exe = std::env::current_exe().expect("own path");
    let mut env = vec![
        ("DATABASE_URL", database_url.to_owned()),
        (
            "RUST_LOG",
            // PRESSNET_BENCH_SERVER_LOG: the server's log filter, to look inside a run.
            std::env::var("PRESSNET_BENCH_SERVER_LOG")
                .unwrap_or_else(|_| "warn,pressnet_server=info".to_owned()),
        ),
    ];
    env.extend(extra.iter().cloned());
    Instance::start(&exe.to_string_lossy(), "server", &env).await
}

async fn fanout(backend: Backend, subscribers: usize, releases: usize) -> Option<Value> {
    let (mut app, unit, sp) = app_with_unit(backend).await?;
    let outlets = subscribers.clamp(1, 1000);
    let seeded = seed(&app.ctx, outlets, subscribers).await.expect("seed");
    // Seeded in-process; served by a separate process so its memory is the server's alone.
    app.stop().await;
    let server = server_process(&app.db.url, &[]).await;
    let pid = server.pid().expect("server pid");
    // Warm up (schema, pools), then read the baseline.
    let g = server.gql(&sp);
    let warm = draft(&g, &unit, "Khởi động", json!({"allAccredited": true})).await;
    g.run(PUBLISH, json!({"id": warm})).await.data();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = rss_of(pid).unwrap_or(0);
    let url = server.ws_url();
    let clients = Clients::connect(&url, seeded.tokens.clone(), releases, Some(warm)).await;
    // Every subscriber has its warm-up item; let the delivered-marks of that settle.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let rss_connected = rss_of(pid).unwrap_or(0);
    let mut sent: HashMap<String, Instant> = HashMap::new();
    let mut order = Vec::with_capacity(releases);
    let mut publish_ms = Vec::new();
    for i in 0..releases {
        let id = draft(
            &g,
            &unit,
            &format!("Tin nóng {i}"),
            json!({"allAccredited": true}),
        )
        .await;
        let t = Instant::now();
        g.run(PUBLISH, json!({"id": id})).await.data();
        publish_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        order.push(id.clone());
        sent.insert(id, t);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let connect_secs = clients.connect_secs;
    let latencies = clients.latencies(&sent).await;
    let lat = &latencies.all;
    let expected = subscribers * releases;
    let rss_after = rss_of(pid).unwrap_or(0);
    let mut server = server;
    server.terminate().await;
    publish_ms.sort_by(f64::total_cmp);
    let per_conn = (rss_connected.saturating_sub(rss_before)) as f64 * 1024.0 / subscribers as f64;
    Some(
        json!({"scenario": "fanout", "backend": format!("{backend:?}"), "subscribers": subscribers, "releases": releases,
                "received": lat.len(), "lost": expected - lat.len(),
                "latency_ms_p50": pct(lat, 50.0), "latency_ms_p95": pct(lat, 95.0), "latency_ms_p99": pct(lat, 99.0), "latency_ms_max": pct(lat, 100.0),
                "latency_ms_p99_by_release": latencies.p99_by_release(&order),
                "publish_ms_p50": pct(&publish_ms, 50.0),
                "connect_seconds": connect_secs,
                "server_rss_kib_before": rss_before, "server_rss_kib_connected": rss_connected, "server_rss_kib_after": rss_after,
                "server_rss_bytes_per_connection": per_conn.round(), "machine": machine()}),
    )
}

/// Journalists' websocket clients, each keeping (release id, time received) to itself: the
/// clients share the two cores with the server, so they do as little as a real client's
/// receipt needs.
struct Clients {
    handles: Vec<tokio::task::JoinHandle<Vec<(String, Instant)>>>,
    /// Set once every release is sent: clients then stop at the first quiet second.
    all_sent: Arc<tokio::sync::Notify>,
    connect_secs: f64,
}

impl Clients {
    /// Connects one client per token (graphql-transport-ws, subscribed to the feed) and waits
    /// until all are subscribed. Items of `skip` (the warm-up release) are not counted.
    async fn connect(
        url: &str,
        tokens: Vec<String>,
        releases: usize,
        skip: Option<String>,
    ) -> Self {
        let n = tokens.len();
        let ready = Arc::new(tokio::sync::Semaphore::new(0));
        let all_sent = Arc::new(tokio::sync::Notify::new());
        let started = Instant::now();
        let mut handles = Vec::with_capacity(n);
        for token in tokens {
            let (ready, url, skip, all_sent) = (
                ready.clone(),
                url.to_owned(),
                skip.clone(),
                all_sent.clone(),
            );
            handles.push(tokio::spawn(async move {
                let mut got: Vec<(String, Instant)> = Vec::with_capacity(releases);
                let mut c = match WsClient::connect(&url, &token).await {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("connect failed: {e}");
                        ready.add_permits(1);
                        return got;
                    }
                };
                // From the start of the feed: the catch-up then sends every subscriber the
                // warm-up release first, whether or not a colleague of the same outlet already
                // received it (without `since`, only PENDING deliveries are caught up).
                c.subscribe(
                    "f",
                    "subscription($s: String){ releasePublished(since: $s) { cursor release { id } } }",
                    json!({"s": "0000000000000000"}),
                )
                .await;
                // Ready means subscribed on the server, not merely asked: wait for the warm-up
                // release. (Counting a sent `subscribe` as ready let the first releases race a
                // server still working through 10,000 subscriptions' checks and catch-ups.)
                if let Some(warm) = skip.as_deref() {
                    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
                    loop {
                        match tokio::time::timeout_at(deadline, c.socket.next()).await {
                            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Text(t)))) => {
                                if release_id(&t) == Some(warm) {
                                    break;
                                }
                            }
                            Ok(Some(Ok(tokio_tungstenite::tungstenite::Message::Close(f)))) => {
                                eprintln!("no warm-up item: the server closed the socket ({f:?})");
                                break;
                            }
                            Ok(Some(Ok(_))) => {}
                            other => {
                                eprintln!("no warm-up item: the subscription did not start ({other:?})");
                                break;
                            }
                        }
                    }
                }
                ready.add_permits(1);
                let done = all_sent.notified();
                tokio::pin!(done);
                let mut finishing = false;
                loop {
                    let wait = if finishing {
                        Duration::from_secs(1)
                    } else {
                        Duration::from_secs(120)
                    };
                    let msg = tokio::select! {
                        m = tokio::time::timeout(wait, c.socket.next()) => m,
                        _ = &mut done, if !finishing => { finishing = true; continue; }
                    };
                    let Ok(Some(Ok(msg))) = msg else { break };
                    if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                        let now = Instant::now();
                        if let Some(id) = release_id(&t) {
                            if skip.as_deref() != Some(id) {
                                got.push((id.to_owned(), now));
                            }
                        }
                    }
                    if finishing && got.len() >= releases {
                        break;
                    }
                }
                got
            }));
            // Connect in waves so the accept queue is not flooded.
            if handles.len() % 200 == 0 {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let _ = ready.acquire_many(n as u32).await.expect("ready");
        Self {
            handles,
            all_sent,
            connect_secs: started.elapsed().as_secs_f64(),
        }
    }

    /// Stops the clients once they are quiet and returns every receipt's latency in ms
    /// (received minus the time its release was sent), by release.
    async fn latencies(self, sent: &HashMap<String, Instant>) -> Latencies {
        self.all_sent.notify_waiters();
        let mut by_release: HashMap<String, Vec<f64>> = HashMap::new();
        for h in self.handles {
            let got = tokio::time::timeout(Duration::from_secs(60), h)
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            for (id, at) in got {
                if let Some(t) = sent.get(&id) {
                    by_release
                        .entry(id)
                        .or_default()
                        .push((at - *t).as_secs_f64() * 1000.0);
                }
            }
        }
        let mut all: Vec<f64> = by_release.values().flatten().copied().collect();
        all.sort_by(f64::total_cmp);
        Latencies { all, by_release }
    }
}

/// Receipt latencies of a run, in ms.
struct Latencies {
    /// Every receipt, sorted.
    all: Vec<f64>,
    by_release: HashMap<String, Vec<f64>>,
}

impl Latencies {
    /// p99 of each release in the order they were sent: flat when the machine keeps up,
    /// growing when each release adds to a backlog.
    fn p99_by_release(&self, order: &[String]) -> Vec<f64> {
        order
            .iter()
            .map(|id| {
                let mut l = self.by_release.get(id).cloned().unwrap_or_default();
                l.sort_by(f64::total_cmp);
                (pct(&l, 99.0) * 10.0).round() / 10.0
            })
            .collect()
    }
}

/// The floor: what this machine and this stack can do at best. A bare broadcast server
/// (`pressnet-bench floor-serve`, a separate process: tokio, tokio-tungstenite, one task per
/// connection waking on a `tokio::sync::broadcast`, one ready-made frame shared by all) in
/// front of the same clients as the fan-out. No database, no authorisation, no rendering:
/// every millisecond above this floor is pressnet's own.
async fn floor(subscribers: usize, releases: usize) -> Option<Value> {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let exe = std::env::current_exe().expect("own path");
    let mut child = tokio::process::Command::new(exe)
        .arg("floor-serve")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start the floor server");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut lines = tokio::io::BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = lines.next_line().await.ok()??;
    let url = format!("ws://{addr}/");
    let tokens = vec![String::new(); subscribers];
    let clients = Clients::connect(&url, tokens, releases, None).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut sent = HashMap::new();
    let mut order = Vec::with_capacity(releases);
    for _ in 0..releases {
        let id = uuid::Uuid::now_v7().to_string();
        let t = Instant::now();
        stdin.write_all(format!("{id}\n").as_bytes()).await.ok()?;
        stdin.flush().await.ok()?;
        order.push(id.clone());
        sent.insert(id, t);
        // The same spacing as the fan-out's publications (about 100 ms each, then 200 ms).
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let connect_secs = clients.connect_secs;
    let latencies = clients.latencies(&sent).await;
    let lat = &latencies.all;
    drop(stdin);
    let _ = child.kill().await;
    let expected = subscribers * releases;
    Some(
        json!({"scenario": "floor", "backend": "none", "subscribers": subscribers, "releases": releases,
                "received": lat.len(), "lost": expected - lat.len(),
                "latency_ms_p50": pct(lat, 50.0), "latency_ms_p95": pct(lat, 95.0), "latency_ms_p99": pct(lat, 99.0), "latency_ms_max": pct(lat, 100.0),
                "latency_ms_p99_by_release": latencies.p99_by_release(&order),
                "connect_seconds": connect_secs, "machine": machine()}),
    )
}

/// The floor's server: accepts graphql-transport-ws connections (acknowledges
/// `connection_init`, remembers the subscription id), and for every line on standard input
/// (a release id) sends each subscriber one `next` frame carrying it.
// The handshake callback's error type is tungstenite's own (an HTTP response).
#[allow(clippy::result_large_err)]
async fn floor_serve() -> anyhow::Result<()> {
    use futures::SinkExt;
    use tokio::io::AsyncBufReadExt;
    use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};
    use tokio_tungstenite::tungstenite::http::HeaderValue;
    use tokio_tungstenite::tungstenite::Message;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?);
    let (tx, _) = tokio::sync::broadcast::channel::<tokio_tungstenite::tungstenite::Utf8Bytes>(512);
    let sender = tx.clone();
    tokio::spawn(async move {
        let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
        while let Ok(Some(id)) = lines.next_line().await {
            let frame = format!(
                r#"{{"id":"f","type":"next","payload":{{"data":{{"releasePublished":{{"cursor":"0000000000000001","release":{{"id":"{id}"}}}}}}}}}}"#
            );
            let _ = sender.send(frame.into());
        }
        std::process::exit(0);
    });
    loop {
        let (tcp, _) = listener.accept().await?;
        let _ = tcp.set_nodelay(true);
        let mut rx = tx.subscribe();
        tokio::spawn(async move {
            let protocol = |_: &Request, mut resp: Response| {
                resp.headers_mut().insert(
                    "Sec-WebSocket-Protocol",
                    HeaderValue::from_static("graphql-transport-ws"),
                );
                Ok(resp)
            };
            let Ok(mut ws) = tokio_tungstenite::accept_hdr_async(tcp, protocol).await else {
                return;
            };
            loop {
                tokio::select! {
                    m = ws.next() => match m {
                        Some(Ok(Message::Text(t))) if t.contains("connection_init") => {
                            if ws.send(Message::Text(r#"{"type":"connection_ack"}"#.into())).await.is_err() { return; }
                        }
                        Some(Ok(_)) => {}
                        _ => return,
                    },
                    f = rx.recv() => match f {
                        Ok(frame) => if ws.send(Message::Text(frame)).await.is_err() { return; },
                        Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                        Err(_) => return,
                    },
                }
            }
        });
    }
}

/// The release id in a `next` frame of `releasePublished { cursor release { id } }`, without
/// building a JSON tree (the frame's shape is known).
fn release_id(frame: &str) -> Option<&str> {
    let at = frame.find("\"release\":{\"id\":\"")? + "\"release\":{\"id\":\"".len();
    let len = frame[at..].find('"')?;
    Some(&frame[at..at + len])
}

fn rss_of(pid: u32) -> Option<u64> {
    pressnet_tests::cluster::rss_kib(pid)
}

const READ_QUERY: &str = "{ releases(first: 20) { totalCount edges { node { id title publishedAt unit { id name } deliveryStats { targeted pending delivered acknowledged failed } } } } }";

/// `clients` concurrent clients asking for the newest 20 releases with their unit and delivery
/// figures, for `seconds`.
async fn read(backend: Backend, clients: usize, seconds: u64) -> Option<Value> {
    let (app, unit, sp) = app_with_unit(backend).await?;
    seed(&app.ctx, 50, 0).await.expect("seed");
    let g = app.gql_as(&sp);
    for i in 0..40 {
        publish_now(
            &g,
            &unit,
            &format!("Thông cáo {i}"),
            json!({"allAccredited": true}),
        )
        .await;
    }
    let admin = app.admin().await;
    let url = format!("{}/graphql", app.base);
    let body = serde_json::to_vec(&json!({"query": READ_QUERY})).expect("json");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("client");
    // Warm-up.
    for _ in 0..20 {
        one_read(&http, &url, &admin, &body).await;
    }
    let stop = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, admin, body) = (http.clone(), url.clone(), admin.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < stop {
                let t = Instant::now();
                if one_read(&http, &url, &admin, &body).await {
                    lat.push(t.elapsed().as_secs_f64() * 1000.0);
                } else {
                    errors += 1;
                }
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            lat.extend(l);
            errors += e;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    Some(
        json!({"scenario": "read", "backend": format!("{backend:?}"), "clients": clients, "seconds": secs,
        "requests": lat.len(), "errors": errors, "rps": lat.len() as f64 / secs,
        "latency_ms_p50": pct(&lat, 50.0), "latency_ms_p99": pct(&lat, 99.0), "machine": machine()}),
    )
}

async fn one_read(http: &reqwest::Client, url: &str, token: &str, body: &[u8]) -> bool {
    let r = http
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await;
    match r {
        Ok(r) if r.status().is_success() => match r.bytes().await {
            Ok(b) => !b.windows(8).any(|w| w == b"\"errors\"".as_slice()),
            Err(_) => false,
        },
        _ => false,
    }
}

/// One release to `n` newsrooms; the e-mail worker sends them to a local SMTP server.
async fn email(backend: Backend, n: usize) -> Option<Value> {
    let smtp = TestSmtp::start();
    let smtp_url = smtp.url();
    let app = TestApp::spawn_with(backend, |c| c.smtp_url = Some(smtp_url)).await?;
    let admin = app.admin().await;
    let a = app.gql_as(&admin);
    let unit = create_unit(&a, "UBND-TINH", "Ủy ban nhân dân tỉnh", "PROVINCE").await;
    register_spokesperson(&a, &unit, "Nguyễn Văn Thắng", "phatngon@ubnd.vn").await;
    let sp = app.login("phatngon@ubnd.vn", PASSWORD).await;
    // The spokesperson's own invitation mail goes first; wait for a quiet outbox.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = smtp.messages().len();
    seed(&app.ctx, n, 0).await.expect("seed");
    let t = Instant::now();
    publish_now(
        &app.gql_as(&sp),
        &unit,
        "Thông cáo gửi thư",
        json!({"allAccredited": true}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(120);
    while smtp.messages().len() < before + n && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let secs = t.elapsed().as_secs_f64();
    let got = smtp.messages().len() - before;
    Some(
        json!({"scenario": "email", "backend": format!("{backend:?}"), "recipients": n, "received": got,
        "seconds": secs, "per_second": got as f64 / secs, "machine": machine()}),
    )
}

/// The heaviest requests one person may send: see `pressnet_tests::bench_abuse`. The server
/// runs as its own process, so its memory and temporary files are its own.
async fn abuse(backend: Backend, size: &[u64]) -> Option<Value> {
    let (mut app, _unit, _sp) = app_with_unit(backend).await?;
    let seeded = seed(&app.ctx, 8, 8).await.expect("seed");
    app.stop().await;
    let mut server = server_process(&app.db.url, &[]).await;
    let pid = server.pid().expect("server pid");
    let at = |i: usize, d: u64| size.get(i).copied().unwrap_or(d);
    let mut v = crate::abuse::run(
        &server.base,
        pid,
        &seeded.tokens,
        at(0, 20) as usize,
        at(1, 200),
        at(2, 8) as usize,
        at(3, 5) as f64,
    )
    .await;
    server.terminate().await;
    v["scenario"] = json!("abuse");
    v["backend"] = json!(format!("{backend:?}"));
    Some(v)
}

/// Source material: see `pressnet_tests::bench_files`. The server runs as its own process
/// (its memory apart from the clients'), on a directory storage.
async fn files(backend: Backend, upload_mb: u64, download_mb: u64, n: usize) -> Option<Value> {
    let (mut app, unit, sp) = app_with_unit(backend).await?;
    let seeded = seed(&app.ctx, n, n).await.expect("seed");
    app.stop().await;
    let dir = tempfile::tempdir().expect("a directory");
    let storage = format!("file://{}", dir.path().join("store").display());
    let limit = (upload_mb.max(download_mb) + 16).to_string();
    let mut server = server_process(
        &app.db.url,
        &[
            ("PRESSNET_STORAGE_URL", storage),
            ("PRESSNET_MAX_UPLOAD_MB", limit),
        ],
    )
    .await;
    let g = server.gql(&sp);
    let mut v = crate::files::run(
        &server,
        &g,
        &sp,
        &unit,
        &seeded.tokens,
        dir.path(),
        upload_mb,
        download_mb,
    )
    .await;
    server.terminate().await;
    v["scenario"] = json!("files");
    v["backend"] = json!(format!("{backend:?}"));
    v["machine"] = machine();
    Some(v)
}

/// Newsroom systems: see `pressnet_tests::bench_webhooks`.
async fn webhooks(backend: Backend, n: usize) -> Option<Value> {
    let (app, unit, sp) = app_with_unit(backend).await?;
    let seeded = seed(&app.ctx, n, 0).await.expect("seed");
    let g = app.gql_as(&sp);
    let mut v = crate::webhooks::run(&app, &g, &unit, &seeded.outlet_ids).await;
    v["scenario"] = json!("webhooks");
    v["backend"] = json!(format!("{backend:?}"));
    v["machine"] = machine();
    Some(v)
}

/// Watching outlets' feeds: see `pressnet_tests::bench_monitoring`.
async fn monitoring(backend: Backend, feeds: usize, articles: usize) -> Option<Value> {
    let app = TestApp::spawn(backend).await?;
    let seeded = seed(&app.ctx, feeds.max(1), 0).await.expect("seed");
    let mut v = crate::monitoring::run(&app, &seeded.outlet_ids, feeds, articles).await;
    v["scenario"] = json!("monitoring");
    v["backend"] = json!(format!("{backend:?}"));
    v["machine"] = machine();
    Some(v)
}

/// The compliance report over a year of a large province.
async fn report(backend: Backend, units: usize, outlets: usize, releases: usize) -> Option<Value> {
    let app = TestApp::spawn(backend).await?;
    let seeded = seed(&app.ctx, outlets, outlets.min(300))
        .await
        .expect("seed");
    let end = app.clock.now();
    let t = Instant::now();
    let rows = seed_year(&app.ctx, &seeded, units, releases, outlets, end)
        .await
        .expect("seed year");
    let seed_secs = t.elapsed().as_secs_f64();
    let admin = app.admin().await;
    let g = app.gql_as(&admin);
    let q = "query($f:DateTime!,$t:DateTime!){ complianceReport(from:$f,to:$t){ unit { id } releasesPublished deliveryCoverage medianResponseHours inquiriesOverdue } }";
    let mut ms = Vec::new();
    let mut unit_rows = 0;
    for i in 0..6 {
        // A period a millisecond longer each time: the server keeps a viewer's identical query
        // for a second, and a cached answer measures nothing.
        let to = end + chrono::Duration::milliseconds(i);
        let vars =
            json!({"f": (end - chrono::Duration::days(365)).to_rfc3339(), "t": to.to_rfc3339()});
        let t = Instant::now();
        let r = g.run(q, vars).await;
        let took = t.elapsed().as_secs_f64() * 1000.0;
        unit_rows = r.data()["complianceReport"]
            .as_array()
            .map(Vec::len)
            .unwrap_or(0);
        if i > 0 {
            ms.push(took);
        }
    }
    ms.sort_by(f64::total_cmp);
    // An operator's scrape of the same year: `/metrics` reports the whole log by channel and
    // status.
    let http = reqwest::Client::new();
    let mut scrape_ms = Vec::new();
    for i in 0..6 {
        let t = Instant::now();
        let ok = http
            .get(format!("{}/metrics", app.base))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        let took = t.elapsed().as_secs_f64() * 1000.0;
        assert!(ok, "GET /metrics failed");
        if i > 0 {
            scrape_ms.push(took);
        }
    }
    scrape_ms.sort_by(f64::total_cmp);
    Some(
        json!({"scenario": "report", "backend": format!("{backend:?}"), "units": units, "outlets": outlets,
        "releases": releases, "delivery_rows": rows, "unit_rows": unit_rows, "seed_seconds": seed_secs,
        "report_ms_p50": pct(&ms, 50.0), "report_ms_max": pct(&ms, 100.0),
        "metrics_scrape_ms_p50": pct(&scrape_ms, 50.0), "metrics_scrape_ms_max": pct(&scrape_ms, 100.0),
        "machine": machine()}),
    )
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

fn table(results: &[Value]) -> String {
    let mut s =
        String::from("| scenario | backend | size | figures |\n| --- | --- | --- | --- |\n");
    for r in results {
        let (size, figs) = match r["scenario"].as_str() {
            Some("publication") => (
                format!("{} outlets", r["outlets"]),
                format!("publish p50 {:.1} ms, max {:.1} ms ({} LIVE + {} EMAIL log rows per release)", f(&r["publish_ms_p50"]), f(&r["publish_ms_max"]), r["log_rows_per_release"], r["log_rows_per_release"]),
            ),
            Some("fanout") => (
                format!("{} subscribers x {} releases", r["subscribers"], r["releases"]),
                // Resident totals too: a few thousand connections can fit in memory the
                // allocator had already committed, which reads as 0 per connection.
                format!("p50 {:.1} / p95 {:.1} / p99 {:.1} / max {:.1} ms; lost {}; server RSS {:.1} KiB per connection ({:.0} MiB idle, {:.0} MiB connected); publish p50 {:.1} ms",
                    f(&r["latency_ms_p50"]), f(&r["latency_ms_p95"]), f(&r["latency_ms_p99"]),
                    f(&r["latency_ms_max"]), r["lost"], f(&r["server_rss_bytes_per_connection"]) / 1024.0,
                    f(&r["server_rss_kib_before"]) / 1024.0, f(&r["server_rss_kib_connected"]) / 1024.0, f(&r["publish_ms_p50"])),
            ),
            Some("floor") => (
                format!("{} subscribers x {} releases", r["subscribers"], r["releases"]),
                format!("p50 {:.1} / p95 {:.1} / p99 {:.1} / max {:.1} ms; lost {} (bare tokio-tungstenite broadcast, no database: the machine's floor)",
                    f(&r["latency_ms_p50"]), f(&r["latency_ms_p95"]), f(&r["latency_ms_p99"]), f(&r["latency_ms_max"]), r["lost"]),
            ),
            Some("read") => (
                format!("{} clients, {:.0} s", r["clients"], f(&r["seconds"])),
                format!("{:.0} requests/s; p50 {:.1} ms, p99 {:.1} ms; {} errors", f(&r["rps"]), f(&r["latency_ms_p50"]), f(&r["latency_ms_p99"]), r["errors"]),
            ),
            Some("email") => (
                format!("{} recipients", r["recipients"]),
                format!("{:.0} messages/s ({} received in {:.2} s)", f(&r["per_second"]), r["received"], f(&r["seconds"])),
            ),
            Some("reorganization") => (
                format!("{} merged of {} units, {} releases", r["merged"], r["units"], r["releases"]),
                format!("reorganizeUnits {:.0} ms ({} open questions moved); compliance report for the year spanning it p50 {:.1} ms, max {:.1} ms ({} unit rows)",
                    f(&r["reorganize_ms"]), r["open_items_moved"], f(&r["report_ms_p50"]), f(&r["report_ms_max"]), r["unit_rows"]),
            ),
            Some("report") => (
                format!("{} units, {} outlets, {} releases, {} delivery rows", r["units"], r["outlets"], r["releases"], r["delivery_rows"]),
                format!(
                    "report p50 {:.2} ms, max {:.2} ms; `/metrics` scrape p50 {:.2} ms, max {:.2} ms",
                    f(&r["report_ms_p50"]),
                    f(&r["report_ms_max"]),
                    f(&r["metrics_scrape_ms_p50"]),
                    f(&r["metrics_scrape_ms_max"])
                ),
            ),
            Some("files") => (
                format!("{} MiB up; {} x {} MiB down", r["upload_mb"], r["downloaders"], r["download_mb"]),
                format!(
                    "upload {:.0} MiB/s, server RSS +{:.1} MiB; downloads {:.0} MiB/s in all, RSS +{:.1} MiB; floors: {} {:.0} MiB/s ({:.2}x its time), nginx sendfile {:.0} MiB/s ({:.2}x)",
                    f(&r["upload_mib_per_second"]),
                    f(&r["upload_rss_growth_mib"]),
                    f(&r["download_mib_per_second"]),
                    f(&r["download_rss_growth_mib"]),
                    r["floor"].as_str().unwrap_or(""),
                    f(&r["floor_mib_per_second"]),
                    f(&r["ratio_to_floor"]),
                    f(&r["nginx_mib_per_second"]),
                    f(&r["ratio_to_nginx"])
                ),
            ),
            Some("webhooks") => (
                format!("{} outlets x 1 endpoint", r["outlets"]),
                format!(
                    "every POST answered {:.2} s after the publication began (p50 of 3); floor (bare client, same POSTs, 16 per host) {:.2} s, ratio {:.2}; publish p50 {:.1} ms with endpoints, {:.1} ms without (server-side commit {:.1} / {:.1} ms); lost {}",
                    f(&r["all_posts_seconds_p50"]),
                    f(&r["floor_seconds"]),
                    f(&r["ratio_to_floor"]),
                    f(&r["publish_ms_with_webhooks_p50"]),
                    f(&r["publish_ms_without_webhooks_p50"]),
                    f(&r["commit_ms_with_webhooks_mean"]),
                    f(&r["commit_ms_without_webhooks_mean"]),
                    r["lost"]
                ),
            ),
            Some("monitoring") => (
                format!("{} feeds x 20 items; 2,000 releases x 10,000 articles; {} articles searched", r["polling"]["feeds"], r["search"]["articles"]),
                format!(
                    "poll {:.2} s ({} stored; floor, bare client with the same politeness, {:.2} s, ratio {:.2}); matching {:.0} ms (+{:.0} ms index); search p50 {:.1} ms, max {:.1} ms; text threshold {}: precision {:.2}, recall {:.2}",
                    f(&r["polling"]["poll_seconds"]),
                    r["polling"]["articles_stored"],
                    f(&r["polling"]["floor_seconds"]),
                    f(&r["polling"]["ratio_to_floor"]),
                    f(&r["matching"]["match_ms"]),
                    f(&r["matching"]["index_ms"]),
                    f(&r["search"]["search_ms_p50"]),
                    f(&r["search"]["search_ms_max"]),
                    r["labelled"]["chosen"],
                    r["labelled"]["rows"].as_array().and_then(|rows| rows.iter().find(|x| x["threshold"] == r["labelled"]["chosen"])).map(|x| f(&x["precision"])).unwrap_or(0.0),
                    r["labelled"]["rows"].as_array().and_then(|rows| rows.iter().find(|x| x["threshold"] == r["labelled"]["chosen"])).map(|x| f(&x["recall"])).unwrap_or(0.0),
                ),
            ),
            Some("abuse") => (
                format!("{} anonymous uploads x {} MiB; {} clients of budget-filling previews", r["uploads"], r["upload_mib_each"], r["heavy_clients"]),
                format!(
                    "uploads answered {} in {:.2} s, RSS +{} MiB over {} MiB idle, largest temporary file {:.1} MiB; previews {} answered, {} refused, RSS +{} MiB; /healthz p99 {:.1} ms under load (max {:.1}) vs {:.1} ms idle (ratio {:.1})",
                    r["upload_answers"],
                    f(&r["upload_seconds"]),
                    r["upload_rss_over_idle_mib"],
                    r["idle_rss_mib"],
                    f(&r["largest_temp_file_mib"]),
                    r["heavy_requests_answered"],
                    r["heavy_requests_refused"],
                    r["heavy_rss_over_idle_mib"],
                    f(&r["healthz_busy_ms"]["p99"]),
                    f(&r["healthz_busy_ms"]["max"]),
                    f(&r["healthz_idle_ms"]["p99"]),
                    f(&r["healthz_p99_ratio"]),
                ),
            ),
            _ => (String::new(), r.to_string()),
        };
        s.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r["scenario"].as_str().unwrap_or(""),
            r["backend"].as_str().unwrap_or(""),
            size,
            figs
        ));
    }
    s
}

fn main() -> anyhow::Result<()> {
    // `pressnet-bench serve …` is the pressnet server itself, for the separate-process runs.
    if std::env::args().nth(1).as_deref() == Some("serve") {
        let rt = tokio::runtime::Runtime::new()?;
        pressnet_server::telemetry::init();
        return rt.block_on(pressnet_server::cli::run(
            <pressnet_server::cli::Cli as clap::Parser>::parse(),
        ));
    }
    if std::env::args().nth(1).as_deref() == Some("floor-serve") {
        return tokio::runtime::Runtime::new()?.block_on(floor_serve());
    }
    if std::env::var_os("RUST_LOG").is_some() {
        pressnet_server::telemetry::init();
    }
    tokio::runtime::Runtime::new()?.block_on(bench())
}

async fn bench() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.quick {
        args.outlets = vec![100, 1000];
        args.subscribers = vec![200];
        args.releases = 5;
        args.read_seconds = 2;
        args.clients = 16;
        args.emails = 100;
        args.report_size = vec![20, 60, 1000];
        args.files_size = vec![64, 32, 8];
        args.webhook_outlets = 200;
        args.monitoring_size = vec![100, 20_000];
        args.abuse_size = vec![4, 16, 2, 1];
        args.reorganization_size = vec![60, 1000, 200];
    }
    let backends: Vec<Backend> = match args.backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![Backend::Postgres],
        _ => vec![Backend::Sqlite, Backend::Postgres],
    };
    let want = |s: &str| args.scenarios.iter().any(|x| x == s);
    let mut results = Vec::new();
    let mut lost_total = 0u64;
    let mut emit = |v: Option<Value>, results: &mut Vec<Value>| {
        if let Some(v) = v {
            lost_total += v["lost"].as_u64().unwrap_or(0);
            if v["scenario"] == "email" {
                lost_total +=
                    v["recipients"].as_u64().unwrap_or(0) - v["received"].as_u64().unwrap_or(0);
            }
            println!("{v}");
            results.push(v);
        }
    };
    for &b in &backends {
        if b == Backend::Postgres && std::env::var(POSTGRES_ENV).is_err() {
            eprintln!("PostgreSQL rows not measured: set {POSTGRES_ENV}");
            continue;
        }
        if want("publication") {
            for &n in &args.outlets {
                emit(publication(b, n).await, &mut results);
            }
        }
        if want("fanout") {
            for &n in &args.subscribers {
                emit(fanout(b, n, args.releases).await, &mut results);
            }
        }
        if want("floor") && b == Backend::Sqlite {
            // The machine's floor for the same clients (no database: measured once).
            for &n in &args.subscribers {
                emit(floor(n, args.releases).await, &mut results);
            }
        }
        if want("read") {
            emit(read(b, args.clients, args.read_seconds).await, &mut results);
        }
        if want("email") {
            emit(email(b, args.emails).await, &mut results);
        }
        if want("files") {
            let (up, down, n) = (
                args.files_size[0],
                args.files_size.get(1).copied().unwrap_or(500),
                args.files_size.get(2).copied().unwrap_or(50),
            );
            emit(files(b, up, down, n as usize).await, &mut results);
        }
        if want("webhooks") {
            emit(webhooks(b, args.webhook_outlets).await, &mut results);
        }
        if want("monitoring") {
            let feeds = args.monitoring_size[0];
            let articles = args.monitoring_size.get(1).copied().unwrap_or(1_000_000);
            emit(monitoring(b, feeds, articles).await, &mut results);
        }
        if want("abuse") {
            emit(abuse(b, &args.abuse_size).await, &mut results);
        }
        if want("reorganization") {
            let (u, r, o) = (
                args.reorganization_size[0],
                args.reorganization_size.get(1).copied().unwrap_or(10_000),
                args.reorganization_size.get(2).copied().unwrap_or(2_000),
            );
            emit(
                reorganization::reorganization(b, u, r, o).await,
                &mut results,
            );
        }
        if want("report") {
            let (u, o, r) = (
                args.report_size[0],
                args.report_size.get(1).copied().unwrap_or(300),
                args.report_size.get(2).copied().unwrap_or(20000),
            );
            emit(report(b, u, o, r).await, &mut results);
        }
    }
    if args.out != "-" {
        write_table(&args.out, &table(&results))?;
    }
    if lost_total > 0 {
        anyhow::bail!("{lost_total} items lost");
    }
    Ok(())
}

const START: &str = "<!-- bench:start -->";
const END: &str = "<!-- bench:end -->";

/// Replaces the table between the markers in `path`, keeping the rest of the file (the
/// hand-written figures and notes); a file without markers gets them appended.
fn write_table(path: &str, table: &str) -> anyhow::Result<()> {
    let section = format!("{START}\nMachine: {}.\n\n{table}{END}", machine());
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(START), old.find(END)) {
        (Some(a), Some(b)) if a < b => format!("{}{section}{}", &old[..a], &old[b + END.len()..]),
        _ => format!("{old}\n## Latest run\n\n{section}\n"),
    };
    std::fs::write(path, new)?;
    Ok(())
}
