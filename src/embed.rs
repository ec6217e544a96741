//! Embeds as links, not holes.
//!
//! The article policy never keeps an `<iframe>` (it would load a page the
//! article chose), and a removed one left blank space. Each `<iframe>`
//! element becomes instead a visible card linking to the embedded page on
//! its host: the player URLs of the common video and music hosts are
//! mapped to their watch pages (a YouTube embed to `youtube.com/watch?v=`),
//! anything else links to the embedded address itself. Only `https`
//! addresses are linked. The card has the shape the template stage writes
//! for `{% youtube %}` and the like, so both can share [`watch_page`] and
//! [`card`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use url::Url;

use crate::options::Embeds;
use crate::rendered::Diagnostics;

/// The page to link to for an embedded player at `src`, with a label for
/// the link and whether it is a video; `None` unless `src` is an absolute
/// `https` URL (or scheme-relative, which the page loads over https).
///
/// ```text
/// https://www.youtube.com/embed/dQw4w9WgXcQ?start=3 → https://www.youtube.com/watch?v=dQw4w9WgXcQ
/// //player.bilibili.com/player.html?bvid=BV1xx411c7mD&page=2 → https://www.bilibili.com/video/BV1xx411c7mD?p=2
/// ```
pub fn watch_page(src: &str) -> Option<Watch> {
    let src = src.trim();
    let absolute = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_owned(),
    };
    let url = Url::parse(&absolute).ok()?;
    if url.scheme() != "https" {
        return None;
    }
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let query = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
            .filter(|v| {
                !v.is_empty()
                    && v.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            })
    };
    let id = |segment: Option<&&str>| {
        segment
            .filter(|s| {
                s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
            })
            .map(|s| s.to_string())
    };
    let video = |url: String, label: String| {
        Some(Watch {
            url,
            label,
            video: true,
        })
    };
    let mapped = match (host.as_str(), segments.as_slice()) {
        ("youtube.com" | "youtube-nocookie.com", ["embed", "videoseries"]) => {
            let list = query("list")?;
            video(
                format!("https://www.youtube.com/playlist?list={list}"),
                format!("YouTube playlist {list}"),
            )
        }
        ("youtube.com" | "youtube-nocookie.com", ["embed", rest @ ..]) => {
            let id = id(rest.first())?;
            video(
                format!("https://www.youtube.com/watch?v={id}"),
                format!("YouTube video {id}"),
            )
        }
        ("player.vimeo.com", ["video", rest @ ..]) => {
            let id = id(rest.first())?;
            video(
                format!("https://vimeo.com/{id}"),
                format!("Vimeo video {id}"),
            )
        }
        ("player.bilibili.com", _) => {
            let page = query("page").or_else(|| query("p")).filter(|p| p != "1");
            let page = page.map(|p| format!("?p={p}")).unwrap_or_default();
            match (query("bvid"), query("aid")) {
                (Some(bvid), _) => video(
                    format!("https://www.bilibili.com/video/{bvid}{page}"),
                    format!("Bilibili video {bvid}"),
                ),
                (None, Some(aid)) => video(
                    format!("https://www.bilibili.com/video/av{aid}{page}"),
                    format!("Bilibili video av{aid}"),
                ),
                (None, None) => None,
            }
        }
        ("player.youku.com", ["embed", rest @ ..]) => {
            let id = id(rest.first())?;
            video(
                format!("https://v.youku.com/v_show/id_{id}.html"),
                format!("Youku video {id}"),
            )
        }
        ("v.qq.com", ["txp", "iframe", ..]) => {
            let vid = query("vid")?;
            video(
                format!("https://v.qq.com/x/page/{vid}.html"),
                format!("Tencent Video {vid}"),
            )
        }
        ("music.163.com", ["outchain", "player"]) => {
            let id = query("id")?;
            let kind = match query("type").as_deref() {
                Some("0") => "playlist",
                Some("1") => "album",
                _ => "song",
            };
            Some(Watch {
                url: format!("https://music.163.com/#/{kind}?id={id}"),
                label: format!("NetEase Cloud Music {kind} {id}"),
                video: false,
            })
        }
        ("open.spotify.com", ["embed", kind, id, ..]) => Some(Watch {
            url: format!("https://open.spotify.com/{kind}/{id}"),
            label: format!("Spotify {kind} {id}"),
            video: false,
        }),
        ("codepen.io", [user, "embed", rest @ ..]) => {
            let id = id(rest.last())?;
            Some(Watch {
                url: format!("https://codepen.io/{user}/pen/{id}"),
                label: format!("CodePen {id}"),
                video: false,
            })
        }
        _ => None,
    };
    mapped.or_else(|| {
        Some(Watch {
            label: format!("Embedded page on {host}"),
            url: url.into(),
            video: false,
        })
    })
}

