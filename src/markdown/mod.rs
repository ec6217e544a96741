//! Markdown to (unsanitized) HTML with pulldown-cmark.
//!
//! Two things are changed on the way: Hexo's `<!-- more -->` becomes the
//! `<span id=":more"></span>` marker (the outline stage cuts the
//! excerpt there), and footnotes are collected at the end, numbered in order
//! of first reference, with back-links, as GitHub shows them. And the empty
//! cells pulldown-cmark fills in to square a table's rows are limited (see
//! [`Padding`]).
//!
//! Markdown whose only raw HTML is comments may skip the HTML stages: see
//! [`fast`].

pub mod chunks;
pub mod fast;

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde_json::{Map, Value};

use pulldown_cmark::{
    BrokenLink, CowStr, Event, LinkType, Options as Extensions, Parser, Tag, TagEnd, html,
};

use crate::Generator;
use crate::autolink;
use crate::diagnostics::Note;
use crate::excerpt::{MORE_MARKER, is_more_comment};
use crate::extensions as dialect_syntax;
use crate::find;
use crate::options::{MarkdownOptions, MathOption};
use crate::raw_text;
use crate::rendered::Diagnostics;
use crate::rewrite::Rewrite;

/// Markdown rendered to HTML that still has to be sanitized, or already
/// safe when the fast path took it.
pub struct Html {
    /// The safe HTML the fast path wrote ([`fast::Stream`]); `html` and
    /// `tags` are then empty.
    pub safe: Option<String>,
    pub html: String,
    /// Every tag of `html`, raw HTML included, nested as there, without the
    /// text between them: all that the sanitizer's audit looks at, in a
    /// fraction of the bytes.
    pub tags: String,
    /// `(line of tags, line of the source)` where an event's tags start,
    /// in `tags` order, for each event whose line is not that of the entry
    /// before counted on; lines counted from 1 and 0.
    tag_lines: Vec<(u64, usize)>,
    /// Tables whose short rows were left short, in source order.
    unfilled: Vec<Unfilled>,
    /// Tables were read as text: see [`max_table_cells`].
    tables_off: bool,
    /// Raw-text start tags written as text (see [`crate::raw_text`]).
    shown: raw_text::Shown,
    /// What the dialect's syntax reported (see `crate::extensions`), with
    /// the line of the source (from 0).
    notes: Vec<(Note, usize)>,
    /// Runs of lines cut to be parsed in pieces ([`chunks::MAX_RUN`]): how
    /// many cuts, and the line (from 0) of the first.
    runs_cut: Option<(usize, usize)>,
}

/// A table whose missing cells were not all filled in.
struct Unfilled {
    /// The line of the source (from 0) of the first row left short.
    line: usize,
    columns: usize,
    /// Empty cells not written.
    cells: usize,
}

impl Html {
    /// The line of the Markdown source (from 0) that line `line` of
    /// [`Html::tags`] (from 1, as the audit's tokenizer counts) was written
    /// from.
    pub fn source_line(&self, line: u64) -> Option<usize> {
        let after = self.tag_lines.partition_point(|(tags, _)| *tags <= line);
        let (tags, source) = self.tag_lines.get(after.checked_sub(1)?)?;
        Some(source + (line - tags) as usize)
    }

    /// Says what the rendering left out, at the lines of the file whose
    /// Markdown body starts at line `first_line`.
    pub fn report(&self, first_line: usize, diagnostics: &mut Diagnostics) {
        self.shown.report(first_line, diagnostics);
        if self.tables_off {
            diagnostics.warn(
                "markdown.tables-not-rendered",
                "The tables of this article would have more cells than it has bytes many times over (rows filled in to the width of their header); they were left as text.".to_owned(),
                None,
            );
        }
        for table in &self.unfilled {
            diagnostics.warn(
                "markdown.table-cells-not-filled",
                format!(
                    "A table has {} columns but its rows from this line on have fewer; their {} missing cells were not filled in with empty ones, which would have made the HTML many times larger than the table.",
                    table.columns, table.cells
                ),
                Some(first_line + table.line),
            );
        }
        for (note, line) in &self.notes {
            diagnostics.push(
                note.severity,
                note.code,
                note.message.clone(),
                Some(first_line + line),
            );
        }
        if let Some((cuts, line)) = self.runs_cut {
            let lines = chunks::MAX_RUN;
            diagnostics.warn(
                "markdown.long-block-cut",
                format!(
                    "Lines run on for more than {lines} without a blank one; to keep the parser's memory bounded they were read in pieces of {lines} lines ({cuts} cuts, the first here), each piece its own blocks: a paragraph shows as several, and emphasis or links across a cut are read apart."
                ),
                Some(first_line + line),
            );
        }
    }
}

/// Which math delimiters are math.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Math {
    /// None: `$` and `\(` are text.
    Off,
    /// `$$…$$` alone, as kramdown (Jekyll's Markdown) reads it by default.
    DoubleDollar,
    /// `$…$`, `$$…$$`, `\(…\)` and `\[…\]`, as KaTeX's and MathJax's
    /// auto-render find them.
    All,
}

/// Whether an article has math: the option, or for `auto` what the front
/// matter says (`math`, `mathjax` or `katex` true, at the top or in Zola's
/// `[extra]`, the keys themes read), else the generator's own convention.
pub fn math(option: MathOption, data: &Map<String, Value>, generator: Generator) -> Math {
    match option {
        MathOption::On => return Math::All,
        MathOption::Off => return Math::Off,
        MathOption::Auto => {}
    }
    let says = |data: &Map<String, Value>| {
        ["math", "mathjax", "katex"]
            .iter()
            .find_map(|key| match data.get(*key)? {
                Value::Bool(on) => Some(*on),
                Value::String(word) => match word.trim().to_ascii_lowercase().as_str() {
                    "true" | "yes" | "on" => Some(true),
                    "false" | "no" | "off" => Some(false),
                    _ => None,
                },
                _ => None,
            })
    };
    let extra = data.get("extra").and_then(Value::as_object);
    match says(data).or_else(|| extra.and_then(says)) {
        Some(true) => Math::All,
        Some(false) => Math::Off,
        None if generator == Generator::Jekyll => Math::DoubleDollar,
        None => Math::Off,
    }
}

/// Renders Markdown to HTML as GitHub reads it, math as the option alone
/// says (`auto` is off): figure captions, and the tests of other stages.
pub fn to_html(source: &str, options: &MarkdownOptions) -> Html {
    let math = math(options.math, &Map::new(), Generator::None);
    to_html_for(source, options, Generator::None, math)
}

/// Renders Markdown to HTML in the Markdown dialect of `generator`, with
/// math delimiters as `math` says.
pub fn to_html_for(
    source: &str,
    options: &MarkdownOptions,
    generator: Generator,
    math: Math,
) -> Html {
    render(source, options, generator, math, None)
}

/// [`to_html_for`], or straight to safe HTML when `fast` is given and the
/// fast path takes the document ([`Html::safe`]).
pub fn render(
    source: &str,
    options: &MarkdownOptions,
    generator: Generator,
    math: Math,
    mut fast: Option<(&fast::Settings, &mut dyn crate::html::walk::Visitor)>,
) -> Html {
    let mut extensions = extensions(options);
    extensions.set(Extensions::ENABLE_MATH, math != Math::Off);
    let given = Given {
        source,
        options,
        generator,
        math,
        extensions,
    };
    // Raw text first: the dialect's syntax keeps offsets into the source it
    // prepares, so that source must be the final one.
    if !raw_text::may_have(source) {
        return given
            .render(source, raw_text::Shown::default(), Edits::None, fast)
            .expect(UNWATCHED);
    }
    // A source too long to parse whole (see `chunks::MAX_RUN`) is not
    // edited: its tags are made text in each piece's events.
    if chunks::has_long_runs(source) {
        return given
            .render(source, raw_text::Shown::default(), Edits::InEvents, fast)
            .expect(UNWATCHED);
    }
    // Most sources that name a raw-text tag name it where the parse reads
    // text (code, a block that closes it): the source is parsed as given and
    // watched, and only edited and parsed again when a tag must become text
    // in it.
    let watched = given.render(
        source,
        raw_text::Shown::default(),
        Edits::Watched,
        fast.as_mut()
            .map(|(settings, visitor)| (*settings, &mut **visitor as _)),
    );
    if let Some(html) = watched {
        return html;
    }
    let mut shown = raw_text::Shown::default();
    let patched = raw_text_as_text(source, extensions, &mut shown);
    given
        .render(&patched, shown, Edits::Made, fast)
        .expect(UNWATCHED)
}

const UNWATCHED: &str = "only a watched parse is declined";

/// What [`raw_text_as_text`] did to a source before its parse.
#[derive(Clone, Copy, PartialEq)]
enum Edits {
    /// Nothing: the source names no raw-text tag.
    None,
    /// Nothing yet: the parse is watched for a tag the source must have
    /// made text, and declined if it finds one.
    Watched,
    /// Made (perhaps none was needed).
    Made,
    /// None, for a source read in pieces: the tags are made text in the
    /// events alone.
    InEvents,
}

