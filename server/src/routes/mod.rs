//! HTTP routes.
mod atom;
mod body_limit;
pub mod client_addr;
mod error;
mod export_words;
mod exports;
mod files;
mod graphql;
mod health;
mod metrics;
mod multipart;
mod read_cache;
mod session_cache;
mod session_cookie;
mod sse;
mod unsubscribe;
mod viewer;
mod web;
pub mod ws;

use axum::routing::{get, post};
use axum::Router;
use pressnet_domain::AppContext;
use pressnet_schema::graphql::AppSchema;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tower_http::trace::TraceLayer;

/// Largest request body accepted (GraphQL documents and variables).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Files one upload request may carry (GraphQL multipart).
pub const MAX_FILES_PER_UPLOAD: usize = 10;
/// Most operations in one batched GraphQL request.
pub const MAX_BATCH: usize = 10;
/// Largest websocket message a client may send.
pub const MAX_WS_MESSAGE_BYTES: usize = 64 * 1024;
/// How long a websocket client has to send `connection_init`.
pub const WS_INIT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct AppState {
    pub ctx: AppContext,
    pub schema: AppSchema,
    /// Cancelled at shutdown: websockets close, workers stop.
    pub shutdown: CancellationToken,
    /// Recent query responses (see `read_cache`).
    pub read_cache: std::sync::Arc<read_cache::ReadCache>,
    /// Recently resolved sessions of `POST /graphql` (see `session_cache`).
    pub sessions: std::sync::Arc<session_cache::SessionCache>,
    /// Live-feed subscription documents, parsed once and shared by their subscribers.
    pub shapes: std::sync::Arc<pressnet_schema::graphql::live::Shapes>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`PRESSNET_TRUSTED_PROXIES`).
    pub trusted_proxies: std::sync::Arc<Vec<ipnet::IpNet>>,
    /// Open websockets, so they close when their session ends.
    pub live_sessions: std::sync::Arc<ws::sessions::LiveSessions>,
}

impl AppState {
    pub fn new(ctx: AppContext, schema: AppSchema) -> Self {
        Self {
            ctx,
            schema,
            shutdown: CancellationToken::new(),
            read_cache: Default::default(),
            sessions: Default::default(),
            shapes: Default::default(),
            trusted_proxies: Default::default(),
            live_sessions: Default::default(),
        }
    }
}

/// The web app's Content-Security-Policy: nothing inline, nothing from another host, never
/// framed. (GraphiQL's page sets its own until it is served from the binary.)
pub const CSP: &str =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
    connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Security headers on every response that does not set its own.
fn security_headers(router: Router<AppState>) -> Router<AppState> {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

pub fn router(state: AppState) -> Router {
    let router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/schema.graphql", get(graphql::sdl))
        .route("/graphql/stream", get(sse::get).post(sse::post))
        .route("/graphql/ws", get(ws::upgrade))
        .route("/auth/remember", post(session_cookie::remember))
        .route("/auth/resume", post(session_cookie::resume))
        .route("/auth/forget", post(session_cookie::forget))
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics))
        .route("/files/{id}", get(files::file))
        .route("/releases/{id}/files.zip", get(files::zip))
        .route("/feeds/releases.atom", get(atom::all))
        .route("/feeds/units/{file}", get(atom::unit))
        .route("/exports/compliance.csv", get(exports::compliance_csv))
        .route("/exports/deliveries.csv", get(exports::deliveries_csv))
        .route(
            "/unsubscribe",
            get(unsubscribe::confirm).post(unsubscribe::apply),
        )
        .merge(web::routes());
    security_headers(router)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit::limit,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
