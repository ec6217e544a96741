//! `meta.extra` made safe for what hosts do with it. Themes put front-matter
//! fields straight into pages (`link` and `source_url` into an `href`,
//! `og_image` and `headimg.src` into a `src`) and merge `meta` into their own
//! configuration, so two rules hold at any depth, in maps and lists, for
//! values written once or expanded from YAML anchors, aliases and merge keys
//! (the loader has expanded them all by the time this walk runs):
//!
//! - a string a browser would run as script or load as a document when used
//!   as a URL (`javascript:`, `vbscript:`, a `data:` URL that is not a raster
//!   image — see [`safe_url::runs_as_script_or_document`]) becomes `null`,
//!   with a `meta.unsafe-url` warning naming its key path;
//! - keys that reach an object's prototype in JavaScript (`__proto__`,
//!   `constructor`, `prototype`) are dropped with a `meta.dropped-key`
//!   warning: no article needs them, and a naive deep merge of `meta` into a
//!   host's object would follow them to `Object.prototype`.
//!
//! Every other value is left exactly as written: this is not where text is
//! cleaned, and a colon alone does not make a URL.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::rendered::Diagnostics;
use crate::safe_url;
use crate::text::decode_references;

/// Keys JavaScript resolves to an object's prototype or its constructor.
const PROTOTYPE_KEYS: &[&str] = &["__proto__", "constructor", "prototype"];

/// Warnings written one by one; past this, one more sums up the rest, so a
/// front matter of a thousand hostile values gives a readable list.
const MAX_REPORTED: usize = 32;

/// How many times character references are decoded before a value is
/// judged as the last form: a host may decode once (an HTML template) or
/// twice (a template fed text it had already decoded).
const DECODE_ROUNDS: usize = 3;

/// Applies both rules to `extra`. `raw` is the front matter's text and first
/// line, to point each warning at its line.
pub(crate) fn clean_extra(
    extra: &mut Map<String, Value>,
    raw: Option<(&str, usize)>,
    diagnostics: &mut Diagnostics,
) {
    let mut walk = Walk {
        lines: raw.map(|(text, first)| (text.lines().collect(), first)),
        diagnostics,
        path: Vec::new(),
        reported: 0,
        unreported_urls: 0,
        unreported_keys: 0,
    };
    walk.map(extra);
    walk.sum_up();
}