/// A Markdown source as given to [`render`], with how to read it.
#[derive(Clone, Copy)]
struct Given<'g> {
    source: &'g str,
    options: &'g MarkdownOptions,
    generator: Generator,
    math: Math,
    /// Before the dialect's: the extensions [`raw_text_as_text`] parses with.
    extensions: Extensions,
}

impl Given<'_> {
    /// Renders `source`, the given one or the one [`raw_text_as_text`]
    /// made of it (`edits`). `None` only when `edits` is
    /// [`Edits::Watched`] and the source must be edited first.
    fn render(
        &self,
        source: &str,
        mut shown: raw_text::Shown,
        edits: Edits,
        fast: Option<(&fast::Settings, &mut dyn crate::html::walk::Visitor)>,
    ) -> Option<Html> {
        let (options, math, given) = (self.options, self.math, self.source);
        let mut extensions = self.extensions;
        let prepared = dialect_syntax::prepare(source, self.generator);
        let source: &str = &prepared.source;
        extensions |= prepared.extensions();
        let tables_off = options.tables && table_cells_at_most(source) > max_table_cells(source);
        if tables_off {
            extensions.remove(Extensions::ENABLE_TABLES);
        }
        // The watched parse must be the one `raw_text_as_text` would make.
        let watch = edits == Edits::Watched;
        if watch && (source != given || extensions != self.extensions) {
            return None;
        }
        // Read again only where raw text or the dialect changed the source.
        let raw_text = if edits != Edits::None || matches!(prepared.source, Cow::Owned(_)) {
            raw_text::may_have(source)
        } else {
            false
        };
        // Cut only where every stage reads a chunk as it reads the whole: see
        // `chunks` for what stays whole.
        let plan = if prepared.is_plain() && shown.is_empty() && !raw_text {
            chunks::plan(source, extensions)
        } else if matches!(edits, Edits::None | Edits::InEvents) {
            // Runs of lines too long to parse at once, in a dialect's
            // Markdown or beside raw-text tags.
            chunks::forced(source, extensions)
        } else {
            None
        };
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(find::line_breaks(source))
            .collect();
        let line_of = |offset: usize| line_starts.partition_point(|start| *start <= offset) - 1;
        let document = Document {
            source,
            options,
            extensions,
            prepared: &prepared,
            math,
            math_delimiters: math == Math::All
                && (source.contains('$')
                    || find::contains(source, "\\(")
                    || find::contains(source, "\\[")),
            autolinks: options.autolinks && autolink::may_have(source),
            raw_text,
            watch_raw_text: watch,
            line_of: &line_of,
        };
        // The templates stage's ranges are offsets into the source as given:
        // when raw text or the dialect changed it (not merely copied it), none
        // is trusted.
        let (settings, mut visitor) = match fast {
            Some((settings, visitor)) => {
                let generated = if source == given {
                    settings.generated
                } else {
                    &[]
                };
                let settings = fast::Settings {
                    generated,
                    ..*settings
                };
                (Some(settings), Some(visitor))
            }
            None => (None, None),
        };
        let written = loop {
            let fast = match (&settings, &mut visitor) {
                (Some(settings), Some(visitor)) => {
                    // A borrow for this attempt alone.
                    let visitor: &mut dyn crate::html::walk::Visitor = &mut **visitor;
                    Some((settings, visitor))
                }
                _ => None,
            };
            match document.write(plan.as_ref(), fast, &mut shown) {
                Ok(written) => break written,
                // The fast path declined a chunk after the first: the full
                // path writes the document from its start.
                Err(Declined::Fast) => visitor = None,
                Err(Declined::RawText) => return None,
            }
        };
        let unfilled = written
            .padding
            .unfilled
            .into_iter()
            .map(|(at, columns, cells)| Unfilled {
                line: line_of(at),
                columns,
                cells,
            })
            .collect();
        let mut notes: Vec<Note> = prepared.notes.into_iter().chain(written.notes).collect();
        notes.sort_by_key(|note| note.at);
        let notes = notes
            .into_iter()
            .map(|note| {
                let line = line_of(note.at.min(source.len()));
                (note, line)
            })
            .collect();
        let runs_cut = plan
            .as_ref()
            .and_then(|plan| Some((plan.forced.len(), line_of(*plan.forced.first()?))));
        Some(Html {
            safe: written.safe,
            html: written.html,
            tags: written.tags,
            tag_lines: written.tag_lines,
            unfilled,
            tables_off,
            shown,
            notes,
            runs_cut,
        })
    }
}

/// A Markdown source ready to parse (raw text and the dialect's syntax
/// prepared), and what its events are rewritten with.
struct Document<'a, 'r> {
    source: &'a str,
    options: &'r MarkdownOptions,
    extensions: Extensions,
    prepared: &'r dialect_syntax::Prepared<'a>,
    math: Math,
    /// Whether the source holds a delimiter [`with_math_delimiters`] reads.
    math_delimiters: bool,
    /// Whether autolink literals are on and the source may hold one.
    autolinks: bool,
    /// Whether the source may hold a raw-text start tag.
    raw_text: bool,
    /// Whether to decline the parse when it shows a raw-text tag
    /// [`raw_text_as_text`] would make text in the source.
    watch_raw_text: bool,
    line_of: &'r dyn Fn(usize) -> usize,
}

/// A document's events written: safe HTML by the fast path, or the HTML and
/// its tags for the full path, and what the stages noted.
struct Written {
    safe: Option<String>,
    html: String,
    tags: String,
    tag_lines: Vec<(u64, usize)>,
    padding: Padding,
    notes: Vec<Note>,
}

/// Why [`Document::write`] wrote nothing.
enum Declined {
    /// The fast path declined a chunk after the first.
    Fast,
    /// The watched parse showed a raw-text tag to make text in the source.
    RawText,
}

impl<'a> Document<'a, '_> {
    /// Parses the document whole (`plan` none) or in the plan's chunks, one
    /// after the other, rewrites each chunk's events and writes them, by the
    /// fast path when `fast` is given and takes them all.
    fn write(
        &self,
        plan: Option<&chunks::Plan<'a>>,
        fast: Option<(&fast::Settings, &mut dyn crate::html::walk::Visitor)>,
        shown: &mut raw_text::Shown,
    ) -> Result<Written, Declined> {
        let source = self.source;
        let whole = 0..source.len();
        let ranges = plan.map_or(std::slice::from_ref(&whole), |plan| &plan.chunks[..]);
        let mut stream = fast.map(|(settings, visitor)| {
            fast::Stream::new(settings, visitor, source, plan.map(|_| source.len()))
        });
        let mut html = String::new();
        let mut tags = Tags::default();
        let mut footnotes = self.options.footnotes.then(Footnotes::default);
        let mut padding = Padding::default();
        let mut more_seen = false;
        let mut notes = Vec::new();
        // Whether each HTML event's text is its source as written: only
        // there does `raw_text_as_text` edit the source.
        let mut watch = self.watch_raw_text.then(UnclosedRawText::<bool>::default);
        for (index, range) in ranges.iter().enumerate() {
            let last = index + 1 == ranges.len();
            let base = range.start;
            let resolve = |link: BrokenLink<'_>| plan.and_then(|plan| plan.resolve(link));
            let parser = Parser::new_with_broken_link_callback(
                &source[range.clone()],
                self.extensions,
                Some(resolve),
            )
            .into_offset_iter()
            .map(|(event, at)| {
                // Only a chunk's parse has links its callback resolved.
                let event = match plan {
                    Some(_) => with_known_link_type(event),
                    None => event,
                };
                (event, at.start + base..at.end + base)
            })
            .inspect(|(event, range)| {
                if let Some(watch) = &mut watch {
                    watch.see(event, |text| source.get(range.clone()) == Some(text));
                }
            })
            .filter(|(event, range)| padding.keep(event, range))
            .map(|(event, range)| match event {
                // Only the first marker counts, as in Hexo; the others stay comments.
                Event::Html(ref text) | Event::InlineHtml(ref text)
                    if !more_seen && is_more_comment(text) =>
                {
                    more_seen = true;
                    (Event::InlineHtml(CowStr::Borrowed(MORE_MARKER)), range)
                }
                other => (other, range),
            });
            let capacity = match plan {
                None => events_at_most(source, self.extensions),
                Some(_) => 0,
            };
            let mut events = Vec::with_capacity(capacity);
            match &mut footnotes {
                Some(footnotes) => footnotes.extend(parser, &mut events),
                None => events.extend(parser),
            }
            if let Some(watch) = watch.take()
                && watch
                    .finish()
                    .into_iter()
                    .any(|(as_written, ..)| as_written)
            {
                return Err(Declined::RawText);
            }
            if last && let Some(footnotes) = footnotes.take() {
                footnotes.finish(&mut events);
            }
            let events = self.rewrite(events, shown, &mut notes);

            if let Some(writer) = &mut stream {
                // In chunks, a URL the audit reports sends the document the
                // full path's way: only the whole document's tags give its
                // count and line.
                let taken = writer.write(&events).is_some()
                    && !(plan.is_some() && writer.unsafe_url())
                    && (!last || writer.finishes());
                if !taken {
                    if index > 0 {
                        return Err(Declined::Fast);
                    }
                    stream = None;
                }
            }
            // The tags the audit reads: for the full path, and for the fast
            // path when it wrote an unsafe URL away, so that the audit
            // reports it at the line it always gives (see
            // `fast::Stream::unsafe_url`).
            if stream.as_ref().is_none_or(fast::Stream::unsafe_url) {
                tags.push(&events, self.line_of);
            }
            if stream.is_none() {
                if html.capacity() == 0 {
                    html.reserve(source.len() * 3 / 2);
                }
                // A writer starts as after a line break, which the block
                // that starts the next chunk writes otherwise.
                if !html.is_empty() && !html.ends_with('\n') {
                    html.push('\n');
                }
                html::push_html(&mut html, events.into_iter().map(|(event, _)| event));
            }
        }
        if let Some(plan) = plan {
            plan.count();
        }
        let safe = match stream {
            Some(stream) => Some(stream.finish().ok_or(Declined::Fast)?),
            None => None,
        };
        let html = if safe.is_some() {
            html
        } else {
            align_without_css(html)
        };
        Ok(Written {
            safe,
            html,
            tags: tags.out,
            tag_lines: tags.lines_at,
            padding,
            notes,
        })
    }

    /// The rewrites of a chunk's events after parsing: the dialect's, math,
    /// autolinks, and raw-text start tags left unclosed made text.
    fn rewrite(
        &self,
        events: Vec<(Event<'a>, Range<usize>)>,
        shown: &mut raw_text::Shown,
        notes: &mut Vec<Note>,
    ) -> Vec<(Event<'a>, Range<usize>)> {
        let source = self.source;
        let mut events = self
            .prepared
            .apply(events, self.options.alerts, self.extensions, notes);
        match self.math {
            Math::All if self.math_delimiters => events = with_math_delimiters(source, events),
            Math::DoubleDollar => single_dollars_as_text(source, &mut events),
            Math::All | Math::Off => {}
        }
        if self.autolinks {
            events = with_autolinks(events);
        }
        if !shown.is_empty() || self.raw_text {
            // What the source edits could not reach (a tag inside a block quote,
            // whose lines the events hold without their `>`), in the events.
            let mut by_event: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for (index, at, name) in unclosed_raw_text(&events) {
                if let (Event::Html(text) | Event::InlineHtml(text), range) = &events[index] {
                    let line = (self.line_of)(range.start) + text[..at].matches('\n').count();
                    shown.add(&name, Some(line));
                    by_event.entry(index).or_default().push(at);
                }
            }
            for (index, offsets) in by_event {
                if let Event::Html(text) | Event::InlineHtml(text) = &mut events[index].0 {
                    *text = raw_text::escape_at(text, offsets).into();
                }
            }
        }
        events
    }
}

