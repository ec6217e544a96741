//! The Markdown fast path: pulldown-cmark's events written straight to the
//! HTML the full path (pulldown-cmark's HTML, the audit, ammonia, the
//! serializer) would give, for documents where that is provably the same.
//!
//! The full path is the oracle: `tests/differential.rs` and the fuzz target
//! compare the two on every test file, the corpus, the spec examples and
//! generated Markdown. So this writer only reproduces, event by event, what
//! the full path does to pulldown-cmark's HTML: html5ever reads the tags as
//! written (pulldown-cmark nests them properly), ammonia keeps, filters and
//! resolves the attributes in its own order (with the policy's own
//! [`sanitize::attribute_filter`], [`sanitize::resolve`] and
//! [`sanitize::edit`]), drops the comments, and [`escape`] writes text and
//! values. Whatever it cannot make identical, it declines (`None`), and the
//! caller takes the full path:
//! - raw HTML other than comments, the `<!-- more -->` marker, the
//!   footnote markup of `super::with_footnotes_at_end` and the HTML the
//!   library writes itself: what the templates stage wrote (at the source
//!   ranges it records, [`Settings::generated`]) and alert markup
//!   ([`alerts::is_opening`], and the end tags that close what it opened).
//!   So it declines the author's raw HTML, and what attribute lists write;
//! - the library's HTML where html5ever's tree builder would not simply
//!   insert it where it stands (see [`Writer::inserted_as_written`]), or
//!   whose end tags do not close the element open last;
//! - heading attributes other than an id and classes;
//! - nesting deep enough that [`crate::html::guard::depth`] could act (see
//!   [`MAX_OPEN`]).

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, LinkType, Tag, TagEnd};
use url::Url;

use crate::alerts;
use crate::excerpt::MORE_MARKER;
use crate::html::walk::{Edit, List, Visitor};
use crate::html::{elements, strict};
use crate::safe_url::{self, Context};
use crate::sanitize;
use crate::serialize::escape;

/// The element table's entry for a name the writer writes, looked up when
/// the crate is compiled rather than at each element.
macro_rules! el {
    ($name:literal) => {
        const { elements::entry($name) }
    };
}

/// Most elements open at once. The depth model acts only past
/// [`crate::html::guard::depth::MAX_DEPTH`] (256) levels of nesting or
/// [`crate::html::guard::depth::MAX_ACTIVE`] (16) formatting elements active at once;
/// pulldown-cmark's HTML closes every element it opens, so the formatting
/// elements active are among those open. Declining past 16 open elements of
/// any kind keeps both counts under their limits whatever the depth model
/// counts, and no real article comes near (the corpus nests at most 9).
pub const MAX_OPEN: usize = crate::html::guard::depth::MAX_ACTIVE;

/// What the policy needs to know, and where the HTML of the source's is
/// the templates stage's own.
#[derive(Clone, Copy)]
pub struct Settings<'a> {
    pub id_prefix: &'a str,
    pub base: Option<&'a Url>,
    /// The ranges of the source the templates stage wrote as HTML (see
    /// `crate::templates::Expanded`): raw HTML events wholly inside one are
    /// written here (see [`Writer::own_html`]).
    pub generated: &'a [Range<usize>],
}

/// An element open in the writer.
struct Open {
    name: &'static str,
    categories: elements::Categories,
    /// Opened by HTML of the library's own (an alert's, a template's): an
    /// end tag that closes it may come in raw HTML of its own.
    generated: bool,
}

/// pulldown-cmark's events written straight to the safe HTML the full path
/// would give, or declined (`None`) where this writer cannot promise that.
/// The events may come a chunk at a time (see `super::chunks`): what it
/// writes of each is the same as of them all. The visitor reads the
/// document as it is written, as it reads the full path's walk (so both
/// share the code that makes ids, the table of contents and the text);
/// after a `None` it has read part of a document and is not to be used.
pub struct Stream<'f> {
    writer: Writer<'f>,
    /// The length of the source whose events come in chunks, if they do.
    chunked: Option<usize>,
}

impl<'f> Stream<'f> {
    /// A writer of HTML, for a source of `chunked` bytes whose events come
    /// in chunks, or for events that come at once.
    ///
    /// `source` is what pulldown-cmark reads: whether it may give a
    /// carriage return (see [`Writer::chars`]) is looked up once in it.
    pub fn new(
        settings: &Settings<'f>,
        visitor: &'f mut dyn Visitor,
        source: &str,
        chunked: Option<usize>,
    ) -> Self {
        Stream {
            chunked,
            writer: Writer {
                visitor,
                out: String::with_capacity(chunked.map_or(0, |len| len * 5 / 4)),
                end_newline: true,
                returns: may_give_returns(source),
                return_at: None,
                table_head: false,
                alignments: Vec::new(),
                cell: 0,
                open: Vec::new(),
                base: settings.base,
                generated: settings.generated,
                unsafe_url: false,
                links: 0,
                notes: Vec::new(),
                filter: Box::new(sanitize::attribute_filter(settings.id_prefix.to_owned())),
            },
        }
    }

    /// Writes the next events, or `None` where the writer declines.
    pub fn write(&mut self, events: &[(Event, Range<usize>)]) -> Option<()> {
        if has_other_html(events, self.writer.generated) {
            return None;
        }
        // A big document's text is about as long as its source (Markdown's
        // marks against the entities and markup its text leaves out); told
        // once the first chunk passed the check above, where most of the
        // documents the writer declines are declined.
        if let Some(total) = self.chunked.filter(|_| self.writer.out.is_empty()) {
            self.writer.visitor.expect_text(total);
        }
        self.make_room(events);
        let mut at = 0;
        while at < events.len() {
            at = self.writer.event(events, at)?;
        }
        Some(())
    }