/// Where an embed's card links.
#[derive(Debug, PartialEq, Eq)]
pub struct Watch {
    /// The watch page, or the embedded address: https.
    pub url: String,
    /// Visible text of the link.
    pub label: String,
    /// A video player (`video-card`) or another page (`link-card`).
    pub video: bool,
}

/// The card for an embed: `<p class="video-card"><a href="…">label</a></p>`,
/// or the label alone when there is nothing safe to link to. An embed in
/// running text (`inline`) gets the link alone, `<a class="video-card">`,
/// so that its paragraph is not cut in two.
pub fn card(watch: Option<&Watch>, fallback_label: &str, inline: bool) -> String {
    let (class, link) = match watch {
        Some(watch) => (
            if watch.video {
                "video-card"
            } else {
                "link-card"
            },
            Some((escape(&watch.url), escape(&watch.label))),
        ),
        None => ("link-card", None),
    };
    match (link, inline) {
        (Some((href, label)), false) => {
            format!(r#"<p class="{class}"><a href="{href}">{label}</a></p>"#)
        }
        (Some((href, label)), true) => format!(r#"<a class="{class}" href="{href}">{label}</a>"#),
        (None, false) => format!(r#"<p class="{class}">{}</p>"#, escape(fallback_label)),
        (None, true) => format!(r#"<span class="{class}">{}</span>"#, escape(fallback_label)),
    }
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::escape(text, crate::text::Escape::Html)
}

/// What was done to the embeds of a document, for its diagnostics.
#[derive(Default)]
struct Tally(BTreeMap<&'static str, (usize, Option<usize>)>);

impl Tally {
    fn add(&mut self, code: &'static str, line: Option<usize>) {
        self.0.entry(code).or_insert((0, line)).0 += 1;
    }

    fn report(self, diagnostics: &mut Diagnostics) {
        for (code, (count, line)) in self.0 {
            let times = if count == 1 {
                String::new()
            } else {
                format!(" ({count} times)")
            };
            match code {
                "embed.linked" => diagnostics.info(
                    code,
                    format!(
                        "An <iframe> embed was replaced by a link to the embedded page{times}."
                    ),
                    line,
                ),
                "embed.not-https" => diagnostics.warn(
                    code,
                    format!(
                        "An <iframe> embed has no https address, so its card has no link{times}."
                    ),
                    line,
                ),
                _ => diagnostics.warn(
                    code,
                    format!("An <iframe> embed was removed (`embeds: \"drop\"`){times}."),
                    line,
                ),
            }
        }
    }
}

/// `html` with every `<iframe>…</iframe>` element replaced by its card, or
/// removed with `embeds: "drop"`; each counted in a diagnostic when
/// `diagnostics` is given, at the file line `file_line` maps its line of
/// `html` (from 1) to. The line breaks of an element are kept after its
/// card, so the lines of what follows do not move. An `<iframe>` without
/// an end tag is left alone: [`crate::raw_text`] already made it text.
pub fn replace_iframes<'a>(
    html: &'a str,
    mode: Embeds,
    file_line: impl Fn(u64) -> Option<usize>,
    diagnostics: Option<&mut Diagnostics>,
) -> Cow<'a, str> {
    let bytes = html.as_bytes();
    let has_iframe = memchr::memchr_iter(b'<', bytes).any(|at| {
        bytes
            .get(at + 1..at + 7)
            .is_some_and(|name| name.eq_ignore_ascii_case(b"iframe"))
    });
    if !has_iframe {
        return Cow::Borrowed(html);
    }
    let lower = html.to_ascii_lowercase();
    let mut tally = Tally::default();
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    let mut line = 1u64;
    let mut counted = 0;
    // Where the line of the current iframe starts.
    let mut line_start = 0;
    let mut search = 0;
    while let Some(start) = lower[search..].find("<iframe").map(|i| search + i) {
        search = start + 7;
        // The name must end there: `<iframes>` is another element.
        if !lower[search..].starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/') {
            continue;
        }
        let Some(tag_end) = start_tag_end(html, start) else {
            break;
        };
        let Some(close) = lower[tag_end..].find("</iframe").map(|i| tag_end + i) else {
            break;
        };
        let end = lower[close..]
            .find('>')
            .map_or(html.len(), |i| close + i + 1);
        let src = attribute(&html[start..tag_end], "src");
        let between = &html[counted..start];
        line += between.matches('\n').count() as u64;
        if let Some(newline) = between.rfind('\n') {
            line_start = counted + newline + 1;
        }
        counted = start;
        let file_line = file_line(line);
        out.push_str(&html[from..start]);
        match mode {
            Embeds::Link => {
                let watch = src.as_deref().and_then(watch_page);
                tally.add(
                    if watch.is_some() {
                        "embed.linked"
                    } else {
                        "embed.not-https"
                    },
                    file_line,
                );
                let label = match &src {
                    Some(src) => format!("Embedded page {}", src.trim()),
                    None => "Embedded page".to_owned(),
                };
                // Alone on its line it is a block; after text, part of it.
                let inline = !html[line_start..start].trim().is_empty();
                out.push_str(&card(watch.as_ref(), &label, inline));
            }
            Embeds::Drop => tally.add("embed.dropped", file_line),
        }
        out.extend(std::iter::repeat_n(
            '\n',
            html[start..end].matches('\n').count(),
        ));
        from = end;
        search = end;
    }
    if from == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[from..]);
    if let Some(diagnostics) = diagnostics {
        tally.report(diagnostics);
    }
    Cow::Owned(out)
}

/// The offset just after the `>` of the start tag at `start`, quotes
/// respected.
fn start_tag_end(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` in a start tag, character references
/// decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut at = tag.find(|c: char| c.is_ascii_whitespace())?;
    while at < bytes.len() {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        let name_end = tag[at..]
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .map_or(tag.len(), |i| at + i);
        let attr = &tag[at..name_end];
        at = name_end;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = None;
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            let (start, end) = match bytes.get(at) {
                Some(q @ (b'"' | b'\'')) => {
                    let close = tag[at + 1..]
                        .find(*q as char)
                        .map_or(tag.len(), |i| at + 1 + i);
                    (at + 1, close)
                }
                _ => {
                    let end = tag[at..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(tag.len(), |i| at + i);
                    (at, end)
                }
            };
            value = Some(&tag[start..end]);
            at = end + 1;
        }
        if attr.eq_ignore_ascii_case(name) {
            return value.map(crate::text::plain);
        }
        if attr.is_empty() || attr == ">" {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn watch(src: &str) -> Option<String> {
        watch_page(src).map(|w| w.url)
    }

    #[test]
    fn players_map_to_their_watch_pages() {
        for (src, page) in [
            (
                "https://www.youtube.com/embed/dQw4w9WgXcQ?start=3",
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            ),
            (
                "https://www.youtube-nocookie.com/embed/videoseries?list=PL123",
                "https://www.youtube.com/playlist?list=PL123",
            ),
            (
                "https://player.vimeo.com/video/76979871?h=8272103f6e",
                "https://vimeo.com/76979871",
            ),
            (
                "//player.bilibili.com/player.html?aid=2&bvid=BV1xx411c7mD&cid=1&page=2",
                "https://www.bilibili.com/video/BV1xx411c7mD?p=2",
            ),
            (
                "https://player.bilibili.com/player.html?aid=170001",
                "https://www.bilibili.com/video/av170001",
            ),
            (
                "//music.163.com/outchain/player?type=2&id=28793052&auto=0&height=66",
                "https://music.163.com/#/song?id=28793052",
            ),
            (
                "https://codepen.io/someone/embed/abcDEF?default-tab=result",
                "https://codepen.io/someone/pen/abcDEF",
            ),
            (
                "https://maps.example.org/embed?pb=1",
                "https://maps.example.org/embed?pb=1",
            ),
        ] {
            assert_eq!(watch(src).as_deref(), Some(page), "{src}");
        }
        for unsafe_src in [
            "http://www.youtube.com/embed/x",
            "javascript:alert(1)",
            "data:text/html,x",
            "/relative",
            "",
        ] {
            assert_eq!(watch(unsafe_src), None, "{unsafe_src}: https only");
        }
    }

    #[test]
    fn iframes_become_cards_and_keep_their_lines() {
        let html = "<p>a</p>\n<IFRAME\n  src=\"https://player.vimeo.com/video/1\" allowfullscreen></iframe>\n<p>b</p><iframe src=http://x.example/></iframe><iframes>";
        let mut diagnostics = Diagnostics::default();
        let out = replace_iframes(
            html,
            Embeds::Link,
            |l| Some(l as usize + 10),
            Some(&mut diagnostics),
        );
        assert_eq!(
            out,
            "<p>a</p>\n<p class=\"video-card\"><a href=\"https://vimeo.com/1\">Vimeo video 1</a></p>\n\n<p>b</p><span class=\"link-card\">Embedded page http://x.example/</span><iframes>"
        );
        let codes: Vec<_> = diagnostics.0.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [("embed.linked", Some(12)), ("embed.not-https", Some(14))]
        );
        let dropped = replace_iframes(html, Embeds::Drop, |_| None, None);
        assert_eq!(dropped, "<p>a</p>\n\n\n<p>b</p><iframes>");
        assert_eq!(
            replace_iframes("<iframe src=x>", Embeds::Link, |_| None, None),
            "<iframe src=x>"
        );
    }
}
