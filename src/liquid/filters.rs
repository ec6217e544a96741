//! The filters of Liquid and of Jekyll that posts use, computed from the
//! value alone (nothing here reads the site).

use std::cell::Cell;
use std::collections::HashSet;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use super::value::Value;

/// Where the site lives: `site.url` and `site.baseurl`.
#[derive(Clone, Debug, Default)]
pub(super) struct Site {
    pub url: String,
    pub baseurl: String,
}

/// Why a filter gave no value.
#[derive(Debug, PartialEq)]
pub(super) enum Failure {
    /// Not a filter this evaluator has.
    Unknown,
    /// A filter it has, given what it cannot use (a date format chrono
    /// lacks, `"now"`).
    Unsupported,
}

/// Applies filter `name` to `input`. `cap` bounds the length of text and
/// lists a filter may build; the flag says whether the value was cut there.
pub(super) fn apply(
    name: &str,
    input: Value,
    args: &[Value],
    site: &Site,
    cap: usize,
) -> Result<(Value, bool), Failure> {
    let cut = Cell::new(false);
    let value = match compute(name, input, args, site, cap, &cut)? {
        // Text filters that only grow their input a few times over (`escape`,
        // `url_encode`) are cut here; a chain of them cannot compound.
        Value::Str(s) if s.len() > cap => {
            cut.set(true);
            Value::Str(truncate_bytes(s, cap))
        }
        v => v,
    };
    Ok((value, cut.get()))
}

