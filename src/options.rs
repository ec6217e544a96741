//! What a caller may ask for. One struct, deserializable straight from a JS
//! object: camelCase keys, every field optional, unknown keys rejected so a
//! typo is an error instead of a silent default.

use serde::{Deserialize, Serialize};

/// Options for [`render_with_options`](crate::render_with_options).
///
/// Every field has a safe default; `Options::default()` renders the seed
/// article of the project correctly.
///
/// ```
/// let options: article_render::Options =
///     serde_json::from_str(r#"{ "format": "html", "baseUrl": "https://example.com/post/" }"#).unwrap();
/// assert_eq!(options.format, article_render::Format::Html);
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// How to read the body. Default `auto`: decided from `fileName` and the content.
    pub format: Format,
    /// Which site generator's conventions to follow. Default `auto`: decided
    /// from the file name, the fences, the front-matter keys and the body's
    /// template syntax (the `generator` field of the result says which).
    ///
    /// ```
    /// let options: article_render::Options = serde_json::from_str(r#"{ "generator": "jekyll" }"#).unwrap();
    /// assert_eq!(options.generator, article_render::GeneratorOption::Jekyll);
    /// ```
    pub generator: GeneratorOption,
    /// The file's name or path, a hint: `.html` means HTML for `format: auto`;
    /// Jekyll's `YYYY-MM-DD-slug.md` gives the date and title when the front
    /// matter has none; it also helps `generator: auto`. Default none.
    pub file_name: Option<String>,
    /// Absolute `http(s)` URL that relative links and images resolve against. Default none:
    /// relative URLs stay relative.
    pub base_url: Option<String>,
    /// Whether remote images load with the article. Default `load`.
    pub images: ImagePolicy,
    /// Give every heading an `id` (for the table of contents). Default `true`.
    pub heading_ids: bool,
    /// Prefix of every `id` in the output, so an article cannot clobber the host
    /// page's globals or ids. Default `"user-content-"`.
    pub id_prefix: String,
    /// Length of the excerpt, in characters, when the article has no
    /// `<!-- more -->` marker. Default `200`.
    pub excerpt_length: usize,
    /// Larger inputs are not rendered: they give one error diagnostic. Default 32 MiB.
    pub max_input_bytes: usize,
    /// Markdown extensions.
    pub markdown: MarkdownOptions,
    /// `<iframe>` embeds: `link` (default) makes each a card linking to the
    /// embedded page (`https` only; YouTube, Vimeo, Bilibili… players mapped
    /// to their watch page), `drop` removes them. Either way a diagnostic
    /// says so.
    pub embeds: Embeds,
    /// Template tags — Hexo tag plugins and Liquid tags `{% … %}`, Hugo
    /// shortcodes `{{< … >}}` and `{{% … %}}`. Default `render`.
    ///
    /// ```
    /// let options: article_render::Options = serde_json::from_str(r#"{ "templates": "text" }"#).unwrap();
    /// assert_eq!(options.templates, article_render::Templates::Text);
    /// ```
    pub templates: Templates,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            format: Format::Auto,
            generator: GeneratorOption::Auto,
            file_name: None,
            base_url: None,
            images: ImagePolicy::Load,
            heading_ids: true,
            id_prefix: "user-content-".to_owned(),
            excerpt_length: 200,
            max_input_bytes: 32 * 1024 * 1024,
            markdown: MarkdownOptions::default(),
            embeds: Embeds::Link,
            templates: Templates::Render,
        }
    }
}

/// The body's format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Decide from the file name and the content (default).
    #[default]
    Auto,
    /// CommonMark with the extensions of [`MarkdownOptions`].
    Markdown,
    /// Raw HTML, never passed through the Markdown parser.
    Html,
}

