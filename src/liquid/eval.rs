//! Running the tree: variables, loops and output, within the budgets.

use std::collections::HashMap;
use std::ops::Range;

use super::filters::{self, Failure};
use super::value::{Cond, Expr, Filtered, Key, Value, compare, compare_empty};
use super::*;

/// Page keys Jekyll computes from the site (the URL, the neighbours, the
/// content): unknown here unless the front matter sets them.
const COMPUTED_PAGE_KEYS: &[&str] = &[
    "url",
    "id",
    "path",
    "relative_path",
    "excerpt",
    "content",
    "next",
    "previous",
    "collection",
    "dir",
    "name",
    "output",
];

/// Variables that live in the layout or the site, never in a post.
const SITE_SCOPES: &[&str] = &[
    "layout",
    "paginator",
    "include",
    "jekyll",
    "content",
    "theme",
];

enum Flow {
    Normal,
    Break,
    Continue,
}

/// Evaluates the tree to the body's new text.
pub(super) fn run(
    src: &str,
    codes: &[Range<usize>],
    nodes: &[Node],
    data: &Data,
    first_line: usize,
    report: &mut Report,
) -> (String, Lines) {
    let mut eval = Eval {
        src,
        codes,
        data,
        first_line,
        report,
        vars: HashMap::new(),
        counters: HashMap::new(),
        forloops: Vec::new(),
        out: String::with_capacity(src.len()),
        written: 0,
        budget: src.len() + MAX_EXTRA_OUTPUT,
        iterations: 0,
        nested: 0,
        warned: Vec::new(),
        newlines: None,
        here: 0,
        steps: 0,
        halted: false,
        lines: Lines::default(),
    };
    eval.nodes(nodes);
    (eval.out, eval.lines)
}

/// Which line of the body each line of the output was written from, so
/// that the diagnostics of later stages, which read the output, point at
/// the file's lines. Text copied from the body keeps its lines one for one;
/// what a tag wrote is at the line where the text before it ended.
#[derive(Default)]
pub(crate) struct Lines {
    /// Per piece of copied text, in output order: its first output line,
    /// its first body line and how many line breaks it holds (0-based).
    copied: Vec<(usize, usize, usize)>,
    /// Line breaks written so far, and up to which byte of the output.
    counted: (usize, usize),
}

impl Lines {
    /// The body line (0-based) that output line `line` (0-based) came from.
    pub(crate) fn body_line(&self, line: usize) -> usize {
        let i = self.copied.partition_point(|(out, ..)| *out <= line);
        match i.checked_sub(1).map(|i| self.copied[i]) {
            Some((out, body, breaks)) => body + (line - out).min(breaks),
            // Before any copied text: written by the tags that open the body.
            None => 0,
        }
    }

    fn copied(&mut self, out: &str, body_line: usize, text: &str) {
        let (breaks, upto) = self.counted;
        let breaks = breaks + memchr_count(&out.as_bytes()[upto..]);
        self.counted = (breaks, out.len());
        let own = memchr_count(text.as_bytes());
        if self
            .copied
            .last()
            .is_some_and(|(o, b, n)| *o + *n == breaks && *b + *n == body_line)
        {
            // The same run of lines goes on (text, then `{% raw %}` text…).
            self.copied.last_mut().expect("checked").2 += own;
        } else {
            self.copied.push((breaks, body_line, own));
        }
    }
}

fn memchr_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|b| **b == b'\n').count()
}

