//! Liquid, evaluated as Jekyll does before Markdown, on the data the article
//! itself carries.
//!
//! Liquid has no side effects, so a bounded subset can run on an untrusted
//! file: `{{ … }}` output with filters, `assign`, `capture`, `if`/`elsif`/
//! `else`/`unless`/`case`, `for` over front-matter lists and ranges (with
//! `forloop`, `limit`, `offset`, `reversed`), `comment`, `raw`, and Jekyll's
//! `link` and `post_url`. The data is `page.*` (the front matter, with the
//! title, date, categories and tags as `meta` normalized them) and
//! `site.url`/`site.baseurl` (from `baseUrl`, read as the site's address).
//! Whatever needs the rest of the site (`site.data.*`, `site.title`, an
//! unknown filter, a condition on either) becomes the visible placeholder
//! the templates stage writes, `<span class="template-tag">…</span>`, with a
//! warning: never silently empty. A `page` key the front matter lacks is
//! empty, as in Jekyll (the page is all here); a variable never assigned is
//! a placeholder, because in a post it belongs to a layout or an include, or
//! is not Liquid at all (a Vue example). `{% highlight %}`, `{% include %}` and
//! tags this module does not know are passed on as written to
//! `crate::templates`, which renders or marks them; everything this module
//! writes has its `{{`/`{%` written `&#123;{`/`&#123;%`, so that stage never
//! reads it again. The output is still Markdown (or HTML) and goes through
//! the one sanitizer.
//!
//! Liquid runs in code too (blocks, spans, `{% highlight %}`), as in Jekyll:
//! that is why authors wrap the Liquid they show in `{% raw %}`, and a post
//! that works on its site shows here what it shows there. In code, what
//! cannot be known stays as the author wrote it (markup would show as
//! text), with the same warning.
//!
//! Work is bounded: 10,000 loop iterations and a million nodes evaluated in
//! loops and captures, 64 levels of nesting, 1 MiB of output beyond the
//! body's own size, 64 KiB per value; each limit hit is a diagnostic, after
//! which loops stop and the text outside them is still written. Scanning is linear: every search for a closing delimiter is
//! remembered.
//!
//! Why not the `liquid` crate: `cargo tree` shows it adds 22 crates this
//! project does not have (pest and its derive, `time`, `stacker`/`psm`,
//! `kstring`, `anymap2`, `unicode-segmentation`, proc macros), against a
//! wasm budget already over target (≈490 KB brotli for a 420 KB goal); it
//! also evaluates everything with no notion of code spans, unknown data or
//! output budgets, which this module needs anyway. This evaluator uses only
//! chrono and pulldown-cmark, which the crate already has.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options as Extensions, Parser as Markdown, Tag as MdTag};

use crate::find;
use crate::rendered::{BodyFormat, Diagnostics, Meta, Severity};

mod eval;
mod filters;
mod value;

use filters::Site;
use value::{Cond, Expr, Filtered, Parser, Value};

/// At most this many loop iterations in one body.
const MAX_ITERATIONS: usize = 10_000;
/// At most this many nodes evaluated inside loops and captures.
const MAX_STEPS: usize = 1_000_000;
/// At most this many nested blocks.
const MAX_DEPTH: usize = 64;
/// At most this many bytes written beyond the body's own length.
const MAX_EXTRA_OUTPUT: usize = 1 << 20;
/// At most this many bytes in one value (a capture, an `append`).
const MAX_VALUE: usize = 64 << 10;
/// At most this many diagnostics from one body; the rest are counted.
const MAX_DIAGNOSTICS: usize = 64;

/// The data Liquid reads: `page` and `site`.
pub(crate) struct Data {
    page: Value,
    site: Site,
}

impl Data {
    /// `page.*` from the front matter, with the fields `meta` normalized
    /// (title, date, categories, tags) as Jekyll would have them.
    #[inline(never)] // A stage most articles skip: see the crate's doc.
    pub(crate) fn new(
        front_matter: &serde_json::Map<String, serde_json::Value>,
        meta: &Meta,
        base: Option<&url::Url>,
    ) -> Data {
        let mut page: Vec<(String, Value)> = front_matter
            .iter()
            .map(|(k, v)| (k.clone(), Value::from_json(v)))
            .collect();
        let mut set = |key: &str, value: Value| match page.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = value,
            None => page.push((key.to_owned(), value)),
        };
        if let Some(title) = &meta.title {
            set("title", Value::Str(title.clone()));
        }
        if let Some(date) = &meta.date {
            set("date", Value::Date(date.clone()));
        }
        let list = |items: &[String]| Value::Array(items.iter().cloned().map(Value::Str).collect());
        set("categories", list(&meta.categories));
        set("tags", list(&meta.tags));
        let site = match base {
            Some(base) => Site {
                url: base.origin().ascii_serialization(),
                baseurl: base.path().trim_end_matches('/').to_owned(),
            },
            None => Site::default(),
        };
        Data {
            page: Value::Object(page),
            site,
        }
    }
}

/// The stage: the body with its Liquid evaluated, or unchanged when it has
/// none. `first_line` is the body's first line in the file.
pub(crate) fn evaluate<'a>(
    body: &'a str,
    format: BodyFormat,
    data: &Data,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Evaluated<'a> {
    if !find::has_template_open(body) {
        return Evaluated {
            body: Cow::Borrowed(body),
            lines: None,
        };
    }
    evaluate_found(body, format, data, first_line, diagnostics)
}

