//! A big Markdown source parsed a chunk at a time.
//!
//! pulldown-cmark builds the tree of a whole document before its first
//! event, and the tree lives until the last one is read: about six times
//! the source in wasm, beside the events (bench/MEMORY.md). A source of
//! [`THRESHOLD`] bytes or more is therefore cut into chunks of about
//! [`CHUNK`] bytes, each parsed, rewritten and written on its own, with one
//! chunk's tree and events alive at a time. The output must be exactly that
//! of the document parsed whole (`tests/chunks.rs` holds every test file,
//! the corpus, the spec examples and generated Markdown to that).
//!
//! A chunk may start at a line where CommonMark's block parser is back at
//! its start: no container open (block quote, list, footnote definition)
//! and no leaf block that runs on across blank lines (a fenced code block,
//! an HTML block of kinds 1–5). Such a line follows a blank line and starts
//! at its first byte with a letter or `#` (so it cannot continue a list, a
//! quote or an indented block), and the parse of the text before it, with
//! that line, must open a block at the top level exactly where the line
//! starts. Block structure is decided line by line, so that parse sees what
//! the whole document's would; where it does not hold (the line is inside a
//! fence), the next candidate is tried, twice as far, so that a document
//! that never allows a cut is parsed only about twice.
//!
//! What Markdown shares across a whole document is carried between chunks:
//! - link reference definitions: every chunk's are collected first, and a
//!   chunk's parser looks up those of the others (pulldown-cmark's broken-link
//!   callback, with its own key: the label as a case-folded [`UniCase`]); a
//!   label defined in two chunks, where the first definition must win,
//!   leaves the document whole;
//! - footnotes: pulldown-cmark (GitHub's rule) makes `[^x]` a reference only
//!   when `x` is defined in the document, and takes no callback for it, so
//!   no cut falls between the first and the last `[^x]` written with the
//!   same label (compared loosely: case-folded, without spaces or
//!   backslashes), and a plan where a chunk still mentions a label another
//!   defines is dropped; the footnote section the caller writes at the end
//!   is kept across chunks;
//! - the expansion limit of references: pulldown-cmark stops expanding them
//!   once their URLs and titles add up to the source's length (at least
//!   [`EXPANSION_FLOOR`]), in each chunk's parse as in the whole's. It looks
//!   a label up at most once per `]`, so a document is cut only when its
//!   `]`s times its longest definition stay under that floor: then no parse
//!   reaches its limit.
//!
//! Only CommonMark with GitHub's extensions is cut (Hexo, Zola, no
//! generator): kramdown's and goldmark's rewrites read across blocks
//! (attribute lists, `markdown="1"` blocks, abbreviations), and a source
//! where a raw-text tag is made text (see `crate::raw_text`) is edited
//! against its whole parse.
//!
//! One cut is not exact: a run of more than [`MAX_RUN`] lines without a
//! blank one (one paragraph, as a rule) is cut every [`MAX_RUN`] lines. Its
//! parse tree would be alive whole, and pulldown-cmark's takes up to 200
//! times a source of short lines (a 32 MB paragraph of two-byte lines ran
//! the wasm out of memory; bench/MEMORY.md). The pieces are then blocks of
//! their own, which the caller reports; no article comes near it.

use std::cell::Cell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{BrokenLink, CowStr, Event, Options as Extensions, Parser, Tag};
use unicase::UniCase;

/// Sources from this many bytes on are cut (the size from which a big
/// source is also counted and sanitized in pieces).
pub const THRESHOLD: usize = 256 * 1024;

/// About how long a chunk is: the first candidate line from this many bytes
/// after the chunk's start ends it. Smaller chunks hold less memory and each
/// costs a parser's set-up (bench/MEMORY.md).
pub const CHUNK: usize = 64 * 1024;

/// pulldown-cmark's `link_ref_expansion_limit`: the source's length, and
/// never less than this.
pub const EXPANSION_FLOOR: usize = 100_000;

/// Lines without a blank one between them past which a source is cut
/// anyway (see the module's doc): half a million, a parse tree of at most
/// some hundred megabytes in wasm.
pub const MAX_RUN: usize = 1 << 19;