/// The site generator whose conventions the file follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GeneratorOption {
    /// Decide from the file (default).
    #[default]
    Auto,
    /// Hexo: tag plugins, `<!-- more -->`, a list of categories is a hierarchy.
    Hexo,
    /// Jekyll: Liquid, kramdown, dates and titles from `YYYY-MM-DD-` file names.
    Jekyll,
    /// Hugo: shortcodes `{{< >}}` and `{{% %}}`, goldmark.
    Hugo,
    /// Zola: shortcodes `{{ name() }}`, `@/` internal links.
    Zola,
    /// Plain Markdown or HTML (GitHub's conventions).
    None,
}

impl GeneratorOption {
    /// The dialect the caller chose, `None` for `auto`.
    pub(crate) fn fixed(self) -> Option<crate::Generator> {
        use crate::Generator;
        match self {
            GeneratorOption::Auto => None,
            GeneratorOption::Hexo => Some(Generator::Hexo),
            GeneratorOption::Jekyll => Some(Generator::Jekyll),
            GeneratorOption::Hugo => Some(Generator::Hugo),
            GeneratorOption::Zola => Some(Generator::Zola),
            GeneratorOption::None => Some(Generator::None),
        }
    }
}

/// What to do with `<iframe>` embeds, which the article policy never keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Embeds {
    /// A visible card linking to the embedded page on its host (default).
    #[default]
    Link,
    /// Removed, with a diagnostic.
    Drop,
}

/// What to do with images.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImagePolicy {
    /// Images keep their `src` and load with the article (default).
    #[default]
    Load,
    /// Images keep their address in `data-src` and load nothing until the
    /// host page moves it to `src` (for example when the reader clicks).
    Block,
}

/// What to do with template tags in the body. They are parsed, never executed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Templates {
    /// Render the common ones statically, as their site shows them (a code
    /// block, a note, a figure, a link card instead of an embedded player);
    /// show the others as a visible placeholder, with a diagnostic (default).
    #[default]
    Render,
    /// Leave every tag as the text the author wrote.
    Text,
}

/// Markdown extensions, all on by default except smart punctuation, and
/// math, which follows the article.
///
/// ```
/// use article_render::MathOption;
/// let options: article_render::Options =
///     serde_json::from_str(r#"{ "markdown": { "math": false } }"#).unwrap();
/// assert!(options.markdown.math == MathOption::Off && options.markdown.tables);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkdownOptions {
    /// GFM tables.
    pub tables: bool,
    /// Footnotes, collected at the end with back-links.
    pub footnotes: bool,
    /// `~~strikethrough~~`.
    pub strikethrough: bool,
    /// `- [x] task lists`.
    pub task_lists: bool,
    /// `# Heading {#id .class}`.
    pub heading_attributes: bool,
    /// GFM alerts (`> [!NOTE]`) and Obsidian callouts (`> [!todo]- Title`),
    /// written as GitHub writes alerts.
    pub alerts: bool,
    /// Math: `$inline$`, `$$display$$`, `\(inline\)` and `\[display\]`,
    /// the TeX kept as text in `<span class="math …">` for the page's KaTeX
    /// or MathJax. Default `"auto"`: on when the front matter says `math`,
    /// `mathjax` or `katex` is true (the keys themes read), `$$…$$` alone for
    /// Jekyll (kramdown's default), off otherwise, so `$5-$10` stays text.
    pub math: MathOption,
    /// Curly quotes and dashes. Default `false`.
    pub smart_punctuation: bool,
    /// GFM's autolink literals: `www.…`, `https://…` and e-mail addresses
    /// in text become links. Default `true`.
    pub autolinks: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            tables: true,
            footnotes: true,
            strikethrough: true,
            task_lists: true,
            heading_attributes: true,
            alerts: true,
            math: MathOption::Auto,
            smart_punctuation: false,
            autolinks: true,
        }
    }
}

/// Whether Markdown has math: `true`, `false` or `"auto"` in JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "MathJson", into = "MathJson")]
pub enum MathOption {
    /// From the front matter and the generator's convention (default).
    #[default]
    Auto,
    /// Every delimiter is math.
    On,
    /// No math: dollar signs and `\(` are text.
    Off,
}