/// Whether `value`, or the text an HTML template would make of it (character
/// references decoded, once or more), is a URL that runs script or loads a
/// document. `&#106;avascript:` is harmless as a DOM property but becomes
/// `javascript:` when a theme writes it into `href="…"` unescaped.
pub(crate) fn is_unsafe_url(value: &str) -> bool {
    // Every dangerous form has a colon, written or as a reference.
    if !value.contains([':', '&']) {
        return false;
    }
    let mut form = Cow::Borrowed(value);
    for _ in 0..DECODE_ROUNDS {
        if safe_url::runs_as_script_or_document(&form) {
            return true;
        }
        if !form.contains('&') {
            return false;
        }
        let decoded = decode_references(&form);
        if decoded == *form {
            return false;
        }
        form = Cow::Owned(decoded);
    }
    safe_url::runs_as_script_or_document(&form)
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Walk<'a> {
    /// The front matter's lines and the file line of the first.
    lines: Option<(Vec<&'a str>, usize)>,
    diagnostics: &'a mut Diagnostics,
    path: Vec<Segment>,
    reported: usize,
    unreported_urls: usize,
    unreported_keys: usize,
}

impl Walk<'_> {
    fn map(&mut self, map: &mut Map<String, Value>) {
        map.retain(|key, value| {
            if PROTOTYPE_KEYS.contains(&key.as_str()) {
                self.path.push(Segment::Key(key.clone()));
                self.dropped_key(key);
                self.path.pop();
                return false;
            }
            self.path.push(Segment::Key(key.clone()));
            self.value(value);
            self.path.pop();
            true
        });
    }

    fn value(&mut self, value: &mut Value) {
        match value {
            Value::String(text) if is_unsafe_url(text) => {
                let line = self.line(Some(text));
                *value = Value::Null;
                self.unsafe_url(line);
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    self.path.push(Segment::Index(index));
                    self.value(item);
                    self.path.pop();
                }
            }
            Value::Object(map) => self.map(map),
            _ => {}
        }
    }

    fn unsafe_url(&mut self, line: Option<usize>) {
        if self.reported >= MAX_REPORTED {
            self.unreported_urls += 1;
            return;
        }
        self.reported += 1;
        let path = self.path_text();
        self.diagnostics.warn(
            "meta.unsafe-url",
            format!(
                "`{path}` is a URL a browser would run as script or open as a document (javascript:, vbscript:, or data: other than a raster image); it is null in `meta.extra`."
            ),
            line,
        );
    }

    fn dropped_key(&mut self, key: &str) {
        if self.reported >= MAX_REPORTED {
            self.unreported_keys += 1;
            return;
        }
        self.reported += 1;
        let path = self.path_text();
        let line = self.line(None);
        self.diagnostics.warn(
            "meta.dropped-key",
            format!(
                "The key `{key}` (at `{path}`) was dropped from `meta.extra`: in JavaScript it reaches an object's prototype, and a page merging `meta` into its own objects would change every object."
            ),
            line,
        );
    }

    fn sum_up(&mut self) {
        if self.unreported_urls > 0 {
            self.diagnostics.warn(
                "meta.unsafe-url",
                format!(
                    "{} more values of `meta.extra` are null for the same reason (javascript:, vbscript: or non-image data: URLs).",
                    self.unreported_urls
                ),
                None,
            );
        }
        if self.unreported_keys > 0 {
            self.diagnostics.warn(
                "meta.dropped-key",
                format!(
                    "{} more `__proto__`, `constructor` or `prototype` keys were dropped from `meta.extra`.",
                    self.unreported_keys
                ),
                None,
            );
        }
    }

    /// The key path as a JavaScript host would write it: `headimg.src`,
    /// `images[1]`, `["og:image"]`.
    fn path_text(&self) -> String {
        let mut text = String::new();
        for segment in &self.path {
            match segment {
                Segment::Index(index) => {
                    let _ = write!(text, "[{index}]");
                }
                Segment::Key(key) if is_identifier(key) => {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(key);
                }
                Segment::Key(key) => {
                    let quoted = serde_json::to_string(key).unwrap_or_default();
                    let _ = write!(text, "[{quoted}]");
                }
            }
        }
        text
    }

    /// The file line of the current path: the line of its first key, then
    /// of each later key below it, then of the offending value itself when
    /// the text shows it. Values from an alias point at their anchor, where
    /// the text is written. `None` when the keys cannot be found (a format
    /// this search does not read).
    fn line(&self, value: Option<&str>) -> Option<usize> {
        let (lines, first) = self.lines.as_ref()?;
        let mut at = None;
        for segment in &self.path {
            if let Segment::Key(key) = segment {
                let from = at.unwrap_or(0);
                if let Some(found) = (from..lines.len()).find(|&i| declares(lines[i], key)) {
                    at = Some(found);
                }
            }
        }
        let at = at?;
        // The value's first characters, as short as is still telling, in
        // the text from the key on, else anywhere (an anchor above).
        let needle: String = value.unwrap_or_default().trim().chars().take(24).collect();
        let by_value = (!needle.is_empty() && !needle.contains('\n'))
            .then(|| {
                (at..lines.len())
                    .chain(0..at)
                    .find(|&i| lines[i].contains(&needle))
            })
            .flatten();
        Some(first + by_value.unwrap_or(at))
    }
}

/// Whether `line` starts the key `key`: `key:` (YAML), `key =` or `[key]`
/// (TOML), `"key":` (JSON), possibly quoted, possibly a list item (`- key:`).
fn declares(line: &str, key: &str) -> bool {
    let line = line
        .trim_start()
        .trim_start_matches("- ")
        .trim_start_matches(['"', '\'', '[']);
    line.strip_prefix(key).is_some_and(|rest| {
        rest.trim_start_matches(['"', '\'', ']'])
            .trim_start()
            .starts_with([':', '=', '.'])
            || rest.starts_with(']')
    })
}

