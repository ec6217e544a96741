//! Splits an article into front matter and body, and parses the front matter
//! into a JSON object, whichever syntax the site generator used:
//!
//! | syntax | fences | used by |
//! |---|---|---|
//! | YAML | `---` … `---` or `...`, blank lines allowed before | Hexo, Jekyll, Hugo, feed bots |
//! | YAML | no opening fence: `key: value` lines, then `---` | Hexo |
//! | TOML | `+++` … `+++` | Hugo, Zola |
//! | JSON | `;;;` … `;;;`, opening fence optional, braces optional | Hexo |
//! | YAML, JSON | `------` or `;;;;` (any run longer than three), the same closing | Hexo |
//! | JSON | a bare `{ … }` object | Hugo |
//!
//! Some authors put a `# Title` line above the opening fence; the front
//! matter is then read from below it and the heading stays in the body.
//!
//! A document that merely starts with a thematic break or contains a setext
//! heading is not front matter: a fenced block must parse to a mapping, and
//! the unfenced Hexo form must consist of `key:` lines only.

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::input::line_at;
use crate::rendered::{Diagnostics, FrontMatterFormat};
use crate::yaml;

/// An article split in two.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: FrontMatterFormat,
    /// The text between the fences, when there was front matter.
    pub raw: Option<&'a str>,
    /// 1-based line of the front matter's first line.
    pub line: Option<usize>,
    /// The parsed front matter; empty when there was none or it was invalid.
    pub data: Map<String, Value>,
    pub body: Cow<'a, str>,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// The front matter had no opening fence (Hexo's `key: value` lines up
    /// to `---` or `;;;`, or a bare JSON object): a hint of the generator.
    pub unfenced: bool,
    /// The fences were longer than three (`------`, `;;;;`): only Hexo
    /// reads those.
    pub long_fence: bool,
}

/// Finds and parses the front matter of `text` (already normalized to `\n`).
pub fn split<'a>(text: &'a str, diagnostics: &mut Diagnostics) -> Split<'a> {
    let start = skip_blank_lines(text);
    let first = first_line(&text[start..]);
    let found = match first.trim_end() {
        "---" => fenced(text, start, FrontMatterFormat::Yaml, &["---", "..."]),
        line if is_atx_heading(line) => below_heading(text, start + first.len()),
        "+++" => fenced(text, start, FrontMatterFormat::Toml, &["+++"]),
        ";;;" => fenced(text, start, FrontMatterFormat::Json, &[";;;"]),
        // Hexo's fences are any run of three or more (`^(-{3,}|;{3,})`), and
        // its writer makes longer ones with a custom separator; the closing
        // fence repeats the opening one. Only at the very top of the file,
        // and only when the block parses as a mapping (see below), so a
        // document opening with a long thematic break stays Markdown.
        line if start == 0 && is_long_fence(line, b'-') => {
            fenced(text, start, FrontMatterFormat::Yaml, &[line])
        }
        line if start == 0 && is_long_fence(line, b';') => {
            fenced(text, start, FrontMatterFormat::Json, &[line])
        }
        line if start == 0 && line.starts_with('{') => bare_json(text),
        _ if start == 0 => unfenced(text),
        _ => None,
    };
    let Some(block) = found else {
        return none(text);
    };
    let long_fence = start == 0
        && (is_long_fence(first.trim_end(), b'-') || is_long_fence(first.trim_end(), b';'));
    let raw_line = line_at(text, block.raw_start);
    let raw = &text[block.raw_start..block.raw_end];
    let body_line = line_at(text, block.body_start);
    let parsed = match block.format {
        FrontMatterFormat::Yaml => parse_yaml(raw, raw_line, diagnostics),
        FrontMatterFormat::Toml => parse_toml(raw, raw_line),
        FrontMatterFormat::Json => parse_json(raw, raw_line),
        FrontMatterFormat::None => unreachable!("a block always has a syntax"),
    };
    let data = match parsed {
        Ok(Value::Object(map)) => map,
        Ok(Value::Null) => Map::new(),
        // A fenced block that is not a mapping (`---\nSome text\n---` is a
        // thematic break and a setext heading) was never front matter.
        Ok(_) if block.format == FrontMatterFormat::Yaml && !looks_like_yaml_mapping(raw) => {
            return none(text);
        }
        Ok(_) => {
            diagnostics.warn(
                "front-matter.not-a-mapping",
                "The front matter is not a set of `key: value` pairs; it was kept in `frontMatter.raw`.",
                Some(raw_line),
            );
            Map::new()
        }
        Err(_) if block.format == FrontMatterFormat::Yaml && !looks_like_yaml_mapping(raw) => {
            return none(text);
        }
        // A long fence is front matter only when what it holds parses.
        Err(_) if long_fence => return none(text),
        Err((code, message, line)) => {
            diagnostics.error(code, message, Some(line));
            Map::new()
        }
    };
    Split {
        format: block.format,
        raw: Some(raw),
        line: Some(raw_line),
        data,
        body: match block.kept_before {
            Some(end) => Cow::Owned(format!("{}{}", &text[..end], &text[block.body_start..])),
            None => Cow::Borrowed(&text[block.body_start..]),
        },
        body_line,
        unfenced: block.raw_start == 0,
        long_fence,
    }
}

