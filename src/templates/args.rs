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
