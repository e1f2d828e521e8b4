//! Text helpers: diacritic-free search folding and safe Markdown rendering.

/// Lower-case ASCII folding: "Thông cáo BÁO CHÍ về Đà Nẵng" -> "thong cao bao chi ve da nang".
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase()
}

/// The folded words of a text: runs of ASCII letters and digits after `fold` (so nothing in
/// them is search or markup syntax).
pub fn folded_words(text: &str) -> Vec<String> {
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

/// Markdown to HTML with everything unsafe removed (scripts, event handlers, javascript: URLs).
pub fn markdown_to_safe_html(markdown: &str) -> String {
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
