//! The audit's own reading of the tags: what html5ever's tokenizer would
//! hand the audit (start tags with their attributes, end tags, whether the
//! text between them is blank, the line of each start tag), found with
//! byte searches instead of a state machine run on every character.
//!
//! The audit needs little of the tokenizer: text is only "blank or not",
//! comments, doctypes and bogus comments only "where they end" (their
//! first `>`, or `-->` / `--!>` for a comment), raw text only "where its
//! end tag is". Tags are read by the tokenizer's own states, attribute
//! values decoded by its character-reference rules (the same entity table,
//! `html5ever::data::NAMED_ENTITIES`).
//!
//! What the tokenizer rewrites before or while reading is rewritten the
//! same way where the audit sees it: a carriage return is a newline (white
//! space between attributes, one line with a newline after it, a newline
//! in a value), a NUL in a name or a value is U+FFFD. A `<script>` holding
//! `<!--` is read by the script data escaped states. So every document is
//! read here, and html5ever's tokenizer, whose attribute reading is
//! quadratic in the attributes of a tag (see [`super::crowded`]), never
//! reads a body before its crowded tags are cut. A differential test holds
//! the two to the same diagnostics and nesting on every test file and on
//! generated tag soup.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tokenizer::states::RawKind;

use super::audit::Audit;
use super::crowded::MAX_ATTRIBUTES;

/// What the lexer hands its reader: the audit, or the splitter of big
/// documents (`super::split`).
pub(super) trait Sink<'a> {
    /// A start tag (name lowercased, attributes deduplicated, values
    /// decoded, as the tokenizer gives them) ending on the line `line`
    /// tells (counted only if asked: most tags are never reported);
    /// returns the state the tokenizer reads what follows in, if not the
    /// data state. `spans` says where each attribute is written.
    fn start(
        &mut self,
        name: Cow<'a, str>,
        self_closing: bool,
        attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        spans: &Spans<'_>,
        line: impl FnMut() -> u64,
    ) -> Option<RawKind>;
    /// An end tag.
    fn end(&mut self, name: Cow<'a, str>);
    /// Text, of which only whether it is all white space is told.
    fn text(&mut self, blank: bool);
    /// A tag ended just before byte `at`, and the tokenizer is back in the
    /// data state there (after a raw-text element, at its end tag's `>`).
    fn tag_done(&mut self, _at: usize) {}
    /// The tag just read, start or end (the tokenizer reads an end tag's
    /// attributes too, then drops them), has more than
    /// [`MAX_ATTRIBUTES`] attribute names; `cut` is where the attributes
    /// past the last of those are written (none of them is handed over:
    /// they are all cut, repeated names too). Told before the tag itself.
    fn crowded(&mut self, _cut: Range<usize>) {}
}

/// Where the attributes of a start tag are written.
pub(super) struct Spans<'s> {
    /// For each attribute handed over, its bytes from the first of its name
    /// to the last of its value (its quote included).
    pub each: &'s [Range<usize>],
    /// Whether the tag repeats an attribute name (the tokenizer keeps the
    /// first and drops the others, which are not handed over).
    pub repeats: bool,
}

impl<'a> Sink<'a> for Audit<'a> {
    fn start(
        &mut self,
        name: Cow<'a, str>,
        self_closing: bool,
        attrs: &[(Cow<'a, str>, Cow<'a, str>)],
        spans: &Spans<'_>,
        line: impl FnMut() -> u64,
    ) -> Option<RawKind> {
        self.trim_tag(&name, attrs, spans);
        Audit::start(self, name, self_closing, attrs, line)
    }
    fn end(&mut self, name: Cow<'a, str>) {
        Audit::end(self, name)
    }
    fn text(&mut self, blank: bool) {
        Audit::text(self, blank)
    }
    fn crowded(&mut self, _cut: Range<usize>) {
        self.note_crowded();
    }
}

