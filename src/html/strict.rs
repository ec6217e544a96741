//! A reader of the narrow HTML this library writes itself (template
//! output, alerts): start tags with lowercase names and double-quoted
//! values, end tags, and text whose only character references are the ones
//! [`crate::text::escape`] writes. It gives what html5ever's tokenizer
//! would give for that HTML, or `None` at the first thing outside it
//! (comments, unquoted values, bare `&` or `<`, carriage returns, NUL),
//! so that the Markdown fast path declines what it cannot read exactly.

use std::borrow::Cow;

/// One token, as html5ever's tokenizer would read it.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// A start tag, its attributes in the order written, values decoded.
    Start {
        name: &'a str,
        attributes: Vec<(&'a str, String)>,
        self_closing: bool,
    },
    End(&'a str),
    /// Text, its references decoded.
    Text(Cow<'a, str>),
}

/// The first token of `html` and what follows it; `None` when `html` is
/// empty or starts with something outside this reader's subset.
pub fn next(html: &str) -> Option<(Token<'_>, &str)> {
    if let Some(rest) = html.strip_prefix("</") {
        let (name, rest) = name(rest)?;
        let rest = rest.strip_prefix('>')?;
        return Some((Token::End(name), rest));
    }
    if let Some(rest) = html.strip_prefix('<') {
        return start_tag(rest);
    }
    let end = html.find('<').unwrap_or(html.len());
    if end == 0 {
        return None;
    }
    let text = decode(&html[..end])?;
    Some((Token::Text(text), &html[end..]))
}

/// A tag or attribute name: lowercase ASCII letters and digits (and `-`
/// past the first), which html5ever reads as written.
fn name(s: &str) -> Option<(&str, &str)> {
    let end = s
        .bytes()
        .position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        .unwrap_or(s.len());
    (end > 0 && s.as_bytes()[0].is_ascii_lowercase()).then(|| (&s[..end], &s[end..]))
}

fn start_tag(s: &str) -> Option<(Token<'_>, &str)> {
    let (tag, mut rest) = name(s)?;
    let mut attributes: Vec<(&str, String)> = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix('>') {
            return Some((start(tag, attributes, false), after));
        }
        if let Some(after) = rest.strip_prefix(" />").or_else(|| rest.strip_prefix("/>")) {
            return Some((start(tag, attributes, true), after));
        }
        rest = rest.strip_prefix(' ')?;
        let (attribute, after) = name(rest)?;
        // html5ever keeps the first of two attributes of one name.
        if attributes.iter().any(|(a, _)| *a == attribute) {
            return None;
        }
        rest = after;
        let value = match rest.strip_prefix("=\"") {
            Some(quoted) => {
                let end = quoted.find('"')?;
                rest = &quoted[end + 1..];
                decode(&quoted[..end])?.into_owned()
            }
            None => String::new(),
        };
        attributes.push((attribute, value));
    }
}

fn start<'a>(name: &'a str, attributes: Vec<(&'a str, String)>, self_closing: bool) -> Token<'a> {
    Token::Start {
        name,
        attributes,
        self_closing,
    }
}

/// Text or a quoted value with its references decoded; `None` if it holds
/// a reference other than `&amp;`, `&lt;`, `&gt;`, `&quot;` and numeric ones
/// of printable characters, tabs and line breaks (html5ever reads others,
/// and bare `&`, by rules not repeated here), or a character its input
/// stream would change (CR, NUL).
fn decode(raw: &str) -> Option<Cow<'_, str>> {
    if raw.bytes().any(|b| b == b'\r' || b == 0) {
        return None;
    }
    if !raw.contains('&') {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let reference = &rest[at + 1..];
        let end = reference.find(';')?;
        let c = match &reference[..end] {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            numeric => {
                let number = numeric.strip_prefix('#')?;
                let code = match number.strip_prefix(['x', 'X']) {
                    Some(hex) if !hex.is_empty() && hex.len() <= 6 => {
                        u32::from_str_radix(hex, 16).ok()?
                    }
                    _ if !number.is_empty() && number.len() <= 7 => number.parse().ok()?,
                    _ => return None,
                };
                let c = char::from_u32(code)?;
                // Controls are where html5ever replaces or complains
                // (NUL, CR, C1 as windows-1252); never written here.
                if c.is_control() && c != '\n' && c != '\t' {
                    return None;
                }
                c
            }
        };
        out.push(c);
        rest = &reference[end + 1..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Whether `html` is end tags and white space alone.
pub fn only_end_tags(html: &str) -> bool {
    let mut rest = html.trim_start_matches([' ', '\t', '\n']);
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        match next(rest) {
            Some((Token::End(_), after)) => rest = after.trim_start_matches([' ', '\t', '\n']),
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{Token, next, only_end_tags};

    fn all(html: &str) -> Option<Vec<Token<'_>>> {
        let mut tokens = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            let (token, after) = next(rest)?;
            tokens.push(token);
            rest = after;
        }
        Some(tokens)
    }

    #[test]
    fn reads_what_the_templates_write() {
        let tokens =
            all(r#"<aside class="note note-info"><p><strong>A &amp; B&#10;&#42;</strong></p>"#)
                .expect("read");
        assert_eq!(tokens.len(), 6);
        assert_eq!(
            tokens[0],
            Token::Start {
                name: "aside",
                attributes: vec![("class", "note note-info".to_owned())],
                self_closing: false
            }
        );
        assert_eq!(tokens[3], Token::Text("A & B\n*".into()));
        assert_eq!(tokens[4], Token::End("strong"));
        let tokens = all(r#"<details class="tab" open><img src="a.png" alt="" />"#).unwrap();
        assert!(
            matches!(&tokens[0], Token::Start { attributes, .. } if attributes[1] == ("open", String::new()))
        );
        assert!(matches!(
            &tokens[1],
            Token::Start {
                self_closing: true,
                ..
            }
        ));
    }

    #[test]
    fn declines_what_html5ever_reads_by_other_rules() {
        for html in [
            "<!-- c -->",
            "<P>",
            "<a href=x>",
            "<a href='x'>",
            "<a  href=\"x\">",
            "<a href=\"x\" href=\"y\">",
            "a & b",
            "&nbsp;",
            "&#0;",
            "&#128;",
            "&#13;",
            "a\rb",
            "a\0b",
            "< b",
            "</a >",
            "<a",
        ] {
            assert!(all(html).is_none(), "{html:?}");
        }
    }

    /// What this reader gives, in html5ever's terms: tags with their
    /// attributes, and text runs joined.
    fn as_html5ever_would(tokens: Vec<Token>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for token in tokens {
            match token {
                Token::Start {
                    name,
                    attributes,
                    self_closing,
                } => out.push(format!("<{name} {attributes:?} {self_closing}>")),
                Token::End(name) => out.push(format!("</{name} [] false>")),
                Token::Text(text) => match out.last_mut() {
                    Some(last) if last.starts_with('#') => last.push_str(&text),
                    _ => out.push(format!("#{text}")),
                },
            }
        }
        out
    }

    /// html5ever's tokens for `html`, in the same terms; `None` at a parse
    /// error.
    fn html5ever(html: &str) -> Option<Vec<String>> {
        use html5ever::tokenizer::{TagKind, Token as T, TokenSinkResult, TokenizerOpts};
        let mut out: Vec<String> = Vec::new();
        let mut error = false;
        crate::html::guard::tokens::each(html, TokenizerOpts::default(), &mut |token, _| {
            match token {
                T::TagToken(tag) => {
                    let attributes: Vec<(&str, String)> = tag
                        .attrs
                        .iter()
                        .map(|a| (&*a.name.local, a.value.to_string()))
                        .collect();
                    out.push(match tag.kind {
                        TagKind::StartTag => {
                            format!("<{} {attributes:?} {}>", tag.name, tag.self_closing)
                        }
                        TagKind::EndTag => format!("</{} {attributes:?} false>", tag.name),
                    });
                }
                T::CharacterTokens(text) => match out.last_mut() {
                    Some(last) if last.starts_with('#') => last.push_str(&text),
                    _ => out.push(format!("#{text}")),
                },
                T::EOFToken => {}
                _ => error = true,
            }
            TokenSinkResult::Continue
        });
        (!error).then_some(out)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Whatever this reader reads, html5ever's tokenizer reads the
        /// same, without a parse error.
        #[test]
        fn reads_as_html5ever_does(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..16)
        ) {
            let html = pieces.concat();
            if let Some(tokens) = all(&html) {
                proptest::prop_assert_eq!(
                    Some(as_html5ever_would(tokens)),
                    html5ever(&html),
                    "{:?}",
                    html
                );
            }
        }
    }

    /// Pieces of HTML like the library's, and near misses.
    const PIECES: &[&str] = &[
        "<aside class=\"note note-info\">",
        "</aside>",
        "<p>",
        "</p>",
        "<strong>",
        "</strong>",
        "<a href=\"/x?a=1&amp;b=2\" title=\"t &quot;q&quot;\">",
        "</a>",
        "<img src=\"/a.png\" alt=\"\" />",
        "<img src=\"/a.png\" alt=\"x\"/>",
        "<details open>",
        "<details class=\"tab\" id=\"t-1\" open>",
        "<summary>",
        "<br>",
        "<span class=\"template-tag\">",
        "</span>",
        "<data-x a-b=\"1\">",
        "text",
        " ",
        "\n",
        "中文",
        "&amp;",
        "&lt;",
        "&gt;",
        "&quot;",
        "&#39;",
        "&#10;",
        "&#42;",
        "&#x2A;",
        "&#9;",
        "&#12354;",
        "&#x1F600;",
        "&#0;",
        "&#128;",
        "&amp",
        "&copy;",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "/",
        "<p ",
        "a=\"",
        "\r",
        "<!--",
        "-->",
    ];

    #[test]
    fn end_tags_alone() {
        assert!(only_end_tags("</div>\n"));
        assert!(only_end_tags("</p></aside>"));
        assert!(!only_end_tags("\n"));
        assert!(!only_end_tags("</div>x"));
        assert!(!only_end_tags("<div>"));
    }
}