/// A link or image resolved through [`chunks::Plan::resolve`] with the
/// link type the whole document's parse gives it (the callback's are
/// pulldown-cmark's "unknown" ones).
fn with_known_link_type(event: Event<'_>) -> Event<'_> {
    let known = |link_type| match link_type {
        LinkType::ReferenceUnknown => LinkType::Reference,
        LinkType::CollapsedUnknown => LinkType::Collapsed,
        LinkType::ShortcutUnknown => LinkType::Shortcut,
        other => other,
    };
    match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type: known(link_type),
            dest_url,
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type: known(link_type),
            dest_url,
            title,
            id,
        }),
        other => other,
    }
}

/// Every tag of the events' HTML, without the text between them (see
/// [`Html::tags`]), and where each event's tags start (see
/// [`Html::source_line`]), chunk after chunk.
struct Tags {
    out: String,
    lines_at: Vec<(u64, usize)>,
    lines: Cell<u64>,
}

impl Default for Tags {
    fn default() -> Self {
        Tags {
            out: String::new(),
            lines_at: Vec::new(),
            lines: Cell::new(1),
        }
    }
}

impl Tags {
    fn push(&mut self, events: &[(Event, Range<usize>)], line_of: &dyn Fn(usize) -> usize) {
        let lines = &self.lines;
        let lines_at = &mut self.lines_at;
        let tag_events =
            events
                .iter()
                .filter(|(event, _)| !is_text(event))
                .map(|(event, range)| {
                    let (tags, source) = (lines.get(), line_of(range.start));
                    // Only where the line of the tags and that of the source
                    // stop moving together: `Html::source_line` counts on
                    // from the last entry (one entry per event was the
                    // biggest thing a big source held beside its output).
                    let counted_on = lines_at.last().is_some_and(|&(last_tags, last_source)| {
                        last_source + (tags - last_tags) as usize == source
                    });
                    if !counted_on {
                        lines_at.push((tags, source));
                    }
                    event.clone()
                });
        // A writer starts as after a line break: the whole document's
        // would write one before the block that starts this chunk, after
        // the event that starts it is counted.
        let newline_due = !self.out.is_empty() && !self.out.ends_with('\n');
        // Writing to a String cannot fail.
        let _ = html::write_html_fmt(
            LineCounter {
                out: &mut self.out,
                lines,
                newline_due,
            },
            tag_events,
        );
    }
}

/// Text outside links, images and code with its autolink literals made
/// links (see [`crate::autolink`]). Adjacent text events are read as one:
/// pulldown-cmark splits text at characters that might have been syntax
/// (`_`, `(`, `&`), which a URL is full of. A run of text without a link
/// stays as it was, its events moved back, not copied.
fn with_autolinks<'a>(
    mut events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    /// The text events of a run, and their text joined when there are
    /// several (both kept from run to run, for their allocations).
    #[derive(Default)]
    struct Run<'a> {
        events: Vec<(Event<'a>, Range<usize>)>,
        joined: String,
    }
    impl<'a> Run<'a> {
        fn flush(&mut self, out: &mut Rewrite<'_, 'a>) {
            let text: &str = match self.events.as_slice() {
                [] => return,
                [(Event::Text(text), _)] => text,
                pieces => {
                    self.joined.clear();
                    for (event, _) in pieces {
                        if let Event::Text(piece) = event {
                            self.joined.push_str(piece);
                        }
                    }
                    &self.joined
                }
            };
            let links = autolink::find(text);
            if links.is_empty() {
                for event in self.events.drain(..) {
                    out.push(event);
                }
                return;
            }
            let range = self.events[0].1.start..self.events[self.events.len() - 1].1.end;
            let mut from = 0;
            for link in links {
                if from < link.range.start {
                    out.push((
                        Event::Text(text[from..link.range.start].to_owned().into()),
                        range.clone(),
                    ));
                }
                // pulldown-cmark writes `mailto:` before an e-mail link's address.
                let (link_type, dest_url) = match link.href.strip_prefix("mailto:") {
                    Some(address) => (LinkType::Email, address.to_owned()),
                    None => (LinkType::Autolink, link.href),
                };
                out.push((
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest_url.into(),
                        title: CowStr::Borrowed(""),
                        id: CowStr::Borrowed(""),
                    }),
                    range.clone(),
                ));
                out.push((
                    Event::Text(text[link.range.clone()].to_owned().into()),
                    range.clone(),
                ));
                out.push((Event::End(TagEnd::Link), range.clone()));
                from = link.range.end;
            }
            if from < text.len() {
                out.push((Event::Text(text[from..].to_owned().into()), range));
            }
            self.events.clear();
        }
    }

    // In place, from the first run with a link on (a run starts only
    // outside links, images and code): the links add a few events to many.
    let Some(first) = first_run_with_link(&events) else {
        return events;
    };
    let mut out = Rewrite::from(&mut events, first);
    // Links, images and code blocks open: their text is never linked.
    let mut inside = 0usize;
    let mut run = Run::default();
    loop {
        // Between runs, only text and what opens or closes a link, an
        // image or code is read; the rest stays in place.
        if run.events.is_empty() {
            out.keep_until(|event| matches!(event, Event::Text(_)) || unlinked_step(event) != 0);
        }
        let Some((event, range)) = out.next() else {
            break;
        };
        if let (Event::Text(_), 0) = (&event, inside) {
            run.events.push((event, range));
            continue;
        }
        run.flush(&mut out);
        inside = inside.saturating_add_signed(unlinked_step(&event));
        out.push((event, range));
    }
    run.flush(&mut out);
    out.finish();
    events
}