/// Feeds `audit` the tokens of `html`.
pub(super) fn run<'a>(html: &'a str, audit: &mut impl Sink<'a>) {
    // Nearly always neither: then no name or value is looked at for them.
    let rewrites = memchr::memchr2(b'\r', b'\0', html.as_bytes()).is_some();
    let mut lexer = Lexer {
        html,
        bytes: html.as_bytes(),
        pos: 0,
        lines: Lines {
            line: 1,
            counted: 0,
            uncounted: 0,
            returns: rewrites && memchr::memchr(b'\r', html.as_bytes()).is_some(),
        },
        rewrites,
        attrs: Vec::new(),
        spans: Vec::new(),
        repeats: false,
        names: HashSet::new(),
        crowded: None,
    };
    lexer.data(audit);
}

/// A tag read: its name (lowercased) and whether it ends `/>`; the
/// attributes are in [`Lexer::attrs`].
struct Tag<'a> {
    name: Cow<'a, str>,
    self_closing: bool,
}

struct Lexer<'a> {
    html: &'a str,
    bytes: &'a [u8],
    /// Where reading goes on.
    pos: usize,
    lines: Lines,
    /// Whether the input has a carriage return or a NUL, which names and
    /// values are read without ([`preprocessed`]): nearly never.
    rewrites: bool,
    /// The attributes of the tag just read, deduplicated (the first of a
    /// name is kept, as the tokenizer keeps it).
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// Where each of [`Lexer::attrs`] is written, and whether the tag
    /// repeated a name (see [`Spans`]).
    spans: Vec<Range<usize>>,
    repeats: bool,
    /// The names of [`Lexer::attrs`], once there are [`INDEXED_FROM`].
    names: HashSet<Cow<'a, str>>,
    /// Where the attributes past the first [`MAX_ATTRIBUTES`] names are
    /// written, when there are any: they are not handed over (see
    /// [`Sink::crowded`]).
    crowded: Option<Range<usize>>,
}

/// Attributes on one tag past which their names are looked up in a set
/// rather than compared one by one (up to [`MAX_ATTRIBUTES`]).
const INDEXED_FROM: usize = 16;

/// The lines of the input, counted as far as they were asked for.
struct Lines {
    /// The line (from 1) at byte `counted`.
    line: u64,
    counted: usize,
    /// Newlines html5ever does not count: those in the white space before
    /// an attribute value, which its tokenizer skips without counting
    /// lines. The audit's lines are html5ever's, so these are left out too.
    uncounted: u64,
    /// Whether the input has a carriage return at all.
    returns: bool,
}

impl Lines {
    /// The line of byte `at` of `bytes`: newlines counted since the last
    /// call, which asked for the same byte or an earlier one.
    fn at(&mut self, bytes: &[u8], at: usize) -> u64 {
        let newlines = match self.returns {
            false => memchr::memchr_iter(b'\n', &bytes[self.counted..at]).count(),
            true => memchr::memchr2_iter(b'\n', b'\r', &bytes[self.counted..at])
                .filter(|&i| ends_line(bytes, self.counted + i))
                .count(),
        };
        self.line += newlines as u64;
        self.counted = at;
        self.line - self.uncounted
    }
}