struct Eval<'a, 'r> {
    src: &'a str,
    codes: &'a [Range<usize>],
    data: &'a Data,
    first_line: usize,
    report: &'r mut Report,
    vars: HashMap<String, Value>,
    counters: HashMap<String, i64>,
    /// The `forloop` object of each open loop, innermost last.
    forloops: Vec<Value>,
    out: String,
    /// Bytes written in loops and captures, against `budget`.
    written: usize,
    budget: usize,
    iterations: usize,
    /// Open loops and captures: text inside them is written on budget.
    nested: usize,
    /// Limits already reported, so each is reported once.
    warned: Vec<&'static str>,
    /// Offsets of the body's newlines, for the lines of diagnostics.
    newlines: Option<Vec<usize>>,
    /// Nodes evaluated inside loops and captures.
    steps: usize,
    /// A limit was hit: loops and captures stop; text outside them is
    /// still written.
    halted: bool,
    /// Where the output or block being evaluated starts, for the lines of
    /// limits hit inside it.
    here: usize,
    lines: Lines,
}

/// A problem with an output, reported with a placeholder.
struct Problem {
    code: &'static str,
    message: String,
}

impl Eval<'_, '_> {
    fn line(&mut self, at: usize) -> usize {
        let src = self.src;
        let newlines = self.newlines.get_or_insert_with(|| {
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect()
        });
        self.first_line + newlines.partition_point(|&n| n < at)
    }

    /// Text of the body at `at` is about to be copied (outside loops and
    /// captures, where it is written once, in place).
    fn note_copied(&mut self, at: usize, text: &str) {
        if self.nested == 0 {
            let line = self.line(at) - self.first_line;
            self.lines.copied(&self.out, line, text);
        }
    }

    fn warn_at(&mut self, code: &'static str, at: usize, message: String) {
        let line = self.line(at);
        self.report.add(Severity::Warning, code, message, line);
    }

    fn limit(&mut self, code: &'static str, at: usize, message: String) {
        if !self.warned.contains(&code) {
            self.warned.push(code);
            self.warn_at(code, at, message);
        }
    }

    /// Writes text the author wrote once; inside a loop or a capture it is
    /// on the budget like everything else.
    fn write_text(&mut self, text: &str) {
        if self.nested == 0 {
            self.out.push_str(text);
        } else {
            self.write(text);
        }
    }

    /// Writes what evaluation produced, within the output budget.
    fn write(&mut self, text: &str) {
        if self.written + text.len() > self.budget {
            self.halted = true;
            if !self.warned.contains(&"liquid.too-much-output") {
                let message = format!(
                    "Liquid wrote more than {} bytes here; the rest of what it would write is left out",
                    self.budget
                );
                self.limit("liquid.too-much-output", self.here, message);
            }
            return;
        }
        self.written += text.len();
        self.out.push_str(text);
    }

    /// Inside code (a block, a span, a highlight), where the templates stage
    /// reads nothing and HTML would show as text.
    fn in_code(&self, at: usize) -> bool {
        let i = self.codes.partition_point(|c| c.end <= at);
        self.codes.get(i).is_some_and(|c| c.start <= at)
    }

    /// A value computed at `at`: inert for the templates stage outside code,
    /// as it is inside.
    fn write_value(&mut self, text: &str, at: usize) {
        if self.in_code(at) {
            self.write(text);
        } else {
            self.write(&inert(text));
        }
    }

    /// The visible placeholder; in code, where markup would show, the
    /// source as written.
    fn placeholder(&mut self, span: &Range<usize>) {
        let source = &self.src[span.clone()];
        if self.in_code(span.start) {
            self.write_text(source);
        } else {
            let html = placeholder(source);
            self.write_text(&html);
        }
    }

    fn nodes(&mut self, nodes: &[Node]) -> Flow {
        for node in nodes {
            // Inside loops and captures every node is a step; each node
            // outside them runs once, so the body's own size bounds those.
            if self.nested > 0 {
                if self.halted {
                    return Flow::Break;
                }
                self.steps += 1;
                if self.steps > MAX_STEPS {
                    self.halted = true;
                    let message = format!(
                        "Liquid loops and captures evaluated {MAX_STEPS} tags, outputs and texts in this article; the rest of them is left out"
                    );
                    self.limit("liquid.too-many-iterations", self.here, message);
                    return Flow::Break;
                }
            }
            match self.node(node) {
                Flow::Normal => {}
                flow => return flow,
            }
        }
        Flow::Normal
    }

