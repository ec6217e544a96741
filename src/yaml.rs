//! YAML front matter to JSON values, over saphyr-parser's event stream.
//!
//! The parser is saphyr's; what is written here is the loader on top, because
//! front matter needs things a generic loader does not give: a hard budget on
//! alias expansion (a "billion laughs" bomb is a few lines of YAML), a nesting
//! limit (deep values would overflow the stack when dropped), duplicate keys
//! reported with their line, unknown tags ignored with a warning, and
//! timestamps kept as the author's text so that a floating local time is never
//! shifted into UTC.

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use serde_json::{Map, Number, Value};

/// Most values (scalars, sequences, mappings) one front matter may expand to,
/// aliases included.
const NODE_BUDGET: usize = 100_000;
/// Deepest nesting accepted.
const MAX_DEPTH: usize = 64;

/// A loaded front matter, with what the loader noticed on the way.
pub struct Loaded {
    pub value: Value,
    /// `(code, message, 1-based line within the YAML text)`.
    pub warnings: Vec<(&'static str, String, usize)>,
}

/// A YAML text that could not be loaded.
pub struct LoadError {
    pub code: &'static str,
    pub message: String,
    /// 1-based line within the YAML text.
    pub line: usize,
}

enum Frame {
    Seq {
        items: Vec<Value>,
        anchor: usize,
    },
    Map {
        entries: Map<String, Value>,
        anchor: usize,
        key: Option<(String, usize)>,
        /// `<<` values, merged when the mapping ends so explicit keys win.
        merges: Vec<Value>,
    },
}

/// Loads the first document of `text`. An empty document is `Value::Null`.
///
/// Hugo (go-yaml) and Hexo (js-yaml) accept a flow collection whose closing
/// `]` or `}` sits at column 0, under its key; the YAML spec and saphyr do
/// not. Such files are common, so when strict loading fails, those lines are
/// indented by one space and loading is tried once more.
pub fn load(text: &str) -> Result<Loaded, LoadError> {
    load_strict(text).or_else(|error| {
        let closers_at_column_0 = text.lines().any(|l| l.starts_with([']', '}']));
        if !closers_at_column_0 {
            return Err(error);
        }
        let indented: String = text
            .split_inclusive('\n')
            .map(|l| {
                if l.starts_with([']', '}']) {
                    format!(" {l}")
                } else {
                    l.to_owned()
                }
            })
            .collect();
        load_strict(&indented).map_err(|_| error)
    })
}

fn load_strict(text: &str) -> Result<Loaded, LoadError> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: Vec<Option<(Value, usize)>> = Vec::new();
    let mut nodes = 0usize;
    let mut warnings = Vec::new();
    let mut root: Option<Value> = None;

    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| LoadError {
            code: "front-matter.invalid-yaml",
            message: format!("The YAML front matter is invalid: {}.", e.info()),
            line: e.marker().line(),
        })?;
        let line = span.start.line();
        let (value, anchor) = match event {
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(tag) = &tag {
                    check_tag(tag, line, &mut warnings);
                }
                (scalar(&text, style, tag.as_deref()), anchor)
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(tag) = tag {
                    check_tag(tag, line, &mut warnings);
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(LoadError {
                        code: "front-matter.too-deep",
                        message: format!("The front matter nests deeper than {MAX_DEPTH} levels."),
                        line,
                    });
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq {
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        entries: Map::new(),
                        anchor,
                        key: None,
                        merges: Vec::new(),
                    }
                });
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Frame::Seq { items, anchor }) => (Value::Array(items), anchor),
                Some(Frame::Map {
                    mut entries,
                    anchor,
                    merges,
                    ..
                }) => {
                    merges.into_iter().for_each(|m| merge(&mut entries, m));
                    (Value::Object(entries), anchor)
                }
                None => continue,
            },
            Event::Alias(id) => {
                let Some(Some((value, size))) = anchors.get(id) else {
                    return Err(LoadError {
                        code: "front-matter.invalid-yaml",
                        message: "The YAML front matter uses an alias before its anchor.".into(),
                        line,
                    });
                };
                nodes += size;
                if nodes > NODE_BUDGET {
                    return Err(alias_bomb(line));
                }
                (value.clone(), 0)
            }
            _ => continue,
        };
        nodes += 1;
        if nodes > NODE_BUDGET {
            return Err(alias_bomb(line));
        }
        if anchor > 0 {
            if anchors.len() <= anchor {
                anchors.resize(anchor + 1, None);
            }
            anchors[anchor] = Some((value.clone(), count_nodes(&value)));
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq { items, .. }) => items.push(value),
            Some(Frame::Map {
                entries,
                key,
                merges,
                ..
            }) => {
                match key.take() {
                    None => *key = Some((key_text(value), line)),
                    Some((name, _)) if name == "<<" => merges.push(value),
                    Some((name, key_line)) => {
                        if entries.insert(name.clone(), value).is_some() {
                            warnings.push((
                            "front-matter.duplicate-key",
                            format!("The key `{name}` appears more than once; the last value is kept."),
                            key_line,
                        ));
                        }
                    }
                }
            }
        }
    }
    Ok(Loaded {
        value: root.unwrap_or(Value::Null),
        warnings,
    })
}

