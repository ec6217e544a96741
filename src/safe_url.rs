//! The one URL rule. Every URL that leaves the library — `href` and `src` in
//! the HTML, `meta.cover`, `meta.thumbnail`, `images[].src` — is either
//! relative, `http(s):`, `mailto:`, or (for images only) `data:image/…`.

use url::Url;

/// Where a URL will be used: `data:image/…` is fine for an image and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// An `href`, a permalink: relative, `http(s):` or `mailto:`.
    Link,
    /// A `src`, a cover, a thumbnail: those of a link, or `data:image/…`.
    Image,
}

/// Parses the `baseUrl` option: it must be an absolute http(s) URL.
pub fn parse_base(base: &str) -> Result<Url, String> {
    let url =
        Url::parse(base.trim()).map_err(|e| format!("`{base}` is not an absolute URL ({e})"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        scheme => Err(format!(
            "`{base}` has scheme `{scheme}`; only http and https can be a base"
        )),
    }
}

/// The URL as a browser would read it, if it is safe in `context`; `None` otherwise.
///
/// Browsers drop ASCII tab and newline anywhere in a URL and trim control
/// characters and spaces at both ends, so `java\tscript:` is `javascript:`;
/// the check is made on that reading, and that reading is what is returned.
///
/// ```
/// use article_render::safe_url::{safe, Context};
/// assert_eq!(safe(" https://a.example/x.png ", Context::Image).as_deref(), Some("https://a.example/x.png"));
/// assert_eq!(safe("java\tscript:alert(1)", Context::Link), None);
/// assert_eq!(safe("data:image/png;base64,AAAA", Context::Link), None);
/// ```
pub fn safe(url: &str, context: Context) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let allowed = match scheme(&cleaned) {
        None => true,
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => true,
        Some(s) if s.eq_ignore_ascii_case("mailto") => context == Context::Link,
        Some(s) if s.eq_ignore_ascii_case("data") => {
            context == Context::Image
                && cleaned
                    .get(..11)
                    .is_some_and(|p| p.eq_ignore_ascii_case("data:image/"))
        }
        Some(_) => false,
    };
    allowed.then_some(cleaned)
}

/// `safe`, then resolved against `base` when the URL is relative.
pub fn safe_resolved(url: &str, context: Context, base: Option<&Url>) -> Option<String> {
    let cleaned = safe(url, context)?;
    match base {
        Some(base) if scheme(&cleaned).is_none() => base.join(&cleaned).ok().map(String::from),
        _ => Some(cleaned),
    }
}

/// The scheme of an absolute URL: letters, digits, `+-.` before the first `:`,
/// when that `:` comes before any `/`, `?` or `#`.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let candidate = &url[..end];
    (url[end..].starts_with(':')
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_schemes() {
        for url in [
            "https://a.example/",
            "HTTP://a.example",
            "/root",
            "rel/x.png",
            "#frag",
            "?q",
            "//cdn.example/x",
        ] {
            assert!(safe(url, Context::Link).is_some(), "{url} is a safe link");
        }
        assert!(
            safe("mailto:a@b.example", Context::Link).is_some(),
            "mailto is a safe link"
        );
        assert!(
            safe("mailto:a@b.example", Context::Image).is_none(),
            "mailto is no image"
        );
        assert!(
            safe("DATA:image/gif;base64,R0lG", Context::Image).is_some(),
            "data images are fine as images"
        );
    }

    #[test]
    fn dangerous_schemes_in_disguise() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " \u{1}javascript:alert(1)",
            "java\nscript:alert(1)",
            "java\tscript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml,x",
            "file:///etc/passwd",
        ] {
            assert!(
                safe(url, Context::Link).is_none(),
                "{url:?} is refused as a link"
            );
        }
        assert!(
            safe("data:text/html;base64,AAAA", Context::Image).is_none(),
            "only data:image/ is an image"
        );
    }

    #[test]
    fn relative_urls_resolve_against_base() {
        let base = parse_base("https://blog.example/posts/a/").unwrap();
        assert_eq!(
            safe_resolved("img/x.png", Context::Image, Some(&base)).unwrap(),
            "https://blog.example/posts/a/img/x.png"
        );
        assert_eq!(
            safe_resolved("https://o.example/y", Context::Link, Some(&base)).unwrap(),
            "https://o.example/y"
        );
        // Scheme-relative: another host on the base's scheme, as a browser
        // reads it (`\` is `/` in http(s) URLs); without a base it stays
        // as written and the page's scheme applies.
        for url in ["//cdn.example/t.png", "/\\cdn.example/t.png"] {
            assert_eq!(
                safe_resolved(url, Context::Image, Some(&base)).unwrap(),
                "https://cdn.example/t.png"
            );
            assert_eq!(safe_resolved(url, Context::Image, None).unwrap(), url);
        }
    }

    #[test]
    fn base_must_be_http() {
        assert!(parse_base("javascript:alert(1)").is_err());
        assert!(parse_base("relative/path").is_err());
    }
}
