//! Attribute lists: kramdown's `{: #id .class key="value"}` (Jekyll) and
//! goldmark's `{#id .class key=value}` (Hugo), on the line after a block,
//! and kramdown's after a span (`*word*{: .c}`, `![alt](a.png){: width="50%"}`).
//! kramdown's definitions `{:name: .class}` are remembered and referenced
//! by name (`{: name}`).
//!
//! A list's line is blanked before parsing ([`take_lines`]), which ends the
//! block above it as the generator does (a lazy line would otherwise join
//! a quote's paragraph or a table's rows), and then attached to the block
//! that ends on the line above, the outermost one ([`attach`]), or else
//! to the block that starts on the line below. What the attributes ask for
//! goes into the HTML; the article policy decides what stays, and a
//! diagnostic names what it will not keep (theme classes, `style`, event
//! handlers) so nothing is dropped silently. The syntax itself never shows.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd, html};

use crate::diagnostics::Note;
use crate::dialect::Syntax;
use crate::sanitize;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// What one attribute list asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct List {
    id: Option<String>,
    classes: Vec<String>,
    pairs: Vec<(String, String)>,
    /// kramdown: names of definitions to include.
    references: Vec<String>,
}

/// A block attribute list found on a line of its own.
#[derive(Debug)]
struct BlockList {
    /// Where its line starts and where the next line starts.
    line: Range<usize>,
    list: List,
}

/// The attribute lists taken out of the source.
#[derive(Debug, Default)]
pub struct Lines {
    blocks: Vec<BlockList>,
    /// kramdown's attribute list definitions, by name.
    definitions: HashMap<String, List>,
}

/// Theme classes that mean an alert, as the article policy knows them:
/// Chirpy's prompts (on a quote) and Minimal Mistakes' notices (on a
/// paragraph), the two kramdown themes whose demo posts use them most.
const ALERT_CLASSES: &[(&str, &str)] = &[
    ("prompt-tip", "tip"),
    ("prompt-info", "note"),
    ("prompt-warning", "warning"),
    ("prompt-danger", "caution"),
    ("notice", "note"),
    ("notice--primary", "important"),
    ("notice--info", "note"),
    ("notice--success", "tip"),
    ("notice--warning", "warning"),
    ("notice--danger", "caution"),
];

/// A class attribute's value with the theme classes that mean an alert
/// written as the alert classes the policy keeps; `None` when it has none.
pub fn with_alert_classes(value: &str) -> Option<String> {
    let mut changed = false;
    let mut classes: Vec<String> = Vec::new();
    for class in value.split_ascii_whitespace() {
        match ALERT_CLASSES.iter().find(|(theme, _)| *theme == class) {
            Some((_, kind)) => {
                changed = true;
                for alert in [
                    "markdown-alert".to_owned(),
                    format!("markdown-alert-{kind}"),
                ] {
                    if !classes.contains(&alert) {
                        classes.push(alert);
                    }
                }
            }
            None => classes.push(class.to_owned()),
        }
    }
    changed.then(|| classes.join(" "))
}

/// Blanks the lines that hold only an attribute list (outside fenced code)
/// and returns them.
pub fn take_lines<'s>(
    source: &'s str,
    syntax: Syntax,
    notes: &mut Vec<Note>,
) -> (std::borrow::Cow<'s, str>, Lines) {
    let mut lines = Lines::default();
    let mut blank: Vec<Range<usize>> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    // An open `{::comment}`: where it starts, and the lines it hides so far.
    let mut comment: Option<(usize, Vec<Range<usize>>)> = None;
    let mut at = 0;
    for line in crate::find::lines_inclusive(source) {
        let start = at;
        at += line.len();
        // Quote markers and indentation: a list may follow a block in a
        // quote or a list item.
        let content_start = line
            .bytes()
            .position(|b| !matches!(b, b'>' | b' ' | b'\t'))
            .unwrap_or(line.len());
        let content = line[content_start..].trim_end();
        if let Some(next) = fence_line(content, fence) {
            fence = next;
            continue;
        }
        let whole = start + content_start..start + content_start + content.len();
        // kramdown's `{::comment}` … `{:/comment}` hides the lines between.
        if let Some((_, hidden)) = &mut comment {
            hidden.push(whole);
            if matches!(content, "{:/comment}" | "{:/}") {
                blank.append(hidden);
                comment = None;
            }
            continue;
        }
        if syntax == Syntax::Kramdown && fence.is_none() && content == "{::comment}" {
            comment = Some((whole.start, vec![whole]));
            continue;
        }
        if fence.is_some() || !content.starts_with('{') || !content.ends_with('}') {
            continue;
        }
        let found = match syntax {
            Syntax::Kramdown => kramdown_line(content, whole.start, &mut lines, notes),
            Syntax::Goldmark => goldmark_line(content, whole.start, &mut lines),
            Syntax::Plain => false,
        };
        if found {
            blank.push(whole);
        }
    }
    if let Some((opened, _)) = comment {
        notes.push(Note::warn(
            "kramdown.unclosed-comment",
            "This `{::comment}` has no `{:/comment}` after it, so nothing was hidden.".to_owned(),
            opened,
        ));
    }
    blank.sort_by_key(|range| range.start);
    if blank.is_empty() {
        return (std::borrow::Cow::Borrowed(source), lines);
    }
    let mut out = String::with_capacity(source.len());
    let mut from = 0;
    for range in blank {
        out.push_str(&source[from..range.start]);
        out.extend(std::iter::repeat_n(' ', range.len()));
        from = range.end;
    }
    out.push_str(&source[from..]);
    // The blanked list kept its line; its place is where that line starts.
    for block in &mut lines.blocks {
        let line_start = out[..block.line.start].rfind('\n').map_or(0, |n| n + 1);
        block.line.start = line_start;
    }
    (std::borrow::Cow::Owned(out), lines)
}

