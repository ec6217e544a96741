//! Liquid values and expressions: literals, variable lookups, ranges,
//! filters and the comparisons of `{% if %}`.

use serde_json::Value as Json;

/// A value as Liquid sees it. `Unknown` is data the article does not carry
/// (`site.title`, `site.data.*`): it never becomes empty text, it becomes a
/// placeholder.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Value {
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// A date, RFC 3339 as `meta` normalized it; printed as Ruby prints a Time.
    Date(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
    /// What could not be known, as the author wrote it (`site.data.menu`).
    Unknown(String),
}

impl Value {
    pub(super) fn from_json(json: &Json) -> Value {
        match json {
            Json::Null => Value::Nil,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(0.0)),
            },
            Json::String(s) => Value::Str(s.clone()),
            Json::Array(items) => Value::Array(items.iter().map(Value::from_json).collect()),
            Json::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Liquid's truth: only `nil` and `false` are false.
    pub(super) fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }

    pub(super) fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// The text Liquid writes for the value.
    pub(super) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Nil | Value::Unknown(_) => {}
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => out.push_str(&float_text(*f)),
            Value::Str(s) => out.push_str(s),
            Value::Date(d) => out.push_str(&super::filters::ruby_time(d)),
            // Liquid joins an array's items with nothing between them.
            Value::Array(items) => items.iter().for_each(|v| v.write(out)),
            Value::Object(pairs) => {
                for (k, v) in pairs {
                    out.push_str(k);
                    v.write(out);
                }
            }
        }
    }

    /// `a.size`, `a.first`, `a["key"]`, `a[0]`.
    pub(super) fn get(&self, key: &Value) -> Value {
        match (self, key) {
            (Value::Unknown(what), _) => Value::Unknown(format!("{what}.{}", key.render())),
            (Value::Object(pairs), Value::Str(k)) => {
                match pairs.iter().find(|(name, _)| name == k) {
                    Some((_, v)) => v.clone(),
                    None if k == "size" => Value::Int(pairs.len() as i64),
                    None => Value::Nil,
                }
            }
            (Value::Array(items), Value::Int(i)) => {
                let at = if *i < 0 { items.len() as i64 + i } else { *i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.get(at))
                    .cloned()
                    .unwrap_or(Value::Nil)
            }
            (Value::Array(items), Value::Str(k)) => match k.as_str() {
                "size" => Value::Int(items.len() as i64),
                "first" => items.first().cloned().unwrap_or(Value::Nil),
                "last" => items.last().cloned().unwrap_or(Value::Nil),
                _ => Value::Nil,
            },
            (Value::Str(s), Value::Str(k)) if k == "size" => Value::Int(s.chars().count() as i64),
            _ => Value::Nil,
        }
    }

    /// Liquid's `empty`: an empty string, array or hash.
    fn is_empty(&self) -> bool {
        match self {
            Value::Str(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// `==` as Liquid compares: numbers by value, `empty`/`blank` by content.
    pub(super) fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Str(a), Value::Date(b)) | (Value::Date(b), Value::Str(a)) => a == b,
            _ => match (self.number(), other.number()) {
                (Some(a), Some(b)) => a == b,
                _ => self == other,
            },
        }
    }
}

/// Ruby writes floats with at least one decimal.
pub(super) fn float_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.1}")
    } else {
        f.to_string()
    }
}

// ---------------------------------------------------------------------------
// Expressions

/// A value to look up or a literal, as written.
#[derive(Clone, Debug)]
pub(super) enum Expr {
    Literal(Value),
    /// `empty` and `blank`, which compare by content.
    Empty,
    Range(Box<Expr>, Box<Expr>),
    /// A variable and its path: `page.tags[0].size`.
    Path(String, Vec<Key>),
}

#[derive(Clone, Debug)]
pub(super) enum Key {
    Name(String),
    Index(Expr),
}

/// An output: an expression and its filters.
#[derive(Clone, Debug)]
pub(super) struct Filtered {
    pub expr: Expr,
    pub filters: Vec<Filter>,
}

#[derive(Clone, Debug)]
pub(super) struct Filter {
    pub name: String,
    pub args: Vec<Expr>,
    /// `key: value` arguments (`truncate`'s Shopify forms, `where_exp`).
    pub named: Vec<(String, Expr)>,
}

/// A condition of `{% if %}`: comparisons joined by `and`/`or`, which
/// Liquid groups from the right.
#[derive(Clone, Debug)]
pub(super) enum Cond {
    Test(Expr),
    Compare(Expr, String, Expr),
    /// `a and b or c`: the tests in order and the word after each but the
    /// last (`true` for `and`). Kept flat, not as nested boxes, so that a
    /// long chain is parsed, evaluated and dropped without recursion.
    Chain(Vec<Cond>, Vec<bool>),
    /// `unless`.
    Not(Box<Cond>),
}

/// Expressions nest (`(a..b)`, `x[y[z]]`) at most this deep: the parser
/// and the evaluator recurse once per level.
const MAX_EXPR_DEPTH: usize = 32;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Str(String),
    Num(String),
    Ident(String),
    Dot,
    DotDot,
    Open,
    Close,
    LBracket,
    RBracket,
    Pipe,
    Colon,
    Comma,
    Op(String),
}