/// [`evaluate`] of a body with Liquid in it; not inlined (a stage most
/// articles skip: see the crate's doc).
#[inline(never)]
fn evaluate_found<'a>(
    body: &'a str,
    format: BodyFormat,
    data: &Data,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Evaluated<'a> {
    let (tokens, highlights) = Scanner::new(body).run();
    let codes = match format {
        BodyFormat::Markdown => code_ranges(body, highlights),
        BodyFormat::Html => highlights,
    };
    let mut report = Report::new(MAX_DIAGNOSTICS, "liquid.more-problems", "Liquid");
    let nodes = Builder {
        src: body,
        tokens: &tokens,
        at: 0,
        first_line,
        report: &mut report,
    }
    .block(&[], 0)
    .0;
    let (out, lines) = eval::run(body, &codes, &nodes, data, first_line, &mut report);
    report.finish(diagnostics);
    Evaluated {
        body: Cow::Owned(out),
        lines: Some(lines),
    }
}

/// The body with its Liquid evaluated, and where its lines came from.
pub(crate) struct Evaluated<'a> {
    pub body: Cow<'a, str>,
    /// `None` when nothing was evaluated (the body is the file's).
    lines: Option<eval::Lines>,
}

impl Evaluated<'_> {
    /// Points the diagnostics from `since` on, which later stages found in
    /// the evaluated body, at the lines of the file it was evaluated from
    /// (the body starts at file line `first_line`).
    pub(crate) fn map_lines(&self, diagnostics: &mut Diagnostics, since: usize, first_line: usize) {
        let Some(lines) = &self.lines else { return };
        for diagnostic in &mut diagnostics.0[since..] {
            if let Some(line) = diagnostic.line.as_mut()
                && *line >= first_line
            {
                *line = first_line + lines.body_line(*line - first_line);
            }
        }
    }
}

/// Code blocks and code spans of a Markdown body, and the content of
/// `{% highlight %}` blocks (`also`), in order.
fn code_ranges(body: &str, also: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let extensions =
        Extensions::ENABLE_TABLES | Extensions::ENABLE_FOOTNOTES | Extensions::ENABLE_STRIKETHROUGH;
    let mut ranges: Vec<Range<usize>> = also;
    let mut block: Option<usize> = None;
    for (event, range) in Markdown::new_ext(body, extensions).into_offset_iter() {
        match event {
            Event::Start(MdTag::CodeBlock(_)) => block = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            Event::Code(_) if block.is_none() => ranges.push(range),
            _ => {}
        }
    }
    ranges.sort_by_key(|r| r.start);
    // Nested or overlapping ranges (a span in a table cell) merge.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

// ---------------------------------------------------------------------------
// Tokens

#[derive(Clone, Debug)]
enum Token<'a> {
    Text(Range<usize>),
    /// The content of `{% raw %}…{% endraw %}`.
    Raw(Range<usize>),
    /// `{% comment %}…{% endcomment %}` or `{% # … %}`: nothing.
    Hidden,
    Output(Delimited<'a>),
    Tag(Delimited<'a>),
}

/// A `{{ … }}` or `{% … %}` with its content, span and line in the body.
#[derive(Clone, Debug)]
struct Delimited<'a> {
    /// The tag's name (`if`); empty for an output.
    name: &'a str,
    /// The rest: the expression, or the tag's arguments.
    args: &'a str,
    span: Range<usize>,
    line: usize,
}

/// A remembered search for `needle` from some position: a later search
/// from a later position reuses it, so a thousand unclosed `{{` cost one
/// scan.
#[derive(Default)]
struct Memo {
    from: usize,
    found: Option<Option<usize>>,
}

impl Memo {
    fn find(&mut self, src: &str, needle: &str, from: usize) -> Option<usize> {
        if let Some(found) = self.found
            && self.from <= from
        {
            match found {
                None => return None,
                Some(at) if at >= from => return Some(at),
                Some(_) => {}
            }
        }
        let found = src[from..].find(needle).map(|k| from + k);
        *self = Memo {
            from,
            found: Some(found),
        };
        found
    }
}

struct Scanner<'a> {
    src: &'a str,
    /// The content of each `{% highlight %}` block.
    highlights: Vec<Range<usize>>,
    pos: usize,
    text_from: usize,
    trim_next: bool,
    line_at: (usize, usize),
    tokens: Vec<Token<'a>>,
    output_end: Memo,
    tag_end: Memo,
    ends: HashMap<&'static str, Memo>,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str) -> Self {
        Scanner {
            src,
            highlights: Vec::new(),
            pos: 0,
            text_from: 0,
            trim_next: false,
            line_at: (0, 1),
            tokens: Vec::new(),
            output_end: Memo::default(),
            tag_end: Memo::default(),
            ends: HashMap::new(),
        }
    }

    /// The 1-based line of `at`; positions asked for only grow.
    fn line(&mut self, at: usize) -> usize {
        let (from, line) = self.line_at;
        let at = at.max(from);
        let line = line
            + self.src.as_bytes()[from..at]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        self.line_at = (at, line);
        line
    }

    /// Text up to `end`, trimmed as `-%}` and `{%-` ask.
    fn text(&mut self, end: usize, trim_end: bool) {
        let mut from = self.text_from;
        let mut end = end;
        if self.trim_next {
            from = end
                .min(from + (self.src[from..end].len() - self.src[from..end].trim_start().len()));
            self.trim_next = false;
        }
        if trim_end {
            end = from + self.src[from..end].trim_end().len();
        }
        if from < end {
            self.tokens.push(Token::Text(from..end));
        }
    }

    /// The tokens, and the content of each `{% highlight %}` block.
    fn run(mut self) -> (Vec<Token<'a>>, Vec<Range<usize>>) {
        let b = self.src.as_bytes();
        while self.pos < b.len() {
            let found = self.src[self.pos..]
                .match_indices('{')
                .map(|(k, _)| self.pos + k)
                .find(|&at| matches!(b.get(at + 1), Some(b'{' | b'%')));
            let Some(at) = found else {
                break;
            };
            self.pos = at + 2;
            if b[at + 1] == b'{' {
                self.output(at);
            } else {
                self.tag(at);
            }
        }
        self.text(b.len(), false);
        (self.tokens, self.highlights)
    }

    fn output(&mut self, at: usize) {
        let b = self.src.as_bytes();
        // `{{<` and `{{%` are Hugo's shortcodes, not Liquid output.
        if matches!(b.get(at + 2), Some(b'<' | b'%')) {
            return;
        }
        let Some(close) = self.output_end.find(self.src, "}}", at + 2) else {
            return;
        };
        if spans_a_blank_line(&self.src[at..close]) {
            return;
        }
        let mut inner = &self.src[at + 2..close];
        let trim_start = inner.starts_with('-');
        let trim_end = inner.ends_with('-') && inner.len() > 1;
        if trim_start {
            inner = &inner[1..];
        }
        if trim_end {
            inner = &inner[..inner.len() - 1];
        }
        self.text(at, trim_start);
        let line = self.line(at);
        self.tokens.push(Token::Output(Delimited {
            name: "",
            args: inner.trim(),
            span: at..close + 2,
            line,
        }));
        self.pos = close + 2;
        self.text_from = close + 2;
        self.trim_next = trim_end;
    }

    fn tag(&mut self, at: usize) {
        let Some(close) = self.tag_end.find(self.src, "%}", at + 2) else {
            return;
        };
        if spans_a_blank_line(&self.src[at..close]) {
            return;
        }
        let mut inner = &self.src[at + 2..close];
        let trim_start = inner.starts_with('-');
        let trim_end = inner.ends_with('-') && inner.len() > 1;
        if trim_start {
            inner = &inner[1..];
        }
        if trim_end {
            inner = &inner[..inner.len() - 1];
        }
        let inner = inner.trim();
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let (name, args) = (&inner[..name_end], inner[name_end..].trim());
        self.text(at, trim_start);
        let line = self.line(at);
        let tag = Delimited {
            name,
            args,
            span: at..close + 2,
            line,
        };
        self.pos = close + 2;
        self.text_from = close + 2;
        self.trim_next = trim_end;
        let end_name = match name {
            "raw" => "endraw",
            "comment" => "endcomment",
            // Passed on for the templates stage to write; its content is
            // code, where Liquid runs but writes nothing for that stage.
            "highlight" => {
                if let Some((start, _, _)) = self.closing("endhighlight", close + 2) {
                    self.highlights.push(close + 2..start);
                }
                self.tokens.push(Token::Tag(tag));
                return;
            }
            _ if name.starts_with('#') => {
                self.tokens.push(Token::Hidden);
                return;
            }
            _ => {
                self.tokens.push(Token::Tag(tag));
                return;
            }
        };
        match self.closing(end_name, close + 2) {
            Some((start, end, trim)) => {
                self.tokens.push(match name {
                    "raw" => Token::Raw(close + 2..start),
                    _ => Token::Hidden,
                });
                self.pos = end;
                self.text_from = end;
                self.trim_next = trim;
            }
            // Unclosed: the tag alone, which the tree marks as a placeholder.
            None => self.tokens.push(Token::Tag(tag)),
        }
    }

    /// The first `{% end_name %}` at or after `from`: its start, its end and
    /// whether it trims what follows.
    fn closing(&mut self, end_name: &'static str, from: usize) -> Option<(usize, usize, bool)> {
        let src = self.src;
        let mut search = from;
        loop {
            let memo = self.ends.entry(end_name).or_default();
            let word = memo.find(src, end_name, search)?;
            search = word + end_name.len();
            let before = src[..word].trim_end_matches([' ', '\t', '\n', '\r']);
            let before = before.strip_suffix('-').unwrap_or(before);
            let Some(open) = before.strip_suffix("{%") else {
                continue;
            };
            let after = src[search..].trim_start_matches([' ', '\t', '\n', '\r']);
            let (after, trim) = match after.strip_prefix('-') {
                Some(rest) => (rest, true),
                None => (after, false),
            };
            if after.starts_with("%}") {
                let end = src.len() - after.len() + 2;
                return Some((open.len(), end, trim));
            }
        }
    }
}