/// The fence state after `content` when it opens or closes a fence:
/// `Some(state)`; `None` when it does neither.
pub(crate) fn fence_line(content: &str, open: Option<(u8, usize)>) -> Option<Option<(u8, usize)>> {
    let first = *content.as_bytes().first()?;
    if first != b'`' && first != b'~' {
        return None;
    }
    let run = content.bytes().take_while(|b| *b == first).count();
    if run < 3 {
        return None;
    }
    match open {
        None => Some(Some((first, run))),
        Some((c, n)) if c == first && run >= n && content[run..].trim().is_empty() => Some(None),
        Some(_) => None,
    }
}

/// A kramdown line `{: …}` (attribute list), `{:name: …}` (definition) or
/// `{::name … /}` (extension): whether it is taken out.
fn kramdown_line(content: &str, at: usize, lines: &mut Lines, notes: &mut Vec<Note>) -> bool {
    let Some(body) = content.strip_prefix("{:") else {
        return false;
    };
    let body = &body[..body.len() - 1];
    if let Some(extension) = body.strip_prefix(':') {
        // `{::options … /}`, `{::comment /}`: settings for kramdown itself.
        if extension.trim_end().ends_with('/') {
            notes.push(Note::info(
                "kramdown.extension-ignored",
                format!("The kramdown extension `{content}` has no effect here; it was left out."),
                at,
            ));
            return true;
        }
        return false;
    }
    let name_len = body
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    if name_len > 0 && body[name_len..].starts_with(':') {
        let name = &body[..name_len];
        match parse(&body[name_len + 1..], Syntax::Kramdown) {
            Some(list) => {
                lines.definitions.insert(name.to_owned(), list);
            }
            None => notes.push(invalid(content, Syntax::Kramdown, at)),
        }
        return true;
    }
    match parse(body, Syntax::Kramdown) {
        Some(list) => lines.blocks.push(BlockList { line: at..at, list }),
        None => notes.push(invalid(content, Syntax::Kramdown, at)),
    }
    true
}

/// A goldmark line `{#id .class key=value}`: taken out only when it reads
/// as attributes (a line such as `{}` or `{ "json": 1 }` stays text, as in
/// goldmark).
fn goldmark_line(content: &str, at: usize, lines: &mut Lines) -> bool {
    let body = &content[1..content.len() - 1];
    if body.starts_with('{') || body.trim().is_empty() {
        return false;
    }
    match parse(body, Syntax::Goldmark) {
        Some(list) => {
            lines.blocks.push(BlockList { line: at..at, list });
            true
        }
        None => false,
    }
}

fn invalid(content: &str, syntax: Syntax, at: usize) -> Note {
    let (code, name) = code_and_name(syntax, "invalid-attributes");
    Note::warn(
        code,
        format!(
            "`{content}` is not a {name} attribute list it can read (a quote left open?); it was left out."
        ),
        at,
    )
}

/// The diagnostic code for `what` in this syntax, and the renderer's name.
fn code_and_name(syntax: Syntax, what: &str) -> (&'static str, &'static str) {
    let kramdown = syntax == Syntax::Kramdown;
    let code = match (what, kramdown) {
        ("invalid-attributes", true) => "kramdown.invalid-attributes",
        ("invalid-attributes", false) => "goldmark.invalid-attributes",
        ("attributes-dropped", true) => "kramdown.attributes-dropped",
        ("attributes-dropped", false) => "goldmark.attributes-dropped",
        (_, true) => "kramdown.unattached-attributes",
        (_, false) => "goldmark.unattached-attributes",
    };
    (code, if kramdown { "kramdown" } else { "goldmark" })
}