fn alias_bomb(line: usize) -> LoadError {
    LoadError {
        code: "front-matter.too-large",
        message: format!(
            "The front matter expands to more than {NODE_BUDGET} values (an alias bomb?); it was not loaded."
        ),
        line,
    }
}

fn count_nodes(value: &Value) -> usize {
    let mut count = 0;
    let mut todo = vec![value];
    while let Some(v) = todo.pop() {
        count += 1;
        match v {
            Value::Array(items) => todo.extend(items),
            Value::Object(map) => todo.extend(map.values()),
            _ => {}
        }
    }
    count
}

/// YAML 1.1 merge key: `<<: *defaults` copies the keys the mapping lacks.
fn merge(entries: &mut Map<String, Value>, value: Value) {
    let sources = match value {
        Value::Array(items) => items,
        other => vec![other],
    };
    for source in sources {
        if let Value::Object(map) = source {
            for (k, v) in map {
                entries.entry(k).or_insert(v);
            }
        }
    }
}

fn key_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn check_tag(tag: &Tag, line: usize, warnings: &mut Vec<(&'static str, String, usize)>) {
    const CORE: [&str; 11] = [
        "str",
        "int",
        "float",
        "bool",
        "null",
        "seq",
        "map",
        "binary",
        "timestamp",
        "set",
        "omap",
    ];
    if !(tag.is_yaml_core_schema() && CORE.contains(&tag.suffix.as_str())) {
        warnings.push((
            "front-matter.yaml-tag-ignored",
            format!(
                "The YAML tag `{}{}` was ignored; the value is read as plain data.",
                tag.handle, tag.suffix
            ),
            line,
        ));
    }
}

/// Resolves a scalar by the YAML 1.2 core schema; quoted and block scalars
/// and anything explicitly tagged `!!str` stay strings.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let core = tag
        .filter(|t| t.is_yaml_core_schema())
        .map(|t| t.suffix.as_str());
    match core {
        Some("str") | Some("binary") | Some("timestamp") => return Value::String(text.to_owned()),
        _ if style != ScalarStyle::Plain && core.is_none() => {
            return Value::String(text.to_owned());
        }
        _ => {}
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    if let Some(n) = parse_int(text) {
        return Value::Number(n.into());
    }
    if looks_like_float(text)
        && let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64)
    {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}

fn parse_int(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (radix, digits) = if let Some(hex) = digits.strip_prefix("0x") {
        (16, hex)
    } else if let Some(oct) = digits.strip_prefix("0o") {
        (8, oct)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let n = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -n } else { n })
}

