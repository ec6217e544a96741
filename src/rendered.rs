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
    pub title: Option<String>,
    pub author: Option<String>,
    /// RFC 3339: an instant (`2021-07-19T11:24:48Z`), a floating local
    /// date-time (`2021-07-19T11:24:48`) or a date (`2021-07-19`).
    pub date: Option<String>,
    /// Same rules as `date`.
    pub updated: Option<String>,
    /// In order; for Hexo a list reads as a hierarchy, parent first.
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub cover: Option<String>,
    pub thumbnail: Option<String>,
    pub draft: Option<bool>,
    pub comments: Option<bool>,
    pub lang: Option<String>,
    pub slug: Option<String>,
    pub permalink: Option<String>,
    /// Every other front-matter key, as JSON, in source order.
    pub extra: Map<String, Value>,
}

/// The front matter as found in the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FrontMatterInfo {
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
    Yaml,
    Toml,
    Json,
    #[default]
    None,
}

/// The format the body was rendered as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyFormat {
    #[default]
    Markdown,
    Html,
}

/// One heading of the outline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// 1 to 6.
    pub level: u8,
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
    pub images: usize,
    pub links: usize,
}

/// An image of the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Image {
    /// Safe URL, resolved against `baseUrl` when one is given.
    pub src: String,
    pub alt: String,
}

/// A problem found in the input, or a change made to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, dotted: `front-matter.invalid-yaml`, `sanitize.removed-element`, …
    pub code: &'static str,
    pub message: String,
    /// 1-based line in the source file, where known.
    pub line: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
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
