//! Reading tag arguments: Hexo's quoted words, Hugo's named and
//! positional parameters, image arguments.

use super::*;

/// Hexo's arguments: separated by white space; a quoted part (`"…"` or
/// `'…'`) keeps its spaces and loses its quotes.
pub(super) fn words(args: &str) -> Vec<String> {
    let b = args.as_bytes();
    let mut out = Vec::new();
    let mut word = String::new();
    let mut started = false;
    // A quote with no partner: every later one of that kind has none either.
    let mut unpaired = [false, false];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            if started {
                out.push(std::mem::take(&mut word));
                started = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' || c == b'\'' {
            let slot = usize::from(c == b'\'');
            if !unpaired[slot] {
                match args[i + 1..].find(c as char) {
                    Some(k) => {
                        word.push_str(&args[i + 1..i + 1 + k]);
                        started = true;
                        i += k + 2;
                        continue;
                    }
                    None => unpaired[slot] = true,
                }
            }
        }
        let ch = args[i..].chars().next().unwrap_or(' ');
        word.push(ch);
        started = true;
        i += ch.len_utf8();
    }
    if started {
        out.push(word);
    }
    out
}

/// A comma-separated part with its spaces and quotes removed.
pub(super) fn unquote(part: &str) -> &str {
    let part = part.trim();
    for quote in ['\'', '"'] {
        if let Some(inner) = part.strip_prefix(quote).and_then(|p| p.strip_suffix(quote)) {
            return inner.trim();
        }
    }
    part
}

/// Hugo's arguments: `name="value"` pairs or positional values, quoted with
/// `"…"` (backslash escapes) or `` `…` ``, or bare.
pub(super) struct Params {
    pub(super) positional: Vec<String>,
    named: Vec<(String, String)>,
}

