//! Template tags: Hexo tag plugins and Jekyll (Liquid) tags `{% name args %}`,
//! Hugo shortcodes `{{< name args >}}` and `{{% name args %}}`.
//!
//! Static-site generators run these through a template engine before the
//! Markdown is rendered. This library has no engine and must never have one
//! (the article is untrusted), so this stage only *parses* them and replaces
//! the common ones by what their sites show, written statically: a code
//! block, a note, a figure, a link card instead of an embedded player. Tags it
//! does not know become a visible placeholder with a diagnostic; tags inside
//! code stay as the author wrote them. The result is still the body's
//! Markdown (or HTML), and goes through the one sanitizer policy like
//! everything else.
//!
//! How the output fits into Markdown: generated HTML never spans lines
//! (newlines inside code are written `&#10;`), so it keeps its place in list
//! items and quotes; block output (a note, a code block, a card) stands alone
//! between blank lines, so CommonMark reads it as an HTML block and the
//! Markdown inside a note stays Markdown; inline output escapes Markdown
//! punctuation as character references, so that text stays text. In an HTML
//! body the output is padded with newlines to keep the file's line numbers.
//!
//! Everything is linear in the input: searches for a closing delimiter are
//! remembered, so 100 000 unclosed `{%` cost one scan, not 100 000.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use crate::options::Templates;
use crate::rendered::{BodyFormat, Diagnostics, Severity};
use crate::safe_url::{self, Context};

/// What the stage did with the template constructs of one syntax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rendered as their site would show them (a code block, a note, a link card …).
    pub rendered: usize,
    /// Unknown, or unavailable here (`{% include %}`): shown as a visible placeholder.
    pub placeholders: usize,
    /// Left as the text the author wrote: inside code, escaped, unclosed or malformed.
    pub text: usize,
}

/// What the stage did with a body, per syntax. A paired construct
/// (`{% note %}…{% endnote %}`) counts once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Hexo tag plugins and Liquid tags: `{% … %}`.
    pub liquid: Tally,
    /// Hugo shortcodes: `{{< … >}}` and `{{% … %}}`.
    pub hugo: Tally,
}

/// Counts what the templates stage does with a body (the text after the
/// front matter), without rendering anything else.
///
/// ```
/// use article_render::{BodyFormat, templates};
/// let body = "{% note info %}\nHi\n{% endnote %}\n\n`{% note %}` {{< unknown >}}\n";
/// let summary = templates::summarize(body, BodyFormat::Markdown);
/// assert_eq!((summary.liquid.rendered, summary.liquid.text), (1, 1));
/// assert_eq!(summary.hugo.placeholders, 1);
/// ```
pub fn summarize(body: &str, format: BodyFormat) -> Summary {
    run(
        body,
        format == BodyFormat::Markdown,
        1,
        &mut Diagnostics::default(),
    )
    .1
}

/// The stage: the body with its template constructs rendered statically,
/// or unchanged when `mode` is [`Templates::Text`] or there is none.
/// `first_line` is the body's first line in the file, for diagnostics.
pub(crate) fn expand<'a>(
    body: &'a str,
    format: BodyFormat,
    mode: Templates,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Cow<'a, str> {
    if mode == Templates::Text || !has_construct(body) {
        return Cow::Borrowed(body);
    }
    let markdown = format == BodyFormat::Markdown;
    Cow::Owned(run(body, markdown, first_line, diagnostics).0)
}

fn has_construct(body: &str) -> bool {
    body.contains("{%") || body.contains("{{<") || body.contains("{{%")
}

fn run(
    body: &str,
    markdown: bool,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> (String, Summary) {
    let tokens = Lexer::new(body, markdown).run();
    let roles = roles(&tokens);
    let mut renderer = Renderer {
        src: body,
        markdown,
        first_line,
        out: String::with_capacity(body.len() + body.len() / 4),
        lines: LineCache::default(),
        report: Report::default(),
        summary: Summary::default(),
    };
    renderer.render(&tokens, &roles);
    renderer.report.finish(diagnostics);
    (renderer.out, renderer.summary)
}

// ---------------------------------------------------------------------------
// Tokens

/// The three delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Delim {
    /// `{% … %}`: Hexo, Jekyll.
    Liquid,
    /// `{{< … >}}`: Hugo, inner content passed as is.
    Angle,
    /// `{{% … %}}`: Hugo, inner content is Markdown.
    Percent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Family {
    Liquid,
    Hugo,
}

impl Delim {
    fn family(self) -> Family {
        match self {
            Delim::Liquid => Family::Liquid,
            Delim::Angle | Delim::Percent => Family::Hugo,
        }
    }
}

#[derive(Clone, Debug)]
struct Tag<'a> {
    delim: Delim,
    name: &'a str,
    args: &'a str,
    /// `{% endname %}`, `{{< /name >}}`.
    closing: bool,
    /// `{{< name />}}`.
    self_closing: bool,
    span: Range<usize>,
    /// 1-based line in the body.
    line: usize,
}