fn none(text: &str) -> Split<'_> {
    Split {
        format: FrontMatterFormat::None,
        raw: None,
        line: None,
        data: Map::new(),
        body: Cow::Borrowed(text),
        body_line: 1,
        unfenced: false,
        long_fence: false,
    }
}

/// Byte ranges of a front-matter block.
struct Block {
    format: FrontMatterFormat,
    raw_start: usize,
    raw_end: usize,
    body_start: usize,
    /// Text before the block that belongs to the body (a title line), up to this offset.
    kept_before: Option<usize>,
}

fn is_atx_heading(line: &str) -> bool {
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

/// `# Title` and then YAML front matter: only when the block below is a
/// real mapping, so a heading followed by a thematic break stays Markdown.
fn below_heading(text: &str, heading_end: usize) -> Option<Block> {
    let start = heading_end + skip_blank_lines(&text[heading_end..]);
    if first_line(&text[start..]).trim_end() != "---" {
        return None;
    }
    let block = fenced(text, start, FrontMatterFormat::Yaml, &["---", "..."])?;
    let raw = &text[block.raw_start..block.raw_end];
    if !looks_like_yaml_mapping(raw) || !matches!(yaml::load(raw), Ok(l) if l.value.is_object()) {
        return None;
    }
    Some(Block {
        kept_before: Some(heading_end + 1),
        ..block
    })
}

fn skip_blank_lines(text: &str) -> usize {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            return offset;
        }
        offset += line.len();
    }
    offset
}

fn first_line(text: &str) -> &str {
    text.split('\n').next().unwrap_or("")
}

/// Lines of `text` from `offset` on, each with its start offset, without `\n`.
fn lines_from(text: &str, offset: usize) -> impl Iterator<Item = (usize, &str)> {
    text[offset..]
        .split_inclusive('\n')
        .scan(offset, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.strip_suffix('\n').unwrap_or(line)))
        })
}

/// A block opened by a fence line at `start` and closed by one of `closers`.
fn fenced(text: &str, start: usize, format: FrontMatterFormat, closers: &[&str]) -> Option<Block> {
    let raw_start = (start + first_line(&text[start..]).len() + 1).min(text.len());
    let (close, line) =
        lines_from(text, raw_start).find(|(_, line)| is_fence(line.trim_end(), closers))?;
    Some(Block {
        format,
        raw_start,
        raw_end: close,
        body_start: (close + line.len() + 1).min(text.len()),
        kept_before: None,
    })
}

/// `---` may be longer (Hexo accepts `-----`); the others are exact.
fn is_fence(line: &str, closers: &[&str]) -> bool {
    closers.iter().any(|closer| {
        line == *closer || (*closer == "---" && line.len() > 3 && line.bytes().all(|b| b == b'-'))
    })
}

/// A line of four or more `byte`s and nothing else.
fn is_long_fence(line: &str, byte: u8) -> bool {
    line.len() > 3 && line.bytes().all(|b| b == byte)
}