/// Splits an expression into tokens; `None` on a character Liquid rejects.
pub(super) fn lex(s: &str) -> Option<Vec<Tok>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'"' | b'\'' => {
                let end = s[i + 1..].find(c as char)? + i + 1;
                out.push(Tok::Str(s[i + 1..end].to_owned()));
                i = end + 1;
            }
            b'.' if b.get(i + 1) == Some(&b'.') => {
                out.push(Tok::DotDot);
                i += 2;
            }
            b'.' => {
                out.push(Tok::Dot);
                i += 1;
            }
            b'(' => {
                out.push(Tok::Open);
                i += 1;
            }
            b')' => {
                out.push(Tok::Close);
                i += 1;
            }
            b'[' => {
                out.push(Tok::LBracket);
                i += 1;
            }
            b']' => {
                out.push(Tok::RBracket);
                i += 1;
            }
            b'|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            b':' => {
                out.push(Tok::Colon);
                i += 1;
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = s.get(i..i + 2).unwrap_or("");
                let op = match two {
                    "==" | "!=" | "<>" | "<=" | ">=" => two,
                    _ if c == b'<' || c == b'>' => &s[i..i + 1],
                    _ => return None,
                };
                out.push(Tok::Op(op.to_owned()));
                i += op.len();
            }
            b'0'..=b'9' | b'-' => {
                let start = i;
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_digit() || (b[i] == b'.' && b.get(i + 1) != Some(&b'.')))
                {
                    i += 1;
                }
                if &s[start..i] == "-" {
                    return None;
                }
                out.push(Tok::Num(s[start..i].to_owned()));
            }
            _ if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'-'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                if b.get(i) == Some(&b'?') {
                    i += 1;
                }
                out.push(Tok::Ident(s[start..i].to_owned()));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// A cursor over tokens.
pub(super) struct Parser {
    toks: Vec<Tok>,
    at: usize,
    /// Expressions open around the one being read.
    depth: usize,
}

impl Parser {
    pub(super) fn new(s: &str) -> Option<Parser> {
        Some(Parser {
            toks: lex(s)?,
            at: 0,
            depth: 0,
        })
    }

    pub(super) fn done(&self) -> bool {
        self.at >= self.toks.len()
    }

    pub(super) fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    pub(super) fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn ident(&mut self) -> Option<String> {
        match self.peek() {
            Some(Tok::Ident(name)) => {
                let name = name.clone();
                self.at += 1;
                Some(name)
            }
            _ => None,
        }
    }

    pub(super) fn eat_word(&mut self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(w)) if w == word) && {
            self.at += 1;
            true
        }
    }

    /// A literal, a range or a variable with its path; `None` past
    /// `MAX_EXPR_DEPTH` levels of nesting, as for any other syntax error.
    pub(super) fn expr(&mut self) -> Option<Expr> {
        if self.depth >= MAX_EXPR_DEPTH {
            return None;
        }
        self.depth += 1;
        let expr = self.expr_inside();
        self.depth -= 1;
        expr
    }

    fn expr_inside(&mut self) -> Option<Expr> {
        let tok = self.peek()?.clone();
        self.at += 1;
        Some(match tok {
            Tok::Str(s) => Expr::Literal(Value::Str(s)),
            Tok::Num(n) => Expr::Literal(if n.contains('.') {
                Value::Float(n.parse().ok()?)
            } else {
                Value::Int(n.parse().ok()?)
            }),
            Tok::Open => {
                let from = self.expr()?;
                if !self.eat(&Tok::DotDot) {
                    return None;
                }
                let to = self.expr()?;
                if !self.eat(&Tok::Close) {
                    return None;
                }
                Expr::Range(Box::new(from), Box::new(to))
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Expr::Literal(Value::Bool(true)),
                "false" => Expr::Literal(Value::Bool(false)),
                "nil" | "null" => Expr::Literal(Value::Nil),
                "empty" | "blank" => Expr::Empty,
                _ => {
                    let mut keys = Vec::new();
                    loop {
                        if self.eat(&Tok::Dot) {
                            keys.push(Key::Name(self.ident()?));
                        } else if self.eat(&Tok::LBracket) {
                            keys.push(Key::Index(self.expr()?));
                            if !self.eat(&Tok::RBracket) {
                                return None;
                            }
                        } else {
                            break;
                        }
                    }
                    Expr::Path(name, keys)
                }
            },
            Tok::LBracket => {
                // `["key"]` at the start: a variable named by a string.
                let Expr::Literal(Value::Str(name)) = self.expr()? else {
                    return None;
                };
                if !self.eat(&Tok::RBracket) {
                    return None;
                }
                Expr::Path(name, Vec::new())
            }
            _ => return None,
        })
    }

    /// `expr | filter: a, b | filter`.
    pub(super) fn filtered(&mut self) -> Option<Filtered> {
        let expr = self.expr()?;
        let mut filters = Vec::new();
        while self.eat(&Tok::Pipe) {
            let name = self.ident()?;
            let mut filter = Filter {
                name,
                args: Vec::new(),
                named: Vec::new(),
            };
            if self.eat(&Tok::Colon) {
                loop {
                    if let (Some(Tok::Ident(key)), Some(Tok::Colon)) =
                        (self.toks.get(self.at), self.toks.get(self.at + 1))
                    {
                        let key = key.clone();
                        self.at += 2;
                        filter.named.push((key, self.expr()?));
                    } else {
                        filter.args.push(self.expr()?);
                    }
                    if !self.eat(&Tok::Comma) {
                        break;
                    }
                }
            }
            filters.push(filter);
        }
        Some(Filtered { expr, filters })
    }

    /// `a == b and c or d contains "x"`.
    pub(super) fn condition(&mut self) -> Option<Cond> {
        let mut tests = vec![self.test()?];
        let mut ands = Vec::new();
        loop {
            if self.eat_word("and") {
                ands.push(true);
            } else if self.eat_word("or") {
                ands.push(false);
            } else {
                break;
            }
            tests.push(self.test()?);
        }
        Some(if ands.is_empty() {
            tests.pop()?
        } else {
            Cond::Chain(tests, ands)
        })
    }

    /// One comparison, or one value tested for truth.
    fn test(&mut self) -> Option<Cond> {
        let left = self.expr()?;
        Some(match self.peek() {
            Some(Tok::Op(op)) => {
                let op = op.clone();
                self.at += 1;
                Cond::Compare(left, op, self.expr()?)
            }
            Some(Tok::Ident(w)) if w == "contains" => {
                self.at += 1;
                Cond::Compare(left, "contains".to_owned(), self.expr()?)
            }
            _ => Cond::Test(left),
        })
    }
}