/// Reads the inside of an attribute list: `#id`, `.class`, `key="value"`,
/// `key='value'`, `key=value`, and (kramdown) a definition's name.
fn parse(body: &str, syntax: Syntax) -> Option<List> {
    let mut list = List::default();
    let mut rest = body.trim();
    let mut items = 0;
    while !rest.is_empty() {
        let token_end = |s: &str| s.find(|c: char| c.is_whitespace()).unwrap_or(s.len());
        if let Some(after) = rest.strip_prefix('#') {
            let end = token_end(after);
            if end == 0 {
                return None;
            }
            list.id = Some(after[..end].to_owned());
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = token_end(after);
            if end == 0 {
                return None;
            }
            list.classes.push(after[..end].to_owned());
            rest = &after[end..];
        } else {
            let key_len = rest
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b':'))
                .count();
            if key_len == 0 || !rest.as_bytes()[0].is_ascii_alphanumeric() {
                return None;
            }
            let key = &rest[..key_len];
            let after = &rest[key_len..];
            if let Some(value) = after.strip_prefix('=') {
                let (value, next) = match value.as_bytes().first() {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let close = value[1..].find(quote as char)? + 1;
                        (&value[1..close], &value[close + 1..])
                    }
                    _ => {
                        let end = token_end(value);
                        (&value[..end], &value[end..])
                    }
                };
                list.pairs
                    .push((key.to_ascii_lowercase(), value.to_owned()));
                rest = next;
            } else if syntax == Syntax::Kramdown
                && after.chars().next().is_none_or(char::is_whitespace)
            {
                list.references.push(key.to_owned());
                rest = after;
            } else {
                return None;
            }
            if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
                return None;
            }
        }
        items += 1;
        rest = rest.trim_start();
    }
    (items > 0).then_some(list)
}

impl List {
    /// This list with its references' definitions in front (kramdown:
    /// what the list says itself wins), unknown names reported.
    fn resolved(
        &self,
        definitions: &HashMap<String, List>,
        at: usize,
        notes: &mut Vec<Note>,
    ) -> List {
        let mut out = List::default();
        let mut seen = Vec::new();
        self.include(definitions, &mut out, &mut seen, at, notes);
        out
    }

    fn include(
        &self,
        definitions: &HashMap<String, List>,
        out: &mut List,
        seen: &mut Vec<String>,
        at: usize,
        notes: &mut Vec<Note>,
    ) {
        for name in &self.references {
            if seen.contains(name) {
                continue; // a definition that refers to itself, or a loop
            }
            seen.push(name.clone());
            match definitions.get(name) {
                Some(definition) => definition.include(definitions, out, seen, at, notes),
                None => notes.push(Note::warn(
                    "kramdown.unknown-attribute-reference",
                    format!("The attribute list refers to `{name}`, which no `{{:{name}: …}}` defines; the name was ignored."),
                    at,
                )),
            }
        }
        out.merge(self);
    }

    fn merge(&mut self, other: &List) {
        if other.id.is_some() {
            self.id.clone_from(&other.id);
        }
        for class in &other.classes {
            if !self.classes.contains(class) {
                self.classes.push(class.clone());
            }
        }
        for (key, value) in &other.pairs {
            match self.pairs.iter_mut().find(|(k, _)| k == key) {
                Some(pair) => pair.1.clone_from(value),
                None => self.pairs.push((key.clone(), value.clone())),
            }
        }
    }

    /// The attributes as written into `element`'s start tag (with a space
    /// before each), and what the policy will remove of them, for the
    /// diagnostic.
    fn render(&self, element: &str) -> (String, Vec<String>) {
        let mut out = String::new();
        let mut dropped = Vec::new();
        if let Some(id) = &self.id {
            let _ = write!(out, " id=\"{}\"", escape(id));
        }
        let mut classes: Vec<String> = Vec::new();
        for class in &self.classes {
            match ALERT_CLASSES.iter().find(|(theme, _)| theme == class) {
                Some((_, kind)) => {
                    for alert in [
                        "markdown-alert".to_owned(),
                        format!("markdown-alert-{kind}"),
                    ] {
                        if !classes.contains(&alert) {
                            classes.push(alert);
                        }
                    }
                }
                None if sanitize::keeps_class(class) => classes.push(class.clone()),
                None => dropped.push(format!(".{class}")),
            }
        }
        if !classes.is_empty() {
            let _ = write!(out, " class=\"{}\"", escape(&classes.join(" ")));
        }
        for (key, value) in &self.pairs {
            // Chirpy's image plugin reads `w` and `h` as width and height.
            let key = match (element, key.as_str()) {
                ("img", "w") => "width",
                ("img", "h") => "height",
                _ => key,
            };
            if key == "class" || key == "id" || !sanitize::keeps_attribute(element, key) {
                dropped.push(format!("{key}=\"{value}\""));
                continue;
            }
            let _ = write!(out, " {key}=\"{}\"", escape(value));
        }
        (out, dropped)
    }
}

/// `"` `&` `<` `>` escaped for an attribute value or text.
fn escape(text: &str) -> Cow<'_, str> {
    crate::text::escape(text, crate::text::Escape::Html)
}

/// A block of the event stream: where it starts and ends there, its depth
/// and its source range.
struct Block {
    start: usize,
    end: usize,
    depth: usize,
    range: Range<usize>,
}

/// Attaches the block lists of `lines` to their blocks, and (kramdown) the
/// span lists that follow inline elements.
pub fn attach<'a>(
    events: Events<'a>,
    source: &str,
    lines: &Lines,
    syntax: Syntax,
    notes: &mut Vec<Note>,
) -> Events<'a> {
    let events = if lines.blocks.is_empty() {
        events
    } else {
        attach_to_blocks(events, source, lines, syntax, notes)
    };
    report_heading_attributes(&events, syntax, notes);
    if syntax == Syntax::Kramdown {
        attach_to_spans(events, &lines.definitions, notes)
    } else {
        events
    }
}