#[derive(Clone, Debug)]
enum Token<'a> {
    /// Markdown or HTML, passed on.
    Text(Range<usize>),
    /// A code fence, indented code or a code span: passed on untouched.
    Code(Range<usize>),
    Tag(Tag<'a>),
    /// A tag whose content is never parsed (`raw`, `codeblock`, `highlight`,
    /// `mathjax` …), with its closing tag.
    Verbatim {
        tag: Tag<'a>,
        content: Range<usize>,
        end: usize,
    },
    /// Hugo's escape `{{</* name */>}}`, shown as `{{< name >}}`.
    Escaped {
        delim: Delim,
        span: Range<usize>,
        inner: Range<usize>,
    },
    /// `{% name` with no `%}` before the paragraph ends; the span covers the name.
    Malformed(Tag<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Single,
    Paired,
    Verbatim,
}

/// The tags this module renders. Everything else is a placeholder.
fn kind(family: Family, name: &str) -> Option<Kind> {
    Some(match (family, name) {
        (Family::Liquid, "raw" | "codeblock" | "code" | "highlight" | "mathjax" | "katex") => {
            Kind::Verbatim
        }
        (
            Family::Liquid,
            "note" | "message" | "blockquote" | "pullquote" | "tabs" | "subtabs" | "subsubtabs"
            | "hideToggle",
        ) => Kind::Paired,
        (
            Family::Liquid,
            "img" | "image" | "asset_img" | "asset_link" | "link" | "post_link" | "post_path"
            | "post_url" | "youtube" | "vimeo" | "iframe" | "video" | "btn" | "button" | "include",
        ) => Kind::Single,
        (Family::Hugo, "highlight") => Kind::Verbatim,
        (Family::Hugo, "notice" | "admonition" | "alert") => Kind::Paired,
        (
            Family::Hugo,
            "figure" | "youtube" | "vimeo" | "tweet" | "x" | "gist" | "ref" | "relref",
        ) => Kind::Single,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Lexer

/// The result of the last search for something, so that the next search
/// from a later position reuses it instead of scanning again.
#[derive(Clone, Copy, Default)]
struct Memo {
    valid: bool,
    from: usize,
    found: Option<(usize, usize)>,
}

impl Memo {
    fn get(
        &mut self,
        from: usize,
        search: impl FnOnce(usize) -> Option<(usize, usize)>,
    ) -> Option<(usize, usize)> {
        if self.valid && self.from <= from {
            match self.found {
                None => return None,
                Some(found) if found.0 >= from => return Some(found),
                Some(_) => {}
            }
        }
        let found = search(from);
        *self = Memo {
            valid: true,
            from,
            found,
        };
        found
    }
}

/// Backtick runs of the rest of a paragraph, by length, once a search for a
/// closing run has scanned it all without success.
#[derive(Default)]
struct Spans {
    valid: bool,
    from: usize,
    para_end: usize,
    runs: HashMap<usize, VecDeque<usize>>,
    scratch: Vec<(usize, usize)>,
}

impl Spans {
    /// The start of the backtick run of length `n` that closes a code span
    /// opened before `from`, if the paragraph has one.
    fn closing(&mut self, b: &[u8], from: usize, para_end: usize, n: usize) -> Option<usize> {
        if self.valid && self.para_end == para_end && self.from <= from {
            let queue = self.runs.get_mut(&n)?;
            while let Some(p) = queue.pop_front() {
                if p >= from {
                    return Some(p);
                }
            }
            return None;
        }
        self.scratch.clear();
        let mut i = from;
        while i < para_end {
            if b[i] == b'`' {
                let run = b[i..para_end].iter().take_while(|&&c| c == b'`').count();
                if run == n {
                    return Some(i);
                }
                self.scratch.push((run, i));
                i += run;
            } else {
                i += 1;
            }
        }
        self.runs.clear();
        for &(run, at) in &self.scratch {
            self.runs.entry(run).or_default().push_back(at);
        }
        self.valid = true;
        self.from = from;
        self.para_end = para_end;
        None
    }
}

struct Lexer<'a> {
    src: &'a str,
    markdown: bool,
    pos: usize,
    line: usize,
    text_from: usize,
    tokens: Vec<Token<'a>>,
    prev_blank: bool,
    /// Content columns of the open list items, innermost last.
    lists: Vec<usize>,
    blank: Memo,
    closers: HashMap<&'static str, Memo>,
    ends: HashMap<(Family, &'a str), Memo>,
    spans: Spans,
}

impl<'a> Lexer<'a> {
    fn new(src: &'a str, markdown: bool) -> Self {
        Lexer {
            src,
            markdown,
            pos: 0,
            line: 1,
            text_from: 0,
            tokens: Vec::new(),
            prev_blank: true,
            lists: Vec::new(),
            blank: Memo::default(),
            closers: HashMap::new(),
            ends: HashMap::new(),
            spans: Spans::default(),
        }
    }

    fn run(mut self) -> Vec<Token<'a>> {
        let b = self.src.as_bytes();
        let mut line_start = true;
        while self.pos < b.len() {
            if line_start && self.markdown && self.block_start() {
                continue;
            }
            line_start = false;
            match b[self.pos] {
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    line_start = true;
                }
                b'`' if self.markdown => self.code_span(),
                b'{' => {
                    if !self.template() {
                        self.pos += 1;
                    }
                }
                _ => self.pos += 1,
            }
        }
        self.flush(b.len());
        self.tokens
    }

    /// Moves to `to`, counting lines.
    fn advance(&mut self, to: usize) {
        self.line += count_newlines(&self.src[self.pos..to]);
        self.pos = to;
    }

    /// Ends the pending text at `upto`.
    fn flush(&mut self, upto: usize) {
        if upto > self.text_from {
            match self.tokens.last_mut() {
                Some(Token::Text(range)) if range.end == self.text_from => range.end = upto,
                _ => self.tokens.push(Token::Text(self.text_from..upto)),
            }
        }
        self.text_from = upto;
    }

    /// Adds a token that covers `span` and moves past it.
    fn push(&mut self, span: Range<usize>, token: Token<'a>) {
        self.flush(span.start);
        self.tokens.push(token);
        self.text_from = span.end;
        self.advance(span.end);
    }

    /// At the start of a line of Markdown: a fenced or indented code block is
    /// taken whole, as code. Returns whether it took one.
    fn block_start(&mut self) -> bool {
        let (src, start) = (self.src, self.pos);
        let line_end = line_end(src, start);
        let line = &src[start..line_end];
        let (indent, content) = indentation(line);
        if content == line.len() {
            self.prev_blank = true;
            return false;
        }
        let blank_before = std::mem::replace(&mut self.prev_blank, false);
        let rest = &line[content..];
        let marker = list_marker(rest);
        if blank_before || marker.is_some() {
            while self.lists.last().is_some_and(|&column| column > indent) {
                self.lists.pop();
            }
        }
        let container = self.lists.last().copied().unwrap_or(0);
        if blank_before && indent >= container + 4 {
            let end = indented_code_end(src, line_end, container + 4);
            self.push(start..end, Token::Code(start..end));
            return true;
        }
        if let Some(width) = marker {
            self.lists.push(indent + width);
        }
        if let Some((fence, len)) = fence_open(line) {
            let end = fence_end(src, line_end, fence, len);
            self.push(start..end, Token::Code(start..end));
            return true;
        }
        false
    }

    /// At a backtick: a code span when a run of the same length closes it
    /// before the paragraph ends, otherwise literal backticks.
    fn code_span(&mut self) {
        let b = self.src.as_bytes();
        let start = self.pos;
        let run = b[start..].iter().take_while(|&&c| c == b'`').count();
        let backslashes = b[..start].iter().rev().take_while(|&&c| c == b'\\').count();
        if backslashes % 2 == 1 {
            // `\`` is a literal backtick; the rest of the run may open a span.
            self.pos += 1;
            return;
        }
        let from = start + run;
        let para_end = self.paragraph_end(from);
        match self.spans.closing(b, from, para_end, run) {
            Some(close) => self.push(start..close + run, Token::Code(start..close + run)),
            None => self.pos = from,
        }
    }

    /// Where the blank line after `from` starts, or the end of the text.
    fn paragraph_end(&mut self, from: usize) -> usize {
        let src = self.src;
        self.blank
            .get(from, |f| find_blank_line(src, f))
            .map_or(src.len(), |(at, _)| at)
    }

    /// Finds `needle` after `from`, before the paragraph ends.
    fn closer(&mut self, needle: &'static str, from: usize) -> Option<usize> {
        let limit = self.paragraph_end(from);
        let src = self.src;
        let found = self
            .closers
            .entry(needle)
            .or_default()
            .get(from, |f| src[f..].find(needle).map(|i| (f + i, f + i)));
        found.map(|(at, _)| at).filter(|&at| at < limit)
    }

    /// At `{`: a template construct, taken as a token. Returns whether it was one.
    fn template(&mut self) -> bool {
        let b = self.src.as_bytes();
        match (b.get(self.pos + 1), b.get(self.pos + 2)) {
            (Some(b'%'), _) => self.liquid(),
            (Some(b'{'), Some(b'<')) => self.shortcode(Delim::Angle),
            (Some(b'{'), Some(b'%')) => self.shortcode(Delim::Percent),
            _ => false,
        }
    }

    fn liquid(&mut self) -> bool {
        let (src, at) = (self.src, self.pos);
        let b = src.as_bytes();
        let mut i = at + 2;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        i = skip_blanks(b, i);
        if !b
            .get(i)
            .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_')
        {
            return false;
        }
        let name_end = i + b[i..].iter().take_while(|&&c| is_liquid_name(c)).count();
        let (mut name, mut closing) = (&src[i..name_end], false);
        if let Some(rest) = name.strip_prefix("end").filter(|rest| !rest.is_empty()) {
            (name, closing) = (rest, true);
        }
        let line = self.line;
        let Some(close) = self.closer("%}", name_end) else {
            let tag = new_tag(Delim::Liquid, name, "", closing, at..name_end, line);
            self.push(at..name_end, Token::Malformed(tag));
            return true;
        };
        let args = src[name_end..close].trim();
        let args = args.strip_suffix('-').unwrap_or(args).trim_end();
        let tag = new_tag(Delim::Liquid, name, args, closing, at..close + 2, line);
        self.take(tag);
        true
    }

    fn shortcode(&mut self, delim: Delim) -> bool {
        let (src, at) = (self.src, self.pos);
        let b = src.as_bytes();
        let close_str = if delim == Delim::Angle { ">}}" } else { "%}}" };
        let mut i = skip_space(b, at + 3);
        if src[i..].starts_with("/*") {
            let needle = if delim == Delim::Angle {
                "*/>}}"
            } else {
                "*/%}}"
            };
            let Some(close) = self.closer(needle, i + 2) else {
                return false;
            };
            let token = Token::Escaped {
                delim,
                span: at..close + 5,
                inner: i + 2..close,
            };
            self.push(at..close + 5, token);
            return true;
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i = skip_space(b, i + 1);
        }
        if !b
            .get(i)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        {
            return false;
        }
        let name_end = i + b[i..].iter().take_while(|&&c| is_hugo_name(c)).count();
        let name = &src[i..name_end];
        let line = self.line;
        let Some(close) = self.closer(close_str, name_end) else {
            let tag = new_tag(delim, name, "", closing, at..name_end, line);
            self.push(at..name_end, Token::Malformed(tag));
            return true;
        };
        let mut args = src[name_end..close].trim();
        let self_closing = args.ends_with('/');
        if self_closing {
            args = args[..args.len() - 1].trim_end();
        }
        let mut tag = new_tag(delim, name, args, closing, at..close + 3, line);
        tag.self_closing = self_closing;
        self.take(tag);
        true
    }

    /// A complete tag: verbatim ones take their content and closing tag along.
    fn take(&mut self, tag: Tag<'a>) {
        let family = tag.delim.family();
        let verbatim =
            !tag.closing && !tag.self_closing && kind(family, tag.name) == Some(Kind::Verbatim);
        if verbatim {
            let (src, from, name) = (self.src, tag.span.end, tag.name);
            let end = self
                .ends
                .entry((family, name))
                .or_default()
                .get(from, |f| match family {
                    Family::Liquid => find_end(src, f, "{%", |at| liquid_end_at(src, at, name)),
                    Family::Hugo => find_end(src, f, "{{", |at| hugo_end_at(src, at, name)),
                });
            if let Some((content_end, end)) = end {
                let span = tag.span.start..end;
                let content = tag.span.end..content_end;
                self.push(span, Token::Verbatim { tag, content, end });
                return;
            }
        }
        self.push(tag.span.clone(), Token::Tag(tag));
    }
}

fn new_tag<'a>(
    delim: Delim,
    name: &'a str,
    args: &'a str,
    closing: bool,
    span: Range<usize>,
    line: usize,
) -> Tag<'a> {
    Tag {
        delim,
        name,
        args,
        closing,
        self_closing: false,
        span,
        line,
    }
}

