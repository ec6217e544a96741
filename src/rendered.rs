//! The result of a render: one plain data structure, serialized the same way
//! (camelCase JSON) by the Rust API, the CLI and the wasm binding.

use serde::Serialize;
use serde_json::{Map, Value};

/// Everything the library knows about one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rendered {
    /// Normalized metadata from the front matter.
    pub meta: Meta,
    /// The site generator whose conventions the file was read with.
    pub generator: Generator,
    /// How the front matter was written.
    pub front_matter: FrontMatterInfo,
    /// How the body was read.
    pub body_format: BodyFormat,
    /// The sanitized HTML fragment, safe to insert into a page.
    pub html: String,
    /// Plain-text excerpt: the text before `<!-- more -->`, or the first
    /// `excerptLength` characters.
    pub excerpt: String,
    /// The headings, in document order, with the ids they have in `html`.
    pub toc: Vec<TocEntry>,
    /// Counts for display (reading time and such).
    pub stats: Stats,
    /// Every image of the body, in document order.
    pub images: Vec<Image>,
    /// What went wrong or was changed, for the author or a tool.
    pub diagnostics: Vec<Diagnostic>,
}

/// Normalized metadata. Text fields are plain text (character references
/// decoded, trimmed); URL fields are safe to use as `src`/`href`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    /// `title`.
    pub title: Option<String>,
    /// `author` or `authors`: a name, or a mapping's `name`.
    pub author: Option<String>,
    /// RFC 3339: an instant (`2021-07-19T11:24:48Z`), a floating local
    /// date-time (`2021-07-19T11:24:48`) or a date (`2021-07-19`).
    pub date: Option<String>,
    /// Same rules as `date`.
    pub updated: Option<String>,
    /// In order; for Hexo a list reads as a hierarchy, parent first.
    pub categories: Vec<String>,
    /// `tags` (or `tag`), one string or a list, in order.
    pub tags: Vec<String>,
    /// `description`, `summary` or `excerpt` from the front matter.
    pub description: Option<String>,
    /// The cover image (`cover`, `banner`, `top_img`, … see the README), a safe URL.
    pub cover: Option<String>,
    /// `thumbnail` (`thumbnailImage`, `thumb`), a safe URL.
    pub thumbnail: Option<String>,
    /// `draft: true`, or Jekyll's `published: false`.
    pub draft: Option<bool>,
    /// Whether comments are open (`comments`, `comment`).
    pub comments: Option<bool>,
    /// The article's language (`lang`, `language`, `locale`).
    pub lang: Option<String>,
    /// `slug`, as written.
    pub slug: Option<String>,
    /// `permalink` (`url`, `path`), a safe URL.
    pub permalink: Option<String>,
    /// Every other front-matter key, as JSON, in source order.
    pub extra: Map<String, Value>,
}

/// The front matter as found in the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrontMatterInfo {
    /// Its syntax, from its fences.
    pub format: FrontMatterFormat,
    /// The text between the fences, kept so nothing is lost when it is invalid.
    pub raw: Option<String>,
}

/// A site generator's dialect: what its template tags, dates, categories,
/// heading ids and Markdown extensions mean.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    /// Hexo.
    Hexo,
    /// Jekyll.
    Jekyll,
    /// Hugo.
    Hugo,
    /// Zola.
    Zola,
    /// No generator: plain Markdown or HTML, read as GitHub reads it.
    #[default]
    None,
}

impl Generator {
    /// The generator's name as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Generator::Hexo => "Hexo",
            Generator::Jekyll => "Jekyll",
            Generator::Hugo => "Hugo",
            Generator::Zola => "Zola",
            Generator::None => "plain Markdown/HTML",
        }
    }
}

/// The syntax of the front matter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FrontMatterFormat {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
    /// A JSON object, or Hexo's `;;;` block.
    Json,
    /// No front matter.
    #[default]
    None,
}

/// The format the body was rendered as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    /// CommonMark with the extensions of `markdown` options.
    #[default]
    Markdown,
    /// Raw HTML, sanitized as it is.
    Html,
}

/// One heading of the outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// The heading's `id` in `html` (prefixed); empty when `headingIds` is off
    /// and the heading had none.
    pub id: String,
}

/// Counts over the rendered text.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Characters of text, white space excluded.
    pub characters: usize,
    /// Han, kana and hangul characters, each one counted.
    pub cjk_characters: usize,
    /// Words of the non-CJK text.
    pub words: usize,
    /// About 500 CJK characters or 230 other words a minute, rounded up.
    pub reading_minutes: usize,
    /// Images in `html`.
    pub images: usize,
    /// Links in `html`.
    pub links: usize,
}

/// An image of the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Image {
    /// Safe URL, resolved against `baseUrl` when one is given.
    pub src: String,
    /// Its alternative text (empty when it has none).
    pub alt: String,
}

/// A problem found in the input, or a change made to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How much it matters; always the same for a code.
    pub severity: Severity,
    /// Stable, dotted: `front-matter.invalid-yaml`, `sanitize.removed-element`, …
    pub code: &'static str,
    /// What happened, for a person, as a sentence.
    pub message: String,
    /// 1-based line in the source file, where known.
    pub line: Option<usize>,
}

/// How much a diagnostic matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Part of the file could not be read (invalid front matter, too large).
    Error,
    /// Something was removed or changed; the author may want to know.
    Warning,
    /// How the file was read, for a tool.
    Info,
}

/// Collects diagnostics during a render.
#[derive(Debug, Default)]
pub(crate) struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        line: Option<usize>,
    ) {
        debug_assert!(
            crate::diagnostics::lookup(code).is_some_and(|entry| entry.severity == severity),
            "diagnostic {code:?} ({severity:?}) is not in src/diagnostics.rs CODES at that severity"
        );
        self.0.push(Diagnostic {
            severity,
            code,
            message: message.into(),
            line,
        });
    }
    pub fn error(&mut self, code: &'static str, message: impl Into<String>, line: Option<usize>) {
        self.push(Severity::Error, code, message, line);
    }
    pub fn warn(&mut self, code: &'static str, message: impl Into<String>, line: Option<usize>) {
        self.push(Severity::Warning, code, message, line);
    }
    pub fn info(&mut self, code: &'static str, message: impl Into<String>, line: Option<usize>) {
        self.push(Severity::Info, code, message, line);
    }
}
