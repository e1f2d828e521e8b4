//! pressnet-bench's abuse scenario (issue 30): what the heaviest requests one person may send
//! cost the server that runs as its own process.
//!
//! - Anonymous uploads: `uploads` multipart requests of `upload_mib` MiB each, at once, streamed
//!   by the client. The server's resident memory is sampled throughout (its peak against idle)
//!   and so are the temporary files it holds open (`/proc/<pid>/fd`: the largest seen).
//! - `/healthz` while the heaviest allowed requests run: `clients` journalists each sending, in
//!   a loop, one request of budget-filling Markdown previews (25 aliases of 190 KB). The floor is
//!   `/healthz` measured the same way on the same idle server, in the same run.
use crate::files::RssSampler;
use pressnet_tests::cluster::rss_kib;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// The largest unnamed temporary file the process holds open (an upload spooled to disk is
/// one: created and unlinked at once, so `/proc/<pid>/fd` shows it "(deleted)"), in bytes.
fn largest_temp_file(pid: u32) -> u64 {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return 0;
    };
    fds.filter_map(Result::ok)
        .filter(|e| {
            std::fs::read_link(e.path())
                .map(|t| t.to_string_lossy().contains("(deleted)"))
                .unwrap_or(false)
        })
        .filter_map(|e| std::fs::metadata(e.path()).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .max()
        .unwrap_or(0)
}