fn compute(
    name: &str,
    input: Value,
    args: &[Value],
    site: &Site,
    cap: usize,
    cut: &Cell<bool>,
) -> Result<Value, Failure> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Nil);
    let text = |v: &Value| v.render();
    let s = || text(&input);
    let capped = |s: String| {
        if s.len() > cap {
            cut.set(true);
        }
        Value::Str(truncate_bytes(s, cap))
    };
    // Filters whose output can be many times their input build it within
    // the cap, never in full.
    let within = |pieces: &mut dyn Iterator<Item = &str>| {
        let mut out = Bounded::new(cap);
        for piece in pieces {
            if !out.push(piece) {
                cut.set(true);
                break;
            }
        }
        Value::Str(out.text)
    };
    Ok(match name {
        // Jekyll's URL filters.
        "relative_url" => capped(relative_url(&s(), site)),
        "absolute_url" => {
            let path = relative_url(&s(), site);
            capped(if path.contains("://") {
                path
            } else {
                format!("{}{path}", site.url)
            })
        }
        // Dates.
        "date" => {
            let format = text(&arg(0));
            if format.is_empty() {
                return Ok(input);
            }
            capped(strftime(&date_of(&input)?, &format)?)
        }
        "date_to_string" | "date_to_long_string" => {
            let date = date_of(&input)?;
            let month = if name == "date_to_string" { "%b" } else { "%B" };
            let (style, us) = (text(&arg(0)), text(&arg(1)) == "US");
            Value::Str(if style == "ordinal" {
                let day = date.format("%-d").to_string();
                let ordinal = format!("{day}{}", ordinal_suffix(&day));
                let month = date.format(month).to_string();
                let year = date.format("%Y").to_string();
                if us {
                    format!("{month} {ordinal}, {year}")
                } else {
                    format!("{ordinal} {month} {year}")
                }
            } else {
                date.format(&format!("%d {month} %Y")).to_string()
            })
        }
        "date_to_xmlschema" => {
            Value::Str(date_of(&input)?.format("%Y-%m-%dT%H:%M:%S%:z").to_string())
        }
        "date_to_rfc822" => Value::Str(
            date_of(&input)?
                .format("%a, %d %b %Y %H:%M:%S %z")
                .to_string(),
        ),
        // Text.
        "escape" | "xml_escape" | "h" => Value::Str(escape(&s(), false)),
        "escape_once" => Value::Str(escape(&s(), true)),
        "cgi_escape" | "url_encode" => Value::Str(percent_encode(&s(), true)),
        "uri_escape" => Value::Str(percent_encode(&s(), false)),
        "upcase" => Value::Str(s().to_uppercase()),
        "downcase" => Value::Str(s().to_lowercase()),
        "capitalize" => {
            let s = s();
            let mut chars = s.chars();
            Value::Str(match chars.next() {
                Some(c) => c
                    .to_uppercase()
                    .chain(chars.as_str().to_lowercase().chars())
                    .collect(),
                None => String::new(),
            })
        }
        "append" => capped(s() + &text(&arg(0))),
        "prepend" => capped(text(&arg(0)) + &s()),
        "strip" => Value::Str(s().trim().to_owned()),
        "lstrip" => Value::Str(s().trim_start().to_owned()),
        "rstrip" => Value::Str(s().trim_end().to_owned()),
        "strip_newlines" => Value::Str(s().replace(['\n', '\r'], "")),
        "newline_to_br" => within(&mut replaced(&s(), "\n", "<br />\n", usize::MAX)),
        "strip_html" => Value::Str(strip_html(&s())),
        "replace" => within(&mut replaced(
            &s(),
            &text(&arg(0)),
            &text(&arg(1)),
            usize::MAX,
        )),
        "replace_first" => within(&mut replaced(&s(), &text(&arg(0)), &text(&arg(1)), 1)),
        "remove" => Value::Str(s().replace(&text(&arg(0)), "")),
        "remove_first" => Value::Str(s().replacen(&text(&arg(0)), "", 1)),
        "truncate" => {
            let n = int(&arg(0)).unwrap_or(50).max(0) as usize;
            let ellipsis = match args.get(1) {
                Some(v) => text(v),
                None => "...".to_owned(),
            };
            let s = s();
            if s.chars().count() <= n {
                Value::Str(s)
            } else {
                let keep = n.saturating_sub(ellipsis.chars().count());
                Value::Str(s.chars().take(keep).collect::<String>() + &ellipsis)
            }
        }
        "truncatewords" => {
            let n = int(&arg(0)).unwrap_or(15).max(1) as usize;
            let ellipsis = match args.get(1) {
                Some(v) => text(v),
                None => "...".to_owned(),
            };
            let s = s();
            let words: Vec<&str> = s.split_whitespace().collect();
            if words.len() <= n {
                Value::Str(s)
            } else {
                Value::Str(words[..n].join(" ") + &ellipsis)
            }
        }
        "slugify" => Value::Str(slugify(&s(), &text(&arg(0)))),
        // Rendered by the caller, which has the Markdown renderer; here
        // (never reached from it) the text is passed on.
        "markdownify" => Value::Str(s()),
        "number_of_words" => Value::Int(s().split_whitespace().count() as i64),
        "jsonify" => capped(jsonify(&input)),
        "inspect" => capped(jsonify(&input)),
        "split" => {
            let sep = text(&arg(0));
            let s = s();
            let parts: Vec<Value> = if sep.is_empty() {
                s.chars().map(|c| Value::Str(c.to_string())).collect()
            } else {
                s.split(sep.as_str())
                    .map(|p| Value::Str(p.to_owned()))
                    .collect()
            };
            Value::Array(parts.into_iter().take(cap).collect())
        }
        "size" => match &input {
            Value::Array(a) => Value::Int(a.len() as i64),
            Value::Object(o) => Value::Int(o.len() as i64),
            Value::Nil => Value::Int(0),
            v => Value::Int(v.render().chars().count() as i64),
        },
        "default" => {
            let allow_false = args.len() > 1 || input != Value::Bool(false);
            let empty = match &input {
                Value::Nil => true,
                Value::Bool(false) => !allow_false,
                Value::Str(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                Value::Object(o) => o.is_empty(),
                _ => false,
            };
            if empty { arg(0) } else { input }
        }
        // Lists.
        "join" => {
            let sep = match args.first() {
                Some(v) => text(v),
                None => " ".to_owned(),
            };
            let items: Vec<String> = list(input).iter().map(Value::render).collect();
            let mut pieces = items
                .iter()
                .enumerate()
                .flat_map(|(i, item)| [if i == 0 { "" } else { sep.as_str() }, item.as_str()]);
            within(&mut pieces)
        }
        "first" => match input {
            Value::Array(a) => a.into_iter().next().unwrap_or(Value::Nil),
            Value::Str(s) => s
                .chars()
                .next()
                .map_or(Value::Nil, |c| Value::Str(c.into())),
            _ => Value::Nil,
        },
        "last" => match input {
            Value::Array(a) => a.into_iter().last().unwrap_or(Value::Nil),
            Value::Str(s) => s
                .chars()
                .last()
                .map_or(Value::Nil, |c| Value::Str(c.into())),
            _ => Value::Nil,
        },
        "reverse" => {
            let mut items = list(input);
            items.reverse();
            Value::Array(items)
        }
        "sort" | "sort_natural" => {
            let mut items = list(input);
            let key = args.first().map(text);
            let fold = name == "sort_natural";
            items.sort_by_cached_key(|v| {
                let v = match &key {
                    Some(k) => v.get(&Value::Str(k.clone())),
                    None => v.clone(),
                };
                let t = v.render();
                if fold { t.to_lowercase() } else { t }
            });
            Value::Array(items)
        }
        "uniq" => {
            // Ruby's `uniq` compares with `eql?`: by type and content (`1`
            // and `1.0` are both kept). The debug text is that key, and a
            // set of keys keeps the filter linear.
            let mut seen = HashSet::new();
            Value::Array(
                list(input)
                    .into_iter()
                    .filter(|item| seen.insert(format!("{item:?}")))
                    .collect(),
            )
        }
        "compact" => Value::Array(
            list(input)
                .into_iter()
                .filter(|v| *v != Value::Nil)
                .collect(),
        ),
        "concat" => {
            // Bounded by count and by bytes, so that a list concatenated to
            // itself does not double without end; the input's own items are
            // always kept.
            let mut items = list(input);
            let mut total: usize = items.iter().map(weight).sum();
            let budget = total.max(cap);
            for item in list(arg(0)) {
                total = total.saturating_add(weight(&item));
                if items.len() >= cap || total > budget {
                    cut.set(true);
                    break;
                }
                items.push(item);
            }
            Value::Array(items)
        }
        "map" => {
            let key = Value::Str(text(&arg(0)));
            Value::Array(list(input).iter().map(|v| v.get(&key)).collect())
        }
        "where" => {
            let key = Value::Str(text(&arg(0)));
            let want = args.get(1);
            Value::Array(
                list(input)
                    .into_iter()
                    .filter(|v| {
                        let got = v.get(&key);
                        match want {
                            Some(want) => got.equals(want) || got.render() == want.render(),
                            None => got.truthy(),
                        }
                    })
                    .collect(),
            )
        }
        "array_to_sentence_string" => {
            let connector = match args.first() {
                Some(v) => text(v),
                None => "and".to_owned(),
            };
            let items: Vec<String> = list(input).iter().map(Value::render).collect();
            let n = items.len();
            // `a`, `a and b`, `a, b, and c`.
            let last = format!(" {connector} ");
            let before_last = if n > 2 { format!(",{last}") } else { last };
            let mut pieces = items.iter().enumerate().flat_map(|(i, item)| {
                let sep = match i {
                    0 => "",
                    _ if i == n - 1 => before_last.as_str(),
                    _ => ", ",
                };
                [sep, item.as_str()]
            });
            within(&mut pieces)
        }
        "slice" => {
            let from = int(&arg(0)).unwrap_or(0);
            let len = int(&arg(1)).unwrap_or(1).max(0) as usize;
            match input {
                Value::Array(a) => {
                    let at = index(from, a.len());
                    Value::Array(a.into_iter().skip(at).take(len).collect())
                }
                v => {
                    let chars: Vec<char> = v.render().chars().collect();
                    let at = index(from, chars.len());
                    Value::Str(chars.iter().skip(at).take(len).collect())
                }
            }
        }
        // Numbers.
        "plus" | "minus" | "times" | "divided_by" | "modulo" | "at_least" | "at_most" => {
            arithmetic(name, &input, &arg(0)).ok_or(Failure::Unsupported)?
        }
        "abs" => match number(&input) {
            Some(Value::Int(i)) => Value::Int(i.saturating_abs()),
            Some(Value::Float(f)) => Value::Float(f.abs()),
            _ => Value::Int(0),
        },
        "ceil" | "floor" | "round" => {
            let f = match number(&input) {
                Some(Value::Int(i)) => i as f64,
                Some(Value::Float(f)) => f,
                _ => 0.0,
            };
            let digits = int(&arg(0)).unwrap_or(0).clamp(0, 15) as i32;
            match name {
                "ceil" => Value::Int(f.ceil() as i64),
                "floor" => Value::Int(f.floor() as i64),
                _ if digits > 0 => {
                    let m = 10f64.powi(digits);
                    Value::Float((f * m).round() / m)
                }
                _ => Value::Int(f.round() as i64),
            }
        }
        _ => return Err(Failure::Unknown),
    })
}

