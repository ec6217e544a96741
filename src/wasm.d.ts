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
  cover: string | null;
  thumbnail: string | null;
  draft: boolean | null;
  comments: boolean | null;
  lang: string | null;
  slug: string | null;
  permalink: string | null;
  /** Every other front-matter key. */
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

export interface Diagnostic {
  severity: "error" | "warning" | "info";
  /** Stable and dotted, e.g. `front-matter.invalid-yaml`. */
  code: string;
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
  images: { src: string; alt: string }[];
  diagnostics: Diagnostic[];
}
