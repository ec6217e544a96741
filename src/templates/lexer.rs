//! Finding the template tags of a body: `{% … %}`, `{{< … >}}` and
//! `{{% … %}}`, never inside code (fenced, indented or inline), with every
//! search for a closing delimiter remembered so that the scan stays linear.

use super::*;

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

pub(super) struct Lexer<'a> {
    src: &'a str,
    markdown: bool,
    /// A Zola file: only Zola's shortcodes are template syntax.
    zola: bool,
    /// Names of the Zola body shortcodes still open, innermost last: `{% end %}`
    /// names none, so it closes the last one opened.
    zola_open: Vec<&'a str>,
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
    pub(super) fn new(src: &'a str, markdown: bool, zola: bool) -> Self {
        Lexer {
            src,
            markdown,
            zola,
            zola_open: Vec::new(),
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

    pub(super) fn run(mut self) -> Vec<Token<'a>> {
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
                // Only the bytes above matter here: on to the next of them.
                _ => {
                    let rest = &b[self.pos + 1..];
                    self.pos += 1 + memchr::memchr3(b'\n', b'`', b'{', rest).unwrap_or(rest.len());
                }
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
        if self.zola {
            return match b.get(self.pos + 1) {
                Some(b'{') => self.zola_shortcode(Delim::ZolaInline),
                Some(b'%') => self.zola_shortcode(Delim::ZolaBody),
                _ => false,
            };
        }
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

    /// Zola: `{{ name(args) }}`, `{% name(args) %}`, `{% end %}` and the
    /// escapes `{{/* … */}}`, `{%/* … */%}`. Anything else in braces is text,
    /// as Zola leaves it.
    fn zola_shortcode(&mut self, delim: Delim) -> bool {
        let (src, at) = (self.src, self.pos);
        let b = src.as_bytes();
        let close_str = if delim == Delim::ZolaInline {
            "}}"
        } else {
            "%}"
        };
        let i = skip_space(b, at + 2);
        if src[i..].starts_with("/*") {
            let needle = if delim == Delim::ZolaInline {
                "*/}}"
            } else {
                "*/%}"
            };
            let Some(close) = self.closer(needle, i + 2) else {
                return false;
            };
            let token = Token::Escaped {
                delim,
                span: at..close + 4,
                inner: i + 2..close,
            };
            self.push(at..close + 4, token);
            return true;
        }
        let name_len = b[i..]
            .iter()
            .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
            .count();
        if name_len == 0 || b[i].is_ascii_digit() {
            return false;
        }
        let name = &src[i..i + name_len];
        let line = self.line;
        let j = skip_space(b, i + name_len);
        if delim == Delim::ZolaBody && name == "end" && src[j..].starts_with("%}") {
            // Closes the innermost open body shortcode; with none open,
            // it closes nothing and is reported as such.
            let opener = self.zola_open.pop().unwrap_or("end");
            let tag = new_tag(delim, opener, "", true, at..j + 2, line);
            self.push(at..j + 2, Token::Tag(tag));
            return true;
        }
        if b.get(j) != Some(&b'(') {
            return false;
        }
        // The next `)` at all, remembered: with none near, no scan.
        let any = self
            .closers
            .entry(")")
            .or_default()
            .get(j + 1, |f| src[f..].find(')').map(|i| (f + i, f + i)));
        let near = any.is_some_and(|(at, _)| at - (j + 1) < MAX_ZOLA_ARGS);
        let Some(paren) = zola_args_end(src, j + 1).filter(|_| near) else {
            let tag = new_tag(delim, name, "", false, at..j + 1, line);
            self.push(at..j + 1, Token::Malformed(tag));
            return true;
        };
        let k = skip_space(b, paren + 1);
        if !src[k..].starts_with(close_str) {
            let tag = new_tag(delim, name, "", false, at..j + 1, line);
            self.push(at..j + 1, Token::Malformed(tag));
            return true;
        }
        let mut tag = new_tag(delim, name, &src[j + 1..paren], false, at..k + 2, line);
        if delim == Delim::ZolaInline {
            tag.self_closing = true;
        } else {
            self.zola_open.push(name);
        }
        self.push(tag.span.clone(), Token::Tag(tag));
        true
    }

    /// A complete tag: verbatim ones take their content and closing tag along.
    fn take(&mut self, tag: Tag<'a>) {
        let family = tag.delim.family();
        // Hugo hands the body of `{{< x >}}…{{< /x >}}` to the shortcode as
        // it is: an unknown one's body is shown as written, never as Markdown.
        let raw_body = tag.delim == Delim::Angle && kind(family, tag.name).is_none();
        let verbatim = !tag.closing
            && !tag.self_closing
            && (raw_body || kind(family, tag.name) == Some(Kind::Verbatim));
        if verbatim {
            let (src, from, name) = (self.src, tag.span.end, tag.name);
            let end = self
                .ends
                .entry((family, name))
                .or_default()
                .get(from, |f| match family {
                    Family::Liquid => find_end(src, f, "{%", |at| liquid_end_at(src, at, name)),
                    Family::Hugo => find_end(src, f, "{{", |at| hugo_end_at(src, at, name)),
                    Family::Zola => None,
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

/// Longest argument list looked through for its closing parenthesis: a
/// bounded look keeps a body full of `{{ a(` linear.
const MAX_ZOLA_ARGS: usize = 2048;

/// The `)` that ends Zola arguments starting at `from`, outside strings.
fn zola_args_end(src: &str, from: usize) -> Option<usize> {
    let b = src.as_bytes();
    let end = (from + MAX_ZOLA_ARGS).min(b.len());
    let mut quote = None;
    for (k, &c) in b[from..end].iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if matches!(c, b'"' | b'\'' | b'`') => quote = Some(c),
            None if c == b')' => return Some(from + k),
            None => {}
        }
    }
    None
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

pub(super) fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|&c| c == b' ' || c == b'\t') {
        i += 1;
    }
    i
}

pub(super) fn skip_space(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

pub(super) fn count_newlines(s: &str) -> usize {
    s.bytes().filter(|&c| c == b'\n').count()
}

pub(super) fn line_end(src: &str, from: usize) -> usize {
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
pub(super) fn indentation(line: &str) -> (usize, usize) {
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
pub(super) fn container_prefix_len(line: &str) -> usize {
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
