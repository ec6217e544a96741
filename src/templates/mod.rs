//! Template tags: Hexo tag plugins and Jekyll (Liquid) tags `{% name args %}`,
//! Hugo shortcodes `{{< name args >}}` and `{{% name args %}}`.
//!
//! Static-site generators run these through a template engine before the
//! Markdown is rendered. This library has no engine and must never have one
//! (the article is untrusted), so this stage only *parses* them and replaces
//! the common ones by what their sites show, written statically: a code
//! block, a note, a figure, a link card instead of an embedded player. Tags it
//! does not know become a visible placeholder with a diagnostic; tags inside
//! code stay as the author wrote them. The result is still the body's
//! Markdown (or HTML), and goes through the one sanitizer policy like
//! everything else.
//!
//! How the output fits into Markdown: generated HTML never spans lines
//! (newlines inside code are written `&#10;`), so it keeps its place in list
//! items and quotes; block output (a note, a code block, a card) stands alone
//! between blank lines, so CommonMark reads it as an HTML block and the
//! Markdown inside a note stays Markdown; inline output escapes Markdown
//! punctuation as character references, so that text stays text. In an HTML
//! body the output is padded with newlines to keep the file's line numbers.
//!
//! Everything is linear in the input: searches for a closing delimiter are
//! remembered, so 100 000 unclosed `{%` cost one scan, not 100 000.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;

use crate::options::Templates;
use crate::rendered::{BodyFormat, Diagnostics, Severity};
use crate::safe_url::{self, Context};

mod args;
mod lexer;
mod render;

use args::*;
use lexer::*;
use render::*;

/// What the stage did with the template constructs of one syntax.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rendered as their site would show them (a code block, a note, a link card …).
    pub rendered: usize,
    /// Unknown, or unavailable here (`{% include %}`): shown as a visible placeholder.
    pub placeholders: usize,
    /// Left as the text the author wrote: inside code, escaped, unclosed or malformed.
    pub text: usize,
}

/// What the stage did with a body, per syntax. A paired construct
/// (`{% note %}…{% endnote %}`) counts once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Hexo tag plugins and Liquid tags: `{% … %}`.
    pub liquid: Tally,
    /// Hugo shortcodes: `{{< … >}}` and `{{% … %}}`.
    pub hugo: Tally,
}

/// Counts what the templates stage does with a body (the text after the
/// front matter), without rendering anything else.
///
/// ```
/// use article_render::{BodyFormat, templates};
/// let body = "{% note info %}\nHi\n{% endnote %}\n\n`{% note %}` {{< unknown >}}\n";
/// let summary = templates::summarize(body, BodyFormat::Markdown);
/// assert_eq!((summary.liquid.rendered, summary.liquid.text), (1, 1));
/// assert_eq!(summary.hugo.placeholders, 1);
/// ```
pub fn summarize(body: &str, format: BodyFormat) -> Summary {
    run(
        body,
        format == BodyFormat::Markdown,
        1,
        &mut Diagnostics::default(),
    )
    .1
}

/// The stage: the body with its template constructs rendered statically,
/// or unchanged when `mode` is [`Templates::Text`] or there is none.
/// `first_line` is the body's first line in the file, for diagnostics.
pub(crate) fn expand<'a>(
    body: &'a str,
    format: BodyFormat,
    mode: Templates,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Cow<'a, str> {
    if mode == Templates::Text || !has_construct(body) {
        return Cow::Borrowed(body);
    }
    let markdown = format == BodyFormat::Markdown;
    Cow::Owned(run(body, markdown, first_line, diagnostics).0)
}

fn has_construct(body: &str) -> bool {
    body.contains("{%") || body.contains("{{<") || body.contains("{{%")
}

