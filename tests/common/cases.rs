//! The attack corpus as data, and the options every case is rendered with.
//!
//! `tests/attacks/<category>.txt` holds many cases. Lines before the first
//! case describe the file. Each case starts with a line `=== <id>`; every
//! line after it, up to the next `=== ` line or the end of the file, is the
//! article file, verbatim (ending with a line break, as files do). A case whose header is `=== <id> escaped` may
//! write what a text file cannot hold plainly:
//!
//! - `\u{HEX}` is that character (`\u{0}` NUL, `\u{FEFF}` a BOM, `\u{D}` CR);
//! - `\repeat{N}{text}` is `text` N times (the text cannot hold `}`);
//! - `\\` is one backslash.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

use article_render::{Format, ImagePolicy, Options};

/// One attack: a complete article file.
pub struct Case {
    pub category: String,
    pub id: String,
    pub source: String,
}

/// Every case of every `*.txt` file in `dir`, in file then case order.
pub fn load(dir: &Path) -> Vec<Case> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let category = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a UTF-8 file name")
            .to_owned();
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
        cases.extend(parse(&category, &text));
    }
    cases
}

/// The cases of one category file.
pub fn parse(category: &str, text: &str) -> Vec<Case> {
    let mut cases: Vec<(String, bool, Vec<&str>)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(header) = line.strip_prefix("=== ") {
            let mut words = header.split_whitespace();
            let id = words
                .next()
                .unwrap_or_else(|| panic!("{category}: a case without an id"));
            let escaped = match words.next() {
                None => false,
                Some("escaped") => true,
                Some(other) => panic!("{category}/{id}: unknown flag {other:?}"),
            };
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{category}/{id}: ids are lowercase letters, digits and `-`"
            );
            cases.push((id.to_owned(), escaped, Vec::new()));
        } else if let Some((_, _, lines)) = cases.last_mut() {
            lines.push(line);
        }
    }
    cases
        .into_iter()
        .map(|(id, escaped, lines)| {
            let raw = lines.concat();
            let source = if escaped {
                unescape(&raw).unwrap_or_else(|e| panic!("{category}/{id}: {e}"))
            } else {
                raw
            };
            Case {
                category: category.to_owned(),
                id,
                source,
            }
        })
        .collect()
}

/// Decodes the escapes of an `escaped` case.
pub fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("u{") {
            let end = after.find('}').ok_or("`\\u{` without `}`")?;
            let code = u32::from_str_radix(&after[..end], 16)
                .map_err(|e| format!("bad \\u{{{}}}: {e}", &after[..end]))?;
            out.push(char::from_u32(code).ok_or(format!("\\u{{{code:X}}} is no character"))?);
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix("repeat{") {
            let end = after.find("}{").ok_or("`\\repeat{N}` without `{text}`")?;
            let times: usize = after[..end]
                .parse()
                .map_err(|e| format!("bad repeat count: {e}"))?;
            let body = &after[end + 2..];
            let close = body.find('}').ok_or("`\\repeat{N}{` without `}`")?;
            out.push_str(&body[..close].repeat(times));
            rest = &body[close + 1..];
        } else if let Some(after) = rest.strip_prefix('\\') {
            out.push('\\');
            rest = after;
        } else {
            return Err(format!(
                "unknown escape at {:?}",
                &rest[..rest.len().min(10)]
            ));
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// The options every case is rendered with: the defaults, each body format
/// forced, a base URL with images blocked, and another id prefix with the
/// Markdown extensions off.
pub fn variants() -> Vec<(&'static str, Options)> {
    let mut plain = Options {
        id_prefix: "art-".to_owned(),
        heading_ids: false,
        ..Options::default()
    };
    let m = &mut plain.markdown;
    (m.tables, m.footnotes, m.strikethrough, m.task_lists) = (false, false, false, false);
    (m.heading_attributes, m.alerts) = (false, false);
    m.math = article_render::MathOption::Off;
    m.smart_punctuation = true;
    vec![
        ("default", Options::default()),
        (
            "html",
            Options {
                format: Format::Html,
                ..Options::default()
            },
        ),
        (
            "markdown",
            Options {
                format: Format::Markdown,
                ..Options::default()
            },
        ),
        (
            "base+block",
            Options {
                base_url: Some("https://blog.example/posts/a/".to_owned()),
                images: ImagePolicy::Block,
                ..Options::default()
            },
        ),
        ("prefix+plain", plain),
    ]
}

#[test]
fn escapes_decode() {
    assert_eq!(
        unescape(r"a\u{0}b\u{FEFF}\repeat{3}{<i>}\\u").unwrap(),
        "a\0b\u{FEFF}<i><i><i>\\u",
        "each escape is decoded, and `\\\\` is one backslash"
    );
    assert!(unescape(r"\q").is_err(), "an unknown escape is an error");
}

#[test]
fn cases_split_on_headers() {
    let cases = parse(
        "x",
        "about the file\n=== one\nline 1\n\nline 3\n=== two escaped\n\\u{41}\n",
    );
    let read: Vec<_> = cases
        .iter()
        .map(|c| (c.id.as_str(), c.source.as_str()))
        .collect();
    assert_eq!(
        read,
        [("one", "line 1\n\nline 3\n"), ("two", "A\n")],
        "each case is the text between headers"
    );
}
