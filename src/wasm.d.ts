/** Options of `render`. All optional; an unknown key or a wrong type throws a `TypeError`. */
export interface Options {
  /** How to read the body. Default `"auto"`: from `fileName` and the content. */
  format?: "auto" | "markdown" | "html";
  /** Which site generator's conventions to follow. Default `"auto"`: from the file name, the fences, the front-matter keys and the body's template syntax. */
  generator?: "auto" | "hexo" | "jekyll" | "hugo" | "zola" | "none";
  /** The file's name or path, a hint: `.html` means HTML; Jekyll's `YYYY-MM-DD-slug.md` gives the date and title when the front matter has none. */
  fileName?: string | null;
  /** Absolute http(s) URL that relative links and images resolve against. */
  baseUrl?: string | null;
  /** `"block"` moves image addresses to `data-src` so nothing loads until the host page allows it. Default `"load"`. */
  images?: "load" | "block";
  /** Give every heading an id. Default `true`. */
  headingIds?: boolean;
  /** Prefix of every id and fragment link in the output, against DOM clobbering: ASCII letters, digits, `-`, `_`, not empty. Default `"user-content-"`. */
  idPrefix?: string;
  /** Excerpt length in characters when there is no `<!-- more -->`. Default `200`. */
  excerptLength?: number;
  /** Larger inputs give one error diagnostic instead of a render. Default 32 MiB. */
  maxInputBytes?: number;
  /** Markdown extensions; all on by default except `smartPunctuation`. */
  markdown?: {
    tables?: boolean;
    footnotes?: boolean;
    strikethrough?: boolean;
    taskLists?: boolean;
    headingAttributes?: boolean;
    alerts?: boolean;
    /** `true`, `false`, or `"auto"` (default): on when the front matter says `math`, `mathjax` or `katex` is true; `$$…$$` only for Jekyll. */
    math?: boolean | "auto";
    smartPunctuation?: boolean;
    /** GFM autolink literals (`www.…`, `https://…`, e-mail addresses). Default `true`. */
    autolinks?: boolean;
  };
  /** `<iframe>` embeds: `"link"` (default) makes each a card linking to the embedded page, `"drop"` removes them; a diagnostic either way. */
  embeds?: "link" | "drop";
  /** Template tags (`{% … %}`, `{{< … >}}`, `{{% … %}}`): `"render"` the common ones statically and show the rest as placeholders (default), or leave them all as `"text"`. Never executed. */
  templates?: "render" | "text";
}

/** Any JSON value, as front matter holds them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Normalized metadata: text fields are plain text, URL fields are safe. */
export interface Meta {
  title: string | null;
  author: string | null;
  /** RFC 3339: an instant, a floating local date-time, or a date. */
  date: string | null;
  updated: string | null;
  categories: string[];
  tags: string[];
  description: string | null;
  /** Safe image URL: relative, http(s), or a raster `data:` image (never SVG). */
  cover: string | null;
  /** Same rule as `cover`. */
  thumbnail: string | null;
  draft: boolean | null;
  comments: boolean | null;
  lang: string | null;
  slug: string | null;
  /** Safe link URL: relative, http(s) or `mailto:`. */
  permalink: string | null;
  /**
   * Every other front-matter key, as written, except: a string that is a
   * `javascript:`, `vbscript:` or non-raster `data:` URL is `null`, and
   * `__proto__`, `constructor` and `prototype` keys are dropped (each with a
   * diagnostic). Strings are text, never HTML.
   */
  extra: { [key: string]: Json };
}

export interface TocEntry {
  level: 1 | 2 | 3 | 4 | 5 | 6;
  text: string;
  id: string;
}

export interface Stats {
  characters: number;
  cjkCharacters: number;
  words: number;
  readingMinutes: number;
  images: number;
  links: number;
}

/**
 * Every diagnostic code, generated from `src/diagnostics.rs` (the table of
 * codes, severities and meanings; the README shows it).
 */
// diagnostics:start (generated: UPDATE_DIAGNOSTICS=1 cargo test --lib diagnostics)
export type DiagnosticCode =
  | "input.too-large"
  | "input.encoding"
  | "input.decode-errors"
  | "input.nul-character"
  | "front-matter.invalid-yaml"
  | "front-matter.invalid-toml"
  | "front-matter.invalid-json"
  | "front-matter.too-large"
  | "front-matter.too-deep"
  | "front-matter.not-a-mapping"
  | "front-matter.duplicate-key"
  | "front-matter.yaml-tag-ignored"
  | "front-matter.tab-indent"
  | "dialect.detected"
  | "meta.invalid-date"
  | "meta.unsafe-url"
  | "meta.dropped-key"
  | "body.detected-html"
  | "body.unclosed-raw-text"
  | "embed.linked"
  | "embed.not-https"
  | "embed.dropped"
  | "liquid.unknown-variable"
  | "liquid.unknown-filter"
  | "liquid.unsupported-filter"
  | "liquid.unknown-condition"
  | "liquid.syntax-error"
  | "liquid.unclosed-tag"
  | "liquid.unmatched-tag"
  | "liquid.invalid-link"
  | "liquid.too-many-iterations"
  | "liquid.too-much-output"
  | "liquid.value-too-long"
  | "liquid.too-deep"
  | "liquid.more-problems"
  | "template.unknown-tag"
  | "template.unclosed-tag"
  | "template.unmatched-tag"
  | "template.invalid-tag"
  | "template.unsafe-url"
  | "template.include"
  | "template.more-problems"
  | "template.invalid-arguments"
  | "template.internal-link"
  | "template.inline-shortcode"
  | "markdown.tables-not-rendered"
  | "markdown.table-cells-not-filled"
  | "markdown.long-block-cut"
  | "markdown.unknown-alert-type"
  | "kramdown.invalid-attributes"
  | "kramdown.attributes-dropped"
  | "kramdown.unattached-attributes"
  | "kramdown.unknown-attribute-reference"
  | "kramdown.extension-ignored"
  | "kramdown.unclosed-comment"
  | "goldmark.invalid-attributes"
  | "goldmark.attributes-dropped"
  | "goldmark.unattached-attributes"
  | "input.too-deep"
  | "input.too-much-formatting"
  | "input.too-much-fostering"
  | "input.too-many-attributes"
  | "sanitize.removed-element"
  | "sanitize.unwrapped-element"
  | "sanitize.removed-event-handler"
  | "sanitize.unsafe-url"
  | "outline.not-transliterated";
// diagnostics:end

export interface Diagnostic {
  severity: "error" | "warning" | "info";
  /** Stable and dotted, e.g. `front-matter.invalid-yaml`. */
  code: DiagnosticCode;
  message: string;
  /** 1-based line in the source, when known. */
  line: number | null;
}

/** The result of `render`. */
export interface Rendered {
  meta: Meta;
  /** The site generator whose conventions the file was read with. */
  generator: "hexo" | "jekyll" | "hugo" | "zola" | "none";
  frontMatter: { format: "yaml" | "toml" | "json" | "none"; raw: string | null };
  bodyFormat: "markdown" | "html";
  /** Sanitized HTML fragment, safe to insert. */
  html: string;
  excerpt: string;
  toc: TocEntry[];
  stats: Stats;
  /** The body's images; `src` follows the rule of `meta.cover`. */
  images: { src: string; alt: string }[];
  diagnostics: Diagnostic[];
}