/// Where the first run of text events outside links, images and code
/// blocks that holds an autolink literal starts (read as
/// [`with_autolinks`] reads runs).
fn first_run_with_link(events: &[(Event, Range<usize>)]) -> Option<usize> {
    // A run of several text events is joined in one buffer, reused.
    let mut joined = String::new();
    let mut has_link = |run: &[(Event, Range<usize>)]| {
        let text = match run {
            [(Event::Text(text), _)] => &**text,
            run => {
                joined.clear();
                for (event, _) in run {
                    if let Event::Text(text) = event {
                        joined.push_str(text);
                    }
                }
                &joined
            }
        };
        !autolink::find(text).is_empty()
    };
    let mut inside = 0usize;
    let mut run_start = None;
    for (at, (event, _)) in events.iter().enumerate() {
        if let (Event::Text(_), 0) = (event, inside) {
            run_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = run_start.take()
            && has_link(&events[start..at])
        {
            return Some(start);
        }
        inside = inside.saturating_add_signed(unlinked_step(event));
    }
    run_start.filter(|&start| has_link(&events[start..]))
}

/// How `event` changes the nesting of links, images and code blocks, whose
/// text is never autolinked: 1 at their start, −1 at their end, else 0.
fn unlinked_step(event: &Event) -> isize {
    match event {
        Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => 1,
        Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => -1,
        _ => 0,
    }
}

/// kramdown's math is `$$…$$` alone: pulldown-cmark's `$…$` is text again.
/// And kramdown's `$$…$$` is display math only as a paragraph of its own;
/// within a line of text it is inline math.
#[inline(never)] // A stage most articles skip: see the crate's doc.
fn single_dollars_as_text(source: &str, events: &mut [(Event, Range<usize>)]) {
    for at in 0..events.len() {
        let (event, range) = &events[at];
        match event {
            Event::InlineMath(_) if !source[range.clone()].starts_with("$$") => {
                events[at].0 = Event::Text(source[range.clone()].to_owned().into());
            }
            Event::DisplayMath(tex) => {
                let alone =
                    matches!(
                        events.get(at.wrapping_sub(1)),
                        Some((Event::Start(Tag::Paragraph), _))
                    ) && matches!(events.get(at + 1), Some((Event::End(TagEnd::Paragraph), _)));
                if !alone {
                    events[at].0 = Event::InlineMath(tex.clone());
                }
            }
            _ => {}
        }
    }
}

/// The delimiters pulldown-cmark leaves as text that KaTeX's and MathJax's
/// auto-render take for math: `\(…\)` and `\[…\]` (Markdown reads
/// `\(` as an escaped `(`, so the backslashes would be lost) and `$…$`
/// with spaces inside (`$ x = 1 $`), which pulldown-cmark's rule refuses
/// and auto-render accepts. The TeX is taken from the source as written.
/// A formula stays within one paragraph (or heading, or cell) and within
/// text: Markdown around or inside it (a link, `*emphasis*`) leaves it text.
#[inline(never)] // A stage most articles skip: see the crate's doc.
fn with_math_delimiters<'a>(
    source: &'a str,
    mut events: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<(Event<'a>, Range<usize>)> {
    // In place, from the first run with a formula on: formulas are few
    // among the events.
    let Some(first) = first_run_with_formula(source, &events) else {
        return events;
    };
    let mut out = Rewrite::from(&mut events, first);
    let mut run: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    while let Some((event, range)) = out.next() {
        if matches!(event, Event::Text(_) | Event::SoftBreak) {
            run.push((event, range));
            continue;
        }
        math_in_run(source, std::mem::take(&mut run), &mut out);
        out.push((event, range));
    }
    math_in_run(source, run, &mut out);
    out.finish();
    events
}

/// Where the first run of text events (and soft breaks) that holds a
/// formula starts (read as [`with_math_delimiters`] reads runs).
fn first_run_with_formula(source: &str, events: &[(Event, Range<usize>)]) -> Option<usize> {
    let mut run_start = None;
    for (at, (event, _)) in events.iter().enumerate() {
        if matches!(event, Event::Text(_) | Event::SoftBreak) {
            run_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = run_start.take()
            && !find_formulas(source, run_span(source, &events[start..at])).is_empty()
        {
            return Some(start);
        }
    }
    run_start.filter(|&start| !find_formulas(source, run_span(source, &events[start..])).is_empty())
}

/// The source a run of text events was read from (see [`math_in_run`]).
fn run_span(source: &str, run: &[(Event, Range<usize>)]) -> Range<usize> {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return 0..0;
    };
    // A text event after an escape starts after its backslash: `\\[` that
    // opens a paragraph starts one byte before the run.
    let start = first.1.start - usize::from(source[..first.1.start].ends_with('\\'));
    start..last.1.end
}

/// A run of text events with the formulas in its source made math events.
fn math_in_run<'a>(
    source: &'a str,
    run: Vec<(Event<'a>, Range<usize>)>,
    out: &mut Rewrite<'_, 'a>,
) {
    if run.is_empty() {
        return;
    }
    let formulas = find_formulas(source, run_span(source, &run));
    if formulas.is_empty() {
        out.extend(run);
        return;
    }
    // Every piece at its source offset: the formulas, and what of each
    // event lies outside them.
    let mut pieces: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (start, tex, end, display) in &formulas {
        let tex = CowStr::from(source[tex.clone()].to_owned());
        let math = if *display {
            Event::DisplayMath(tex)
        } else {
            Event::InlineMath(tex)
        };
        pieces.push((math, *start..*end));
    }
    for (event, range) in run {
        // Formulas are in order and apart: those overlapping the event
        // follow the first that ends after its start.
        let first = formulas.partition_point(|(_, _, end, _)| *end <= range.start);
        let overlapping: Vec<_> = formulas[first..]
            .iter()
            .take_while(|(start, ..)| *start < range.end)
            .collect();
        if overlapping.is_empty() {
            pieces.push((event, range));
            continue;
        }
        // Escapes and references make a text event differ from its source;
        // they are never cut by a delimiter, so inside a formula they are
        // part of its TeX, and only text written as it is is cut.
        let exact =
            matches!(&event, Event::Text(text) if source.get(range.clone()) == Some(&**text));
        if !exact {
            continue;
        }
        let mut from = range.start;
        for (start, _, end, _) in overlapping {
            if from < *start {
                pieces.push((Event::Text(source[from..*start].into()), from..*start));
            }
            from = from.max(*end);
        }
        if from < range.end {
            pieces.push((Event::Text(source[from..range.end].into()), from..range.end));
        }
    }
    pieces.sort_by_key(|(_, range)| range.start);
    out.extend(pieces);
}

/// Formulas in `source[span]` by auto-render's rules: `\(…\)`,
/// `\[…\]` (display) and `$…$` whatever the spaces inside, none empty
/// and none after a backslash that escapes it: `(start, TeX, end, display)`.
fn find_formulas(source: &str, span: Range<usize>) -> Vec<(usize, Range<usize>, usize, bool)> {
    let text = &source[span.clone()];
    let bytes = text.as_bytes();
    let escaped = |at: usize| {
        bytes[..at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count()
            % 2
            == 1
    };
    let mut found = Vec::new();
    // Closing delimiters known not to come again: searching for them from
    // every later opening would take time quadratic in the text.
    let mut never = [false; 3];
    let mut at = 0;
    while at < bytes.len() {
        let (close, display, open_len) = match bytes[at] {
            b'\\' if !escaped(at) && bytes.get(at + 1) == Some(&b'(') => ("\\)", false, 2),
            b'\\' if !escaped(at) && bytes.get(at + 1) == Some(&b'[') => ("\\]", true, 2),
            // `$$` is pulldown-cmark's; one left over is text.
            b'$' if bytes.get(at + 1) == Some(&b'$') => {
                at += 2;
                continue;
            }
            b'$' if !escaped(at) => ("$", false, 1),
            _ => {
                at += 1;
                continue;
            }
        };
        let kind = match close {
            "$" => 0,
            "\\)" => 1,
            _ => 2,
        };
        let inner = at + open_len;
        let end = if never[kind] {
            None
        } else {
            text[inner..]
                .match_indices(close)
                .map(|(i, _)| inner + i)
                .find(|&i| close != "$" || (!escaped(i) && bytes.get(i + 1) != Some(&b'$')))
        };
        never[kind] |= end.is_none();
        match end {
            Some(end) if !text[inner..end].trim().is_empty() => {
                let base = span.start;
                found.push((
                    base + at,
                    base + inner..base + end,
                    base + end + close.len(),
                    display,
                ));
                at = end + close.len();
            }
            _ => at += open_len,
        }
    }
    found
}

/// Times the source is edited and parsed again for [`raw_text_as_text`]:
/// each round can only turn more tags into text, and real articles settle
/// in one; what is left is escaped in the events.
const RAW_TEXT_ROUNDS: usize = 3;

/// `source` with every raw-text start tag (see [`crate::raw_text`]) whose
/// end tag does not come within its own HTML block or inline span written
/// as `&lt;`, so that CommonMark reads the lines after it as Markdown again
/// (an unclosed `<style>` at a line start makes an HTML block to the end of
/// the document). The tags are counted in `shown`, at their lines (from 0).
#[inline(never)] // A stage most articles skip: see the crate's doc.
fn raw_text_as_text(source: &str, extensions: Extensions, shown: &mut raw_text::Shown) -> String {
    let mut source = source.to_owned();
    for _ in 0..RAW_TEXT_ROUNDS {
        let events: Vec<_> = Parser::new_ext(&source, extensions)
            .into_offset_iter()
            .collect();
        let line_starts: Vec<usize> = find::line_breaks(&source).collect();
        let mut offsets = Vec::new();
        // Whether each event holds its source as written (only there can
        // the source be edited), found once per event.
        let mut exact: Option<(usize, bool)> = None;
        for (index, at, name) in unclosed_raw_text(&events) {
            let (Event::Html(text) | Event::InlineHtml(text), range) = &events[index] else {
                continue;
            };
            let as_written = match exact {
                Some((i, as_written)) if i == index => as_written,
                _ => source.get(range.clone()) == Some(&**text),
            };
            exact = Some((index, as_written));
            if as_written {
                offsets.push(range.start + at);
                let line = line_starts.partition_point(|start| *start <= range.start + at);
                shown.add(&name, Some(line));
            }
        }
        if offsets.is_empty() {
            break;
        }
        offsets.sort_unstable();
        offsets.dedup();
        source = raw_text::escape_at(&source, offsets);
    }
    source
}

/// Raw-text start tags in `events` whose end tag does not come within the
/// same HTML block or the same inline span: `(event index, offset in its
/// text, name)`.
fn unclosed_raw_text(events: &[(Event, Range<usize>)]) -> Vec<(usize, usize, String)> {
    let mut unclosed = UnclosedRawText::default();
    for (index, (event, _)) in events.iter().enumerate() {
        unclosed.see(event, |_| index);
    }
    unclosed.finish()
}

/// [`unclosed_raw_text`] as events go by: each event's HTML is noted with a
/// value of the caller's (`T`), handed back with every tag found in it.
struct UnclosedRawText<T> {
    /// The HTML of the current block or span, and where each event's text
    /// starts in it, with its note.
    joined: String,
    parts: Vec<(usize, T)>,
    found: Vec<(T, usize, String)>,
}

impl<T> Default for UnclosedRawText<T> {
    fn default() -> Self {
        Self {
            joined: String::new(),
            parts: Vec::new(),
            found: Vec::new(),
        }
    }
}

impl<T: Copy> UnclosedRawText<T> {
    fn see(&mut self, event: &Event, note: impl FnOnce(&str) -> T) {
        match event {
            Event::Html(text) | Event::InlineHtml(text) => {
                self.parts.push((self.joined.len(), note(text)));
                self.joined.push_str(text);
            }
            _ if is_inline(event) => {}
            _ => self.flush(),
        }
    }

    fn flush(&mut self) {
        if self.joined.is_empty() {
            return;
        }
        for (at, name) in raw_text::unclosed(&self.joined) {
            let part = self.parts.partition_point(|(start, _)| *start <= at) - 1;
            let (start, note) = self.parts[part];
            self.found.push((note, at - start, name));
        }
        self.joined.clear();
        self.parts.clear();
    }

    /// `(note, offset in its event's text, name)` of each tag found.
    fn finish(mut self) -> Vec<(T, usize, String)> {
        self.flush();
        self.found
    }
}

/// Events that stay within one paragraph, heading or cell.
fn is_inline(event: &Event) -> bool {
    match event {
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        Event::Rule => false,
        _ => true,
    }
}

/// Filled-in cells each table may have per byte of its source. A filled-in
/// cell writes `<td></td>`, 9 bytes (24 with an `align`), about what a
/// one-character cell the author wrote costs per byte (`a|` → `<td>a</td>`),
/// so filling stays within the same small multiple of the table's size.
const FILLED_CELLS_PER_BYTE: usize = 1;

/// Filled-in cells the whole document may have beyond its tables' own
/// allowance: real tables whose header is much wider than their rows (a
/// spreadsheet of 30 columns exported with only the first one written in
/// 2,000 rows needs 58,000) fit; at most about 600 KB of HTML (1.5 MB with
/// `align`) whatever the input.
const SHARED_FILLED_CELLS: usize = 1 << 16;

/// Limits the empty cells pulldown-cmark fills in to give every body row of
/// a table as many cells as its header (as GitHub does). Left alone, a
/// header of 500 columns over 500 one-letter rows, 3 KB, writes 250,000
/// cells, 2.2 MB of HTML that every later stage then parses. A table may fill
/// in as many cells as it has bytes ([`FILLED_CELLS_PER_BYTE`]), then draws
/// on [`SHARED_FILLED_CELLS`]; once a row's missing cells do not fit, that
/// row and all the table's later ones stay short, which the browser shows as
/// rows ending early. Only filled-in cells are left out, never one the
/// author wrote, even empty (`| |`): those are cells with a range inside
/// their row, while pulldown-cmark gives the filled-in ones an empty range
/// at the row's end.
#[derive(Default)]
struct Padding {
    /// Filled-in cells drawn from [`SHARED_FILLED_CELLS`] so far.
    shared_used: usize,
    table: Option<Table>,
    /// `(where the first short row starts, columns, cells left out)` of
    /// each table that stopped filling.
    unfilled: Vec<(usize, usize, usize)>,
}

/// The table being read.
struct Table {
    columns: usize,
    /// Filled-in cells it may still have from its own allowance.
    own_left: usize,
    /// The body row being read: where it starts and ends, and its cells so far.
    row: Option<(Range<usize>, usize)>,
    /// False once a row's missing cells did not fit: from that row on, the
    /// table's rows stay short.
    filling: bool,
    /// Filled-in cells left out, and where the first row left short starts.
    left_out: Option<(usize, usize)>,
}

impl Padding {
    /// Whether an event is written: false for the filled-in cells left out.
    fn keep(&mut self, event: &Event, range: &Range<usize>) -> bool {
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.table = Some(Table {
                    columns: alignments.len(),
                    own_left: range.len().saturating_mul(FILLED_CELLS_PER_BYTE),
                    row: None,
                    filling: true,
                    left_out: None,
                });
            }
            Event::End(TagEnd::Table) => {
                if let Some(Table {
                    columns,
                    left_out: Some((cells, at)),
                    ..
                }) = self.table.take()
                {
                    self.unfilled.push((at, columns, cells));
                }
            }
            Event::Start(Tag::TableRow) => {
                if let Some(table) = &mut self.table {
                    table.row = Some((range.clone(), 0));
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some(table) = &mut self.table {
                    table.row = None;
                }
            }
            Event::Start(Tag::TableCell) | Event::End(TagEnd::TableCell) => {
                let Some(table) = &mut self.table else {
                    return true;
                };
                let Some((row, cells)) = &mut table.row else {
                    return true; // the header row, never filled
                };
                if range.start < row.end {
                    *cells += usize::from(matches!(event, Event::Start(_)));
                    return true;
                }
                // A filled-in cell: the first of its row decides for the row.
                if matches!(event, Event::Start(_)) && *cells < table.columns {
                    let missing = table.columns - *cells;
                    *cells = table.columns;
                    if table.filling {
                        let own = missing.min(table.own_left);
                        let shared = missing - own;
                        if self.shared_used + shared <= SHARED_FILLED_CELLS {
                            table.own_left -= own;
                            self.shared_used += shared;
                        } else {
                            table.filling = false;
                        }
                    }
                    if !table.filling {
                        let (left_out, _) = table.left_out.get_or_insert((0, row.start));
                        *left_out += missing;
                    }
                }
                return table.filling;
            }
            _ => {}
        }
        true
    }
}

/// Writes to a String, counting its lines as they are written.
struct LineCounter<'a> {
    out: &'a mut String,
    lines: &'a Cell<u64>,
    /// A line break to write before the first text.
    newline_due: bool,
}