/// Hugo's JSON front matter: the first value of the file is an object.
fn bare_json(text: &str) -> Option<Block> {
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    match values.next() {
        Some(Ok(Value::Object(_))) => {}
        _ => return None,
    }
    let end = values.byte_offset();
    let rest = &text[end..];
    let body_start = end + rest.find('\n').map_or(rest.len(), |i| i + 1);
    Some(Block {
        format: FrontMatterFormat::Json,
        raw_start: 0,
        raw_end: end,
        body_start,
        kept_before: None,
    })
}

/// Hexo's front matter without an opening fence: `key: value` lines up to a
/// `---` (YAML) or `;;;` (JSON) line. Every line before the fence must look
/// like YAML, so ordinary prose followed by a thematic break is left alone.
fn unfenced(text: &str) -> Option<Block> {
    let first = first_line(text);
    let json = first.starts_with('"');
    if !json && !is_yaml_key_line(first) {
        return None;
    }
    for (offset, line) in lines_from(text, 0) {
        let trimmed = line.trim_end();
        let json_fence = trimmed == ";;;" || is_long_fence(trimmed, b';');
        if json_fence || is_fence(trimmed, &["---"]) {
            return Some(Block {
                format: if json_fence {
                    FrontMatterFormat::Json
                } else {
                    FrontMatterFormat::Yaml
                },
                raw_start: 0,
                raw_end: offset,
                body_start: (offset + line.len() + 1).min(text.len()),
                kept_before: None,
            });
        }
        let continues = trimmed.is_empty()
            || line.starts_with([' ', '\t', '-', '#'])
            || (json && line.starts_with(['"', '{', '}', '[', ']']))
            || is_yaml_key_line(line);
        if !continues {
            return None;
        }
    }
    None
}

/// `title: x`, `date:`, `"quoted key": y` — a line a YAML mapping could start with.
fn is_yaml_key_line(line: &str) -> bool {
    let Some(colon) = line.find(':') else {
        return false;
    };
    let key = &line[..colon];
    let after = &line[colon + 1..];
    (after.is_empty() || after.starts_with([' ', '\t']))
        && !key.is_empty()
        && !key.starts_with([' ', '\t', '-', '#', '>', '*', '[', '!', '`'])
        && key.chars().count() <= 64
}

fn looks_like_yaml_mapping(raw: &str) -> bool {
    raw.lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .is_some_and(is_yaml_key_line)
}

type ParseError = (&'static str, String, usize);

fn parse_yaml(
    raw: &str,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Result<Value, ParseError> {
    let loaded = match yaml::load(raw) {
        Ok(loaded) => loaded,
        Err(e) => {
            // YAML does not allow tabs for indentation; Hexo turns each tab
            // that starts a line (after the first) into two spaces before
            // parsing, so its authors write them. Read them as Hexo does.
            let Some((escaped, tab_line)) = tabs_as_spaces(raw) else {
                return Err((e.code, e.message, first_line + e.line.max(1) - 1));
            };
            let Ok(loaded) = yaml::load(&escaped) else {
                return Err((e.code, e.message, first_line + e.line.max(1) - 1));
            };
            diagnostics.info(
                "front-matter.tab-indent",
                "The front matter is indented with tabs, which YAML does not allow; each was read as two spaces, as Hexo reads them.",
                Some(first_line + tab_line - 1),
            );
            loaded
        }
    };
    for (code, message, line) in loaded.warnings {
        diagnostics.warn(code, message, Some(first_line + line - 1));
    }
    Ok(loaded.value)
}

/// Hexo's `escapeYAML`: each tab at the start of a line but the first is two
/// spaces. `None` when there is none; otherwise the text and the 1-based
/// line of the first.
fn tabs_as_spaces(raw: &str) -> Option<(String, usize)> {
    let first = raw
        .split('\n')
        .skip(1)
        .position(|line| line.starts_with('\t'))?
        + 2;
    let mut out = String::with_capacity(raw.len() + 16);
    for (i, line) in raw.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            let tabs = line.len() - line.trim_start_matches('\t').len();
            out.push_str(&"  ".repeat(tabs));
            out.push_str(&line[tabs..]);
        } else {
            out.push_str(line);
        }
    }
    Some((out, first))
}