/// How [`MathOption`] is written in JSON.
#[derive(Deserialize, Serialize)]
#[serde(untagged)]
enum MathJson {
    Flag(bool),
    Word(String),
}

impl TryFrom<MathJson> for MathOption {
    type Error = String;
    fn try_from(json: MathJson) -> Result<Self, String> {
        match json {
            MathJson::Flag(true) => Ok(MathOption::On),
            MathJson::Flag(false) => Ok(MathOption::Off),
            MathJson::Word(word) if word == "auto" => Ok(MathOption::Auto),
            MathJson::Word(word) => Err(format!("`math` is true, false or \"auto\", not {word:?}")),
        }
    }
}

impl From<MathOption> for MathJson {
    fn from(math: MathOption) -> Self {
        match math {
            MathOption::Auto => MathJson::Word("auto".to_owned()),
            MathOption::On => MathJson::Flag(true),
            MathOption::Off => MathJson::Flag(false),
        }
    }
}

/// Invalid options: the only error [`render_with_options`](crate::render_with_options) returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionsError {
    /// The camelCase key at fault.
    pub key: &'static str,
    /// What is wrong with it, as a sentence.
    pub message: String,
}

impl std::fmt::Display for OptionsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid option `{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for OptionsError {}

impl Options {
    /// Checks what serde cannot: the base URL parses, the id prefix is a safe token.
    pub(crate) fn validate(&self) -> Result<(), OptionsError> {
        if let Some(base) = &self.base_url {
            crate::safe_url::parse_base(base).map_err(|message| OptionsError {
                key: "baseUrl",
                message,
            })?;
        }
        let prefix_ok = self
            .id_prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !prefix_ok {
            return Err(OptionsError {
                key: "idPrefix",
                message: "only ASCII letters, digits, `-` and `_` are allowed".to_owned(),
            });
        }
        // Without a prefix an article's `id="location"` or `id="alert"`
        // clobbers the globals of a page that shows it.
        if self.id_prefix.is_empty() {
            return Err(OptionsError {
                key: "idPrefix",
                message: "must not be empty: unprefixed ids can clobber the page's globals"
                    .to_owned(),
            });
        }
        if self.max_input_bytes == 0 {
            return Err(OptionsError {
                key: "maxInputBytes",
                message: "must be greater than zero".to_owned(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Embeds, MathOption, Options};

    #[test]
    fn math_is_true_false_or_auto_and_embeds_link_or_drop() {
        let parse = |json: &str| serde_json::from_str::<Options>(json);
        for (json, math) in [
            (r#"{}"#, MathOption::Auto),
            (r#"{"markdown": {"math": "auto"}}"#, MathOption::Auto),
            (r#"{"markdown": {"math": true}}"#, MathOption::On),
            (r#"{"markdown": {"math": false}}"#, MathOption::Off),
        ] {
            assert_eq!(parse(json).unwrap().markdown.math, math, "{json}");
        }
        let error = parse(r#"{"markdown": {"math": "yes"}}"#)
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"auto\""), "{error}");
        assert_eq!(parse(r#"{"embeds": "drop"}"#).unwrap().embeds, Embeds::Drop);
        assert!(parse(r#"{"embeds": "hide"}"#).is_err());
        let round_trip = serde_json::to_string(&Options::default().markdown).unwrap();
        assert!(round_trip.contains(r#""math":"auto""#), "{round_trip}");
    }

    #[test]
    fn id_prefixes_are_checked() {
        for (prefix, valid) in [
            ("user-content-", true),
            ("a_9-", true),
            ("", false),
            ("bad prefix", false),
            ("x\"", false),
        ] {
            let options = Options {
                id_prefix: prefix.to_owned(),
                ..Options::default()
            };
            let result = options.validate();
            assert_eq!(result.is_ok(), valid, "{prefix:?}: {result:?}");
            if let Err(error) = result {
                assert_eq!(error.key, "idPrefix");
            }
        }
    }
}
