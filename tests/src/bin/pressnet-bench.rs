//! pressnet-bench: drives a real pressnet server with real clients and prints one JSON object
//! per scenario, then writes the table in BENCHMARKS.md.
//!
//! Scenarios: publication cost (one release to N outlets, delivery log written in the same
//! transaction) and fan-out (N journalists connected over graphql-transport-ws, M releases:
//! publish-to-receive latency, items lost, memory per connection). Each on SQLite and, when
//! PRESSNET_TEST_POSTGRES is set, on PostgreSQL.
use clap::Parser;
use futures::StreamExt;
use pressnet_tests::bench::{pct, rss_kib, seed};
use pressnet_tests::ws::WsClient;
use pressnet_tests::*;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Mutex};

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

async fn fanout(backend: Backend, subscribers: usize, releases: usize) -> Option<Value> {
    let (app, unit, sp) = app_with_unit(backend).await?;
    let outlets = subscribers.clamp(1, 1000);
    let seeded = seed(&app.ctx, outlets, subscribers).await.expect("seed");
    let rss_before = rss_kib();
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Instant)>();
    let ready = Arc::new(tokio::sync::Semaphore::new(0));
    let url = app.ws_url();
    let tokens = Arc::new(Mutex::new(seeded.tokens.clone()));
    let mut handles = Vec::new();
    for _ in 0..subscribers {
        let tx = tx.clone();
        let ready = ready.clone();
        let url = url.clone();
        let token = tokens.lock().await.pop().unwrap_or_default();
        handles.push(tokio::spawn(async move {
            let mut c = match WsClient::connect(&url, &token).await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("connect failed: {e}");
                    ready.add_permits(1);
                    return;
                }
            };
            c.subscribe(
                "f",
                "subscription{ releasePublished { cursor release { id } } }",
                json!({}),
            )
            .await;
            ready.add_permits(1);
            while let Some(Ok(msg)) = c.socket.next().await {
                if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                    let now = Instant::now();
                    if let Ok(v) = serde_json::from_str::<Value>(&t) {
                        if let Some(id) =
                            v["payload"]["data"]["releasePublished"]["release"]["id"].as_str()
                        {
                            let _ = tx.send((id.to_owned(), now));
                        }
                    }
                }
            }
        }));
        // Connect in waves so the accept queue is not flooded.
        if handles.len() % 200 == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    drop(tx);
    let _ = ready.acquire_many(subscribers as u32).await.expect("ready");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_connected = rss_kib();
    let g = app.gql_as(&sp);
    let mut sent: HashMap<String, Instant> = HashMap::new();
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
        sent.insert(id, t);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let expected = subscribers * releases;
    let mut lat = Vec::with_capacity(expected);
    let deadline = Instant::now() + Duration::from_secs(30);
    while lat.len() < expected {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Some((id, at))) => {
                if let Some(t) = sent.get(&id) {
                    lat.push((at - *t).as_secs_f64() * 1000.0);
                }
            }
            _ => break,
        }
    }
    for h in handles {
        h.abort();
    }
    lat.sort_by(f64::total_cmp);
    let per_conn = (rss_connected.saturating_sub(rss_before)) as f64 * 1024.0 / subscribers as f64;
    Some(
        json!({"scenario": "fanout", "backend": format!("{backend:?}"), "subscribers": subscribers, "releases": releases,
                "received": lat.len(), "lost": expected - lat.len(),
                "latency_ms_p50": pct(&lat, 50.0), "latency_ms_p95": pct(&lat, 95.0), "latency_ms_p99": pct(&lat, 99.0), "latency_ms_max": pct(&lat, 100.0),
                "rss_bytes_per_connection_incl_client": per_conn.round(), "machine": machine()}),
    )
}

fn table(results: &[Value]) -> String {
    let mut s =
        String::from("| scenario | backend | size | figures |\n| --- | --- | --- | --- |\n");
    for r in results {
        let (size, figs) = match r["scenario"].as_str() {
            Some("publication") => (
                format!("{} outlets", r["outlets"]),
                format!("publish p50 {:.1} ms, max {:.1} ms ({} log rows per release)", r["publish_ms_p50"].as_f64().unwrap_or(0.0), r["publish_ms_max"].as_f64().unwrap_or(0.0), r["log_rows_per_release"]),
            ),
            Some("fanout") => (
                format!("{} subscribers x {} releases", r["subscribers"], r["releases"]),
                format!("p50 {:.1} / p95 {:.1} / p99 {:.1} / max {:.1} ms; lost {}; {:.0} B RSS per connection (server and client in one process)",
                    r["latency_ms_p50"].as_f64().unwrap_or(0.0), r["latency_ms_p95"].as_f64().unwrap_or(0.0), r["latency_ms_p99"].as_f64().unwrap_or(0.0),
                    r["latency_ms_max"].as_f64().unwrap_or(0.0), r["lost"], r["rss_bytes_per_connection_incl_client"].as_f64().unwrap_or(0.0)),
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    if args.quick {
        args.outlets = vec![100, 1000];
        args.subscribers = vec![200];
        args.releases = 5;
    }
    let backends: Vec<Backend> = match args.backend.as_str() {
        "sqlite" => vec![Backend::Sqlite],
        "postgres" => vec![Backend::Postgres],
        _ => vec![Backend::Sqlite, Backend::Postgres],
    };
    let mut results = Vec::new();
    let mut lost_total = 0u64;
    for &b in &backends {
        for &n in &args.outlets {
            match publication(b, n).await {
                Some(v) => {
                    println!("{v}");
                    results.push(v);
                }
                None => eprintln!("{b:?}: skipped (set {POSTGRES_ENV})"),
            }
        }
        for &n in &args.subscribers {
            if let Some(v) = fanout(b, n, args.releases).await {
                lost_total += v["lost"].as_u64().unwrap_or(0);
                println!("{v}");
                results.push(v);
            }
        }
    }
    if args.out != "-" {
        let md = format!(
            "# Benchmarks\n\nWritten by `pressnet-bench` (`cargo run --release -p pressnet-tests --bin pressnet-bench`). Machine: {}.\n\n{}",
            machine(),
            table(&results)
        );
        std::fs::write(&args.out, md)?;
    }
    if lost_total > 0 {
        anyhow::bail!("{lost_total} items lost");
    }
    Ok(())
}