fn blocks(events: &Events) -> Vec<Block> {
    let mut blocks = Vec::new();
    // For each open element, the block it is (`None` for inline ones).
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut depth = 0;
    for (index, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                if is_block(tag) {
                    blocks.push(Block {
                        start: index,
                        end: index,
                        depth,
                        range: range.clone(),
                    });
                    open.push(Some(blocks.len() - 1));
                    depth += 1;
                } else {
                    open.push(None);
                }
            }
            Event::End(_) => {
                if let Some(Some(at)) = open.pop() {
                    blocks[at].end = index;
                    depth -= 1;
                }
            }
            Event::Rule => blocks.push(Block {
                start: index,
                end: index,
                depth,
                range: range.clone(),
            }),
            _ => {}
        }
    }
    blocks
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::HtmlBlock
            | Tag::List(_)
            | Tag::Item
            | Tag::Table(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::FootnoteDefinition(_)
    )
}

fn attach_to_blocks<'a>(
    mut events: Events<'a>,
    source: &str,
    lines: &Lines,
    syntax: Syntax,
    notes: &mut Vec<Note>,
) -> Events<'a> {
    let blocks = blocks(&events);
    // Blocks by where they end and by where they start, so each list looks
    // only at the few near its line (a file of many lists and blocks
    // stays linear).
    let mut by_end: Vec<usize> = (0..blocks.len()).collect();
    by_end.sort_by_key(|&b| blocks[b].range.end);
    let mut by_start: Vec<usize> = (0..blocks.len()).collect();
    by_start.sort_by_key(|&b| blocks[b].range.start);
    let mut lists: HashMap<usize, (List, usize)> = HashMap::new();
    // The last search for text: `source[from..found]` is all whitespace.
    // Lists come in source order, so a run of blank lines and lists is
    // searched once, not once per list (lone lists stay linear).
    let mut text_search = (0, 0);
    for found in &lines.blocks {
        let line = &found.line;
        let next_line = source[line.start..]
            .find('\n')
            .map_or(source.len(), |n| line.start + n + 1);
        // A block above ends after the previous line starts and before the
        // next text; one below starts on the next line.
        let previous_line = source[..line.start.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |n| n + 1);
        let next_text = match text_search {
            (from, found) if from <= line.start && line.start <= found => found,
            _ => source[line.start..]
                .find(|c: char| !c.is_whitespace())
                .map_or(source.len(), |n| line.start + n),
        };
        text_search = (line.start, next_text);
        let from = by_end.partition_point(|&b| blocks[b].range.end <= previous_line);
        let to = by_end.partition_point(|&b| blocks[b].range.end <= next_text);
        let above = by_end[from..to]
            .iter()
            .map(|&b| &blocks[b])
            .filter(|b| {
                b.range.start < line.start
                    && if b.range.end <= line.start {
                        // Its last byte on the line above, not before a blank line.
                        b.range.end > previous_line
                            && source[b.range.end..line.start].trim().is_empty()
                    } else {
                        source[line.start..b.range.end].trim().is_empty()
                    }
            })
            .min_by_key(|b| b.depth);
        let below = || {
            let line_end = source[next_line..]
                .find('\n')
                .map_or(source.len(), |n| next_line + n);
            let from = by_start.partition_point(|&b| blocks[b].range.start < next_line);
            let to = by_start.partition_point(|&b| blocks[b].range.start <= line_end);
            by_start[from..to]
                .iter()
                .map(|&b| &blocks[b])
                .min_by_key(|b| (b.range.start, b.depth))
        };
        let list = found.list.resolved(&lines.definitions, line.start, notes);
        match above.or_else(below) {
            Some(block) => {
                let entry = lists
                    .entry(block.start)
                    .or_insert_with(|| (List::default(), line.start));
                entry.0.merge(&list);
            }
            None => {
                let (code, name) = code_and_name(syntax, "unattached");
                notes.push(Note::info(
                    code,
                    format!("This {name} attribute list follows no block and precedes none (a blank line between?); it was left out."),
                    line.start,
                ));
            }
        }
    }
    let mut closers: HashMap<usize, String> = HashMap::new();
    let mut skip_to: Option<usize> = None;
    let mut out = Vec::with_capacity(events.len());
    let mut tables: HashMap<usize, String> = HashMap::new();
    for block in &blocks {
        let Some((list, at)) = lists.get(&block.start) else {
            continue;
        };
        if crate::alerts::starts_alert(&events[block.start..]) {
            let (code, name) = code_and_name(syntax, "attributes-dropped");
            notes.push(Note::info(
                code,
                format!("This {name} attribute list follows an alert, which is written as GitHub writes it and takes no attributes; it was left out."),
                *at,
            ));
            continue;
        }
        let element = match &events[block.start].0 {
            Event::Start(Tag::Paragraph) => "p",
            Event::Start(Tag::Heading { level, .. }) => heading_name(*level),
            Event::Start(Tag::BlockQuote(_)) => "blockquote",
            Event::Start(Tag::CodeBlock(_)) => "pre",
            Event::Start(Tag::List(None)) => "ul",
            Event::Start(Tag::List(Some(_))) => "ol",
            Event::Start(Tag::Item) => "li",
            Event::Start(Tag::Table(_)) => "table",
            Event::Start(Tag::DefinitionList) => "dl",
            Event::Start(Tag::DefinitionListTitle) => "dt",
            Event::Start(Tag::DefinitionListDefinition) => "dd",
            Event::Rule => "hr",
            _ => {
                let (code, name) = code_and_name(syntax, "attributes-dropped");
                notes.push(Note::info(
                    code,
                    format!("This {name} attribute list follows raw HTML or a footnote, which take no attributes here; it was left out."),
                    *at,
                ));
                continue;
            }
        };
        let (attributes, dropped) = list.render(element);
        if !dropped.is_empty() {
            let (code, name) = code_and_name(syntax, "attributes-dropped");
            notes.push(Note::info(
                code,
                format!(
                    "The article policy keeps no {} on <{element}> from this {name} attribute list.",
                    dropped.join(" ")
                ),
                *at,
            ));
        }
        match &mut events[block.start].0 {
            Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) => {
                // Through pulldown-cmark's own heading attributes, so the
                // outline reads the id as the author's.
                if let Some(new) = &list.id {
                    *id = Some(new.clone().into());
                }
                let rendered = list.render_parts(element);
                classes.extend(rendered.0.into_iter().map(CowStr::from));
                attrs.extend(
                    rendered
                        .1
                        .into_iter()
                        .map(|(k, v)| (CowStr::from(k), Some(CowStr::from(v)))),
                );
            }
            Event::Start(Tag::Table(_)) => {
                let mut table = String::new();
                html::push_html(
                    &mut table,
                    events[block.start..=block.end]
                        .iter()
                        .map(|(e, _)| e.clone()),
                );
                let table = table.replacen("<table", &format!("<table{attributes}"), 1);
                tables.insert(block.start, table);
            }
            Event::Rule => {
                events[block.start].0 = Event::Html(format!("<hr{attributes} />\n").into());
            }
            Event::Start(tag) => {
                let (open, close) = tags(tag, element, &attributes);
                events[block.start].0 = Event::Html(open.into());
                closers.insert(block.end, close);
            }
            _ => {}
        }
    }
    for (index, (event, range)) in events.into_iter().enumerate() {
        if let Some(end) = skip_to {
            if index <= end {
                continue;
            }
            skip_to = None;
        }
        if let Some(table) = tables.remove(&index) {
            skip_to = blocks.iter().find(|b| b.start == index).map(|b| b.end);
            out.push((Event::Html(table.into()), range));
            continue;
        }
        match closers.remove(&index) {
            Some(close) => out.push((Event::Html(close.into()), range)),
            None => out.push((event, range)),
        }
    }
    out
}