    fn node(&mut self, node: &Node) -> Flow {
        let src = self.src;
        match node {
            Node::Text(r) | Node::Pass(r) => {
                self.note_copied(r.start, &src[r.clone()]);
                self.write_text(&src[r.clone()]);
            }
            Node::Raw(r) => {
                // `inert` escapes braces, never line breaks.
                self.note_copied(r.start, &src[r.clone()]);
                self.raw(r.clone());
            }
            Node::Placeholder(span) => self.placeholder(span),
            Node::Output(tag, filtered) => {
                self.here = tag.span.start;
                match self.filtered(filtered) {
                    Ok(value) => {
                        let text = value.render();
                        self.write_value(&text, tag.span.start);
                    }
                    Err(problem) => {
                        self.warn_at(problem.code, tag.span.start, problem.message);
                        self.placeholder(&tag.span);
                    }
                }
            }
            Node::Assign(name, filtered, at) => {
                self.here = *at;
                let value = match self.filtered(filtered) {
                    Ok(value) => value,
                    // Reported here when a filter failed; an unknown value is
                    // reported where it is shown, if it is.
                    Err(problem) => {
                        if problem.code != "liquid.unknown-variable" {
                            self.warn_at(problem.code, *at, problem.message);
                        }
                        Value::Unknown(name.clone())
                    }
                };
                self.vars.insert(name.clone(), value);
            }
            Node::Capture(name, body) => {
                let outer = std::mem::take(&mut self.out);
                self.nested += 1;
                let flow = self.nodes(body);
                self.nested -= 1;
                let captured = std::mem::replace(&mut self.out, outer);
                let captured = filters::truncate_bytes(captured, MAX_VALUE);
                self.vars.insert(name.clone(), Value::Str(captured));
                if !matches!(flow, Flow::Normal) {
                    return flow;
                }
            }
            Node::If(branches, spans) => return self.branches(branches, spans),
            Node::Case(subject, whens, spans) => return self.case(subject, whens, spans),
            Node::For(for_loop) => return self.for_loop(for_loop),
            Node::Break => return Flow::Break,
            Node::Continue => return Flow::Continue,
            Node::Counter(name, up) => {
                let counter = self.counters.entry(name.clone()).or_insert(0);
                let shown = if *up {
                    *counter += 1;
                    *counter - 1
                } else {
                    *counter -= 1;
                    *counter
                };
                self.write(&shown.to_string());
            }
            Node::Link(tag) => self.link(tag),
        }
        Flow::Normal
    }

    /// Raw content: shown as written. Outside code its `{{` and `{%` are
    /// made inert, so that the templates stage leaves them too.
    fn raw(&mut self, r: Range<usize>) {
        let src = self.src;
        let mut at = r.start;
        let first = self.codes.partition_point(|c| c.end <= r.start);
        for code in &self.codes[first..] {
            if code.start >= r.end {
                break;
            }
            let start = code.start.max(at);
            let text = inert(&src[at..start]).into_owned();
            self.write_text(&text);
            let end = code.end.min(r.end);
            self.write_text(&src[start..end]);
            at = end;
        }
        let text = inert(&src[at..r.end]).into_owned();
        self.write_text(&text);
    }

    // -----------------------------------------------------------------------
    // Values