/// Whether byte `i` ends a line as the tokenizer counts them: a newline,
/// or a carriage return without one after it (CR LF is one line break, the
/// tokenizer reading both as one newline).
fn ends_line(bytes: &[u8], i: usize) -> bool {
    bytes[i] == b'\n' || (bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
}

/// HTML's white space, a carriage return included: the tokenizer reads it
/// as a newline.
pub(super) const fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// `text` as the tokenizer reads it in a name or a value: a carriage
/// return (with the newline after it, if any) a newline, a NUL U+FFFD.
fn preprocessed(text: &str) -> Cow<'_, str> {
    if memchr::memchr2(b'\r', b'\0', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

impl<'a> Lexer<'a> {
    /// The data state, to the end.
    fn data(&mut self, audit: &mut impl Sink<'a>) {
        loop {
            let rest = &self.bytes[self.pos..];
            let Some(lt) = memchr::memchr(b'<', rest).map(|i| self.pos + i) else {
                self.text(self.pos, self.bytes.len(), false, audit);
                return;
            };
            self.text(self.pos, lt, false, audit);
            let next = self.bytes.get(lt + 1).copied();
            match next {
                Some(b'!') => {
                    let Some(end) = self.markup_declaration(lt + 2) else {
                        return;
                    };
                    self.pos = end;
                }
                Some(b'/') => match self.bytes.get(lt + 2).copied() {
                    Some(c) if c.is_ascii_alphabetic() => {
                        self.pos = lt + 2;
                        let Some(tag) = self.tag() else {
                            return;
                        };
                        self.tell_crowded(audit);
                        audit.end(tag.name);
                        audit.tag_done(self.pos);
                    }
                    Some(b'>') => self.pos = lt + 3,
                    // `</` at the end is text.
                    None => {
                        audit.text(false);
                        return;
                    }
                    // A bogus comment, to the first `>`.
                    Some(_) => match memchr::memchr(b'>', &self.bytes[lt + 2..]) {
                        Some(i) => self.pos = lt + 2 + i + 1,
                        None => return,
                    },
                },
                Some(c) if c.is_ascii_alphabetic() => {
                    self.pos = lt + 1;
                    let Some(tag) = self.tag() else {
                        return;
                    };
                    self.tell_crowded(audit);
                    let (bytes, end, lines) = (self.bytes, self.pos - 1, &mut self.lines);
                    let spans = Spans {
                        each: &self.spans,
                        repeats: self.repeats,
                    };
                    let raw = audit.start(
                        tag.name.clone(),
                        tag.self_closing,
                        &self.attrs,
                        &spans,
                        || lines.at(bytes, end),
                    );
                    if let Some(kind) = raw {
                        self.raw_text(&tag.name, kind, audit);
                    }
                    audit.tag_done(self.pos);
                }
                // A processing instruction: a bogus comment.
                Some(b'?') => match memchr::memchr(b'>', &self.bytes[lt + 1..]) {
                    Some(i) => self.pos = lt + 1 + i + 1,
                    None => return,
                },
                // Any other `<` is text.
                _ => {
                    audit.text(false);
                    self.pos = lt + 1;
                }
            }
        }
    }

    /// Text from `from` to `to`: only whether it is blank reaches the
    /// audit. Character references are decoded (`&#32;` is blank) unless
    /// `literal` (raw text).
    fn text(&self, from: usize, to: usize, literal: bool, audit: &mut impl Sink<'a>) {
        if from == to {
            return;
        }
        audit.text(blank(&self.html[from..to], literal));
    }

    /// After `<!`: a comment, or (a doctype, CDATA outside foreign content,
    /// anything else) a bogus comment to the first `>`. Returns where the
    /// data state goes on, `None` at the end of the input.
    fn markup_declaration(&self, at: usize) -> Option<usize> {
        let bytes = self.bytes;
        if !bytes[at..].starts_with(b"--") {
            return memchr::memchr(b'>', &bytes[at..]).map(|i| at + i + 1);
        }
        let mut i = at + 2;
        // `<!-->` and `<!--->` are (empty) comments.
        if bytes.get(i) == Some(&b'>') {
            return Some(i + 1);
        }
        if bytes[i..].starts_with(b"->") {
            return Some(i + 2);
        }
        // The comment states: `--` then `>`, or `--!` then `>`, ends it;
        // more dashes keep it at its end state.
        loop {
            i += memchr::memchr(b'-', &bytes[i..])?;
            // At a `-`: the comment end dash state.
            if bytes.get(i + 1) != Some(&b'-') {
                i += 1;
                continue;
            }
            // The comment end state, at `i + 2`.
            let mut j = i + 2;
            while bytes.get(j) == Some(&b'-') {
                j += 1;
            }
            match bytes.get(j) {
                Some(b'>') => return Some(j + 1),
                Some(b'!') => match bytes.get(j + 1) {
                    Some(b'>') => return Some(j + 2),
                    // (A `-` after `--!` is the end dash state again.)
                    Some(_) => i = j + 1,
                    None => return None,
                },
                Some(_) => i = j,
                None => return None,
            }
        }
    }

    /// The text of a raw-text element to its end tag, which is read as a
    /// tag.
    fn raw_text(&mut self, name: &str, kind: RawKind, audit: &mut impl Sink<'a>) {
        let bytes = self.bytes;
        let start = self.pos;
        let end = match kind {
            RawKind::ScriptData => script_end(bytes, start),
            _ => {
                let mut search = start;
                loop {
                    let Some(i) = memchr::memmem::find(&bytes[search..], b"</") else {
                        break None;
                    };
                    let at = search + i;
                    if end_tag_at(bytes, at, name.as_bytes()) {
                        break Some(at);
                    }
                    search = at + 2;
                }
            }
        };
        self.text(
            start,
            end.unwrap_or(bytes.len()),
            kind != RawKind::Rcdata,
            audit,
        );
        let Some(end) = end else {
            self.pos = bytes.len();
            return;
        };
        self.pos = end + 2;
        match self.tag() {
            Some(tag) => audit.end(tag.name),
            None => self.pos = bytes.len(),
        }
    }

    /// [`Sink::crowded`], if the tag just read is.
    fn tell_crowded(&self, audit: &mut impl Sink<'a>) {
        if let Some(cut) = &self.crowded {
            audit.crowded(cut.clone());
        }
    }

    /// A tag from its name (at `pos`, after `<` or `</`) to its `>`, after
    /// which `pos` is left; `None` if the input ends first (the tokenizer
    /// drops the tag).
    fn tag(&mut self) -> Option<Tag<'a>> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut i = start;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
            i += 1;
        }
        let name = self.lowercase(start, i);
        self.attrs.clear();
        self.spans.clear();
        self.names.clear();
        self.repeats = false;
        self.crowded = None;
        let mut self_closing = false;
        // The before attribute name state.
        loop {
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match *bytes.get(i)? {
                b'>' => break,
                b'/' => {
                    // The self-closing start tag state.
                    if *bytes.get(i + 1)? == b'>' {
                        self_closing = true;
                        i += 1;
                        break;
                    }
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // The attribute name state: a leading `=` is part of the name.
            let name_start = i;
            i += 1;
            while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=')
            {
                i += 1;
            }
            let attr_name = self.lowercase(name_start, i);
            // The after attribute name state.
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            let value = if bytes.get(i) == Some(&b'=') {
                i += 1;
                // The before attribute value state.
                while i < bytes.len() && is_space(bytes[i]) {
                    self.lines.uncounted += u64::from(ends_line(bytes, i));
                    i += 1;
                }
                match *bytes.get(i)? {
                    quote @ (b'"' | b'\'') => {
                        let from = i + 1;
                        let to = from + memchr::memchr(quote, &bytes[from..])?;
                        i = to + 1;
                        // The after attribute value (quoted) state: anything
                        // but white space, `/` or `>` starts the next name.
                        self.value(from, to)
                    }
                    // A missing value; the tag ends.
                    b'>' => Cow::Borrowed(""),
                    _ => {
                        let from = i;
                        while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                            i += 1;
                        }
                        if i == bytes.len() {
                            return None;
                        }
                        self.value(from, i)
                    }
                }
            } else {
                Cow::Borrowed("")
            };
            if let Some(cut) = &mut self.crowded {
                // Past the limit, all are cut: none is handed over.
                cut.end = i;
                continue;
            }
            let repeated = if self.attrs.len() < INDEXED_FROM {
                self.attrs.iter().any(|(n, _)| *n == attr_name)
            } else {
                if self.names.is_empty() {
                    self.names.extend(self.attrs.iter().map(|(n, _)| n.clone()));
                }
                !self.names.insert(attr_name.clone())
            };
            if repeated {
                self.repeats = true;
            } else if self.attrs.len() == MAX_ATTRIBUTES {
                self.crowded = Some(name_start..i);
            } else {
                self.attrs.push((attr_name, value));
                self.spans.push(name_start..i);
            }
        }
        self.pos = i + 1;
        Some(Tag { name, self_closing })
    }

    /// A name, bytes `from..to` lowercased (ASCII, as the tokenizer does).
    fn lowercase(&self, from: usize, to: usize) -> Cow<'a, str> {
        let text = &self.html[from..to];
        if self.rewrites
            && let Cow::Owned(name) = preprocessed(text)
        {
            Cow::Owned(name.to_ascii_lowercase())
        } else if text.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(text.to_ascii_lowercase())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// An attribute value, its character references decoded.
    fn value(&self, from: usize, to: usize) -> Cow<'a, str> {
        let text = &self.html[from..to];
        if self.rewrites
            && let Cow::Owned(value) = preprocessed(text)
        {
            Cow::Owned(decode(&value, true))
        } else if memchr::memchr(b'&', text.as_bytes()).is_some() {
            Cow::Owned(decode(text, true))
        } else {
            Cow::Borrowed(text)
        }
    }
}