/// Names what the policy will remove of the attributes written on a
/// heading's own line (`## Title {#id .class}`, goldmark's and kramdown's
/// syntax, which pulldown-cmark reads), so they are not lost silently.
fn report_heading_attributes(events: &Events, syntax: Syntax, notes: &mut Vec<Note>) {
    for (event, range) in events {
        let Event::Start(Tag::Heading {
            level,
            classes,
            attrs,
            ..
        }) = event
        else {
            continue;
        };
        let element = heading_name(*level);
        let mut dropped: Vec<String> = classes
            .iter()
            .filter(|c| !sanitize::keeps_class(c))
            .map(|c| format!(".{c}"))
            .collect();
        dropped.extend(
            attrs
                .iter()
                .filter(|(k, _)| !sanitize::keeps_attribute(element, k))
                .map(|(k, v)| format!("{k}=\"{}\"", v.as_deref().unwrap_or(""))),
        );
        if !dropped.is_empty() {
            let (code, name) = code_and_name(syntax, "attributes-dropped");
            notes.push(Note::info(
                code,
                format!(
                    "The article policy keeps no {} on <{element}> from this {name} attribute list.",
                    dropped.join(" ")
                ),
                range.start,
            ));
        }
    }
}

fn heading_name(level: pulldown_cmark::HeadingLevel) -> &'static str {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => "h1",
        H2 => "h2",
        H3 => "h3",
        H4 => "h4",
        H5 => "h5",
        H6 => "h6",
    }
}

impl List {
    /// Classes and other attributes the policy keeps, for a heading's own
    /// fields (its id is set apart).
    fn render_parts(&self, element: &str) -> (Vec<String>, Vec<(String, String)>) {
        let without_id = List {
            id: None,
            ..self.clone()
        };
        let mut classes = Vec::new();
        for class in &without_id.classes {
            if sanitize::keeps_class(class) {
                classes.push(class.clone());
            }
        }
        let pairs = without_id
            .pairs
            .iter()
            .filter(|(k, _)| k != "class" && k != "id" && sanitize::keeps_attribute(element, k))
            .cloned()
            .collect();
        (classes, pairs)
    }
}