/// A multipart body that claims to carry one file of `mib` MiB, streamed as it is sent.
fn anonymous_upload(base: &str, mib: u64) -> impl std::future::Future<Output = String> {
    let boundary = "pressnetbench";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n\
         {{\"query\":\"mutation($f:Upload!){{ addAttachment(releaseId:\\\"00000000-0000-0000-0000-000000000000\\\", file:$f){{ id }} }}\",\"variables\":{{\"f\":null}}}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{{\"0\":[\"variables.f\"]}}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"0\"; filename=\"big.bin\"\r\n\r\n"
    );
    let chunk = bytes::Bytes::from(vec![b'x'; 1 << 20]);
    let chunks = futures::stream::iter(
        std::iter::once(Ok::<_, std::io::Error>(bytes::Bytes::from(head)))
            .chain((0..mib).map(move |_| Ok(chunk.clone())))
            .chain(std::iter::once(Ok(bytes::Bytes::from(format!(
                "\r\n--{boundary}--\r\n"
            ))))),
    );
    let req = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(reqwest::Body::wrap_stream(chunks))
        .send();
    async move {
        match req.await {
            Ok(r) => r.status().as_u16().to_string(),
            // The server answers without reading the body and closes: the client may see
            // its write fail before it reads the answer.
            Err(e) => {
                if e.is_request() || e.is_body() {
                    "closed".to_owned()
                } else {
                    format!("error: {e}")
                }
            }
        }
    }
}

/// `/healthz` latencies (ms) sampled every 50 ms for `secs`.
async fn healthz(base: &str, secs: f64) -> Vec<f64> {
    let http = reqwest::Client::new();
    let until = Instant::now() + Duration::from_secs_f64(secs);
    let mut out = Vec::new();
    while Instant::now() < until {
        let t = Instant::now();
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            out.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    out
}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

/// The heaviest read one journalist may send: Markdown previews filling the budget.
pub const HEAVY_ALIASES: usize = 25;

fn heavy_body() -> Vec<u8> {
    // 74 bytes x 2,600 = 192 KB: 10 + 187 points an alias, 25 aliases = 4,925 of 5,000.
    let text = "Đoạn **văn** dài với [liên kết](https://example.vn) và `mã`.\n\n".repeat(2_600);
    let fields: String = (0..HEAVY_ALIASES)
        .map(|i| format!("a{i}: renderMarkdown(markdown:$m) "))
        .collect();
    serde_json::to_vec(&json!({
        "query": format!("query($m:String!){{ {fields} }}"),
        "variables": {"m": text},
    }))
    .unwrap_or_default()
}

/// Runs both parts against a server at `base` (process `pid`); `tokens` are journalists'.
pub async fn run(
    base: &str,
    pid: u32,
    tokens: &[String],
    uploads: usize,
    upload_mib: u64,
    clients: usize,
    seconds: f64,
) -> Value {
    // Warm up, then the idle figures (the floor of the /healthz part).
    let _ = healthz(base, 0.5).await;
    let idle_kib = rss_kib(pid).unwrap_or(0);
    let mut idle = healthz(base, seconds).await;

    // Anonymous uploads, all at once.
    let sampler = RssSampler::start(pid);
    let temp_peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let watching = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let watcher = {
        let (peak, on) = (temp_peak.clone(), watching.clone());
        tokio::spawn(async move {
            while on.load(std::sync::atomic::Ordering::Relaxed) {
                peak.fetch_max(largest_temp_file(pid), std::sync::atomic::Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
    };
    let t = Instant::now();
    let answers =
        futures::future::join_all((0..uploads).map(|_| anonymous_upload(base, upload_mib))).await;
    let upload_secs = t.elapsed().as_secs_f64();
    watching.store(false, std::sync::atomic::Ordering::Relaxed);
    let _ = watcher.await;
    let upload_peak_kib = sampler.finish().await;
    let mut statuses: std::collections::BTreeMap<String, usize> = Default::default();
    for a in answers {
        *statuses.entry(a).or_default() += 1;
    }

    // The heaviest allowed reads, while /healthz is sampled.
    let body = heavy_body();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut load = Vec::new();
    for i in 0..clients {
        let (body, stop, base) = (body.clone(), stop.clone(), base.to_owned());
        let token = tokens
            .get(i % tokens.len().max(1))
            .cloned()
            .unwrap_or_default();
        load.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let (mut ok, mut refused) = (0u64, 0u64);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = http
                    .post(format!("{base}/graphql"))
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await;
                match r {
                    Ok(r) => match r.json::<Value>().await {
                        Ok(v) if v["errors"].is_null() => ok += 1,
                        _ => refused += 1,
                    },
                    Err(_) => refused += 1,
                }
            }
            (ok, refused)
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let load_sampler = RssSampler::start(pid);
    let mut busy = healthz(base, seconds).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut heavy_ok, mut heavy_refused) = (0, 0);
    for l in load {
        if let Ok((o, r)) = l.await {
            heavy_ok += o;
            heavy_refused += r;
        }
    }
    let load_peak_kib = load_sampler.finish().await;
    let (idle_p50, idle_p99) = (quantile(&mut idle, 0.5), quantile(&mut idle, 0.99));
    let (busy_p50, busy_p99, busy_max) = (
        quantile(&mut busy, 0.5),
        quantile(&mut busy, 0.99),
        quantile(&mut busy, 1.0),
    );
    json!({
        "idle_rss_mib": idle_kib / 1024,
        "uploads": uploads,
        "upload_mib_each": upload_mib,
        "upload_answers": statuses,
        "upload_seconds": (upload_secs * 100.0).round() / 100.0,
        "upload_rss_over_idle_mib": upload_peak_kib.saturating_sub(idle_kib) / 1024,
        "largest_temp_file_mib": temp_peak.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1048576.0,
        "heavy_clients": clients,
        "heavy_requests_answered": heavy_ok,
        "heavy_requests_refused": heavy_refused,
        "heavy_rss_over_idle_mib": load_peak_kib.saturating_sub(idle_kib) / 1024,
        "healthz_idle_ms": {"p50": idle_p50, "p99": idle_p99},
        "healthz_busy_ms": {"p50": busy_p50, "p99": busy_p99, "max": busy_max},
        "healthz_p99_ratio": if idle_p99 > 0.0 { (busy_p99 / idle_p99 * 10.0).round() / 10.0 } else { 0.0 },
    })
}