    fn filtered(&mut self, filtered: &Filtered) -> Result<Value, Problem> {
        let mut value = self.expr(&filtered.expr);
        for filter in &filtered.filters {
            if value.is_unknown() {
                break;
            }
            let args: Vec<Value> = filter.args.iter().map(|a| self.expr(a)).collect();
            if let Some(unknown) = args.iter().find(|a| a.is_unknown()) {
                value = unknown.clone();
                break;
            }
            if filter.name == "markdownify" {
                value = self.markdownify(value);
                continue;
            }
            value = match filters::apply(&filter.name, value, &args, &self.data.site, MAX_VALUE) {
                Ok((v, cut)) => {
                    if cut {
                        let message =
                            format!("A Liquid value reached {MAX_VALUE} bytes and was cut there");
                        self.limit("liquid.value-too-long", self.here, message);
                    }
                    v
                }
                Err(Failure::Unknown) => {
                    return Err(Problem {
                        code: "liquid.unknown-filter",
                        message: format!(
                            "`{}` is not a Liquid or Jekyll filter this library has; the output is shown as a placeholder",
                            short(&filter.name)
                        ),
                    });
                }
                Err(Failure::Unsupported) => {
                    return Err(Problem {
                        code: "liquid.unsupported-filter",
                        message: format!(
                            "The `{}` filter cannot be computed here for this value or these arguments (a date it cannot read, `now`, a format it lacks); the output is shown as a placeholder",
                            short(&filter.name)
                        ),
                    });
                }
            };
        }
        match value {
            Value::Unknown(what) => Err(Problem {
                code: "liquid.unknown-variable",
                message: format!(
                    "`{}` is not known from the article alone (data of the site, a layout or an include, or a variable never assigned); it is shown as a placeholder",
                    short(&what)
                ),
            }),
            value => Ok(value),
        }
    }

    /// Jekyll's `markdownify`: the Markdown renderer of the body (its HTML
    /// is sanitized with the body). What it reads is counted against the
    /// output budget, so that a loop cannot make it render without end;
    /// past it the text is passed on, to be read as part of the body.
    fn markdownify(&mut self, value: Value) -> Value {
        let text = value.render();
        if self.written + text.len() > self.budget {
            let message = format!(
                "Liquid's `markdownify` read more than {} bytes here; the rest is passed on as Markdown text",
                self.budget
            );
            self.limit("liquid.too-much-output", self.here, message);
            return Value::Str(text);
        }
        self.written += text.len();
        let html = crate::markdown::to_html_for(
            &text,
            &crate::MarkdownOptions::default(),
            crate::Generator::Jekyll,
            // kramdown's default: `$$` alone is math.
            crate::markdown::Math::DoubleDollar,
        )
        .html;
        Value::Str(html.trim_end().to_owned())
    }

    fn expr(&mut self, expr: &Expr) -> Value {
        match expr {
            Expr::Literal(v) => v.clone(),
            Expr::Empty => Value::Str(String::new()),
            Expr::Range(from, to) => match self.range(from, to) {
                Some((from, to)) => {
                    // Saturating: the ends may be any integers.
                    let len = to.saturating_sub(from).saturating_add(1).max(0);
                    if len > MAX_ITERATIONS as i64 {
                        let message = format!(
                            "A Liquid range has more than {MAX_ITERATIONS} numbers; only the first {MAX_ITERATIONS} are kept"
                        );
                        self.limit("liquid.too-many-iterations", self.here, message);
                    }
                    let len = len.min(MAX_ITERATIONS as i64);
                    // `from + i` stays within `to`, so it cannot overflow.
                    Value::Array((0..len).map(|i| Value::Int(from + i)).collect())
                }
                None => Value::Unknown("a range".to_owned()),
            },
            Expr::Path(name, keys) => {
                let keys: Vec<Value> = keys
                    .iter()
                    .map(|k| match k {
                        Key::Name(n) => Value::Str(n.clone()),
                        Key::Index(e) => self.expr(e),
                    })
                    .collect();
                if let Some(unknown) = keys.iter().find(|k| k.is_unknown()) {
                    return unknown.clone();
                }
                self.lookup(name, &keys)
            }
        }
    }

    fn range(&mut self, from: &Expr, to: &Expr) -> Option<(i64, i64)> {
        let int = |v: Value| match v {
            Value::Int(i) => Some(i),
            Value::Float(f) => Some(f as i64),
            Value::Str(s) => s.trim().parse().ok(),
            Value::Nil => Some(0),
            _ => None,
        };
        let from = int(self.expr(from))?;
        let to = int(self.expr(to))?;
        Some((from, to))
    }