/// The start and end tags pulldown-cmark writes for `tag`, with attributes.
fn tags(tag: &Tag, element: &str, attributes: &str) -> (String, String) {
    match tag {
        Tag::Paragraph => (format!("<p{attributes}>"), "</p>\n".to_owned()),
        Tag::List(Some(start)) if *start != 1 => (
            format!("<ol start=\"{start}\"{attributes}>\n"),
            "</ol>\n".to_owned(),
        ),
        Tag::CodeBlock(kind) => {
            let language = match kind {
                CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or(""),
                CodeBlockKind::Indented => "",
            };
            let code = if language.is_empty() {
                "<code>".to_owned()
            } else {
                format!("<code class=\"language-{}\">", escape(language))
            };
            (
                format!("<pre{attributes}>{code}"),
                "</code></pre>\n".to_owned(),
            )
        }
        Tag::Item | Tag::DefinitionListTitle | Tag::DefinitionListDefinition => (
            format!("<{element}{attributes}>"),
            format!("</{element}>\n"),
        ),
        _ => (
            format!("<{element}{attributes}>\n"),
            format!("</{element}>\n"),
        ),
    }
}

/// kramdown's span lists: `{: …}` right after an emphasis, a link, an
/// image or a code span applies to it.
fn attach_to_spans<'a>(
    events: Events<'a>,
    definitions: &HashMap<String, List>,
    notes: &mut Vec<Note>,
) -> Events<'a> {
    if !events
        .iter()
        .any(|(e, _)| matches!(e, Event::Text(t) if t.contains("{:")))
    {
        return events;
    }
    let mut out: Events<'a> = Vec::with_capacity(events.len());
    // Where the open elements start in `out`, and where the element `out`
    // ends with started: found without walking back through its content.
    let mut starts: Vec<usize> = Vec::new();
    let mut closed: Option<usize> = None;
    let mut events = events.into_iter().peekable();
    while let Some((event, range)) = events.next() {
        let Event::Text(text) = event else {
            match &event {
                Event::Start(_) => starts.push(out.len()),
                Event::End(_) => closed = starts.pop(),
                _ => {}
            }
            out.push((event, range));
            continue;
        };
        if !text.starts_with("{:") {
            out.push((Event::Text(text), range));
            continue;
        }
        // pulldown-cmark splits text at `_`, `*` and the like.
        let mut text = text.into_string();
        let mut range = range;
        while let Some((Event::Text(more), more_range)) = events.peek() {
            text.push_str(more);
            range.end = more_range.end;
            events.next();
        }
        let Some(close) = list_end(&text) else {
            out.push((Event::Text(text.into()), range));
            continue;
        };
        let Some(list) = parse(&text[2..close], Syntax::Kramdown) else {
            out.push((Event::Text(text.into()), range));
            continue;
        };
        let list = list.resolved(definitions, range.start, notes);
        let start = closed.take();
        if !attach_to_span(&mut out, start, &list, range.start, notes) {
            notes.push(Note::info(
                "kramdown.unattached-attributes",
                format!("The kramdown attribute list `{}` follows no emphasis, link, image or code span; it was left out.", &text[..=close]),
                range.start,
            ));
        }
        let rest = &text[close + 1..];
        if !rest.is_empty() {
            out.push((Event::Text(rest.to_owned().into()), range));
        }
    }
    out
}

/// Where the list that starts `text` closes, quotes respected.
fn list_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '}') => return Some(at),
            (None, '\n') => return None,
            _ => {}
        }
    }
    None
}

/// Applies `list` to the inline element `out` ends with.
fn attach_to_span(
    out: &mut Events,
    start: Option<usize>,
    list: &List,
    at: usize,
    notes: &mut Vec<Note>,
) -> bool {
    let Some((last, _)) = out.last() else {
        return false;
    };
    let element = match last {
        Event::Code(_) => "code",
        Event::End(TagEnd::Emphasis) => "em",
        Event::End(TagEnd::Strong) => "strong",
        Event::End(TagEnd::Strikethrough) => "del",
        Event::End(TagEnd::Link) => "a",
        Event::End(TagEnd::Image) => "img",
        _ => return false,
    };
    let (attributes, dropped) = list.render(element);
    if !dropped.is_empty() {
        notes.push(Note::info(
            "kramdown.attributes-dropped",
            format!(
                "The article policy keeps no {} on <{element}> from this kramdown attribute list.",
                dropped.join(" ")
            ),
            at,
        ));
    }
    if let Some((Event::Code(code), _)) = out.last_mut() {
        let html = format!("<code{attributes}>{}</code>", escape(code));
        out.last_mut().expect("the code span").0 = Event::InlineHtml(html.into());
        return true;
    }
    let Some(start) = start else {
        return false;
    };
    let open = match &out[start].0 {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            ..
        }) => {
            let mailto = if *link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                "mailto:"
            } else {
                ""
            };
            format!(
                "<a href=\"{mailto}{}\"{}{attributes}>",
                escape(dest_url),
                title_attribute(title)
            )
        }
        Event::Start(Tag::Image {
            dest_url, title, ..
        }) => {
            let alt: String = out[start + 1..out.len() - 1]
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let html = format!(
                "<img src=\"{}\" alt=\"{}\"{}{attributes} />",
                escape(dest_url),
                escape(&alt),
                title_attribute(title)
            );
            let range = out[start].1.clone();
            out.truncate(start);
            out.push((Event::InlineHtml(html.into()), range));
            return true;
        }
        Event::Start(_) => format!("<{element}{attributes}>"),
        _ => return false,
    };
    out[start].0 = Event::InlineHtml(open.into());
    let last = out.len() - 1;
    out[last].0 = Event::InlineHtml(format!("</{element}>").into());
    true
}

