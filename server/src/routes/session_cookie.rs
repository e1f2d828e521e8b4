//! "Keep me signed in on this device": the session's token in an HttpOnly cookie that only the
//! `/auth` routes ever read, so a new tab, a link from an e-mail or a push opens signed in.
//!
//! - `POST /auth/remember` (signed in by bearer): the session now lasts
//!   `remembered_session_ttl` from its last use, and its token is set as the cookie.
//! - `POST /auth/resume`: answers the cookie's token as JSON (`{"token": …}`), for the tab to
//!   use as its bearer; 401 (and the cookie cleared) when the session has ended.
//! - `POST /auth/forget`: clears the cookie (sign-out).
//!
//! Why it is safe against cross-site requests: the API never reads the cookie (it takes bearer
//! tokens only), so a forged request to `/graphql` carries no credentials. The cookie is
//! `SameSite=Strict` and `Path=/auth`, and `resume`/`forget` demand the `X-Requested-With`
//! header, which a cross-site form cannot send and a cross-site script can only send after a
//! CORS preflight this server never grants; and a cross-site page cannot read the answer.
use super::error::HttpError;
use super::viewer::Token;
use super::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use cookie::{Cookie, SameSite};
use pressnet_domain::services::{accounts, sessions};
use pressnet_domain::AppError;

const NAME: &str = "pressnet_session";
const PATH: &str = "/auth";
/// The header a same-origin script sends and a cross-site form cannot.
const CSRF_HEADER: &str = "x-requested-with";

fn cookie_header(state: &AppState, value: &str, max_age: cookie::time::Duration) -> Response {
    let c = Cookie::build((NAME, value.to_owned()))
        .path(PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.ctx.settings.public_url.starts_with("https://"))
        .max_age(max_age)
        .build();
    let mut resp = StatusCode::NO_CONTENT.into_response();
    if let Ok(v) = HeaderValue::from_str(&c.to_string()) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

fn same_origin_script(headers: &HeaderMap) -> Result<(), HttpError> {
    if headers.contains_key(CSRF_HEADER) {
        Ok(())
    } else {
        Err(AppError::forbidden("send this request from the pressnet web app").into())
    }
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == NAME)
        .map(|c| c.value().to_owned())
}

#[tracing::instrument(skip_all)]
pub async fn remember(
    State(state): State<AppState>,
    Token(token): Token,
) -> Result<Response, HttpError> {
    let token = token.ok_or_else(|| AppError::Unauthenticated("sign in first".into()))?;
    let Some(_until) = sessions::remember(&state.ctx, &token).await? else {
        return Err(AppError::Unauthenticated("the session has ended".into()).into());
    };
    let age = state.ctx.settings.remembered_session_ttl.num_seconds();
    Ok(cookie_header(
        &state,
        &token,
        cookie::time::Duration::seconds(age),
    ))
}

#[derive(serde::Serialize)]
struct Resumed {
    token: String,
}

#[tracing::instrument(skip_all)]
pub async fn resume(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    same_origin_script(&headers)?;
    let ended = || {
        let mut r = cookie_header(&state, "", cookie::time::Duration::ZERO);
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        r
    };
    let Some(token) = cookie_token(&headers) else {
        return Ok(ended());
    };
    if accounts::resolve_bearer(&state.ctx, &token)
        .await?
        .is_none()
    {
        return Ok(ended());
    }
    let mut resp = Json(Resumed { token }).into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[tracing::instrument(skip_all)]
pub async fn forget(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    same_origin_script(&headers)?;
    Ok(cookie_header(&state, "", cookie::time::Duration::ZERO))
}