    fn lookup(&mut self, name: &str, keys: &[Value]) -> Value {
        let path = || {
            let mut p = name.to_owned();
            for k in keys {
                extend_path(&mut p, k);
            }
            p
        };
        let first = keys.first().map(Value::render);
        match name {
            "page" => {
                let page = &self.data.page;
                if let Some(key) = &first {
                    let present =
                        matches!(page, Value::Object(pairs) if pairs.iter().any(|(k, _)| k == key));
                    if !present && COMPUTED_PAGE_KEYS.contains(&key.as_str()) {
                        return Value::Unknown(path());
                    }
                }
                walk(page, keys)
            }
            "site" => match first.as_deref() {
                Some("url") if keys.len() == 1 => Value::Str(self.data.site.url.clone()),
                Some("baseurl") if keys.len() == 1 => Value::Str(self.data.site.baseurl.clone()),
                _ => Value::Unknown(path()),
            },
            "forloop" => match self.forloops.last() {
                Some(forloop) => walk(forloop, keys),
                None => Value::Unknown(path()),
            },
            _ => match self.vars.get(name) {
                Some(value) => walk(value, keys),
                None if SITE_SCOPES.contains(&name) => Value::Unknown(path()),
                // Jekyll prints nothing for a variable never assigned; in a
                // post that is data of a layout or an include, or not Liquid
                // at all (a Vue or Angular example): a placeholder keeps it.
                None => Value::Unknown(path()),
            },
        }
    }

    fn condition(&mut self, cond: &Cond) -> Option<bool> {
        match cond {
            Cond::Test(e) => {
                let v = self.expr(e);
                (!v.is_unknown()).then(|| v.truthy())
            }
            Cond::Compare(a, op, b) => match (a, b) {
                (_, Expr::Empty) => compare_empty(&self.expr(a), op),
                (Expr::Empty, _) => compare_empty(&self.expr(b), op),
                _ => {
                    let (a, b) = (self.expr(a), self.expr(b));
                    compare(&a, op, &b)
                }
            },
            // Liquid groups from the right: `a or b and c` is `a or (b and
            // c)`. Folded from the last test back, in a loop.
            Cond::Chain(tests, ands) => {
                let mut tests = tests.iter().rev();
                let mut right = self.condition(tests.next()?);
                for (test, and) in tests.zip(ands.iter().rev()) {
                    let left = self.condition(test);
                    right = match (and, left, right) {
                        (true, Some(false), _) | (true, _, Some(false)) => Some(false),
                        (true, Some(true), Some(true)) => Some(true),
                        (false, Some(true), _) | (false, _, Some(true)) => Some(true),
                        (false, Some(false), Some(false)) => Some(false),
                        _ => None,
                    };
                }
                right
            }
            Cond::Not(c) => self.condition(c).map(|b| !b),
        }
    }

    // -----------------------------------------------------------------------
    // Blocks

    /// A decision that needs what is not known: every tag of the block is
    /// a placeholder and every branch is shown once, in order.
    fn undecided(&mut self, spans: &[Range<usize>], bodies: &[&[Node]]) -> Flow {
        let tag = short(&self.src[spans[0].clone()]);
        let message = format!(
            "`{tag}` depends on data of the site that the article does not carry; its tags are shown as placeholders and every branch is shown"
        );
        self.warn_at("liquid.unknown-condition", spans[0].start, message);
        for (i, span) in spans.iter().enumerate() {
            self.placeholder(span);
            if let Some(body) = bodies.get(i)
                && let flow @ (Flow::Break | Flow::Continue) = self.nodes(body)
            {
                return flow;
            }
        }
        Flow::Normal
    }

