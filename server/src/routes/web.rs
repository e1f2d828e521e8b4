//! The web application, embedded in the binary from `web/` (no CDN, no build step).
use super::AppState;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../web/"]
struct Assets;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        // A release's canonical URL (in feeds, e-mails and outlets' links) is the web app, which
        // opens its page; whether the viewer may see it is the API's answer, as everywhere.
        .route("/releases/{id}", get(index))
        // Browsers and feed readers ask for it whatever the page links.
        .route("/favicon.ico", get(|| async { serve("favicon.svg") }))
        .fallback(get(asset))
}

async fn index() -> Response {
    serve("index.html")
}

async fn asset(uri: Uri) -> Response {
    serve(uri.path().trim_start_matches('/'))
}

pub(super) fn serve(path: &str) -> Response {
    match Assets::get(path) {
        Some(file) => {
            let mime = file.metadata.mimetype().to_owned();
            // The service worker too: browsers check it for updates, and must get the new one.
            let cache = if path.ends_with("index.html") || path == "sw.js" {
                "no-cache"
            } else {
                "public, max-age=300"
            };
            (
                [
                    (header::CONTENT_TYPE, mime),
                    (header::CACHE_CONTROL, cache.to_owned()),
                ],
                file.data.into_owned(),
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