fn looks_like_float(text: &str) -> bool {
    let body = text.trim_start_matches(['-', '+']);
    let first = body.bytes().next();
    matches!(first, Some(b'0'..=b'9' | b'.'))
        && body.bytes().any(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        load(text).ok().expect("the YAML loads").value
    }

    #[test]
    fn core_schema_scalars() {
        assert_eq!(
            value("a: 1\nb: 1.5\nc: true\nd: ~\ne: '1'\nf: 0x1F\ng: 2021-07-19 11:24:48\nh: yes"),
            json!({"a": 1, "b": 1.5, "c": true, "d": null, "e": "1", "f": 31,
                   "g": "2021-07-19 11:24:48", "h": "yes"}),
            "plain scalars resolve by the 1.2 core schema, quoted ones and timestamps stay text"
        );
    }

    #[test]
    fn lists_and_nested_lists() {
        assert_eq!(
            value("categories:\n - [a, b]\n - c\n"),
            json!({"categories": [["a", "b"], "c"]}),
            "Hexo's list of lists comes through unchanged"
        );
    }

    #[test]
    fn aliases_and_merge_keys() {
        assert_eq!(
            value("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\ncopy: *b"),
            json!({"base": {"x": 1}, "other": {"x": 1, "y": 2}, "copy": {"x": 1}}),
            "aliases expand and merge keys fill in missing keys"
        );
    }

    #[test]
    fn merged_keys_can_be_overridden_without_warning() {
        let loaded = load("d: &d {a: 1, b: 2}\nx:\n  <<: *d\n  b: 3\n")
            .ok()
            .unwrap();
        assert_eq!(
            loaded.value["x"],
            json!({"b": 3, "a": 1}),
            "the explicit key wins"
        );
        assert!(
            loaded.warnings.is_empty(),
            "overriding a merged key is not a duplicate"
        );
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let (prev, cur) = ((b'a' + i - 1) as char, (b'a' + i) as char);
            bomb += &format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            );
        }
        let err = load(&bomb)
            .err()
            .expect("a billion-laughs document is refused");
        assert_eq!(err.code, "front-matter.too-large");
    }

    #[test]
    fn duplicate_keys_warn_with_line() {
        let loaded = load("title: a\ntags: x\ntitle: b\n").ok().unwrap();
        assert_eq!(
            loaded.value,
            json!({"title": "b", "tags": "x"}),
            "the last value wins"
        );
        assert_eq!(loaded.warnings[0].0, "front-matter.duplicate-key");
        assert_eq!(
            loaded.warnings[0].2, 3,
            "the warning points at the second `title`"
        );
    }

    #[test]
    fn unknown_tags_are_ignored_with_a_warning() {
        let loaded = load("x: !!python/object:os.system echo\n").ok().unwrap();
        assert_eq!(loaded.value, json!({"x": "echo"}));
        assert_eq!(loaded.warnings[0].0, "front-matter.yaml-tag-ignored");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = "[".repeat(10_000);
        let err = load(&deep)
            .err()
            .expect("10,000 nested flow sequences are refused");
        assert!(err.code == "front-matter.too-deep" || err.code == "front-matter.invalid-yaml");
    }

    #[test]
    fn flow_collections_closed_at_column_0() {
        assert_eq!(
            value("tags: [\n    \"go\",\n    \"web\",\n]\ntitle: x\n"),
            json!({"tags": ["go", "web"], "title": "x"}),
            "a list closed under its key loads, as Hugo and Hexo load it"
        );
    }

    #[test]
    fn errors_carry_a_line() {
        let err = load("title: ok\nbad: [unclosed\nnext: 1\n")
            .err()
            .expect("invalid YAML fails");
        assert_eq!(err.code, "front-matter.invalid-yaml");
        assert!(
            err.line >= 2,
            "the error is reported at or after line 2, got {}",
            err.line
        );
    }
}
