//! Black-box test harness: the real server on port 0 over a fresh database per test.
//!
//! Every database test is written once with `each!` and runs on a new SQLite file and on a new
//! PostgreSQL database (and, for attachments, on each storage). The PostgreSQL variant needs
//! `PRESSNET_TEST_POSTGRES` (a server URL such as `postgres://postgres@127.0.0.1:5432`) when
//! the tests are built; without it that variant is reported ignored ("needs …"), so a plain
//! `cargo test` passes where no PostgreSQL runs and says what it did not run. `.ci/run` sets it
//! and fails if any test was ignored for a missing service.
//!
//! `TEST_LOG=1` shows the server's log (`RUST_LOG` filters it, `info` by default) in the
//! output of a failing test, as zero-to-production's harness does.
pub mod browser;
pub mod cluster;
pub mod feed_server;
pub mod gql;
pub mod labelled;
pub mod page;
pub mod receiver;
pub mod s3;
pub mod seed;
pub mod smtp;
pub mod ws;

use pressnet_domain::clock::Clock;
use pressnet_domain::enums::Role;
use pressnet_domain::services::accounts;
use pressnet_domain::AppContext;
use pressnet_server::{Application, BuildOptions, Config};
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use gql::Gql;

/// With `TEST_LOG` set, the server's tracing goes to the test's output (captured by the test
/// runner, so shown for a failing test); once per process.
pub fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if std::env::var_os("TEST_LOG").is_none() {
        return;
    }
    ONCE.call_once(|| {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
        // Another subscriber may already be set (a test that installs its own): keep it.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    });
}

pub const PASSWORD: &str = "correct horse battery";
pub const ADMIN_EMAIL: &str = "admin@test.vn";
pub const AUDITOR_EMAIL: &str = "auditor@test.vn";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub const POSTGRES_ENV: &str = "PRESSNET_TEST_POSTGRES";

/// A fresh, empty database for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// `None` when the backend is PostgreSQL and `PRESSNET_TEST_POSTGRES` is unset.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/pressnet.db?mode=rwc", dir.path().display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                })
            }
            Backend::Postgres => {
                let server = std::env::var(POSTGRES_ENV).ok()?;
                let server = server.trim_end_matches('/').to_owned();
                let name = format!("pressnet_test_{}", uuid::Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(format!("{server}/postgres"))
                    .await
                    .expect("connect to PostgreSQL (PRESSNET_TEST_POSTGRES)");
                use sea_orm::ConnectionTrait;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                // Files of the server (its audit key) live in a folder of the test's own.
                Some(TestDb {
                    url: format!("{server}/{name}"),
                    _dir: Some(tempfile::tempdir().expect("temp dir")),
                })
            }
        }
    }
}

/// A running server.
pub struct TestApp {
    pub backend: Backend,
    pub addr: std::net::SocketAddr,
    pub base: String,
    pub ctx: AppContext,
    pub clock: Clock,
    pub db: TestDb,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    /// The attachments' directory, when the storage is one (removed with the app).
    _files: Option<tempfile::TempDir>,
    /// The S3-compatible server the storage is, when it is one (stopped with the app).
    pub s3: Option<std::sync::Arc<s3::S3Server>>,
}

