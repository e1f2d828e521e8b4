//! GET /metrics (Prometheus text format) and the middleware that counts and times requests.
use super::viewer::Token;
use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pressnet_domain::metrics::{RequestLabels, RouteLabels};
use pressnet_domain::services::operations;
use sha2::{Digest, Sha256};

/// The metrics count what the public may not see (PRESS_ONLY publications, queue depths), so
/// they are never open to the world: with `PRESSNET_METRICS_TOKEN` set they need it; without
/// it they answer only a client on this machine (a loopback address, as the client address
/// is resolved: a request through a trusted proxy counts as its real client's).
#[tracing::instrument(skip_all)]
pub async fn metrics(
    State(state): State<AppState>,
    super::client_addr::ClientAddr(client): super::client_addr::ClientAddr,
    Token(given): Token,
) -> Response {
    let Some(want) = &state.ctx.settings.metrics_token else {
        let local = client
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
        if !local {
            return (
                StatusCode::FORBIDDEN,
                "metrics are served to this machine only; set PRESSNET_METRICS_TOKEN to read them from elsewhere",
            )
                .into_response();
        }
        return render(&state).await;
    };
    let given = given.unwrap_or_default();
    // Compare digests, so the time taken says nothing about the token.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(want.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need the bearer token (PRESSNET_METRICS_TOKEN)",
        )
            .into_response();
    }
    render(&state).await
}

async fn render(state: &AppState) -> Response {
    if let Err(e) = operations::refresh_metrics(&state.ctx).await {
        tracing::warn!(error = %e.detail(), "metrics: the database did not answer");
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.ctx.metrics.render(),
    )
        .into_response()
}

/// Counts and times every request by route pattern.
#[tracing::instrument(skip_all)]
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "other".to_owned());
    let resp = next.run(req).await;
    let m = &state.ctx.metrics;
    m.request_seconds
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: resp.status().as_u16(),
        })
        .inc();
    resp
}