/// Text built up to a cap, at a character boundary.
struct Bounded {
    text: String,
    cap: usize,
}

impl Bounded {
    fn new(cap: usize) -> Bounded {
        Bounded {
            text: String::new(),
            cap,
        }
    }

    /// Appends what fits; `false` once something did not.
    fn push(&mut self, piece: &str) -> bool {
        let room = self.cap - self.text.len();
        if piece.len() <= room {
            self.text.push_str(piece);
            return true;
        }
        let mut at = room;
        while !piece.is_char_boundary(at) {
            at -= 1;
        }
        self.text.push_str(&piece[..at]);
        false
    }
}

/// The pieces of `s` with the first `count` occurrences of `from` replaced
/// by `to`, in order; an empty `from` matches between every character, as
/// in Ruby.
fn replaced<'a>(
    s: &'a str,
    from: &'a str,
    to: &'a str,
    count: usize,
) -> impl Iterator<Item = &'a str> + 'a {
    let mut last = 0;
    let mut matches = s.match_indices(from).take(count);
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        Some(match matches.next() {
            Some((at, m)) => {
                let before = &s[last..at];
                last = at + m.len();
                [before, to]
            }
            None => {
                done = true;
                [&s[last..], ""]
            }
        })
    })
    .flatten()
}

/// About how many bytes a value takes when written: what bounds a list.
fn weight(v: &Value) -> usize {
    match v {
        Value::Str(s) | Value::Date(s) | Value::Unknown(s) => s.len(),
        Value::Array(items) => items.iter().map(weight).sum::<usize>() + 1,
        Value::Object(pairs) => {
            pairs
                .iter()
                .map(|(k, v)| k.len() + weight(v))
                .sum::<usize>()
                + 1
        }
        _ => 8,
    }
}

