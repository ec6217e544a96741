//! Which site generator is the file written for?
//!
//! The same text means different things to Hexo, Jekyll, Hugo and Zola: a
//! string of categories, a date in the file name, heading ids, which template
//! tags exist, whether `$…$` is math. So the later stages follow a dialect,
//! decided here from the signals a person would read: the file name, the
//! fences, the front-matter keys and the template syntax of the body. Each
//! signal adds weight to the generators it points at; the heaviest wins, and
//! a file with no signal at all is plain Markdown or HTML (`none`).

use serde_json::{Map, Value};

use crate::find;
use crate::front_matter::Split;
use crate::options::GeneratorOption;
use crate::rendered::{Diagnostics, FrontMatterFormat, Generator};

/// Decides the dialect of a file (or takes the one the caller chose) and
/// says why in an info diagnostic.
pub fn detect(
    choice: GeneratorOption,
    file_name: Option<&str>,
    split: &Split,
    diagnostics: &mut Diagnostics,
) -> Generator {
    if let Some(chosen) = choice.fixed() {
        return chosen;
    }
    let mut votes = Votes::default();
    if let Some(name) = file_name {
        votes.file_name(name);
    }
    votes.fences(split);
    if let Some(name) = file_name
        && matches!(
            split.format,
            FrontMatterFormat::Yaml | FrontMatterFormat::Json
        )
        && name
            .replace('\\', "/")
            .split('/')
            .any(|folder| folder == "content")
    {
        // Hugo's and Zola's content folder; Zola's front matter is TOML
        // nearly always, and a Hugo site migrated from Hexo keeps Hexo's
        // dates, which must not outweigh this.
        votes.add(
            Generator::Hugo,
            2,
            "the file is in `content/` with YAML or JSON front matter",
        );
    }
    if diagnostics
        .0
        .iter()
        .any(|d| d.code == "front-matter.tab-indent")
    {
        votes.add(
            Generator::Hexo,
            2,
            "the front matter is indented with tabs (Hexo reads them)",
        );
    }
    votes.keys(&split.data, split.format);
    votes.body(&split.body);
    votes.only_readers_of(split.format);
    let (generator, reasons) = votes.winner();
    if generator != Generator::None {
        diagnostics.info(
            "dialect.detected",
            format!(
                "Read as a {} file: {} (set `generator` to change this).",
                generator.name(),
                reasons.join("; ")
            ),
            None,
        );
    }
    generator
}

/// Weight and reasons per generator, in the order of [`ALL`].
#[derive(Default)]
struct Votes {
    weight: [u32; 4],
    reasons: [Vec<&'static str>; 4],
}

const ALL: [Generator; 4] = [
    Generator::Hexo,
    Generator::Jekyll,
    Generator::Hugo,
    Generator::Zola,
];

impl Votes {
    fn add(&mut self, generator: Generator, weight: u32, reason: &'static str) {
        let i = ALL.iter().position(|g| *g == generator).expect("a dialect");
        self.weight[i] += weight;
        if !self.reasons[i].contains(&reason) {
            self.reasons[i].push(reason);
        }
    }

    /// Leaves out the generators that cannot read this front matter, however
    /// much the body looks like theirs: Jekyll and Hexo read YAML (Hexo JSON
    /// too) and never TOML between `+++`, so a `+++` file with a kramdown
    /// `{: …}` or a Hexo-like tag is still Hugo's or Zola's.
    fn only_readers_of(&mut self, format: FrontMatterFormat) {
        let cannot: &[Generator] = match format {
            FrontMatterFormat::Toml => &[Generator::Hexo, Generator::Jekyll],
            _ => &[],
        };
        for generator in cannot {
            let i = ALL.iter().position(|g| g == generator).expect("a dialect");
            self.weight[i] = 0;
            self.reasons[i].clear();
        }
    }

    /// The heaviest generator; on a tie the earlier in [`ALL`], none without
    /// any signal.
    fn winner(self) -> (Generator, Vec<&'static str>) {
        let mut best = None;
        for (i, weight) in self.weight.iter().enumerate() {
            if *weight > 0 && best.is_none_or(|b: usize| *weight > self.weight[b]) {
                best = Some(i);
            }
        }
        match best {
            Some(i) => (ALL[i], self.reasons.into_iter().nth(i).unwrap_or_default()),
            None => (Generator::None, Vec::new()),
        }
    }