impl Params {
    pub(super) fn parse(args: &str) -> Params {
        let b = args.as_bytes();
        let mut params = Params {
            positional: Vec::new(),
            named: Vec::new(),
        };
        let mut i = 0;
        loop {
            i = skip_space(b, i);
            if i >= b.len() {
                break;
            }
            let key_len = b[i..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
                .count();
            if key_len > 0 && b.get(i + key_len) == Some(&b'=') {
                let key = args[i..i + key_len].to_owned();
                let (value, next) = value(args, i + key_len + 1);
                params.named.push((key, value));
                i = next;
            } else {
                let (value, next) = value(args, i);
                params.positional.push(value);
                i = next;
            }
        }
        params
    }

    pub(super) fn named(&self, key: &str) -> Option<&str> {
        self.named
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// The named value, or else the positional one at `index`.
    pub(super) fn get(&self, key: &str, index: usize) -> Option<&str> {
        self.named(key)
            .or_else(|| self.positional.get(index).map(String::as_str))
    }
}

/// One value at `i`: quoted, raw or bare; returns it and where it ends.
pub(super) fn value(args: &str, i: usize) -> (String, usize) {
    let b = args.as_bytes();
    match b.get(i) {
        Some(b'"') => {
            let mut out = String::new();
            let mut chars = args[i + 1..].char_indices();
            while let Some((k, c)) = chars.next() {
                match c {
                    '"' => return (out, i + 1 + k + 1),
                    '\\' => match chars.next() {
                        Some((_, escaped)) => out.push(escaped),
                        None => break,
                    },
                    c => out.push(c),
                }
            }
            (out, args.len())
        }
        Some(b'`') => match args[i + 1..].find('`') {
            Some(k) => (args[i + 1..i + 1 + k].to_owned(), i + k + 2),
            None => (args[i + 1..].to_owned(), args.len()),
        },
        _ => {
            let len = b[i..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace())
                .count();
            (args[i..i + len].to_owned(), i + len)
        }
    }
}

pub(super) struct Image {
    pub(super) src: String,
    pub(super) alt: Option<String>,
    pub(super) title: Option<String>,
    pub(super) width: Option<String>,
    pub(super) height: Option<String>,
}

/// Hexo's `{% img [class names] /path/to/image [width] [height] '"title text" "alt text"' %}`
/// (and `asset_img`, whose image is an asset of the post, relative to its page).
pub(super) fn hexo_img(words: &[String], asset: bool) -> Option<Image> {
    let is_src = |w: &str| w.contains(['/', '.', ':']);
    let at = words
        .iter()
        .position(|w| is_src(w))
        .or_else(|| (asset && !words.is_empty()).then_some(0))?;
    let mut rest = &words[at + 1..];
    let mut size = [None, None];
    for slot in &mut size {
        if let Some(n) = rest.first().and_then(|w| digits(w)) {
            *slot = Some(n);
            rest = &rest[1..];
        }
    }
    let meta = rest.join(" ");
    let (title, alt) = title_and_alt(&meta);
    let [width, height] = size;
    Some(Image {
        src: words[at].clone(),
        alt: alt.or_else(|| title.clone()),
        title,
        width,
        height,
    })
}

/// Hexo's `rMeta`: `"title" "alt"`, quotes optional.
fn title_and_alt(meta: &str) -> (Option<String>, Option<String>) {
    let mut parts = meta
        .split(['"', '\''])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let title = parts.next().map(str::to_owned);
    let alt = parts.next().map(str::to_owned);
    (title, alt)
}

/// `{% image src [description] [key:value…] %}` (Stellar) or
/// `{% image src, alt=…, width=… %}` (Volantis).
pub(super) fn stellar_image(args: &str) -> Option<Image> {
    let (src, rest): (String, Vec<String>) = if args.contains(',') {
        let mut parts = args.split(',').map(|p| unquote(p).to_owned());
        (parts.next()?, parts.collect())
    } else {
        let mut words = words(args).into_iter();
        (words.next()?, words.collect())
    };
    if src.is_empty() {
        return None;
    }
    let mut alt = Vec::new();
    let mut width = None;
    for part in &rest {
        match part.split_once(['=', ':']) {
            Some((key, value)) if key == "alt" || key == "title" => alt.push(value.to_owned()),
            Some(("width", value)) => width = digits(value),
            Some((
                "height" | "bg" | "padding" | "ratio" | "fancybox" | "download" | "style",
                _,
            )) => {}
            _ => alt.push(part.clone()),
        }
    }
    let alt = alt.join(" ");
    Some(Image {
        src,
        alt: (!alt.is_empty()).then_some(alt),
        title: None,
        width,
        height: None,
    })
}

pub(super) fn digits(word: &str) -> Option<String> {
    let word = word.strip_suffix("px").unwrap_or(word);
    (!word.is_empty() && word.len() <= 6 && word.bytes().all(|c| c.is_ascii_digit()))
        .then(|| word.to_owned())
}

pub(super) fn looks_like_url(word: &str) -> bool {
    let scheme = word.split_once(':').is_some_and(|(s, rest)| {
        !s.is_empty()
            && !rest.is_empty()
            && s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    scheme || word.starts_with('/') || word.starts_with("www.") || word.starts_with('#')
}

/// An id or name as one URL path segment (or query value).
pub(super) fn path_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One value of a Zola shortcode argument, as Tera reads it.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum ZolaValue {
    /// `"…"`, `'…'` or `` `…` `` (Tera strings have no escapes).
    Str(String),
    /// An integer or a float, as written.
    Num(String),
    Bool(bool),
    Array(Vec<ZolaValue>),
}

impl ZolaValue {
    /// The value as text: strings and numbers; booleans and arrays are not.
    fn text(&self) -> Option<&str> {
        match self {
            ZolaValue::Str(s) | ZolaValue::Num(s) => Some(s),
            _ => None,
        }
    }
}

/// Zola's shortcode arguments: `key=value` pairs separated by commas.
pub(super) struct ZolaArgs(Vec<(String, ZolaValue)>);

impl ZolaArgs {
    /// Parses `args` (between the parentheses); the error says what is wrong.
    pub(super) fn parse(args: &str) -> Result<ZolaArgs, String> {
        let mut reader = Reader {
            s: args,
            b: args.as_bytes(),
            i: 0,
        };
        let mut out = Vec::new();
        loop {
            reader.space();
            if reader.i >= reader.b.len() {
                break;
            }
            let key_len = reader.b[reader.i..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
                .count();
            if key_len == 0 {
                return Err(format!(
                    "expected an argument name at `{}`",
                    short(&args[reader.i..])
                ));
            }
            let key = args[reader.i..reader.i + key_len].to_owned();
            reader.i += key_len;
            reader.space();
            if reader.b.get(reader.i) != Some(&b'=') {
                return Err(format!("`{key}` has no `=` and value"));
            }
            reader.i += 1;
            let value = reader.value(0)?;
            out.push((key, value));
            reader.space();
            match reader.b.get(reader.i) {
                None => break,
                Some(b',') => reader.i += 1,
                Some(_) => {
                    return Err(format!(
                        "expected `,` between arguments at `{}`",
                        short(&args[reader.i..])
                    ));
                }
            }
        }
        Ok(ZolaArgs(out))
    }

    pub(super) fn value(&self, key: &str) -> Option<&ZolaValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A string or number argument, not empty.
    pub(super) fn text(&self, key: &str) -> Option<&str> {
        self.value(key)
            .and_then(ZolaValue::text)
            .filter(|s| !s.trim().is_empty())
    }

    /// The first of `keys` that is given as text.
    pub(super) fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|key| self.text(key))
    }

    pub(super) fn pairs(&self) -> impl Iterator<Item = (&str, &ZolaValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

struct Reader<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn space(&mut self) {
        self.i = skip_space(self.b, self.i);
    }

    fn value(&mut self, depth: usize) -> Result<ZolaValue, String> {
        self.space();
        let rest = &self.s[self.i..];
        match self.b.get(self.i) {
            Some(&q @ (b'"' | b'\'' | b'`')) => {
                let Some(k) = rest[1..].find(q as char) else {
                    return Err(format!("the string `{}` is never closed", short(rest)));
                };
                self.i += k + 2;
                Ok(ZolaValue::Str(rest[1..1 + k].to_owned()))
            }
            Some(b'[') if depth < 8 => {
                self.i += 1;
                let mut items = Vec::new();
                loop {
                    self.space();
                    match self.b.get(self.i) {
                        Some(b']') => {
                            self.i += 1;
                            return Ok(ZolaValue::Array(items));
                        }
                        None => return Err("an array is never closed by `]`".to_owned()),
                        _ => {}
                    }
                    items.push(self.value(depth + 1)?);
                    self.space();
                    match self.b.get(self.i) {
                        Some(b',') => self.i += 1,
                        Some(b']') => {}
                        _ => return Err("expected `,` or `]` in an array".to_owned()),
                    }
                }
            }
            _ => {
                let len = rest
                    .bytes()
                    .take_while(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
                    .count();
                let word = &rest[..len];
                self.i += len;
                match word {
                    "true" => Ok(ZolaValue::Bool(true)),
                    "false" => Ok(ZolaValue::Bool(false)),
                    _ if is_number(word) => Ok(ZolaValue::Num(word.to_owned())),
                    "" => Err(format!("expected a value at `{}`", short(rest))),
                    _ => Err(format!(
                        "`{}` is not a string, number, boolean or array (strings need quotes)",
                        short(word)
                    )),
                }
            }
        }
    }
}

/// `-12`, `3.5`: Tera's integers and floats.
fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|c| c.is_ascii_digit())
}
