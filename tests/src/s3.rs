//! A real S3-compatible server for the attachment tests: moto's standalone server (PyPI's
//! `moto[server]`, which `.ci/run` installs), one per test on a free port, with a fresh bucket.
//! Without `moto_server` the S3 variants are built ignored ("needs moto_server", see
//! `tests/build.rs`); `PRESSNET_S3_TESTS=1` (set by `.ci/run`) builds them to run, so a
//! missing server is then a failure.
use crate::{Backend, TestApp};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const REQUIRE_ENV: &str = "PRESSNET_S3_TESTS";
pub const BUCKET: &str = "pressnet-files";
/// Why an S3 variant that was built to run cannot.
pub const MOTO_MISSING: &str =
    "this test was built to run against moto_server, but it cannot be started (pip install 'moto[server]')";

pub struct S3Server {
    child: std::sync::Mutex<Child>,
    pub endpoint: String,
}

impl S3Server {
    /// Stops the server at once, as an outage would.
    pub fn kill(&self) {
        let mut c = self.child.lock().unwrap_or_else(|p| p.into_inner());
        let _ = c.kill();
        let _ = c.wait();
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn binary() -> Option<String> {
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("moto_server"))
        .find(|p| p.exists())
        .map(|p| p.display().to_string())
}

impl S3Server {
    pub async fn start() -> Option<S3Server> {
        let Some(bin) = binary() else {
            if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") {
                panic!(
                    "{REQUIRE_ENV}=1 but moto_server is not installed (pip install 'moto[server]')"
                );
            }
            return None;
        };
        let port = crate::smtp::free_port();
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let endpoint = format!("http://127.0.0.1:{port}");
        let server = S3Server {
            child: std::sync::Mutex::new(child),
            endpoint,
        };
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if http.get(&server.endpoint).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // A bucket of its own (moto accepts unsigned requests).
        let r = http
            .put(format!("{}/{BUCKET}", server.endpoint))
            .send()
            .await
            .expect("create the bucket");
        assert!(r.status().is_success(), "create bucket: {}", r.status());
        Some(server)
    }
}

/// A server on a fresh database whose attachments go to a fresh S3-compatible server.
pub async fn app(backend: Backend) -> Option<TestApp> {
    let s3 = std::sync::Arc::new(S3Server::start().await?);
    // object_store reads credentials from the environment, as in production; moto takes any.
    std::env::set_var("AWS_ACCESS_KEY_ID", "pressnet-test");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "pressnet-test");
    let url = format!("s3://{BUCKET}?endpoint={}&region=us-east-1", s3.endpoint);
    let mut app = TestApp::spawn_with(backend, |c| c.storage_url = Some(url)).await?;
    app.s3 = Some(s3);
    Some(app)
}