/// Whether `bytes[at..]` is `</` and `name` (ASCII case-insensitive) with
/// white space, `/` or `>` after it: the end tag that ends raw text.
fn end_tag_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    named(bytes, at, b"</", name)
}

/// Whether `bytes[at..]` is `prefix` and `name` (ASCII case-insensitive)
/// with white space, `/` or `>` after it.
fn named(bytes: &[u8], at: usize, prefix: &[u8], name: &[u8]) -> bool {
    let after = at + prefix.len() + name.len();
    bytes.len() > after
        && bytes[at..].starts_with(prefix)
        && bytes[at + prefix.len()..after].eq_ignore_ascii_case(name)
        && (is_space(bytes[after]) || matches!(bytes[after], b'/' | b'>'))
}

/// Where the text of a `<script>` that starts at `from` ends: at the `<` of
/// its end tag, `None` if it runs to the end. The tokenizer's script data
/// states: a `<!--` enters the escaped ones, where a `<script>` starts a
/// double-escaped part that a `</script>` only ends (it does not end the
/// element there) and a `-->` leaves both.
fn script_end(bytes: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        Data,
        Escaped,
        EscapedDash,
        EscapedDashDash,
        Double,
        DoubleDash,
        DoubleDashDash,
    }
    use State::*;
    let mut state = Data;
    let mut i = from;
    while i < bytes.len() {
        if state == Data {
            let lt = i + memchr::memchr(b'<', &bytes[i..])?;
            if end_tag_at(bytes, lt, b"script") {
                return Some(lt);
            }
            (state, i) = match bytes[lt + 1..].starts_with(b"!--") {
                true => (EscapedDashDash, lt + 4),
                false => (Data, lt + 1),
            };
            continue;
        }
        let at = i;
        i += 1;
        state = match (state, bytes[at]) {
            (Escaped | EscapedDash | EscapedDashDash, b'<') => {
                if end_tag_at(bytes, at, b"script") {
                    return Some(at);
                }
                if named(bytes, at, b"<", b"script") {
                    // Past the name: what follows it is read double-escaped.
                    i = at + 7;
                    Double
                } else {
                    Escaped
                }
            }
            (Double | DoubleDash | DoubleDashDash, b'<') => {
                if end_tag_at(bytes, at, b"script") {
                    i = at + 8;
                    Escaped
                } else {
                    Double
                }
            }
            (Escaped, b'-') => EscapedDash,
            (EscapedDash | EscapedDashDash, b'-') => EscapedDashDash,
            (Double, b'-') => DoubleDash,
            (DoubleDash | DoubleDashDash, b'-') => DoubleDashDash,
            (EscapedDashDash | DoubleDashDash, b'>') => Data,
            (EscapedDash | EscapedDashDash, _) => Escaped,
            (DoubleDash | DoubleDashDash, _) => Double,
            (state, _) => state,
        };
    }
    None
}

