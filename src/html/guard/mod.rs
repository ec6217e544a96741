//! The guard before the sanitizer: one reading of the body's tags that
//! both reports what the policy will remove ([`audit`]) and measures how the
//! elements nest ([`depth`]); the body is rewritten ([`limit`]) only when
//! that measure is over a limit the tree builder could not handle in linear
//! time.

mod audit;
pub mod crowded;
pub mod depth;
mod lexer;
pub mod split;
pub mod tokens;
pub mod trim;

use std::borrow::Cow;

use html5ever::tokenizer::{TagKind, Token, TokenSinkResult, TokenizerOpts};

pub use depth::{MAX_ACTIVE, MAX_DEPTH, Nesting, limit};

use crate::rendered::Diagnostics;

/// Counts what the sanitizer will remove from `html`: elements dropped with
/// their content, elements unwrapped, event handlers and unsafe URLs, each
/// kind reported once with its count, at the first line it is met on.
/// `file_line` maps a line of `html` (from 1) to the line of the file it
/// was written from, when that is known.
///
/// Returns how the elements nest, for [`limit`].
pub fn audit(
    html: &str,
    file_line: impl Fn(u64) -> Option<usize>,
    diagnostics: &mut Diagnostics,
) -> Nesting {
    let mut audit = audit::Audit::deferred();
    if timing::HTML5EVER.get() {
        audit = audit::Audit::eager();
        with_html5ever(html, &mut audit);
    } else {
        lexer::run(html, &mut audit);
    }
    // Under the bound, nothing is over a limit.
    audit.finish(file_line, diagnostics).unwrap_or_default()
}

/// [`audit`] of a raw-HTML body, which also returns the body for the
/// sanitizer to parse: without the attributes the policy drops whatever
/// their value (see [`trim`]), when the lexer read it and nothing is over a
/// limit (the rewrite of [`limit`] reads the body as written); the body
/// itself otherwise.
pub fn audit_body<'a>(
    html: Cow<'a, str>,
    file_line: impl Fn(u64) -> Option<usize>,
    diagnostics: &mut Diagnostics,
) -> (Cow<'a, str>, Nesting) {
    let (trimmed, nesting) = {
        let mut audit = match trim::counts::is_off() {
            true => audit::Audit::deferred(),
            false => audit::Audit::trimming(&html),
        };
        if timing::HTML5EVER.get() {
            audit = audit::Audit::eager();
            with_html5ever(&html, &mut audit);
        } else {
            lexer::run(&html, &mut audit);
        }
        let trimmed = audit.trimmed();
        let nesting = audit.finish(file_line, diagnostics).unwrap_or_default();
        (trimmed, nesting)
    };
    match trimmed {
        Some(trimmed) if !nesting.over() => (Cow::Owned(trimmed), nesting),
        _ => (html, nesting),
    }
}

/// Not part of the API: switches for `examples/guard.rs`, which times the
/// audit by either tokenizer in one binary.
#[doc(hidden)]
pub mod timing {
    use std::cell::Cell;

    thread_local! {
        pub(super) static HTML5EVER: Cell<bool> = const { Cell::new(false) };
    }

    /// Makes the guard's `audit` read every document with html5ever (the
    /// oracle) rather than the lexer.
    pub fn use_html5ever(on: bool) {
        HTML5EVER.set(on);
    }

    /// The audit of `html` alone; returns the number of diagnostics.
    pub fn audit(html: &str) -> usize {
        let mut diagnostics = crate::rendered::Diagnostics::default();
        super::audit(html, |_| None, &mut diagnostics);
        diagnostics.0.len()
    }

    /// Whether the tags of `html` stay under the bound, so that the depth
    /// model never runs.
    pub fn under_the_bound(html: &str) -> bool {
        let mut audit = super::audit::Audit::deferred();
        super::lexer::run(html, &mut audit);
        audit
            .finish(|_| None, &mut crate::rendered::Diagnostics::default())
            .is_none()
    }
}