fn is_liquid_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn is_hugo_name(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'/' | b'.')
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| c == b' ' || c == b'\t') {
        i += 1;
    }
    i
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&c| c == b'\n').count()
}

fn line_end(src: &str, from: usize) -> usize {
    src.as_bytes()[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(src.len(), |i| from + i)
}

/// The next line of only spaces and tabs after `from`: `(its newline before, its end)`.
fn find_blank_line(src: &str, from: usize) -> Option<(usize, usize)> {
    let b = src.as_bytes();
    let mut i = from;
    while let Some(nl) = b[i..].iter().position(|&c| c == b'\n').map(|k| i + k) {
        let j = skip_blanks(b, nl + 1);
        if j >= b.len() || b[j] == b'\n' {
            return Some((nl, j));
        }
        i = nl + 1;
    }
    None
}

/// Columns of indentation (a tab goes to the next multiple of 4) and its length in bytes.
fn indentation(line: &str) -> (usize, usize) {
    let mut columns = 0;
    for (i, c) in line.bytes().enumerate() {
        match c {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => return (columns, i),
        }
    }
    (columns, line.len())
}

/// The width of a list marker and the spaces after it, when `rest` starts with one.
fn list_marker(rest: &str) -> Option<usize> {
    let b = rest.as_bytes();
    let marker = if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        let digits = b.iter().take(10).take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&digits) || !matches!(b.get(digits), Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    };
    match b.get(marker) {
        None => Some(marker + 1),
        Some(b' ' | b'\t') => {
            let spaces = b[marker..]
                .iter()
                .take(5)
                .take_while(|&&c| c == b' ')
                .count();
            Some(marker + if (1..=4).contains(&spaces) { spaces } else { 1 })
        }
        _ => None,
    }
}

/// The length of the container prefix of a line: indentation, `>` of block
/// quotes and list markers.
fn container_prefix_len(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        match b.get(i) {
            Some(b' ' | b'\t' | b'>') => i += 1,
            Some(_) => match list_marker(&line[i..]) {
                Some(_) => {
                    let marker = b[i..]
                        .iter()
                        .take_while(|c| !c.is_ascii_whitespace())
                        .count();
                    i += marker;
                    if b.get(i).is_none() {
                        return i;
                    }
                }
                None => return i,
            },
            None => return i,
        }
    }
}

/// An opening code fence: its character and length.
fn fence_open(line: &str) -> Option<(u8, usize)> {
    let rest = &line[container_prefix_len(line)..];
    let fence = *rest
        .as_bytes()
        .first()
        .filter(|&&c| c == b'`' || c == b'~')?;
    let len = rest.bytes().take_while(|&c| c == fence).count();
    let info_ok = fence == b'~' || !rest[len..].contains('`');
    (len >= 3 && info_ok).then_some((fence, len))
}

/// The end (after its newline) of the line that closes a fence opened on the
/// line ending at `from`; the end of the text when none does.
fn fence_end(src: &str, from: usize, fence: u8, len: usize) -> usize {
    let mut i = from;
    while i < src.len() {
        let start = i + 1;
        let end = line_end(src, start);
        let line = &src[start..end];
        let rest = &line[container_prefix_len(line)..];
        let run = rest.bytes().take_while(|&c| c == fence).count();
        if run >= len && rest[run..].trim().is_empty() {
            return (end + 1).min(src.len());
        }
        i = end;
    }
    src.len()
}

/// The end of an indented code block whose first line ends at `from`: the
/// following lines indented at least `min`, blank lines between included.
fn indented_code_end(src: &str, from: usize, min: usize) -> usize {
    let mut end = (from + 1).min(src.len());
    let mut i = end;
    while i < src.len() {
        let line_end = line_end(src, i);
        let line = &src[i..line_end];
        let next = (line_end + 1).min(src.len());
        let (indent, content) = indentation(line);
        if content < line.len() {
            if indent < min {
                break;
            }
            end = next;
        }
        i = next;
    }
    end
}

/// Finds the closing tag of a verbatim construct: `(its start, its end)`.
fn find_end(
    src: &str,
    from: usize,
    opener: &str,
    end_at: impl Fn(usize) -> Option<usize>,
) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(k) = src[i..].find(opener) {
        let at = i + k;
        if let Some(end) = end_at(at) {
            return Some((at, end));
        }
        i = at + opener.len();
    }
    None
}

/// `{% endname %}` at `at`: its end.
fn liquid_end_at(src: &str, at: usize, name: &str) -> Option<usize> {
    let b = src.as_bytes();
    let mut j = at + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    j = skip_blanks(b, j);
    let rest = src[j..].strip_prefix("end")?.strip_prefix(name)?;
    j = src.len() - rest.len();
    if b.get(j).is_some_and(|&c| is_liquid_name(c)) {
        return None;
    }
    j = skip_blanks(b, j);
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    src[j..].starts_with("%}").then_some(j + 2)
}

/// `{{< /name >}}` or `{{% /name %}}` at `at`: its end.
fn hugo_end_at(src: &str, at: usize, name: &str) -> Option<usize> {
    let b = src.as_bytes();
    let close = match b.get(at + 2) {
        Some(b'<') => ">}}",
        Some(b'%') => "%}}",
        _ => return None,
    };
    let mut j = skip_space(b, at + 3);
    if b.get(j) != Some(&b'/') {
        return None;
    }
    j = skip_space(b, j + 1);
    let rest = src[j..].strip_prefix(name)?;
    j = src.len() - rest.len();
    if b.get(j).is_some_and(|&c| is_hugo_name(c)) {
        return None;
    }
    j = skip_space(b, j);
    src[j..].starts_with(close).then_some(j + 3)
}

