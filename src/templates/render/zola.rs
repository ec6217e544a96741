//! Zola's shortcodes and internal links, written statically.
//!
//! Zola calls `{{ name(k=v) }}` and `{% name(k=v) %}body{% end %}` with
//! Tera's argument syntax, and resolves `@/path.md` link destinations to the
//! page's permalink. Both need the site (templates, `base_url`): this module
//! renders the shortcodes that Zola and the common themes document, and
//! resolves `@/` links against `baseUrl` when there is one.

use super::*;
use crate::find;

impl Renderer<'_> {
    /// A Zola shortcode with no body (or a note written inline).
    pub(super) fn zola_single(&mut self, tag: &Tag, args: &ZolaArgs) -> Option<Out> {
        let title = args.text("title");
        Some(match tag.name {
            "youtube" => {
                let (url, label) = match (args.text("id"), args.text("playlist")) {
                    (Some(id), _) => (
                        format!("https://www.youtube.com/watch?v={}", path_segment(id)),
                        format!("YouTube video {id}"),
                    ),
                    (None, Some(list)) => (
                        format!(
                            "https://www.youtube.com/playlist?list={}",
                            path_segment(list)
                        ),
                        format!("YouTube playlist {list}"),
                    ),
                    (None, None) => return None,
                };
                self.card(tag, "video-card", &url, title.unwrap_or(&label))
            }
            "vimeo" | "streamable" => {
                let id = args.text("id")?;
                let (host, site) = match tag.name {
                    "vimeo" => ("vimeo.com", "Vimeo"),
                    _ => ("streamable.com", "Streamable"),
                };
                let url = format!("https://{host}/{}", path_segment(id));
                let label = format!("{site} video {id}");
                self.card(tag, "video-card", &url, title.unwrap_or(&label))
            }
            "bilibili" => {
                let id = args.first(&["id", "bvid", "bv", "aid", "av"])?;
                let url = bilibili_url(id);
                let label = format!("Bilibili video {id}");
                self.card(tag, "video-card", &url, title.unwrap_or(&label))
            }
            "gist" => {
                let url = args.text("url")?;
                let label = match args.text("file") {
                    Some(file) => format!("GitHub Gist ({file})"),
                    None => "GitHub Gist".to_owned(),
                };
                if !url.starts_with("https://") {
                    return None;
                }
                self.card(tag, "link-card", url, &label)
            }
            name if zola_note(name) => {
                let mut html = zola_aside(name, args);
                if let Some(text) = args.first(&["text", "body", "content"]) {
                    html.push_str(&format!("<p>{}</p>", escape_html(text)));
                }
                html.push_str("</aside>");
                Out::Block(html)
            }
            name if zola_image(name) => self.zola_images(tag, args)?,
            _ => return None,
        })
    }

    /// Every image a shortcode names (`src`, `path`, `light_src`,
    /// `toggled_src`, `sources=[…]` …) in one figure, with its caption and link.
    fn zola_images(&mut self, tag: &Tag, args: &ZolaArgs) -> Option<Out> {
        let caption = args.first(&["caption", "title"]);
        let mut images = Vec::new();
        for (key, value) in args.pairs() {
            let prefix = match key {
                "src" | "path" | "source" | "url" => "",
                "sources" => "",
                _ => match key.strip_suffix("_src") {
                    Some(prefix) => prefix,
                    None => continue,
                },
            };
            let sources: Vec<&str> = match value {
                ZolaValue::Str(s) => vec![s.as_str()],
                ZolaValue::Array(items) => items
                    .iter()
                    .filter_map(|v| match v {
                        ZolaValue::Str(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
                _ => continue,
            };
            let alt_key = if prefix.is_empty() {
                "alt".to_owned()
            } else {
                format!("{prefix}_alt")
            };
            let alt = args.text(&alt_key).or(args.text("alt")).or(caption);
            for src in sources.into_iter().filter(|s| !s.trim().is_empty()) {
                images.push(Image {
                    src: src.to_owned(),
                    alt: alt.map(str::to_owned),
                    title: None,
                    width: args.text("width").and_then(digits),
                    height: args.text("height").and_then(digits),
                });
            }
        }
        if images.is_empty() {
            return None;
        }
        let mut html = String::from("<figure>");
        let link = args
            .first(&["link", "href"])
            .and_then(|l| self.url(l, Context::Link, tag));
        if let Some(href) = &link {
            html.push_str(&format!(r#"<a href="{href}">"#));
        }
        for image in &images {
            if is_video(&image.src) {
                let label = format!("Video {}", image.src);
                let alt = image.alt.as_deref().unwrap_or(&label);
                if let Some(href) = self.url(&image.src, Context::Link, tag) {
                    html.push_str(&format!(r#"<a href="{href}">{}</a>"#, escape_html(alt)));
                }
            } else {
                html.push_str(&self.img(tag, image));
            }
        }
        if link.is_some() {
            html.push_str("</a>");
        }
        if let Some(caption) = args.text("caption") {
            // terminimal renders the caption as Markdown.
            html.push_str(&format!(
                "<figcaption>{}</figcaption>",
                inline_markdown(caption)
            ));
        }
        html.push_str("</figure>");
        Some(Out::Block(html))
    }

    /// Arguments Zola itself would refuse: the shortcode is a placeholder.
    pub(super) fn zola_invalid(&mut self, tag: &Tag, problem: &str) {
        self.tally(tag.delim).placeholders += 1;
        self.zola_problem(tag, problem);
        self.placeholder(tag);
    }

    pub(super) fn zola_problem(&mut self, tag: &Tag, problem: &str) {
        let message = format!(
            "The arguments of `{}` do not parse ({problem}); it is shown as a placeholder",
            subject(tag)
        );
        self.report
            .warn("template.invalid-arguments", tag, self.first_line, message);
    }

    /// Text of a Zola body: `@/` link destinations resolved.
    pub(super) fn zola_text(&mut self, range: Range<usize>) {
        let src = self.src;
        let text = &src[range.clone()];
        if !find::contains(text, "@/") {
            self.out.push_str(text);
            return;
        }
        let mut last = 0;
        let mut from = 0;
        // Cursors that only move forward, so a text of many `@/` stays
        // linear: the line each `@/` is on, and the last destination end
        // found with where its search began (no delimiter between them).
        let mut lines = LineCursor::default();
        let mut delimiter: Option<(usize, usize)> = None;
        while let Some(k) = text[from..].find("@/") {
            let at = from + k;
            from = at + 2;
            let inline = text[..at].ends_with("](") || text[..at].ends_with("](<");
            let definition = !inline && lines.is_definition(text, at);
            if !inline && !definition {
                continue;
            }
            let end = match delimiter {
                Some((searched, found)) if searched <= at && at <= found => found,
                _ => {
                    at + text[at..]
                        .find(|c: char| c.is_whitespace() || c == ')' || c == '>')
                        .unwrap_or(text.len() - at)
                }
            };
            delimiter = Some((at, end));
            let target = &text[at + 2..end];
            let line = self.line_of(range.start + at);
            if let Some(url) = self.permalink(target) {
                self.out.push_str(&text[last..at]);
                self.out.push_str(&url);
                last = end;
                from = end;
                continue;
            }
            let message = format!(
                "The internal link `@/{}` needs `baseUrl` to become the page's address; its text is kept without the link",
                short(target)
            );
            if definition {
                // `[id]: @/x.md`: the definition goes; references to it
                // show as their bracketed text.
                self.report.warn_at("template.internal-link", line, message);
                let start = lines.start;
                let stop = text[end..].find('\n').map_or(text.len(), |n| end + n);
                self.out.push_str(&text[last..start]);
                last = stop;
                from = stop;
                continue;
            }
            // `[label](@/x.md)`: the label stays, as text. The label may
            // hold a code span, a token of its own already written out, so
            // its `[` is looked for in the output.
            let close = at - if text[..at].ends_with("](<") { 3 } else { 2 };
            self.out.push_str(&text[last..close]);
            last = close;
            let Some(open) = label_start(&self.out, self.out.len()) else {
                // No label: not a link, and left as written.
                continue;
            };
            self.report.warn_at("template.internal-link", line, message);
            let image = self.out[..open].ends_with('!');
            self.out.remove(open);
            if image {
                self.out.remove(open - 1);
            }
            // HTML of this stage's written after the label's start moves
            // back with the text.
            let removed = 1 + usize::from(image);
            self.generated
                .retain(|r| !r.contains(&(open - usize::from(image))));
            for range in self.generated.iter_mut().filter(|r| r.start > open) {
                *range = range.start - removed..range.end - removed;
            }
            let dest_end = text[end..].find(')').map_or(text.len(), |k| end + k + 1);
            last = dest_end;
            from = dest_end;
        }
        self.out.push_str(&text[last..]);
    }

    /// Zola's permalink of a content file, from `baseUrl` (Hugo's default
    /// one too): `blog/post.md#x` → `{base}/blog/post/#x`; `index.md` and
    /// `_index.md` stand for their section.
    pub(super) fn permalink(&self, target: &str) -> Option<String> {
        let base = self.base.as_ref()?;
        let (path, anchor) = match target.split_once('#') {
            Some((path, anchor)) => (path, format!("#{anchor}")),
            None => (target, String::new()),
        };
        let path = path.strip_suffix(".md").unwrap_or(path);
        let mut parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        if matches!(parts.last(), Some(&"index" | &"_index")) {
            parts.pop();
        }
        let mut url = base.as_str().trim_end_matches('/').to_owned();
        url.push('/');
        for part in parts {
            url.push_str(&path_segment(part));
            url.push('/');
        }
        url.push_str(&anchor);
        Some(url)
    }

    /// The 1-based line of a body position; positions asked only grow.
    fn line_of(&mut self, pos: usize) -> usize {
        let (at, line) = self.line_at;
        if pos < at {
            return self.first_line + count_newlines(&self.src[..pos]);
        }
        let line = line + count_newlines(&self.src[at..pos]);
        self.line_at = (pos, line);
        self.first_line + line - 1
    }
}

/// The note a Zola shortcode opens: its kind from `type` (tabi) or its
/// name, its title from `title` or the kind.
pub(super) fn zola_aside(name: &str, args: &ZolaArgs) -> String {
    let named_kind =
        (name != "admonition" && name != "alert" && name != "notice" && name != "callout")
            .then_some(name);
    let kind = args
        .first(&["type", "kind", "class", "style"])
        .or(named_kind)
        .unwrap_or("note");
    let title = args
        .text("title")
        .map_or_else(|| capitalize(kind), str::to_owned);
    aside(note_kind(kind).unwrap_or("info"), Some(&title))
}

/// Bilibili's address for a BV id, an `av` id or a bare number (an `av` id).
fn bilibili_url(id: &str) -> String {
    let id = id.trim();
    let id = if id.bytes().all(|c| c.is_ascii_digit()) {
        format!("av{id}")
    } else {
        id.to_owned()
    };
    format!("https://www.bilibili.com/video/{}/", path_segment(&id))
}

fn is_video(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    [".mp4", ".webm", ".ogv", ".mov"]
        .iter()
        .any(|ext| path.to_ascii_lowercase().ends_with(ext))
}

/// The line of the latest `@/` looked at; positions asked only grow, so
/// each byte is read about once however long the line.
#[derive(Default)]
struct LineCursor {
    /// Where the line starts.
    start: usize,
    /// Where its leading spaces end.
    content: usize,
    /// How far `text` has been looked through for a newline.
    scanned: usize,
}

impl LineCursor {
    /// `[id]: @/…` at the start of a line (after up to three spaces).
    fn is_definition(&mut self, text: &str, at: usize) -> bool {
        if let Some(n) = text[self.scanned..at].rfind('\n') {
            self.start = self.scanned + n + 1;
            self.content = self.start;
        }
        self.scanned = at;
        // The leading spaces, read once per line.
        let spaces = text.as_bytes()[self.content..at]
            .iter()
            .take_while(|&&b| b == b' ')
            .count();
        self.content += spaces;
        let line = &text[self.content..at];
        // Past the leading spaces `[` starts it; the whitespace trimmed off
        // its end lies after the previous `@/`, so it too is read once.
        line.starts_with('[') && line.trim_end().ends_with("]:")
    }
}

/// The `[` that opens the link label ending with the `]` at `close`, in the
/// same paragraph (and not far: labels are short).
fn label_start(text: &str, close: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = close;
    let stop = close.saturating_sub(1024);
    while i > stop {
        i -= 1;
        match b[i] {
            b']' => depth += 1,
            b'[' if depth == 0 => return Some(i),
            b'[' => depth -= 1,
            b'\n' if text[..i].ends_with('\n') => return None,
            _ => {}
        }
    }
    None
}

/// Inside code, Zola's escapes `{{/* x */}}` read as what they show: `{{ x }}`.
pub(super) fn unescape_zola(code: &str) -> Cow<'_, str> {
    unescape_comments(
        code,
        &[("{{/*", "*/}}", "{{", "}}"), ("{%/*", "*/%}", "{%", "%}")],
    )
}