thread_local! {
    static SIZES: Cell<(usize, usize)> = const { Cell::new((THRESHOLD, CHUNK)) };
    static RUN: Cell<usize> = const { Cell::new(MAX_RUN) };
    static CUT: Cell<usize> = const { Cell::new(0) };
}

/// The sizes used on this thread; for the tests, which cut at every
/// candidate (`set(0, 0)`) or never (`set(usize::MAX, 0)`).
pub mod sizes {
    use super::{CHUNK, CUT, MAX_RUN, RUN, SIZES, THRESHOLD};

    /// Cuts sources of at least `threshold` bytes into chunks of about
    /// `chunk` bytes, on this thread.
    pub fn set(threshold: usize, chunk: usize) {
        SIZES.set((threshold, chunk));
    }

    /// Cuts runs of more than `lines` lines without a blank one, on this
    /// thread.
    pub fn set_run(lines: usize) {
        RUN.set(lines);
    }

    /// Back to the sizes a render uses.
    pub fn reset() {
        SIZES.set((THRESHOLD, CHUNK));
        RUN.set(MAX_RUN);
    }

    /// How many chunks past the first Markdown sources were cut into on
    /// this thread since the last call.
    pub fn cuts() -> usize {
        CUT.replace(0)
    }
}

/// Where a source is cut, and the link reference definitions of all its
/// chunks.
pub struct Plan<'a> {
    /// Byte ranges of the source, in order, covering it.
    pub chunks: Vec<Range<usize>>,
    /// Each definition's destination and title, by pulldown-cmark's key.
    definitions: HashMap<UniCase<String>, (CowStr<'a>, CowStr<'a>)>,
    /// Where runs of lines too long to parse at once were cut (see the
    /// module's doc), in order.
    pub forced: Vec<usize>,
}

impl<'a> Plan<'a> {
    /// A reference that its own chunk does not define, as the whole
    /// document's parse would resolve it: the broken-link callback.
    pub fn resolve(&self, link: BrokenLink<'_>) -> Option<(CowStr<'a>, CowStr<'a>)> {
        self.definitions
            .get(&UniCase::new(link.reference.to_string()))
            .cloned()
    }

    /// Counts the cut on this thread (see [`sizes::cuts`]).
    pub fn count(&self) {
        CUT.set(CUT.get() + self.chunks.len() - 1);
    }
}

/// The chunks of `source` read with `extensions`, or `None` when it stays
/// whole: shorter than the threshold, no line to cut at, or something
/// Markdown shares across the document reaching over a cut.
pub fn plan(source: &str, extensions: Extensions) -> Option<Plan<'_>> {
    let (threshold, size) = SIZES.get();
    if source.len() < threshold {
        return None;
    }
    forced(source, extensions).or_else(|| plan_big(source, extensions, size))
}

/// The plan of a source with runs of lines to cut whatever it is (see
/// the module's doc); for one not cut exactly (a dialect's), the only one.
pub fn forced(source: &str, extensions: Extensions) -> Option<Plan<'_>> {
    let (threshold, _) = SIZES.get();
    if source.len() < threshold {
        return None;
    }
    let forced = long_runs_cut(source, RUN.get());
    (!forced.is_empty()).then(|| plan_forced(source, extensions, forced))
}

/// Whether [`forced`] would cut `source`.
pub fn has_long_runs(source: &str) -> bool {
    source.len() >= SIZES.get().0 && !long_runs_cut(source, RUN.get()).is_empty()
}

/// Where runs of more than `lines` lines without a blank line between
/// them are cut: at the start of every `lines`-th line of the run after
/// its first. Empty for nearly every source.
fn long_runs_cut(source: &str, lines: usize) -> Vec<usize> {
    let bytes = source.as_bytes();
    let mut cuts = Vec::new();
    let (mut line, mut run) = (0, 0);
    while line < bytes.len() {
        let end = line_end(source, line);
        let blank = bytes[line..end]
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if blank {
            run = 0;
        } else if run == lines.max(1) {
            cuts.push(line);
            run = 1;
        } else {
            run += 1;
        }
        line = end;
    }
    cuts
}