    /// Room in the HTML for what `events` may write: for a source in
    /// chunks, the HTML the whole source will take at the ratio of HTML to
    /// source so far, and at least an eighth more. A string grown by
    /// doubling would hold up to twice the room a big document needs, and
    /// the old block beside the new one while it moves (wasm memory keeps
    /// that peak); this moves it a few times at most.
    fn make_room(&mut self, events: &[(Event, Range<usize>)]) {
        let out = &mut self.writer.out;
        let needed = events.len() * 16;
        if out.capacity() - out.len() >= needed {
            return;
        }
        let done = events.first().map_or(0, |(_, range)| range.start);
        let projected = match self.chunked {
            Some(total) if done > 0 => (out.len() as u64 * total as u64 / done as u64) as usize,
            _ => 0,
        };
        let room = needed
            .max(projected.saturating_sub(out.len()))
            .max(out.len() / 8);
        out.reserve_exact(room);
    }

    /// Whether a URL the audit calls unsafe was met so far (the policy
    /// drops it; the audit reports it with a count and the line its own
    /// rendering of the tags gives, so the caller runs it on those tags:
    /// rare, and then the same by construction).
    pub fn unsafe_url(&self) -> bool {
        self.writer.unsafe_url
    }

    /// Whether [`Stream::finish`] would give the HTML, were no more events
    /// to come.
    pub fn finishes(&self) -> bool {
        self.writer.open.is_empty() && !self.writer.out.starts_with('\u{FEFF}')
    }

    /// The HTML of all the events written, or `None` where the writer
    /// declines: an element the library's HTML left open is closed at the
    /// end by the serializer, out of pulldown-cmark's order; and
    /// `sanitize::Policy::pass` drops a byte-order mark that starts the
    /// output, which would move every offset the visitor was given.
    pub fn finish(self) -> Option<String> {
        self.finishes().then_some(self.writer.out)
    }
}

/// Whether pulldown-cmark may give text with a carriage return from
/// `source`: one written there, or a numeric character reference.
fn may_give_returns(source: &str) -> bool {
    memchr::memchr(b'\r', source.as_bytes()).is_some()
        || memchr::memmem::find(source.as_bytes(), b"&#").is_some()
}

/// Whether raw HTML other than comments, the `<!-- more -->` marker, the
/// footnote markup and the library's own HTML (see [`Writer::own_html`])
/// is among `events`: the writer would decline at it, and finding out
/// first saves writing (and holding, beside the events) most of a large
/// document for nothing. Conservative: a tag-like `<` inside a comment
/// counts too, which only sends the document the full path's way.
fn has_other_html(events: &[(Event, Range<usize>)], generated: &[Range<usize>]) -> bool {
    events.iter().any(|(event, range)| match event {
        Event::Html(html) | Event::InlineHtml(html) => {
            &**html != MORE_MARKER
                && Footnote::read(html).is_none()
                && !is_generated(html, range, generated)
                && !alerts::is_opening(html)
                && !strict::only_end_tags(html)
                && html
                    .as_bytes()
                    .windows(2)
                    .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/'))
        }
        _ => false,
    })
}

/// Whether the raw HTML `html`, read from the source at `range`, lies
/// inside one of the `generated` ranges (sorted, as the templates stage
/// writes them), but for the line break or spaces after it, which an HTML
/// block's line takes from the source.
fn is_generated(html: &str, range: &Range<usize>, generated: &[Range<usize>]) -> bool {
    let trailing = html.len() - html.trim_end_matches([' ', '\t', '\n']).len();
    let end = range.end.saturating_sub(trailing);
    let after = generated.partition_point(|g| g.start <= range.start);
    range.start < end && after > 0 && end <= generated[after - 1].end
}

type Filter = Box<dyn for<'u> Fn(&str, &str, &'u str) -> Option<Cow<'u, str>>>;

struct Writer<'f> {
    /// Told every start tag, text and end tag as written.
    visitor: &'f mut dyn Visitor,
    out: String,
    /// Whether pulldown-cmark's own HTML would end with a line break here:
    /// it writes one before a block otherwise, and html5ever keeps it.
    end_newline: bool,
    /// Whether the source may give text with a carriage return: it has one,
    /// or a numeric character reference (`&#13;`). Nearly never.
    returns: bool,
    /// Where `out` ended after text that ended with a carriage return
    /// (see [`Writer::chars`]).
    return_at: Option<usize>,
    /// In the header row of a table (cells are `th`).
    table_head: bool,
    alignments: Vec<Alignment>,
    /// The cell of the row being written.
    cell: usize,
    /// Elements open, as the tree builder's stack holds them.
    open: Vec<Open>,
    filter: Filter,
    base: Option<&'f Url>,
    generated: &'f [Range<usize>],
    /// A URL the audit calls unsafe was met (the policy drops it).
    unsafe_url: bool,
    /// Links open.
    links: usize,
    /// The footnote section's elements open (see [`Writer::footnote`]).
    notes: Vec<Footnote<'static>>,
}