fn parse_toml(raw: &str, first_line: usize) -> Result<Value, ParseError> {
    match raw.parse::<toml::Table>() {
        Ok(table) => Ok(toml_to_json(toml::Value::Table(table))),
        Err(e) => {
            let line = e
                .span()
                .map_or(first_line, |span| first_line + line_at(raw, span.start) - 1);
            Err((
                "front-matter.invalid-toml",
                format!(
                    "The TOML front matter is invalid: {}.",
                    e.message().trim_end_matches('.')
                ),
                line,
            ))
        }
    }
}

fn parse_json(raw: &str, first_line: usize) -> Result<Value, ParseError> {
    let trimmed = raw.trim();
    // Hexo's `;;;` front matter may leave out the braces.
    let wrapped;
    let json = if trimmed.starts_with('{') {
        trimmed
    } else {
        wrapped = format!("{{{trimmed}}}");
        &wrapped
    };
    serde_json::from_str(json).map_err(|e| {
        (
            "front-matter.invalid-json",
            format!("The JSON front matter is invalid: {e}."),
            first_line + e.line().max(1) - 1,
        )
    })
}

/// TOML dates become their RFC 3339 text, which `meta` then normalizes.
fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(text: &str) -> (Split<'_>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let split = split(text, &mut diagnostics);
        (split, diagnostics)
    }

    #[test]
    fn yaml_after_blank_lines() {
        let (s, d) = run("\n\n---\ntitle: x\n---\n\nbody\n");
        assert_eq!(
            s.format,
            FrontMatterFormat::Yaml,
            "blank lines before `---` are allowed"
        );
        assert_eq!(s.data, json!({"title": "x"}).as_object().unwrap().clone());
        assert_eq!(s.body, "\nbody\n");
        assert_eq!(
            s.body_line, 6,
            "the body starts on the sixth line of the file"
        );
        assert!(d.0.is_empty());
    }

    /// hexo-front-matter's separator is `-{3,}` or `;{3,}`, the closing one
    /// the same as the opening one.
    #[test]
    fn hexo_long_fences() {
        let (s, d) = run("------\ntitle: Long fences\ntags: [a]\n------\n# Heading\n");
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(s.data["title"], "Long fences");
        assert_eq!(s.body, "# Heading\n", "no `<hr>` and no stray heading");
        assert!(d.0.is_empty(), "{d:?}");
        let (s, _) = run(";;;;\n\"title\": \"J\"\n;;;;\nbody");
        assert_eq!(
            (s.format, s.body.as_ref()),
            (FrontMatterFormat::Json, "body")
        );
        assert_eq!(s.data["title"], "J");
        let (s, _) = run("title: No opening\n;;;;;\nbody");
        assert_eq!(s.format, FrontMatterFormat::Json, "{:?}", s.data);
        // A Markdown file between two long thematic breaks is not touched,
        // even when a line of it looks like a key.
        for text in [
            "-----\nSome prose.\n-----\nMore.\n",
            "-----\nNote: this is prose, [not] YAML: {really\n-----\nMore.\n",
            "\n-----\ntitle: x\n-----\n",
        ] {
            let (s, d) = run(text);
            assert_eq!(s.format, FrontMatterFormat::None, "{text:?}");
            assert_eq!(s.body, text);
            assert!(d.0.is_empty(), "{d:?}");
        }
    }

    /// Hexo turns leading tabs into two spaces each before parsing.
    #[test]
    fn hexo_tab_indented_yaml() {
        let (s, d) =
            run("---\ntitle: Tabs\ntags:\n\t- one\n\t- two\nauthor:\n\tname: A\n---\nbody");
        assert_eq!(s.data["title"], "Tabs");
        assert_eq!(s.data["tags"], json!(["one", "two"]));
        assert_eq!(s.data["author"]["name"], "A");
        assert_eq!(d.0.len(), 1, "{d:?}");
        assert_eq!(d.0[0].code, "front-matter.tab-indent");
        assert_eq!(d.0[0].line, Some(4), "the first tab's line in the file");
    }

    #[test]
    fn yaml_closed_by_dots() {
        let (s, _) = run("---\ntitle: x\n...\nbody");
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(s.body, "body");
    }

    #[test]
    fn toml_and_its_dates() {
        let (s, _) =
            run("+++\ntitle = \"x\"\ndate = 2021-07-19T11:24:48Z\n[extra]\na = 1\n+++\nbody");
        assert_eq!(s.format, FrontMatterFormat::Toml);
        assert_eq!(
            Value::Object(s.data),
            json!({"title": "x", "date": "2021-07-19T11:24:48Z", "extra": {"a": 1}}),
            "TOML datetimes become RFC 3339 text and tables nest"
        );
    }

    #[test]
    fn hexo_json_without_braces() {
        let (s, _) = run("\"title\": \"x\",\n\"tags\": [\"a\"]\n;;;\nbody");
        assert_eq!(s.format, FrontMatterFormat::Json);
        assert_eq!(Value::Object(s.data), json!({"title": "x", "tags": ["a"]}));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn hugo_bare_json_object() {
        let (s, _) = run("{\n  \"title\": \"x\"\n}\n\nbody");
        assert_eq!(s.format, FrontMatterFormat::Json);
        assert_eq!(s.body, "\nbody");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn hexo_without_opening_fence() {
        let (s, _) = run("title: x\ndate: 2020-01-01\ntags:\n- a\n---\nbody");
        assert_eq!(
            s.format,
            FrontMatterFormat::Yaml,
            "Hexo's unfenced form is recognized"
        );
        assert_eq!(
            Value::Object(s.data),
            json!({"title": "x", "date": "2020-01-01", "tags": ["a"]})
        );
    }

    #[test]
    fn markdown_with_rules_is_not_front_matter() {
        for text in [
            "---\n\nSome text\n\n---\n",
            "Title\n---\n\nText",
            "Note: this is prose\nand more prose\n---\n",
            "---\nSome setext heading\n---\n",
            "# Heading\n\n---\n\nmore",
        ] {
            let (s, d) = run(text);
            assert_eq!(
                s.format,
                FrontMatterFormat::None,
                "{text:?} is Markdown, not front matter"
            );
            assert_eq!(s.body, *text, "the whole text stays the body");
            assert!(d.0.is_empty(), "no diagnostic for {text:?}");
        }
    }

    #[test]
    fn invalid_yaml_is_reported_and_kept() {
        let (s, d) = run("---\ntitle: x\ntags: [a, b\n---\nbody");
        assert_eq!(s.format, FrontMatterFormat::Yaml);
        assert_eq!(
            s.raw,
            Some("title: x\ntags: [a, b\n"),
            "the raw text is kept"
        );
        assert!(s.data.is_empty());
        assert_eq!(s.body, "body", "the body still follows the fence");
        assert_eq!(d.0[0].code, "front-matter.invalid-yaml");
        assert!(
            d.0[0].line.is_some_and(|l| (2..=4).contains(&l)),
            "line is within the front matter: {:?}",
            d.0[0].line
        );
    }

    #[test]
    fn invalid_toml_has_its_line() {
        let (_, d) = run("+++\ntitle = \"x\"\ndate = \n+++\nbody");
        assert_eq!(d.0[0].code, "front-matter.invalid-toml");
        assert_eq!(
            d.0[0].line,
            Some(3),
            "the error points at `date =` on line 3"
        );
    }

    #[test]
    fn title_line_above_the_front_matter() {
        let (s, _) = run("# My title\n---\ntitle: x\ndate: 2020-01-01\n---\n\nbody\n");
        assert_eq!(
            s.format,
            FrontMatterFormat::Yaml,
            "the block under the heading is front matter"
        );
        assert_eq!(s.data["title"], "x");
        assert_eq!(
            s.body, "# My title\n\nbody\n",
            "the heading stays in the body"
        );
        let (s, _) = run("# Heading\n---\nText\n---\n");
        assert_eq!(
            s.format,
            FrontMatterFormat::None,
            "a heading and rules are Markdown"
        );
    }

    #[test]
    fn unclosed_fence_is_body() {
        let (s, _) = run("---\nno closing fence here");
        assert_eq!(s.format, FrontMatterFormat::None);
    }

    #[test]
    fn empty_front_matter() {
        let (s, d) = run("+++\n+++\nbody");
        assert_eq!(s.format, FrontMatterFormat::Toml);
        assert!(s.data.is_empty() && d.0.is_empty());
    }
}