/// The plan of a source with runs of lines cut at `forced`: chunks from
/// cut to cut, each parsed once for its link reference definitions (the
/// first of a label wins, as in one parse). Not exact where a cut falls
/// (see the module's doc), so nothing here gives the cuts up.
#[inline(never)]
fn plan_forced(source: &str, extensions: Extensions, forced: Vec<usize>) -> Plan<'_> {
    let starts = std::iter::once(0).chain(forced.iter().copied());
    let ends = forced.iter().copied().chain(std::iter::once(source.len()));
    let chunks: Vec<Range<usize>> = starts.zip(ends).map(|(start, end)| start..end).collect();
    let mut definitions = HashMap::new();
    for chunk in &chunks {
        let text = &source[chunk.clone()];
        for (label, dest, title) in scan(text, text.len(), extensions).definitions {
            definitions
                .entry(UniCase::new(label))
                .or_insert((dest, title));
        }
    }
    Plan {
        chunks,
        definitions,
        forced,
    }
}

/// [`plan`] of a source past the threshold, cut into chunks of about
/// `size`; not inlined (most articles are smaller: see the crate's doc).
#[inline(never)]
fn plan_big(source: &str, extensions: Extensions, size: usize) -> Option<Plan<'_>> {
    let spans = footnote_spans(source);
    let mut chunks = Vec::new();
    let mut scans = Vec::new();
    let mut start = 0;
    loop {
        let mut want = start + size;
        let cut = loop {
            let Some(at) = candidate(source, want.max(start + 1), &spans) else {
                break None;
            };
            let scan = scan(&source[start..line_end(source, at)], at - start, extensions);
            if scan.fresh {
                break Some((at, scan));
            }
            // Inside a block that goes on: twice as far from the start.
            want = start + 2 * (at - start).max(size);
        };
        match cut {
            Some((at, scan)) => {
                chunks.push(start..at);
                scans.push((scan, mentions(&source[start..at])));
                start = at;
            }
            None => {
                let rest = &source[start..];
                chunks.push(start..source.len());
                scans.push((scan(rest, rest.len(), extensions), mentions(rest)));
                break;
            }
        }
    }
    if chunks.len() < 2 {
        return None;
    }
    // Footnote labels: defined in one chunk only, mentioned in no other.
    let mut defined_in: HashMap<UniCase<String>, usize> = HashMap::new();
    for (index, (scan, _)) in scans.iter().enumerate() {
        for label in &scan.notes {
            if defined_in.insert(loose(label), index).is_some() {
                return None;
            }
        }
    }
    for (index, (_, mentioned)) in scans.iter().enumerate() {
        if mentioned
            .iter()
            .any(|key| defined_in.get(key).is_some_and(|&chunk| chunk != index))
        {
            return None;
        }
    }
    // Link reference definitions: each label in one chunk only, and never
    // enough expanded to reach a parse's limit.
    let mut definitions = HashMap::new();
    let mut longest = 0;
    for (scan, _) in scans {
        for (label, dest, title) in scan.definitions {
            longest = longest.max(dest.len() + title.len());
            if definitions
                .insert(UniCase::new(label), (dest, title))
                .is_some()
            {
                return None;
            }
        }
    }
    let brackets = memchr::memchr_iter(b']', source.as_bytes()).count();
    if brackets.saturating_mul(longest) >= EXPANSION_FLOOR {
        return None;
    }
    Some(Plan {
        chunks,
        definitions,
        forced: Vec::new(),
    })
}

/// The start of the first line from `from` on that may start a chunk: it
/// follows a blank line (spaces and tabs at most) and its first byte is a
/// letter (ASCII or not) or `#`, so that it cannot continue a list item,
/// a block quote or an indented code block, nor be a list marker, a
/// definition, a table's delimiter row or a setext underline; and it is
/// inside none of `spans` (sorted, apart).
fn candidate(source: &str, mut from: usize, spans: &[Range<usize>]) -> Option<usize> {
    loop {
        let at = line_after_blank(source, from)?;
        let after = spans.partition_point(|span| span.start < at);
        match after.checked_sub(1).map(|i| &spans[i]) {
            Some(span) if at < span.end => from = span.end,
            _ => return Some(at),
        }
    }
}