    fn file_name(&mut self, path: &str) {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        if jekyll_date_prefix(name).is_some() {
            self.add(
                Generator::Jekyll,
                4,
                "the file name starts with a date (YYYY-MM-DD-)",
            );
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        if extension.as_deref() == Some("markdown") {
            self.add(Generator::Jekyll, 2, "the extension is `.markdown`");
        }
        // Both keep posts in `_posts/`: Hexo's under its source folder
        // (`source/`, or `source-en/` for a second language), Jekyll's at the
        // site's root. Hexo's weighs more than a dated file name, which Hexo
        // sites configure too (`new_post_name: :year-:month-:day-:title`).
        let path = path.replace('\\', "/");
        let folders: Vec<&str> = path.split('/').collect();
        if let Some(at) = folders[..folders.len() - 1]
            .iter()
            .position(|f| *f == "_posts")
        {
            if at > 0 && folders[at - 1].starts_with("source") {
                self.add(Generator::Hexo, 6, "the file is in `source/_posts/`");
            } else {
                self.add(Generator::Jekyll, 3, "the file is in `_posts/`");
            }
        }
        if folders.contains(&"exampleSite") {
            self.add(
                Generator::Hugo,
                3,
                "the file is in a Hugo theme's `exampleSite/`",
            );
        }
        if name == "_index.md" {
            self.add(Generator::Hugo, 1, "the file is a section's `_index.md`");
            self.add(Generator::Zola, 1, "the file is a section's `_index.md`");
        }
    }

    fn fences(&mut self, split: &Split) {
        if split.long_fence {
            self.add(
                Generator::Hexo,
                3,
                "the front matter's fences are longer than three (Hexo's)",
            );
        }
        match split.format {
            FrontMatterFormat::Toml => {
                // Both read TOML between `+++`. Zola refuses any key it does
                // not know (its front matter is a closed set; theme data
                // goes under `[extra]`), Hugo takes any: one key outside
                // Zola's set settles it for Hugo, and a file whose keys all
                // fit Zola leans to Zola.
                self.add(Generator::Hugo, 2, "the front matter is TOML (`+++`)");
                self.add(Generator::Zola, 2, "the front matter is TOML (`+++`)");
                if split.data.keys().any(|k| !ZOLA_KEYS.contains(&k.as_str())) {
                    self.add(
                        Generator::Hugo,
                        4,
                        "the TOML front matter has keys Zola does not allow",
                    );
                } else if !split.data.is_empty() || split.raw.is_some_and(|r| r.trim().is_empty()) {
                    // (Not when the TOML did not parse: no keys to judge.)
                    self.add(
                        Generator::Zola,
                        1,
                        "every key of the TOML front matter is one Zola allows",
                    );
                }
            }
            FrontMatterFormat::Json if split.raw.is_some_and(|r| r.starts_with('{')) => {
                self.add(Generator::Hugo, 2, "the front matter is a bare JSON object");
            }
            FrontMatterFormat::Json => {
                self.add(
                    Generator::Hexo,
                    3,
                    "the front matter is JSON ending in `;;;`",
                );
            }
            FrontMatterFormat::Yaml if split.unfenced => {
                self.add(
                    Generator::Hexo,
                    3,
                    "the front matter has no opening `---` (as Hexo allows)",
                );
            }
            _ => {}
        }
    }

    fn keys(&mut self, data: &Map<String, Value>, format: FrontMatterFormat) {
        // (key, generator, weight, reason): keys that one generator or its
        // popular themes read and the others do not.
        const KEYS: &[(&str, Generator, u32, &str)] = &[
            (
                "taxonomies",
                Generator::Zola,
                4,
                "the front matter has `[taxonomies]`",
            ),
            (
                "extra",
                Generator::Zola,
                1,
                "the front matter has `[extra]`",
            ),
            (
                "updated",
                Generator::Hexo,
                1,
                "the front matter has `updated`",
            ),
            (
                "headimg",
                Generator::Hexo,
                3,
                "the front matter has `headimg` (Volantis)",
            ),
            (
                "top_img",
                Generator::Hexo,
                3,
                "the front matter has `top_img` (Butterfly)",
            ),
            (
                "index_img",
                Generator::Hexo,
                3,
                "the front matter has `index_img` (Fluid)",
            ),
            (
                "banner_img",
                Generator::Hexo,
                3,
                "the front matter has `banner_img` (Fluid)",
            ),
            (
                "photos",
                Generator::Hexo,
                2,
                "the front matter has `photos`",
            ),
            (
                "sticky",
                Generator::Hexo,
                2,
                "the front matter has `sticky`",
            ),
            (
                "lastmod",
                Generator::Hugo,
                3,
                "the front matter has `lastmod`",
            ),
            (
                "weight",
                Generator::Hugo,
                1,
                "the front matter has `weight`",
            ),
            (
                "aliases",
                Generator::Hugo,
                1,
                "the front matter has `aliases`",
            ),
            (
                "featured_image",
                Generator::Hugo,
                1,
                "the front matter has `featured_image`",
            ),
            (
                "featuredImage",
                Generator::Hugo,
                2,
                "the front matter has `featuredImage`",
            ),
            (
                "resources",
                Generator::Hugo,
                2,
                "the front matter has `resources`",
            ),
            (
                "series",
                Generator::Hugo,
                1,
                "the front matter has `series`",
            ),
            (
                "excerpt_separator",
                Generator::Jekyll,
                3,
                "the front matter has `excerpt_separator`",
            ),
            (
                "published",
                Generator::Jekyll,
                1,
                "the front matter has `published`",
            ),
        ];
        for (key, generator, weight, reason) in KEYS {
            // Zola has `weight` and `aliases` too: in TOML they say nothing.
            let shared = matches!(*key, "weight" | "aliases" | "updated");
            if data.contains_key(*key) && !(shared && format == FrontMatterFormat::Toml) {
                self.add(*generator, *weight, reason);
            }
        }
        if format == FrontMatterFormat::Yaml
            && data
                .get("date")
                .and_then(Value::as_str)
                .is_some_and(is_hexo_scaffold_date)
        {
            self.add(
                Generator::Hexo,
                1,
                "the date is written as Hexo's scaffold writes it (`YYYY-MM-DD HH:mm:ss`)",
            );
        }
        if data.get("layout").and_then(Value::as_str) == Some("post") {
            self.add(Generator::Jekyll, 1, "the front matter has `layout: post`");
        }
        if let Some(link) = data.get("permalink").and_then(Value::as_str)
            && link.contains(":title")
        {
            self.add(Generator::Jekyll, 2, "`permalink` uses Jekyll's `:title`");
        }
    }

    fn body(&mut self, body: &str) {
        // (needle, generator, weight, reason); each counts once however
        // often it occurs. Tags both Hexo and Jekyll have (`raw`,
        // `highlight`, `include`) are weighed for the one whose blogs use
        // them.
        const SYNTAX: &[(&str, Generator, u32, &str)] = &[
            (
                "{{<",
                Generator::Hugo,
                4,
                "the body has Hugo shortcodes `{{< >}}`",
            ),
            (
                "{{%",
                Generator::Hugo,
                4,
                "the body has Hugo shortcodes `{{% %}}`",
            ),
            (
                "{{ site.",
                Generator::Jekyll,
                3,
                "the body uses Liquid `{{ site.… }}`",
            ),
            (
                "{{ page.",
                Generator::Jekyll,
                3,
                "the body uses Liquid `{{ page.… }}`",
            ),
            (
                "| relative_url",
                Generator::Jekyll,
                3,
                "the body uses Liquid's `relative_url`",
            ),
            (
                "| absolute_url",
                Generator::Jekyll,
                3,
                "the body uses Liquid's `absolute_url`",
            ),
            (
                "{% post_url",
                Generator::Jekyll,
                4,
                "the body uses Liquid `{% post_url %}`",
            ),
            (
                "{% highlight",
                Generator::Jekyll,
                3,
                "the body uses Liquid `{% highlight %}`",
            ),
            (
                "{% include ",
                Generator::Jekyll,
                2,
                "the body uses Liquid `{% include %}`",
            ),
            (
                "{% raw %}",
                Generator::Jekyll,
                2,
                "the body uses Liquid `{% raw %}`",
            ),
            (
                "{% assign ",
                Generator::Jekyll,
                3,
                "the body uses Liquid `{% assign %}`",
            ),
            (
                "{% capture ",
                Generator::Jekyll,
                3,
                "the body uses Liquid `{% capture %}`",
            ),
            (
                "{% for ",
                Generator::Jekyll,
                2,
                "the body uses Liquid `{% for %}`",
            ),
            (
                "\n{: ",
                Generator::Jekyll,
                3,
                "the body has kramdown attribute lists `{: …}`",
            ),
            (
                "{% note",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% note %}`",
            ),
            (
                "{% codeblock",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% codeblock %}`",
            ),
            (
                "{% asset_img",
                Generator::Hexo,
                4,
                "the body uses Hexo's `{% asset_img %}`",
            ),
            (
                "{% post_link",
                Generator::Hexo,
                4,
                "the body uses Hexo's `{% post_link %}`",
            ),
            (
                "{% post_path",
                Generator::Hexo,
                4,
                "the body uses Hexo's `{% post_path %}`",
            ),
            (
                "{% hideToggle",
                Generator::Hexo,
                3,
                "the body uses Butterfly's `{% hideToggle %}`",
            ),
            (
                "{% endhide",
                Generator::Hexo,
                3,
                "the body uses Butterfly's `{% hide… %}`",
            ),
            (
                "{% endtimeline",
                Generator::Hexo,
                3,
                "the body uses Butterfly's `{% timeline %}`",
            ),
            (
                "{% endmessage",
                Generator::Hexo,
                3,
                "the body uses Icarus's `{% message %}`",
            ),
            (
                "{% asset_link",
                Generator::Hexo,
                4,
                "the body uses Hexo's `{% asset_link %}`",
            ),
            (
                "{% asset_path",
                Generator::Hexo,
                4,
                "the body uses Hexo's `{% asset_path %}`",
            ),
            (
                "{% blockquote",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% blockquote %}`",
            ),
            (
                "{% tabs",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% tabs %}`",
            ),
            (
                "{% btn",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% btn %}`",
            ),
            (
                "{% label",
                Generator::Hexo,
                3,
                "the body uses Hexo's `{% label %}`",
            ),
            (
                "{% youtube",
                Generator::Hexo,
                2,
                "the body uses Hexo's `{% youtube %}`",
            ),
            (
                "{% iframe",
                Generator::Hexo,
                2,
                "the body uses Hexo's `{% iframe %}`",
            ),
            (
                "{% endnote",
                Generator::Hexo,
                1,
                "the body uses Hexo's `{% note %}`",
            ),
        ];
        // Each needle starts with `{` or `|` (after an optional line
        // break), where the scan below looks for it.
        const _: () = {
            let mut i = 0;
            while i < SYNTAX.len() {
                let bytes = SYNTAX[i].0.as_bytes();
                let first = if bytes[0] == b'\n' {
                    bytes[1]
                } else {
                    bytes[0]
                };
                assert!(first == b'{' || first == b'|');
                i += 1;
            }
        };
        // One pass over the places a needle can start (each begins with `{`
        // or `|`, after an optional line break), not a search of the whole
        // body per needle: most bodies have few braces and bars. A place is
        // compared only with the needles that start with its first two
        // bytes (`{%`, `{{`, `{:`, `| `): a table's bars meet two of them,
        // not all forty.
        type Group<'n> = (&'n [u8], Vec<(usize, bool, &'n [u8])>);
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (i, (needle, ..)) in SYNTAX.iter().enumerate() {
            let (wants_break, needle) = match needle.strip_prefix('\n') {
                Some(rest) => (true, rest.as_bytes()),
                None => (false, needle.as_bytes()),
            };
            let start = &needle[..2];
            match groups.iter_mut().find(|(s, _)| *s == start) {
                Some((_, group)) => group.push((i, wants_break, needle)),
                None => groups.push((start, vec![(i, wants_break, needle)])),
            }
        }
        let bytes = body.as_bytes();
        let mut found = [false; SYNTAX.len()];
        for at in memchr::memchr2_iter(b'{', b'|', bytes) {
            let here = &bytes[at..];
            let Some((_, group)) = groups.iter().find(|(s, _)| here.starts_with(s)) else {
                continue;
            };
            let after_break = at > 0 && bytes[at - 1] == b'\n';
            for &(i, wants_break, needle) in group {
                found[i] |= (after_break || !wants_break) && here.starts_with(needle);
            }
        }
        for ((_, generator, weight, reason), found) in SYNTAX.iter().zip(found) {
            if found {
                self.add(*generator, *weight, reason);
            }
        }
        match link_tag(body) {
            Some(Generator::Jekyll) => self.add(
                Generator::Jekyll,
                3,
                "the body uses Jekyll's `{% link path/to/file.md %}`",
            ),
            Some(_) => self.add(
                Generator::Hexo,
                2,
                "the body uses Hexo's `{% link text url %}`",
            ),
            None => {}
        }
        if zola_shortcode(body) {
            self.add(
                Generator::Zola,
                4,
                "the body has Zola shortcodes `{{ name(…) }}`",
            );
        }
        if more_marker_outside_code(body) {
            // Hexo's, with its spaces (Hugo's is `<!--more-->`, Jekyll has
            // none by default); Zola's is the same, and its TOML decides.
            self.add(Generator::Hexo, 1, "the body has Hexo's `<!-- more -->`");
        }
        if find::contains(body, "](@/") {
            self.add(Generator::Zola, 4, "the body links with Zola's `@/` paths");
        }
    }
}

/// The top-level keys Zola accepts in a page's or a section's front matter;
/// any other makes Zola stop with "unknown field".
const ZOLA_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
    "path",
    "aliases",
    "authors",
    "in_search_index",
    "template",
    "taxonomies",
    "extra",
    // Sections (`_index.md`).
    "sort_by",
    "paginate_by",
    "paginate_path",
    "paginate_reversed",
    "insert_anchor_links",
    "render",
    "redirect_to",
    "transparent",
    "page_template",
    "generate_feed",
    "generate_feeds",
];

/// Whose `{% link %}` the body's first one is: Jekyll's takes one path
/// to a file of the site (`_posts/2019-03-18-x.md`, `about.md`), Hexo's a
/// text and a URL (`{% link Hexo https://hexo.io %}`).
fn link_tag(body: &str) -> Option<Generator> {
    let at = find::find(body, "{% link ")?;
    let rest = &body[at + "{% link ".len()..];
    let inside = &rest[..rest.find("%}")?];
    let words: Vec<&str> = inside.split_whitespace().collect();
    let file = |w: &str| {
        w.starts_with('_')
            || [".md", ".markdown", ".html", ".htm"]
                .iter()
                .any(|e| w.to_ascii_lowercase().ends_with(e))
    };
    match words.as_slice() {
        [path] if file(path) => Some(Generator::Jekyll),
        [_, _, ..] => Some(Generator::Hexo),
        _ => None,
    }
}

/// A `<!-- more -->` line outside fenced code (a post about Hexo shows
/// the marker in code without being a Hexo post).
fn more_marker_outside_code(body: &str) -> bool {
    if !find::contains(body, "<!-- more -->") {
        return false;
    }
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let trimmed = line.trim();
        match fence {
            Some(open) if trimmed.starts_with(open) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") => fence = Some("```"),
            None if trimmed.starts_with("~~~") => fence = Some("~~~"),
            None if trimmed == "<!-- more -->" => return true,
            None => {}
        }
    }
    false
}

/// `2019-03-18 10:00:00` or `2019-03-18 10:00`: a local date and time with a
/// space and no zone, what Hexo's `{{ date }}` scaffold writes (Jekyll's
/// adds the zone, Hugo's archetypes write RFC 3339).
fn is_hexo_scaffold_date(date: &str) -> bool {
    let shape = |pattern: &str| {
        date.len() == pattern.len()
            && date.bytes().zip(pattern.bytes()).all(|(d, p)| match p {
                b'9' => d.is_ascii_digit(),
                _ => d == p,
            })
    };
    shape("9999-99-99 99:99:99") || shape("9999-99-99 99:99")
}

/// `{{ name(` or `{% name(`: Zola's call syntax, which neither Liquid nor Go
/// templates write that way. The first 1,000 openers are read.
fn zola_shortcode(body: &str) -> bool {
    let bytes = body.as_bytes();
    memchr::memchr_iter(b'{', bytes)
        .filter(|&at| matches!(bytes.get(at + 1), Some(b'{' | b'%')))
        .take(1000)
        .any(|at| {
            let rest = &body[at + 2..];
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(0);
            name_len > 0 && rest[name_len..].starts_with('(')
        })
}

/// `2019-03-18-title.md` → `("2019-03-18", "title")`: Jekyll's post file
/// names, whose date the post takes when its front matter has none.
pub fn jekyll_date_prefix(name: &str) -> Option<(&str, &str)> {
    let bytes = name.as_bytes();
    let shape = bytes.len() > 11
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && bytes[10] == b'-';
    shape.then(|| {
        let slug = &name[11..];
        let slug = slug.rsplit_once('.').map_or(slug, |(s, _)| s);
        (&name[..10], slug)
    })
}

/// Whose attribute syntax a file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    /// Jekyll's kramdown: `{: .class}` after blocks and spans, `{:ref: …}`
    /// definitions, definition lists, `markdown="1"`, its table separators.
    Kramdown,
    /// Hugo's goldmark: `{.class}` on the line after a block, definition lists.
    Goldmark,
    /// CommonMark and GFM only.
    Plain,
}

impl Syntax {
    pub fn of(generator: Generator) -> Syntax {
        match generator {
            Generator::Jekyll => Syntax::Kramdown,
            Generator::Hugo => Syntax::Goldmark,
            Generator::Hexo | Generator::Zola | Generator::None => Syntax::Plain,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front_matter;

    fn detect_file(name: Option<&str>, source: &str) -> (Generator, Vec<String>) {
        let mut diagnostics = Diagnostics::default();
        let split = front_matter::split(source, &mut diagnostics);
        let generator = detect(GeneratorOption::Auto, name, &split, &mut diagnostics);
        let messages = diagnostics.0.into_iter().map(|d| d.message).collect();
        (generator, messages)
    }

    #[test]
    fn each_generator_is_recognised_by_its_signals() {
        let cases = [
            (
                Some("_posts/2019-03-18-welcome.markdown"),
                "---\nlayout: post\n---\nHi\n",
                Generator::Jekyll,
            ),
            (
                None,
                "---\ntitle: x\n---\n[a]({{ site.baseurl }}/a)\n",
                Generator::Jekyll,
            ),
            (
                None,
                "title: x\ndate: 2020-01-01\n---\nHi {% note info %}x{% endnote %}\n",
                Generator::Hexo,
            ),
            (None, "---\nheadimg: /a.png\n---\nHi\n", Generator::Hexo),
            (
                None,
                "+++\ntitle = \"x\"\n[taxonomies]\ntags = [\"a\"]\n+++\nHi\n",
                Generator::Zola,
            ),
            (
                None,
                "+++\ntitle = \"x\"\n+++\n{{ youtube(id=\"x\") }}\n",
                Generator::Zola,
            ),
            (
                None,
                "+++\ntitle = \"x\"\nlastmod = 2020-01-01\n+++\nHi\n",
                Generator::Hugo,
            ),
            (
                None,
                "---\ntitle: x\n---\n{{< figure src=\"a.png\" >}}\n",
                Generator::Hugo,
            ),
            (None, "# Just a README\n\nText.\n", Generator::None),
            (
                Some("notes.md"),
                "---\ntitle: x\n---\nText.\n",
                Generator::None,
            ),
        ];
        for (name, source, expected) in cases {
            let (generator, messages) = detect_file(name, source);
            assert_eq!(generator, expected, "{name:?} {source:?}: {messages:?}");
            assert_eq!(
                messages.len(),
                usize::from(expected != Generator::None),
                "one info diagnostic says why, only when a dialect was found"
            );
        }
    }

    /// The rules the corpus taught (tests/dialects.rs checks them on it).
    #[test]
    fn folders_and_closed_key_sets() {
        let yaml = "---\ntitle: x\ntags: [a]\n---\nText.\n";
        let cases = [
            // Hexo's `_posts` is under its source folder, even for a dated
            // name; Jekyll's is at the root.
            (Some("source/_posts/2019-03-18-x.md"), yaml, Generator::Hexo),
            (Some("blog/source-en/_posts/x.md"), yaml, Generator::Hexo),
            (Some("_posts/x.md"), yaml, Generator::Jekyll),
            (Some("site/_posts/2019-03-18-x.md"), yaml, Generator::Jekyll),
            (Some("exampleSite/content/post/x.md"), yaml, Generator::Hugo),
            // Zola refuses keys it does not know; Hugo takes any.
            (
                None,
                "+++\ntitle = \"x\"\npath = \"2020/x\"\naliases = [\"x.html\"]\nweight = 3\n+++\n",
                Generator::Zola,
            ),
            (
                None,
                "+++\ntitle = \"x\"\ntags = [\"a\"]\n+++\n",
                Generator::Hugo,
            ),
            (None, "+++\n+++\nText.\n", Generator::Zola),
            (
                None,
                "See {% link _posts/2019-03-18-welcome.md %}.\n",
                Generator::Jekyll,
            ),
            (
                None,
                "See {% link Hexo https://hexo.io/ %}.\n",
                Generator::Hexo,
            ),
            // Weak hints, for the page, which knows only the file's name.
            (
                None,
                "---\ntitle: x\ndate: 2020-01-02 10:00:00\n---\nText.\n",
                Generator::Hexo,
            ),
            (
                Some("content/posts/x/index.md"),
                "---\ntitle: x\ndate: 2020-01-02 10:00:00\n---\nText.\n",
                Generator::Hugo,
            ),
            (
                None,
                "---\ntitle: x\n---\nA\n\n<!-- more -->\n\nB\n",
                Generator::Hexo,
            ),
            (
                None,
                "---\ntitle: x\n---\n```\n<!-- more -->\n```\n",
                Generator::None,
            ),
            (
                None,
                "+++\ntitle = \"broken\ntags = 1\n+++\n",
                Generator::Hugo,
            ),
        ];
        for (name, source, expected) in cases {
            let (generator, messages) = detect_file(name, source);
            assert_eq!(generator, expected, "{name:?} {source:?}: {messages:?}");
        }
    }

    #[test]
    fn the_reason_names_the_signals() {
        let (_, messages) = detect_file(
            Some("2019-03-18-a.md"),
            "{% highlight ruby %}\nx\n{% endhighlight %}\n",
        );
        assert!(messages[0].contains("YYYY-MM-DD"), "{messages:?}");
        assert!(messages[0].contains("highlight"), "{messages:?}");
    }

    /// Body syntax never makes a generator win a file it could not read.
    #[test]
    fn toml_front_matter_is_never_jekyll_or_hexo() {
        let source = "+++\ntitle = \"Notes\"\n+++\nA tip.\n{: .prompt-tip }\n\n{% raw %}x{% endraw %} {{ site.url }}\n";
        let (generator, _) = detect_file(Some("_posts/2020-01-02-notes.markdown"), source);
        assert!(
            matches!(generator, Generator::Hugo | Generator::Zola),
            "{generator:?}"
        );
        // The same body under `---` is Jekyll's.
        let yaml = source.replace("+++\ntitle = \"Notes\"\n+++", "---\ntitle: Notes\n---");
        let (generator, _) = detect_file(Some("_posts/2020-01-02-notes.markdown"), &yaml);
        assert_eq!(generator, Generator::Jekyll);
    }

    #[test]
    fn a_chosen_generator_is_not_second_guessed() {
        let mut diagnostics = Diagnostics::default();
        let split = front_matter::split("{{< x >}}", &mut diagnostics);
        let generator = detect(GeneratorOption::Zola, None, &split, &mut diagnostics);
        assert_eq!(generator, Generator::Zola);
        assert!(diagnostics.0.is_empty());
    }

    #[test]
    fn jekyll_file_names_give_date_and_slug() {
        assert_eq!(
            jekyll_date_prefix("2019-03-18-hello-world.markdown"),
            Some(("2019-03-18", "hello-world"))
        );
        assert_eq!(jekyll_date_prefix("2019-3-18-x.md"), None);
        assert_eq!(jekyll_date_prefix("2019-03-18.md"), None);
        assert_eq!(jekyll_date_prefix("notes.md"), None);
    }
}