/// Feeds `audit` the tokens of html5ever's tokenizer: the lexer's oracle
/// in tests, and what [`timing`] times it against.
fn with_html5ever(html: &str, audit: &mut audit::Audit<'_>) {
    tokens::each(html, TokenizerOpts::default(), &mut |token, line| {
        if let Token::TagToken(tag) = &token
            && tag.attrs.len() > crowded::MAX_ATTRIBUTES
        {
            audit.note_crowded();
        }
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let attrs: Vec<(&str, &str)> = tag
                    .attrs
                    .iter()
                    .map(|a| (&*a.name.local, &*a.value))
                    .collect();
                let name = Cow::Owned(tag.name.to_string());
                if let Some(kind) = audit.start(name, tag.self_closing, &attrs, || line) {
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::TagToken(tag) => audit.end(Cow::Owned(tag.name.to_string())),
            Token::CharacterTokens(text) => audit.text(depth::is_blank(&text)),
            Token::NullCharacterToken => audit.text(false),
            _ => {}
        }
        TokenSinkResult::Continue
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The audit as html5ever's tokens give it: the oracle of the lexer.
    fn by_html5ever(html: &str) -> (Diagnostics, Nesting) {
        let mut audit = audit::Audit::eager();
        with_html5ever(html, &mut audit);
        let mut d = Diagnostics::default();
        let nesting = audit.finish(|line| Some(line as usize), &mut d);
        (d, nesting.expect("an eager audit measures"))
    }

    /// The audit as the lexer reads it, its nesting `None` under the bound.
    fn by_lexer(html: &str) -> (Diagnostics, Option<Nesting>) {
        let mut audit = audit::Audit::deferred();
        lexer::run(html, &mut audit);
        let mut d = Diagnostics::default();
        let nesting = audit.finish(|line| Some(line as usize), &mut d);
        (d, nesting)
    }

    /// Panics if the lexer reads `html` otherwise than html5ever (codes,
    /// messages, counts, lines, nesting), or if it stayed under the bound
    /// where the model measures a limit reached.
    fn same_as_html5ever(html: &str) {
        let (ours, nesting) = by_lexer(html);
        let (expected, expected_nesting) = by_html5ever(html);
        assert_eq!(ours.0, expected.0, "the diagnostics of {html:?}");
        match nesting {
            Some(nesting) => assert_eq!(nesting, expected_nesting, "the nesting of {html:?}"),
            None => assert!(
                !expected_nesting.over(),
                "under the bound, but {expected_nesting:?}: {html:?}"
            ),
        }
    }

    /// Whether the deferred audit of `html` stayed under the bound (the
    /// model never ran), and whether the model, run on every tag, finds a
    /// limit reached.
    fn bound_and_model(html: &str) -> (bool, bool) {
        let (_, nesting) = by_lexer(html);
        (nesting.is_none(), by_html5ever(html).1.over())
    }

    /// Each limit, reached by a document built to reach it with the fewest
    /// tags: one tag fewer stays under the bound and under the limit; the
    /// document as built is over the limit, and past the bound.
    #[test]
    fn the_bound_is_tight_where_each_limit_is_reached() {
        let long = |bytes: usize| "A".repeat(bytes - "title".len());
        for (what, under, at) in [
            (
                "nesting",
                "<div>".repeat(depth::MAX_DEPTH),
                "<div>".repeat(depth::MAX_DEPTH + 1),
            ),
            (
                "formatting left active",
                "<b>".repeat(depth::MAX_ACTIVE),
                "<b>".repeat(depth::MAX_ACTIVE + 1),
            ),
            (
                "content placed before a table",
                format!("<table>x{}", "<br>x".repeat(depth::MAX_FOSTERED / 2 - 1)),
                format!("<table>x{}", "<br>x".repeat(depth::MAX_FOSTERED / 2)),
            ),
            (
                "attributes copied by the parser",
                format!(
                    "<div><b title={}>x</div><p>x",
                    long(depth::MAX_ATTRIBUTE_BYTES)
                ),
                format!(
                    "<div><b title={}>x</div><p>x",
                    long(depth::MAX_ATTRIBUTE_BYTES + 1)
                ),
            ),
            (
                "attributes of several, left active",
                format!(
                    "<div><i title={}><b title={}>x</div><p>x",
                    long(depth::MAX_ATTRIBUTE_BYTES / 2),
                    long(depth::MAX_ATTRIBUTE_BYTES / 2)
                ),
                format!(
                    "<div><i title={}><b title={}>x</div><p>x",
                    long(depth::MAX_ATTRIBUTE_BYTES / 2),
                    long(depth::MAX_ATTRIBUTE_BYTES / 2 + 1)
                ),
            ),
        ] {
            assert_eq!(bound_and_model(&under), (true, false), "{what}: under");
            assert_eq!(bound_and_model(&at), (false, true), "{what}: at the limit");
        }
    }

    /// Every file the tests hold, the seed and `../shared/corpus` (when it
    /// is there), each as it is and as Markdown rendered to HTML, and its
    /// tags alone (what the audit of a Markdown body reads).
    #[cfg(not(target_arch = "wasm32"))]
    fn documents() -> Vec<String> {
        let mut sources = crate::test_files::read(&["attacks", "fixtures", "fuzz-regressions"]);
        sources.extend(crate::test_files::shared("corpus"));
        sources.extend(crate::test_files::shared("seed"));
        let mut documents = Vec::new();
        for source in sources {
            let markdown = crate::markdown::to_html(&source, &Default::default());
            documents.extend([markdown.html, markdown.tags, source]);
        }
        documents
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn the_lexer_audits_every_test_file_as_html5ever_does() {
        let documents = documents();
        for document in &documents {
            same_as_html5ever(document);
        }
        let under = documents.iter().filter(|d| by_lexer(d).1.is_none()).count();
        // And both sides of the bound are tried.
        assert!(
            under > 0 && under < documents.len(),
            "{under} of {} under the bound",
            documents.len()
        );
    }

    #[test]
    fn the_lexer_reads_the_tokenizers_corners_as_it_does() {
        for html in [
            // Comments and what only looks like one.
            "<!--><b onclick=x>a<!---><i onclick=x><!-- <b onclick=y> -- --!> <u onclick=z>",
            "<!-- a --!x --> <b onclick=1> <!-- b ---> <i onclick=2>",
            "<!-- <!-- nested --> <b onclick=3>",
            "<!DOCTYPE html PUBLIC \"a>b\"><b onclick=4>",
            "<![CDATA[ <b onclick=5> ]]><i onclick=6>",
            "<svg><![CDATA[ <b onclick=5> ]]></svg><i onclick=6>",
            "<?xml <b onclick=7>?><i onclick=8></ x><u onclick=9></><s onclick=0>",
            // Raw text: the content is not markup, up to the end tag alone.
            "<style><b onclick=1></styles><i onclick=2></STYLE ><u onclick=3>",
            "<textarea>&lt;b onclick=1&gt;</textarea foo='>'><i onclick=2>",
            "<title><b onclick=1></title/><i onclick=2>",
            "<script>if (a </script) b()</script><i onclick=2>",
            "<noscript><a href=javascript:x></noscript><xmp><a href=javascript:y></xmp>",
            "<template><style><b onclick=1></style></template><i onclick=2>",
            "<svg><style><b onclick=1></style></svg><i onclick=2>",
            "<style/><b onclick=1></style><i onclick=2>",
            "<style>unclosed <b onclick=1>",
            // Attributes: quotes, `<`, `=`, entities, duplicates, case.
            "<a href=\"jav&#x61;script:x\">a</a><a href='&#106;avascript:y'>b</a>",
            "<a href=jav&#97script:x>c</a><img src=\"javascript&colon;x\">",
            "<a title=\"<b onclick=1>\" href=\"x\"><I ONCLICK=2 OnLoad=3>",
            "<b onclick=1 onclick=2 ONCLICK=3><i =onclick=4 on=5 onx>",
            "<a href=\"&amp;x=1&copy=2&notit;&#0;&#x110000;&#128;\">d</a>",
            "<a href=&amp>e</a><a href=&ampx>f</a><a href=&amp=>g</a>",
            "<input type=CheckBox><input type=\"hidden\"><input>",
            "<a/href=javascript:x/onclick=y>h</a><b/ onclick=z/>",
            "<a href = 'x' onclick = \"y\" data = javascript:z >i</a>",
            "<div id=\"x\"\"y\" onclick=1>j</div><p class=a'b onclick=2>",
            // Text that is blank only once decoded, in a table.
            &format!("<table>{}", "&#32;&Tab;&NewLine;<p>x</p>".repeat(300)),
            &format!("<table>{}", "&nbsp;<p>x</p>".repeat(300)),
            &format!("<table>{}", "&#x20<br>".repeat(300)),
            // Unfinished tags at the end are dropped.
            "<b onclick=1>x<i onclick=2",
            "<a href='javascript:x",
            "<a href=javascript:x",
            "x </",
            "x <",
            "<!--",
            "<!-",
            "<!--a--!",
            // Lines: tags over several lines report the line of their `>`.
            "<p>\n<font\ncolor=red\n>\n</font>\n\n<b\nonclick=1>\n<script>\n</script\n>",
            // (html5ever does not count a newline before an attribute value.)
            "<font color=\nred>\n<b onclick=\n\n1>\n<style></style x=\ny><i onclick=2>",
        ] {
            same_as_html5ever(html);
        }
    }

    /// What the tokenizer rewrites as it reads (a carriage return, a NUL)
    /// and the script data escaped states, which the lexer once left to
    /// html5ever's tokenizer, whose reading of a crowded tag is quadratic.
    #[test]
    fn the_lexer_reads_returns_nuls_and_escaped_scripts_as_html5ever_does() {
        for html in [
            "<b onclick=x>a\0</b>",
            "<b\ronclick=x>",
            // Lines: CR LF is one line break, a CR alone one too.
            "<b\r\nonclick=x>\r\n<i\r\r onclick=y>\r<u onclick=z>\r\n\r<s onclick=w>",
            "<font color=\r\nred>\r\n<b onclick=\r\r1>\r<i onclick=\r\n\r\n2>",
            "<a href=\"java\rscript:x\">a</a><a href='java\r\nscript:y'>b</a>",
            "<a title=\"x\r\n\" href=javas\0cript:x>c</a><a href=\"\0\">d</a>",
            "<b\0 onclick=1><i on\0click=2><u onclick\0=3><x\0y onclick=4>",
            "<style></style\r><i onclick=1><title></title\r\n><u onclick=2>",
            &format!("<table>{}", "\r\n<p>x</p>\0".repeat(300)),
            // The script data escaped and double-escaped states.
            "<script><!-- <script></script> <b onclick=x> --></script><i onclick=y>",
            "<script><!-- </script><b onclick=x>",
            "<script><!--><b onclick=1></script><i onclick=2>",
            "<script><!---><b onclick=1></script><i onclick=2>",
            "<script><!-- <script> --> <b onclick=1></script><i onclick=2>",
            "<script><!-- <scripts></script><b onclick=1>",
            "<script><!-- <script>--></script><b onclick=1>",
            "<script><!-- <SCRIPT/></SCRIPT\t><b onclick=1></script><i onclick=2>",
            "<script><!--- -> <script></script--><b onclick=1></script><i onclick=2>",
            "<script><!-- <script>- -> --!> </script ></script><b onclick=1>",
            "<script><!- - <script></script><b onclick=1>",
            "<script><!-- <script",
            "<script><!-- -",
        ] {
            same_as_html5ever(html);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
        /// Hostile HTML: pieces of tags, comments, raw text, references and
        /// quotes, glued in any order, so that each piece lands in every
        /// state of the other.
        #[test]
        fn the_lexer_audits_hostile_html_as_html5ever_does(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => proptest::sample::select(PIECES).prop_map(str::to_owned),
                    1 => "[a-zA-Z<>/='\"&#;! \n\r\0\t-]{0,8}",
                ],
                0..48,
            )
        ) {
            let html = pieces.concat();
            same_as_html5ever(&html);
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        /// Documents built of what each limit counts, in runs, many near
        /// the bound: under it, the model never finds a limit reached.
        #[test]
        fn under_the_bound_no_limit_is_reached(
            runs in proptest::collection::vec(
                (proptest::sample::select(NEAR_LIMITS), 1..80usize), 0..16,
            )
        ) {
            // Runs of one piece, so that a limit's count is pushed near
            // its bound as often as not.
            let html: String = runs.iter().map(|(piece, n)| piece.repeat(*n)).collect();
            let (under, over) = bound_and_model(&html);
            proptest::prop_assert!(!(under && over), "{html:?}");
        }
    }

    /// Well-nested tags deeper than the model looks down the stack: there
    /// it assumes a `<p>` may be open below a heavy formatting element, and
    /// that the next `<p>` leaves it active, so the bound must not take the
    /// tags as read as written. (Found by the property test above.)
    #[test]
    fn past_the_models_window_the_counts_decide() {
        let deep = |lists: usize| {
            format!(
                "{}{}<p><a href=/>x</a></p>",
                "<ul>".repeat(lists),
                "<i title=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\">".repeat(15)
            )
        };
        assert_eq!(bound_and_model(&deep(51)), (false, true));
        // Within the window, the same tags are read as written.
        assert_eq!(bound_and_model(&deep(40)), (true, false));
    }

    /// Tags as Markdown writes them, well-nested, stay under the bound
    /// however many formatting elements and long attributes they hold;
    /// once one is read otherwise than written, the counts decide again.
    #[test]
    fn tags_read_as_written_stay_under_the_bound() {
        let long = "A".repeat(200);
        let post = format!(
            "<h2>t</h2><p><strong>a</strong> <em>b</em> <a href=\"{long}\">c</a> <code>d</code></p>\n<ul><li><b>e</b></li></ul><table><thead><tr><th>f</th></tr></thead><tbody><tr><td><i>g</i></td></tr></tbody></table>"
        );
        let html = post.repeat(40);
        same_as_html5ever(&html);
        assert!(timing::under_the_bound(&html), "well-nested");
        // Past the tags it keeps from the model, the model runs anyway.
        let longer = post.repeat(300);
        same_as_html5ever(&longer);
        assert!(!timing::under_the_bound(&longer), "too many tags kept");
        let nested = format!("{}x{}", "<b>".repeat(16), "</b>".repeat(16));
        assert!(
            timing::under_the_bound(&nested.repeat(60)),
            "16 open at once"
        );
        let deeper = format!("{}x{}", "<b>".repeat(17), "</b>".repeat(17));
        assert!(!timing::under_the_bound(&deeper), "17 open at once");
        for misread in [
            "<p><b>x</p>",
            "<b><p>x</b></p>",
            "<font>x</font>",
            "<table>x</table>",
        ] {
            let html = format!("{misread}{}", post.repeat(10));
            same_as_html5ever(&html);
            assert!(
                !timing::under_the_bound(&html),
                "{misread} is not read as written"
            );
        }
    }

    /// What the limits count: nesting, formatting elements left open or
    /// closed by another's end tag, long attributes, tables and what is
    /// placed before them; and the same, closed as written.
    const NEAR_LIMITS: &[&str] = &[
        "<b>x</b>",
        "<p><a href=/>x</a></p>",
        "<i title=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\">x</i>",
        "<li><em>x</em></li>",
        "<table><tbody><tr><td><b>x</b></td></tr></tbody></table>",
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<i title=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\">",
        "</i>",
        "<a href=/>",
        "</a>",
        "<table>",
        "</table>",
        "<br>",
        "</br>",
        "</p>",
        "<p>",
        "x",
        " ",
        "<tr>",
        "<td>",
        "</td>",
        "<font>",
        "<nobr>",
        "<li>",
        "<ul>",
        "<span>",
    ];

    #[cfg(not(target_arch = "wasm32"))]
    use proptest::strategy::Strategy;

    const PIECES: &[&str] = &[
        "<",
        ">",
        "</",
        "/>",
        "/",
        "=",
        "\"",
        "'",
        " ",
        "\n",
        "&",
        "&amp;",
        "&amp",
        "&#",
        "&#x",
        "&#106;",
        "&#x6A",
        "&not",
        "&notit;",
        "&Tab;",
        "&#32;",
        "&nbsp;",
        "-",
        "--",
        "!",
        "<!--",
        "-->",
        "--!>",
        "<!-->",
        "<!--->",
        "<!",
        "<?",
        "<!DOCTYPE x>",
        "<![CDATA[",
        "]]>",
        "<b>",
        "</b>",
        "<i class=k>",
        "</i>",
        "<a href=\"/x\">",
        "<a href=javascript:x>",
        "<a href='jav&#x61;script:y'>",
        "</a>",
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<br>",
        "</br>",
        "<table>",
        "</table>",
        "<tr>",
        "<td>",
        "</td>",
        "<font color=red>",
        "</font>",
        "<span onclick=x>",
        "<IMG SRC=javascript:z>",
        "<img src=x onerror=y>",
        "<input>",
        "<input type=checkbox>",
        "<svg>",
        "</svg>",
        "<math>",
        "<g/>",
        "<foreignObject>",
        "<style>",
        "</style>",
        "</style ",
        "</STYLE>",
        "<script>",
        "</script>",
        "<SCRIPT ",
        "</script\r",
        "\r",
        "\r\n",
        "\0",
        "<b\0 x=\0>",
        "<textarea>",
        "</textarea>",
        "<title>",
        "</title>",
        "<xmp>",
        "</xmp>",
        "<noscript>",
        "</noscript>",
        "<iframe>",
        "</iframe>",
        "<plaintext>",
        "<template>",
        "</template>",
        "<select>",
        "<option>",
        "x",
        "y z",
        "<b onclick=1 onclick=2>",
        "<p =x>",
        "<a b=c=d>",
    ];
}