/// From the first `[^` of each footnote label (compared as [`loose`]
/// does) to the end of its last: the spans no cut may fall inside, sorted
/// and merged.
fn footnote_spans(source: &str) -> Vec<Range<usize>> {
    let mut by_label: HashMap<UniCase<String>, Range<usize>> = HashMap::new();
    for (at, end, key) in mentioned(source) {
        by_label
            .entry(key)
            .and_modify(|span| span.end = end)
            .or_insert(at..end);
    }
    let mut spans: Vec<Range<usize>> = by_label.into_values().collect();
    spans.sort_by_key(|span| span.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// The first line from `from` on that follows a blank line and starts with
/// a letter or `#` (see [`candidate`]).
fn line_after_blank(source: &str, from: usize) -> Option<usize> {
    let bytes = source.as_bytes();
    // The line holding `from`'s predecessor, so that its blankness is known.
    let mut line = memchr::memrchr(b'\n', &bytes[..from.min(bytes.len())]).map_or(0, |at| at + 1);
    let mut previous_blank = false;
    while line < bytes.len() {
        let end = line_end(source, line);
        let text = &bytes[line..end];
        let blank = text
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        if line >= from
            && previous_blank
            && text
                .first()
                .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'#' || b >= 0x80)
        {
            return Some(line);
        }
        previous_blank = blank;
        line = end;
    }
    None
}

/// The end of the line starting at `at`, its line break included.
fn line_end(source: &str, at: usize) -> usize {
    memchr::memchr(b'\n', &source.as_bytes()[at..]).map_or(source.len(), |i| at + i + 1)
}

/// What one parse of a chunk (with the line after it) tells.
struct Scan<'a> {
    /// The parse opens a block at the top level where the next chunk starts.
    fresh: bool,
    /// Link reference definitions: label, destination, title.
    definitions: Vec<(String, CowStr<'a>, CowStr<'a>)>,
    /// The labels of footnote definitions.
    notes: Vec<String>,
}

/// Parses `text`, which ends with the line at `at` (or at `at`, for the
/// last chunk), collecting its definitions and telling whether the line at
/// `at` opens a top-level block there.
fn scan(text: &str, at: usize, extensions: Extensions) -> Scan<'_> {
    let parser = Parser::new_ext(text, extensions);
    let definitions = parser
        .reference_definitions()
        .iter()
        .map(|(label, definition)| {
            (
                label.to_owned(),
                definition.dest.clone().into_static(),
                definition
                    .title
                    .clone()
                    .map_or(CowStr::Borrowed(""), CowStr::into_static),
            )
        })
        .collect();
    let mut notes = Vec::new();
    let mut depth = 0usize;
    let mut fresh = false;
    for (event, range) in parser.into_offset_iter() {
        if range.start >= at {
            fresh = depth == 0 && range.start == at && matches!(event, Event::Start(_));
            break;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                notes.push(label.to_string());
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Scan {
        fresh,
        definitions,
        notes,
    }
}

/// Every `[^label]` written in `text`, as [`loose`] keys: a superset of the
/// footnote references its parse could make.
fn mentions(text: &str) -> HashSet<UniCase<String>> {
    mentioned(text).map(|(_, _, key)| key).collect()
}

/// Every `[^label]` written in `text`: where it starts and ends, and its
/// label as a [`loose`] key.
fn mentioned(text: &str) -> impl Iterator<Item = (usize, usize, UniCase<String>)> + '_ {
    memchr::memmem::find_iter(text.as_bytes(), b"[^").filter_map(|at| {
        let label = &text[at + 2..];
        // A label is at most 999 characters and has no unescaped `]`.
        let mut escaped = false;
        for (i, c) in label.char_indices().take(1000) {
            match c {
                ']' if !escaped => return Some((at, at + 2 + i + 1, loose(&label[..i]))),
                '\\' => escaped = !escaped,
                _ => escaped = false,
            }
        }
        None
    })
}