fn list(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        Value::Nil => Vec::new(),
        v => vec![v],
    }
}

fn index(from: i64, len: usize) -> usize {
    if from < 0 {
        len.saturating_sub(from.unsigned_abs() as usize)
    } else {
        from as usize
    }
}

fn int(v: &Value) -> Option<i64> {
    match number(v)? {
        Value::Int(i) => Some(i),
        Value::Float(f) => Some(f as i64),
        _ => None,
    }
}

/// A number, or text read as one (`"3" | plus: 1` is 4).
fn number(v: &Value) -> Option<Value> {
    match v {
        Value::Int(_) | Value::Float(_) => Some(v.clone()),
        Value::Str(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .map(Value::Int)
                .ok()
                .or_else(|| s.parse::<f64>().ok().map(Value::Float))
        }
        Value::Nil => Some(Value::Int(0)),
        _ => None,
    }
}

fn arithmetic(name: &str, a: &Value, b: &Value) -> Option<Value> {
    match (number(a)?, number(b)?) {
        (Value::Int(x), Value::Int(y)) => Some(Value::Int(match name {
            "plus" => x.checked_add(y)?,
            "minus" => x.checked_sub(y)?,
            "times" => x.checked_mul(y)?,
            // Ruby rounds the quotient down and gives the remainder the
            // divisor's sign: 7 / -2 = -4, 7 % -2 = -1.
            "divided_by" => {
                let q = x.checked_div(y)?;
                if x % y != 0 && (x % y < 0) != (y < 0) {
                    q - 1
                } else {
                    q
                }
            }
            "modulo" => {
                let r = x.checked_rem(y)?;
                if r != 0 && (r < 0) != (y < 0) {
                    r + y
                } else {
                    r
                }
            }
            "at_least" => x.max(y),
            _ => x.min(y),
        })),
        (x, y) => {
            let f = |v: Value| match v {
                Value::Int(i) => i as f64,
                Value::Float(f) => f,
                _ => 0.0,
            };
            let (x, y) = (f(x), f(y));
            let r = match name {
                "plus" => x + y,
                "minus" => x - y,
                "times" => x * y,
                "divided_by" if y != 0.0 => x / y,
                "modulo" if y != 0.0 => {
                    let r = x % y;
                    if r != 0.0 && (r < 0.0) != (y < 0.0) {
                        r + y
                    } else {
                        r
                    }
                }
                "at_least" => x.max(y),
                "at_most" => x.min(y),
                _ => return None,
            };
            r.is_finite().then_some(Value::Float(r))
        }
    }
}

