//! GET /metrics (Prometheus text format) and the middleware that counts and times requests.
use super::viewer::Token;
use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pressnet_schema::metrics::{RequestLabels, RouteLabels};
use pressnet_schema::services::operations;
use sha2::{Digest, Sha256};

#[tracing::instrument(skip_all)]
pub async fn metrics(State(state): State<AppState>, Token(given): Token) -> Response {
    if let Some(want) = &state.ctx.settings.metrics_token {
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
    }
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