/// Liquid would read on, but a delimiter whose closing one is past a blank
/// line is braces in prose or math, not a tag: it stays text (and one scan
/// of it is enough, the searches being remembered).
fn spans_a_blank_line(text: &str) -> bool {
    text.contains("\n\n") || text.contains("\n \n") || text.contains("\n\t\n")
}

// ---------------------------------------------------------------------------
// The tree

/// A node of the template.
#[derive(Debug)]
enum Node<'a> {
    Text(Range<usize>),
    Raw(Range<usize>),
    /// Passed on as written: a tag for the templates stage.
    Pass(Range<usize>),
    /// Shown as a placeholder (its diagnostic is already reported).
    Placeholder(Range<usize>),
    Output(Delimited<'a>, Filtered),
    /// `{% assign name = value %}`, with where it starts.
    Assign(String, Filtered, usize),
    Capture(String, Vec<Node<'a>>),
    /// `if`/`unless` branches (`None` for `else`) and the tags that open
    /// each and close the last, to show when the condition is unknown.
    If(Vec<(Option<Cond>, Vec<Node<'a>>)>, Vec<Range<usize>>),
    Case(
        Expr,
        Vec<(Option<Vec<Expr>>, Vec<Node<'a>>)>,
        Vec<Range<usize>>,
    ),
    For(Box<ForLoop<'a>>),
    Break,
    Continue,
    /// `{% increment x %}`, `{% decrement x %}`.
    Counter(String, bool),
    Link(Delimited<'a>),
}

#[derive(Debug)]
struct ForLoop<'a> {
    var: String,
    source: Expr,
    limit: Option<Expr>,
    offset: Option<Expr>,
    reversed: bool,
    body: Vec<Node<'a>>,
    otherwise: Vec<Node<'a>>,
    /// The spans of `for`, `else` (if any) and `endfor`.
    tags: Vec<Range<usize>>,
}

/// Builds the tree from the tokens, with a diagnostic for each tag it
/// cannot use.
struct Builder<'a, 't, 'r> {
    src: &'a str,
    tokens: &'t [Token<'a>],
    at: usize,
    first_line: usize,
    report: &'r mut Report,
}

/// Ends of Liquid blocks and their middles, which mean nothing alone.
const INNER: &[&str] = &[
    "elsif",
    "else",
    "when",
    "endif",
    "endunless",
    "endcase",
    "endfor",
    "endcapture",
    "endraw",
    "endcomment",
];

impl<'a> Builder<'a, '_, '_> {
    fn warn(&mut self, code: &'static str, tag: &Delimited, message: String) {
        self.report.add(
            Severity::Warning,
            code,
            message,
            self.first_line + tag.line - 1,
        );
    }

    /// Nodes up to a tag named in `stop`, which is returned (not consumed
    /// into the nodes); `None` at the end of the body.
    fn block(&mut self, stop: &[&str], depth: usize) -> (Vec<Node<'a>>, Option<Delimited<'a>>) {
        let mut nodes = Vec::new();
        while let Some(token) = self.tokens.get(self.at) {
            self.at += 1;
            match token {
                Token::Text(r) => nodes.push(Node::Text(r.clone())),
                Token::Raw(r) => nodes.push(Node::Raw(r.clone())),
                Token::Hidden => {}
                Token::Output(out) => match Parser::new(out.args).and_then(|mut p| {
                    let f = p.filtered()?;
                    p.done().then_some(f)
                }) {
                    Some(filtered) => nodes.push(Node::Output(out.clone(), filtered)),
                    None => {
                        let message = format!(
                            "`{}` is not a Liquid output this library can read; it is shown as a placeholder",
                            short(&self.src[out.span.clone()])
                        );
                        self.warn("liquid.syntax-error", out, message);
                        nodes.push(Node::Placeholder(out.span.clone()));
                    }
                },
                Token::Tag(tag) => {
                    if stop.contains(&tag.name) {
                        return (nodes, Some(tag.clone()));
                    }
                    self.tag(tag, depth, &mut nodes);
                }
            }
        }
        (nodes, None)
    }

    fn syntax(&mut self, tag: &Delimited, nodes: &mut Vec<Node<'a>>) {
        let message = format!(
            "`{}` is not Liquid this library can read; it is shown as a placeholder",
            short(&self.src[tag.span.clone()])
        );
        self.warn("liquid.syntax-error", tag, message);
        nodes.push(Node::Placeholder(tag.span.clone()));
    }

    fn tag(&mut self, tag: &Delimited<'a>, depth: usize, nodes: &mut Vec<Node<'a>>) {
        let opens_block = matches!(tag.name, "if" | "unless" | "case" | "for" | "capture");
        if opens_block && depth >= MAX_DEPTH {
            let message = format!(
                "Liquid blocks nest deeper than {MAX_DEPTH} levels here; `{{% {} %}}` is shown as a placeholder and its content as if outside it",
                tag.name
            );
            self.warn("liquid.too-deep", tag, message);
            nodes.push(Node::Placeholder(tag.span.clone()));
            return;
        }
        match tag.name {
            "assign" => {
                let parsed = tag.args.split_once('=').and_then(|(name, value)| {
                    let name = name.trim();
                    let valid = !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
                    let mut p = Parser::new(value)?;
                    let f = p.filtered()?;
                    (valid && p.done()).then(|| (name.to_owned(), f))
                });
                match parsed {
                    Some((name, value)) => nodes.push(Node::Assign(name, value, tag.span.start)),
                    None => self.syntax(tag, nodes),
                }
            }
            "echo" => match Parser::new(tag.args).and_then(|mut p| {
                let f = p.filtered()?;
                p.done().then_some(f)
            }) {
                Some(f) => nodes.push(Node::Output(tag.clone(), f)),
                None => self.syntax(tag, nodes),
            },
            "capture" => {
                let name = tag.args.trim().trim_matches(['"', '\'']).to_owned();
                let (body, end) = self.block(&["endcapture"], depth + 1);
                if end.is_none() {
                    return self.unclosed(tag, vec![body], nodes);
                }
                nodes.push(Node::Capture(name, body));
            }
            "if" | "unless" => self.branches(tag, depth, nodes),
            "case" => self.case(tag, depth, nodes),
            "for" => self.for_loop(tag, depth, nodes),
            "break" => nodes.push(Node::Break),
            "continue" => nodes.push(Node::Continue),
            "increment" | "decrement" => nodes.push(Node::Counter(
                tag.args.trim().to_owned(),
                tag.name == "increment",
            )),
            "link" | "post_url" => nodes.push(Node::Link(tag.clone())),
            "raw" | "comment" => {
                let message = format!(
                    "`{{% {} %}}` is never closed; it is shown as a placeholder",
                    tag.name
                );
                self.warn("liquid.unclosed-tag", tag, message);
                nodes.push(Node::Placeholder(tag.span.clone()));
            }
            name if INNER.contains(&name) => {
                let message = format!(
                    "`{{% {name} %}}` has no block to belong to; it is shown as a placeholder"
                );
                self.warn("liquid.unmatched-tag", tag, message);
                nodes.push(Node::Placeholder(tag.span.clone()));
            }
            // `include`, `highlight` left unclosed, and every tag Liquid
            // does not define: the templates stage renders or marks them.
            _ => nodes.push(Node::Pass(tag.span.clone())),
        }
    }

    /// A block never closed: its tags are placeholders and its content is
    /// kept, as if outside it.
    fn unclosed(&mut self, tag: &Delimited, parts: Vec<Vec<Node<'a>>>, nodes: &mut Vec<Node<'a>>) {
        let message = format!(
            "`{{% {} %}}` is never closed with `{{% end{} %}}`; it is shown as a placeholder",
            tag.name, tag.name
        );
        self.warn("liquid.unclosed-tag", tag, message);
        nodes.push(Node::Placeholder(tag.span.clone()));
        for part in parts {
            nodes.extend(part);
        }
    }

    fn condition(&mut self, tag: &Delimited) -> Option<Cond> {
        let mut p = Parser::new(tag.args)?;
        let c = p.condition()?;
        p.done().then_some(c)
    }

    fn branches(&mut self, tag: &Delimited<'a>, depth: usize, nodes: &mut Vec<Node<'a>>) {
        let end_name = if tag.name == "if" {
            "endif"
        } else {
            "endunless"
        };
        let mut branches: Vec<(Option<Cond>, Vec<Node<'a>>)> = Vec::new();
        let mut spans = vec![tag.span.clone()];
        let mut current = tag.clone();
        let mut seen_else = false;
        loop {
            let cond = if seen_else {
                None
            } else {
                match self.condition(&current) {
                    Some(c) if current.name == "unless" => Some(Cond::Not(Box::new(c))),
                    Some(c) => Some(c),
                    None => {
                        self.syntax(&current, nodes);
                        // Read as `false`: its content is shown by no branch.
                        Some(Cond::Test(Expr::Literal(Value::Bool(false))))
                    }
                }
            };
            let (body, end) = self.block(&["elsif", "else", end_name], depth + 1);
            branches.push((cond, body));
            let Some(end) = end else {
                let parts = branches.into_iter().map(|(_, b)| b).collect();
                return self.unclosed(tag, parts, nodes);
            };
            spans.push(end.span.clone());
            match end.name {
                "elsif" if !seen_else => current = end,
                "else" => seen_else = true,
                _ if end.name == end_name => break,
                _ => {}
            }
        }
        nodes.push(Node::If(branches, spans));
    }

    fn case(&mut self, tag: &Delimited<'a>, depth: usize, nodes: &mut Vec<Node<'a>>) {
        let Some(subject) = Parser::new(tag.args).and_then(|mut p| {
            let e = p.expr()?;
            p.done().then_some(e)
        }) else {
            return self.syntax(tag, nodes);
        };
        let mut spans = vec![tag.span.clone()];
        // Text before the first `when` is never shown by Liquid.
        let (_, mut end) = self.block(&["when", "else", "endcase"], depth + 1);
        let mut whens = Vec::new();
        while let Some(current) = end {
            spans.push(current.span.clone());
            let values = match current.name {
                "when" => {
                    let values = when_values(current.args);
                    if values.is_none() {
                        self.syntax(&current, nodes);
                    }
                    Some(values.unwrap_or_default())
                }
                "else" => None,
                _ => {
                    nodes.push(Node::Case(subject, whens, spans));
                    return;
                }
            };
            let (body, next) = self.block(&["when", "else", "endcase"], depth + 1);
            whens.push((values, body));
            end = next;
        }
        let parts = whens.into_iter().map(|(_, b)| b).collect();
        self.unclosed(tag, parts, nodes);
    }

    fn for_loop(&mut self, tag: &Delimited<'a>, depth: usize, nodes: &mut Vec<Node<'a>>) {
        let Some(mut parsed) = parse_for(tag.args) else {
            return self.syntax(tag, nodes);
        };
        let (body, end) = self.block(&["else", "endfor"], depth + 1);
        let Some(mut end) = end else {
            return self.unclosed(tag, vec![body], nodes);
        };
        let mut tags = vec![tag.span.clone(), end.span.clone()];
        let mut otherwise = Vec::new();
        if end.name == "else" {
            let (other, close) = self.block(&["endfor"], depth + 1);
            let Some(close) = close else {
                return self.unclosed(tag, vec![body, other], nodes);
            };
            otherwise = other;
            tags.push(close.span.clone());
            end = close;
        }
        let _ = end;
        parsed.body = body;
        parsed.otherwise = otherwise;
        parsed.tags = tags;
        nodes.push(Node::For(Box::new(parsed)));
    }
}

/// `when a, b or c`.
fn when_values(args: &str) -> Option<Vec<Expr>> {
    let mut p = Parser::new(args)?;
    let mut values = vec![p.expr()?];
    while p.eat(&value::Tok::Comma) || p.eat_word("or") {
        values.push(p.expr()?);
    }
    p.done().then_some(values)
}

/// `item in collection limit: 3 offset: 1 reversed`.
fn parse_for(args: &str) -> Option<ForLoop<'static>> {
    let mut p = Parser::new(args)?;
    let var = p.ident()?;
    if !p.eat_word("in") {
        return None;
    }
    let source = p.expr()?;
    let mut parsed = ForLoop {
        var,
        source,
        limit: None,
        offset: None,
        reversed: false,
        body: Vec::new(),
        otherwise: Vec::new(),
        tags: Vec::new(),
    };
    while !p.done() {
        if p.eat_word("reversed") {
            parsed.reversed = true;
            continue;
        }
        let key = p.ident()?;
        if !p.eat(&value::Tok::Colon) {
            return None;
        }
        let value = p.expr()?;
        match key.as_str() {
            "limit" => parsed.limit = Some(value),
            "offset" => parsed.offset = Some(value),
            _ => return None,
        }
        p.eat(&value::Tok::Comma);
    }
    Some(parsed)
}

// ---------------------------------------------------------------------------
// Writing

/// Author text quoted in a message: at most 60 characters.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Text this stage wrote, made inert for the templates stage: `{{` and
/// `{%` start with a character reference, which Markdown and HTML show as
/// `{`.
fn inert(text: &str) -> Cow<'_, str> {
    if !find::has_template_open(text) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("{{", "&#123;{").replace("{%", "&#123;%"))
}

/// The visible placeholder, as the templates stage writes it: the source as
/// text, its Markdown punctuation as references so that it stays text.
fn placeholder(source: &str) -> String {
    let mut out = String::from(r#"<span class="template-tag">"#);
    crate::text::escape_into(source, crate::text::Escape::MarkdownText, &mut out);
    out.push_str("</span>");
    out
}

// ---------------------------------------------------------------------------
// Diagnostics

/// Liquid's diagnostics, grouped (a loop repeats its problems).
type Report = crate::diagnostics::Grouped;

#[cfg(test)]
mod tests {
    use crate::{GeneratorOption, Options, Rendered, render_with_options};

    fn jekyll_with(source: &str, base: Option<&str>) -> Rendered {
        let options = Options {
            generator: GeneratorOption::Jekyll,
            base_url: base.map(str::to_owned),
            ..Options::default()
        };
        render_with_options(source, &options).unwrap()
    }

    fn jekyll(source: &str) -> Rendered {
        jekyll_with(source, None)
    }

    fn html(source: &str) -> String {
        jekyll(source).html
    }

    fn codes(rendered: &Rendered) -> Vec<&'static str> {
        rendered
            .diagnostics
            .iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("liquid.") || c.starts_with("template."))
            .collect()
    }

    #[test]
    fn page_values_and_filters() {
        let out = html(
            "---\ntitle: Tea & toast\ndate: 2019-03-18\ntags: [a, b]\n---\n{{ page.title | escape }}: {{ page.date | date_to_string }}, {{ page.tags | join: \", \" }}, {{ page.missing | default: \"none\" }}",
        );
        assert_eq!(
            out, "<p>Tea &amp; toast: 18 Mar 2019, a, b, none</p>\n",
            "front matter values, the normalized date and filters"
        );
    }

    #[test]
    fn urls_use_the_base_url_as_the_site() {
        let source = "[docs]({{ \"/docs/themes/#assets\" | relative_url }}) ![logo]({{ site.baseurl }}/assets/logo.png) [feed]({{ \"/feed.xml\" | absolute_url }}) [old]({% post_url 2010-07-21-name %})";
        let out = jekyll_with(source, Some("https://user.github.io/project/")).html;
        for expected in [
            r#"href="https://user.github.io/project/docs/themes/#assets""#,
            r#"src="https://user.github.io/project/assets/logo.png""#,
            r#"href="https://user.github.io/project/feed.xml""#,
            r#"href="https://user.github.io/project/2010/07/21/name.html""#,
        ] {
            assert!(out.contains(expected), "{expected} in {out}");
        }
        let out = html(source);
        assert!(
            out.contains(r#"href="/docs/themes/#assets""#)
                && out.contains(r#"src="/assets/logo.png""#),
            "without baseUrl the site is at the root: {out}"
        );
    }

    #[test]
    fn control_flow() {
        let out = html(
            "---\nn: 3\nkind: tip\n---\n{% if page.n > 2 and page.kind == \"tip\" %}big{% elsif page.n > 1 %}mid{% else %}small{% endif %} {% unless page.n == 3 %}no{% endunless %}{% case page.kind %}{% when \"note\", \"tip\" %}aside{% else %}plain{% endcase %} {% assign doubled = page.n | times: 2 %}{{ doubled }} {% capture who %}{{ page.kind | upcase }}!{% endcapture %}{{ who }}{% comment %}hidden {{ page.n }}{% endcomment %}",
        );
        assert_eq!(out, "<p>big aside 6 TIP!</p>\n");
        let out = html(
            "{% capture img %}![Fox]({{ \"/a/fox.jpg\" | relative_url }}){% endcapture %}\n<figure>{{ img | markdownify | remove: \"<p>\" | remove: \"</p>\" }}</figure>",
        );
        assert!(
            out.contains(r#"<figure><img src="/a/fox.jpg" alt="Fox""#),
            "markdownify renders Markdown, as in a Minimal Mistakes figure: {out}"
        );
    }

    #[test]
    fn loops_with_forloop_limit_offset_and_reversed() {
        let out = html(
            "---\nxs: [a, b, c, d]\n---\n{% for x in page.xs offset: 1 limit: 2 %}{{ forloop.index }}{{ x }}{% unless forloop.last %},{% endunless %}{% endfor %} {% for i in (1..5) reversed %}{% if i == 4 %}{% continue %}{% endif %}{% if i == 2 %}{% break %}{% endif %}{{ i }}{% endfor %} {% for x in page.none %}x{% else %}empty{% endfor %}",
        );
        assert_eq!(out, "<p>1b,2c 53 empty</p>\n");
    }

    #[test]
    fn loops_build_link_definitions() {
        let out = html(
            "---\nissues: [1037, 1040]\n---\nFixed [#1037][] and [#1040][].\n\n{% for issue in page.issues %}\n[#{{ issue }}]: https://github.com/acme/widgets/issues/{{ issue }}\n{% endfor %}\n",
        );
        assert_eq!(
            out,
            "<p>Fixed <a href=\"https://github.com/acme/widgets/issues/1037\" rel=\"noopener noreferrer\">#1037</a> and <a href=\"https://github.com/acme/widgets/issues/1040\" rel=\"noopener noreferrer\">#1040</a>.</p>\n",
            "each iteration writes a link definition the references find"
        );
    }

    #[test]
    fn raw_in_code_spans_blocks_and_text() {
        let out = html(
            "Write `{% raw %}{{ site.baseurl }}{% endraw %}`.\n\n```liquid\n{% raw %}\n{% if x %}{{ y }}{% endif %}\n{% endraw %}\n```\n\n{% raw %}{{ shown }} {% note %}{% endraw %}\n",
        );
        assert_eq!(
            out,
            "<p>Write <code>{{ site.baseurl }}</code>.</p>\n<pre><code class=\"language-liquid\">\n{% if x %}{{ y }}{% endif %}\n\n</code></pre>\n<p>{{ shown }} {% note %}</p>\n",
            "raw markers vanish, their content is shown as written, and no later stage reads it"
        );
    }

    #[test]
    fn code_is_evaluated_as_jekyll_does() {
        let rendered = jekyll(
            "---\ntitle: Tea\n---\n`{{ page.title }}` and `{{ site.title }}`\n\n    {% if page.title %}yes{% endif %}\n",
        );
        assert_eq!(
            rendered.html,
            "<p><code>Tea</code> and <code>{{ site.title }}</code></p>\n<pre><code>yes\n</code></pre>\n",
            "in code what is not known stays as written"
        );
        assert_eq!(codes(&rendered), ["liquid.unknown-variable"]);
    }

    #[test]
    fn highlight_and_link() {
        let out = html(
            "{% highlight ruby linenos %}\nputs \"{% raw %}{{ x }}{% endraw %}\"\n{% endhighlight %}\n\nSee {% link about.md %} and {% link _posts/2016-07-26-name.md %}.",
        );
        assert_eq!(
            out,
            "<pre><code class=\"language-ruby\">puts \"{{ x }}\"</code></pre>\n<p>See /about.html and /2016/07/26/name.html.</p>\n"
        );
    }

    #[test]
    fn what_the_article_does_not_carry_is_a_placeholder() {
        let rendered = jekyll(
            "{{ site.title }} {{ site.data.menu.first }} {{ page.title | frobnicate }} {{ undefined_thing }} {% include footer.html %} {{ \"now\" | date: \"%Y\" }}",
        );
        assert_eq!(
            rendered.html.matches("template-tag").count(),
            6,
            "{}",
            rendered.html
        );
        assert_eq!(
            codes(&rendered),
            [
                "liquid.unknown-variable",
                "liquid.unknown-variable",
                "liquid.unknown-filter",
                "liquid.unknown-variable",
                "liquid.unsupported-filter",
                "template.include",
            ]
        );
    }

    #[test]
    fn unknown_conditions_show_every_branch() {
        let rendered = jekyll("{% if site.comments %}Comments on{% else %}Comments off{% endif %}");
        assert_eq!(
            rendered.html,
            "<p><span class=\"template-tag\">{% if site.comments %}</span>Comments on<span class=\"template-tag\">{% else %}</span>Comments off<span class=\"template-tag\">{% endif %}</span></p>\n"
        );
        assert_eq!(codes(&rendered), ["liquid.unknown-condition"]);
    }

    #[test]
    fn broken_tags_are_placeholders() {
        let rendered = jekyll("{% if x %}kept\n\n{% endfor %} {{ a | }} {% assign = 3 %}");
        assert_eq!(
            codes(&rendered),
            [
                "liquid.unmatched-tag",
                "liquid.syntax-error",
                "liquid.syntax-error",
                "liquid.unclosed-tag",
            ]
        );
        assert!(rendered.html.contains("kept"), "{}", rendered.html);
    }

    #[test]
    fn braces_across_a_blank_line_are_text() {
        let out = html("a {{ b\n\nc }} d {% e\n\n%}");
        assert_eq!(out, "<p>a {{ b</p>\n<p>c }} d {% e</p>\n<p>%}</p>\n");
    }

    #[test]
    fn whitespace_control_trims() {
        assert_eq!(
            html("a  {%- assign x = 1 -%}\n\n  b {{- x -}} c"),
            "<p>ab1c</p>\n"
        );
    }

    #[test]
    fn output_is_never_read_again_as_a_tag() {
        let out = html("---\nt: \"{% note %}x{% endnote %} {{< y >}}\"\n---\n{{ page.t }}");
        assert_eq!(out, "<p>{% note %}x{% endnote %} {{&lt; y &gt;}}</p>\n");
    }

    #[test]
    fn work_is_bounded() {
        let rendered = jekyll(
            "{% for i in (1..1000000000) %}{% for j in (1..1000000000) %}x{% endfor %}{% endfor %}",
        );
        assert!(rendered.html.matches('x').count() <= super::MAX_ITERATIONS);
        assert!(codes(&rendered).contains(&"liquid.too-many-iterations"));

        let doubling = format!(
            "{{% assign s = \"ab\" %}}{}{{{{ s }}}}",
            "{% assign s = s | append: s %}".repeat(40)
        );
        let rendered = jekyll(&doubling);
        assert!(rendered.html.len() <= super::MAX_VALUE + 100);
        assert!(codes(&rendered).contains(&"liquid.value-too-long"));

        let wide = format!(
            "{{% capture c %}}{}{{% endcapture %}}{}",
            "y".repeat(60_000),
            "{% for i in (1..100) %}{{ c }}{% endfor %}"
        );
        let rendered = jekyll(&wide);
        assert!(rendered.html.len() < 2 * super::MAX_EXTRA_OUTPUT);
        assert!(codes(&rendered).contains(&"liquid.too-much-output"));

        let busy = format!(
            "{{% for i in (1..10000) %}}{}{{% endfor %}}",
            "{% assign a = i | plus: 1 %}".repeat(2_000)
        );
        let rendered = jekyll(&busy);
        assert!(codes(&rendered).contains(&"liquid.too-many-iterations"));

        let deep = format!(
            "{}x{}",
            "{% if true %}".repeat(10_000),
            "{% endif %}".repeat(10_000)
        );
        let rendered = jekyll(&deep);
        assert!(rendered.html.contains('x'));
        assert!(codes(&rendered).contains(&"liquid.too-deep"));
    }

    #[test]
    fn hostile_expressions_neither_overflow_nor_blow_up() {
        // Thousands of `and`s: evaluated in a loop, not one frame each.
        let chain = format!(
            "{{% if a{} %}}yes{{% endif %}}{{% if x{} and y %}}no{{% endif %}}",
            " and a".repeat(5_000),
            " or x".repeat(5_000)
        );
        let out = html(&format!(
            "{{% assign a = true %}}{{% assign x = false %}}{chain}"
        ));
        assert_eq!(out, "<p>yes</p>\n");
        // Grouped from the right: `false and true or true` is
        // `false and (true or true)`.
        let out = html("{% if false and true or true %}a{% else %}b{% endif %}");
        assert_eq!(out, "<p>b</p>\n");

        // Nested brackets and parentheses: a syntax error past the limit.
        let deep = format!("{{{{ a{} }}}}", "[a".repeat(5_000) + &"]".repeat(5_000));
        assert!(codes(&jekyll(&deep)).contains(&"liquid.syntax-error"));
        let deep = format!("{{{{ {}1..2{} }}}}", "(".repeat(5_000), ")".repeat(5_000));
        assert!(codes(&jekyll(&deep)).contains(&"liquid.syntax-error"));

        // A long path on what is unknown: no frame and no copy per key.
        let path = format!(
            "{{% assign u = site.data %}}{{{{ u{} }}}}",
            ".x".repeat(200_000)
        );
        assert!(codes(&jekyll(&path)).contains(&"liquid.unknown-variable"));
        let path = format!("{{{{ page.title{} }}}}", ".x".repeat(200_000));
        assert_eq!(html(&format!("---\ntitle: t\n---\n{path}z")), "<p>z</p>\n");

        // Range ends at the edges of i64.
        let out = html("{% assign r = (-9223372036854775808..5) %}{{ r | size }} {{ r.first }}");
        assert_eq!(out, "<p>10000 -9223372036854775808</p>\n");
        let out =
            html("{% assign r = (9223372036854775806..9223372036854775807) %}{{ r | join: ',' }}");
        assert_eq!(out, "<p>9223372036854775806,9223372036854775807</p>\n");
        let rendered =
            jekyll("{% for i in (-9223372036854775808..9223372036854775807) %}{% endfor %}x");
        assert!(codes(&rendered).contains(&"liquid.too-many-iterations"));

        // Text and lists that would reach gigabytes stop at the cap.
        let big = "a".repeat(60_000);
        let source = format!(
            "{{% capture s %}}{big}{{% endcapture %}}{{{{ s | replace: \"a\", s | size }}}}"
        );
        let rendered = jekyll(&source);
        assert!(
            rendered.html.contains(&super::MAX_VALUE.to_string()),
            "{}",
            &rendered.html[..100]
        );
        assert!(codes(&rendered).contains(&"liquid.value-too-long"));
        let source = format!(
            "{{% capture s %}}{big}{{% endcapture %}}{{% assign a = s | split: \"~\" %}}{}{{{{ a | size }}}}",
            "{% assign a = a | concat: a %}\n".repeat(16)
        );
        let rendered = jekyll(&source);
        assert!(rendered.html.contains("<p>1</p>"), "{}", rendered.html);
        assert!(codes(&rendered).contains(&"liquid.value-too-long"));
    }

    #[test]
    fn other_generators_are_not_evaluated() {
        let options = Options {
            generator: GeneratorOption::Hexo,
            ..Options::default()
        };
        let rendered =
            render_with_options("---\ntitle: x\n---\n{{ page.title }}", &options).unwrap();
        assert_eq!(rendered.html, "<p>{{ page.title }}</p>\n");
    }

    #[test]
    fn evaluated_output_is_still_sanitized() {
        let rendered = jekyll(
            "---\nx: \"javascript:alert(1)\"\ny: \"<img src=x onerror=alert(1)><script>alert(2)</script>\"\n---\n[a]({{ page.x }}) {{ page.y }} {{ page.y | markdownify }}",
        );
        assert!(
            !rendered.html.contains("javascript")
                && !rendered.html.contains("onerror")
                && !rendered.html.contains("<script"),
            "{}",
            rendered.html
        );
    }

    #[test]
    fn never_panics_on_fragments() {
        let pieces = [
            "{{",
            "}}",
            "{%",
            "%}",
            "-",
            " if ",
            " for x in ",
            " endfor ",
            " endif ",
            " else ",
            " raw ",
            " endraw ",
            " comment ",
            " case ",
            " when ",
            "(1..3)",
            " page.t ",
            "|",
            " append:",
            "\"",
            "'",
            "`",
            "```",
            "\n",
            "\n\n",
            "    ",
            "é",
            "中",
            " capture c ",
            " endcapture ",
            " assign a = ",
            " highlight ",
            " endhighlight ",
            "{{<",
            "forloop.index",
            " limit: 2",
            " reversed",
            " break ",
            " contains ",
            " and ",
            "[0]",
            ".size",
        ];
        let mut seed: u64 = 11;
        for _ in 0..2000 {
            let mut body = String::from("---\nt: [a, b]\n---\n");
            for _ in 0..24 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            let rendered = jekyll(&body);
            let again = crate::sanitize_html(&rendered.html, &Options::default()).unwrap();
            assert_eq!(
                again, rendered.html,
                "the output of {body:?} is already clean"
            );
        }
    }

    /// Each finishes with bounded diagnostics; the scan is linear by
    /// construction (remembered searches), the rest of the pipeline's cost
    /// is that of as many placeholders from the templates stage.
    #[test]
    fn pathological_inputs_finish() {
        let n = 5_000;
        for input in [
            "{{".repeat(n),
            "{%".repeat(n),
            "{% raw %}".repeat(n),
            "{% comment %}".repeat(n),
            "{% if x %}".repeat(n),
            "{{ a }}".repeat(n),
            "{% for x in (1..3) %}".repeat(n),
            format!("`{}`", "{% raw %}".repeat(n)),
        ] {
            let rendered = jekyll(&input);
            assert!(rendered.diagnostics.len() < 100);
        }
    }
}