// ---------------------------------------------------------------------------
// Pairing

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Not a tag token.
    Pass,
    /// A tag rendered on its own.
    Single,
    /// Opens the pair closed by the token at this index.
    Open(usize),
    /// Closes the pair opened by the token at this index.
    Close(usize),
    /// An unknown tag: a placeholder.
    Placeholder,
    /// A known paired tag that is never closed: text.
    Unclosed,
    /// A closing tag with nothing to close: text.
    Unmatched,
}

/// Pairs opening and closing tags with a stack. Each tag is pushed and
/// popped at most once, so this is linear however the tags are nested.
fn roles(tokens: &[Token]) -> Vec<Role> {
    let mut roles = vec![Role::Pass; tokens.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut open: HashMap<(Family, &str), usize> = HashMap::new();
    let unpaired = |tag: &Tag| match kind(tag.delim.family(), tag.name) {
        Some(_) => Role::Unclosed,
        None => Role::Placeholder,
    };
    for (i, token) in tokens.iter().enumerate() {
        let Token::Tag(tag) = token else { continue };
        let key = (tag.delim.family(), tag.name);
        if tag.closing {
            if open.get(&key).copied().unwrap_or(0) == 0 {
                roles[i] = match kind(key.0, key.1) {
                    Some(_) => Role::Unmatched,
                    None => Role::Placeholder,
                };
                continue;
            }
            while let Some(j) = stack.pop() {
                let Token::Tag(opener) = &tokens[j] else {
                    continue;
                };
                let opener_key = (opener.delim.family(), opener.name);
                if let Some(count) = open.get_mut(&opener_key) {
                    *count -= 1;
                }
                if opener_key == key {
                    roles[j] = Role::Open(i);
                    roles[i] = Role::Close(j);
                    break;
                }
                roles[j] = unpaired(opener);
            }
            continue;
        }
        roles[i] = match kind(key.0, key.1) {
            Some(Kind::Single) => Role::Single,
            // Its closing tag was not found when the lexer looked for it.
            Some(Kind::Verbatim) => Role::Unclosed,
            Some(Kind::Paired) if tag.self_closing => Role::Single,
            None if tag.self_closing => Role::Placeholder,
            Some(Kind::Paired) | None => {
                stack.push(i);
                *open.entry(key).or_default() += 1;
                continue;
            }
        };
    }
    for j in stack {
        if let Token::Tag(opener) = &tokens[j] {
            roles[j] = unpaired(opener);
        }
    }
    roles
}

// ---------------------------------------------------------------------------
// Rendering

/// The HTML of one construct and where it goes.
enum Out {
    /// Inside the line, as inline HTML (text escaped for Markdown too).
    Inline(String),
    /// Alone between blank lines, as an HTML block.
    Block(String),
}

/// A pair being rendered; tabs collect `<!-- tab … -->` markers.
struct Open {
    tabs: Option<Tabs>,
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

struct Renderer<'s> {
    src: &'s str,
    markdown: bool,
    first_line: usize,
    out: String,
    lines: LineCache,
    report: Report,
    summary: Summary,
}

impl<'s> Renderer<'s> {
    fn render(&mut self, tokens: &[Token<'s>], roles: &[Role]) {
        let mut open: Vec<Open> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Text(range) => match open.last_mut() {
                    Some(Open { tabs: Some(tabs) }) => self.tab_text(range.clone(), tabs),
                    _ => self.out.push_str(&self.src[range.clone()]),
                },
                Token::Code(range) => {
                    let code = unescape_shortcodes(&self.src[range.clone()]);
                    self.count_literal(&code);
                    self.out.push_str(&code);
                }
                Token::Escaped { delim, span, inner } => {
                    self.tally(*delim).text += 1;
                    let (open, close) = match delim {
                        Delim::Angle => ("{{<", ">}}"),
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
                        let state = open.pop().unwrap_or(Open { tabs: None });
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
                        let message = format!(
                            "`{}` closes no open `{}`; it is shown as text",
                            closing_subject(tag),
                            subject(tag)
                        );
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
                self.out.push_str(&html);
                self.pad(span, &html);
            }
            Out::Block(html) if !self.markdown => {
                self.out.push_str(&html);
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
        self.out.push_str(html);
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
            "link" => {
                let at = words.iter().position(|w| looks_like_url(w))?;
                let mut rest = &words[at + 1..];
                if rest.first().is_some_and(|w| w == "true" || w == "false") {
                    rest = &rest[1..];
                }
                let text = words[..at].join(" ");
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
                let parts: Vec<&str> = tag.args.split(',').map(unquote).collect();
                let url = parts.first().copied().filter(|u| !u.is_empty())?;
                let text = parts
                    .get(1)
                    .copied()
                    .filter(|t| !t.is_empty())
                    .unwrap_or(url);
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
                            html.push_str(&escape_html(caption));
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
                Out::Inline(escape_inline(path))
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
        let html = match (tag.delim.family(), tag.name) {
            (Family::Liquid, "note") => {
                let words = words(tag.args);
                let style = words.iter().find_map(|w| note_kind(w));
                aside(style.unwrap_or("default"), None)
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
            (Family::Liquid, "hideToggle") => {
                let display = unquote(tag.args.split(',').next().unwrap_or(""));
                let display = if display.is_empty() { "…" } else { display };
                format!("<details><summary>{}</summary>", escape_html(display))
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
            _ => {
                self.tally(tag.delim).placeholders += 1;
                self.unknown(tag);
                self.placeholder(tag);
                return Open { tabs: None };
            }
        };
        self.emit(tag.span.clone(), Out::Block(html));
        Open { tabs }
    }

    fn close(&mut self, opener: &Tag, tag: &Tag, state: Open) {
        let html = match (opener.delim.family(), opener.name) {
            (Family::Liquid, "note" | "message") | (Family::Hugo, _)
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
            (Family::Liquid, "hideToggle") => "</details>".to_owned(),
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
        self.tally(tag.delim).rendered += 1;
        let span = tag.span.start..end;
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
            _ => format!(
                r#"<p><span class="math math-display">{}</span></p>"#,
                escape_html(&code)
            ),
        };
        self.emit(span, Out::Block(html));
    }

    /// The content of a verbatim tag: without the rest of the opening line
    /// and the indentation of the closing one, dedented by the opening tag's
    /// container prefix.
    fn code_content(&mut self, tag: &Tag, content: Range<usize>) -> String {
        let mut code = &self.src[content];
        if let Some(nl) = code.find('\n') {
            if code[..nl].trim().is_empty() {
                code = &code[nl + 1..];
            }
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
                html.push_str(&format!(
                    r#"<details class="tab"{open}><summary>{}</summary>"#,
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

fn aside(kind: &str, title: Option<&str>) -> String {
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
    }
}

fn closing_subject(tag: &Tag) -> String {
    let name = short(tag.name);
    match tag.delim {
        Delim::Liquid => format!("{{% end{name} %}}"),
        Delim::Angle => format!("{{{{< /{name} >}}}}"),
        Delim::Percent => format!("{{{{% /{name} %}}}}"),
    }
}

/// Author text quoted in a message: at most 60 characters.
fn short(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Inside code, Hugo's escapes `{{</* x */>}}` read as what they show: `{{< x >}}`.
fn unescape_shortcodes(code: &str) -> Cow<'_, str> {
    if !code.contains("/*") {
        return Cow::Borrowed(code);
    }
    let mut out = Cow::Borrowed(code);
    for (open, close, shown_open, shown_close) in [
        ("{{</*", "*/>}}", "{{<", ">}}"),
        ("{{%/*", "*/%}}", "{{%", "%}}"),
    ] {
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
// Arguments

/// Hexo's arguments: separated by white space; a quoted part (`"…"` or
/// `'…'`) keeps its spaces and loses its quotes.
fn words(args: &str) -> Vec<String> {
    let b = args.as_bytes();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut started = false;
    // A quote with no partner: every later one of that kind has none either.
    let mut unpaired = [false, false];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            if started {
                out.push(std::mem::take(&mut word));
                started = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let slot = usize::from(c == b'\'');
            if !unpaired[slot] {
                match args[i + 1..].find(c as char) {
                    Some(k) => {
                        word.push_str(&args[i + 1..i + 1 + k]);
                        started = true;
                        i += k + 2;
                        continue;
                    }
                    None => unpaired[slot] = true,
                }
            }
        }
        let ch = args[i..].chars().next().unwrap_or(' ');
        word.push(ch);
        started = true;
        i += ch.len_utf8();
    }
    if started {
        out.push(word);
    }
    out
}

/// A comma-separated part with its spaces and quotes removed.
fn unquote(part: &str) -> &str {
    let part = part.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = part.strip_prefix(quote).and_then(|p| p.strip_suffix(quote)) {
            return inner.trim();
        }
    }
    part
}

/// Hugo's arguments: `name="value"` pairs or positional values, quoted with
/// `"…"` (backslash escapes) or `` `…` ``, or bare.
struct Params {
    positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Params {
    fn parse(args: &str) -> Params {
        let b = args.as_bytes();
        let mut params = Params {
            positional: Vec::new(),
            named: Vec::new(),
        };
        let mut i = 0;
        loop {
            i = skip_space(b, i);
            if i >= b.len() {
                break;
            }
            let key_len = b[i..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                .count();
            if key_len > 0 && b.get(i + key_len) == Some(&b'=') {
                let key = args[i..i + key_len].to_owned();
                let (value, next) = value(args, i + key_len + 1);
                params.named.push((key, value));
                i = next;
            } else {
                let (value, next) = value(args, i);
                params.positional.push(value);
                i = next;
            }
        }
        params
    }

    fn named(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The named value, or else the positional one at `index`.
    fn get(&self, key: &str, index: usize) -> Option<&str> {
        self.named(key)
            .or_else(|| self.positional.get(index).map(String::as_str))
    }
}

/// One value at `i`: quoted, raw or bare; returns it and where it ends.
fn value(args: &str, i: usize) -> (String, usize) {
    let b = args.as_bytes();
    match b.get(i) {
        Some(b'"') => {
            let mut out = String::new();
            let mut chars = args[i + 1..].char_indices();
            while let Some((k, c)) = chars.next() {
                match c {
                    '"' => return (out, i + 1 + k + 1),
                    '\\' => match chars.next() {
                        Some((_, escaped)) => out.push(escaped),
                        None => break,
                    },
                    c => out.push(c),
                }
            }
            (out, args.len())
        }
        Some(b'`') => match args[i + 1..].find('`') {
            Some(k) => (args[i + 1..i + 1 + k].to_owned(), i + k + 2),
            None => (args[i + 1..].to_owned(), args.len()),
        },
        _ => {
            let len = b[i..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace())
                .count();
            (args[i..i + len].to_owned(), i + len)
        }
    }
}

struct Image {
    src: String,
    alt: Option<String>,
    title: Option<String>,
    width: Option<String>,
    height: Option<String>,
}

/// Hexo's `{% img [class names] /path/to/image [width] [height] '"title text" "alt text"' %}`
/// (and `asset_img`, whose image is an asset of the post, relative to its page).
fn hexo_img(words: &[String], asset: bool) -> Option<Image> {
    let is_src = |w: &str| w.contains(['/', '.', ':']);
    let at = words
        .iter()
        .position(|w| is_src(w))
        .or_else(|| (asset && !words.is_empty()).then_some(0))?;
    let mut rest = &words[at + 1..];
    let mut size = [None, None];
    for slot in &mut size {
        if let Some(n) = rest.first().and_then(|w| digits(w)) {
            *slot = Some(n);
            rest = &rest[1..];
        }
    }
    let meta = rest.join(" ");
    let (title, alt) = title_and_alt(&meta);
    let [width, height] = size;
    Some(Image {
        src: words[at].clone(),
        alt: alt.or_else(|| title.clone()),
        title,
        width,
        height,
    })
}

/// Hexo's `rMeta`: `"title" "alt"`, quotes optional.
fn title_and_alt(meta: &str) -> (Option<String>, Option<String>) {
    let mut parts = meta
        .split(['"', '\''])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let title = parts.next().map(str::to_owned);
    let alt = parts.next().map(str::to_owned);
    (title, alt)
}

/// `{% image src [description] [key:value…] %}` (Stellar) or
/// `{% image src, alt=…, width=… %}` (Volantis).
fn stellar_image(args: &str) -> Option<Image> {
    let (src, rest): (String, Vec<String>) = if args.contains(',') {
        let mut parts = args.split(',').map(|p| unquote(p).to_owned());
        (parts.next()?, parts.collect())
    } else {
        let mut words = words(args).into_iter();
        (words.next()?, words.collect())
    };
    if src.is_empty() {
        return None;
    }
    let mut alt = Vec::new();
    let mut width = None;
    for part in &rest {
        match part.split_once(['=', ':']) {
            Some((key, value)) if key == "alt" || key == "title" => alt.push(value.to_owned()),
            Some(("width", value)) => width = digits(value),
            Some((
                "height" | "bg" | "padding" | "ratio" | "fancybox" | "download" | "style",
                _,
            )) => {}
            _ => alt.push(part.clone()),
        }
    }
    let alt = alt.join(" ");
    Some(Image {
        src,
        alt: (!alt.is_empty()).then_some(alt),
        title: None,
        width,
        height: None,
    })
}

fn digits(word: &str) -> Option<String> {
    let word = word.strip_suffix("px").unwrap_or(word);
    (!word.is_empty() && word.len() <= 6 && word.bytes().all(|c| c.is_ascii_digit()))
        .then(|| word.to_owned())
}

fn looks_like_url(word: &str) -> bool {
    let scheme = word.split_once(':').is_some_and(|(s, rest)| {
        !s.is_empty()
            && !rest.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    scheme || word.starts_with('/') || word.starts_with("www.") || word.starts_with('#')
}

/// An id or name as one URL path segment (or query value).
fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Escaping

/// Text and attribute values in generated HTML: `& < > "` as references,
/// and newlines as `&#10;` so that the HTML stays on one line.
fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    s.chars().for_each(|c| push_html_escaped(c, &mut out));
    out
}

fn push_html_escaped(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\n' => out.push_str("&#10;"),
        c => out.push(c),
    }
}

/// Text that sits inside a Markdown paragraph: as [`escape_html`], and the
/// punctuation Markdown reads as syntax as numeric references, so that it
/// stays the author's text.
fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 4);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '~' | '$' | '|' | '!' | '#' | '{'
            | '}' | '\'' | '+' | '-' | '=' | '^' | ':' => out.push_str(&format!("&#{};", c as u32)),
            c => push_html_escaped(c, &mut out),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Diagnostics

/// At most this many diagnostics come from one body; the rest are counted.
const MAX_DIAGNOSTICS: usize = 64;

/// Diagnostics grouped by code and message, counted, at their first line.
#[derive(Default)]
struct Report {
    entries: Vec<(Severity, &'static str, String, usize, usize)>,
    index: HashMap<(&'static str, String), usize>,
    more: usize,
}

impl Report {
    fn warn(&mut self, code: &'static str, tag: &Tag, first_line: usize, message: String) {
        self.add(Severity::Warning, code, tag, first_line, message);
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
        if let Some(&i) = self.index.get(&(code, message.clone())) {
            self.entries[i].3 += 1;
        } else if self.entries.len() < MAX_DIAGNOSTICS {
            let line = first_line + tag.line - 1;
            self.index
                .insert((code, message.clone()), self.entries.len());
            self.entries.push((severity, code, message, 1, line));
        } else {
            self.more += 1;
        }
    }

    fn finish(self, diagnostics: &mut Diagnostics) {
        for (severity, code, message, count, line) in self.entries {
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            diagnostics.push(severity, code, format!("{message}{times}."), Some(line));
        }
        if self.more > 0 {
            diagnostics.info(
                "template.more-problems",
                format!(
                    "{} more problems with template tags were not listed.",
                    self.more
                ),
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stage's output for a Markdown body.
    fn expand_md(body: &str) -> (String, Vec<crate::Diagnostic>) {
        let mut diagnostics = Diagnostics::default();
        let out = run(body, true, 1, &mut diagnostics).0;
        (out, diagnostics.0)
    }

    /// The sanitized HTML of a Markdown body, through the whole pipeline.
    fn html(body: &str) -> String {
        crate::render(body).html
    }

    fn codes(body: &str) -> Vec<(&'static str, Option<usize>)> {
        crate::render(body)
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect()
    }

    #[test]
    fn a_note_is_an_aside_with_markdown_inside() {
        let out = html("{% note info %}\nSome **bold** text.\n{% endnote %}\n");
        assert_eq!(
            out,
            "<aside class=\"note note-info\">\n<p>Some <strong>bold</strong> text.</p>\n</aside>\n",
            "the note's content is still read as Markdown"
        );
        let inline = html("{% note warning %}Careful{% endnote %}");
        assert!(
            inline.contains(r#"<aside class="note note-warning">"#)
                && inline.contains("<p>Careful</p>"),
            "a note written on one line is a note too: {inline}"
        );
    }

    #[test]
    fn theme_styles_fold_into_six_kinds() {
        for (args, kind) in [
            ("purple 'fa-solid fa-wand-magic-sparkles'", "primary"),
            ("'fas fa-rocket' green", "success"),
            ("red no-icon", "danger"),
            ("flat", "default"),
        ] {
            let out = html(&format!("{{% note {args} %}}\nx\n{{% endnote %}}"));
            assert!(
                out.contains(&format!(r#"class="note note-{kind}""#)),
                "`{{% note {args} %}}` is a {kind} note: {out}"
            );
        }
    }

    #[test]
    fn code_stays_literal() {
        let body = "`{% note %}` and ``{{< figure src=x >}}``\n\n```md\n{% note info %}\nx\n{% endnote %}\n```\n\n~~~\n{{< youtube a >}}\n~~~\n\n    {% img /a.png %}\n";
        let (out, diagnostics) = expand_md(body);
        assert_eq!(
            out, body,
            "nothing inside code spans, fences or indented code changes"
        );
        assert!(
            diagnostics.is_empty(),
            "code is not diagnosed: {diagnostics:?}"
        );
        let summary = summarize(body, BodyFormat::Markdown);
        assert_eq!(
            (summary.liquid.text, summary.hugo.text),
            (3, 2),
            "the tags in code are counted as left as text"
        );
    }

    #[test]
    fn an_unclosed_code_span_does_not_hide_tags() {
        let out = html("a ` b {% btn /x, Go %}\n");
        assert!(
            out.contains(r#"<a class="btn" href="/x" rel="noopener noreferrer">Go</a>"#),
            "a lone backtick opens no code span: {out}"
        );
    }

    #[test]
    fn indented_list_content_is_not_indented_code() {
        let out = html(
            "1. Install:\n\n    {% codeblock lang:sh %}\n    npm i <x>\n    {% endcodeblock %}\n\n2. Next\n",
        );
        assert!(
            out.contains(
                "<li>\n<p>Install:</p>\n <pre><code class=\"language-sh\">npm i &lt;x&gt;</code></pre>\n</li>"
            ),
            "a code block in a list item stays in the item and loses its indentation: {out}"
        );
    }

    #[test]
    fn codeblock_has_caption_link_and_escaped_content() {
        let out = html(
            "{% codeblock _.compact http://underscorejs.org/#compact Underscore.js %}\n_.compact([0, 1]) // <script>alert(1)</script>\n\n=> [1]\n{% endcodeblock %}\n",
        );
        assert_eq!(
            out,
            "<figure><figcaption><span>_.compact</span> <a href=\"http://underscorejs.org/#compact\" rel=\"noopener noreferrer\">Underscore.js</a></figcaption><pre><code>_.compact([0, 1]) // &lt;script&gt;alert(1)&lt;/script&gt;\n\n=&gt; [1]</code></pre></figure>\n",
            "the caption and link become a figcaption, the code is text, blank lines included"
        );
        let lang = html("{% code lang:rust %}\nfn main() {}\n{% endcode %}");
        assert_eq!(
            lang, "<pre><code class=\"language-rust\">fn main() {}</code></pre>\n",
            "without a caption a code block is a plain pre"
        );
    }

    #[test]
    fn highlight_in_jekyll_and_hugo() {
        let jekyll = html("{% highlight ruby linenos %}\ndef x; end\n{% endhighlight %}");
        let hugo =
            html("{{< highlight ruby \"linenos=table\" >}}\ndef x; end\n{{< / highlight >}}");
        let expected = "<pre><code class=\"language-ruby\">def x; end</code></pre>\n";
        assert_eq!(jekyll, expected, "Jekyll's highlight is a code block");
        assert_eq!(hugo, expected, "Hugo's highlight is the same code block");
    }

    #[test]
    fn raw_content_is_not_processed() {
        let (out, _) = expand_md("{% raw %}{{ page.title }} {% note %}{% endraw %}");
        assert_eq!(
            out, "{{ page.title }} {% note %}",
            "raw content is passed on as written"
        );
        let (out, _) = expand_md("Hello {{ page.title }}");
        assert_eq!(
            out, "Hello {{ page.title }}",
            "a Liquid variable is left as text"
        );
    }

    #[test]
    fn blockquote_footer_follows_hexo() {
        for (args, footer) in [
            (
                "David Levithan, Wide Awake",
                "<footer><strong>David Levithan</strong> <cite>Wide Awake</cite></footer>",
            ),
            (
                "@DevDocs https://twitter.com/devdocs/status/356095192085962752",
                "<footer><strong>@DevDocs</strong> <cite><a href=\"https://twitter.com/devdocs/status/356095192085962752\" rel=\"noopener noreferrer\">twitter.com/devdocs/status/356095192085962752</a></cite></footer>",
            ),
            ("", ""),
        ] {
            let out = html(&format!(
                "{{% blockquote {args} %}}\nQuote.\n{{% endblockquote %}}"
            ));
            assert_eq!(
                out,
                format!("<blockquote>\n<p>Quote.</p>\n{footer}</blockquote>\n"),
                "`{args}` gives the footer Hexo writes"
            );
        }
        let pull = html("{% pullquote left %}\nBig words.\n{% endpullquote %}");
        assert!(
            pull.starts_with(r#"<blockquote class="pullquote">"#),
            "{pull}"
        );
    }

    #[test]
    fn tabs_are_details_with_the_active_one_open() {
        let out = html(
            "{% tabs demo, 2 %}\n<!-- tab -->\n**one**\n<!-- endtab -->\n<!-- tab Second @fas fa-bomb -->\ntwo\n<!-- endtab -->\n{% endtabs %}",
        );
        assert_eq!(
            out,
            "<div class=\"tabs\">\n<details class=\"tab\"><summary>demo 1</summary>\n<p><strong>one</strong></p>\n</details>\n<details class=\"tab\" open=\"\"><summary>Second</summary>\n<p>two</p>\n</details>\n</div>\n",
            "each tab is a details element named by its caption, the icon left out"
        );
    }

    #[test]
    fn nested_tabs_keep_their_own_markers() {
        let out = html(
            "{% tabs outer %}\n<!-- tab A -->\n{% subtabs inner %}\n<!-- tab B -->\nb\n<!-- endtab -->\n{% endsubtabs %}\n<!-- endtab -->\n{% endtabs %}",
        );
        let outer = out.find("<summary>A</summary>").expect("the outer tab");
        let inner = out.find("<summary>B</summary>").expect("the inner tab");
        assert!(
            outer < inner,
            "the inner tabs sit inside the outer tab: {out}"
        );
        assert_eq!(out.matches("</details>").count(), 2, "{out}");
    }

    #[test]
    fn hide_toggle_and_message() {
        let out = html("{% hideToggle Show me,bg,color %}\nhidden\n{% endhideToggle %}");
        assert_eq!(
            out,
            "<details><summary>Show me</summary>\n<p>hidden</p>\n</details>\n"
        );
        let out = html("{% message warning \"title:Read this\" size:small %}\nx\n{% endmessage %}");
        assert!(
            out.starts_with(
                r#"<aside class="note note-warning"><p><strong>Read this</strong></p>"#
            ),
            "Icarus's message is a note with a title: {out}"
        );
    }

    #[test]
    fn inline_tags_stay_in_their_paragraph() {
        let out = html(
            "See {% post_link hello-world 'Hello *World*' %}, {% link Hexo https://hexo.io true The site %} and {% btn 'https://a.example/',Go,far fa-x,outline %}.",
        );
        assert_eq!(
            out,
            "<p>See Hello *World*, <a href=\"https://hexo.io\" title=\"The site\" rel=\"noopener noreferrer\">Hexo</a> and <a class=\"btn\" href=\"https://a.example/\" rel=\"noopener noreferrer\">Go</a>.</p>\n",
            "post_link is its title as text, link and btn are links"
        );
    }

    #[test]
    fn images_from_img_asset_img_and_figure() {
        let out = html(
            "{% img \"box px-0\" /a.png 360 '\"Get Code\" \"The code\"' %}\n\n{% asset_img diagram.png A diagram %}",
        );
        assert!(
            out.contains(r#"<img src="/a.png" alt="The code" title="Get Code" width="360""#),
            "img has title, alt and width, and no classes: {out}"
        );
        assert!(
            out.contains(r#"<img src="diagram.png" alt="A diagram" title="A diagram""#),
            "asset_img is relative to the post: {out}"
        );
        let based = crate::render_with_options(
            "{% asset_img diagram.png %}",
            &crate::Options {
                base_url: Some("https://blog.example/2024/post/".into()),
                ..crate::Options::default()
            },
        )
        .unwrap();
        assert_eq!(
            based.images[0].src, "https://blog.example/2024/post/diagram.png",
            "with baseUrl an asset resolves against the post's address"
        );
        let figure = html(
            "{{< figure src=\"/p.png\" link=\"/big.png\" title=\"Pipeline\" caption=\"How it flows\" >}}",
        );
        assert_eq!(
            figure,
            "<figure><a href=\"/big.png\" rel=\"noopener noreferrer\"><img src=\"/p.png\" alt=\"How it flows\" loading=\"lazy\" decoding=\"async\" referrerpolicy=\"no-referrer\"></a><figcaption><p><strong>Pipeline</strong></p><p>How it flows</p></figcaption></figure>\n",
            "Hugo's figure, with its title in strong rather than a heading the outline would pick up"
        );
    }

    #[test]
    fn embeds_are_link_cards_never_frames() {
        for (tag, href) in [
            (
                "{% youtube yaqe1qesQ8c %}",
                "https://www.youtube.com/watch?v=yaqe1qesQ8c",
            ),
            (
                "{% youtube PL123 playlist %}",
                "https://www.youtube.com/playlist?list=PL123",
            ),
            ("{% vimeo 82090131 %}", "https://vimeo.com/82090131"),
            (
                "{% iframe https://example.com/demo 100% 300 %}",
                "https://example.com/demo",
            ),
            (
                "{{< youtube id=\"w7Ft2ymGmfc\" >}}",
                "https://www.youtube.com/watch?v=w7Ft2ymGmfc",
            ),
            ("{{< vimeo 146022717 >}}", "https://vimeo.com/146022717"),
            (
                "{{< tweet user=\"GoHugoIO\" id=\"917359331535966209\" >}}",
                "https://x.com/GoHugoIO/status/917359331535966209",
            ),
            (
                "{{< gist spf13 7896402 >}}",
                "https://gist.github.com/spf13/7896402",
            ),
            (
                "{% youtube \"a b<\" %}",
                "https://www.youtube.com/watch?v=a%20b%3C",
            ),
        ] {
            let out = html(tag);
            assert!(
                out.contains(&format!("href=\"{href}\"")),
                "{tag} links to {href}: {out}"
            );
            assert!(!out.contains("<iframe"), "{tag} embeds nothing");
        }
    }

    #[test]
    fn hugo_notices_and_markdown_shortcodes() {
        let out = html("{{% notice warning \"Mind the gap\" %}}\n- a\n- b\n{{% /notice %}}");
        assert_eq!(
            out,
            "<aside class=\"note note-warning\"><p><strong>Mind the gap</strong></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</aside>\n",
            "a {{% %}} shortcode keeps its Markdown"
        );
        let out = html("{{< admonition tip >}}\nx\n{{< /admonition >}}");
        assert!(
            out.starts_with(r#"<aside class="note note-success"><p><strong>Tip</strong></p>"#),
            "an admonition's title defaults to its type: {out}"
        );
        let out = html("{{< alert theme=\"danger\" >}}\nx\n{{< /alert >}}");
        assert!(
            out.starts_with(r#"<aside class="note note-danger">"#),
            "{out}"
        );
        let out = html("{{% box %}}\n**bold**\n{{% /box %}}");
        assert!(
            out.contains("<strong>bold</strong>") && out.matches("template-tag").count() == 2,
            "an unknown paired shortcode shows placeholders around its rendered Markdown: {out}"
        );
    }

    #[test]
    fn references_are_text() {
        let out =
            html("[About]({{< ref \"posts/about-me.md\" >}}) and {% post_url 2010-07-21-name %}");
        assert_eq!(
            out,
            "<p><a href=\"posts/about-me.md\" rel=\"noopener noreferrer\">About</a> and 2010-07-21-name</p>\n",
            "ref gives its path, which still works as a link destination"
        );
    }

    #[test]
    fn math_tags_are_display_math() {
        let out = html("{% mathjax %}\n\\frac{1}{x^2-1} < 2\n{% endmathjax %}");
        assert_eq!(
            out,
            "<p><span class=\"math math-display\">\\frac{1}{x^2-1} &lt; 2</span></p>\n"
        );
    }

    #[test]
    fn unknown_tags_are_visible_placeholders() {
        let out = html("Version {{< version 0.2 >}} and {% label hi <b>x</b> %}.");
        assert_eq!(
            out,
            "<p>Version <span class=\"template-tag\">{{&lt; version 0.2 &gt;}}</span> and <span class=\"template-tag\">{% label hi &lt;b&gt;x&lt;/b&gt; %}</span>.</p>\n",
            "unknown tags are shown as escaped text in a placeholder"
        );
        assert_eq!(
            codes("a\n\n{% label x %}\n{% label y %}\n"),
            [("template.unknown-tag", Some(3))],
            "one diagnostic per unknown tag, at its first line"
        );
        let include = crate::render("{% include footer.html %}");
        assert!(include.html.contains("template-tag"), "{}", include.html);
        assert_eq!(include.diagnostics[0].code, "template.include");
    }

    #[test]
    fn unclosed_and_malformed_tags_are_text() {
        let body = "---\ntitle: x\n---\n{% note info %}\nnever closed\n\n{% note\n\n{% endtabs %}";
        let rendered = crate::render(body);
        assert_eq!(
            rendered.html,
            "<p>{% note info %}\nnever closed</p>\n<p>{% note</p>\n<p>{% endtabs %}</p>\n",
            "what cannot be paired is shown as the author wrote it"
        );
        let diagnostics: Vec<_> = rendered
            .diagnostics
            .iter()
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(
            diagnostics,
            [
                ("template.unclosed-tag", Some(4)),
                ("template.unclosed-tag", Some(7)),
                ("template.unmatched-tag", Some(9)),
            ],
            "each is diagnosed at its line in the file"
        );
    }

    #[test]
    fn messages_quote_at_most_a_little_of_the_tag() {
        let long = "n".repeat(100_000);
        for body in [
            format!("{{% {long} %}}"),
            format!("{{% {long}"),
            format!("{{% include {long} %}}"),
        ] {
            let rendered = crate::render(&body);
            let message = &rendered.diagnostics[0].message;
            assert!(
                message.len() < 300,
                "a 100 000-character tag gives a short message: {}",
                &message[..300.min(message.len())]
            );
        }
    }

    #[test]
    fn unsafe_urls_are_dropped_with_a_diagnostic() {
        let body = "{% link Click javascript:alert(1) %} {% btn javascript:alert(1),Go %} {% img data:text/html,x %}\n\n{{< figure src=\"/a.png\" link=\"vbscript:x\" >}}";
        let rendered = crate::render(body);
        assert!(
            !rendered.html.contains("javascript") && !rendered.html.contains("vbscript"),
            "no unsafe URL survives: {}",
            rendered.html
        );
        assert!(
            rendered.html.contains("Click"),
            "the link text stays: {}",
            rendered.html
        );
        assert_eq!(
            rendered
                .diagnostics
                .iter()
                .filter(|d| d.code == "template.unsafe-url")
                .count(),
            4,
            "every dropped URL is diagnosed"
        );
    }

    #[test]
    fn arguments_cannot_break_out_of_attributes() {
        let body = "{% img /a.png '\"x\\\" onerror=alert(1) \" \"y\" onload=\"z\"' %} {% link <script>x</script> /p \"a\" onclick=\"b\" %} {{< figure src=\"/a.png\\\" onerror=\\\"x\" >}}";
        let rendered = crate::render(body);
        assert!(
            rendered
                .diagnostics
                .iter()
                .all(|d| d.code != "sanitize.removed-event-handler"),
            "the generated HTML has no event handler for the sanitizer to remove: {}",
            rendered.html
        );
        assert!(!rendered.html.contains("<script"), "{}", rendered.html);
    }

    #[test]
    fn hugo_escapes_show_the_shortcode() {
        let out = html("Write {{</* figure src=\"x\" */>}}.\n\n```\n{{%/* notice */%}}\n```\n");
        assert_eq!(
            out,
            "<p>Write {{&lt; figure src=\"x\" &gt;}}.</p>\n<pre><code>{{% notice %}}\n</code></pre>\n",
            "an escaped shortcode shows as the shortcode, in text and in code"
        );
    }

    #[test]
    fn quotes_and_list_items_keep_block_output_inside() {
        let out =
            html("> {% note info %}\n> quoted\n> {% endnote %}\n\n- {% youtube abc %}\n- next\n");
        assert!(
            out.starts_with(
                "<blockquote>\n<aside class=\"note note-info\">\n<p>quoted</p>\n</aside>\n</blockquote>"
            ),
            "a note in a quote stays in the quote: {out}"
        );
        assert!(
            out.contains("<li><p class=\"video-card\">"),
            "a card in a list item stays in the item: {out}"
        );
    }

    #[test]
    fn html_bodies_keep_their_line_numbers() {
        let options = crate::Options {
            format: crate::Format::Html,
            ..crate::Options::default()
        };
        let body = "<div>\n{% codeblock lang:js %}\nvar a;\nvar b;\n{% endcodeblock %}\n{% note %}\n<p>x</p>\n{% endnote %}\n<p onclick=\"x()\">line 9</p>\n</div>";
        let rendered = crate::render_with_options(body, &options).unwrap();
        assert!(
            rendered
                .html
                .contains("<pre><code class=\"language-js\">var a;\nvar b;</code></pre>"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("<aside class=\"note note-default\">"),
            "{}",
            rendered.html
        );
        let handler = rendered
            .diagnostics
            .iter()
            .find(|d| d.code == "sanitize.removed-event-handler")
            .expect("the handler is reported");
        assert_eq!(
            handler.line,
            Some(9),
            "lines after a rendered tag still point at the file"
        );
    }

    #[test]
    fn text_mode_leaves_everything() {
        let options = crate::Options {
            templates: Templates::Text,
            ..crate::Options::default()
        };
        let rendered =
            crate::render_with_options("{% note %}\nx\n{% endnote %}", &options).unwrap();
        assert_eq!(rendered.html, "<p>{% note %}\nx\n{% endnote %}</p>\n");
        assert!(
            rendered.diagnostics.is_empty(),
            "text mode diagnoses nothing"
        );
    }

    #[test]
    fn summary_counts_each_outcome() {
        let body = "{% note %}\nx\n{% endnote %}\n{% img /a.png %}\n{% mermaid %}\ny\n{% endmermaid %}\n{% tabs %}\n`{% x %}`\n\n{{< figure src=a.png >}} {{< version >}} {{</* x */>}} {{% notice %}}";
        let summary = summarize(body, BodyFormat::Markdown);
        assert_eq!(
            summary.liquid,
            Tally {
                rendered: 2,
                placeholders: 1,
                text: 2
            },
            "note and img rendered, mermaid a placeholder, the unclosed tabs and the code left as text"
        );
        assert_eq!(
            summary.hugo,
            Tally {
                rendered: 1,
                placeholders: 1,
                text: 2
            },
            "figure rendered, version a placeholder, the escape and the unclosed notice text"
        );
    }

    /// Each finishes (a quadratic one would not, at this size, within the
    /// test run) with bounded diagnostics. How the time scales is measured
    /// by `cargo run --release --example limits`, not asserted here.
    #[test]
    fn pathological_inputs_finish() {
        let n = 100_000;
        let inputs = [
            "{%".repeat(n),
            "{% a ".repeat(n),
            "{% a %}".repeat(n),
            "{% codeblock %}\n".repeat(n),
            "{% raw %}".repeat(n),
            "{{< x ".repeat(n),
            "{{</* ".repeat(n),
            "` `` ``` ".repeat(n / 2),
            format!(
                "{}{}",
                "{% note %}\n".repeat(n / 2),
                "{% endnote %}\n".repeat(n / 2)
            ),
            format!("{}{}", "{% a %}".repeat(n / 2), "{% endb %}".repeat(n / 2)),
            format!("{{% tabs %}}\n{}{{% endtabs %}}", "<!-- tab ".repeat(n)),
            format!(
                "{}{}",
                " ".repeat(n),
                "{% note %}x{% endnote %}".repeat(n / 4)
            ),
            format!("{{% img {} %}}", "\"'".repeat(n)),
        ];
        for input in &inputs {
            let mut diagnostics = Diagnostics::default();
            let (out, _) = run(input, true, 1, &mut diagnostics);
            assert!(!out.is_empty(), "something comes out");
            assert!(
                diagnostics.0.len() <= MAX_DIAGNOSTICS + 1,
                "diagnostics are grouped and capped, not one per tag"
            );
        }
    }

    #[test]
    fn never_panics_on_fragments() {
        let pieces = [
            "{%",
            "%}",
            "{{<",
            ">}}",
            "{{%",
            "%}}",
            " note ",
            "endnote",
            "/",
            "*",
            "`",
            "```",
            "\n",
            "\n\n",
            "    ",
            "- ",
            "> ",
            "<!-- tab x -->",
            "<!-- endtab -->",
            "tabs",
            "codeblock",
            "raw",
            "endraw",
            "\"",
            "'",
            "é",
            "中",
            "highlight",
            "figure",
            "src=",
            ",",
            "\t",
            "-",
        ];
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut body = String::new();
            for _ in 0..24 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for markdown in [true, false] {
                let mut diagnostics = Diagnostics::default();
                let (_, _) = run(&body, markdown, 1, &mut diagnostics);
            }
            let rendered = crate::render(&body);
            assert!(!rendered.html.contains("<script"), "{body:?}");
            let again = crate::sanitize_html(&rendered.html, &crate::Options::default()).unwrap();
            assert_eq!(
                again, rendered.html,
                "the output of {body:?} is already clean"
            );
        }
    }
}
