//! Writing each construct as what its site would show, statically, and the
//! escaping and diagnostics that go with it.

use super::*;

mod zola;

use zola::*;

/// The HTML of one construct and where it goes.
enum Out {
    /// Inside the line, as inline HTML (text escaped for Markdown too).
    Inline(String),
    /// Alone between blank lines, as an HTML block.
    Block(String),
}

/// A pair being rendered; tabs collect `<!-- tab … -->` markers.
pub(super) struct Open {
    tabs: Option<Tabs>,
    /// Closes what the opening tag wrote, when that is not its usual element
    /// (a note with a summary is a `<details>`).
    end: Option<&'static str>,
}

struct Tabs {
    name: String,
    /// 1-based index of the tab shown open; 0 for none.
    active: usize,
    count: usize,
    open: bool,
}

/// The start of the current line and its container prefix, remembered
/// because positions only move forward.
#[derive(Default)]
struct LineCache {
    pos: usize,
    line_start: usize,
    info_for: Option<usize>,
    /// First position of the line after the container prefix and blanks.
    first_content: usize,
    /// The prefix for following lines: list markers become spaces.
    continuation: String,
}

impl LineCache {
    fn at(&mut self, src: &str, pos: usize) -> (usize, usize, &str) {
        if pos < self.pos {
            *self = LineCache::default();
        }
        if let Some(i) = src[self.pos..pos].rfind('\n') {
            self.line_start = self.pos + i + 1;
        }
        self.pos = pos;
        if self.info_for != Some(self.line_start) {
            let line = &src[self.line_start..line_end(src, self.line_start)];
            let prefix = container_prefix_len(line);
            self.continuation = line[..prefix]
                .chars()
                .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
                .collect();
            self.first_content = self.line_start + prefix;
            self.info_for = Some(self.line_start);
        }
        (self.line_start, self.first_content, &self.continuation)
    }
}

pub(super) struct Renderer<'s> {
    src: &'s str,
    markdown: bool,
    zola: bool,
    base: Option<url::Url>,
    /// A position in `src` and its 1-based line, moved forward as text is
    /// read, so that finding the line of a position stays linear.
    line_at: (usize, usize),
    first_line: usize,
    out: String,
    /// Where in `out` this stage wrote HTML of its own (text escaped, tags
    /// fixed), in order: the Markdown fast path may take it (see
    /// [`super::Expanded::generated`]).
    generated: Vec<Range<usize>>,
    lines: LineCache,
    report: Report,
    summary: Summary,
}

impl<'s> Renderer<'s> {
    /// A renderer for the body `src`, whose first line is line
    /// `first_line` of the file.
    pub(super) fn new(src: &'s str, setup: &Setup, first_line: usize) -> Self {
        Renderer {
            src,
            markdown: setup.markdown,
            zola: setup.zola,
            base: setup.base.cloned(),
            line_at: (0, 1),
            first_line,
            out: String::with_capacity(src.len() + src.len() / 4),
            generated: Vec::new(),
            lines: LineCache::default(),
            report: Report::default(),
            summary: Summary::default(),
        }
    }

    /// The body written, where it holds HTML of this stage's, and what was
    /// done with its constructs; the diagnostics go to `diagnostics`.
    pub(super) fn finish(
        self,
        diagnostics: &mut Diagnostics,
    ) -> (String, Vec<Range<usize>>, Summary) {
        self.report.finish(diagnostics);
        (self.out, self.generated, self.summary)
    }

    /// Writes HTML this stage built (text escaped, tags its own), and notes
    /// where.
    fn push_generated(&mut self, html: &str) {
        let start = self.out.len();
        self.out.push_str(html);
        self.generated.push(start..self.out.len());
    }