impl fmt::Write for LineCounter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if std::mem::take(&mut self.newline_due) {
            self.lines.set(self.lines.get() + 1);
            self.out.push('\n');
        }
        let breaks = s.bytes().filter(|b| *b == b'\n').count() as u64;
        self.lines.set(self.lines.get() + breaks);
        self.out.push_str(s);
        Ok(())
    }
}

/// Events that write only text (escaped, so never a tag).
fn is_text(event: &Event) -> bool {
    matches!(
        event,
        Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::SoftBreak
    )
}

/// Sources from this many bytes on are parsed once more to count their
/// events, so that the vector holding them is allocated once at its size:
/// grown by doubling, it ends up to twice too large, and each doubling holds
/// the old and the new block at once, beside the parser's own tree (for a
/// 1 MB article, 2.4 times the events at the worst moment instead of once,
/// bench/MEMORY.md). Below, the extra parse costs more time than the memory
/// is worth.
const COUNT_EVENTS_FROM: usize = 256 * 1024;

/// How many events the vector for `source` should hold: for a big source,
/// as many as the parser gives (the table cells [`Padding`] leaves out not
/// counted) and room for what the later stages add (alerts, footnotes,
/// autolinks, formulas; more is appended the usual way); none reserved for
/// a small one.
fn events_at_most(source: &str, extensions: Extensions) -> usize {
    if source.len() < COUNT_EVENTS_FROM {
        return 0;
    }
    let mut padding = Padding::default();
    let events = Parser::new_ext(source, extensions)
        .into_offset_iter()
        .filter(|(event, range)| padding.keep(event, range))
        .count();
    events + events / 32
}