/// `Some(true/false)`, or `None` when it depends on what is not known.
pub(super) fn compare(left: &Value, op: &str, right: &Value) -> Option<bool> {
    if left.is_unknown() || right.is_unknown() {
        return None;
    }
    Some(match op {
        "==" => left.equals(right),
        "!=" | "<>" => !left.equals(right),
        "contains" => match (left, right) {
            (Value::Str(s), r) => s.contains(&r.render()),
            (Value::Array(items), r) => items.iter().any(|i| i.equals(r)),
            (Value::Object(pairs), r) => {
                let key = r.render();
                pairs.iter().any(|(k, _)| *k == key)
            }
            _ => false,
        },
        _ => {
            let ordering = match (left.number(), right.number(), left, right) {
                (Some(a), Some(b), _, _) => a.partial_cmp(&b),
                (_, _, Value::Str(a) | Value::Date(a), Value::Str(b) | Value::Date(b)) => {
                    Some(a.cmp(b))
                }
                _ => None,
            };
            let Some(ordering) = ordering else {
                return Some(false);
            };
            match op {
                "<" => ordering.is_lt(),
                ">" => ordering.is_gt(),
                "<=" => ordering.is_le(),
                ">=" => ordering.is_ge(),
                _ => false,
            }
        }
    })
}

/// `x == empty` compares by content.
pub(super) fn compare_empty(value: &Value, op: &str) -> Option<bool> {
    if value.is_unknown() {
        return None;
    }
    match op {
        "==" => Some(value.is_empty()),
        "!=" | "<>" => Some(!value.is_empty()),
        _ => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_parse_with_filters_and_arguments() {
        let f = Parser::new(r#"page.tags[0] | append: "x", 2 | truncate: 10"#)
            .unwrap()
            .filtered()
            .unwrap();
        assert_eq!(f.filters.len(), 2);
        assert_eq!(f.filters[0].args.len(), 2);
        assert!(matches!(f.expr, Expr::Path(ref n, ref k) if n == "page" && k.len() == 2));
    }

    #[test]
    fn conditions_group_from_the_right() {
        let c = Parser::new("a == 1 or b and c contains 'x'")
            .unwrap()
            .condition()
            .unwrap();
        assert!(
            matches!(c, Cond::Chain(ref tests, ref ands) if tests.len() == 3 && *ands == [false, true])
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}1..2{}", "(".repeat(5_000), ")".repeat(5_000));
        assert!(Parser::new(&deep).unwrap().expr().is_none());
        let deep = format!("a{}", "[a".repeat(5_000) + &"]".repeat(5_000));
        assert!(Parser::new(&deep).unwrap().expr().is_none());
        let deep = format!("a{}", "[a".repeat(20) + &"]".repeat(20));
        assert!(Parser::new(&deep).unwrap().expr().is_some());
    }

    #[test]
    fn numbers_compare_across_int_and_float() {
        assert_eq!(
            compare(&Value::Int(2), "==", &Value::Float(2.0)),
            Some(true)
        );
        assert_eq!(compare(&Value::Int(2), "<", &Value::Int(3)), Some(true));
        assert_eq!(
            compare(&Value::Unknown("site.x".into()), "==", &Value::Nil),
            None,
            "unknown data decides nothing"
        );
    }
}