impl TestApp {
    /// Starts a server on a fresh database; `None` when the backend is not available.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let mut config = Config::for_database(db.url.clone());
        // The tests' webhook receivers, push endpoints and feeds listen on 127.0.0.1.
        config.allow_private_targets = true;
        Some(Self::start(backend, db, config, Clock::default(), false).await)
    }

    /// Starts a server on a fresh database with an adjusted configuration.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let mut config = Config::for_database(db.url.clone());
        config.allow_private_targets = true;
        adjust(&mut config);
        Some(Self::start(backend, db, config, Clock::default(), false).await)
    }

    pub async fn start(
        backend: Backend,
        db: TestDb,
        mut config: Config,
        clock: Clock,
        demo: bool,
    ) -> TestApp {
        init_test_log();
        let files = if config.storage_url.is_none() {
            let dir = tempfile::tempdir().expect("attachments directory");
            config.storage_url = Some(format!("file://{}", dir.path().display()));
            Some(dir)
        } else {
            None
        };
        if config.audit_key_file.is_none() {
            if let Some(dir) = &db._dir {
                config.audit_key_file = Some(dir.path().join("audit.key").display().to_string());
            }
        }
        let app = Application::build(
            &config,
            BuildOptions {
                demo,
                clock: clock.clone(),
            },
        )
        .await
        .expect("build application");
        let addr = app.addr();
        let ctx = app.context().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        TestApp {
            backend,
            addr,
            base: format!("http://{addr}"),
            ctx,
            clock,
            db,
            config,
            stop: Some(tx),
            handle: Some(handle),
            _files: files,
            s3: None,
        }
    }

    /// Shuts the server down gracefully and waits for it.
    pub async fn stop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let r = tokio::time::timeout(Duration::from_secs(20), h).await;
            let r = r.expect("server stops within 20 s").expect("server task");
            r.expect("server exits cleanly");
        }
    }

    /// Stops the server and starts a new one on the same database (same clock).
    pub async fn restart(self) -> TestApp {
        self.restart_with(|_| {}).await
    }

    /// Stops the server and starts a new one on the same database with an adjusted
    /// configuration.
    pub async fn restart_with(mut self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        self.stop().await;
        adjust(&mut self.config);
        let db = TestDb {
            url: self.db.url.clone(),
            _dir: self.db._dir.take(),
        };
        Self::start(
            self.backend,
            db,
            self.config.clone(),
            self.clock.clone(),
            false,
        )
        .await
    }

    pub fn gql(&self) -> Gql {
        Gql::new(&self.base, None)
    }

    /// The first column of the one row `sql` returns, as a count (for what the API does not
    /// show, such as the outbox).
    pub async fn db_count(&self, sql: &str) -> i64 {
        use sea_orm::ConnectionTrait;
        let row = self
            .ctx
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                self.ctx.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("query")
            .expect("a row");
        row.try_get_by_index::<i64>(0).expect("a count")
    }

    pub fn gql_as(&self, token: &str) -> Gql {
        Gql::new(&self.base, Some(token.to_owned()))
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/graphql/ws", self.addr)
    }

    /// The value of an unlabelled sample in `GET /metrics` (0 when absent).
    pub async fn metric(&self, name: &str) -> f64 {
        let text = reqwest::get(format!("{}/metrics", self.base))
            .await
            .expect("metrics")
            .text()
            .await
            .expect("text");
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.trim().parse().ok())
            .unwrap_or(0.0)
    }

    /// Creates a staff account directly and signs it in.
    pub async fn staff(&self, email: &str, role: Role) -> String {
        accounts::ensure_staff_account(&self.ctx, email, PASSWORD, role)
            .await
            .map_err(|e| e.public_message())
            .expect("staff account");
        self.login(email, PASSWORD).await
    }

    pub async fn admin(&self) -> String {
        self.staff(ADMIN_EMAIL, Role::Admin).await
    }

    pub async fn auditor(&self) -> String {
        self.staff(AUDITOR_EMAIL, Role::Auditor).await
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let r = self
            .gql()
            .run(
                "mutation($e:String!,$p:String!){ login(email:$e,password:$p){ token } }",
                json!({"e": email, "p": password}),
            )
            .await;
        r.data()["login"]["token"]
            .as_str()
            .expect("token")
            .to_owned()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// A small registry built through the API: a unit with a spokesperson, and accredited outlets
/// with a journalist each. Tokens for every role.
pub struct World {
    pub admin: String,
    pub auditor: String,
    pub unit_id: String,
    pub other_unit_id: String,
    pub spokesperson: String,
    pub spokesperson_id: String,
    pub other_spokesperson: String,
    /// (outlet id, journalist token) for each accredited outlet.
    pub outlets: Vec<(String, String)>,
}

impl World {
    pub async fn build(app: &TestApp, outlets: usize) -> World {
        let admin = app.admin().await;
        let auditor = app.auditor().await;
        let a = app.gql_as(&admin);
        let unit_id = create_unit(&a, "SO-YTE", "Sở Y tế", "DEPARTMENT").await;
        let other_unit_id = create_unit(&a, "SO-TC", "Sở Tài chính", "DEPARTMENT").await;
        let sp = register_spokesperson(&a, &unit_id, "Lê Minh Đức", "duc@syt.vn").await;
        let spokesperson_id = sp["id"].as_str().unwrap_or_default().to_owned();
        register_spokesperson(&a, &other_unit_id, "Phạm Quốc Anh", "anh@stc.vn").await;
        let spokesperson = app.login("duc@syt.vn", PASSWORD).await;
        let other_spokesperson = app.login("anh@stc.vn", PASSWORD).await;
        let mut list = Vec::new();
        for i in 0..outlets {
            let kind = if i % 2 == 0 { "PRINT" } else { "TELEVISION" };
            let scope = if i % 3 == 0 { "CENTRAL" } else { "LOCAL" };
            let id =
                register_outlet(&a, &format!("Báo số {i}"), kind, scope, &format!("GP-{i}")).await;
            accredit(&a, &id).await;
            let email = format!("pv{i}@bao{i}.vn");
            register_journalist(&a, &id, &format!("Phóng viên {i}"), &email).await;
            let token = app.login(&email, PASSWORD).await;
            list.push((id, token));
        }
        World {
            admin,
            auditor,
            unit_id,
            other_unit_id,
            spokesperson,
            spokesperson_id,
            other_spokesperson,
            outlets: list,
        }
    }
}

pub async fn create_unit(a: &Gql, code: &str, name: &str, level: &str) -> String {
    let r = a
        .run(
            "mutation($i:CreateUnitInput!){ createUnit(input:$i){ id } }",
            json!({"i": {"code": code, "name": name, "level": level}}),
        )
        .await;
    r.data()["createUnit"]["id"]
        .as_str()
        .expect("unit id")
        .to_owned()
}

pub async fn register_spokesperson(a: &Gql, unit_id: &str, name: &str, email: &str) -> Value {
    let r = a
        .run(
            "mutation($i:RegisterSpokespersonInput!){ registerSpokesperson(input:$i){ id fullName } }",
            json!({"i": {"unitId": unit_id, "fullName": name, "position": "Phó Giám đốc",
                  "phone": "0204 3854 123", "email": email, "appointmentRef": "15/QĐ-UBND",
                  "password": PASSWORD}}),
        )
        .await;
    r.data()["registerSpokesperson"].clone()
}

/// `n` communes, each with one spokesperson: a registry the size of a province's.
pub async fn communes_with_spokespersons(a: &Gql, n: usize) {
    for i in 0..n {
        let unit = create_unit(a, &format!("XA-{i}"), &format!("UBND xã số {i}"), "COMMUNE").await;
        register_spokesperson(
            a,
            &unit,
            &format!("Người phát ngôn {i}"),
            &format!("np{i}@xa{i}.gov.vn"),
        )
        .await;
    }
}

pub async fn register_outlet(
    a: &Gql,
    name: &str,
    kind: &str,
    scope: &str,
    licence: &str,
) -> String {
    let r = a
        .run(
            "mutation($i:RegisterOutletInput!){ registerOutlet(input:$i){ id accreditation } }",
            json!({"i": {"name": name, "kind": kind, "scope": scope, "licenceNumber": licence,
                  "email": format!("toasoan-{}@bao.vn", licence.to_lowercase())}}),
        )
        .await;
    assert_eq!(r.data()["registerOutlet"]["accreditation"], "PENDING");
    r.data()["registerOutlet"]["id"]
        .as_str()
        .expect("outlet id")
        .to_owned()
}

pub async fn accredit(a: &Gql, outlet_id: &str) {
    let r = a
        .run(
            "mutation($o:UUID!){ setAccreditation(outletId:$o, status:ACCREDITED){ accreditation } }",
            json!({"o": outlet_id}),
        )
        .await;
    assert_eq!(r.data()["setAccreditation"]["accreditation"], "ACCREDITED");
}

pub async fn register_journalist(a: &Gql, outlet_id: &str, name: &str, email: &str) -> String {
    let r = a
        .run(
            "mutation($i:RegisterJournalistInput!){ registerJournalist(input:$i){ id } }",
            json!({"i": {"outletId": outlet_id, "fullName": name, "email": email, "password": PASSWORD}}),
        )
        .await;
    r.data()["registerJournalist"]["id"]
        .as_str()
        .expect("journalist id")
        .to_owned()
}

/// The one way to write a test that runs on each backend (SQLite, PostgreSQL), and with
/// `storages` on each attachment storage too (a directory, S3). Each variant is a test of its
/// own (`name::sqlite`, `name::postgres`, `name::sqlite_s3`, …). A variant whose service this
/// machine lacks is compiled `#[ignore = "needs …"]` (see `tests/build.rs`): reported ignored,
/// never passed.
///
/// - `each!(backends; async fn name(app) { … })`: the body gets `app: TestApp`.
/// - `each!(backends, config = |c| …; async fn name(app) { … })`: the server's configuration
///   is adjusted before it starts.
/// - `each!(backends, storages; async fn name(app) { … })`: four variants.
/// - `each!(backends, setup = path; async fn name(pattern) { … })`: `path(Backend)` is an
///   async fn returning `Option<T>` (`None`: the backend is not available); the body gets `T`
///   through `pattern` (an app with its SMTP server, an app and a port, …).
#[macro_export]
macro_rules! each {
    (backends; $(#[$m:meta])* async fn $name:ident($app:ident) $body:block) => {
        $crate::each!(backends, config = |_| {}; $(#[$m])* async fn $name($app) $body);
    };
    (backends, config = $adjust:expr; $(#[$m:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            async fn run(mut $app: $crate::TestApp) $body

            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::spawn_with($crate::Backend::Sqlite, $adjust).await.expect("sqlite");
                run(app).await;
            }

            $(#[$m])*
            #[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::TestApp::spawn_with($crate::Backend::Postgres, $adjust).await;
                run(app.expect($crate::POSTGRES_MISSING)).await;
            }
        }
    };
    (backends, storages; $(#[$m:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            async fn run(mut $app: $crate::TestApp) $body

            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_directory() {
                run($crate::TestApp::spawn($crate::Backend::Sqlite).await.expect("sqlite")).await;
            }

            $(#[$m])*
            #[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_directory() {
                let app = $crate::TestApp::spawn($crate::Backend::Postgres).await;
                run(app.expect($crate::POSTGRES_MISSING)).await;
            }

            $(#[$m])*
            #[cfg_attr(not(pressnet_s3), ignore = "needs moto_server (pip install 'moto[server]')")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite_s3() {
                let app = $crate::s3::app($crate::Backend::Sqlite).await;
                run(app.expect($crate::s3::MOTO_MISSING)).await;
            }

            $(#[$m])*
            #[cfg_attr(not(all(pressnet_postgres, pressnet_s3)), ignore = "needs PRESSNET_TEST_POSTGRES and moto_server")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres_s3() {
                let app = $crate::s3::app($crate::Backend::Postgres).await;
                run(app.expect($crate::s3::MOTO_MISSING)).await;
            }
        }
    };
    (backends, setup = $setup:path; $(#[$m:meta])* async fn $name:ident($arg:pat) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$m])*
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let given = $setup($crate::Backend::Sqlite).await.expect("sqlite");
                $crate::given(given, |$arg| async move $body).await;
            }

            $(#[$m])*
            #[cfg_attr(not(pressnet_postgres), ignore = "needs PRESSNET_TEST_POSTGRES")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let given = $setup($crate::Backend::Postgres).await;
                $crate::given(given.expect($crate::POSTGRES_MISSING), |$arg| async move $body).await;
            }
        }
    };
}

/// Runs `body` on `value` (for `each!`'s `setup`: the closure's argument gets its type here).
pub async fn given<T, F, Fut>(value: T, body: F)
where
    F: FnOnce(T) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    body(value).await
}

/// Why a PostgreSQL variant that was built to run cannot.
pub const POSTGRES_MISSING: &str =
    "this test was built with PRESSNET_TEST_POSTGRES set, but it is not set now";

pub const CREATE_RELEASE: &str =
    "mutation($i:CreateReleaseInput!){ createRelease(input:$i){ id status version } }";
pub const PUBLISH: &str = "mutation($id:UUID!,$at:DateTime){ publishRelease(id:$id,publishAt:$at){ id status publishAt publishedAt } }";

/// Creates a DRAFT press release for `unit_id` addressed to `audience`; returns its id.
pub async fn draft(g: &Gql, unit_id: &str, title: &str, audience: Value) -> String {
    let r = g
        .run(
            CREATE_RELEASE,
            json!({"i": {"unitId": unit_id, "kind": "PRESS_RELEASE", "title": title,
                   "summary": format!("Tóm tắt: {title}"), "body": format!("# {title}\n\nNội dung **chi tiết**."),
                   "topics": ["y tế"], "audience": audience}}),
        )
        .await;
    assert_eq!(r.data()["createRelease"]["status"], "DRAFT");
    r.data()["createRelease"]["id"]
        .as_str()
        .expect("release id")
        .to_owned()
}

/// Drafts and publishes now; returns the id.
pub async fn publish_now(g: &Gql, unit_id: &str, title: &str, audience: Value) -> String {
    let id = draft(g, unit_id, title, audience).await;
    let r = g.run(PUBLISH, json!({"id": id})).await;
    assert_eq!(
        r.data()["publishRelease"]["status"],
        "PUBLISHED",
        "{}",
        r.body
    );
    id
}

/// Polls until `f` is true (the delivered marker writes in batches), at most 10 s.
pub async fn eventually<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

/// addAttachment with every field of the Attachment it returns.
pub const ADD_ATTACHMENT: &str = "mutation($r:UUID!,$f:Upload!,$c:String,$k:String){ addAttachment(releaseId:$r, file:$f, caption:$c, credit:$k){ id filename contentType size sizeBytes sha256 caption credit width height url thumbnailUrl webUrl } }";

/// Sends one file as the multipart request specification says (operations, map, the file).
pub async fn upload(
    app: &TestApp,
    token: &str,
    release: &str,
    filename: &str,
    bytes: Vec<u8>,
    caption: Option<&str>,
) -> Value {
    let operations = json!({"query": ADD_ATTACHMENT, "variables": {"r": release, "f": null, "c": caption, "k": "Ảnh: Sở Y tế"}});
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({"0": ["variables.f"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(bytes)
                .file_name(filename.to_owned())
                .mime_str("application/octet-stream")
                .expect("mime"),
        );
    let resp = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    resp.json().await.expect("json")
}