/// A footnote label compared more loosely than pulldown-cmark does (case
/// folded, and without whitespace or backslashes), so that two labels it
/// would match always match here.
fn loose(label: &str) -> UniCase<String> {
    UniCase::new(
        label
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\\')
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cuts(source: &str) -> Vec<usize> {
        sizes::set(0, 0);
        let plan = plan(
            source,
            Extensions::ENABLE_FOOTNOTES | Extensions::ENABLE_TABLES,
        );
        sizes::reset();
        plan.map(|p| p.chunks.iter().skip(1).map(|c| c.start).collect())
            .unwrap_or_default()
    }

    #[test]
    fn runs_of_lines_past_the_limit_are_cut_whatever_they_are() {
        let run = |source: &str, lines: usize| {
            sizes::set(0, 0);
            sizes::set_run(lines);
            let plan = plan(source, Extensions::empty());
            sizes::reset();
            plan.filter(|p| !p.forced.is_empty()).map(|p| {
                let starts: Vec<usize> = p.chunks.iter().skip(1).map(|c| c.start).collect();
                assert_eq!(starts, p.forced, "forced cuts only");
                p.forced
            })
        };
        // Every second line of a run, blank lines starting a run anew;
        // not where an exact cut would go (`c` follows no blank line).
        assert_eq!(run("a\nb\nc\nd\ne\n\nf\ng\n", 2), Some(vec![4, 8]));
        // A fence is cut too: what is read in pieces is not exact.
        assert_eq!(run("```\n1\n2\n3\n```\n", 3), Some(vec![8]));
        // Under the limit, the plan is the exact one.
        assert_eq!(run("a\nb\n\nc\n", 2), None);
        assert_eq!(cuts("a\nb\n\nc\n"), vec![5]);
        // A definition in one piece resolves a reference in another.
        sizes::set(0, 0);
        sizes::set_run(1);
        let plan = plan("[r]\n[r]: /a\n", Extensions::empty()).expect("cut");
        sizes::reset();
        let link = BrokenLink {
            span: 0..3,
            link_type: pulldown_cmark::LinkType::Shortcut,
            reference: "r".into(),
        };
        assert_eq!(plan.resolve(link), Some(("/a".into(), "".into())));
    }

    #[test]
    fn cuts_only_where_the_block_parser_starts_again() {
        let source = "a\n\nb\n\n```\nc\n\nd\n```\n\ne\n\nf\n\ng\n";
        // At `b`, then never at `d` (in the fence); the next try is twice as
        // far from `b`, at `g`.
        assert_eq!(cuts(source), vec![3, 26]);
        // A list item's continuation, a quote's lazy line, an HTML block.
        assert_eq!(cuts("- a\n\n  b\n"), Vec::<usize>::new());
        assert_eq!(cuts("<script>\n\nx\n</script>\n\ny\n"), vec![23]);
        assert_eq!(cuts("> a\n\nb\n"), vec![5]);
    }

    #[test]
    fn footnotes_and_references_across_a_cut_keep_it_whole() {
        // No cut between a note's reference and its definition.
        assert_eq!(cuts("a[^1]\n\nb\n\n[^1]: n\n\nc\n"), vec![19]);
        assert!(cuts("a[^x]\n\n[^x]: n\n\nb\n").len() == 1);
        // Defined twice, in two chunks: the first must win.
        assert!(cuts("[r]: /a\n\nb\n\n[r]: /b\n").is_empty());
        let plan = {
            sizes::set(0, 0);
            let plan = plan("x [r]\n\ny\n\n[r]: /a 't'\n", Extensions::empty());
            sizes::reset();
            plan.expect("cut")
        };
        let link = BrokenLink {
            span: 0..1,
            link_type: pulldown_cmark::LinkType::Shortcut,
            reference: "R".into(),
        };
        assert_eq!(plan.resolve(link), Some(("/a".into(), "t".into())));
        // References that could expand to pulldown-cmark's limit.
        // Five `]` and four.
        let url = "u".repeat(EXPANSION_FLOOR / 5);
        assert!(cuts(&format!("[r]\n\nb [r] [r] [r]\n\n[r]: /{url}\n")).is_empty());
        assert_eq!(cuts(&format!("[r]\n\nb [r] [r]\n\n[r]: /{url}\n")), vec![5]);
    }
}
