//! pressnet-bench's source-material scenario (issue 18): a large upload, then many journalists
//! downloading one large file at once, with the server's resident memory sampled throughout;
//! and the machine's floor for the same downloads, the same `curl` clients reading the same
//! bytes from Python's static file server (`python3 -m http.server`) and, when installed, from
//! nginx (`sendfile`: the kernel copies the file, the strictest floor there is).
use pressnet_tests::cluster::{rss_kib, Instance};
use pressnet_tests::smtp::free_port;
use pressnet_tests::{draft, Gql, PUBLISH};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Peak resident memory of a process while something runs, sampled every 20 ms.
pub struct RssSampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    pub fn start(pid: u32) -> RssSampler {
        let peak = Arc::new(AtomicU64::new(rss_kib(pid).unwrap_or(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let task = {
            let (peak, stop) = (peak.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kib) = rss_kib(pid) {
                        peak.fetch_max(kib, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        };
        RssSampler { peak, stop, task }
    }

    /// The peak in KiB.
    pub async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.task.await;
        self.peak.load(Ordering::Relaxed)
    }
}

/// Writes an MP4-looking file of `mb` MiB (an `ftyp` box, then varied bytes), so the upload
/// is sniffed as video and stored as it is.
pub fn write_clip(path: &Path, mb: u64) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    f.write_all(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2")?;
    let mut block: Vec<u8> = (0..1u32 << 20).map(|i| (i % 251) as u8).collect();
    for i in 0..mb {
        block[0..8].copy_from_slice(&i.to_le_bytes());
        f.write_all(&block)?;
    }
    f.flush()
}

/// Uploads a file by the multipart request specification, streamed from disk; the file's URL.
pub async fn upload_streamed(base: &str, token: &str, release: &str, path: &Path) -> Value {
    let len = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let file = tokio::fs::File::open(path).await.expect("open the clip");
    let body =
        reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 1 << 20));
    let operations =
        json!({"query": pressnet_tests::ADD_ATTACHMENT, "variables": {"r": release, "f": null}});
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::stream_with_length(body, len)
                .file_name("clip.mp4")
                .mime_str("video/mp4")
                .expect("mime"),
        );
    reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json")
}

/// `clients` concurrent `curl` processes reading `url` (with `token` when given): wall
/// seconds and the bytes they got in all.
async fn curl_all(url: &str, token: Option<&str>, clients: usize) -> (f64, u64) {
    let t = Instant::now();
    let mut running = Vec::new();
    for _ in 0..clients {
        let mut cmd = tokio::process::Command::new("curl");
        cmd.args(["-s", "-o", "/dev/null", "-w", "%{size_download}"]);
        if let Some(t) = token {
            cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
        }
        cmd.arg(url);
        running.push(cmd.output());
    }
    let outs = futures::future::join_all(running).await;
    let secs = t.elapsed().as_secs_f64();
    let bytes = outs
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse::<u64>()
                .ok()
        })
        .sum();
    (secs, bytes)
}

/// A static file server on `dir` (Python's, or nginx with `sendfile`), until dropped.
struct StaticServer(tokio::process::Child, u16);

impl StaticServer {
    /// nginx, when installed (`apt-get install nginx-light`): two workers, `sendfile` on.
    async fn nginx(dir: &Path) -> Option<StaticServer> {
        let port = free_port();
        let conf = dir.join("nginx.conf");
        let d = dir.display();
        std::fs::write(
            &conf,
            format!(
                "daemon off; user root; worker_processes 2; pid {d}/nginx.pid; error_log {d}/nginx.err;
                 events {{ worker_connections 1024; }}
                 http {{ access_log off; sendfile on; tcp_nopush on; client_body_temp_path {d};
                   proxy_temp_path {d}; fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};
                   server {{ listen 127.0.0.1:{port}; root {d}; }} }}"
            ),
        )
        .ok()?;
        let mut cmd = tokio::process::Command::new("nginx");
        cmd.args([
            "-c",
            &conf.display().to_string(),
            "-e",
            &format!("{d}/nginx.err"),
        ]);
        Self::spawn(cmd, port).await
    }

    async fn python(dir: &Path) -> Option<StaticServer> {
        let port = free_port();
        let mut cmd = tokio::process::Command::new("python3");
        cmd.args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(dir);
        Self::spawn(cmd, port).await
    }

    /// Starts the server quietly and waits until it listens on `port`.
    async fn spawn(mut cmd: tokio::process::Command, port: u16) -> Option<StaticServer> {
        let child = cmd
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .ok()?;
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Some(StaticServer(child, port));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        None
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.0.start_kill();
    }
}