    fn branches(&mut self, branches: &[(Option<Cond>, Vec<Node>)], spans: &[Range<usize>]) -> Flow {
        for (cond, body) in branches {
            let taken = match cond {
                None => Some(true),
                Some(c) => self.condition(c),
            };
            match taken {
                Some(true) => return self.nodes(body),
                Some(false) => {}
                None => {
                    let bodies: Vec<&[Node]> = branches.iter().map(|(_, b)| b.as_slice()).collect();
                    return self.undecided(spans, &bodies);
                }
            }
        }
        Flow::Normal
    }

    fn case(
        &mut self,
        subject: &Expr,
        whens: &[(Option<Vec<Expr>>, Vec<Node>)],
        spans: &[Range<usize>],
    ) -> Flow {
        let subject = self.expr(subject);
        let mut chosen = Vec::new();
        let mut unknown = subject.is_unknown();
        let mut matched = false;
        for (i, (values, _)) in whens.iter().enumerate() {
            match values {
                Some(values) => {
                    for v in values {
                        let v = self.expr(v);
                        match compare(&subject, "==", &v) {
                            Some(true) => {
                                chosen.push(i);
                                matched = true;
                                break;
                            }
                            Some(false) => {}
                            None => unknown = true,
                        }
                    }
                }
                None if !matched => chosen.push(i),
                None => {}
            }
        }
        // The text before the first `when` is dropped: show every body after
        // the `case` tag itself.
        if unknown {
            let mut bodies: Vec<&[Node]> = vec![&[]];
            bodies.extend(whens.iter().map(|(_, b)| b.as_slice()));
            return self.undecided(spans, &bodies);
        }
        // Liquid renders every `when` that matches, and `else` only when none
        // before it did.
        for i in chosen {
            if let flow @ (Flow::Break | Flow::Continue) = self.nodes(&whens[i].1) {
                return flow;
            }
        }
        Flow::Normal
    }

