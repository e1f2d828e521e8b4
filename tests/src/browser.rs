//! Headless Chromium for the web application tests, driven over WebDriver (fantoccini)
//! through Debian's chromedriver: nothing is downloaded at run time.
//!
//! Without chromedriver the browser tests report themselves skipped, unless
//! `PRESSNET_BROWSER_TESTS=1` (set by `.ci/run`), which makes a missing browser a failure.
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const REQUIRE_ENV: &str = "PRESSNET_BROWSER_TESTS";

pub struct Browser {
    driver: Child,
    port: u16,
}

fn find(cands: &[&str]) -> Option<String> {
    cands
        .iter()
        .find(|p| std::path::Path::new(p).exists())
        .map(|p| (*p).to_owned())
}

impl Browser {
    pub async fn start() -> Option<Browser> {
        let Some(driver) = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
        else {
            if std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1") {
                panic!("{REQUIRE_ENV}=1 but chromedriver is not installed (apt-get install chromium chromium-driver)");
            }
            eprintln!("skipped: no chromedriver (apt-get install chromium chromium-driver)");
            return None;
        };
        let port = crate::smtp::free_port();
        let child = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(Browser {
            driver: child,
            port,
        })
    }

    /// A new browser window (its own profile).
    pub async fn client(&self) -> Client {
        // Several rustls crypto backends are linked in; choose one for the WebDriver client.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let binary = find(&["/usr/bin/chromium", "/usr/bin/chromium-browser"])
            .unwrap_or_else(|| "chromium".into());
        let profile = tempfile::tempdir().expect("profile").keep();
        let caps = json!({"goog:chromeOptions": {"binary": binary, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1200,1000", format!("--user-data-dir={}", profile.display()),
        ]}});
        let caps: serde_json::Map<String, Value> = caps.as_object().cloned().unwrap_or_default();
        ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("webdriver session")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}

/// Waits for an element, up to 15 s.
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("element {css} did not appear: {e}"))
}

/// Saves a screenshot under tests/artifacts/.
pub async fn screenshot(c: &Client, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    let _ = std::fs::create_dir_all(&dir);
    if let Ok(png) = c.screenshot().await {
        let _ = std::fs::write(dir.join(format!("{name}.png")), png);
    }
}

/// JavaScript errors the page recorded (window.__errors).
pub async fn page_errors(c: &Client) -> Vec<String> {
    c.execute("return window.__errors || []", vec![])
        .await
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Signs in through the form.
pub async fn sign_in(c: &Client, base: &str, email: &str, password: &str) {
    c.goto(&format!("{base}/#/login")).await.expect("goto");
    let form = wait_for(c, "form#login").await;
    form.find(Locator::Css("input[name=email]"))
        .await
        .expect("email")
        .send_keys(email)
        .await
        .expect("type");
    form.find(Locator::Css("input[name=password]"))
        .await
        .expect("password")
        .send_keys(password)
        .await
        .expect("type");
    form.find(Locator::Css("button[type=submit]"))
        .await
        .expect("submit")
        .click()
        .await
        .expect("click");
}
