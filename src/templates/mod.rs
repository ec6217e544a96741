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

use crate::find;
use crate::options::Templates;
use crate::rendered::{BodyFormat, Diagnostics, Generator, Severity};
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
    /// Zola shortcodes: `{{ name(…) }}` and `{% name(…) %}…{% end %}`.
    pub zola: Tally,
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
    summarize_as(body, format, Generator::None)
}

/// [`summarize`] for a body of the given generator's dialect: Zola files
/// have Zola's shortcodes and no others.
pub fn summarize_as(body: &str, format: BodyFormat, generator: Generator) -> Summary {
    let context = Setup {
        markdown: format == BodyFormat::Markdown,
        zola: generator == Generator::Zola,
        base: None,
    };
    run(body, &context, 1, &mut Diagnostics::default()).2
}

/// What the stage knows about the file besides its body.
pub(crate) struct Setup<'u> {
    /// The body is Markdown (not HTML).
    pub markdown: bool,
    /// A Zola file: `{{ name() }}` shortcodes and `@/` links, no Hexo or Hugo tags.
    pub zola: bool,
    /// `baseUrl`, which Zola's `@/` links resolve against.
    pub base: Option<&'u url::Url>,
}

/// A body after the templates stage.
pub(crate) struct Expanded<'a> {
    pub body: Cow<'a, str>,
    /// Where `body` holds HTML this stage wrote (tags of its own, the
    /// author's text escaped), in order: what the Markdown fast path may
    /// write itself rather than decline as raw HTML (see
    /// `crate::markdown::fast`).
    pub generated: Vec<Range<usize>>,
}

/// The stage: the body with its template constructs rendered statically,
/// or unchanged when `mode` is [`Templates::Text`] or there is none.
/// `first_line` is the body's first line in the file, for diagnostics.
/// `generator` decides the dialect: Zola's shortcodes in Zola files, Hexo,
/// Liquid and Hugo tags in the others. `base` is `baseUrl`, for Zola's
/// `@/` internal links.
pub(crate) fn expand<'a>(
    body: &'a str,
    format: BodyFormat,
    mode: Templates,
    generator: Generator,
    base: Option<&url::Url>,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> Expanded<'a> {
    let zola = generator == Generator::Zola;
    if mode == Templates::Text || !has_construct(body, zola) {
        return Expanded {
            body: Cow::Borrowed(body),
            generated: Vec::new(),
        };
    }
    let context = Setup {
        markdown: format == BodyFormat::Markdown,
        zola,
        base,
    };
    let (body, generated, _) = run(body, &context, first_line, diagnostics);
    Expanded {
        body: Cow::Owned(body),
        generated,
    }
}

fn has_construct(body: &str, zola: bool) -> bool {
    if zola {
        return find::has_template_open(body) || find::contains(body, "@/");
    }
    let bytes = body.as_bytes();
    // `{%`, `{{<` or `{{%`, in one pass over the braces.
    memchr::memchr_iter(b'{', bytes).any(|at| match bytes.get(at + 1) {
        Some(b'%') => true,
        Some(b'{') => matches!(bytes.get(at + 2), Some(b'<' | b'%')),
        _ => false,
    })
}