fn run(
    body: &str,
    markdown: bool,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> (String, Summary) {
    let tokens = Lexer::new(body, markdown).run();
    let roles = roles(&tokens);
    let mut renderer = Renderer::new(body, markdown, first_line);
    renderer.render(&tokens, &roles);
    renderer.finish(diagnostics)
}

// ---------------------------------------------------------------------------
// Tokens

/// The three delimiters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Delim {
    /// `{% … %}`: Hexo, Jekyll.
    Liquid,
    /// `{{< … >}}`: Hugo, inner content passed as is.
    Angle,
    /// `{{% … %}}`: Hugo, inner content is Markdown.
    Percent,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Family {
    Liquid,
    Hugo,
}

impl Delim {
    fn family(self) -> Family {
        match self {
            Delim::Liquid => Family::Liquid,
            Delim::Angle | Delim::Percent => Family::Hugo,
        }
    }
}

#[derive(Clone, Debug)]
struct Tag<'a> {
    delim: Delim,
    name: &'a str,
    args: &'a str,
    /// `{% endname %}`, `{{< /name >}}`.
    closing: bool,
    /// `{{< name />}}`.
    self_closing: bool,
    span: Range<usize>,
    /// 1-based line in the body.
    line: usize,
}

#[derive(Clone, Debug)]
enum Token<'a> {
    /// Markdown or HTML, passed on.
    Text(Range<usize>),
    /// A code fence, indented code or a code span: passed on untouched.
    Code(Range<usize>),
    Tag(Tag<'a>),
    /// A tag whose content is never parsed (`raw`, `codeblock`, `highlight`,
    /// `mathjax` …), with its closing tag.
    Verbatim {
        tag: Tag<'a>,
        content: Range<usize>,
        end: usize,
    },
    /// Hugo's escape `{{</* name */>}}`, shown as `{{< name >}}`.
    Escaped {
        delim: Delim,
        span: Range<usize>,
        inner: Range<usize>,
    },
    /// `{% name` with no `%}` before the paragraph ends; the span covers the name.
    Malformed(Tag<'a>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Single,
    Paired,
    Verbatim,
}

/// The tags this module renders. Everything else is a placeholder.
fn kind(family: Family, name: &str) -> Option<Kind> {
    Some(match (family, name) {
        (Family::Liquid, "raw" | "codeblock" | "code" | "highlight" | "mathjax" | "katex") => {
            Kind::Verbatim
        }
        (
            Family::Liquid,
            "note" | "message" | "blockquote" | "pullquote" | "tabs" | "subtabs" | "subsubtabs"
            | "hideToggle",
        ) => Kind::Paired,
        (
            Family::Liquid,
            "img" | "image" | "asset_img" | "asset_link" | "link" | "post_link" | "post_path"
            | "post_url" | "youtube" | "vimeo" | "iframe" | "video" | "btn" | "button" | "include",
        ) => Kind::Single,
        (Family::Hugo, "highlight") => Kind::Verbatim,
        (Family::Hugo, "notice" | "admonition" | "alert") => Kind::Paired,
        (
            Family::Hugo,
            "figure" | "youtube" | "vimeo" | "tweet" | "x" | "gist" | "ref" | "relref",
        ) => Kind::Single,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// Pairing

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Not a tag token.
    Pass,
    /// A tag rendered on its own.
    Single,
    /// Opens the pair closed by the token at this index.
    Open(usize),
    /// Closes the pair opened by the token at this index.
    Close(usize),
    /// An unknown tag: a placeholder.
    Placeholder,
    /// A known paired tag that is never closed: text.
    Unclosed,
    /// A closing tag with nothing to close: text.
    Unmatched,
}

/// Pairs opening and closing tags with a stack. Each tag is pushed and
/// popped at most once, so this is linear however the tags are nested.
fn roles(tokens: &[Token]) -> Vec<Role> {
    let mut roles = vec![Role::Pass; tokens.len()];
    let mut stack: Vec<usize> = Vec::new();
    let mut open: HashMap<(Family, &str), usize> = HashMap::new();
    let unpaired = |tag: &Tag| match kind(tag.delim.family(), tag.name) {
        Some(_) => Role::Unclosed,
        None => Role::Placeholder,
    };
    for (i, token) in tokens.iter().enumerate() {
        let Token::Tag(tag) = token else { continue };
        let key = (tag.delim.family(), tag.name);
        if tag.closing {
            if open.get(&key).copied().unwrap_or(0) == 0 {
                roles[i] = match kind(key.0, key.1) {
                    Some(_) => Role::Unmatched,
                    None => Role::Placeholder,
                };
                continue;
            }
            while let Some(j) = stack.pop() {
                let Token::Tag(opener) = &tokens[j] else {
                    continue;
                };
                let opener_key = (opener.delim.family(), opener.name);
                if let Some(count) = open.get_mut(&opener_key) {
                    *count -= 1;
                }
                if opener_key == key {
                    roles[j] = Role::Open(i);
                    roles[i] = Role::Close(j);
                    break;
                }
                roles[j] = unpaired(opener);
            }
            continue;
        }
        roles[i] = match kind(key.0, key.1) {
            Some(Kind::Single) => Role::Single,
            // Its closing tag was not found when the lexer looked for it.
            Some(Kind::Verbatim) => Role::Unclosed,
            Some(Kind::Paired) if tag.self_closing => Role::Single,
            None if tag.self_closing => Role::Placeholder,
            Some(Kind::Paired) | None => {
                stack.push(i);
                *open.entry(key).or_default() += 1;
                continue;
            }
        };
    }
    for j in stack {
        if let Token::Tag(opener) = &tokens[j] {
            roles[j] = unpaired(opener);
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stage's output for a Markdown body.
    fn expand_md(body: &str) -> (String, Vec<crate::Diagnostic>) {
        let mut diagnostics = Diagnostics::default();
        let out = run(body, true, 1, &mut diagnostics).0;
        (out, diagnostics.0)
    }

    /// The sanitized HTML of a Markdown body, through the whole pipeline.
    fn html(body: &str) -> String {
        crate::render(body).html
    }

    /// The templates stage's diagnostics (not the dialect's, which says
    /// which generator the tags point at).
    fn codes(body: &str) -> Vec<(&'static str, Option<usize>)> {
        crate::render(body)
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("template."))
            .map(|d| (d.code, d.line))
            .collect()
    }

    #[test]
    fn a_note_is_an_aside_with_markdown_inside() {
        let out = html("{% note info %}\nSome **bold** text.\n{% endnote %}\n");
        assert_eq!(
            out,
            "<aside class=\"note note-info\">\n<p>Some <strong>bold</strong> text.</p>\n</aside>\n",
            "the note's content is still read as Markdown"
        );
        let inline = html("{% note warning %}Careful{% endnote %}");
        assert!(
            inline.contains(r#"<aside class="note note-warning">"#)
                && inline.contains("<p>Careful</p>"),
            "a note written on one line is a note too: {inline}"
        );
    }

    #[test]
    fn theme_styles_fold_into_six_kinds() {
        for (args, kind) in [
            ("purple 'fa-solid fa-wand-magic-sparkles'", "primary"),
            ("'fas fa-rocket' green", "success"),
            ("red no-icon", "danger"),
            ("flat", "default"),
        ] {
            let out = html(&format!("{{% note {args} %}}\nx\n{{% endnote %}}"));
            assert!(
                out.contains(&format!(r#"class="note note-{kind}""#)),
                "`{{% note {args} %}}` is a {kind} note: {out}"
            );
        }
    }

    #[test]
    fn code_stays_literal() {
        let body = "`{% note %}` and ``{{< figure src=x >}}``\n\n```md\n{% note info %}\nx\n{% endnote %}\n```\n\n~~~\n{{< youtube a >}}\n~~~\n\n    {% img /a.png %}\n";
        let (out, diagnostics) = expand_md(body);
        assert_eq!(
            out, body,
            "nothing inside code spans, fences or indented code changes"
        );
        assert!(
            diagnostics.is_empty(),
            "code is not diagnosed: {diagnostics:?}"
        );
        let summary = summarize(body, BodyFormat::Markdown);
        assert_eq!(
            (summary.liquid.text, summary.hugo.text),
            (3, 2),
            "the tags in code are counted as left as text"
        );
    }

    #[test]
    fn an_unclosed_code_span_does_not_hide_tags() {
        let out = html("a ` b {% btn /x, Go %}\n");
        assert!(
            out.contains(r#"<a class="btn" href="/x" rel="noopener noreferrer">Go</a>"#),
            "a lone backtick opens no code span: {out}"
        );
    }

    #[test]
    fn indented_list_content_is_not_indented_code() {
        let out = html(
            "1. Install:\n\n    {% codeblock lang:sh %}\n    npm i <x>\n    {% endcodeblock %}\n\n2. Next\n",
        );
        assert!(
            out.contains(
                "<li>\n<p>Install:</p>\n <pre><code class=\"language-sh\">npm i &lt;x&gt;</code></pre>\n</li>"
            ),
            "a code block in a list item stays in the item and loses its indentation: {out}"
        );
    }

    #[test]
    fn codeblock_has_caption_link_and_escaped_content() {
        let out = html(
            "{% codeblock _.compact http://underscorejs.org/#compact Underscore.js %}\n_.compact([0, 1]) // <script>alert(1)</script>\n\n=> [1]\n{% endcodeblock %}\n",
        );
        assert_eq!(
            out,
            "<figure><figcaption><span>_.compact</span> <a href=\"http://underscorejs.org/#compact\" rel=\"noopener noreferrer\">Underscore.js</a></figcaption><pre><code>_.compact([0, 1]) // &lt;script&gt;alert(1)&lt;/script&gt;\n\n=&gt; [1]</code></pre></figure>\n",
            "the caption and link become a figcaption, the code is text, blank lines included"
        );
        let lang = html("{% code lang:rust %}\nfn main() {}\n{% endcode %}");
        assert_eq!(
            lang, "<pre><code class=\"language-rust\">fn main() {}</code></pre>\n",
            "without a caption a code block is a plain pre"
        );
    }

    #[test]
    fn highlight_in_jekyll_and_hugo() {
        let jekyll = html("{% highlight ruby linenos %}\ndef x; end\n{% endhighlight %}");
        let hugo =
            html("{{< highlight ruby \"linenos=table\" >}}\ndef x; end\n{{< / highlight >}}");
        let expected = "<pre><code class=\"language-ruby\">def x; end</code></pre>\n";
        assert_eq!(jekyll, expected, "Jekyll's highlight is a code block");
        assert_eq!(hugo, expected, "Hugo's highlight is the same code block");
    }

    #[test]
    fn raw_content_is_not_processed() {
        let (out, _) = expand_md("{% raw %}{{ page.title }} {% note %}{% endraw %}");
        assert_eq!(
            out, "{{ page.title }} {% note %}",
            "raw content is passed on as written"
        );
        let (out, _) = expand_md("Hello {{ page.title }}");
        assert_eq!(
            out, "Hello {{ page.title }}",
            "a Liquid variable is left as text"
        );
    }

    #[test]
    fn blockquote_footer_follows_hexo() {
        for (args, footer) in [
            (
                "David Levithan, Wide Awake",
                "<footer><strong>David Levithan</strong> <cite>Wide Awake</cite></footer>",
            ),
            (
                "@DevDocs https://twitter.com/devdocs/status/356095192085962752",
                "<footer><strong>@DevDocs</strong> <cite><a href=\"https://twitter.com/devdocs/status/356095192085962752\" rel=\"noopener noreferrer\">twitter.com/devdocs/status/356095192085962752</a></cite></footer>",
            ),
            ("", ""),
        ] {
            let out = html(&format!(
                "{{% blockquote {args} %}}\nQuote.\n{{% endblockquote %}}"
            ));
            assert_eq!(
                out,
                format!("<blockquote>\n<p>Quote.</p>\n{footer}</blockquote>\n"),
                "`{args}` gives the footer Hexo writes"
            );
        }
        let pull = html("{% pullquote left %}\nBig words.\n{% endpullquote %}");
        assert!(
            pull.starts_with(r#"<blockquote class="pullquote">"#),
            "{pull}"
        );
    }

    #[test]
    fn tabs_are_details_with_the_active_one_open() {
        let out = html(
            "{% tabs demo, 2 %}\n<!-- tab -->\n**one**\n<!-- endtab -->\n<!-- tab Second @fas fa-bomb -->\ntwo\n<!-- endtab -->\n{% endtabs %}",
        );
        assert_eq!(
            out,
            "<div class=\"tabs\">\n<details class=\"tab\"><summary>demo 1</summary>\n<p><strong>one</strong></p>\n</details>\n<details class=\"tab\" open=\"\"><summary>Second</summary>\n<p>two</p>\n</details>\n</div>\n",
            "each tab is a details element named by its caption, the icon left out"
        );
    }

    #[test]
    fn nested_tabs_keep_their_own_markers() {
        let out = html(
            "{% tabs outer %}\n<!-- tab A -->\n{% subtabs inner %}\n<!-- tab B -->\nb\n<!-- endtab -->\n{% endsubtabs %}\n<!-- endtab -->\n{% endtabs %}",
        );
        let outer = out.find("<summary>A</summary>").expect("the outer tab");
        let inner = out.find("<summary>B</summary>").expect("the inner tab");
        assert!(
            outer < inner,
            "the inner tabs sit inside the outer tab: {out}"
        );
        assert_eq!(out.matches("</details>").count(), 2, "{out}");
    }

    #[test]
    fn hide_toggle_and_message() {
        let out = html("{% hideToggle Show me,bg,color %}\nhidden\n{% endhideToggle %}");
        assert_eq!(
            out,
            "<details><summary>Show me</summary>\n<p>hidden</p>\n</details>\n"
        );
        let out = html("{% message warning \"title:Read this\" size:small %}\nx\n{% endmessage %}");
        assert!(
            out.starts_with(
                r#"<aside class="note note-warning"><p><strong>Read this</strong></p>"#
            ),
            "Icarus's message is a note with a title: {out}"
        );
    }

    #[test]
    fn inline_tags_stay_in_their_paragraph() {
        let out = html(
            "See {% post_link hello-world 'Hello *World*' %}, {% link Hexo https://hexo.io true The site %} and {% btn 'https://a.example/',Go,far fa-x,outline %}.",
        );
        assert_eq!(
            out,
            "<p>See Hello *World*, <a href=\"https://hexo.io\" title=\"The site\" rel=\"noopener noreferrer\">Hexo</a> and <a class=\"btn\" href=\"https://a.example/\" rel=\"noopener noreferrer\">Go</a>.</p>\n",
            "post_link is its title as text, link and btn are links"
        );
    }

    #[test]
    fn images_from_img_asset_img_and_figure() {
        let out = html(
            "{% img \"box px-0\" /a.png 360 '\"Get Code\" \"The code\"' %}\n\n{% asset_img diagram.png A diagram %}",
        );
        assert!(
            out.contains(r#"<img src="/a.png" alt="The code" title="Get Code" width="360""#),
            "img has title, alt and width, and no classes: {out}"
        );
        assert!(
            out.contains(r#"<img src="diagram.png" alt="A diagram" title="A diagram""#),
            "asset_img is relative to the post: {out}"
        );
        let based = crate::render_with_options(
            "{% asset_img diagram.png %}",
            &crate::Options {
                base_url: Some("https://blog.example/2024/post/".into()),
                ..crate::Options::default()
            },
        )
        .unwrap();
        assert_eq!(
            based.images[0].src, "https://blog.example/2024/post/diagram.png",
            "with baseUrl an asset resolves against the post's address"
        );
        let figure = html(
            "{{< figure src=\"/p.png\" link=\"/big.png\" title=\"Pipeline\" caption=\"How it flows\" >}}",
        );
        assert_eq!(
            figure,
            "<figure><a href=\"/big.png\" rel=\"noopener noreferrer\"><img src=\"/p.png\" alt=\"How it flows\" loading=\"lazy\" decoding=\"async\" referrerpolicy=\"no-referrer\"></a><figcaption><p><strong>Pipeline</strong></p><p>How it flows</p></figcaption></figure>\n",
            "Hugo's figure, with its title in strong rather than a heading the outline would pick up"
        );
    }

    #[test]
    fn embeds_are_link_cards_never_frames() {
        for (tag, href) in [
            (
                "{% youtube yaqe1qesQ8c %}",
                "https://www.youtube.com/watch?v=yaqe1qesQ8c",
            ),
            (
                "{% youtube PL123 playlist %}",
                "https://www.youtube.com/playlist?list=PL123",
            ),
            ("{% vimeo 82090131 %}", "https://vimeo.com/82090131"),
            (
                "{% iframe https://example.com/demo 100% 300 %}",
                "https://example.com/demo",
            ),
            (
                "{{< youtube id=\"w7Ft2ymGmfc\" >}}",
                "https://www.youtube.com/watch?v=w7Ft2ymGmfc",
            ),
            ("{{< vimeo 146022717 >}}", "https://vimeo.com/146022717"),
            (
                "{{< tweet user=\"GoHugoIO\" id=\"917359331535966209\" >}}",
                "https://x.com/GoHugoIO/status/917359331535966209",
            ),
            (
                "{{< gist spf13 7896402 >}}",
                "https://gist.github.com/spf13/7896402",
            ),
            (
                "{% youtube \"a b<\" %}",
                "https://www.youtube.com/watch?v=a%20b%3C",
            ),
        ] {
            let out = html(tag);
            assert!(
                out.contains(&format!("href=\"{href}\"")),
                "{tag} links to {href}: {out}"
            );
            assert!(!out.contains("<iframe"), "{tag} embeds nothing");
        }
    }

    #[test]
    fn hugo_notices_and_markdown_shortcodes() {
        let out = html("{{% notice warning \"Mind the gap\" %}}\n- a\n- b\n{{% /notice %}}");
        assert_eq!(
            out,
            "<aside class=\"note note-warning\"><p><strong>Mind the gap</strong></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</aside>\n",
            "a {{% %}} shortcode keeps its Markdown"
        );
        let out = html("{{< admonition tip >}}\nx\n{{< /admonition >}}");
        assert!(
            out.starts_with(r#"<aside class="note note-success"><p><strong>Tip</strong></p>"#),
            "an admonition's title defaults to its type: {out}"
        );
        let out = html("{{< alert theme=\"danger\" >}}\nx\n{{< /alert >}}");
        assert!(
            out.starts_with(r#"<aside class="note note-danger">"#),
            "{out}"
        );
        let out = html("{{% box %}}\n**bold**\n{{% /box %}}");
        assert!(
            out.contains("<strong>bold</strong>") && out.matches("template-tag").count() == 2,
            "an unknown paired shortcode shows placeholders around its rendered Markdown: {out}"
        );
    }

    #[test]
    fn references_are_text() {
        // Read as Hexo: in a Jekyll file `post_url` is Liquid's (src/liquid/).
        let options = crate::Options {
            generator: crate::GeneratorOption::Hexo,
            ..crate::Options::default()
        };
        let out = crate::render_with_options(
            "[About]({{< ref \"posts/about-me.md\" >}}) and {% post_url 2010-07-21-name %}",
            &options,
        )
        .unwrap()
        .html;
        assert_eq!(
            out,
            "<p><a href=\"posts/about-me.md\" rel=\"noopener noreferrer\">About</a> and 2010-07-21-name</p>\n",
            "ref gives its path, which still works as a link destination"
        );
    }

    #[test]
    fn math_tags_are_display_math() {
        let out = html("{% mathjax %}\n\\frac{1}{x^2-1} < 2\n{% endmathjax %}");
        assert_eq!(
            out,
            "<p><span class=\"math math-display\">\\frac{1}{x^2-1} &lt; 2</span></p>\n"
        );
    }

    #[test]
    fn unknown_tags_are_visible_placeholders() {
        let out = html("Version {{< version 0.2 >}} and {% label hi <b>x</b> %}.");
        assert_eq!(
            out,
            "<p>Version <span class=\"template-tag\">{{&lt; version 0.2 &gt;}}</span> and <span class=\"template-tag\">{% label hi &lt;b&gt;x&lt;/b&gt; %}</span>.</p>\n",
            "unknown tags are shown as escaped text in a placeholder"
        );
        assert_eq!(
            codes("a\n\n{% label x %}\n{% label y %}\n"),
            [("template.unknown-tag", Some(3))],
            "one diagnostic per unknown tag, at its first line"
        );
        let include = crate::render("{% include footer.html %}");
        assert!(include.html.contains("template-tag"), "{}", include.html);
        assert!(
            include
                .diagnostics
                .iter()
                .any(|d| d.code == "template.include"),
            "{:?}",
            include.diagnostics
        );
    }

    #[test]
    fn unclosed_and_malformed_tags_are_text() {
        let body = "---\ntitle: x\n---\n{% note info %}\nnever closed\n\n{% note\n\n{% endtabs %}";
        let rendered = crate::render(body);
        assert_eq!(
            rendered.html,
            "<p>{% note info %}\nnever closed</p>\n<p>{% note</p>\n<p>{% endtabs %}</p>\n",
            "what cannot be paired is shown as the author wrote it"
        );
        let diagnostics: Vec<_> = rendered
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with("template."))
            .map(|d| (d.code, d.line))
            .collect();
        assert_eq!(
            diagnostics,
            [
                ("template.unclosed-tag", Some(4)),
                ("template.unclosed-tag", Some(7)),
                ("template.unmatched-tag", Some(9)),
            ],
            "each is diagnosed at its line in the file"
        );
    }

    #[test]
    fn messages_quote_at_most_a_little_of_the_tag() {
        let long = "n".repeat(100_000);
        for body in [
            format!("{{% {long} %}}"),
            format!("{{% {long}"),
            format!("{{% include {long} %}}"),
        ] {
            let rendered = crate::render(&body);
            let message = &rendered.diagnostics[0].message;
            assert!(
                message.len() < 300,
                "a 100 000-character tag gives a short message: {}",
                &message[..300.min(message.len())]
            );
        }
    }

    #[test]
    fn unsafe_urls_are_dropped_with_a_diagnostic() {
        let body = "{% link Click javascript:alert(1) %} {% btn javascript:alert(1),Go %} {% img data:text/html,x %}\n\n{{< figure src=\"/a.png\" link=\"vbscript:x\" >}}";
        let rendered = crate::render(body);
        assert!(
            !rendered.html.contains("javascript") && !rendered.html.contains("vbscript"),
            "no unsafe URL survives: {}",
            rendered.html
        );
        assert!(
            rendered.html.contains("Click"),
            "the link text stays: {}",
            rendered.html
        );
        assert_eq!(
            rendered
                .diagnostics
                .iter()
                .filter(|d| d.code == "template.unsafe-url")
                .count(),
            4,
            "every dropped URL is diagnosed"
        );
    }

    #[test]
    fn arguments_cannot_break_out_of_attributes() {
        let body = "{% img /a.png '\"x\\\" onerror=alert(1) \" \"y\" onload=\"z\"' %} {% link <script>x</script> /p \"a\" onclick=\"b\" %} {{< figure src=\"/a.png\\\" onerror=\\\"x\" >}}";
        let rendered = crate::render(body);
        assert!(
            rendered
                .diagnostics
                .iter()
                .all(|d| d.code != "sanitize.removed-event-handler"),
            "the generated HTML has no event handler for the sanitizer to remove: {}",
            rendered.html
        );
        assert!(!rendered.html.contains("<script"), "{}", rendered.html);
    }

    #[test]
    fn hugo_escapes_show_the_shortcode() {
        let out = html("Write {{</* figure src=\"x\" */>}}.\n\n```\n{{%/* notice */%}}\n```\n");
        assert_eq!(
            out,
            "<p>Write {{&lt; figure src=\"x\" &gt;}}.</p>\n<pre><code>{{% notice %}}\n</code></pre>\n",
            "an escaped shortcode shows as the shortcode, in text and in code"
        );
    }

    #[test]
    fn quotes_and_list_items_keep_block_output_inside() {
        let out =
            html("> {% note info %}\n> quoted\n> {% endnote %}\n\n- {% youtube abc %}\n- next\n");
        assert!(
            out.starts_with(
                "<blockquote>\n<aside class=\"note note-info\">\n<p>quoted</p>\n</aside>\n</blockquote>"
            ),
            "a note in a quote stays in the quote: {out}"
        );
        assert!(
            out.contains("<li><p class=\"video-card\">"),
            "a card in a list item stays in the item: {out}"
        );
    }

    #[test]
    fn html_bodies_keep_their_line_numbers() {
        let options = crate::Options {
            format: crate::Format::Html,
            ..crate::Options::default()
        };
        let body = "<div>\n{% codeblock lang:js %}\nvar a;\nvar b;\n{% endcodeblock %}\n{% note %}\n<p>x</p>\n{% endnote %}\n<p onclick=\"x()\">line 9</p>\n</div>";
        let rendered = crate::render_with_options(body, &options).unwrap();
        assert!(
            rendered
                .html
                .contains("<pre><code class=\"language-js\">var a;\nvar b;</code></pre>"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("<aside class=\"note note-default\">"),
            "{}",
            rendered.html
        );
        let handler = rendered
            .diagnostics
            .iter()
            .find(|d| d.code == "sanitize.removed-event-handler")
            .expect("the handler is reported");
        assert_eq!(
            handler.line,
            Some(9),
            "lines after a rendered tag still point at the file"
        );
    }

    #[test]
    fn text_mode_leaves_everything() {
        let options = crate::Options {
            templates: Templates::Text,
            ..crate::Options::default()
        };
        let rendered =
            crate::render_with_options("{% note %}\nx\n{% endnote %}", &options).unwrap();
        assert_eq!(rendered.html, "<p>{% note %}\nx\n{% endnote %}</p>\n");
        assert!(
            rendered
                .diagnostics
                .iter()
                .all(|d| !d.code.starts_with("template.")),
            "text mode diagnoses nothing: {:?}",
            rendered.diagnostics
        );
    }

    #[test]
    fn summary_counts_each_outcome() {
        let body = "{% note %}\nx\n{% endnote %}\n{% img /a.png %}\n{% mermaid %}\ny\n{% endmermaid %}\n{% tabs %}\n`{% x %}`\n\n{{< figure src=a.png >}} {{< version >}} {{</* x */>}} {{% notice %}}";
        let summary = summarize(body, BodyFormat::Markdown);
        assert_eq!(
            summary.liquid,
            Tally {
                rendered: 2,
                placeholders: 1,
                text: 2
            },
            "note and img rendered, mermaid a placeholder, the unclosed tabs and the code left as text"
        );
        assert_eq!(
            summary.hugo,
            Tally {
                rendered: 1,
                placeholders: 1,
                text: 2
            },
            "figure rendered, version a placeholder, the escape and the unclosed notice text"
        );
    }

    /// Each finishes (a quadratic one would not, at this size, within the
    /// test run) with bounded diagnostics. How the time scales is measured
    /// by `cargo run --release --example limits`, not asserted here.
    #[test]
    fn pathological_inputs_finish() {
        let n = 100_000;
        let inputs = [
            "{%".repeat(n),
            "{% a ".repeat(n),
            "{% a %}".repeat(n),
            "{% codeblock %}\n".repeat(n),
            "{% raw %}".repeat(n),
            "{{< x ".repeat(n),
            "{{</* ".repeat(n),
            "` `` ``` ".repeat(n / 2),
            format!(
                "{}{}",
                "{% note %}\n".repeat(n / 2),
                "{% endnote %}\n".repeat(n / 2)
            ),
            format!("{}{}", "{% a %}".repeat(n / 2), "{% endb %}".repeat(n / 2)),
            format!("{{% tabs %}}\n{}{{% endtabs %}}", "<!-- tab ".repeat(n)),
            format!(
                "{}{}",
                " ".repeat(n),
                "{% note %}x{% endnote %}".repeat(n / 4)
            ),
            format!("{{% img {} %}}", "\"'".repeat(n)),
        ];
        for input in &inputs {
            let mut diagnostics = Diagnostics::default();
            let (out, _) = run(input, true, 1, &mut diagnostics);
            assert!(!out.is_empty(), "something comes out");
            assert!(
                diagnostics.0.len() <= MAX_DIAGNOSTICS + 1,
                "diagnostics are grouped and capped, not one per tag"
            );
        }
    }

    #[test]
    fn never_panics_on_fragments() {
        let pieces = [
            "{%",
            "%}",
            "{{<",
            ">}}",
            "{{%",
            "%}}",
            " note ",
            "endnote",
            "/",
            "*",
            "`",
            "```",
            "\n",
            "\n\n",
            "    ",
            "- ",
            "> ",
            "<!-- tab x -->",
            "<!-- endtab -->",
            "tabs",
            "codeblock",
            "raw",
            "endraw",
            "\"",
            "'",
            "é",
            "中",
            "highlight",
            "figure",
            "src=",
            ",",
            "\t",
            "-",
        ];
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut body = String::new();
            for _ in 0..24 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                body.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for markdown in [true, false] {
                let mut diagnostics = Diagnostics::default();
                let (_, _) = run(&body, markdown, 1, &mut diagnostics);
            }
            let rendered = crate::render(&body);
            assert!(!rendered.html.contains("<script"), "{body:?}");
            let again = crate::sanitize_html(&rendered.html, &crate::Options::default()).unwrap();
            assert_eq!(
                again, rendered.html,
                "the output of {body:?} is already clean"
            );
        }
    }
}