/// Jekyll's `relative_url`: under `baseurl`, one slash between; full URLs
/// are left alone.
fn relative_url(path: &str, site: &Site) -> String {
    if path.contains("://") || path.starts_with("//") {
        return path.to_owned();
    }
    let base = site.baseurl.trim_end_matches('/');
    if path.is_empty() {
        return if base.is_empty() {
            "/".to_owned()
        } else {
            base.to_owned()
        };
    }
    format!("{base}/{}", path.trim_start_matches('/'))
}

pub(super) fn truncate_bytes(mut s: String, cap: usize) -> String {
    if s.len() > cap {
        let mut at = cap;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// Ruby's `CGI.escapeHTML`; `escape_once` leaves references as they are.
fn escape(s: &str, once: bool) -> String {
    use crate::text::{Escape, escape_into};
    if !once {
        return crate::text::escape(s, Escape::Quotes).into_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        escape_into(&rest[..amp], Escape::Quotes, &mut out);
        out.push_str(if is_reference(&rest[amp..]) {
            "&"
        } else {
            "&amp;"
        });
        rest = &rest[amp + 1..];
    }
    escape_into(rest, Escape::Quotes, &mut out);
    out
}

fn is_reference(s: &str) -> bool {
    let end = s.find(';').filter(|&e| e > 1 && e < 12);
    end.is_some_and(|e| {
        s[1..e]
            .trim_start_matches('#')
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
    })
}

fn percent_encode(s: &str, component: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~')
            || (!component && b"!*'();:@&=+$,/?#[]".contains(&b));
        if keep {
            out.push(b as char);
        } else if component && b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Jekyll's `slugify`: `default` replaces every run of characters that are
/// not letters or digits by one hyphen, `raw` only spaces, `pretty` keeps
/// URL punctuation too, `ascii` keeps ASCII letters and digits only.
pub(super) fn slugify(s: &str, mode: &str) -> String {
    if mode == "none" {
        return s.to_owned();
    }
    let keep = |c: char| match mode {
        "raw" => !c.is_whitespace(),
        "pretty" => c.is_alphanumeric() || "._~!$&'()+,;=@".contains(c),
        "ascii" => c.is_ascii_alphanumeric(),
        _ => c.is_alphanumeric(),
    };
    let mut out = String::with_capacity(s.len());
    let mut hyphen = false;
    for c in s.chars() {
        if keep(c) {
            if hyphen && !out.is_empty() {
                out.push('-');
            }
            hyphen = false;
            out.push(c);
        } else {
            hyphen = true;
        }
    }
    out.to_lowercase()
}

fn jsonify(v: &Value) -> String {
    fn json(v: &Value) -> serde_json::Value {
        use serde_json::Value as J;
        match v {
            Value::Nil | Value::Unknown(_) => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Date(d) => J::String(ruby_time(d)),
            Value::Array(a) => J::Array(a.iter().map(json).collect()),
            Value::Object(o) => J::Object(o.iter().map(|(k, v)| (k.clone(), json(v))).collect()),
        }
    }
    json(v).to_string()
}

fn ordinal_suffix(day: &str) -> &'static str {
    match day {
        "11" | "12" | "13" => "th",
        _ if day.ends_with('1') => "st",
        _ if day.ends_with('2') => "nd",
        _ if day.ends_with('3') => "rd",
        _ => "th",
    }
}

/// A date value as chrono reads it: text in any form `crate::date`
/// accepts; a floating time is read as UTC, as on a site built in UTC.
fn date_of(v: &Value) -> Result<DateTime<FixedOffset>, Failure> {
    let text = match v {
        Value::Date(d) | Value::Str(d) => d.clone(),
        Value::Int(seconds) => {
            return DateTime::from_timestamp(*seconds, 0)
                .map(|d| d.fixed_offset())
                .ok_or(Failure::Unsupported);
        }
        _ => return Err(Failure::Unsupported),
    };
    let normalized = crate::date::normalize(&text).ok_or(Failure::Unsupported)?;
    parse_rfc3339(&normalized).ok_or(Failure::Unsupported)
}

fn parse_rfc3339(s: &str) -> Option<DateTime<FixedOffset>> {
    let utc = FixedOffset::east_opt(0)?;
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .and_then(|d| d.and_local_timezone(utc).single())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)?
                .and_local_timezone(utc)
                .single()
        })
}

