//! Real `pressnet serve` processes for multi-instance tests (and the benchmark's separate
//! server): the binary is the server's own `main.rs`, built by this package as
//! `pressnet-instance` so that integration tests can name it (`CARGO_BIN_EXE_…`).
use crate::gql::Gql;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct Instance {
    child: Child,
    pub name: String,
    pub addr: String,
    pub base: String,
}

impl Instance {
    /// Starts `bin serve` on `127.0.0.1:0` with `env`, and waits until it listens. Its
    /// warnings and errors go to this process's stderr, prefixed with `name`.
    pub async fn start(bin: &str, name: &str, env: &[(&str, String)]) -> Instance {
        let mut cmd = Command::new(bin);
        cmd.arg("serve")
            .env("PRESSNET_BIND", "127.0.0.1:0")
            .env(
                "RUST_LOG",
                std::env::var("RUST_LOG").unwrap_or_else(|_| "info".into()),
            )
            .env_remove("PRESSNET_SMTP_URL")
            // Instances of one deployment share one checkpoint key; keep it out of the repo.
            .env(
                "PRESSNET_AUDIT_KEY_FILE",
                std::env::temp_dir().join("pressnet-cluster-audit.key"),
            )
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start pressnet-instance");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        for stream in [
            Box::new(stdout) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
            Box::new(stderr),
        ] {
            let tx = tx.clone();
            let name = name.to_owned();
            tokio::spawn(async move {
                let mut lines = BufReader::new(stream).lines();
                while let Ok(Some(l)) = lines.next_line().await {
                    let l = strip_ansi(&l);
                    // Warnings, errors and panics only: the rest would drown the test output.
                    if l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("panicked") {
                        eprintln!("[{name}] {l}");
                    }
                    let _ = tx.send(l);
                }
            });
        }
        let addr = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = rx.recv().await {
                if let Some(rest) = line.split("pressnet listening addr=").nth(1) {
                    return rest.split_whitespace().next().map(str::to_owned);
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{name} did not start listening"));
        Instance {
            child,
            name: name.to_owned(),
            base: format!("http://{addr}"),
            addr,
        }
    }

    pub fn gql(&self, token: &str) -> Gql {
        Gql::new(&self.base, Some(token.to_owned()))
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// SIGKILL: no graceful anything, as when a machine dies.
    pub async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }

    /// SIGTERM, then waits for the exit status.
    pub async fn terminate(&mut self) -> Option<i32> {
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
        }
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .ok()
            .and_then(Result::ok)
            .and_then(|s| s.code())
    }

    /// The process id (for memory readings).
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }
}

/// Resident memory of a process in KiB (Linux `/proc`).
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Removes terminal colour sequences (`ESC [ … m`) from a log line.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