/// Whether `text` is all white space once its character references are
/// decoded (`&#32;` is blank), unless `literal` (raw text, where `&` is
/// itself): [`is_blank`](super::depth::is_blank) of the decoded text, read
/// only up to its first other character, which in an article is nearly
/// always the first one. Nothing is decoded into a new string.
fn blank(text: &str, literal: bool) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' | b'\t' | b'\n' | b'\x0C' | b'\r' => i += 1,
            b'&' if !literal => match char_ref(&text[i + 1..], false) {
                Some((chars, used))
                    if chars
                        .into_iter()
                        .flatten()
                        .all(|c| matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r')) =>
                {
                    i += 1 + used;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// `text` with its character references decoded as the tokenizer decodes
/// them in an attribute value (`in_attribute`) or in text.
fn decode(text: &str, in_attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match char_ref(after, in_attribute) {
            Some((chars, used)) => {
                out.extend(chars.into_iter().flatten());
                rest = &after[used..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character reference after a `&`: its one or two characters and the
/// bytes it takes; `None` when the `&` is just text.
fn char_ref(after: &str, in_attribute: bool) -> Option<([Option<char>; 2], usize)> {
    let bytes = after.as_bytes();
    match bytes.first()? {
        b'#' => {
            let (base, digits_at) = match bytes.get(1) {
                Some(b'x' | b'X') => (16, 2),
                _ => (10, 1),
            };
            let digits = bytes[digits_at..]
                .iter()
                .take_while(|b| (**b as char).is_digit(base))
                .count();
            if digits == 0 {
                return None;
            }
            let mut value: u32 = 0;
            let mut too_big = false;
            for &b in &bytes[digits_at..digits_at + digits] {
                value = value.wrapping_mul(base);
                if value > 0x10FFFF {
                    too_big = true;
                }
                value = value.wrapping_add((b as char).to_digit(base).unwrap_or(0));
            }
            let mut used = digits_at + digits;
            if bytes.get(used) == Some(&b';') {
                used += 1;
            }
            let c = match value {
                _ if too_big || value > 0x10FFFF => '\u{FFFD}',
                0 | 0xD800..=0xDFFF => '\u{FFFD}',
                0x80..=0x9F => C1_REPLACEMENTS[(value - 0x80) as usize]
                    .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{FFFD}')),
                _ => char::from_u32(value).unwrap_or('\u{FFFD}'),
            };
            Some(([Some(c), None], used))
        }
        b if b.is_ascii_alphanumeric() => {
            // The longest name in the table, read while what is read is
            // one, or the start of one.
            let mut matched = None;
            for (i, c) in after.char_indices() {
                let end = i + c.len_utf8();
                match NAMED_ENTITIES.get(&after[..end]) {
                    Some(&(c1, c2)) => {
                        if c1 != 0 {
                            matched = Some((c1, c2, end));
                        }
                    }
                    None => break,
                }
            }
            let (c1, c2, end) = matched?;
            let last = after.as_bytes()[end - 1];
            let next = after.as_bytes().get(end);
            if in_attribute
                && last != b';'
                && next.is_some_and(|&n| n == b'=' || n.is_ascii_alphanumeric())
            {
                return None;
            }
            let c2 = (c2 != 0).then(|| char::from_u32(c2)).flatten();
            Some(([char::from_u32(c1), c2], end))
        }
        _ => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::html::guard::depth::is_blank;

    proptest::proptest! {
        /// Blank as the whole text decoded is, and raw text as written.
        #[test]
        fn blank_as_the_decoded_text(
            text in "(&#32;|&#x9;|&#10|&Tab;|&NewLine;|&nbsp;|&amp;|&#0;|&|[ \t\n\x0C\rx;#])*"
        ) {
            proptest::prop_assert_eq!(blank(&text, false), is_blank(&decode(&text, false)));
            proptest::prop_assert_eq!(blank(&text, true), is_blank(&text));
        }
    }
}