impl Writer<'_> {
    /// Writes the event at `at` (and those it takes with it); returns the
    /// index of the next one.
    fn event(&mut self, events: &[(Event, Range<usize>)], at: usize) -> Option<usize> {
        match &events[at].0 {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => return self.image(events, at, dest_url, title),
            Event::Start(tag) => self.start(tag)?,
            Event::End(tag) => self.end(*tag)?,
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.element(el!("code"), vec![])?;
                self.chars(code);
                self.close("code")?;
                self.end_newline = false;
            }
            Event::InlineMath(tex) => self.math("math math-inline", tex)?,
            Event::DisplayMath(tex) => self.math("math math-display", tex)?,
            Event::InlineHtml(html) if &**html == MORE_MARKER => {
                self.element(el!("span"), vec![("id", crate::excerpt::MORE_ID.into())])?;
                self.close("span")?;
                self.end_newline = false;
            }
            Event::Html(_) | Event::InlineHtml(_) => return self.raw_html(events, at),
            Event::SoftBreak => self.newline(),
            Event::HardBreak => {
                self.element(el!("br"), vec![])?;
                self.newline();
            }
            Event::Rule => {
                self.block_break();
                self.element(el!("hr"), vec![])?;
                self.newline();
            }
            Event::TaskListMarker(checked) => {
                let mut attributes = vec![("disabled", String::new()), ("type", "checkbox".into())];
                if *checked {
                    attributes.push(("checked", String::new()));
                }
                self.element(el!("input"), attributes)?;
                self.newline();
            }
            Event::FootnoteReference(_) => return None,
        }
        Some(at + 1)
    }

    /// A start tag. Blocks start on a new line of pulldown-cmark's HTML.
    fn start(&mut self, tag: &Tag) -> Option<()> {
        match tag {
            Tag::HtmlBlock => return Some(()),
            Tag::Paragraph => self.block(el!("p"), vec![])?,
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                if !attrs.is_empty() {
                    return None;
                }
                self.heading_start(*level as usize, id.as_deref(), classes)?;
            }
            Tag::BlockQuote(kind) => {
                let class = kind.map(|kind| {
                    let kind = match kind {
                        pulldown_cmark::BlockQuoteKind::Note => "note",
                        pulldown_cmark::BlockQuoteKind::Tip => "tip",
                        pulldown_cmark::BlockQuoteKind::Important => "important",
                        pulldown_cmark::BlockQuoteKind::Warning => "warning",
                        pulldown_cmark::BlockQuoteKind::Caution => "caution",
                    };
                    ("class", format!("markdown-alert-{kind}"))
                });
                self.block(el!("blockquote"), class.into_iter().collect())?;
                self.newline();
            }
            Tag::CodeBlock(kind) => {
                // pulldown-cmark's line break before `<pre>` is its own write.
                if !self.end_newline {
                    self.newline();
                }
                let class = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let language = info.split(' ').next().unwrap_or_default();
                        (!language.is_empty()).then(|| ("class", format!("language-{language}")))
                    }
                    CodeBlockKind::Indented => None,
                };
                self.element(el!("pre"), vec![])?;
                self.element(el!("code"), class.into_iter().collect())?;
            }
            Tag::List(start) => {
                let start = match start {
                    Some(1) => vec![],
                    Some(n) => vec![("start", n.to_string())],
                    None => vec![],
                };
                let list = if matches!(tag, Tag::List(Some(_))) {
                    el!("ol")
                } else {
                    el!("ul")
                };
                self.block(list, start)?;
                self.newline();
            }
            Tag::Item => self.block(el!("li"), vec![])?,
            Tag::DefinitionList => {
                self.block(el!("dl"), vec![])?;
                self.newline();
            }
            Tag::DefinitionListTitle => self.block(el!("dt"), vec![])?,
            Tag::DefinitionListDefinition => self.block(el!("dd"), vec![])?,
            Tag::Table(alignments) => {
                self.alignments = alignments.to_vec();
                self.element(el!("table"), vec![])?;
            }
            Tag::TableHead => {
                self.table_head = true;
                self.cell = 0;
                self.element(el!("thead"), vec![])?;
                self.element(el!("tr"), vec![])?;
            }
            Tag::TableRow => {
                self.cell = 0;
                self.element(el!("tr"), vec![])?;
            }
            Tag::TableCell => {
                let align = match self.alignments.get(self.cell) {
                    Some(Alignment::Left) => Some("left"),
                    Some(Alignment::Center) => Some("center"),
                    Some(Alignment::Right) => Some("right"),
                    _ => None,
                };
                let cell = if self.table_head {
                    el!("th")
                } else {
                    el!("td")
                };
                self.element(
                    cell,
                    align.map(|a| ("align", a.to_owned())).into_iter().collect(),
                )?;
            }
            Tag::Emphasis => self.element(el!("em"), vec![])?,
            Tag::Strong => self.element(el!("strong"), vec![])?,
            Tag::Strikethrough => self.element(el!("del"), vec![])?,
            Tag::Superscript => self.element(el!("sup"), vec![])?,
            Tag::Subscript => self.element(el!("sub"), vec![])?,
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.link_start(*link_type, dest_url, title)?,
            // Written by `image`; the rest are never enabled.
            Tag::Image { .. } | Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_) => {
                return None;
            }
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        let (closing, newline): (&[&str], bool) = match tag {
            TagEnd::HtmlBlock => return Some(()),
            TagEnd::Paragraph => (&["p"], true),
            TagEnd::Heading(level) => return self.heading_end(level as usize),
            TagEnd::Table => (&["tbody", "table"], true),
            TagEnd::TableHead => {
                // `tr` and `thead` close, `tbody` opens.
                self.table_head = false;
                self.close("tr")?;
                self.close("thead")?;
                self.element(el!("tbody"), vec![])?;
                self.newline();
                return Some(());
            }
            TagEnd::TableRow => (&["tr"], true),
            TagEnd::TableCell => {
                self.cell += 1;
                (if self.table_head { &["th"] } else { &["td"] }, false)
            }
            TagEnd::BlockQuote(_) => (&["blockquote"], true),
            TagEnd::CodeBlock => (&["code", "pre"], true),
            TagEnd::List(true) => (&["ol"], true),
            TagEnd::List(false) => (&["ul"], true),
            TagEnd::Item => (&["li"], true),
            TagEnd::DefinitionList => (&["dl"], true),
            TagEnd::DefinitionListTitle => (&["dt"], true),
            TagEnd::DefinitionListDefinition => (&["dd"], true),
            TagEnd::Emphasis => (&["em"], false),
            TagEnd::Strong => (&["strong"], false),
            TagEnd::Strikethrough => (&["del"], false),
            TagEnd::Superscript => (&["sup"], false),
            TagEnd::Subscript => (&["sub"], false),
            TagEnd::Link => return self.link_end(),
            // Declined at their start.
            TagEnd::Image | TagEnd::FootnoteDefinition | TagEnd::MetadataBlock(_) => {
                return Some(());
            }
        };
        for name in closing {
            self.close(name)?;
        }
        self.end_newline = false;
        if newline {
            self.newline();
        }
        Some(())
    }

    /// An end tag, of the element open last; `None` if another is (which
    /// only HTML written into the events can have left open, and the tree
    /// builder would close by rules not repeated here).
    fn close(&mut self, name: &str) -> Option<()> {
        let open = self.open.pop()?;
        if open.name != name {
            return None;
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self.visitor.end(name, open.categories);
        Some(())
    }

    /// Text, escaped. A carriage return (pulldown-cmark decodes `&#13;` to
    /// one) is written as the newline html5ever reads it as on the full
    /// path, a CR LF as one newline, even where the LF comes with the next
    /// text (`&#13;` then a line break) and nothing was written between.
    fn chars(&mut self, text: &str) {
        if !self.returns {
            escape(text, false, &mut self.out);
            self.visitor.text(text);
            return;
        }
        let text = match self.return_at.take() {
            Some(at) if at == self.out.len() => text.strip_prefix('\n').unwrap_or(text),
            _ => text,
        };
        let ends_with_return = text.ends_with('\r');
        let text = crate::serialize::newlines_as_parsed(text);
        escape(&text, false, &mut self.out);
        self.visitor.text(&text);
        if ends_with_return {
            self.return_at = Some(self.out.len());
        }
    }

    fn heading_start(
        &mut self,
        level: usize,
        id: Option<&str>,
        classes: &[pulldown_cmark::CowStr],
    ) -> Option<()> {
        let mut attributes = Vec::new();
        if let Some(id) = id {
            attributes.push(("id", id.to_owned()));
        }
        if !classes.is_empty() {
            let classes: Vec<&str> = classes.iter().map(|c| &**c).collect();
            attributes.push(("class", classes.join(" ")));
        }
        self.block(HEADINGS[level - 1], attributes)
    }

    fn heading_end(&mut self, level: usize) -> Option<()> {
        self.close(HEADINGS[level - 1].0)?;
        self.newline();
        Some(())
    }

    fn link_start(&mut self, link_type: LinkType, dest: &str, title: &str) -> Option<()> {
        // pulldown-cmark nests no link in another, but the autolinks found
        // in the text of a link the library wrote as HTML (a button's
        // label) are inside it: the tree builder takes them apart.
        if self.links > 0 {
            return None;
        }
        let mut href = String::with_capacity(dest.len());
        if link_type == LinkType::Email {
            href.push_str("mailto:");
        }
        href_encode(dest, &mut href);
        self.unsafe_url |= safe_url::safe(&href, Context::Link).is_none();
        let mut attributes = vec![("href", href)];
        if !title.is_empty() {
            attributes.push(("title", title.to_owned()));
        }
        self.links += 1;
        self.element(el!("a"), attributes)
    }

    fn link_end(&mut self) -> Option<()> {
        self.links -= 1;
        self.close("a")?;
        self.end_newline = false;
        Some(())
    }

    /// An image, its `alt` made of the text of the events up to its end as
    /// pulldown-cmark writes it; returns the index after its end.
    fn image(
        &mut self,
        events: &[(Event, Range<usize>)],
        at: usize,
        dest: &str,
        title: &str,
    ) -> Option<usize> {
        let mut src = String::with_capacity(dest.len());
        href_encode(dest, &mut src);
        self.unsafe_url |= safe_url::safe(&src, Context::Image).is_none();
        let mut alt = String::new();
        let mut nested = 0usize;
        let mut next = at + 1;
        while let Some((event, _)) = events.get(next) {
            next += 1;
            match event {
                Event::Start(_) => nested += 1,
                Event::End(_) if nested == 0 => break,
                Event::End(_) => nested -= 1,
                Event::Html(_) => {}
                Event::InlineHtml(text) | Event::Code(text) | Event::Text(text) => {
                    alt.push_str(text);
                }
                Event::InlineMath(tex) => {
                    alt.push('$');
                    alt.push_str(tex);
                    alt.push('$');
                }
                Event::DisplayMath(tex) => {
                    alt.push_str("$$");
                    alt.push_str(tex);
                    alt.push_str("$$");
                }
                Event::SoftBreak | Event::HardBreak | Event::Rule => alt.push(' '),
                Event::TaskListMarker(true) => alt.push_str("[x]"),
                Event::TaskListMarker(false) => alt.push_str("[ ]"),
                Event::FootnoteReference(_) => return None,
            }
        }
        let mut attributes = vec![("src", src), ("alt", alt)];
        if !title.is_empty() {
            attributes.push(("title", title.to_owned()));
        }
        self.element(el!("img"), attributes)?;
        self.end_newline = false;
        Some(next)
    }

    fn text(&mut self, text: &str) {
        self.chars(text);
        self.end_newline = text.ends_with('\n');
    }

    fn math(&mut self, class: &str, tex: &str) -> Option<()> {
        self.element(el!("span"), vec![("class", class.to_owned())])?;
        self.chars(tex);
        self.close("span")?;
        self.end_newline = false;
        Some(())
    }

    /// A run of raw HTML events: comments and the white space between them,
    /// which the sanitizer keeps as text, footnote markup and the library's
    /// own HTML; anything else declines.
    fn raw_html(&mut self, events: &[(Event, Range<usize>)], at: usize) -> Option<usize> {
        let mut joined = String::new();
        let mut next = at;
        while let Some((Event::Html(html) | Event::InlineHtml(html), range)) = events.get(next) {
            if &**html == MORE_MARKER {
                break;
            }
            let note = Footnote::read(html);
            let trusted = is_generated(html, range, self.generated) || alerts::is_opening(html);
            if note.is_some() || trusted || strict::only_end_tags(html) {
                // What the comments before it leave, then its markup.
                let space = white_space_between_comments(&joined)?;
                self.chars(&space);
                joined.clear();
                match note {
                    Some(note) => self.footnote(note)?,
                    None => self.own_html(html, trusted)?,
                }
            } else {
                joined.push_str(html);
            }
            if !html.is_empty() {
                self.end_newline = html.ends_with('\n');
            }
            next += 1;
        }
        let space = white_space_between_comments(&joined)?;
        self.chars(&space);
        Some(next)
    }

    /// HTML the library wrote into the events, as the full path leaves it:
    /// read by [`strict`] as html5ever reads it, each start tag one the
    /// tree builder puts where this writer's stack says (see
    /// [`Writer::inserted_as_written`]), each end tag closing the element
    /// open last, the policy applied as to pulldown-cmark's own tags.
    /// `trusted` is false for end tags alone found outside the library's
    /// HTML, which may close only what the library's HTML opened.
    fn own_html(&mut self, html: &str, trusted: bool) -> Option<()> {
        let mut rest = html;
        // The tree builder drops a line break right after `<pre>`.
        let mut after_pre = false;
        while !rest.is_empty() {
            let (token, after) = strict::next(rest)?;
            rest = after;
            let pre = matches!(token, strict::Token::Start { name: "pre", .. });
            match token {
                strict::Token::Text(text) => {
                    let top = self.open.last().map_or(0, |open| open.categories);
                    if (after_pre && text.starts_with('\n')) || top & elements::TABLE_CONTEXT != 0 {
                        return None;
                    }
                    self.chars(&text);
                }
                strict::Token::Start {
                    name,
                    attributes,
                    self_closing,
                } => {
                    let entry = elements::lookup(name)?;
                    let (name, categories) = entry;
                    let void = categories & elements::VOID != 0;
                    if !trusted || (self_closing && !void) || !self.inserted_as_written(name) {
                        return None;
                    }
                    if name == "a" {
                        self.links += 1;
                    }
                    let depth = self.open.len();
                    self.element(entry, attributes)?;
                    if self.open.len() > depth {
                        self.open.last_mut()?.generated = true;
                    }
                }
                strict::Token::End(name) => {
                    if !(trusted || self.open.last()?.generated) {
                        return None;
                    }
                    self.close(name)?;
                    if name == "a" {
                        self.links -= 1;
                    }
                }
            }
            after_pre = pre;
        }
        // What follows `<pre>` is in another event: not looked at here.
        if after_pre {
            return None;
        }
        self.end_newline = false;
        Some(())
    }

    /// Whether html5ever's tree builder, in the body, does no more with a
    /// start tag `name` than insert it into the element open last (and put
    /// it on the list of formatting elements, which properly nested end
    /// tags take it off again): an element the policy keeps, not of a
    /// table's parts (the table modes move things), not one with rules of
    /// its own (`li`, `dd`, `dt`, `rp`, `rt` close their kind; an `a`
    /// closes an open link). What every start tag is checked for besides
    /// is in [`Writer::closes_on_start`].
    fn inserted_as_written(&self, name: &str) -> bool {
        let categories = elements::categories(name);
        let top = self.open.last().map_or(0, |open| open.categories);
        if categories & elements::ALLOWED == 0
            || categories & (elements::TABLE_CONTENT | elements::TABLE_CONTEXT) != 0
            || top & elements::TABLE_CONTEXT != 0
            || matches!(name, "li" | "dd" | "dt" | "rp" | "rt" | "input" | "wbr")
            || (name == "a" && self.links > 0)
        {
            return false;
        }
        true
    }

    /// Whether the tree builder closes an element open before it inserts
    /// the start tag `name`: a `p` in button scope when `name` closes one,
    /// a heading open last when `name` is a heading. pulldown-cmark's own
    /// tags never meet these; its blocks inside a `p` or heading the
    /// library's HTML left open would.
    fn closes_on_start(&self, categories: elements::Categories) -> bool {
        let top = self.open.last().map_or(0, |open| open.categories);
        if categories & top & elements::HEADING != 0 {
            return true;
        }
        if categories & elements::CLOSES_P != 0 {
            for open in self.open.iter().rev() {
                if open.name == "p" {
                    return true;
                }
                if open.categories & elements::BUTTON_SCOPE != 0 {
                    break;
                }
            }
        }
        false
    }

    /// A piece of the footnote markup `with_footnotes_at_end` writes, as
    /// the policy leaves it. Its elements must nest as that function nests
    /// them (an author could write the same markup by hand, out of order);
    /// and no link may hold one (a link in a link is a tree the parser
    /// rewrites).
    fn footnote(&mut self, note: Footnote) -> Option<()> {
        let fragment = |kind: &str, slug: &str| format!("#{kind}-{slug}");
        match note {
            Footnote::Reference {
                slug,
                first,
                number,
            } => {
                if self.links > 0 {
                    return None;
                }
                self.element(el!("sup"), vec![("class", "footnote-ref".to_owned())])?;
                let mut attributes = vec![("href", fragment("fn", slug))];
                if first {
                    attributes.push(("id", format!("fnref-{slug}")));
                }
                self.element(el!("a"), attributes)?;
                self.chars(number);
                self.close("a")?;
                self.close("sup")?;
            }
            Footnote::BackReference { slug } => {
                if self.links > 0 {
                    return None;
                }
                self.chars(" ");
                let attributes = vec![
                    ("href", fragment("fnref", slug)),
                    ("class", "footnote-backref".to_owned()),
                ];
                self.element(el!("a"), attributes)?;
                self.chars("↩");
                self.close("a")?;
            }
            Footnote::SectionStart => {
                if !self.notes.is_empty() {
                    return None;
                }
                self.element(el!("section"), vec![("class", "footnotes".to_owned())])?;
                self.element(el!("ol"), vec![])?;
                self.notes.push(Footnote::SectionStart);
            }
            Footnote::ItemStart { slug } => {
                if self.notes.last() != Some(&Footnote::SectionStart) {
                    return None;
                }
                self.element(el!("li"), vec![("id", format!("fn-{slug}"))])?;
                self.notes.push(Footnote::ItemStart { slug: "" });
            }
            Footnote::ItemEnd => {
                if !matches!(self.notes.pop(), Some(Footnote::ItemStart { .. })) {
                    return None;
                }
                self.close("li")?;
            }
            Footnote::SectionEnd => {
                if self.notes.pop() != Some(Footnote::SectionStart) {
                    return None;
                }
                self.close("ol")?;
                self.close("section")?;
            }
        }
        self.end_newline = false;
        Some(())
    }

    /// pulldown-cmark's line break before a block that does not start a line.
    fn block_break(&mut self) {
        if !self.end_newline {
            self.chars("\n");
        }
    }

    fn block(
        &mut self,
        entry: elements::Entry,
        attributes: Vec<(&'static str, String)>,
    ) -> Option<()> {
        self.block_break();
        self.element(entry, attributes)
    }

    fn newline(&mut self) {
        self.chars("\n");
        self.end_newline = true;
    }

    /// A start tag with the attributes ammonia leaves, in the order it
    /// leaves them, and those the policy adds.
    fn element(
        &mut self,
        (name, categories): elements::Entry,
        attributes: Vec<(&str, String)>,
    ) -> Option<()> {
        if self.closes_on_start(categories) {
            return None;
        }
        let mut attributes = self.policy(name, categories, attributes);
        // (As html5ever reads them on the full path: see `Writer::chars`.)
        if self.returns {
            for (_, value) in &mut attributes {
                if let Cow::Owned(read) = crate::serialize::newlines_as_parsed(value) {
                    *value = read;
                }
            }
        }
        let added = match sanitize::edit(name, attributes.iter().any(|(n, _)| *n == "type")) {
            Edit::Keep => "",
            Edit::Add(added) => added,
            Edit::Omit => return None,
        };
        self.out.push('<');
        self.out.push_str(name);
        let name_end = self.out.len();
        let mut written = Vec::with_capacity(attributes.len());
        for (attribute, value) in &attributes {
            self.out.push(' ');
            written.push((*attribute, value.as_str(), self.out.len()));
            self.out.push_str(attribute);
            self.out.push_str("=\"");
            escape(value, true, &mut self.out);
            self.out.push('"');
        }
        self.out.push_str(added);
        self.out.push('>');
        self.visitor
            .start(name, categories, &List(&written), name_end);
        self.end_newline = false;
        if categories & elements::VOID == 0 {
            self.open.push(Open {
                name,
                categories,
                generated: false,
            });
            if self.open.len() > MAX_OPEN {
                return None;
            }
        }
        Some(())
    }

    /// What ammonia does to an element's attributes, step by step in its
    /// order: the allow-list and the URL schemes (order kept), the policy's
    /// attribute filter (what it drops is swap-removed, as ammonia does),
    /// then relative URLs resolved against the base.
    fn policy<'n>(
        &self,
        element: &str,
        categories: elements::Categories,
        mut attributes: Vec<(&'n str, String)>,
    ) -> Vec<(&'n str, String)> {
        if attributes.is_empty() {
            return attributes;
        }
        let keeps = sanitize::Keeps::of(element, categories);
        attributes.retain(|(name, value)| {
            let allowed = keeps.attribute(name)
                || (element == "input"
                    && *name == "type"
                    && value.eq_ignore_ascii_case("checkbox"));
            allowed && (!is_url_attribute(name) || scheme_allowed(value))
        });
        let mut dropped = Vec::new();
        for (i, (name, value)) in attributes.iter_mut().enumerate() {
            match (self.filter)(element, name, value) {
                Some(Cow::Owned(new)) => *value = new,
                Some(Cow::Borrowed(_)) => {}
                None => dropped.push(i),
            }
        }
        for i in dropped.into_iter().rev() {
            attributes.swap_remove(i);
        }
        if let Some(base) = self.base {
            let mut dropped = Vec::new();
            for (i, (name, value)) in attributes.iter_mut().enumerate() {
                if is_url_attribute(name) && is_relative(value) {
                    match sanitize::resolve(base, value) {
                        Some(Cow::Owned(new)) => *value = new,
                        Some(Cow::Borrowed(_)) => {}
                        None => dropped.push(i),
                    }
                }
            }
            for i in dropped.into_iter().rev() {
                attributes.swap_remove(i);
            }
        }
        attributes
    }
}

const HEADINGS: [elements::Entry; 6] = [
    el!("h1"),
    el!("h2"),
    el!("h3"),
    el!("h4"),
    el!("h5"),
    el!("h6"),
];

/// The pieces of footnote markup `super::with_footnotes_at_end` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Footnote<'a> {
    /// `<sup class="footnote-ref"><a href="#fn-S" id="fnref-S">N</a></sup>`,
    /// the id on the first reference alone.
    Reference {
        slug: &'a str,
        first: bool,
        number: &'a str,
    },
    /// ` <a href="#fnref-S" class="footnote-backref">↩</a>`
    BackReference { slug: &'a str },
    /// `<section class="footnotes"><ol>`
    SectionStart,
    /// `<li id="fn-S">`
    ItemStart { slug: &'a str },
    /// `</li>`
    ItemEnd,
    /// `</ol></section>`
    SectionEnd,
}

impl<'a> Footnote<'a> {
    /// The piece `html` is, written exactly so and with a label slug
    /// (letters, digits and `-`, see `super::slug`); `None` for any other HTML.
    fn read(html: &'a str) -> Option<Footnote<'a>> {
        let slug = |s: &'a str| {
            (!s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '-')).then_some(s)
        };
        match html {
            r#"<section class="footnotes"><ol>"# => return Some(Footnote::SectionStart),
            "</li>" => return Some(Footnote::ItemEnd),
            "</ol></section>" => return Some(Footnote::SectionEnd),
            _ => {}
        }
        if let Some(rest) = html.strip_prefix(r#"<li id="fn-"#) {
            let slug = slug(rest.strip_suffix(r#"">"#)?)?;
            return Some(Footnote::ItemStart { slug });
        }
        if let Some(rest) = html.strip_prefix(r##" <a href="#fnref-"##) {
            let slug = slug(rest.strip_suffix(r#"" class="footnote-backref">↩</a>"#)?)?;
            return Some(Footnote::BackReference { slug });
        }
        let rest = html.strip_prefix(r##"<sup class="footnote-ref"><a href="#fn-"##)?;
        let rest = rest.strip_suffix("</a></sup>")?;
        let (attributes, number) = rest.split_once("\">")?;
        let (slug_text, first) = match attributes.split_once(r#"" id="fnref-"#) {
            Some((a, b)) if a == b => (a, true),
            Some(_) => return None,
            None => (attributes, false),
        };
        let number =
            (!number.is_empty() && number.bytes().all(|b| b.is_ascii_digit())).then_some(number)?;
        Some(Footnote::Reference {
            slug: slug(slug_text)?,
            first,
            number,
        })
    }
}

/// The attributes ammonia checks as URLs, of those written here.
fn is_url_attribute(name: &str) -> bool {
    matches!(name, "href" | "src")
}

/// ammonia's scheme check: an absolute URL of an allowed scheme, or a
/// relative one; a URL that does not parse goes.
fn scheme_allowed(value: &str) -> bool {
    match Url::parse(value) {
        Ok(url) => sanitize::URL_SCHEMES.contains(&url.scheme()),
        Err(error) => error == url::ParseError::RelativeUrlWithoutBase,
    }
}

fn is_relative(value: &str) -> bool {
    Url::parse(value) == Err(url::ParseError::RelativeUrlWithoutBase)
}

/// A link destination as pulldown-cmark writes it in `href`, read back by
/// html5ever: bytes outside the URL-safe ASCII set percent-encoded, `&` and
/// `'` kept (pulldown-cmark writes them as character references).
fn href_encode(dest: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut written = 0;
    for (i, byte) in dest.bytes().enumerate() {
        let kept = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'/'
                    | b':'
                    | b';'
                    | b'='
                    | b'?'
                    | b'@'
                    | b'^'
                    | b'_'
                    | b'~'
            );
        if kept {
            continue;
        }
        // A character beyond ASCII is encoded whole, byte by byte, so a
        // run of bytes kept starts and ends on character boundaries.
        if written < i {
            out.push_str(&dest[written..i]);
        }
        out.push('%');
        out.push(HEX[usize::from(byte >> 4)] as char);
        out.push(HEX[usize::from(byte & 0xF)] as char);
        written = i + 1;
    }
    out.push_str(&dest[written..]);
}

/// The white space between the comments of `html` (what the sanitizer
/// keeps of it), or `None` if it holds anything else, as html5ever's
/// tokenizer reads comments: `<!--` up to the first `-->`, `--!>` ending
/// one too, and `<!-->` or `<!--->` an empty one.
fn white_space_between_comments(html: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = html;
    loop {
        let space = rest.len() - rest.trim_start_matches([' ', '\t', '\n']).len();
        out.push_str(&rest[..space]);
        rest = &rest[space..];
        if rest.is_empty() {
            return Some(out);
        }
        let body = rest.strip_prefix("<!--")?;
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = body.find("-->")?;
        if body[..end + 2].contains("--!>") || body[..end].ends_with('-') {
            return None;
        }
        rest = &body[end + 3..];
    }
}

#[cfg(test)]
mod tests {
    use crate::{Format, Options, render_full_path, render_saying_path};

    /// Emphasis nested `depth` deep in a paragraph: `*w0 **w1 *w2* w1** w0*`.
    fn nested_emphasis(depth: usize) -> String {
        let marks: Vec<&str> = (0..depth)
            .map(|level| if level % 2 == 0 { "*" } else { "**" })
            .collect();
        let mut source = String::new();
        for (level, mark) in marks.iter().enumerate() {
            source.push_str(&format!("{mark}w{level} "));
        }
        source.push('x');
        for (level, mark) in marks.iter().enumerate().rev() {
            source.push_str(&format!(" w{level}{mark}"));
        }
        source
    }

    /// The bound is where it must be: formatting nested one past
    /// [`crate::html::guard::depth::MAX_ACTIVE`] is flattened by the full path (so the
    /// fast path must not take it), and up to [`super::MAX_OPEN`] elements
    /// open the fast path takes it and writes what the full path writes.
    #[test]
    fn the_fast_path_stops_where_the_depth_limit_could_start() {
        let options = Options {
            format: Format::Markdown,
            ..Options::default()
        };
        for depth in 1..=40 {
            let source = nested_emphasis(depth);
            let (fast, taken) = render_saying_path(&source, &options).unwrap();
            let full = render_full_path(&source, &options).unwrap();
            assert_eq!(fast, full, "depth {depth}");
            // The paragraph is open too.
            assert_eq!(taken, depth < super::MAX_OPEN, "depth {depth}");
            let flattened = full
                .diagnostics
                .iter()
                .any(|d| d.code == "input.too-much-formatting");
            assert_eq!(
                flattened,
                depth > crate::html::guard::depth::MAX_ACTIVE,
                "depth {depth}"
            );
        }
    }

    #[test]
    fn comments_and_the_white_space_between_them() {
        assert_eq!(
            super::white_space_between_comments("<!-- a -->\n <!---->\t").as_deref(),
            Some("\n \t")
        );
        for declined in [
            "<!-- a --> b",
            "<!-->",
            "<!--->",
            "<!-- a --!> b -->",
            "<!-- a",
            "<b>",
        ] {
            assert!(
                super::white_space_between_comments(declined).is_none(),
                "{declined}"
            );
        }
    }

    /// The library's HTML is written as the full path writes the same HTML
    /// where the tree builder inserts it as it stands, and declined where
    /// the tree builder would move or close things: here every raw HTML
    /// event counts as the library's own, and the full path reads the same
    /// document as the author's.
    #[test]
    fn own_html_goes_where_the_tree_builder_puts_it() {
        let options = Options {
            format: Format::Markdown,
            ..Options::default()
        };
        let extensions = super::super::extensions(&options.markdown);
        for (source, taken) in [
            (
                "<aside class=\"note note-info\">\n\ntext\n\n</aside>\n",
                true,
            ),
            ("<p><strong>A &amp; B</strong></p>\n", true),
            ("a <mark>b &#42; &lt;</mark> <span>c</span>\n", true),
            (
                "<details open><summary>S</summary>\n\nx\n\n</details>\n",
                true,
            ),
            ("<img src=\"/a.png\" alt=\"\" />\n", true),
            ("<pre><code>\nx</code></pre>\n", true),
            // A block start tag closes the paragraph it is in.
            ("para <div>x</div>\n", false),
            ("para <p>x</p>\n", false),
            // The line break after `<pre>` is dropped.
            ("<pre>\nx</pre>\n", false),
            // A heading closes the heading it is in; a link, the link.
            ("# <h2>x</h2>\n", false),
            ("[x <a href=\"/y\">y</a>](/z)\n", false),
            // List items and table parts have rules of their own.
            ("<li>x</li>\n", false),
            ("<table><tr><td>x</td></tr></table>\n", false),
            // Left open, or closed by another element's end.
            ("<div>\n\nopen at the end\n", false),
            ("- <div>\n\n  x\n- y\n", false),
            // Markdown blocks inside a `p` or heading left open close it.
            ("<p>\n\npara\n\n</p>\n", false),
            ("<h2>\n\n# x\n\n</h2>\n", false),
            ("*a <span>b* c</span>\n", false),
            // What the reader does not read exactly.
            ("<div class=note>\n", false),
            ("<p>a &copy; b</p>\n", false),
        ] {
            let events: Vec<_> = pulldown_cmark::Parser::new_ext(source, extensions)
                .into_offset_iter()
                .collect();
            // The whole source, as the templates stage's one range.
            let whole = 0..source.len();
            let generated = std::slice::from_ref(&whole);
            let settings = super::Settings {
                id_prefix: &options.id_prefix,
                base: None,
                generated,
            };
            let mut visitor = ();
            let mut stream = super::Stream::new(&settings, &mut visitor, source, None);
            let written = stream.write(&events).and_then(|()| stream.finish());
            assert_eq!(written.is_some(), taken, "{source:?}");
            if let Some(written) = written {
                let full = render_full_path(source, &options).unwrap();
                assert_eq!(written, full.html, "{source:?}");
            }
        }
    }

    /// Every piece of footnote markup the Markdown stage writes is read
    /// back as a footnote piece (else footnotes would silently decline).
    #[test]
    fn footnote_markup_is_recognized() {
        let source =
            "One[^a] two[^二] and one again[^a].\n\n[^a]: First.\n[^二]: Second.\n\n    code\n";
        let html = crate::markdown::to_html(source, &Default::default()).html;
        let pieces = [
            r##"<sup class="footnote-ref"><a href="#fn-a" id="fnref-a">1</a></sup>"##,
            r##"<sup class="footnote-ref"><a href="#fn-二" id="fnref-二">2</a></sup>"##,
            r##"<sup class="footnote-ref"><a href="#fn-a">1</a></sup>"##,
            r#"<section class="footnotes"><ol>"#,
            r#"<li id="fn-a">"#,
            r##" <a href="#fnref-a" class="footnote-backref">↩</a>"##,
            "</li>",
            "</ol></section>",
        ];
        for piece in pieces {
            assert!(html.contains(piece), "{piece} in {html}");
            assert!(super::Footnote::read(piece).is_some(), "{piece}");
        }
        let (_, taken) = render_saying_path(source, &Options::default()).unwrap();
        assert!(taken, "footnotes take the fast path");
        assert!(super::Footnote::read(r#"<li id="fn-a" onclick="x">"#).is_none());
    }
}
