//! How large a request body may be: `MAX_BODY_BYTES` for everything, except uploads (the
//! GraphQL multipart requests to `/graphql`), which may carry files up to
//! `PRESSNET_MAX_UPLOAD_MB`. A declared length over the limit is refused at once (413); a body
//! that grows past it fails when read.
use super::AppState;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn is_upload(req: &Request) -> bool {
    req.method() == Method::POST
        && req.uri().path() == "/graphql"
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            })
}

pub async fn limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let max = if is_upload(&req) {
        // The files, and the operations and map around them.
        usize::try_from(state.ctx.settings.max_upload_bytes)
            .unwrap_or(usize::MAX)
            .saturating_mul(super::MAX_FILES_PER_UPLOAD)
            .saturating_add(super::MAX_BODY_BYTES)
    } else {
        super::MAX_BODY_BYTES
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "the request body is too large",
        )
            .into_response();
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, max));
    next.run(Request::from_parts(parts, body)).await
}
