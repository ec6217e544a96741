// The attack corpus and its option variants, read the way the Rust tests read
// them (tests/common/cases.rs): `=== <id>` starts a case, every line after it
// up to the next header is the article file, and a case whose header says
// `escaped` may write `\u{HEX}`, `\repeat{N}{text}` and `\\`.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

/** Every case of every `*.txt` file in `dir`, in file then case order. */
export function load(dir) {
  const files = readdirSync(dir).filter((name) => name.endsWith(".txt")).sort();
  return files.flatMap((name) => parse(basename(name, ".txt"), readFileSync(join(dir, name), "utf8")));
}

/** The cases of one category file. */
export function parse(category, text) {
  const cases = [];
  // Lines keep their line break, as `split_inclusive('\n')` does.
  for (const line of text.match(/[^\n]*\n|[^\n]+$/g) ?? []) {
    if (line.startsWith("=== ")) {
      const [id, flag, ...rest] = line.slice(4).trim().split(/\s+/);
      if (!id) throw new Error(`${category}: a case without an id`);
      if ((flag !== undefined && flag !== "escaped") || rest.length) {
        throw new Error(`${category}/${id}: unknown flag ${JSON.stringify(flag)}`);
      }
      if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`${category}/${id}: ids are lowercase letters, digits and \`-\``);
      cases.push({ category, id, escaped: flag === "escaped", lines: [] });
    } else if (cases.length) {
      cases.at(-1).lines.push(line);
    }
  }
  return cases.map(({ category, id, escaped, lines }) => {
    const raw = lines.join("");
    try {
      return { category, id, source: escaped ? unescape(raw) : raw };
    } catch (error) {
      throw new Error(`${category}/${id}: ${error.message}`);
    }
  });
}

/** Decodes the escapes of an `escaped` case. */
export function unescape(text) {
  let out = "";
  let rest = text;
  for (let at; (at = rest.indexOf("\\")) >= 0; ) {
    out += rest.slice(0, at);
    rest = rest.slice(at + 1);
    if (rest.startsWith("u{")) {
      const end = rest.indexOf("}");
      if (end < 0) throw new Error("`\\u{` without `}`");
      const hex = rest.slice(2, end);
      const code = /^[0-9A-Fa-f]+$/.test(hex) ? parseInt(hex, 16) : NaN;
      // A lone surrogate is no character (Rust's char::from_u32 refuses it).
      if (!(code <= 0x10ffff) || (code >= 0xd800 && code <= 0xdfff)) throw new Error(`bad \\u{${hex}}`);
      out += String.fromCodePoint(code);
      rest = rest.slice(end + 1);
    } else if (rest.startsWith("repeat{")) {
      const after = rest.slice("repeat{".length);
      const end = after.indexOf("}{");
      if (end < 0) throw new Error("`\\repeat{N}` without `{text}`");
      if (!/^\d+$/.test(after.slice(0, end))) throw new Error(`bad repeat count: ${after.slice(0, end)}`);
      const body = after.slice(end + 2);
      const close = body.indexOf("}");
      if (close < 0) throw new Error("`\\repeat{N}{` without `}`");
      out += body.slice(0, close).repeat(Number(after.slice(0, end)));
      rest = body.slice(close + 1);
    } else if (rest.startsWith("\\")) {
      out += "\\";
      rest = rest.slice(1);
    } else {
      throw new Error(`unknown escape at ${JSON.stringify(rest.slice(0, 10))}`);
    }
  }
  return out + rest;
}

/**
 * The option variants of `cases::variants()` (the defaults, each body format
 * forced, a base URL with images blocked, another id prefix with the
 * Markdown extensions off), as the JavaScript options they are, and the
 * page's own defaults (www/app.js: format "auto", images "block").
 */
export const variants = [
  ["default", {}],
  ["html", { format: "html" }],
  ["markdown", { format: "markdown" }],
  ["base+block", { baseUrl: "https://blog.example/posts/a/", images: "block" }],
  [
    "prefix+plain",
    {
      idPrefix: "art-",
      headingIds: false,
      markdown: {
        tables: false,
        footnotes: false,
        strikethrough: false,
        taskLists: false,
        headingAttributes: false,
        alerts: false,
        math: false,
        smartPunctuation: true,
      },
    },
  ],
  ["page", { format: "auto", images: "block" }],
];

/** The parser's own checks, the same as the Rust unit tests of cases.rs. */
export function selfCheck() {
  const decoded = unescape(String.raw`a\u{0}b\u{FEFF}\repeat{3}{<i>}\\u`);
  if (decoded !== "a\0b\uFEFF<i><i><i>\\u") throw new Error(`escapes decode wrongly: ${JSON.stringify(decoded)}`);
  let refused = false;
  try {
    unescape(String.raw`\q`);
  } catch {
    refused = true;
  }
  if (!refused) throw new Error("an unknown escape is not refused");
  const split = parse("x", "about the file\n=== one\nline 1\n\nline 3\n=== two escaped\n\\u{41}\n");
  const read = JSON.stringify(split.map((c) => [c.id, c.source]));
  if (read !== JSON.stringify([["one", "line 1\n\nline 3\n"], ["two", "A\n"]])) throw new Error(`cases split wrongly: ${read}`);
}
