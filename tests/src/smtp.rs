//! A real SMTP server for tests (mailin-embedded on its own threads), recording every
//! message it accepts, and able to refuse chosen recipients with 550.
use mailin_embedded::response::{NO_MAILBOX, OK, START_DATA};
use mailin_embedded::{Handler, Response, Server, SslConfig};
use std::collections::HashSet;
use std::io;
use std::net::{IpAddr, TcpListener};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone, Default)]
struct Shared {
    messages: Arc<Mutex<Vec<Received>>>,
    reject: Arc<Mutex<HashSet<String>>>,
    /// When set, MAIL FROM is refused with this reply (the relay's own failure).
    refuse_sender: Arc<Mutex<Option<(u16, String)>>>,
    /// How long the end of each message's data waits before its 250 (a relay farther away).
    accept_delay: Arc<Mutex<std::time::Duration>>,
}

#[derive(Clone)]
struct Recorder {
    shared: Shared,
    current: Option<Received>,
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        match self
            .shared
            .refuse_sender
            .lock()
            .ok()
            .and_then(|r| r.clone())
        {
            Some((code, text)) => Response::custom(code, text),
            None => OK,
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let refused = self
            .shared
            .reject
            .lock()
            .map(|r| r.contains(&to.to_lowercase()))
            .unwrap_or(false);
        if refused {
            NO_MAILBOX
        } else {
            OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            from: from.to_owned(),
            to: to.to_vec(),
            data: Vec::new(),
        });
        START_DATA
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        if let Some(c) = self.current.as_mut() {
            c.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let delay = self
            .shared
            .accept_delay
            .lock()
            .map(|d| *d)
            .unwrap_or_default();
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
        if let (Some(m), Ok(mut all)) = (self.current.take(), self.shared.messages.lock()) {
            all.push(m);
        }
        OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        OK
    }
}

pub struct TestSmtp {
    pub port: u16,
    shared: Shared,
}

/// A free loopback port for a server started later.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl TestSmtp {
    pub fn start() -> TestSmtp {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> TestSmtp {
        let shared = Shared::default();
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind smtp");
        let mut server = Server::new(Recorder {
            shared: shared.clone(),
            current: None,
        });
        server
            .with_name("smtp.test")
            .with_num_threads(64)
            .with_tcp_listener(listener);
        let _ = server.with_ssl(SslConfig::None);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        TestSmtp { port, shared }
    }

    /// Makes every message wait `d` before it is accepted (as a relay across a network does).
    pub fn accept_after(&self, d: std::time::Duration) {
        if let Ok(mut x) = self.shared.accept_delay.lock() {
            *x = d;
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn reject(&self, address: &str) {
        if let Ok(mut r) = self.shared.reject.lock() {
            r.insert(address.to_lowercase());
        }
    }

    /// Refuses every MAIL FROM with `code` and `text` (as a relay refusing its client or
    /// its sender address does); `None` accepts again.
    pub fn refuse_sender(&self, reply: Option<(u16, &str)>) {
        if let Ok(mut r) = self.shared.refuse_sender.lock() {
            *r = reply.map(|(c, t)| (c, t.to_owned()));
        }
    }

    pub fn messages(&self) -> Vec<Received> {
        self.shared
            .messages
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default()
    }

    /// Messages to one address.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.messages()
            .into_iter()
            .filter(|m| m.to.iter().any(|t| t.eq_ignore_ascii_case(address)))
            .collect()
    }
}