/// The expansion itself; not inlined (a stage most articles skip: see the
/// crate's doc).
#[inline(never)]
fn run(
    body: &str,
    context: &Setup,
    first_line: usize,
    diagnostics: &mut Diagnostics,
) -> (String, Vec<Range<usize>>, Summary) {
    let tokens = Lexer::new(body, context.markdown, context.zola).run();
    let roles = roles(&tokens);
    let mut renderer = Renderer::new(body, context, first_line);
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
    /// `{{ name(…) }}`: Zola, a shortcode without a body.
    ZolaInline,
    /// `{% name(…) %}` … `{% end %}`: Zola, a shortcode with a body.
    ZolaBody,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Family {
    Liquid,
    Hugo,
    Zola,
}

impl Delim {
    fn family(self) -> Family {
        match self {
            Delim::Liquid => Family::Liquid,
            Delim::Angle | Delim::Percent => Family::Hugo,
            Delim::ZolaInline | Delim::ZolaBody => Family::Zola,
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
        (
            Family::Liquid,
            "raw" | "codeblock" | "code" | "highlight" | "mathjax" | "katex" | "mermaid",
        ) => Kind::Verbatim,
        (
            Family::Liquid,
            "note" | "noteblock" | "message" | "blockquote" | "pullquote" | "tabs" | "subtabs"
            | "subsubtabs" | "hideToggle" | "hideBlock" | "gallery" | "timeline" | "fold"
            | "folding",
        ) => Kind::Paired,
        (
            Family::Liquid,
            "img" | "image" | "asset_img" | "asset_link" | "link" | "post_link" | "post_path"
            | "post_url" | "youtube" | "bilibili" | "vimeo" | "iframe" | "video" | "btn" | "button"
            | "include" | "label" | "hideInline" | "inlineImg" | "galleryGroup" | "gist"
            | "jsfiddle" | "pdf",
        ) => Kind::Single,
        (Family::Hugo, "highlight" | "math" | "katex" | "mermaid") => Kind::Verbatim,
        (Family::Hugo, name) if name.ends_with(".inline") => Kind::Verbatim,
        (
            Family::Hugo,
            "notice" | "admonition" | "alert" | "hint" | "callout" | "details" | "expand" | "tabs"
            | "tab" | "gallery",
        ) => Kind::Paired,
        (
            Family::Hugo,
            "figure" | "youtube" | "vimeo" | "bilibili" | "youku" | "instagram" | "tweet" | "x"
            | "gist" | "ref" | "relref",
        ) => Kind::Single,
        (Family::Zola, name) if zola_note(name) => Kind::Paired,
        (Family::Zola, "details" | "spoiler" | "collapse") => Kind::Paired,
        (Family::Zola, name) if zola_single(name) => Kind::Single,
        _ => return None,
    })
}

/// Zola shortcodes written as a note: tabi's `admonition`, and the notes,
/// alerts and callouts of other themes, named for their kind or not.
fn zola_note(name: &str) -> bool {
    matches!(
        name,
        "admonition"
            | "alert"
            | "notice"
            | "callout"
            | "note"
            | "tip"
            | "hint"
            | "info"
            | "warning"
            | "danger"
            | "caution"
            | "important"
            | "error"
    )
}

/// Zola shortcodes rendered on their own: Zola's former built-ins (YouTube,
/// Vimeo, Streamable, Gist), embeds themes add (Bilibili), and the image
/// shortcodes of themes (terminimal's figure and image, tabi's toggled,
/// dual-theme, hover and full-width images, gifs).
fn zola_single(name: &str) -> bool {
    matches!(
        name,
        "youtube" | "vimeo" | "streamable" | "bilibili" | "gist" | "spoiler"
    ) || zola_image(name)
}

/// A shortcode whose job is showing images: its `src`, `path` and `*_src`
/// arguments are the images.
fn zola_image(name: &str) -> bool {
    matches!(name, "figure" | "image" | "img" | "gif" | "picture")
        || name.ends_with("_image")
        || name.starts_with("image_")
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
        Some(_)
            if tag.delim == Delim::Liquid
                && matches!(tag.name, "note" | "noteblock")
                && one_line_note(tag.args) =>
        {
            Role::Single
        }
        Some(_) => Role::Unclosed,
        None => Role::Placeholder,
    };
    for (i, token) in tokens.iter().enumerate() {
        let Token::Tag(tag) = token else { continue };
        let key = (tag.delim.family(), tag.name);
        if tag.closing {
            if open.get(&key).copied().unwrap_or(0) == 0 {
                roles[i] = match kind(key.0, key.1) {
                    // Zola's `{% end %}` names no shortcode: it closes nothing.
                    _ if key.0 == Family::Zola => Role::Unmatched,
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

    const MARKDOWN: Setup = Setup {
        markdown: true,
        zola: false,
        base: None,
    };

    /// The ranges the stage records hold the HTML it wrote, whole, after
    /// Zola's label edits too (which move what follows them back).
    #[test]
    fn generated_ranges_hold_the_html_written() {
        let zola = Setup {
            markdown: true,
            zola: true,
            base: None,
        };
        for (body, setup) in [
            (
                "{% note info Title %}\nText {% mark hi %}\n{% endnote %}\n\n- {{< unknown >}}\n",
                &MARKDOWN,
            ),
            (
                "{{ youtube(id=\"a\") }}\n\n[label {{ unknown() }} x](@/x.md) and ![img](@/y.md)\n\n{{ vimeo(id=\"b\") }}\n",
                &zola,
            ),
        ] {
            let (out, generated, _) = run(body, setup, 1, &mut Diagnostics::default());
            assert!(generated.len() >= 2, "{body:?}: {generated:?}");
            for range in &generated {
                let html = &out[range.clone()];
                assert!(
                    html.starts_with('<') && html.ends_with('>'),
                    "{body:?}: {html:?} in {out:?}"
                );
            }
            assert!(generated.windows(2).all(|w| w[0].end <= w[1].start));
        }
    }

    /// The stage's output for a Markdown body.
    fn expand_md(body: &str) -> (String, Vec<crate::Diagnostic>) {
        let mut diagnostics = Diagnostics::default();
        let out = run(body, &MARKDOWN, 1, &mut diagnostics).0;
        (out, diagnostics.0)
    }

    /// What the stage makes of a Markdown body, read as Markdown but not
    /// sanitized: the elements and attributes this stage writes, without
    /// what the sanitizer's policy adds or removes (policy tests check that).
    fn html(body: &str) -> String {
        let (out, _) = expand_md(body);
        crate::markdown::to_html(&out, &crate::MarkdownOptions::default()).html
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
            out.contains(r#"<a class="btn" href="/x">Go</a>"#),
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
            "<figure><figcaption><span>_.compact</span> <a href=\"http://underscorejs.org/#compact\">Underscore.js</a></figcaption><pre><code>_.compact([0, 1]) // &lt;script&gt;alert(1)&lt;/script&gt;&#10;&#10;=&gt; [1]</code></pre></figure>\n",
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
                "<footer><strong>@DevDocs</strong> <cite><a href=\"https://twitter.com/devdocs/status/356095192085962752\">twitter.com/devdocs/status/356095192085962752</a></cite></footer>",
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
            "<div class=\"tabs\">\n<details class=\"tab\" id=\"demo-1\"><summary>demo 1</summary>\n<p><strong>one</strong></p>\n</details>\n<details class=\"tab\" id=\"demo-2\" open><summary>Second</summary>\n<p>two</p>\n</details>\n</div>\n",
            "each tab is a details element named by its caption, the icon left out, with the id NexT gives it"
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
            "<p>See Hello *World*, <a href=\"https://hexo.io\" title=\"The site\">Hexo</a> and <a class=\"btn\" href=\"https://a.example/\">Go</a>.</p>\n",
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
            "<figure><a href=\"/big.png\"><img src=\"/p.png\" alt=\"How it flows\"></a><figcaption><p><strong>Pipeline</strong></p><p>How it flows</p></figcaption></figure>\n",
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
                "{{< instagram BWNjjyYFxVx >}}",
                "https://www.instagram.com/p/BWNjjyYFxVx/",
            ),
            (
                "{{< youku XNTAxNzk2NTA4 >}}",
                "https://v.youku.com/v_show/id_XNTAxNzk2NTA4.html",
            ),
            (
                "{% bilibili 170001 %}",
                "https://www.bilibili.com/video/av170001/",
            ),
            ("{% pdf /files/a.pdf %}", "/files/a.pdf"),
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
        // The stage alone: in a Jekyll file `post_url` is evaluated earlier,
        // by Liquid (src/liquid/).
        let out =
            html("[About]({{< ref \"posts/about-me.md\" >}}) and {% post_url 2010-07-21-name %}");
        assert_eq!(
            out, "<p><a href=\"posts/about-me.md\">About</a> and 2010-07-21-name</p>\n",
            "ref gives its path, which still works as a link destination"
        );
    }

    #[test]
    fn hugo_references_with_base_url_are_permalinks() {
        let base = crate::safe_url::parse_base("https://site.example/blog/").unwrap();
        let setup = Setup {
            markdown: true,
            zola: false,
            base: Some(&base),
        };
        let mut diagnostics = Diagnostics::default();
        let (out, _, _) = run(
            "[a]({{< ref \"posts/a.md#intro\" >}}) [b]({{< relref \"/docs/_index.md\" >}}) [c]({{< ref \"c\" >}})",
            &setup,
            1,
            &mut diagnostics,
        );
        let rendered = crate::markdown::to_html(&out, &crate::MarkdownOptions::default()).html;
        assert_eq!(
            rendered,
            "<p><a href=\"https://site.example/blog/posts/a/#intro\">a</a> <a href=\"/blog/docs/\">b</a> <a href=\"c\">c</a></p>\n",
            "ref is absolute, relref the path; a bare name only Hugo can look up"
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
        let out = html("Version {{< version 0.2 >}} and {% badge hi <b>x</b> %}.");
        assert_eq!(
            out,
            "<p>Version <span class=\"template-tag\">{{&lt; version 0.2 &gt;}}</span> and <span class=\"template-tag\">{% badge hi &lt;b&gt;x&lt;/b&gt; %}</span>.</p>\n",
            "unknown tags are shown as escaped text in a placeholder"
        );
        assert_eq!(
            codes("a\n\n{% badge x %}\n{% badge y %}\n"),
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

    /// The stage's output and diagnostics for a Zola body, with `baseUrl`
    /// when given.
    fn zola(body: &str, base: Option<&str>) -> (String, Vec<crate::Diagnostic>) {
        let base = base.map(|b| crate::safe_url::parse_base(b).unwrap());
        let setup = Setup {
            markdown: true,
            zola: true,
            base: base.as_ref(),
        };
        let mut diagnostics = Diagnostics::default();
        let out = run(body, &setup, 1, &mut diagnostics).0;
        (out, diagnostics.0)
    }

    #[test]
    fn zola_arguments_follow_tera() {
        let args = ZolaArgs::parse(
            r#"src="a.png", alt='It''s', n=-3, f=1.5, on=true, tags=["x", 2, [false]], raw=`b"c`"#,
        );
        assert!(
            args.is_err(),
            "'It''s' is two strings side by side, not one"
        );
        let args = ZolaArgs::parse(
            r#" src="a.png" , alt='say "hi"', n=-3, f=1.5, on=true, tags=["x", 2, [false]], raw=`b"c`, "#,
        )
        .unwrap();
        assert_eq!(args.text("src"), Some("a.png"));
        assert_eq!(args.text("alt"), Some("say \"hi\""), "single quotes");
        assert_eq!(args.text("n"), Some("-3"));
        assert_eq!(args.text("f"), Some("1.5"));
        assert_eq!(args.value("on"), Some(&ZolaValue::Bool(true)));
        assert_eq!(args.text("raw"), Some("b\"c"), "backticks");
        assert_eq!(
            args.value("tags"),
            Some(&ZolaValue::Array(vec![
                ZolaValue::Str("x".into()),
                ZolaValue::Num("2".into()),
                ZolaValue::Array(vec![ZolaValue::Bool(false)]),
            ]))
        );
        for bad in [
            "a=bare", "a=\"open", "a=[1, 2", "=1", "a 1", "a=1 b=2", "a=1.", "a=--1",
        ] {
            assert!(ZolaArgs::parse(bad).is_err(), "`{bad}` does not parse");
        }
        assert!(ZolaArgs::parse("").unwrap().pairs().next().is_none());
    }

    #[test]
    fn zola_shortcodes_are_rendered_in_zola_files_only() {
        let body = "{{ youtube(id=\"abc\") }}\n\n{% note() %}\nx\n{% end %}\n";
        let (out, diagnostics) = zola(body, None);
        assert!(
            out.contains(r#"<p class="video-card"><a href="https://www.youtube.com/watch?v=abc">YouTube video abc</a></p>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<aside class="note note-info"><p><strong>Note</strong></p>"#)
                && out.contains("</aside>"),
            "{out}"
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        for (call, href) in [
            (
                "{{ vimeo(id=\"124313553\") }}",
                "https://vimeo.com/124313553",
            ),
            (
                "{{ streamable(id=\"92ok4\") }}",
                "https://streamable.com/92ok4",
            ),
            (
                "{{ bilibili(id=\"170001\") }}",
                "https://www.bilibili.com/video/av170001/",
            ),
            (
                "{{ youtube(playlist=\"PLx\") }}",
                "https://www.youtube.com/playlist?list=PLx",
            ),
            (
                "{{ gist(url=\"https://gist.github.com/Keats/e5fb6aad409f28721c0ba14161644c57\") }}",
                "https://gist.github.com/Keats/e5fb6aad409f28721c0ba14161644c57",
            ),
        ] {
            let (out, diagnostics) = zola(call, None);
            assert!(out.contains(&format!("href=\"{href}\"")), "{call}: {out}");
            assert!(diagnostics.is_empty(), "{call}: {diagnostics:?}");
        }
        let (_, diagnostics) = zola("{{ gist(url=\"http://example.com/x\") }}", None);
        assert_eq!(
            diagnostics[0].code, "template.invalid-tag",
            "a gist that is not on https is not linked"
        );
        let (out, _) = zola(
            "{% details(summary=\"Show the proof\") %}\nQ.E.D.\n{% end %}",
            None,
        );
        assert!(
            out.starts_with("<details><summary>Show the proof</summary>")
                && out.trim_end().ends_with("</details>"),
            "{out}"
        );
        let (out, _) = expand_md(body);
        assert!(
            out.contains("{{ youtube(id=\"abc\") }}"),
            "outside Zola files `{{{{ x() }}}}` is text: {out}"
        );
        let (out, _) = zola(
            "{% note info %}\nx\n{% endnote %} {{< figure src=a.png >}}",
            None,
        );
        assert_eq!(
            out, "{% note info %}\nx\n{% endnote %} {{< figure src=a.png >}}",
            "Zola has no Hexo or Hugo tags: their syntax is text"
        );
    }

    #[test]
    fn zola_image_shortcodes_show_every_image() {
        let (out, _) = zola(
            "{{ image_toggler(default_src=\"l.png\", toggled_src=\"d.png\", default_alt=\"Light\", toggled_alt=\"Dark\") }}",
            None,
        );
        assert_eq!(
            out,
            r#"<figure><img src="l.png" alt="Light"><img src="d.png" alt="Dark"></figure>"#
                .to_owned()
                + "\n",
            "each `*_src` with its `*_alt`"
        );
        let (out, _) = zola(
            "{{ figure(src=\"f.png\", caption=\"Ferris\", link=\"https://rustacean.net/\", width=200) }}\n{{ gif(sources=[\"a.gif\", \"a.webm\"]) }}",
            None,
        );
        assert!(
            out.contains(r#"<figure><a href="https://rustacean.net/"><img src="f.png" alt="Ferris" width="200"></a><figcaption>Ferris</figcaption></figure>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<img src="a.gif" alt="">"#) && out.contains(r#"<a href="a.webm">"#),
            "a gif's video source is a link, not an image: {out}"
        );
    }

    #[test]
    fn zola_failures_are_placeholders_with_diagnostics() {
        let (out, diagnostics) = zola(
            "a\n\n{{ figure(src=unquoted) }}\n{{ mystery(x=1) }}\n{{ youtube(class=\"x\") }}\n{% end %}\n",
            None,
        );
        let codes: Vec<_> = diagnostics.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            codes,
            [
                ("template.invalid-arguments", Some(3)),
                ("template.unknown-tag", Some(4)),
                ("template.invalid-tag", Some(5)),
                ("template.unmatched-tag", Some(6)),
            ]
        );
        assert!(
            out.contains(r#"<span class="template-tag">&#123;&#123; figure&#40;src&#61;unquoted&#41; &#125;&#125;</span>"#),
            "{out}"
        );
    }

    #[test]
    fn zola_escapes_show_the_shortcode() {
        let (out, diagnostics) = zola(
            "Write {{/* youtube(id=\"x\") */}}.\n\n```\n{%/* note() */%}\nbody\n{%/* end */%}\n```\n",
            None,
        );
        assert!(
            out.starts_with(
                "Write &#123;&#123; youtube&#40;id&#61;&quot;x&quot;&#41; &#125;&#125;."
            ),
            "{out}"
        );
        assert!(
            out.contains("```\n{% note() %}\nbody\n{% end %}\n```"),
            "{out}"
        );
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn zola_internal_links() {
        let body = "See [the post](@/blog/post.md#setup), [`code` label](@/blog/_index.md) and ![pic](@/a/index.md).\n\n[ref]: @/docs/faq.md\n";
        let (out, diagnostics) = zola(body, Some("https://site.example/sub/"));
        assert_eq!(
            out,
            "See [the post](https://site.example/sub/blog/post/#setup), [`code` label](https://site.example/sub/blog/) and ![pic](https://site.example/sub/a/).\n\n[ref]: https://site.example/sub/docs/faq/\n",
            "Zola's permalinks: the file's path without `.md`, `index` and `_index` standing for their folder"
        );
        assert!(diagnostics.is_empty());
        let (out, diagnostics) = zola(body, None);
        assert_eq!(
            out, "See the post, `code` label and pic.\n\n\n",
            "without baseUrl the labels stay, as text, and the definition goes"
        );
        assert_eq!(diagnostics.len(), 4);
        assert!(
            diagnostics
                .iter()
                .all(|d| d.code == "template.internal-link")
        );
        let (out, diagnostics) = zola("Mail me@/x or see a/@/b.", None);
        assert_eq!(out, "Mail me@/x or see a/@/b.", "only link destinations");
        assert!(diagnostics.is_empty());
    }

    /// `@/` links found through cursors that only move forward: the same
    /// output as a fresh search from each `@/`, and linear time. At this
    /// size the old searches (to the end of the text for each destination's
    /// end, back to the line start for each definition check) took many
    /// seconds in a debug build; the outputs show each run completes.
    #[test]
    fn zola_link_scans_stay_linear() {
        let body = "a @/b and [x](@/c.md)\n  [ref]: @/c.md\n[x]: @/d.md#top\nend\n";
        let (out, diagnostics) = zola(body, Some("https://s.example/"));
        assert_eq!(
            out,
            "a @/b and [x](https://s.example/c/)\n  [ref]: https://s.example/c/\n[x]: https://s.example/d/#top\nend\n"
        );
        assert!(diagnostics.is_empty());
        let (out, diagnostics) = zola(body, None);
        assert_eq!(out, "a @/b and x\n\n\nend\n", "definitions go, labels stay");
        assert_eq!(
            diagnostics.len(),
            2,
            "one per link, a repeated message once"
        );
        let n = 10_000;
        for hostile in [
            // No destination ever ends: each `@/` searched to the end.
            "](@/".repeat(n),
            // One long line of `@/` that are not links: each looked back
            // to the line start.
            "x @/".repeat(n),
            format!("{}{}", " ".repeat(n), "x @/".repeat(n)),
        ] {
            let (out, diagnostics) = zola(&hostile, None);
            assert_eq!(out, hostile, "no label, no definition: left as written");
            assert!(diagnostics.is_empty());
        }
    }

    #[test]
    fn hexo_buttons_and_links_take_the_address_shaped_part() {
        for (tag, link) in [
            (
                "{% link https://d.example/ Stellar's title icon:https://d.example/i.png desc:true %}",
                r#"<a href="https://d.example/">Stellar&#39;s title</a>"#,
            ),
            (
                "{% btn https://a.example/,Docs,far fa-book,outline %}",
                r#"<a class="btn" href="https://a.example/">Docs</a>"#,
            ),
            (
                "{% btn 下载, /get/, fas fa-download %}",
                r#"<a class="btn" href="/get/">下载</a>"#,
            ),
            (
                "{% btn regular, 文字, https://b.example/ %}",
                r#"<a class="btn" href="https://b.example/">文字</a>"#,
            ),
            (
                "{% button Start /start/ icon:play color:red %}",
                r#"<a class="btn" href="/start/">Start</a>"#,
            ),
            (
                "{% link Friend, https://c.example/, https://c.example/avatar.png %}",
                r#"<a href="https://c.example/">Friend</a>"#,
            ),
        ] {
            let (out, diagnostics) = expand_md(tag);
            assert_eq!(out, link, "{tag}");
            assert!(diagnostics.is_empty(), "{tag}: {diagnostics:?}");
        }
        let (out, diagnostics) = expand_md("{% btn Text only, fas fa-x %}");
        assert!(!out.contains("href"), "no address, no link: {out}");
        assert_eq!(diagnostics[0].code, "template.invalid-tag");
    }

    #[test]
    fn hexo_notes_across_themes() {
        let (out, _) = expand_md("{% note primary Read more %}\nx\n{% endnote %}");
        assert!(
            out.starts_with(r#"<details class="note note-primary"><summary>Read more</summary>"#)
                && out.trim_end().ends_with("</details>"),
            "NexT's summary: {out}"
        );
        let (out, _) = expand_md("{% note 'fas fa-bullhorn' red modern %}\nx\n{% endnote %}");
        assert!(
            out.starts_with(r#"<aside class="note note-danger">"#),
            "Butterfly's icon and style are no summary: {out}"
        );
        let (out, diagnostics) = expand_md("{% note warning, One line. %}\n\nafter");
        assert!(
            out.starts_with("<aside class=\"note note-warning\"><p>One line.</p></aside>\n\n")
                && out.ends_with("\nafter"),
            "Volantis's one-line note needs no end tag: {out:?}"
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let (out, _) = expand_md("{% note color:blue Title \"The text.\" %}");
        assert_eq!(
            out,
            "<aside class=\"note note-info\"><p><strong>Title</strong></p><p>The text.</p></aside>\n"
        );
        let (_, diagnostics) = expand_md("{% note info %}\nnever closed");
        assert_eq!(
            diagnostics[0].code, "template.unclosed-tag",
            "a note with only its style still needs its end tag"
        );
    }

    #[test]
    fn butterfly_and_next_extras() {
        for (tag, expected) in [
            ("{% label 重点 blue %}", "<mark>重点</mark>"),
            ("{% label primary@Hot %}", "<mark>Hot</mark>"),
            (
                "{% hideInline The answer,Reveal,#f00,#fff %}",
                "<mark>The answer</mark>",
            ),
            (
                "{% inlineImg /e.png 20px %}",
                r#"<img src="/e.png" alt="" height="20">"#,
            ),
            (
                "{% gist defunkt/2059 %}",
                r#"<p class="link-card"><a href="https://gist.github.com/defunkt/2059">GitHub Gist defunkt/2059</a></p>"#,
            ),
            (
                "{% jsfiddle ccWP7 %}",
                r#"<p class="link-card"><a href="https://jsfiddle.net/ccWP7/">JSFiddle ccWP7</a></p>"#,
            ),
        ] {
            let (out, diagnostics) = expand_md(tag);
            assert_eq!(out.trim_end(), expected, "{tag}");
            assert!(diagnostics.is_empty(), "{tag}: {diagnostics:?}");
        }
        for (tag, summary) in [
            (
                "{% fold \"Several words\" %}",
                "<details><summary>Several words</summary>",
            ),
            (
                "{% fold info @Click me %}",
                "<details><summary>Click me</summary>",
            ),
            (
                "{% folding yellow, Read this %}",
                "<details><summary>Read this</summary>",
            ),
            (
                "{% folding child:codeblock open:true color:yellow Title here %}",
                "<details open><summary>Title here</summary>",
            ),
        ] {
            let name = tag.split_whitespace().nth(1).unwrap_or("");
            let (out, _) = expand_md(&format!("{tag}\nx\n{{% end{name} %}}"));
            assert!(out.starts_with(summary), "{tag}: {out}");
            assert!(out.trim_end().ends_with("</details>"), "{tag}: {out}");
        }
        let (out, _) = expand_md("{% hideBlock Answer %}\n**x**\n{% endhideBlock %}");
        assert!(
            out.starts_with("<details><summary>Answer</summary>"),
            "{out}"
        );
        let (out, _) = expand_md("{% mermaid %}\ngraph TD\n  A-->B\n{% endmermaid %}");
        assert_eq!(
            out.trim_end(),
            r#"<pre><code class="language-mermaid">graph TD&#10;  A--&gt;B</code></pre>"#,
            "a diagram's source is code, not Markdown"
        );
        let (out, _) = expand_md("{% timeline 2022,blue %}\n- Jan\n{% endtimeline %}");
        assert!(
            out.starts_with(r#"<div class="timeline"><p><strong>2022</strong></p>"#)
                && out.trim_end().ends_with("</div>"),
            "{out}"
        );
    }

    #[test]
    fn hugo_angle_bodies_are_raw() {
        let (out, diagnostics) = expand_md(
            "{{< filetree >}}\n- a:\n  - b\n{{< /filetree >}}\n\n{{% box %}}\n- a\n{{% /box %}}\n",
        );
        assert!(
            out.starts_with(r#"<p><span class="template-tag">{{&lt; filetree &gt;}}</span></p><pre><code>- a:&#10;  - b</code></pre>"#),
            "an unknown `{{{{< >}}}}` body is code, not a list: {out}"
        );
        assert!(
            out.contains("\n- a\n"),
            "a `{{{{% %}}}}` body stays Markdown: {out}"
        );
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
        let (out, diagnostics) =
            expand_md("{{< css.inline >}}\n<style>x{}</style>\n{{< /css.inline >}}");
        assert!(!out.contains("style"), "{out}");
        assert_eq!(diagnostics[0].code, "template.inline-shortcode");
    }

    #[test]
    fn hugo_theme_shortcodes() {
        let out = html("{{< details summary=\"More\" >}}\n**x**\n{{< /details >}}");
        assert_eq!(
            out,
            "<details><summary>More</summary>\n<p><strong>x</strong></p>\n</details>\n"
        );
        let out = html("{{< tabs \"id\" >}}\n{{< tab \"A\" >}}\na\n{{< /tab >}}\n{{< /tabs >}}");
        assert_eq!(
            out,
            "<div class=\"tabs\">\n<details class=\"tab\"><summary>A</summary>\n<p>a</p>\n</details>\n</div>\n"
        );
        let out = html("{{< bilibili BV1xx 3 >}}");
        assert!(
            out.contains(r#"href="https://www.bilibili.com/video/BV1xx/?p=3""#),
            "{out}"
        );
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
        let body = "{% note %}\nx\n{% endnote %}\n{% img /a.png %}\n{% chartjs %}\ny\n{% endchartjs %}\n{% tabs %}\n`{% x %}`\n\n{{< figure src=a.png >}} {{< version >}} {{</* x */>}} {{% notice %}}";
        let summary = summarize(body, BodyFormat::Markdown);
        assert_eq!(
            summary.liquid,
            Tally {
                rendered: 2,
                placeholders: 1,
                text: 2
            },
            "note and img rendered, chartjs a placeholder, the unclosed tabs and the code left as text"
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
            let (out, _, _) = run(input, &MARKDOWN, 1, &mut diagnostics);
            assert!(!out.is_empty(), "something comes out");
            assert!(
                diagnostics.0.len() <= MAX_DIAGNOSTICS + 1,
                "diagnostics are grouped and capped, not one per tag"
            );
        }
        let zola_inputs = [
            "{{ a(".repeat(n),
            "{{ a(\"".repeat(n),
            format!("{}){}", "{{ a(".repeat(n), "x".repeat(10)),
            "{% a() %}".repeat(n),
            "{% end %}".repeat(n),
            "{{/* ".repeat(n),
            "[x](@/a.md) ".repeat(n),
            format!("{}(@/a.md)", "[".repeat(n)),
            "](@/a.md)".repeat(n),
            "[x]: @/a.md\n".repeat(n),
        ];
        let setup = Setup {
            markdown: true,
            zola: true,
            base: None,
        };
        for input in &zola_inputs {
            let mut diagnostics = Diagnostics::default();
            let (out, _, _) = run(input, &setup, 1, &mut diagnostics);
            assert!(
                !out.is_empty() || input.starts_with('['),
                "something comes out"
            );
            assert!(diagnostics.0.len() <= MAX_DIAGNOSTICS + 1);
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
                let setup = Setup {
                    markdown,
                    zola: false,
                    base: None,
                };
                let (_, _, _) = run(&body, &setup, 1, &mut diagnostics);
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
