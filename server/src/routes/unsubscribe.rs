//! One-click unsubscribe (RFC 8058): `POST /unsubscribe?token=…` stops a journalist's
//! e-mails; `GET` shows a page with a button (a GET must not unsubscribe by itself, since
//! mail scanners follow links).
use super::error::HttpError;
use super::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pressnet_domain::services::subscriptions;
use pressnet_domain::AppError;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Params {
    token: String,
}

#[tracing::instrument(skip_all)]
pub async fn confirm(Query(p): Query<Params>) -> Html<String> {
    let token: String = p
        .token
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Html(format!(
        "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Ngừng nhận e-mail</title>\
         <form method=\"post\" action=\"/unsubscribe?token={token}\"><p>Ngừng nhận e-mail từ pressnet?</p>\
         <button type=\"submit\">Ngừng nhận</button></form></html>"
    ))
}

#[tracing::instrument(skip_all, err(Debug, level = "debug"))]
pub async fn apply(
    State(state): State<AppState>,
    Query(p): Query<Params>,
) -> Result<Response, HttpError> {
    if subscriptions::unsubscribe(&state.ctx, &p.token).await? {
        Ok((StatusCode::OK, "Đã ngừng nhận e-mail. Unsubscribed.").into_response())
    } else {
        Err(AppError::not_found("unsubscribe token").into())
    }
}