fn is_identifier(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A warning as (code, message, line).
    type Note = (&'static str, String, Option<usize>);

    fn clean(value: Value, raw: &str) -> (Value, Vec<Note>) {
        let mut map = value.as_object().expect("an object").clone();
        let mut diagnostics = Diagnostics::default();
        clean_extra(&mut map, Some((raw, 2)), &mut diagnostics);
        let notes = diagnostics
            .0
            .into_iter()
            .map(|d| (d.code, d.message, d.line))
            .collect();
        (Value::Object(map), notes)
    }

    #[test]
    fn unsafe_urls_become_null_at_any_depth() {
        let raw = "link: JAVASCRIPT:alert(1)\nheadimg:\n  src: \"javascript:alert(2)\"\n  alt: A view\nimages:\n  - /ok.png\n  - \"data:text/html,x\"\n";
        let (extra, notes) = clean(
            json!({
                "link": "JAVASCRIPT:alert(1)",
                "headimg": {"src": "javascript:alert(2)", "alt": "A view"},
                "images": ["/ok.png", "data:text/html,x"],
            }),
            raw,
        );
        assert_eq!(
            extra,
            json!({
                "link": null,
                "headimg": {"src": null, "alt": "A view"},
                "images": ["/ok.png", null],
            }),
            "each unsafe string is null, its neighbours are untouched"
        );
        let found: Vec<_> = notes.iter().map(|(c, m, l)| (*c, m.clone(), *l)).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|(c, ..)| *c == "meta.unsafe-url"));
        assert!(found[0].1.starts_with("`link`"), "{found:?}");
        assert_eq!(found[0].2, Some(2), "`link` is the first line");
        assert!(found[1].1.starts_with("`headimg.src`"), "{found:?}");
        assert_eq!(found[1].2, Some(4), "`src:` under `headimg:`");
        assert!(found[2].1.starts_with("`images[1]`"), "{found:?}");
        assert_eq!(found[2].2, Some(8), "the list item's own line");
    }

    #[test]
    fn character_references_and_whitespace_do_not_hide_a_scheme() {
        for value in [
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "java&Tab;script:alert(1)",
            "java&NewLine;script:alert(1)",
            "&amp;#106;avascript:alert(1)",
            "\u{1}\u{1f} javascript:alert(1)",
            "\tjava\nscript:alert(1)",
            "&#32;data:text/html,<script>x()</script>",
            "data&colon;image/svg+xml,<svg onload=alert(1)>",
        ] {
            assert!(is_unsafe_url(value), "{value:?} is unsafe");
        }
    }

    /// Text with colons, and safe URLs, are kept exactly as written.
    #[test]
    fn plain_text_with_colons_is_unchanged() {
        let values = json!({
            "subtitle": "Chapter 1: Intro",
            "note": "note:",
            "time": "10:30",
            "path": "C:\\path\\to",
            "quote": "Tom &amp; Jerry: the colon&colon; survives",
            "lede": "Java script: a primer",
            "source_url": "https://news.example/a?b=1#c",
            "og_image": "data:image/png;base64,iVBORw0KGgo=",
            "mail": "mailto:editor@news.example",
            "nested": {"list": ["ratio 16:9", "a:b", {"k": "v: w"}]},
            "count": 3,
            "flag": true,
        });
        let (extra, notes) = clean(values.clone(), "");
        assert_eq!(extra, values);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn prototype_keys_are_dropped_at_any_depth() {
        let raw = "__proto__:\n  polluted: yes\ntheme:\n  constructor:\n    prototype:\n      x: 1\n  color: red\nlist:\n  - prototype: 1\n    ok: 2\n";
        let (extra, notes) = clean(
            json!({
                "__proto__": {"polluted": "yes"},
                "theme": {"constructor": {"prototype": {"x": 1}}, "color": "red"},
                "list": [{"prototype": 1, "ok": 2}],
                "Constructor": "a different key",
            }),
            raw,
        );
        assert_eq!(
            extra,
            json!({"theme": {"color": "red"}, "list": [{"ok": 2}], "Constructor": "a different key"})
        );
        let paths: Vec<_> = notes.iter().map(|(c, m, l)| (*c, m.clone(), *l)).collect();
        assert_eq!(paths.len(), 3, "{paths:?}");
        assert!(paths.iter().all(|(c, ..)| *c == "meta.dropped-key"));
        assert!(paths[1].1.contains("`theme.constructor`"), "{paths:?}");
        assert_eq!(paths[1].2, Some(5), "`constructor:` under `theme:`");
        assert!(paths[2].1.contains("`list[0].prototype`"), "{paths:?}");
        assert_eq!(paths[2].2, Some(10));
    }

    #[test]
    fn many_warnings_are_summed_up() {
        let items: Vec<Value> = (0..100)
            .map(|i| json!(format!("javascript:alert({i})")))
            .collect();
        let (extra, notes) = clean(json!({"links": items}), "links:\n");
        assert!(
            extra["links"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_null)
        );
        assert_eq!(notes.len(), MAX_REPORTED + 1);
        assert!(notes[MAX_REPORTED].1.starts_with("68 more"), "{notes:?}");
    }

    #[test]
    fn odd_keys_are_quoted_in_the_path() {
        let (_, notes) = clean(
            json!({"og:image": "javascript:x", "a b": ["javascript:y"]}),
            "",
        );
        assert!(notes[0].1.starts_with("`[\"og:image\"]`"), "{notes:?}");
        assert!(notes[1].1.starts_with("`[\"a b\"][0]`"), "{notes:?}");
    }
}