    fn for_loop(&mut self, for_loop: &ForLoop) -> Flow {
        self.here = for_loop.tags[0].start;
        let source = match &for_loop.source {
            Expr::Range(from, to) => match self.range(from, to) {
                Some((from, to)) => Items::Range(from, to),
                None => Items::Unknown,
            },
            e => match self.expr(e) {
                Value::Array(items) => Items::List(items),
                Value::Object(pairs) => Items::List(
                    pairs
                        .into_iter()
                        .map(|(k, v)| Value::Array(vec![Value::Str(k), v]))
                        .collect(),
                ),
                Value::Unknown(_) => Items::Unknown,
                Value::Nil | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {
                    Items::List(Vec::new())
                }
                v => Items::List(vec![v]),
            },
        };
        let int = |eval: &mut Self, e: &Option<Expr>| -> Option<Option<i64>> {
            match e {
                None => Some(None),
                Some(e) => match eval.expr(e) {
                    Value::Int(i) => Some(Some(i.max(0))),
                    Value::Float(f) => Some(Some(f.max(0.0) as i64)),
                    Value::Str(s) => s.trim().parse::<i64>().ok().map(|i| Some(i.max(0))),
                    Value::Nil => Some(None),
                    _ => None,
                },
            }
        };
        let (Some(offset), Some(limit)) = (int(self, &for_loop.offset), int(self, &for_loop.limit))
        else {
            return self.undecided_loop(for_loop);
        };
        let offset = offset.unwrap_or(0);
        let mut items: Vec<Value> = match source {
            Items::Unknown => return self.undecided_loop(for_loop),
            Items::List(items) => {
                let skip = usize::try_from(offset).unwrap_or(usize::MAX);
                let take = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(usize::MAX));
                items.into_iter().skip(skip).take(take).collect()
            }
            Items::Range(from, to) => {
                let start = from.saturating_add(offset);
                let mut len = to.saturating_sub(start).saturating_add(1).max(0);
                if let Some(l) = limit {
                    len = len.min(l);
                }
                // Never more than the iterations left (one more, to report).
                let left = (MAX_ITERATIONS - self.iterations.min(MAX_ITERATIONS)) as i64 + 1;
                (0..len.min(left)).map(|i| Value::Int(start + i)).collect()
            }
        };
        if for_loop.reversed {
            items.reverse();
        }
        if items.is_empty() {
            return self.nodes(&for_loop.otherwise);
        }
        let saved = self.vars.remove(&for_loop.var);
        let length = items.len() as i64;
        self.nested += 1;
        for (i, item) in items.into_iter().enumerate() {
            if self.halted {
                break;
            }
            if self.iterations >= MAX_ITERATIONS {
                let message = format!(
                    "Liquid loops ran {MAX_ITERATIONS} times in this article; the rest of this loop and of any later ones is left out"
                );
                let at = for_loop.tags[0].start;
                self.limit("liquid.too-many-iterations", at, message);
                self.halted = true;
                break;
            }
            self.iterations += 1;
            let i = i as i64;
            self.forloops.push(Value::Object(vec![
                ("index".into(), Value::Int(i + 1)),
                ("index0".into(), Value::Int(i)),
                ("rindex".into(), Value::Int(length - i)),
                ("rindex0".into(), Value::Int(length - i - 1)),
                ("first".into(), Value::Bool(i == 0)),
                ("last".into(), Value::Bool(i == length - 1)),
                ("length".into(), Value::Int(length)),
            ]));
            self.vars.insert(for_loop.var.clone(), item);
            let flow = self.nodes(&for_loop.body);
            self.forloops.pop();
            if matches!(flow, Flow::Break) {
                break;
            }
        }
        self.nested -= 1;
        match saved {
            Some(v) => self.vars.insert(for_loop.var.clone(), v),
            None => self.vars.remove(&for_loop.var),
        };
        Flow::Normal
    }

    /// A loop over data that is not here: its tags as placeholders, its
    /// body shown once with the loop variable unknown.
    fn undecided_loop(&mut self, for_loop: &ForLoop) -> Flow {
        let saved = self
            .vars
            .insert(for_loop.var.clone(), Value::Unknown(for_loop.var.clone()));
        let bodies: Vec<&[Node]> = vec![&for_loop.body, &for_loop.otherwise];
        self.nested += 1;
        self.undecided(&for_loop.tags, &bodies);
        self.nested -= 1;
        match saved {
            Some(v) => self.vars.insert(for_loop.var.clone(), v),
            None => self.vars.remove(&for_loop.var),
        };
        Flow::Normal
    }

    // -----------------------------------------------------------------------
    // Jekyll's tags

    /// `{% link path %}` and `{% post_url name %}`: the URL Jekyll gives the
    /// file with its default permalinks, under `baseurl`.
    fn link(&mut self, tag: &super::Delimited) {
        let arg = tag.args.trim();
        let url = if arg.contains("{{") {
            None
        } else if tag.name == "post_url" {
            post_url(arg)
        } else {
            page_url(arg)
        };
        match url {
            Some(path) => {
                let base = self.data.site.baseurl.trim_end_matches('/');
                let url = format!("{base}{path}");
                self.write_value(&url, tag.span.start);
            }
            None => {
                let message = format!(
                    "`{}` does not name a file whose address this library can work out; it is shown as a placeholder",
                    short(&self.src[tag.span.clone()])
                );
                self.warn_at("liquid.invalid-link", tag.span.start, message);
                self.placeholder(&tag.span);
            }
        }
    }
}

enum Items {
    List(Vec<Value>),
    Range(i64, i64),
    Unknown,
}

/// The name of what is unknown is for messages, which show its start:
/// past `PATH_TEXT` bytes keys are not added, so that a path of many long
/// keys costs no more than its source.
fn extend_path(path: &mut String, key: &Value) {
    const PATH_TEXT: usize = 200;
    if path.len() < PATH_TEXT {
        path.push('.');
        path.push_str(&filters::truncate_bytes(key.render(), PATH_TEXT));
    }
}

