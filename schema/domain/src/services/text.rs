//! Text helpers: diacritic-free search folding and safe Markdown rendering.

/// Lower-case ASCII folding: "Thông cáo BÁO CHÍ về Đà Nẵng" -> "thong cao bao chi ve da nang".
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The folded words of a text: runs of ASCII letters and digits after `fold` (so nothing in
/// them is search or markup syntax).
pub(crate) fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Rendered release bodies kept, by bytes of HTML.
const RENDERED_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Clone)]
struct ByLength;

impl quick_cache::Weighter<[u8; 32], std::sync::Arc<str>> for ByLength {
    fn weight(&self, _: &[u8; 32], html: &std::sync::Arc<str>) -> u64 {
        html.len() as u64 + 64
    }
}

static RENDERED: std::sync::LazyLock<
    quick_cache::sync::Cache<[u8; 32], std::sync::Arc<str>, ByLength>,
> = std::sync::LazyLock::new(|| {
    quick_cache::sync::Cache::with_weighter(4_096, RENDERED_BYTES, ByLength)
});

/// A release body as safe HTML, rendered once per distinct text (keyed by its SHA-256) for
/// every reader and channel (`bodyHtml`, e-mail, Atom, ninjs): a page of bodies that others
/// already read costs a hash each, not a rendering. Only stored bodies come here; previews of
/// arbitrary text (`renderMarkdown`) do not, so nobody can fill the cache with their own.
pub fn release_html(body: &str) -> std::sync::Arc<str> {
    use sha2::Digest;
    let key: [u8; 32] = sha2::Sha256::digest(body.as_bytes()).into();
    if let Some(html) = RENDERED.get(&key) {
        return html;
    }
    let html: std::sync::Arc<str> = markdown_to_safe_html(body).into();
    RENDERED.insert(key, html.clone());
    html
}

/// Bodies longer than this are rendered on a blocking thread when not cached.
pub const RENDER_INLINE_BYTES: usize = 16 * 1024;

/// Renderings running at once: one core fewer than the machine has (at least one), so the
/// runtime's workers always have a core. Each long rendering builds a sanitiser's document tree
/// of tens of MB: unbounded, a few requests of aliased previews took the server from 66 MB to
/// over 900 MB (pressnet-bench abuse).
static RENDERING: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1))
});

/// Runs a rendering on a blocking thread, at most `RENDERING`'s permits at a time; a request
/// whose renderings wait holds nothing but its place in the queue.
pub async fn render_off_runtime<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> crate::error::AppResult<T> {
    use crate::error::ResultExt;
    let permit = RENDERING.acquire().await.internal("waiting to render")?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f()
    })
    .await
    .internal("rendering")
}

/// Markdown to HTML with everything unsafe removed (scripts, event handlers, javascript: URLs).
pub(crate) fn markdown_to_safe_html(markdown: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    // No images: a remote one is a tracking pixel in every journalist's browser and mail
    // client (and the CSP would refuse it); source material travels as attachments.
    ammonia::Builder::default()
        .rm_tags(["img"])
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(
            fold("Thông cáo BÁO CHÍ về Đà Nẵng"),
            "thong cao bao chi ve da nang"
        );
    }

    #[test]
    fn strips_script() {
        let h =
            markdown_to_safe_html("**Họp báo** <script>alert(1)</script> [x](javascript:alert(1))");
        assert!(h.contains("<strong>Họp báo</strong>"));
        assert!(!h.contains("script"));
        assert!(!h.contains("javascript"));
    }
}