/// pulldown-cmark aligns table columns with `style="text-align: …"`, which a
/// page with a strict Content-Security-Policy (`style-src 'self'`) refuses;
/// the `align` attribute says the same without CSS.
fn align_without_css(html: String) -> String {
    const STYLE: &str = r#" style="text-align: "#;
    // One search through the HTML, with one searcher: every table cell
    // pulldown-cmark writes goes through here. Each replacement is shorter
    // than what it replaces, so the HTML is rewritten in place, not copied;
    // HTML without a table is handed back as it is, not checked again as
    // UTF-8.
    let finder = memchr::memmem::Finder::new(STYLE);
    if finder.find(html.as_bytes()).is_none() {
        return html;
    }
    let mut bytes = html.into_bytes();
    let (mut read, mut write) = (0, 0);
    while let Some(found) = finder.find(&bytes[read..]) {
        let at = read + found;
        let value = &bytes[at + STYLE.len()..];
        let side = ["left", "center", "right"].into_iter().find(|side| {
            value.starts_with(side.as_bytes()) && value[side.len()..].starts_with(b"\">")
        });
        let in_cell = bytes[..at].ends_with(b"<th") || bytes[..at].ends_with(b"<td");
        let Some(side) = side.filter(|_| in_cell) else {
            bytes.copy_within(read..at + STYLE.len(), write);
            write += at + STYLE.len() - read;
            read = at + STYLE.len();
            continue;
        };
        bytes.copy_within(read..at, write);
        write += at - read;
        for piece in [r#" align=""#, side] {
            bytes[write..write + piece.len()].copy_from_slice(piece.as_bytes());
            write += piece.len();
        }
        read = at + STYLE.len() + side.len();
    }
    if write == read {
        // Nothing replaced: the bytes are the HTML as it was.
        return String::from_utf8(bytes).unwrap_or_default();
    }
    bytes.copy_within(read.., write);
    bytes.truncate(write + bytes.len() - read);
    // Only ASCII was moved over ASCII: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Table cells an article may have in pulldown-cmark's parse: one per byte
/// of the source and 2^20 more, at most about 1.9 GB of memory for an
/// article of 32 MiB (wasm has 4 GB). A table the author wrote out has fewer
/// cells than bytes (`a|` is two bytes); only rows filled in to the width of
/// a wide header come near, and [`Padding`] limits what the output keeps of
/// those.
fn max_table_cells(source: &str) -> usize {
    source.len() + (1 << 20)
}

/// At least as many cells as pulldown-cmark's tables in `source` would have,
/// from the lines alone, in one pass.
///
/// pulldown-cmark fills in every body row of a table to its header's width
/// in its own parse tree, before [`Padding`] sees an event: a 512-column
/// header over 512 one-letter rows is 3 KB of source and 262,144 cells,
/// about 55 bytes of memory each, so 1 MB of such tables needed 4.7 GB and
/// ran wasm out of memory. A delimiter row (`|---|:-:|`, after any
/// indentation or `>`) starts a table as wide as its cells; every later
/// line up to a blank one is counted as one of its rows, whatever it holds.
/// That never counts fewer cells than the parser makes.
fn table_cells_at_most(source: &str) -> usize {
    let mut cells = 0usize;
    let mut width = 0;
    let mut previous_blank = true;
    for line in find::lines(source) {
        let blank = line.trim().is_empty();
        if blank {
            width = 0;
        } else if width > 0 {
            cells = cells.saturating_add(width);
        } else if !previous_blank {
            let row = line.trim_start_matches([' ', '\t', '>']);
            let delimiter = row.contains('-')
                && row
                    .bytes()
                    .all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t'));
            if delimiter {
                width = row
                    .split('|')
                    .filter(|cell| !cell.trim().is_empty())
                    .count();
                // The header row and the delimiter row.
                cells = cells.saturating_add(2 * width);
            }
        }
        previous_blank = blank;
    }
    cells
}

fn extensions(options: &MarkdownOptions) -> Extensions {
    let mut ext = Extensions::empty();
    for (on, flag) in [
        (options.tables, Extensions::ENABLE_TABLES),
        (options.footnotes, Extensions::ENABLE_FOOTNOTES),
        (options.strikethrough, Extensions::ENABLE_STRIKETHROUGH),
        (options.task_lists, Extensions::ENABLE_TASKLISTS),
        (
            options.heading_attributes,
            Extensions::ENABLE_HEADING_ATTRIBUTES,
        ),
        (options.alerts, Extensions::ENABLE_GFM),
        (
            options.smart_punctuation,
            Extensions::ENABLE_SMART_PUNCTUATION,
        ),
    ] {
        ext.set(flag, on);
    }
    ext
}

/// The events of a body's definitions and references to them, read chunk
/// after chunk: footnote definitions moved to an ordered list at the end
/// and references turned into numbered links with ids to return to.
/// Each event keeps the source range it came from; those written here take
/// the range of what they stand for.
#[derive(Default)]
struct Footnotes<'a> {
    definitions: Vec<(CowStr<'a>, Range<usize>, Events<'a>)>,
    current: Option<(CowStr<'a>, Range<usize>, Events<'a>)>,
    numbers: HashMap<CowStr<'a>, usize>,
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

impl<'a> Footnotes<'a> {
    /// Pushes `events` onto `body`, the definitions' kept for the end.
    fn extend(
        &mut self,
        events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
        body: &mut Events<'a>,
    ) {
        for (event, range) in events {
            match event {
                Event::Start(Tag::FootnoteDefinition(name)) => {
                    self.current = Some((name, range, Vec::new()));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    self.definitions.extend(self.current.take());
                }
                Event::FootnoteReference(name) => {
                    let next = self.numbers.len() + 1;
                    let first = !self.numbers.contains_key(&name);
                    let number = *self.numbers.entry(name.clone()).or_insert(next);
                    let id = if first {
                        format!(r#" id="fnref-{}""#, slug(&name))
                    } else {
                        String::new()
                    };
                    let link = format!(
                        r##"<sup class="footnote-ref"><a href="#fn-{}"{id}>{number}</a></sup>"##,
                        slug(&name)
                    );
                    let target = self
                        .current
                        .as_mut()
                        .map_or(&mut *body, |(.., events)| events);
                    target.push((Event::InlineHtml(link.into()), range));
                }
                other => self
                    .current
                    .as_mut()
                    .map_or(&mut *body, |(.., events)| events)
                    .push((other, range)),
            }
        }
    }

    /// Pushes the footnote section onto the end of `body`.
    fn finish(self, body: &mut Events<'a>) {
        let Footnotes {
            mut definitions,
            numbers,
            ..
        } = self;
        if definitions.is_empty() {
            return;
        }
        // Referenced notes in order of first reference, then the others as written.
        definitions.sort_by_key(|(name, ..)| numbers.get(name).copied().unwrap_or(usize::MAX));
        let first = definitions[0].1.clone();
        body.push((
            Event::Html(r#"<section class="footnotes"><ol>"#.into()),
            first.clone(),
        ));
        for (name, range, mut events) in definitions {
            let li = format!(r#"<li id="fn-{}">"#, slug(&name));
            body.push((Event::Html(li.into()), range.clone()));
            if numbers.contains_key(&name) {
                let back = Event::InlineHtml(
                    format!(
                        r##" <a href="#fnref-{}" class="footnote-backref">↩</a>"##,
                        slug(&name)
                    )
                    .into(),
                );
                let back = (back, range.clone());
                // Inside the last paragraph, as GitHub does, or after the content.
                match events.last() {
                    Some((Event::End(TagEnd::Paragraph), _)) => {
                        events.insert(events.len() - 1, back)
                    }
                    _ => events.push(back),
                }
            }
            body.extend(events);
            body.push((Event::Html("</li>".into()), range));
        }
        body.push((Event::Html("</ol></section>".into()), first));
    }
}

/// A footnote label as an id: letters and digits kept, the rest `-`.
fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header and delimiter rows of a GFM table `columns` wide.
    fn table_head(columns: usize) -> String {
        format!("{}|\n{}|\n", "|h".repeat(columns), "|-".repeat(columns))
    }

    fn render(source: &str) -> String {
        to_html(source, &MarkdownOptions::default()).html
    }

    /// Only cells' alignment styles become `align`, in place, whatever is
    /// around them.
    #[test]
    fn alignment_styles_of_cells_become_attributes() {
        let html = r#"<p style="text-align: left">é</p><td style="text-align: left">中</td><th style="text-align: center">x</th><td style="text-align: justify">y</td>"#;
        assert_eq!(
            align_without_css(html.to_owned()),
            r#"<p style="text-align: left">é</p><td align="left">中</td><th align="center">x</th><td style="text-align: justify">y</td>"#
        );
        assert_eq!(align_without_css("<p>é</p>".to_owned()), "<p>é</p>");
    }

    /// Cells pulldown-cmark makes for `source`, every row filled in.
    fn cells_written(source: &str) -> usize {
        Parser::new_ext(source, Extensions::ENABLE_TABLES)
            .filter(|event| matches!(event, Event::Start(Tag::TableCell)))
            .count()
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn table_cells_are_never_undercounted() {
        let mut sources = vec![
            "| a | b |\n|---|:-:|\n| 1 |\nx\n\n---\n".to_owned(),
            "> | a | b | c |\n> |---|---|---|\n> 1\n2\n".to_owned(),
            "1. | a | b |\n   | - | - |\n   | x |\n".to_owned(),
            "text\n| a | b |\n|--|--|\n|x|\n# h\n|y|\n".to_owned(),
            "a|b\n-|-\nc\n".to_owned(),
        ];
        sources.extend(crate::test_files::read(&["fixtures", "attacks"]));
        let mut tables = 0;
        for source in &sources {
            let written = cells_written(source);
            tables += usize::from(written > 0);
            assert!(table_cells_at_most(source) >= written, "{source:?}");
        }
        assert!(tables >= 10, "not vacuous: {tables} sources with tables");
    }

    #[test]
    fn tables_that_would_fill_in_too_many_cells_stay_text() {
        let table = format!("{}{}\n", table_head(512), "x\n".repeat(512));
        let source = table.repeat(48);
        let rendered = to_html(&source, &MarkdownOptions::default());
        assert!(rendered.tables_off);
        assert!(!rendered.html.contains("<td"), "no table");
        assert_eq!(
            rendered.html.matches('x').count(),
            48 * 512,
            "every row's text kept"
        );
        assert!(
            rendered.html.len() < 4 * source.len(),
            "{} bytes",
            rendered.html.len()
        );
        let mut diagnostics = Diagnostics::default();
        rendered.report(0, &mut diagnostics);
        assert_eq!(diagnostics.0[0].code, "markdown.tables-not-rendered");
        // An ordinary table, even a wide one, is a table.
        let wide = format!("{}{}|\n", table_head(40), "|1".repeat(40));
        let rendered = to_html(&wide, &MarkdownOptions::default());
        assert!(!rendered.tables_off && rendered.html.matches("<td").count() == 40);
    }

    /// A chunk writes the HTML and the tags the whole document's writers
    /// would, the line break owed after a `<!-- more -->` block included
    /// (`tests/chunks.rs` compares whole renders; the tags are only seen
    /// through the audit's lines).
    #[test]
    fn chunks_write_what_the_whole_writes() {
        let source = "Intro.\n\n<!-- more -->\n\nText <span onclick=\"x()\">with</span> a handler.\n\n# Next\n\n<b>bold</b>\n";
        let options = MarkdownOptions::default();
        chunks::sizes::set(usize::MAX, 0);
        let whole = to_html(source, &options);
        chunks::sizes::set(0, 0);
        let cut = to_html(source, &options);
        chunks::sizes::reset();
        assert_eq!(chunks::sizes::cuts(), 2);
        assert_eq!(cut.html, whole.html);
        assert_eq!(cut.tags, whole.tags);
        assert_eq!(cut.tag_lines, whole.tag_lines);
    }

    #[test]
    fn gfm_extensions_are_on() {
        let out = render("| a |\n|---|\n| b |\n\n~~s~~ - [x] t\n\n- [ ] task\n");
        assert!(out.contains("<table>"), "tables: {out}");
        assert!(out.contains("<del>s</del>"), "strikethrough: {out}");
        assert!(out.contains(r#"type="checkbox""#), "task lists: {out}");
    }

    #[test]
    fn column_alignment_needs_no_css() {
        let out = render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n");
        assert!(out.contains(r#"<th align="center">a</th>"#), "{out}");
        assert!(out.contains(r#"<td align="right">2</td>"#), "{out}");
        assert!(!out.contains("style="), "no inline CSS: {out}");
    }

    #[test]
    fn alerts_and_math() {
        let out = to_html_for(
            "> [!NOTE]\n> careful\n\n$x^2$ and $$y$$\n",
            &MarkdownOptions::default(),
            Generator::None,
            Math::All,
        )
        .html;
        assert!(
            out.contains(r#"<div class="markdown-alert markdown-alert-note">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<span class="math math-inline">x^2</span>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<span class="math math-display">y</span>"#),
            "{out}"
        );
    }

    fn with_math(source: &str, math: Math) -> String {
        to_html_for(source, &MarkdownOptions::default(), Generator::None, math).html
    }

    #[test]
    fn math_is_off_unless_asked_and_then_every_delimiter_counts() {
        let prices = "Tickets cost $5-$10 at the door, $20 online.\n";
        assert_eq!(
            with_math(prices, Math::Off),
            "<p>Tickets cost $5-$10 at the door, $20 online.</p>\n"
        );
        let out = with_math(
            "Euler: $ e^{i\\pi} + 1 = 0 $, or \\(f(x) = x_1^2\\) and \\[\\int_0^1 x\\,dx\\] but \\$5 and `\\(code\\)`.\n",
            Math::All,
        );
        assert_eq!(
            out,
            "<p>Euler: <span class=\"math math-inline\"> e^{i\\pi} + 1 = 0 </span>, or \
             <span class=\"math math-inline\">f(x) = x_1^2</span> and \
             <span class=\"math math-display\">\\int_0^1 x\\,dx</span> but $5 and <code>\\(code\\)</code>.</p>\n",
            "the TeX as written, display kept apart, code and escaped dollars left alone"
        );
        let jekyll = with_math(
            "Price $5, formula $$a+b$$ and $c$.\n\n$$\n\\sum x\n$$\n",
            Math::DoubleDollar,
        );
        assert_eq!(
            jekyll,
            "<p>Price $5, formula <span class=\"math math-inline\">a+b</span> and $c$.</p>\n\
             <p><span class=\"math math-display\">\n\\sum x\n</span></p>\n",
            "kramdown reads $$ alone, inline within text, display as a paragraph"
        );
    }

    #[test]
    fn math_auto_follows_the_front_matter_then_the_generator() {
        let data = |json: &str| serde_json::from_str::<Map<String, Value>>(json).unwrap();
        for (front, generator, expected) in [
            ("{}", Generator::None, Math::Off),
            ("{}", Generator::Hexo, Math::Off),
            ("{}", Generator::Jekyll, Math::DoubleDollar),
            (r#"{"math": true}"#, Generator::None, Math::All),
            (r#"{"mathjax": "true"}"#, Generator::Hexo, Math::All),
            (r#"{"katex": true}"#, Generator::Hugo, Math::All),
            (r#"{"extra": {"math": true}}"#, Generator::Zola, Math::All),
            (r#"{"math": false}"#, Generator::Jekyll, Math::Off),
        ] {
            assert_eq!(
                math(MathOption::Auto, &data(front), generator),
                expected,
                "{front} {generator:?}"
            );
        }
        assert_eq!(
            math(MathOption::Off, &data(r#"{"math": true}"#), Generator::None),
            Math::Off
        );
        assert_eq!(
            math(MathOption::On, &data("{}"), Generator::None),
            Math::All
        );
    }

    #[test]
    fn raw_text_tags_without_their_end_tag_are_text() {
        let out =
            render("Put the page name in the <title> element.\n\n## Next section\n\nMore text.\n");
        assert_eq!(
            out,
            "<p>Put the page name in the &lt;title&gt; element.</p>\n<h2>Next section</h2>\n<p>More text.</p>\n"
        );
        let out = render("<style>\n\n# Heading\n\n*text*\n");
        assert!(
            out.starts_with("<p>&lt;style&gt;</p>\n<h1>Heading</h1>"),
            "an unclosed HTML block no longer runs to the end: {out}"
        );
        let out = render("> quote <textarea>\n> still quoted\n\nafter\n");
        assert!(
            out.contains("&lt;textarea") && out.contains("<p>after</p>"),
            "{out}"
        );
        let kept = render("<style>\np { color: red }\n</style>\n\ntext <script>x()</script>\n");
        assert!(
            kept.contains("<style>\np {") && kept.contains("<script>x()</script>"),
            "complete elements are left to the sanitizer: {kept}"
        );
        let mut diagnostics = Diagnostics::default();
        to_html("a\n\nb <xmp> and <XMP>\n", &MarkdownOptions::default())
            .report(3, &mut diagnostics);
        assert_eq!(diagnostics.0[0].code, "body.unclosed-raw-text");
        assert_eq!(diagnostics.0[0].line, Some(5), "{:?}", diagnostics.0);
        assert!(diagnostics.0[0].message.contains("(2 times)"));
    }

    #[test]
    fn runs_of_lines_past_the_limit_render_in_pieces_and_say_so() {
        // Rendered with runs cut past two lines.
        let in_pieces = |render: &dyn Fn() -> Html| {
            chunks::sizes::set(0, 0);
            chunks::sizes::set_run(2);
            let out = render();
            chunks::sizes::reset();
            out
        };
        let reported = |out: &Html, first_line| {
            let mut diagnostics = Diagnostics::default();
            out.report(first_line, &mut diagnostics);
            diagnostics.0
        };
        let source = "a\nb\nc\nd\ne\n";
        let out = in_pieces(&|| to_html(source, &MarkdownOptions::default()));
        assert_eq!(out.html, "<p>a\nb</p>\n<p>c\nd</p>\n<p>e</p>\n");
        let found = reported(&out, 10);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].code, found[0].line),
            ("markdown.long-block-cut", Some(12))
        );
        assert!(found[0].message.contains("(2 cuts"), "{found:?}");
        // In kramdown too, whose Markdown is otherwise never cut.
        let out = in_pieces(&|| {
            to_html_for(
                "a\nb\nc {: .x}\n",
                &MarkdownOptions::default(),
                Generator::Jekyll,
                Math::Off,
            )
        });
        assert!(out.html.starts_with("<p>a\nb</p>\n<p"), "{}", out.html);
        // Beside a raw-text tag, which is then made text in the events.
        let out = in_pieces(&|| to_html("<style>\na\nb\nc\nd\n", &MarkdownOptions::default()));
        assert_eq!(out.html, "&lt;style>\na\n<p>b\nc</p>\n<p>d</p>\n");
        let found: Vec<_> = reported(&out, 1).iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                ("body.unclosed-raw-text", Some(1)),
                ("markdown.long-block-cut", Some(3))
            ]
        );
        // Under the limit, one paragraph and nothing said.
        let out = to_html(source, &MarkdownOptions::default());
        assert_eq!(out.html, "<p>a\nb\nc\nd\ne</p>\n");
        assert!(reported(&out, 10).is_empty());
    }

    #[test]
    fn a_watched_parse_is_declined_exactly_when_the_source_must_be_edited() {
        // Raw-text tags where CommonMark reads text, closed and unclosed
        // HTML, containers the source edits cannot reach, footnotes and the
        // more marker (which the write reorders or replaces after the watch).
        let pieces = [
            "`<script>`",
            "```\n<style>\n```\n",
            "    <title>\n",
            "<title>",
            "</title>",
            "<style>\np {}\n</style>\n",
            "text <textarea> more",
            "> <xmp>\n",
            "> <div>\n> <title>\n",
            "- <div>\n  <style>\n",
            "> a <span\n> title='<title>'>\n",
            "- <iframe>\n",
            "<div>\n<noembed>\n</div>\n",
            "<!-- <script> -->",
            "<!-- more -->\n",
            "[^n]\n\n[^n]: <title>\n",
            "$<style>$",
            "| a |\n|---|\n| <script> |\n",
            "\n\n",
            "plain words\n",
        ];
        let options = MarkdownOptions::default();
        let mut extensions = extensions(&options);
        extensions.insert(Extensions::ENABLE_MATH);
        let mut declined = 0;
        for a in pieces {
            for b in pieces {
                for c in ["", "\n", "\n\n"] {
                    let source = format!("{a}{c}{b}");
                    let given = Given {
                        source: &source,
                        options: &options,
                        generator: Generator::None,
                        math: Math::All,
                        extensions,
                    };
                    let mut shown = raw_text::Shown::default();
                    let patched = raw_text_as_text(&source, extensions, &mut shown);
                    let made = given.render(&patched, shown, Edits::Made, None).unwrap();
                    let watched =
                        given.render(&source, raw_text::Shown::default(), Edits::Watched, None);
                    assert_eq!(watched.is_none(), patched != source, "{source:?}");
                    match watched {
                        Some(watched) => {
                            assert_eq!(watched.html, made.html, "{source:?}");
                            assert_eq!(watched.tags, made.tags, "{source:?}");
                            assert_eq!(watched.tag_lines, made.tag_lines, "{source:?}");
                            let report = |html: &Html| {
                                let mut diagnostics = Diagnostics::default();
                                html.report(1, &mut diagnostics);
                                format!("{:?}", diagnostics.0)
                            };
                            assert_eq!(report(&watched), report(&made), "{source:?}");
                        }
                        None => declined += 1,
                    }
                }
            }
        }
        assert!(declined > 100, "{declined}");
    }

    #[test]
    fn more_marker_becomes_a_span() {
        for marker in ["<!-- more -->", "<!--more-->", "<!-- MORE -->"] {
            let out = render(&format!("intro\n\n{marker}\n\nrest"));
            assert!(out.contains(MORE_MARKER), "{marker} is recognized: {out}");
        }
        let code = render("```\n<!-- more -->\n```\n");
        assert!(
            !code.contains(MORE_MARKER),
            "a marker inside code is text: {code}"
        );
    }

    #[test]
    fn footnotes_go_to_the_end_with_back_links() {
        let out = render("First[^b] and second[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n\nAfter.");
        let after = out.find("<p>After.</p>").unwrap();
        let notes = out
            .find(r#"<section class="footnotes">"#)
            .expect("a footnotes section");
        assert!(after < notes, "notes come after the text: {out}");
        assert!(
            out.contains(r##"<a href="#fn-b" id="fnref-b">1</a>"##),
            "b is note 1: {out}"
        );
        assert!(
            out.find(r#"<li id="fn-b">"#) < out.find(r#"<li id="fn-a">"#),
            "b is listed first"
        );
        assert!(
            out.contains(r##"Note B. <a href="#fnref-b" class="footnote-backref">↩</a></p>"##),
            "{out}"
        );
    }

    #[test]
    fn ragged_tables_are_filled_in_as_before() {
        let source = "| a | b | c |\n|:-|---|--:|\n| 1 |\n| 2 | |\n| 3 | 4 | 5 | 6 |\n";
        let rendered = to_html(source, &MarkdownOptions::default());
        assert_eq!(
            rendered.html,
            "<table><thead><tr><th align=\"left\">a</th><th>b</th><th align=\"right\">c</th></tr></thead><tbody>\n\
             <tr><td align=\"left\">1</td><td></td><td align=\"right\"></td></tr>\n\
             <tr><td align=\"left\">2</td><td></td><td align=\"right\"></td></tr>\n\
             <tr><td align=\"left\">3</td><td>4</td><td align=\"right\">5</td></tr>\n\
             </tbody></table>\n",
            "short rows get empty cells up to the header's three, a long one loses its fourth"
        );
        assert!(rendered.unfilled.is_empty(), "nothing to report");
    }

    /// 7.6 KB that pulldown-cmark squares into 261,120 cells, 2.3 MB of HTML.
    #[test]
    fn a_wide_header_over_short_rows_is_not_filled_in() {
        let columns = 512;
        let rows = 512;
        let mut source = table_head(columns);
        for i in 0..rows {
            // A cell with text and an empty one the author wrote.
            source.push_str(&format!("| c{i} | |\n"));
        }
        let rendered = to_html(&source, &MarkdownOptions::default());
        let html = &rendered.html;

        let allowed = source.len() * FILLED_CELLS_PER_BYTE + SHARED_FILLED_CELLS;
        let cells = html.matches("<td>").count();
        assert!(
            cells <= 2 * rows + allowed,
            "{cells} cells: the rows' own two and at most {allowed} filled in"
        );
        assert!(
            html.len() < 10 * allowed + 20 * source.len(),
            "the HTML, {} bytes, stays within the allowance",
            html.len()
        );
        for i in 0..rows {
            assert!(
                html.contains(&format!("<td>c{i}</td><td></td>")),
                "row {i} keeps its text and its own empty cell"
            );
        }
        let full_row = format!("<td>c0</td>{}</tr>", "<td></td>".repeat(columns - 1));
        assert!(html.contains(&full_row), "the first rows are filled in");
        assert!(
            html.contains(&format!("<tr><td>c{}</td><td></td></tr>", rows - 1)),
            "the last row stays short, with its own empty cell"
        );

        let [table] = &rendered.unfilled[..] else {
            panic!("one table reported")
        };
        assert_eq!(table.columns, columns);
        let first_short = (0..rows)
            .find(|i| html.contains(&format!("<tr><td>c{i}</td><td></td></tr>")))
            .expect("a short row");
        assert_eq!(
            table.line,
            2 + first_short,
            "the line of the first row left short"
        );
        assert_eq!(
            table.cells,
            (rows - first_short) * (columns - 2),
            "every cell left out is counted"
        );

        let mut diagnostics = Diagnostics::default();
        rendered.report(10, &mut diagnostics);
        assert_eq!(diagnostics.0.len(), 1, "one warning for the table");
        assert_eq!(diagnostics.0[0].code, "markdown.table-cells-not-filled");
        assert_eq!(diagnostics.0[0].line, Some(10 + 2 + first_short));
    }

    /// The shared allowance is spent once: many wide tables of a few hundred
    /// bytes each cannot each fill in 65,536 cells.
    #[test]
    fn many_small_wide_tables_share_one_allowance() {
        let table = format!("{}{}\n", table_head(64), "x\n".repeat(64));
        let source = table.repeat(200);
        let rendered = to_html(&source, &MarkdownOptions::default());
        let filled = rendered.html.matches("<td></td>").count();
        let allowed = source.len() * FILLED_CELLS_PER_BYTE + SHARED_FILLED_CELLS;
        assert!(
            filled <= allowed,
            "{filled} cells filled in, {allowed} allowed"
        );
        assert_eq!(
            rendered.html.matches("<td>x</td>").count(),
            64 * 200,
            "every row keeps its text"
        );
        assert!(
            !rendered.unfilled.is_empty(),
            "the later tables are reported"
        );
        assert!(
            rendered.unfilled.len() < 200,
            "the first tables are filled in"
        );
    }

    #[test]
    fn indented_html_in_markdown_stays_commonmark() {
        let out = render("text\n\n    <div>code</div>\n");
        assert!(
            out.contains("<pre><code>&lt;div&gt;"),
            "an indented block is code in Markdown: {out}"
        );
    }
}