/// Follows a path without copying what it passes through. In a loop, not
/// by recursion, since a path may have any number of keys.
fn walk(root: &Value, keys: &[Value]) -> Value {
    let mut current = root;
    for (i, key) in keys.iter().enumerate() {
        let child = match (current, key) {
            (Value::Object(pairs), Value::Str(k)) => {
                pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v)
            }
            (Value::Array(items), Value::Int(at)) if *at >= 0 => items.get(*at as usize),
            _ => None,
        };
        match child {
            Some(next) => current = next,
            None => {
                // Off the tree (`size`, `first`, a missing key): the rest
                // is followed on computed values.
                let mut value = current.get(key);
                for key in &keys[i + 1..] {
                    if let Value::Unknown(what) = &mut value {
                        // The path of what is unknown, extended in place
                        // rather than copied at every key.
                        extend_path(what, key);
                    } else {
                        value = value.get(key);
                    }
                }
                return value;
            }
        }
    }
    current.clone()
}

/// `2010-07-21-name` (an extension and folders allowed) →
/// `/2010/07/21/name.html`, Jekyll's default `date` permalink for a post
/// without categories.
pub(super) fn post_url(name: &str) -> Option<String> {
    let file = name.rsplit('/').next()?;
    let stem = match file.rsplit_once('.') {
        Some((stem, ext)) if is_markup(ext) => stem,
        _ => file,
    };
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if !dated || stem.contains(char::is_whitespace) {
        return None;
    }
    Some(format!(
        "/{}/{}/{}/{}.html",
        &stem[..4],
        &stem[5..7],
        &stem[8..10],
        &stem[11..]
    ))
}

/// Extensions Jekyll converts to (or keeps as) `.html`.
fn is_markup(ext: &str) -> bool {
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "md" | "markdown" | "mkd" | "mkdn" | "mdown" | "textile" | "html" | "htm"
    )
}

/// `{% link %}`'s path → the URL of that file: a post by its date, a
/// collection document under the collection's name, a page with Markdown
/// written as `.html` and `index.html` as its folder.
pub(super) fn page_url(path: &str) -> Option<String> {
    let path = path
        .trim()
        .trim_matches(['"', '\''])
        .trim_start_matches('/');
    if path.is_empty() || path.contains(char::is_whitespace) || path.contains("..") {
        return None;
    }
    if let Some(post) = path.strip_prefix("_posts/") {
        return post_url(post);
    }
    let (dir, file) = match path.rsplit_once('/') {
        Some((dir, file)) => (format!("/{dir}/"), file),
        None => ("/".to_owned(), path),
    };
    // A collection `_docs/x.md` is output at `/docs/x.html`.
    let dir = match dir.strip_prefix("/_") {
        Some(rest) => format!("/{rest}"),
        None => dir,
    };
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let markup = is_markup(ext);
    Some(if markup && stem == "index" {
        dir
    } else if markup {
        format!("{dir}{stem}.html")
    } else {
        format!("{dir}{file}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_jekyll_defaults() {
        assert_eq!(
            post_url("2010-07-21-name").as_deref(),
            Some("/2010/07/21/name.html")
        );
        assert_eq!(
            post_url("2018-03-20-hello-world.markdown").as_deref(),
            Some("/2018/03/20/hello-world.html")
        );
        assert_eq!(
            post_url("/releases/2019-01-02-v4.0").as_deref(),
            Some("/2019/01/02/v4.0.html")
        );
        assert_eq!(post_url("name"), None);
        assert_eq!(
            page_url("_posts/2016-07-26-name.md").as_deref(),
            Some("/2016/07/26/name.html")
        );
        assert_eq!(page_url("about.md").as_deref(), Some("/about.html"));
        assert_eq!(page_url("news/index.html").as_deref(), Some("/news/"));
        assert_eq!(
            page_url("assets/paper.pdf").as_deref(),
            Some("/assets/paper.pdf")
        );
        assert_eq!(
            page_url("_docs/install.md").as_deref(),
            Some("/docs/install.html")
        );
    }
}