/// The scenario, against a pressnet server process whose database already holds the unit
/// (`unit`, its spokesperson's token `sp`) and `tokens` journalists of accredited outlets.
#[allow(clippy::too_many_arguments)]
pub async fn run(
    server: &Instance,
    g: &Gql,
    sp: &str,
    unit: &str,
    tokens: &[String],
    dir: &Path,
    upload_mb: u64,
    download_mb: u64,
) -> Value {
    let pid = server.pid().unwrap_or(0);
    let warm = draft(g, unit, "Khởi động", json!({"allAccredited": true})).await;
    g.run(PUBLISH, json!({"id": warm})).await.data();
    tokio::time::sleep(Duration::from_millis(500)).await;

    // One large upload.
    let big: PathBuf = dir.join("big.mp4");
    write_clip(&big, upload_mb).expect("write the upload");
    let release = draft(g, unit, "Video hiện trường", json!({"allAccredited": true})).await;
    let rss_before_upload = rss_kib(pid).unwrap_or(0);
    let sampler = RssSampler::start(pid);
    let t = Instant::now();
    let up = upload_streamed(&server.base, sp, &release, &big).await;
    let upload_secs = t.elapsed().as_secs_f64();
    let upload_peak = sampler.finish().await;
    assert!(up["errors"].is_null(), "upload: {up}");
    let _ = std::fs::remove_file(&big);

    // Many journalists downloading one file at once.
    let clip = dir.join("clip.mp4");
    write_clip(&clip, download_mb).expect("write the clip");
    let shared = draft(
        g,
        unit,
        "Tư liệu cho báo chí",
        json!({"allAccredited": true}),
    )
    .await;
    let up = upload_streamed(&server.base, sp, &shared, &clip).await;
    let url = up["data"]["addAttachment"]["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    g.run(PUBLISH, json!({"id": shared})).await.data();
    // Warm the page cache for both servers alike: one read each first.
    let _ = curl_all(&url, tokens.first().map(String::as_str), 1).await;
    let rss_before_download = rss_kib(pid).unwrap_or(0);
    let sampler = RssSampler::start(pid);
    let t = Instant::now();
    let mut running = Vec::new();
    for tok in tokens {
        let url = url.clone();
        let tok = tok.clone();
        running.push(tokio::spawn(async move {
            curl_all(&url, Some(&tok), 1).await.1
        }));
    }
    let size = std::fs::metadata(&clip).map(|m| m.len()).unwrap_or(0);
    let (mut got, mut incomplete) = (0u64, 0u64);
    for r in running {
        let n = r.await.unwrap_or(0);
        got += n;
        incomplete += u64::from(n != size);
    }
    let download_secs = t.elapsed().as_secs_f64();
    let download_peak = sampler.finish().await;

    // The floors: the same clients, the same bytes, plain static file servers.
    let floor = |s: Option<StaticServer>| async move {
        match s {
            Some(s) => {
                let url = format!("http://127.0.0.1:{}/clip.mp4", s.1);
                let _ = curl_all(&url, None, 1).await;
                curl_all(&url, None, tokens.len()).await
            }
            None => (0.0, 0),
        }
    };
    let (floor_secs, floor_bytes) = floor(StaticServer::python(dir).await).await;
    let (nginx_secs, nginx_bytes) = floor(StaticServer::nginx(dir).await).await;
    let mib = |b: u64, s: f64| b as f64 / 1_048_576.0 / s.max(1e-9);
    json!({
        "upload_mb": upload_mb, "upload_seconds": upload_secs,
        "upload_mib_per_second": mib(upload_mb << 20, upload_secs),
        "server_rss_kib_before_upload": rss_before_upload, "server_rss_kib_peak_upload": upload_peak,
        "upload_rss_growth_mib": upload_peak.saturating_sub(rss_before_upload) as f64 / 1024.0,
        "download_mb": download_mb, "downloaders": tokens.len(), "download_bytes": got,
        "lost": incomplete,
        "download_seconds": download_secs, "download_mib_per_second": mib(got, download_secs),
        "server_rss_kib_before_download": rss_before_download, "server_rss_kib_peak_download": download_peak,
        "download_rss_growth_mib": download_peak.saturating_sub(rss_before_download) as f64 / 1024.0,
        "floor": "curl from python3 -m http.server",
        "floor_bytes": floor_bytes, "floor_seconds": floor_secs,
        "floor_mib_per_second": mib(floor_bytes, floor_secs),
        "ratio_to_floor": if floor_secs > 0.0 { download_secs / floor_secs } else { 0.0 },
        "nginx_bytes": nginx_bytes, "nginx_seconds": nginx_secs,
        "nginx_mib_per_second": mib(nginx_bytes, nginx_secs),
        "ratio_to_nginx": if nginx_secs > 0.0 { download_secs / nginx_secs } else { 0.0 },
    })
}