    pub(super) fn render(&mut self, tokens: &[Token<'s>], roles: &[Role]) {
        let mut open: Vec<Open> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Text(range) => match open.last_mut() {
                    Some(Open {
                        tabs: Some(tabs), ..
                    }) => self.tab_text(range.clone(), tabs),
                    _ if self.zola => self.zola_text(range.clone()),
                    _ => self.out.push_str(&self.src[range.clone()]),
                },
                Token::Code(range) => {
                    let code = if self.zola {
                        unescape_zola(&self.src[range.clone()])
                    } else {
                        unescape_shortcodes(&self.src[range.clone()])
                    };
                    self.count_literal(&code);
                    self.out.push_str(&code);
                }
                Token::Escaped { delim, span, inner } => {
                    self.tally(*delim).text += 1;
                    let (open, close) = match delim {
                        Delim::Angle => ("{{<", ">}}"),
                        Delim::ZolaInline => ("{{", "}}"),
                        Delim::ZolaBody => ("{%", "%}"),
                        _ => ("{{%", "%}}"),
                    };
                    let shown = format!("{open}{}{close}", &self.src[inner.clone()]);
                    self.emit(span.clone(), Out::Inline(escape_inline(&shown)));
                }
                Token::Malformed(tag) => {
                    self.tally(tag.delim).text += 1;
                    let close = match tag.delim {
                        Delim::Liquid => "%}",
                        Delim::Angle => ">}}",
                        Delim::Percent => "%}}",
                        Delim::ZolaInline => ") }}",
                        Delim::ZolaBody => ") %}",
                    };
                    let subject = short(&self.src[tag.span.clone()]);
                    self.report.warn(
                        "template.unclosed-tag",
                        tag,
                        self.first_line,
                        format!("`{subject}` is not closed by `{close}`; it is shown as text"),
                    );
                    self.literal(tag);
                }
                Token::Verbatim { tag, content, end } => self.verbatim(tag, content.clone(), *end),
                Token::Tag(tag) => match roles[i] {
                    Role::Single => self.single(tag),
                    Role::Open(_) => {
                        let state = self.open(tag);
                        open.push(state);
                    }
                    Role::Close(j) => {
                        let state = open.pop().unwrap_or(Open {
                            tabs: None,
                            end: None,
                        });
                        match &tokens[j] {
                            Token::Tag(opener) => self.close(opener, tag, state),
                            _ => self.literal(tag),
                        }
                    }
                    Role::Placeholder => {
                        self.tally(tag.delim).placeholders += 1;
                        self.unknown(tag);
                        self.placeholder(tag);
                    }
                    Role::Unclosed => {
                        self.tally(tag.delim).text += 1;
                        let message = format!(
                            "`{}` is never closed by `{}`; it is shown as text",
                            subject(tag),
                            closing_subject(tag)
                        );
                        self.report
                            .warn("template.unclosed-tag", tag, self.first_line, message);
                        self.literal(tag);
                    }
                    Role::Unmatched | Role::Pass => {
                        self.tally(tag.delim).text += 1;
                        let message = if tag.delim.family() == Family::Zola {
                            "`{% end %}` closes no open shortcode; it is shown as text".to_owned()
                        } else {
                            format!(
                                "`{}` closes no open `{}`; it is shown as text",
                                closing_subject(tag),
                                subject(tag)
                            )
                        };
                        self.report
                            .warn("template.unmatched-tag", tag, self.first_line, message);
                        self.literal(tag);
                    }
                },
            }
        }
    }

    fn tally(&mut self, delim: Delim) -> &mut Tally {
        match delim.family() {
            Family::Liquid => &mut self.summary.liquid,
            Family::Hugo => &mut self.summary.hugo,
            Family::Zola => &mut self.summary.zola,
        }
    }

    /// Counts the constructs in code, which stay as written.
    fn count_literal(&mut self, code: &str) {
        let b = code.as_bytes();
        let mut i = 0;
        while let Some(k) = code[i..].find('{') {
            let at = i + k;
            i = at + 1;
            let (delim, from) = match (b.get(at + 1), b.get(at + 2)) {
                (Some(b'%'), _) => (Delim::Liquid, at + 2),
                (Some(b'{'), Some(b'<')) => (Delim::Angle, at + 3),
                (Some(b'{'), Some(b'%')) => (Delim::Percent, at + 3),
                _ => continue,
            };
            let j = skip_space(b, from);
            let closing = match delim {
                Delim::Liquid => code[j..].starts_with("end"),
                _ => b.get(j) == Some(&b'/'),
            };
            if !closing && b.get(j).is_some_and(|c| c.is_ascii_alphabetic()) {
                self.tally(delim).text += 1;
            }
        }
    }

    fn emit(&mut self, span: Range<usize>, out: Out) {
        match out {
            Out::Inline(html) => {
                self.push_generated(&html);
                self.pad(span, &html);
            }
            Out::Block(html) if !self.markdown => {
                self.push_generated(&html);
                self.pad(span, &html);
            }
            Out::Block(html) => self.block(span, &html),
        }
    }

    /// In an HTML body, keeps the line count of the file so that later
    /// diagnostics point at the right line.
    fn pad(&mut self, span: Range<usize>, html: &str) {
        if !self.markdown {
            let missing = count_newlines(&self.src[span]).saturating_sub(count_newlines(html));
            self.out.extend(std::iter::repeat_n('\n', missing));
        }
    }

    /// Block HTML in Markdown: alone on its line, blank lines around, in the
    /// same list item or quote as the tag was.
    fn block(&mut self, span: Range<usize>, html: &str) {
        let (_, first_content, continuation) = self.lines.at(self.src, span.start);
        let continuation = continuation.to_owned();
        let blank = continuation.trim_end();
        if span.start > first_content {
            self.out.push('\n');
            self.out.push_str(blank);
            self.out.push('\n');
            self.out.push_str(&continuation);
        }
        self.push_generated(html);
        self.out.push('\n');
        self.out.push_str(blank);
        let b = self.src.as_bytes();
        let after = skip_blanks(b, span.end);
        if after < b.len() && b[after] != b'\n' {
            self.out.push('\n');
            self.out.push_str(&continuation);
        }
    }

    /// The tag as the author wrote it, as text.
    fn literal(&mut self, tag: &Tag) {
        let text = escape_inline(&self.src[tag.span.clone()]);
        self.emit(tag.span.clone(), Out::Inline(text));
    }

    fn placeholder(&mut self, tag: &Tag) {
        let html = format!(
            r#"<span class="template-tag">{}</span>"#,
            escape_inline(&self.src[tag.span.clone()])
        );
        self.emit(tag.span.clone(), Out::Inline(html));
    }

    fn unknown(&mut self, tag: &Tag) {
        let what = match tag.delim {
            Delim::Liquid => "tag",
            _ => "shortcode",
        };
        let message = format!(
            "`{}` is not a {what} this library renders; it is shown as a placeholder",
            if tag.closing {
                closing_subject(tag)
            } else {
                subject(tag)
            }
        );
        self.report
            .warn("template.unknown-tag", tag, self.first_line, message);
    }

    /// A safe URL for an attribute, or `None` with a diagnostic.
    fn url(&mut self, raw: &str, context: Context, tag: &Tag) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match safe_url::safe(raw, context) {
            Some(url) => Some(escape_html(&url.replace(' ', "%20"))),
            None => {
                let message = format!("Removed the unsafe URL of `{}`", subject(tag));
                self.report
                    .warn("template.unsafe-url", tag, self.first_line, message);
                None
            }
        }
    }

    fn single(&mut self, tag: &Tag) {
        if tag.delim == Delim::Liquid && tag.name == "include" {
            // Jekyll's include is another file of the site: not here to render.
            self.tally(tag.delim).placeholders += 1;
            let message = format!(
                "`{{% include {} %}}` includes a file of the site that is not available here; it is shown as a placeholder",
                short(tag.args)
            );
            self.report
                .info("template.include", tag, self.first_line, message);
            return self.placeholder(tag);
        }
        let out = match tag.delim.family() {
            Family::Liquid => self.liquid_single(tag),
            Family::Hugo => self.hugo_single(tag),
            Family::Zola => match ZolaArgs::parse(tag.args) {
                Ok(args) => self.zola_single(tag, &args),
                Err(problem) => return self.zola_invalid(tag, &problem),
            },
        };
        match out {
            Some(out) => {
                self.tally(tag.delim).rendered += 1;
                self.emit(tag.span.clone(), out);
            }
            None => {
                self.tally(tag.delim).text += 1;
                let message = format!(
                    "`{}` lacks the address or name it needs; it is shown as text",
                    subject(tag)
                );
                self.report
                    .warn("template.invalid-tag", tag, self.first_line, message);
                self.literal(tag);
            }
        }
    }

    fn liquid_single(&mut self, tag: &Tag) -> Option<Out> {
        let words = words(tag.args);
        let first = words.first().map(String::as_str).unwrap_or("");
        Some(match tag.name {
            "img" | "asset_img" | "image" => {
                let image = if tag.name == "image" {
                    stellar_image(tag.args)?
                } else {
                    hexo_img(&words, tag.name == "asset_img")?
                };
                Out::Inline(self.img(tag, &image))
            }
            "link" if has_comma(tag.args) => {
                // Butterfly, Volantis: `{% link title, url, image %}`; the
                // first address-shaped part is the link, whatever its place.
                let parts = parts(tag.args);
                let url = parts.iter().find(|p| looks_like_url(p))?;
                let text = parts
                    .iter()
                    .find(|p| !looks_like_url(p) && !is_option(p))
                    .map_or(url.as_str(), String::as_str);
                self.link(tag, url, text, "")
            }
            "note" | "noteblock" => {
                // A note on one line (Volantis `{% note warning, text %}`,
                // Stellar `{% note color:red Title text %}`): never closed,
                // so its arguments hold the text.
                let note = hexo_note(tag.args);
                let text = note.text?;
                let mut html = aside(note.kind, note.title.as_deref());
                html.push_str(&format!("<p>{}</p></aside>", escape_html(&text)));
                Out::Block(html)
            }
            "link" => {
                let at = words
                    .iter()
                    .position(|w| looks_like_url(w) && !is_keyed(w))?;
                let mut rest = &words[at + 1..];
                if rest.first().is_some_and(|w| w == "true" || w == "false") {
                    rest = &rest[1..];
                }
                let text = words[..at].join(" ");
                if text.is_empty() {
                    // Stellar: `{% link url [title] [icon:…] [desc:…] %}`,
                    // the address first and the title after it.
                    let title: Vec<&str> = rest
                        .iter()
                        .filter(|w| !is_keyed(w))
                        .map(String::as_str)
                        .collect();
                    return Some(self.link(tag, &words[at], &title.join(" "), ""));
                }
                self.link(tag, &words[at], &text, &rest.join(" "))
            }
            "asset_link" => {
                let mut rest = &words[1.min(words.len())..];
                if rest.last().is_some_and(|w| w == "true" || w == "false") {
                    rest = &rest[..rest.len() - 1];
                }
                self.link(tag, words.first()?, &rest.join(" "), "")
            }
            "post_link" => {
                let mut rest = &words[1.min(words.len())..];
                if rest.last().is_some_and(|w| w == "true" || w == "false") {
                    rest = &rest[..rest.len() - 1];
                }
                let title = rest.join(" ");
                let text = if title.trim().is_empty() {
                    first
                } else {
                    title.trim()
                };
                if text.is_empty() {
                    return None;
                }
                Out::Inline(escape_inline(text))
            }
            "post_path" | "post_url" if !first.is_empty() => Out::Inline(escape_inline(first)),
            "youtube" if !first.is_empty() => {
                let id = path_segment(first);
                if words.get(1).is_some_and(|w| w == "playlist") {
                    let url = format!("https://www.youtube.com/playlist?list={id}");
                    self.card(
                        tag,
                        "video-card",
                        &url,
                        &format!("YouTube playlist {first}"),
                    )
                } else {
                    let url = format!("https://www.youtube.com/watch?v={id}");
                    self.card(tag, "video-card", &url, &format!("YouTube video {first}"))
                }
            }
            "label" if !first.is_empty() => {
                // NexT `primary@text`, Fluid `primary @text`, Butterfly
                // `text color`: the text follows an `@`, or comes first.
                let text = match tag.args.split_once('@') {
                    Some((_, text)) => text.trim().to_owned(),
                    None => first.to_owned(),
                };
                Out::Inline(format!("<mark>{}</mark>", escape_inline(&text)))
            }
            "hideInline" if !tag.args.trim().is_empty() => {
                // Butterfly `content,display,bg,color`: shown, since a
                // static page has no button to press.
                let content = unquote(tag.args.split(',').next().unwrap_or(""));
                Out::Inline(format!("<mark>{}</mark>", escape_inline(content)))
            }
            "inlineImg" if !first.is_empty() => {
                let image = Image {
                    src: first.to_owned(),
                    alt: None,
                    title: None,
                    width: None,
                    height: words.get(1).and_then(|h| digits(h)),
                };
                Out::Inline(self.img(tag, &image))
            }
            "galleryGroup" if words.len() >= 3 => {
                // Butterfly: `name description link image`, a card to an album.
                let (name, description, link) = (&words[0], &words[1], &words[2]);
                let mut html = String::from("<figure>");
                let href = self.url(link, Context::Link, tag);
                if let Some(href) = &href {
                    html.push_str(&format!(r#"<a href="{href}">"#));
                }
                if let Some(src) = words.get(3) {
                    let image = Image {
                        src: src.clone(),
                        alt: Some(name.clone()),
                        title: None,
                        width: None,
                        height: None,
                    };
                    html.push_str(&self.img(tag, &image));
                }
                if href.is_some() {
                    html.push_str("</a>");
                }
                html.push_str(&format!(
                    "<figcaption><strong>{}</strong> {}</figcaption></figure>",
                    escape_html(name),
                    escape_html(description)
                ));
                Out::Block(html)
            }
            "gist" if !first.is_empty() => {
                let url = format!(
                    "https://gist.github.com/{}",
                    first
                        .split('/')
                        .map(path_segment)
                        .collect::<Vec<_>>()
                        .join("/")
                );
                self.card(tag, "link-card", &url, &format!("GitHub Gist {first}"))
            }
            "pdf" if !first.is_empty() => {
                // NexT and Butterfly embed a PDF viewer: a link to the file.
                self.card(tag, "link-card", first, &format!("PDF {first}"))
            }
            "jsfiddle" if !first.is_empty() => {
                let url = format!("https://jsfiddle.net/{}/", path_segment(first));
                self.card(tag, "link-card", &url, &format!("JSFiddle {first}"))
            }
            "bilibili" if !first.is_empty() => {
                // hexo-tag-bilibili and theme tags: a BV id, an av id or its number.
                let id = if first.bytes().all(|c| c.is_ascii_digit()) {
                    format!("av{first}")
                } else {
                    first.to_owned()
                };
                let url = format!("https://www.bilibili.com/video/{}/", path_segment(&id));
                self.card(tag, "video-card", &url, &format!("Bilibili video {id}"))
            }
            "vimeo" if !first.is_empty() => {
                let url = format!("https://vimeo.com/{}", path_segment(first));
                self.card(tag, "video-card", &url, &format!("Vimeo video {first}"))
            }
            "iframe" if !first.is_empty() => {
                self.card(tag, "link-card", first, &format!("Embedded page {first}"))
            }
            "video" if !first.is_empty() => {
                self.card(tag, "video-card", first, &format!("Video {first}"))
            }
            "btn" | "button" => {
                // Butterfly writes `url,text,icon`, Volantis `text, url,
                // icon`, Stellar `text url icon:…`: the link is the part
                // shaped like an address, the text the first plain part.
                let parts = parts(tag.args);
                let url = parts.iter().find(|p| looks_like_url(p))?;
                let text = parts
                    .iter()
                    .find(|p| !looks_like_url(p) && !is_option(p) && !is_icon(p))
                    .map_or(url.as_str(), String::as_str);
                match self.url(url, Context::Link, tag) {
                    Some(href) => Out::Inline(format!(
                        r#"<a class="btn" href="{href}">{}</a>"#,
                        escape_inline(text)
                    )),
                    None => Out::Inline(escape_inline(text)),
                }
            }
            _ => return None,
        })
    }

    fn hugo_single(&mut self, tag: &Tag) -> Option<Out> {
        let params = Params::parse(tag.args);
        Some(match tag.name {
            "figure" => {
                let src = params.named("src").filter(|s| !s.is_empty())?;
                let (title, caption) = (params.named("title"), params.named("caption"));
                let alt = params.named("alt").or(caption).or(title).unwrap_or("");
                let image = Image {
                    src: src.to_owned(),
                    alt: Some(alt.to_owned()),
                    title: None,
                    width: params.named("width").and_then(digits),
                    height: params.named("height").and_then(digits),
                };
                let mut html = String::from("<figure>");
                let link = params
                    .named("link")
                    .and_then(|l| self.url(l, Context::Link, tag));
                if let Some(href) = &link {
                    html.push_str(&format!(r#"<a href="{href}">"#));
                }
                html.push_str(&self.img(tag, &image));
                if link.is_some() {
                    html.push_str("</a>");
                }
                let attr = params.named("attr").filter(|a| !a.is_empty());
                if title.is_some() || caption.is_some() || attr.is_some() {
                    html.push_str("<figcaption>");
                    if let Some(title) = title {
                        html.push_str(&format!("<p><strong>{}</strong></p>", escape_html(title)));
                    }
                    if caption.is_some() || attr.is_some() {
                        html.push_str("<p>");
                        if let Some(caption) = caption {
                            // Hugo's figure markdownifies its caption.
                            html.push_str(&inline_markdown(caption));
                        }
                        if let Some(attr) = attr {
                            if caption.is_some() {
                                html.push(' ');
                            }
                            let href = params
                                .named("attrlink")
                                .and_then(|l| self.url(l, Context::Link, tag));
                            match href {
                                Some(href) => html.push_str(&format!(
                                    r#"<a href="{href}">{}</a>"#,
                                    escape_html(attr)
                                )),
                                None => html.push_str(&escape_html(attr)),
                            }
                        }
                        html.push_str("</p>");
                    }
                    html.push_str("</figcaption>");
                }
                html.push_str("</figure>");
                Out::Block(html)
            }
            "youtube" => {
                let id = params.get("id", 0).filter(|s| !s.is_empty())?;
                let url = format!("https://www.youtube.com/watch?v={}", path_segment(id));
                let label = params
                    .named("title")
                    .map_or_else(|| format!("YouTube video {id}"), str::to_owned);
                self.card(tag, "video-card", &url, &label)
            }
            "vimeo" => {
                let id = params.get("id", 0).filter(|s| !s.is_empty())?;
                let url = format!("https://vimeo.com/{}", path_segment(id));
                let label = params
                    .named("title")
                    .map_or_else(|| format!("Vimeo video {id}"), str::to_owned);
                self.card(tag, "video-card", &url, &label)
            }
            "instagram" => {
                let id = params.get("id", 0).filter(|s| !s.is_empty())?;
                let url = format!("https://www.instagram.com/p/{}/", path_segment(id));
                self.card(tag, "link-card", &url, &format!("Instagram post {id}"))
            }
            "youku" => {
                // LoveIt and FixIt: `{{< youku id >}}`.
                let id = params.get("id", 0).filter(|s| !s.is_empty())?;
                let url = format!("https://v.youku.com/v_show/id_{}.html", path_segment(id));
                self.card(tag, "video-card", &url, &format!("Youku video {id}"))
            }
            "bilibili" => {
                // LoveIt and FixIt: `{{< bilibili BV… [page] >}}` or `id=`.
                let id = params.get("id", 0).filter(|s| !s.is_empty())?;
                let id = if id.bytes().all(|c| c.is_ascii_digit()) {
                    format!("av{id}")
                } else {
                    id.to_owned()
                };
                let mut url = format!("https://www.bilibili.com/video/{}/", path_segment(&id));
                if let Some(page) = params.get("p", 1).and_then(digits) {
                    url.push_str(&format!("?p={page}"));
                }
                self.card(tag, "video-card", &url, &format!("Bilibili video {id}"))
            }
            "tweet" | "x" => {
                let positional = &params.positional;
                let id = params
                    .named("id")
                    .or(positional.last().map(String::as_str))
                    .filter(|s| !s.is_empty())?;
                let user = params.named("user").or_else(|| {
                    (positional.len() >= 2).then(|| positional[positional.len() - 2].as_str())
                });
                match user {
                    Some(user) => {
                        let url = format!(
                            "https://x.com/{}/status/{}",
                            path_segment(user),
                            path_segment(id)
                        );
                        self.card(tag, "link-card", &url, &format!("Post by @{user} on X"))
                    }
                    None => {
                        let url = format!("https://x.com/i/status/{}", path_segment(id));
                        self.card(tag, "link-card", &url, &format!("Post {id} on X"))
                    }
                }
            }
            "gist" => {
                let user = params.get("user", 0).filter(|s| !s.is_empty())?;
                let id = params.get("id", 1).filter(|s| !s.is_empty())?;
                let url = format!(
                    "https://gist.github.com/{}/{}",
                    path_segment(user),
                    path_segment(id)
                );
                let label = match params.get("file", 2) {
                    Some(file) => format!("GitHub Gist {user}/{id} ({file})"),
                    None => format!("GitHub Gist {user}/{id}"),
                };
                self.card(tag, "link-card", &url, &label)
            }
            "ref" | "relref" => {
                let path = params.get("path", 0).filter(|s| !s.is_empty())?;
                // A content path names its page wherever the post is: with
                // `baseUrl` it becomes the page's address the way Hugo's
                // default permalinks build it (`posts/a.md` → `/posts/a/`,
                // `index.md` and `_index.md` standing for their folder).
                // A bare name is looked up by Hugo among all pages, which
                // only the site knows: it stays as written.
                let page = path.split('#').next().unwrap_or(path);
                let resolved = page
                    .contains('/')
                    .then(|| self.permalink(path.trim_start_matches('/')))
                    .flatten();
                let url = match (resolved, tag.name) {
                    (Some(url), "relref") => match url::Url::parse(&url) {
                        Ok(parsed) => format!(
                            "{}{}",
                            parsed.path(),
                            parsed.fragment().map_or(String::new(), |f| format!("#{f}"))
                        ),
                        Err(_) => url,
                    },
                    (Some(url), _) => url,
                    (None, _) => path.to_owned(),
                };
                Out::Inline(escape_inline(&url))
            }
            _ => return None,
        })
    }

    fn img(&mut self, tag: &Tag, image: &Image) -> String {
        let alt = image
            .alt
            .as_deref()
            .or(image.title.as_deref())
            .unwrap_or("");
        let Some(src) = self.url(&image.src, Context::Image, tag) else {
            return escape_inline(alt);
        };
        let mut html = format!(r#"<img src="{src}" alt="{}""#, escape_html(alt));
        if let Some(title) = &image.title {
            html.push_str(&format!(r#" title="{}""#, escape_html(title)));
        }
        if let Some(width) = &image.width {
            html.push_str(&format!(r#" width="{width}""#));
        }
        if let Some(height) = &image.height {
            html.push_str(&format!(r#" height="{height}""#));
        }
        html.push('>');
        html
    }

    fn link(&mut self, tag: &Tag, url: &str, text: &str, title: &str) -> Out {
        let text = if text.trim().is_empty() {
            url
        } else {
            text.trim()
        };
        let Some(href) = self.url(url, Context::Link, tag) else {
            return Out::Inline(escape_inline(text));
        };
        let title = match title.trim() {
            "" => String::new(),
            title => format!(r#" title="{}""#, escape_html(title)),
        };
        Out::Inline(format!(
            r#"<a href="{href}"{title}>{}</a>"#,
            escape_inline(text)
        ))
    }

    /// A link to what the site would embed: never an iframe.
    fn card(&mut self, tag: &Tag, class: &str, url: &str, label: &str) -> Out {
        let label = escape_html(label);
        Out::Block(match self.url(url, Context::Link, tag) {
            Some(href) => format!(r#"<p class="{class}"><a href="{href}">{label}</a></p>"#),
            None => format!(r#"<p class="{class}">{label}</p>"#),
        })
    }

    fn open(&mut self, tag: &Tag) -> Open {
        self.tally(tag.delim).rendered += usize::from(kind(tag.delim.family(), tag.name).is_some());
        let mut tabs = None;
        let mut end = None;
        let html = match (tag.delim.family(), tag.name) {
            (Family::Liquid, "note" | "noteblock") => {
                let note = hexo_note(tag.args);
                match note.summary {
                    // NexT: a note with a summary folds behind it.
                    Some(summary) if tag.name == "note" && !note.comma => {
                        end = Some("</details>");
                        format!(
                            r#"<details class="note note-{}"><summary>{}</summary>"#,
                            note.kind,
                            escape_html(&summary)
                        )
                    }
                    title => aside(note.kind, title.as_deref()),
                }
            }
            (Family::Liquid, "message") => {
                let words = words(tag.args);
                let color = words.iter().find(|w| !w.contains(':'));
                let style = color.and_then(|c| note_kind(c));
                let title = words.iter().find_map(|w| w.strip_prefix("title:"));
                aside(style.unwrap_or("default"), title)
            }
            (Family::Liquid, "blockquote") => "<blockquote>".to_owned(),
            (Family::Liquid, "pullquote") => r#"<blockquote class="pullquote">"#.to_owned(),
            (Family::Liquid, "tabs" | "subtabs" | "subsubtabs") => {
                let (name, index) = tag.args.split_once(',').unwrap_or((tag.args, ""));
                let active = match index.trim().parse::<i64>() {
                    Ok(n) if n > 0 => n as usize,
                    Ok(-1) => 0,
                    _ => 1,
                };
                tabs = Some(Tabs {
                    name: name.trim().to_owned(),
                    active,
                    count: 0,
                    open: false,
                });
                r#"<div class="tabs">"#.to_owned()
            }
            (Family::Liquid, "hideToggle" | "hideBlock") => {
                // Butterfly: `display,bg,color`; the colours are the theme's.
                let display = unquote(tag.args.split(',').next().unwrap_or(""));
                let display = if display.is_empty() { "…" } else { display };
                format!("<details><summary>{}</summary>", escape_html(display))
            }
            (Family::Liquid, "fold" | "folding") => {
                // hexo-fold `title`, Fluid `[style] @title`, Butterfly's
                // folding `[style,] title`, Volantis `[key:value…] title`.
                end = Some("</details>");
                let args = tag.args;
                let open = args.split_whitespace().any(|w| w == "open:true");
                let title = if let Some((_, title)) = args.split_once('@') {
                    title.trim().to_owned()
                } else if has_comma(args) {
                    parts(args).pop().unwrap_or_default()
                } else {
                    words(args)
                        .into_iter()
                        .filter(|w| !is_keyed(w))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let title = if title.is_empty() {
                    "…".to_owned()
                } else {
                    title
                };
                format!(
                    "<details{}><summary>{}</summary>",
                    if open { " open" } else { "" },
                    escape_html(&title)
                )
            }
            (Family::Liquid, "gallery") => {
                // Butterfly: Markdown images in a grid.
                end = Some("</div>");
                r#"<div class="gallery">"#.to_owned()
            }
            (Family::Liquid, "timeline") => {
                // Butterfly: `title,color`; the entries are Markdown.
                end = Some("</div>");
                let title = unquote(tag.args.split(',').next().unwrap_or(""));
                let mut html = r#"<div class="timeline">"#.to_owned();
                if !title.is_empty() {
                    html.push_str(&format!("<p><strong>{}</strong></p>", escape_html(title)));
                }
                html
            }
            (Family::Hugo, "notice") => {
                let params = Params::parse(tag.args);
                let style = params
                    .named("style")
                    .or(params.named("type"))
                    .or(params.positional.first().map(String::as_str));
                let title = params.named("title").map(str::to_owned).or_else(|| {
                    (params.positional.len() > 1).then(|| params.positional[1..].join(" "))
                });
                aside(
                    style.and_then(note_kind).unwrap_or("info"),
                    title.as_deref(),
                )
            }
            (Family::Hugo, "admonition") => {
                let params = Params::parse(tag.args);
                let style = params.get("type", 0).unwrap_or("note");
                let title = params
                    .get("title", 1)
                    .map(str::to_owned)
                    .unwrap_or_else(|| capitalize(style));
                aside(note_kind(style).unwrap_or("info"), Some(&title))
            }
            (Family::Hugo, "alert") => {
                let params = Params::parse(tag.args);
                let style = ["theme", "color", "type", "style"]
                    .iter()
                    .find_map(|key| params.named(key))
                    .or(params.positional.first().map(String::as_str));
                let title = params.named("title");
                aside(style.and_then(note_kind).unwrap_or("info"), title)
            }
            (Family::Hugo, "hint" | "callout") => {
                // hugo-book's `{{< hint info >}}`, callouts of docs themes.
                let params = Params::parse(tag.args);
                let style = params.get("type", 0).unwrap_or("info");
                aside(note_kind(style).unwrap_or("info"), params.named("title"))
            }
            (Family::Hugo, "details" | "expand") => {
                // Hugo's details; the expand of Learn, Relearn and Zzo.
                let params = Params::parse(tag.args);
                let summary = params
                    .get("summary", 0)
                    .or(params.named("title"))
                    .unwrap_or(if tag.name == "expand" {
                        "Expand me…"
                    } else {
                        "Details"
                    });
                let open = match params.named("open") {
                    Some("true") => " open",
                    _ => "",
                };
                end = Some("</details>");
                format!("<details{open}><summary>{}</summary>", escape_html(summary))
            }
            (Family::Hugo, "tabs") => {
                end = Some("</div>");
                r#"<div class="tabs">"#.to_owned()
            }
            (Family::Hugo, "tab") => {
                let params = Params::parse(tag.args);
                let name = ["name", "header", "title"]
                    .iter()
                    .find_map(|key| params.named(key))
                    .or(params.positional.first().map(String::as_str))
                    .unwrap_or("Tab");
                end = Some("</details>");
                format!(
                    r#"<details class="tab"><summary>{}</summary>"#,
                    escape_html(name)
                )
            }
            (Family::Hugo, "gallery") => {
                end = Some("</div>");
                r#"<div class="gallery">"#.to_owned()
            }
            (Family::Zola, "details" | "spoiler" | "collapse") => {
                // Folded text: its summary from `summary` or `title`.
                end = Some("</details>");
                let args = ZolaArgs::parse(tag.args).ok();
                let summary = args
                    .as_ref()
                    .and_then(|a| a.first(&["summary", "title"]))
                    .map_or_else(|| capitalize(tag.name), str::to_owned);
                format!("<details><summary>{}</summary>", escape_html(&summary))
            }
            (Family::Zola, _) => match ZolaArgs::parse(tag.args) {
                Ok(args) => zola_aside(tag.name, &args),
                Err(problem) => {
                    // The note is still a note: its body is the author's text.
                    self.zola_problem(tag, &problem);
                    aside(note_kind(tag.name).unwrap_or("info"), None)
                }
            },
            _ => {
                self.tally(tag.delim).placeholders += 1;
                self.unknown(tag);
                self.placeholder(tag);
                return Open { tabs, end };
            }
        };
        self.emit(tag.span.clone(), Out::Block(html));
        Open { tabs, end }
    }

    fn close(&mut self, opener: &Tag, tag: &Tag, state: Open) {
        if let Some(end) = state.end {
            return self.emit(tag.span.clone(), Out::Block(end.to_owned()));
        }
        let html = match (opener.delim.family(), opener.name) {
            (Family::Liquid, "note" | "noteblock" | "message")
            | (Family::Hugo | Family::Zola, _)
                if kind(opener.delim.family(), opener.name).is_some() =>
            {
                "</aside>".to_owned()
            }
            (Family::Liquid, "blockquote") => {
                format!("{}</blockquote>", self.blockquote_footer(opener))
            }
            (Family::Liquid, "pullquote") => "</blockquote>".to_owned(),
            (Family::Liquid, "tabs" | "subtabs" | "subsubtabs") => {
                let open = state.tabs.is_some_and(|tabs| tabs.open);
                format!("{}</div>", if open { "</details>" } else { "" })
            }
            (Family::Liquid, "hideToggle" | "hideBlock") => "</details>".to_owned(),
            _ => return self.placeholder(tag),
        };
        self.emit(tag.span.clone(), Out::Block(html));
    }

    /// Hexo's `{% blockquote [author[, source]] [link] [source_link_title] %}`.
    fn blockquote_footer(&mut self, tag: &Tag) -> String {
        let joined = words(tag.args).join(" ");
        let words: Vec<&str> = joined.split_whitespace().collect();
        let is_http = |w: &&str| w.starts_with("http://") || w.starts_with("https://");
        let (author, source, title): (String, &str, String);
        let full = (1..words.len().saturating_sub(1))
            .rev()
            .find(|&i| is_http(&words[i]));
        if let Some(at) = full {
            author = words[..at].join(" ");
            source = words[at];
            title = words[at + 1..].join(" ");
        } else if words.len() >= 2 && is_http(&words[words.len() - 1]) {
            author = words[..words.len() - 1].join(" ");
            source = words[words.len() - 1];
            title = String::new();
        } else if let Some((before, after)) = joined.split_once(',').filter(|(b, _)| !b.is_empty())
        {
            author = before.trim().to_owned();
            source = "";
            title = after.split(',').next().unwrap_or("").trim().to_owned();
        } else {
            author = joined.trim().to_owned();
            source = "";
            title = String::new();
        }
        let mut footer = String::new();
        if !author.is_empty() {
            footer.push_str(&format!("<strong>{}</strong>", escape_html(&author)));
        }
        let href = if source.is_empty() {
            None
        } else {
            self.url(source, Context::Link, tag)
        };
        let cite = if let Some(href) = href {
            let text = if title.is_empty() {
                let bare = source
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                let bare = bare
                    .strip_suffix("/index.html")
                    .or_else(|| bare.strip_suffix("/index.htm"))
                    .or_else(|| bare.strip_suffix('/'))
                    .unwrap_or(bare);
                bare.to_owned()
            } else {
                title
            };
            format!(
                r#"<cite><a href="{href}">{}</a></cite>"#,
                escape_html(&text)
            )
        } else if !title.is_empty() {
            format!("<cite>{}</cite>", escape_html(&title))
        } else {
            String::new()
        };
        if !footer.is_empty() && !cite.is_empty() {
            footer.push(' ');
        }
        footer.push_str(&cite);
        if footer.is_empty() {
            footer
        } else {
            format!("<footer>{footer}</footer>")
        }
    }

    fn verbatim(&mut self, tag: &Tag, content: Range<usize>, end: usize) {
        let span = tag.span.start..end;
        if kind(tag.delim.family(), tag.name).is_none() {
            return self.raw_body(tag, content, end);
        }
        self.tally(tag.delim).rendered += 1;
        if tag.name.ends_with(".inline") {
            // Hugo's inline shortcodes: the body is a Go template of the
            // site (styles, scripts), not the author's text.
            let message = format!(
                "`{}` is an inline shortcode: its body is template code for the site, not shown",
                subject(tag)
            );
            self.report
                .info("template.inline-shortcode", tag, self.first_line, message);
            let html = format!(
                r#"<span class="template-tag">{}</span>"#,
                escape_inline(&self.src[tag.span.clone()])
            );
            return self.emit(span, Out::Inline(html));
        }
        if tag.name == "raw" {
            let raw = &self.src[content];
            self.count_literal(raw);
            self.out.push_str(raw);
            self.pad(span, raw);
            return;
        }
        let code = self.code_content(tag, content);
        let html = match (tag.delim.family(), tag.name) {
            (Family::Liquid, "codeblock" | "code") => self.codeblock(tag, &code),
            (_, "highlight") => {
                let lang = match tag.delim {
                    Delim::Liquid => words(tag.args).into_iter().next(),
                    _ => Params::parse(tag.args).get("lang", 0).map(str::to_owned),
                };
                code_html(lang.as_deref(), None, &code)
            }
            (_, "mermaid") => code_html(Some("mermaid"), None, &code),
            _ => format!(
                r#"<p><span class="math math-display">{}</span></p>"#,
                escape_html(&code)
            ),
        };
        self.emit(span, Out::Block(html));
    }

    /// An unknown `{{< x >}}…{{< /x >}}`: its tags as placeholders and its
    /// body, which Hugo passes to the shortcode unparsed, as code.
    fn raw_body(&mut self, tag: &Tag, content: Range<usize>, end: usize) {
        self.tally(tag.delim).placeholders += 1;
        self.unknown(tag);
        let code = self.code_content(tag, content.clone());
        let html = format!(
            r#"<p><span class="template-tag">{}</span></p><pre><code>{}</code></pre><p><span class="template-tag">{}</span></p>"#,
            escape_html(&self.src[tag.span.clone()]),
            escape_html(&code),
            escape_html(&self.src[content.end..end]),
        );
        self.emit(tag.span.start..end, Out::Block(html));
    }

    /// The content of a verbatim tag: without the rest of the opening line
    /// and the indentation of the closing one, dedented by the opening tag's
    /// container prefix.
    fn code_content(&mut self, tag: &Tag, content: Range<usize>) -> String {
        let mut code = &self.src[content];
        if let Some(nl) = code.find('\n')
            && code[..nl].trim().is_empty()
        {
            code = &code[nl + 1..];
        }
        match code.rfind('\n') {
            Some(nl) if code[nl + 1..].trim().is_empty() => code = &code[..nl],
            None if code.trim().is_empty() => code = "",
            _ => {}
        }
        let (line_start, first_content, _) = self.lines.at(self.src, tag.span.start);
        let prefix = if tag.span.start <= first_content {
            &self.src[line_start..tag.span.start]
        } else {
            ""
        };
        dedent(code, prefix)
    }

    /// Hexo's `{% codeblock [title] [lang:language] [url] [link text] %}`.
    fn codeblock(&mut self, tag: &Tag, code: &str) -> String {
        let mut lang = None;
        let mut rest: Vec<String> = Vec::new();
        for word in words(tag.args) {
            match word.split_once(':') {
                Some(("lang", value)) => lang = Some(value.to_owned()),
                Some(("line_number" | "highlight" | "first_line" | "mark" | "wrap", _)) => {}
                // Icarus: `>folded`, `>unfolded`.
                _ if word.starts_with('>') => {}
                _ => rest.push(word),
            }
        }
        let joined = rest.join(" ");
        let words: Vec<&str> = joined.split_whitespace().collect();
        let is_http = |w: &str| w.starts_with("http://") || w.starts_with("https://");
        let caption = if words.is_empty() {
            None
        } else {
            let full = (1..words.len().saturating_sub(1))
                .rev()
                .find(|&i| is_http(words[i]));
            let (caption, url, text) = match full {
                Some(at) => (
                    words[..at].join(" "),
                    Some(words[at]),
                    words[at + 1..].join(" "),
                ),
                None if words.len() >= 2 && is_http(words[words.len() - 1]) => (
                    words[..words.len() - 1].join(" "),
                    Some(words[words.len() - 1]),
                    "link".to_owned(),
                ),
                None => (joined.clone(), None, String::new()),
            };
            let mut html = format!("<span>{}</span>", escape_html(&caption));
            if let Some(href) = url.and_then(|u| self.url(u, Context::Link, tag)) {
                html.push_str(&format!(r#" <a href="{href}">{}</a>"#, escape_html(&text)));
            }
            Some(html)
        };
        code_html(lang.as_deref(), caption.as_deref(), code)
    }

    /// Text directly inside tabs: `<!-- tab caption -->` and `<!-- endtab -->`
    /// become the `<details>` of each tab.
    fn tab_text(&mut self, range: Range<usize>, tabs: &mut Tabs) {
        let src = self.src;
        let mut last = range.start;
        let mut i = range.start;
        while let Some(k) = src[i..range.end].find("<!--") {
            let at = i + k;
            i = at + 4;
            let Some((end, caption)) = tab_marker(src, at, range.end) else {
                continue;
            };
            self.out.push_str(&src[last..at]);
            let mut html = String::new();
            if tabs.open {
                html.push_str("</details>");
                tabs.open = false;
            }
            if let Some(caption) = caption {
                tabs.count += 1;
                tabs.open = true;
                let caption = if caption.is_empty() {
                    format!("{} {}", tabs.name, tabs.count).trim().to_owned()
                } else {
                    caption.to_owned()
                };
                let open = if tabs.count == tabs.active {
                    " open"
                } else {
                    ""
                };
                // NexT's and Butterfly's tab permalink: the tabs' name and
                // the tab's number, lowercased, spaces as dashes.
                let id = if tabs.name.is_empty() {
                    String::new()
                } else {
                    let id = format!("{} {}", tabs.name, tabs.count)
                        .to_lowercase()
                        .split(' ')
                        .collect::<Vec<_>>()
                        .join("-");
                    format!(r#" id="{}""#, escape_html(&id))
                };
                html.push_str(&format!(
                    r#"<details class="tab"{id}{open}><summary>{}</summary>"#,
                    escape_html(&caption)
                ));
            }
            if html.is_empty() {
                self.pad(at..end, "");
            } else {
                self.emit(at..end, Out::Block(html));
            }
            last = end;
            i = end;
        }
        self.out.push_str(&src[last..range.end]);
    }
}

/// `<!-- tab caption @icon -->` (with the caption) or `<!-- endtab -->` (without) at `at`.
fn tab_marker(src: &str, at: usize, limit: usize) -> Option<(usize, Option<&str>)> {
    let b = src.as_bytes();
    let from = skip_blanks(b, at + 4);
    let rest = &src[from..limit];
    if let Some(after) = rest.strip_prefix("endtab") {
        let end = limit - after.trim_start_matches([' ', '\t']).len();
        return src[end..limit]
            .starts_with("-->")
            .then_some((end + 3, None));
    }
    let after = rest.strip_prefix("tab")?;
    if !(after.starts_with([' ', '\t']) || after.starts_with("-->")) {
        return None;
    }
    // Markers are short; a bounded look keeps a line of `<!-- tab` linear.
    let window = &after[..floor_char_boundary(after, 512)];
    let close = window.find("-->")?;
    if window[..close].contains('\n') {
        return None;
    }
    let caption = window[..close].split('@').next().unwrap_or("").trim();
    let end = limit - after.len() + close + 3;
    Some((end, Some(caption)))
}

fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Removes from each line what it shares with the opening tag's prefix
/// (its indentation, `>` of quotes, list markers read as spaces).
fn dedent(code: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return code.to_owned();
    }
    let prefix: Vec<char> = prefix
        .chars()
        .map(|c| if c == '>' || c == '\t' { c } else { ' ' })
        .collect();
    let mut out = String::with_capacity(code.len());
    for (i, line) in code.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut cut = 0;
        for (p, (at, c)) in prefix.iter().zip(line.char_indices()) {
            if c != *p {
                break;
            }
            cut = at + c.len_utf8();
        }
        out.push_str(&line[cut..]);
    }
    out
}

fn code_html(lang: Option<&str>, caption: Option<&str>, code: &str) -> String {
    let class = match lang.map(str::trim).filter(|l| !l.is_empty()) {
        Some(lang) => format!(r#" class="language-{}""#, escape_html(lang)),
        None => String::new(),
    };
    let pre = format!("<pre><code{class}>{}</code></pre>", escape_html(code));
    match caption {
        Some(caption) => format!("<figure><figcaption>{caption}</figcaption>{pre}</figure>"),
        None => pre,
    }
}

pub(super) fn aside(kind: &str, title: Option<&str>) -> String {
    let mut html = format!(r#"<aside class="note note-{kind}">"#);
    if let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) {
        html.push_str(&format!("<p><strong>{}</strong></p>", escape_html(title)));
    }
    html
}

/// The note styles of Next, Butterfly, Icarus (Bulma colours), Hugo
/// admonitions and alerts, folded into six.
fn note_kind(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "default" | "quote" | "cite" | "dark" | "light" | "white" | "grey" | "gray" => "default",
        "primary" | "purple" | "pink" | "link" | "example" | "important" => "primary",
        "info" | "blue" | "note" | "abstract" | "summary" | "tldr" => "info",
        "success" | "green" | "tip" | "hint" | "check" | "done" | "question" | "help" | "faq" => {
            "success"
        }
        "warning" | "warn" | "orange" | "yellow" | "caution" | "attention" => "warning",
        "danger" | "red" | "error" | "failure" | "fail" | "missing" | "bug" => "danger",
        _ => return None,
    })
}

/// A caption the theme renders as Markdown (Hugo's `markdownify`,
/// terminimal's `markdown` filter): its inline HTML, on one line so that it
/// stays inside the block it is written into.
fn inline_markdown(text: &str) -> String {
    let options = crate::MarkdownOptions::default();
    // Raw HTML in an argument stays text: emphasis, code and links are
    // what a caption's Markdown is for.
    let html = crate::markdown::to_html(&text.replace('<', "&lt;"), &options).html;
    let html = html.trim();
    let html = html
        .strip_prefix("<p>")
        .and_then(|h| h.strip_suffix("</p>"))
        .unwrap_or(html);
    html.replace('\n', " ")
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `{% name %}` or `{{< name >}}` for messages.
fn subject(tag: &Tag) -> String {
    let name = short(tag.name);
    match tag.delim {
        Delim::Liquid => format!("{{% {name} %}}"),
        Delim::Angle => format!("{{{{< {name} >}}}}"),
        Delim::Percent => format!("{{{{% {name} %}}}}"),
        Delim::ZolaInline => format!("{{{{ {name}() }}}}"),
        Delim::ZolaBody => format!("{{% {name}() %}}"),
    }
}

fn closing_subject(tag: &Tag) -> String {
    let name = short(tag.name);
    match tag.delim {
        Delim::Liquid => format!("{{% end{name} %}}"),
        Delim::Angle => format!("{{{{< /{name} >}}}}"),
        Delim::Percent => format!("{{{{% /{name} %}}}}"),
        Delim::ZolaInline | Delim::ZolaBody => "{% end %}".to_owned(),
    }
}

/// Author text quoted in a message: at most 60 characters.
pub(super) fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Inside code, Hugo's escapes `{{</* x */>}}` read as what they show: `{{< x >}}`.
fn unescape_shortcodes(code: &str) -> Cow<'_, str> {
    unescape_comments(
        code,
        &[
            ("{{</*", "*/>}}", "{{<", ">}}"),
            ("{{%/*", "*/%}}", "{{%", "%}}"),
        ],
    )
}

/// Each `open … close` pair of `escapes` written as `shown_open … shown_close`:
/// the comment escapes by which Hugo and Zola let authors show a shortcode.
pub(super) fn unescape_comments<'a>(
    code: &'a str,
    escapes: &[(&str, &str, &str, &str)],
) -> Cow<'a, str> {
    if !code.contains("/*") {
        return Cow::Borrowed(code);
    }
    let mut out = Cow::Borrowed(code);
    for &(open, close, shown_open, shown_close) in escapes {
        let text = out.as_ref();
        if !text.contains(open) {
            continue;
        }
        let mut result = String::with_capacity(text.len());
        let mut i = 0;
        while let Some(k) = text[i..].find(open) {
            let at = i + k;
            let Some(c) = text[at + open.len()..].find(close) else {
                break;
            };
            let inner_end = at + open.len() + c;
            result.push_str(&text[i..at]);
            result.push_str(shown_open);
            result.push_str(&text[at + open.len()..inner_end]);
            result.push_str(shown_close);
            i = inner_end + close.len();
        }
        result.push_str(&text[i..]);
        out = Cow::Owned(result);
    }
    out
}

// ---------------------------------------------------------------------------
// Escaping

/// Text and attribute values in generated HTML: `& < > "` as references,
/// and newlines as `&#10;` so that the HTML stays on one line.
fn escape_html(s: &str) -> String {
    crate::text::escape(s, crate::text::Escape::OneLine).into_owned()
}

/// Text that sits inside a Markdown paragraph: as [`escape_html`], and the
/// punctuation Markdown reads as syntax as numeric references, so that it
/// stays the author's text.
fn escape_inline(s: &str) -> String {
    crate::text::escape(s, crate::text::Escape::MarkdownText).into_owned()
}

// ---------------------------------------------------------------------------
// Diagnostics

/// At most this many diagnostics come from one body; the rest are counted.
pub(super) const MAX_DIAGNOSTICS: usize = 64;

/// The stage's diagnostics, grouped, at the lines of their tags.
struct Report(crate::diagnostics::Grouped);

impl Default for Report {
    fn default() -> Report {
        Report(crate::diagnostics::Grouped::new(
            MAX_DIAGNOSTICS,
            "template.more-problems",
            "template tags",
        ))
    }
}

impl Report {
    fn warn(&mut self, code: &'static str, tag: &Tag, first_line: usize, message: String) {
        self.add(Severity::Warning, code, tag, first_line, message);
    }

    /// A warning about no tag, at a line of the file.
    fn warn_at(&mut self, code: &'static str, line: usize, message: String) {
        self.0.add(Severity::Warning, code, message, line);
    }

    fn info(&mut self, code: &'static str, tag: &Tag, first_line: usize, message: String) {
        self.add(Severity::Info, code, tag, first_line, message);
    }

    fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        tag: &Tag,
        first_line: usize,
        message: String,
    ) {
        self.0
            .add(severity, code, message, first_line + tag.line - 1);
    }

    pub(super) fn finish(self, diagnostics: &mut Diagnostics) {
        self.0.finish(diagnostics);
    }
}

/// What a Hexo note's arguments say, across themes.
struct HexoNote {
    kind: &'static str,
    /// NexT's summary (the words after the style), Volantis's title (after
    /// the comma) or Stellar's (the first word of several).
    summary: Option<String>,
    title: Option<String>,
    /// The text of a note written on one line, when there is one.
    text: Option<String>,
    comma: bool,
}

/// Reads `{% note … %}`: NexT `class [no-icon] [summary]`, Butterfly
/// `[color] ['icon'] [style]`, Volantis `color, text` and Stellar
/// `[color:…] [title] text`.
fn hexo_note(args: &str) -> HexoNote {
    let comma = has_comma(args);
    let mut kind = None;
    let mut rest = Vec::new();
    if comma {
        let parts = parts(args);
        let mut parts = parts.into_iter();
        let first = parts.next().unwrap_or_default();
        // Volantis's first part may hold the colour and an icon class.
        kind = first.split_whitespace().find_map(note_kind);
        if kind.is_none() && !first.is_empty() {
            rest.push(first);
        }
        let text = parts.collect::<Vec<_>>().join(", ");
        let text = (!text.trim().is_empty()).then_some(text);
        return HexoNote {
            kind: kind.unwrap_or("default"),
            summary: text.clone(),
            title: None,
            text: text.map(|t| match rest.first() {
                Some(first) => format!("{first}, {t}"),
                None => t,
            }),
            comma,
        };
    }
    for word in words(args) {
        if let Some(color) = word.strip_prefix("color:") {
            kind = kind.or(note_kind(color));
        } else if kind.is_none() && note_kind(&word).is_some() {
            kind = note_kind(&word);
        } else if !is_keyed(&word) && !is_icon(&word) && !is_note_style(&word) {
            rest.push(word);
        }
    }
    let summary = (!rest.is_empty()).then(|| rest.join(" "));
    let (title, text) = match rest.len() {
        0 => (None, None),
        1 => (None, Some(rest[0].clone())),
        _ => (Some(rest[0].clone()), Some(rest[1..].join(" "))),
    };
    HexoNote {
        kind: kind.unwrap_or("default"),
        summary,
        title,
        text,
        comma,
    }
}

/// A note that needs no end tag: one whose arguments hold its text.
pub(super) fn one_line_note(args: &str) -> bool {
    hexo_note(args).text.is_some()
}

/// Butterfly's note styles and the words that only switch something off.
fn is_note_style(word: &str) -> bool {
    matches!(
        word,
        "simple" | "modern" | "flat" | "disabled" | "no-icon" | "noicon" | "label"
    )
}

/// `key:value` options (Stellar's `icon:…`, `color:…`, `size:…`) and style
/// words of buttons (Butterfly's `larger`, `block`, `center`, `outline`).
fn is_option(part: &str) -> bool {
    let part = part.trim();
    is_keyed(part)
        || matches!(
            part,
            "block"
                | "center"
                | "right"
                | "left"
                | "outline"
                | "larger"
                | "large"
                | "regular"
                | "small"
                | "rounded"
                | "wide"
        )
        || note_kind(part).is_some()
}

/// An icon class (`fas fa-download`, `fa-brands fa-github`, `ph ph-x`,
/// `iconfont icon-x`).
fn is_icon(part: &str) -> bool {
    part.split_whitespace().any(|w| {
        w.starts_with("fa-")
            || matches!(w, "fa" | "fas" | "far" | "fab" | "fal" | "fad" | "iconfont")
            || w.starts_with("ph-")
            || w.starts_with("icon-")
    })
}

/// A `key:value` option, not an address.
fn is_keyed(part: &str) -> bool {
    part.split_once(':').is_some_and(|(key, _)| {
        !key.is_empty()
            && key
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
            // `https://…`, `mailto:…` are addresses; `icon:https://…` is an
            // option whose value is one.
            && !is_scheme(key)
    })
}

/// Schemes an author links to.
fn is_scheme(key: &str) -> bool {
    [
        "http",
        "https",
        "mailto",
        "tel",
        "ftp",
        "javascript",
        "data",
        "vbscript",
        "file",
    ]
    .iter()
    .any(|s| key.eq_ignore_ascii_case(s))
}

/// A comma outside quotes: the comma-list argument form.
fn has_comma(args: &str) -> bool {
    let mut quote = None;
    for c in args.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => return true,
            None => {}
        }
    }
    false
}

/// The arguments as a comma list when they have commas, otherwise as words.
fn parts(args: &str) -> Vec<String> {
    if has_comma(args) {
        args.split(',').map(|p| unquote(p).to_owned()).collect()
    } else {
        words(args)
    }
}
