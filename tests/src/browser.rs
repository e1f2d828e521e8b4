//! Headless Chromium for the web application tests, driven over WebDriver (fantoccini)
//! through Debian's chromedriver: nothing is downloaded at run time.
//!
//! The browser tests carry [`NEEDS`]: without chromedriver and the Node packages (axe-core)
//! they are built ignored ("needs …", see `tests/build.rs`); `PRESSNET_BROWSER_TESTS=1` (set by
//! `.ci/run`) builds them to run, so a missing browser is then a failure.
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

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
    pub async fn start() -> Browser {
        let Some(driver) = find(&["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"])
        else {
            panic!("chromedriver is not installed (apt-get install chromium chromium-driver)");
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
        Browser {
            driver: child,
            port,
        }
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

/// A phone (360 px wide) and a laptop (1366 px): every page is checked at both.
pub const WIDTHS: [(u32, u32); 2] = [(360, 740), (1366, 900)];

/// Resizes the window (the viewport follows).
pub async fn set_width(c: &Client, (w, h): (u32, u32)) {
    c.set_window_size(w, h).await.expect("window size");
}

/// axe-core's serious and critical violations on the current page, as "rule: target" lines.
/// axe-core comes from the npm registry (tests/node, pinned) and is injected here: the page
/// itself loads nothing of it, and its CSP is not relaxed.
pub async fn accessibility_violations(c: &Client) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("node/node_modules/axe-core/axe.min.js");
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(_) => panic!("{} is missing (npm ci --prefix tests/node)", path.display()),
    };
    c.execute(&source, vec![]).await.expect("inject axe-core");
    let script = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ["violations"] }).then(r => done(r.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(" ")}`))), e => done([String(e)]));
    "#;
    let v = c.execute_async(script, vec![]).await.expect("axe.run");
    serde_json::from_value(v).unwrap_or_default()
}

/// What makes the page wider than the window, if anything (content a phone user would have to
/// scroll sideways for; tables scroll inside their own box instead).
pub async fn overflows(c: &Client) -> Option<String> {
    let script = r#"
        if (document.documentElement.scrollWidth <= window.innerWidth + 1) return null;
        const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
            && !e.closest(".table-wrap"));
        const e = wide[wide.length - 1];
        return e ? `${e.tagName.toLowerCase()}#${e.id}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)` : "the page";
    "#;
    c.execute(script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// Everything a page must pass at each width: a screenshot, no serious accessibility violation,
/// no sideways scrolling, no JavaScript or resource error. `ready` is a selector the page shows
/// once it has loaded its data.
pub async fn check_page(c: &Client, name: &str, ready: &str) {
    for size in WIDTHS {
        set_width(c, size).await;
        wait_for(c, ready).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
        // The whole page, not only what the window shows: the window grows to the page's height.
        let height = c
            .execute("return document.documentElement.scrollHeight", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(u64::from(size.1));
        set_width(c, (size.0, (height as u32).clamp(size.1, 6000) + 140)).await;
        screenshot(c, &format!("{name}-{}", size.0)).await;
        set_width(c, size).await;
        let violations = accessibility_violations(c).await;
        assert!(
            violations.is_empty(),
            "{name} at {} px: {violations:#?}",
            size.0
        );
        if let Some(what) = overflows(c).await {
            panic!("{name} is wider than {} px: {what}", size.0);
        }
    }
    assert_eq!(page_errors(c).await, Vec::<String>::new(), "{name}");
}