fn title_attribute(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", escape(title))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown;
    use crate::options::MarkdownOptions;
    use crate::rendered::{Diagnostics, Generator};

    /// The Markdown HTML (before the policy) and the diagnostic codes.
    fn render(source: &str, generator: Generator) -> (String, Vec<&'static str>) {
        let html = markdown::to_html_for(
            source,
            &MarkdownOptions::default(),
            generator,
            markdown::Math::Off,
        );
        let mut diagnostics = Diagnostics::default();
        html.report(0, &mut diagnostics);
        let codes = diagnostics.0.iter().map(|d| d.code).collect();
        (html.html, codes)
    }

    #[test]
    fn lists_are_read_as_kramdown_and_goldmark_write_them() {
        let list = parse(
            r#" #top .a .b title="Hello world" width=50 lead "#,
            Syntax::Kramdown,
        )
        .unwrap();
        assert_eq!(list.id.as_deref(), Some("top"));
        assert_eq!(list.classes, ["a", "b"]);
        assert_eq!(
            list.pairs,
            [
                ("title".to_owned(), "Hello world".to_owned()),
                ("width".to_owned(), "50".to_owned())
            ]
        );
        assert_eq!(list.references, ["lead"]);
        assert!(
            parse("lead", Syntax::Goldmark).is_none(),
            "goldmark has no references"
        );
        for bad in [r#".a title="open"#, "#", "= x", "a b=\"c"] {
            assert!(parse(bad, Syntax::Kramdown).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn a_list_after_a_lazy_line_applies_to_the_quote_not_its_paragraph() {
        let (html, _) = render("> Remember this.\n{: .prompt-tip }\n", Generator::Jekyll);
        assert_eq!(
            html,
            "<blockquote class=\"markdown-alert markdown-alert-tip\">\n<p>Remember this.</p>\n</blockquote>\n"
        );
        // Inside the quote, it is the paragraph's.
        let (html, _) = render("> Remember this.\n> {: #here}\n", Generator::Jekyll);
        assert!(
            html.starts_with("<blockquote>\n<p id=\"here\">Remember this.</p>"),
            "{html}"
        );
    }

    #[test]
    fn lists_tables_headings_and_code_take_attributes() {
        let source = "- a\n- b\n{: #items}\n\n| x | y |\n|---|---|\n| 1 | 2 |\n{: #numbers}\n\n## Title\n{: #own-id}\n\n```rust\nfn main() {}\n```\n{: #code}\n\n---\n{: #rule}\n";
        let (html, codes) = render(source, Generator::Jekyll);
        for expected in [
            "<ul id=\"items\">\n<li>a</li>",
            "<table id=\"numbers\"><thead>",
            "<tr><td>1</td><td>2</td></tr>",
            "<h2 id=\"own-id\">Title</h2>",
            "<pre id=\"code\"><code class=\"language-rust\">fn main() {}\n</code></pre>",
            "<hr id=\"rule\" />",
        ] {
            assert!(html.contains(expected), "{expected}: {html}");
        }
        assert!(!html.contains("{:"), "{html}");
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn a_list_before_a_block_applies_to_it() {
        let (html, _) = render(
            "Intro.\n\n{: #next}\nThe next paragraph.\n",
            Generator::Jekyll,
        );
        assert!(
            html.contains("<p id=\"next\">The next paragraph.</p>"),
            "{html}"
        );
    }

    #[test]
    fn definitions_are_referenced_by_name() {
        let source = "{:warn: .notice--warning #w}\n\nCareful.\n{: warn}\n\nAgain.\n{: missing}\n";
        let (html, codes) = render(source, Generator::Jekyll);
        assert!(
            html.contains(
                "<p id=\"w\" class=\"markdown-alert markdown-alert-warning\">Careful.</p>"
            ),
            "{html}"
        );
        assert!(
            codes.contains(&"kramdown.unknown-attribute-reference"),
            "{codes:?}"
        );
        // A definition that names itself ends.
        let (html, _) = render("{:a: a .x}\n\nText.\n{: a}\n", Generator::Jekyll);
        assert!(html.contains("<p>Text.</p>"), "{html}");
    }

    #[test]
    fn span_lists_apply_to_the_element_before_them() {
        let source = "An *aside*{: #aside} and `code`{: .language-ruby} and [home](/){: title=\"Home\"} and ![cat](cat.png \"Cat\"){: w=\"320\" .shadow} done.\n";
        let (html, codes) = render(source, Generator::Jekyll);
        assert_eq!(
            html,
            "<p>An <em id=\"aside\">aside</em> and <code class=\"language-ruby\">code</code> and <a href=\"/\" title=\"Home\">home</a> and <img src=\"cat.png\" alt=\"cat\" title=\"Cat\" width=\"320\" /> done.</p>\n"
        );
        assert_eq!(codes, ["kramdown.attributes-dropped"], "the shadow class");
    }

    #[test]
    fn what_the_policy_removes_is_reported() {
        let (html, codes) = render(
            "Text.\n{: .fancy style=\"color: red\" onclick=\"steal()\"}\n",
            Generator::Jekyll,
        );
        assert_eq!(html, "<p>Text.</p>\n");
        assert_eq!(codes, ["kramdown.attributes-dropped"]);
    }

    #[test]
    fn broken_and_lonely_lists_are_left_out_with_a_diagnostic() {
        let (html, codes) = render(
            "Text.\n\n{: .a title=\"open}\n\n{: .alone}\n\nMore.\n",
            Generator::Jekyll,
        );
        assert_eq!(html, "<p>Text.</p>\n<p>More.</p>\n");
        assert_eq!(
            codes,
            [
                "kramdown.invalid-attributes",
                "kramdown.unattached-attributes"
            ]
        );
    }

    #[test]
    fn goldmark_lists_apply_in_hugo_files_only() {
        let source = "A centered line.\n{#middle}\n\n{ not attributes }\n";
        let (html, codes) = render(source, Generator::Hugo);
        assert_eq!(
            html,
            "<p id=\"middle\">A centered line.</p>\n<p>{ not attributes }</p>\n"
        );
        assert!(codes.is_empty(), "{codes:?}");
        let (html, _) = render(source, Generator::None);
        assert!(
            html.contains("{#middle}"),
            "plain Markdown is CommonMark: {html}"
        );
        let (html, _) = render("Text.\n{: .x}\n", Generator::Hugo);
        assert!(
            html.contains("{: .x}"),
            "kramdown's syntax is not goldmark's: {html}"
        );
        let (html, _) = render("Text.\n{#x}\n", Generator::Jekyll);
        assert!(html.contains("{#x}"), "nor the other way round: {html}");
    }

    #[test]
    fn an_alert_keeps_its_markup_and_the_list_is_reported() {
        for marker in ["[!TIP]", "[!todo] Later"] {
            let source = format!("> {marker}\n> Body.\n{{: .prompt-info }}\n");
            let (html, codes) = render(&source, Generator::Jekyll);
            assert!(html.contains("markdown-alert-title"), "{html}");
            assert!(!html.contains("[!"), "{html}");
            assert_eq!(codes, ["kramdown.attributes-dropped"]);
        }
    }

    #[test]
    fn excerpts_hold_no_attribute_syntax() {
        let source = "---\nlayout: post\n---\nIntro.\n{: .mt-4 }\n\n> Tip.\n{: .prompt-tip }\n\nAn *aside*{: .c} ends it.\n";
        let options = crate::Options {
            generator: crate::GeneratorOption::Jekyll,
            ..crate::Options::default()
        };
        let rendered = crate::render_with_options(source, &options).unwrap();
        assert_eq!(rendered.excerpt, "Intro. Tip. An aside ends it.");
    }

    #[test]
    fn kramdown_comments_hide_their_lines() {
        let source = "Shown.\n\n{::comment}\nA draft note to self.\n{:/comment}\n\nAlso shown.\n";
        let (html, codes) = render(source, Generator::Jekyll);
        assert_eq!(html, "<p>Shown.</p>\n<p>Also shown.</p>\n");
        assert!(codes.is_empty(), "{codes:?}");
        let (html, codes) = render("{::comment}\nNever closed.\n", Generator::Jekyll);
        assert!(html.contains("Never closed."), "{html}");
        assert_eq!(codes, ["kramdown.unclosed-comment"]);
    }

    #[test]
    fn lists_in_fenced_code_stay_code() {
        let source = "```markdown\n> tip\n{: .prompt-tip }\n```\n";
        let (html, _) = render(source, Generator::Jekyll);
        assert!(html.contains("{: .prompt-tip }"), "{html}");
    }

    /// Many lists and blocks: each list looks near its own line only.
    #[test]
    fn many_lists_stay_linear() {
        let source = "Paragraph.\n{: .a}\n\n".repeat(20_000);
        let start = std::time::Instant::now();
        let (html, _) = render(&source, Generator::Jekyll);
        assert_eq!(html.matches("<p>Paragraph.</p>").count(), 20_000);
        assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
        let nested = format!("{}x\n{{: .a}}\n", "*a ".repeat(5_000));
        render(&nested, Generator::Jekyll);
    }

    /// Lists with no block near them, between blank lines: the search for
    /// the text after each one must not run to the end of the file every
    /// time (it did: 40,000 such lines took seconds). No timing assertion:
    /// the size makes the old quadratic search take many seconds in debug.
    #[test]
    fn lone_lists_stay_linear() {
        let source = format!("{}Last words.\n", "{: .a}\n\n".repeat(12_000));
        let (html, codes) = render(&source, Generator::Jekyll);
        assert_eq!(html, "<p>Last words.</p>\n");
        assert_eq!(codes.len(), 12_000);
        assert!(
            codes.iter().all(|c| *c == "kramdown.unattached-attributes"),
            "{:?}",
            &codes[..3]
        );
    }
}