/// strftime as Ruby writes it, for the specifiers chrono has; any other is
/// unsupported rather than a panic.
fn strftime(date: &DateTime<FixedOffset>, format: &str) -> Result<String, Failure> {
    if StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(Failure::Unsupported);
    }
    use std::fmt::Write;
    let mut out = String::new();
    write!(out, "{}", date.format(format)).map_err(|_| Failure::Unsupported)?;
    Ok(out)
}

/// How Ruby prints a Time: `2019-03-18 00:00:00 +0000`. A floating time has
/// no zone to print.
pub(super) fn ruby_time(rfc3339: &str) -> String {
    let zoned = rfc3339.ends_with('Z') || rfc3339.get(19..).is_some_and(|t| t.contains(['+', '-']));
    match parse_rfc3339(rfc3339) {
        Some(d) if zoned => d.format("%Y-%m-%d %H:%M:%S %z").to_string(),
        Some(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(name: &str, input: Value, args: &[Value]) -> Value {
        let site = Site {
            url: "https://example.org".into(),
            baseurl: "/blog".into(),
        };
        apply(name, input, args, &site, 1 << 20).unwrap().0
    }

    fn s(text: &str) -> Value {
        Value::Str(text.into())
    }

    #[test]
    fn url_filters_follow_jekyll() {
        assert_eq!(
            run("relative_url", s("/docs/themes/#assets"), &[]),
            s("/blog/docs/themes/#assets")
        );
        assert_eq!(
            run("relative_url", s("assets/a.png"), &[]),
            s("/blog/assets/a.png")
        );
        assert_eq!(
            run("absolute_url", s("/feed.xml"), &[]),
            s("https://example.org/blog/feed.xml")
        );
        assert_eq!(
            run("relative_url", s("https://x.org/a"), &[]),
            s("https://x.org/a"),
            "full URLs are kept"
        );
    }

    #[test]
    fn date_filters_follow_jekyll() {
        let d = Value::Date("2008-11-07T13:07:54-08:00".into());
        assert_eq!(run("date_to_string", d.clone(), &[]), s("07 Nov 2008"));
        assert_eq!(
            run("date_to_string", d.clone(), &[s("ordinal"), s("US")]),
            s("Nov 7th, 2008")
        );
        assert_eq!(
            run("date_to_long_string", d.clone(), &[s("ordinal")]),
            s("7th November 2008")
        );
        assert_eq!(
            run("date_to_xmlschema", d.clone(), &[]),
            s("2008-11-07T13:07:54-08:00")
        );
        assert_eq!(
            run("date", d.clone(), &[s("%B %-d, %Y")]),
            s("November 7, 2008")
        );
        assert_eq!(
            ruby_time("2008-11-07T13:07:54-08:00"),
            "2008-11-07 13:07:54 -0800"
        );
        let site = Site::default();
        assert_eq!(
            apply("date", d, &[s("%Q%^")], &site, 100),
            Err(Failure::Unsupported),
            "a format chrono cannot write is refused, not a panic"
        );
    }

    #[test]
    fn text_filters() {
        assert_eq!(
            run("slugify", s("Hello, World: 2024!"), &[]),
            s("hello-world-2024")
        );
        assert_eq!(run("slugify", s("Привет мир"), &[]), s("привет-мир"));
        assert_eq!(
            run("escape", s("<a href=\"x\">&</a>"), &[]),
            s("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;")
        );
        assert_eq!(
            run(
                "truncate",
                s("Ground control to Major Tom."),
                &[Value::Int(20)]
            ),
            s("Ground control to...")
        );
        assert_eq!(run("default", Value::Nil, &[s("x")]), s("x"));
        assert_eq!(run("default", s(""), &[s("x")]), s("x"));
        assert_eq!(
            run(
                "join",
                Value::Array(vec![s("a"), Value::Int(1)]),
                &[s(", ")]
            ),
            s("a, 1")
        );
        assert_eq!(run("size", s("héllo"), &[]), Value::Int(5));
        assert_eq!(
            run("jsonify", Value::Array(vec![s("a\"")]), &[]),
            s("[\"a\\\"\"]")
        );
        assert_eq!(run("plus", s("3"), &[Value::Int(1)]), Value::Int(4));
        assert_eq!(run("append", s("a"), &[s("bc")]).render(), "abc");
    }

    #[test]
    fn text_is_capped() {
        let site = Site::default();
        let long = apply("append", s("aaaa"), &[s("bbbb")], &site, 5).unwrap();
        assert_eq!(
            long,
            (s("aaaab"), true),
            "a filter never builds text past the cap"
        );
        let short = apply("append", s("aa"), &[s("bb")], &site, 5).unwrap();
        assert_eq!(short, (s("aabb"), false));
    }

    #[test]
    fn growing_filters_stop_at_the_cap() {
        let site = Site::default();
        let cap = 1_000;
        // Each would be about 3.6 GB in full.
        let text = s(&"a".repeat(60_000));
        let with = s(&"b".repeat(60_000));
        let (out, cut) =
            apply("replace", text.clone(), &[s("a"), with.clone()], &site, cap).unwrap();
        assert_eq!((out.render().len(), cut), (cap, true));
        let letters = apply("split", text, &[s("")], &site, usize::MAX).unwrap().0;
        let (out, cut) = apply(
            "join",
            letters.clone(),
            std::slice::from_ref(&with),
            &site,
            cap,
        )
        .unwrap();
        assert_eq!((out.render().len(), cut), (cap, true));
        let (out, cut) = apply("array_to_sentence_string", letters, &[with], &site, cap).unwrap();
        assert_eq!((out.render().len(), cut), (cap, true));
        // A list concatenated to itself stays within the cap in bytes.
        let mut list = Value::Array(vec![s(&"c".repeat(600))]);
        for _ in 0..40 {
            list = apply("concat", list.clone(), &[list], &site, cap)
                .unwrap()
                .0;
        }
        assert_eq!(list.render().len(), 600, "a second item would pass the cap");
        // Cut at a character boundary.
        let (out, _) = apply("replace", s("aaa"), &[s("a"), s("é")], &site, 5).unwrap();
        assert_eq!(out, s("éé"));
    }

    #[test]
    fn replace_keeps_its_meaning() {
        assert_eq!(run("replace", s("a-b-c"), &[s("-"), s("+")]), s("a+b+c"));
        assert_eq!(
            run("replace_first", s("a-b-c"), &[s("-"), s("+")]),
            s("a+b-c")
        );
        assert_eq!(run("replace", s("abc"), &[s(""), s("x")]), s("xaxbxcx"));
        assert_eq!(run("replace", s("abc"), &[s("z"), s("x")]), s("abc"));
        assert_eq!(run("newline_to_br", s("a\nb"), &[]), s("a<br />\nb"));
        let items = Value::Array(vec![s("a"), s("b"), s("c")]);
        assert_eq!(run("join", items.clone(), &[s(", ")]), s("a, b, c"));
        assert_eq!(
            run("array_to_sentence_string", items, &[]),
            s("a, b, and c")
        );
        let two = Value::Array(vec![s("a"), s("b")]);
        assert_eq!(
            run("array_to_sentence_string", two, &[s("or")]),
            s("a or b")
        );
    }

    #[test]
    fn uniq_keeps_the_first_of_equal_items() {
        let items = Value::Array(vec![
            s("a"),
            Value::Int(1),
            s("a"),
            Value::Float(1.0),
            Value::Int(1),
            s("1"),
        ]);
        assert_eq!(
            run("uniq", items, &[]),
            Value::Array(vec![s("a"), Value::Int(1), Value::Float(1.0), s("1")])
        );
    }

    #[test]
    fn division_rounds_down_as_in_ruby() {
        let op = |name: &str, x: i64, y: i64| run(name, Value::Int(x), &[Value::Int(y)]);
        assert_eq!(op("divided_by", 7, -2), Value::Int(-4));
        assert_eq!(op("modulo", 7, -2), Value::Int(-1));
        assert_eq!(op("divided_by", -7, 2), Value::Int(-4));
        assert_eq!(op("modulo", -7, 2), Value::Int(1));
        assert_eq!(op("divided_by", -7, -2), Value::Int(3));
        assert_eq!(op("modulo", -7, -2), Value::Int(-1));
        assert_eq!(op("divided_by", 7, 2), Value::Int(3));
        assert_eq!(op("modulo", 6, -2), Value::Int(0));
        assert_eq!(
            run("modulo", Value::Float(7.0), &[Value::Int(-2)]),
            Value::Float(-1.0)
        );
        let site = Site::default();
        let min = Value::Int(i64::MIN);
        assert!(apply("divided_by", min.clone(), &[Value::Int(-1)], &site, 9).is_err());
        assert!(apply("modulo", min, &[Value::Int(0)], &site, 9).is_err());
    }
}
