//! The one URL rule. Every URL that leaves the library — `href` and `src` in
//! the HTML, `meta.cover`, `meta.thumbnail`, `images[].src` — is either
//! relative, `http(s):`, `mailto:`, or (for images only) a `data:` URL of a
//! raster image type (PNG, JPEG, GIF, WebP, AVIF, BMP, ICO).
//!
//! [`runs_as_script_or_document`] is the weaker rule for values that are not
//! known to be URLs (`meta.extra`): it refuses only what a browser would run or
//! show as a document, so that plain text with a colon is left alone.

use std::borrow::Cow;

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
/// assert_eq!(safe("data:image/svg+xml,<svg/>", Context::Image), None);
/// ```
pub fn safe(url: &str, context: Context) -> Option<Cow<'_, str>> {
    let cleaned = browser_reading(url);
    let allowed = match scheme(&cleaned) {
        None => true,
        Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => true,
        Some(s) if s.eq_ignore_ascii_case("mailto") => context == Context::Link,
        Some(s) if s.eq_ignore_ascii_case("data") => {
            context == Context::Image && is_raster_data(&cleaned)
        }
        Some(_) => false,
    };
    allowed.then_some(cleaned)
}

/// MIME types of the `data:` URLs allowed as images. SVG is not one: inert in
/// `<img>`, an SVG document runs its script in an `<object>`, an `<embed>` or
/// a frame, and a host may put any image URL of the result there. Browsers
/// decode these types as images whatever the bytes hold (they never sniff
/// their way to SVG), so the declared type is what counts.
const RASTER_TYPES: &[&str] = &[
    "image/png",
    "image/apng",
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
];

/// Whether `url` (already without what browsers strip) is a `data:` URL of a
/// raster image type: the type right after `data:`, then `;` or `,`, case
/// ignored. Browsers would also trim white space around the type; nobody
/// writes it there but to get past a filter, so it is refused.
fn is_raster_data(url: &str) -> bool {
    let Some(rest) = url
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])
    else {
        return false;
    };
    let end = rest.find([';', ',']).unwrap_or(rest.len());
    rest[end..].starts_with([';', ','])
        && RASTER_TYPES
            .iter()
            .any(|t| t.eq_ignore_ascii_case(&rest[..end]))
}

/// Whether a browser given `value` as a URL (an `href`, a `src`, a
/// navigation) would run it as script or load it as a document: a
/// `javascript:` or `vbscript:` URL, or a `data:` URL that is not a raster
/// image. Read as browsers read a URL (ends trimmed of spaces and control
/// characters, tabs and newlines dropped anywhere, scheme case ignored). The
/// scheme is what decides, so text that merely has a colon — `Chapter 1:
/// Intro`, `note:`, `10:30`, `C:\path` — is not a URL of these kinds.
///
/// Character references are not decoded here: a caller that wants the
/// forms a host's HTML template would produce decodes them first.
///
/// ```
/// use article_render::safe_url::runs_as_script_or_document;
/// assert!(runs_as_script_or_document(" \u{1}JaVa\tScript:alert(1)"));
/// assert!(runs_as_script_or_document("data:text/html;base64,PHNjcmlwdD4="));
/// assert!(runs_as_script_or_document("data:image/svg+xml,<svg onload=alert(1)>"));
/// assert!(!runs_as_script_or_document("data:image/png;base64,iVBORw0KGgo="));
/// assert!(!runs_as_script_or_document("Chapter 1: Intro"));
/// assert!(!runs_as_script_or_document("javascript"));
/// ```
pub fn runs_as_script_or_document(value: &str) -> bool {
    let cleaned = browser_reading(value);
    match scheme(&cleaned) {
        Some(s) if s.eq_ignore_ascii_case("javascript") || s.eq_ignore_ascii_case("vbscript") => {
            true
        }
        Some(s) if s.eq_ignore_ascii_case("data") => !is_raster_data(&cleaned),
        _ => false,
    }
}

/// `url` as the URL parser sees it: C0 controls and spaces trimmed from
/// both ends, ASCII tab and newline removed everywhere.
fn browser_reading(url: &str) -> Cow<'_, str> {
    let trimmed = url.trim_matches(|c: char| c <= ' ');
    // Nearly every URL has none to remove: borrowed, not copied by the
    // char (which was 2 % of a Markdown render).
    if memchr::memchr3(b'\t', b'\n', b'\r', trimmed.as_bytes()).is_none() {
        return Cow::Borrowed(trimmed);
    }
    trimmed
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// `safe`, then resolved against `base` when the URL is relative.
pub fn safe_resolved(url: &str, context: Context, base: Option<&Url>) -> Option<String> {
    let cleaned = safe(url, context)?;
    match base {
        Some(base) if scheme(&cleaned).is_none() => base.join(&cleaned).ok().map(String::from),
        _ => Some(cleaned.into_owned()),
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
    fn data_images_are_raster_only() {
        for url in [
            "data:image/png;base64,iVBORw0KGgo=",
            "DATA:IMAGE/JPEG;base64,/9j/4AAQ",
            "data:image/webp,x",
            "data:image/avif;base64,AAAA",
            "data:image/gif;name=a.gif;base64,R0lG",
        ] {
            assert!(
                safe(url, Context::Image).is_some(),
                "{url:?} is a raster image"
            );
            assert!(!runs_as_script_or_document(url), "{url:?} runs nothing");
        }
        for url in [
            "data:image/svg+xml,<svg onload=alert(1)>",
            "data:image/svg+xml;base64,PHN2Zz4=",
            "data: image/svg+xml,<svg onload=alert(1)>",
            "data: image/png;base64,iVBO",
            "data:image/png ;base64,iVBO",
            "data:image/png",
            "data:image/SVG+XML;charset=utf-8,<svg/onload=alert(1)>",
            "data:,<script>alert(1)</script>",
            "data:image/png<svg>,x",
            "data:text/html,<img src=x onerror=alert(1)>",
            "data:application/xhtml+xml,x",
        ] {
            assert!(
                safe(url, Context::Image).is_none(),
                "{url:?} is not a raster image"
            );
            assert!(
                runs_as_script_or_document(url),
                "{url:?} is a document or script"
            );
        }
    }

    /// Values of `meta.extra` are judged by scheme, as a browser's URL parser
    /// would: text that only contains a colon is not a URL of any kind.
    #[test]
    fn plain_text_with_colons_is_not_script() {
        for text in [
            "Chapter 1: Intro",
            "note:",
            "10:30",
            "C:\\path\\to\\file",
            "Re: javascript: the good parts",
            "Java script: a primer",
            "ratio 16:9",
            "javascript",
            "Note: data:text/html is refused elsewhere",
            "https://example.com/javascript:x",
            "/javascript:alert(1)",
            "mailto:a@b.example",
            "tel:+1-555",
            "",
        ] {
            assert!(!runs_as_script_or_document(text), "{text:?} is left alone");
        }
        for url in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "  javascript:alert(1)",
            "\u{0}\u{1f}javascript:alert(1)",
            "java\tscr\nipt\r:alert(1)",
            "VBScript:MsgBox(1)",
            "javascript:",
        ] {
            assert!(runs_as_script_or_document(url), "{url:?} runs script");
        }
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
