//! Every diagnostic code the library and its CLI emit, with its severity and
//! what it means: the one table of the contract.
//!
//! A code is stable once released and dotted, `area.what-happened`, so a
//! host can match on it. The README's table and the TypeScript union type
//! `DiagnosticCode` of `src/wasm.d.ts` are generated from [`CODES`] (a test
//! checks them; `UPDATE_DIAGNOSTICS=1 cargo test --lib diagnostics`
//! rewrites them), and in debug builds emitting a code that is not here, or
//! at another severity, panics, so every test that meets a new code fails
//! until it is added.
//!
//! Adding a code is one line in [`CODES`].

use crate::rendered::Severity;

/// One diagnostic code: what a host can rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// The code, as in [`Diagnostic::code`](crate::Diagnostic::code).
    pub code: &'static str,
    /// The severity it is always emitted with.
    pub severity: Severity,
    /// What happened, in one sentence.
    pub meaning: &'static str,
}

const fn code(code: &'static str, severity: Severity, meaning: &'static str) -> Code {
    Code {
        code,
        severity,
        meaning,
    }
}

use Severity::{Error, Info, Warning};

/// Every code, grouped by the stage that emits it, in pipeline order.
pub const CODES: &[Code] = &[
    code(
        "input.too-large",
        Error,
        "The file is over `maxInputBytes`; nothing was rendered.",
    ),
    code(
        "input.encoding",
        Info,
        "CLI only: the file was not UTF-8 and was decoded from the encoding named.",
    ),
    code(
        "input.decode-errors",
        Warning,
        "CLI only: some bytes were invalid in the file's encoding and became U+FFFD.",
    ),
    code(
        "input.nul-character",
        Warning,
        "NUL characters were replaced with U+FFFD (at the first one's line).",
    ),
    code(
        "front-matter.invalid-yaml",
        Error,
        "The YAML front matter does not parse; it is kept in `frontMatter.raw`.",
    ),
    code(
        "front-matter.invalid-toml",
        Error,
        "The TOML front matter does not parse; it is kept in `frontMatter.raw`.",
    ),
    code(
        "front-matter.invalid-json",
        Error,
        "The JSON front matter does not parse; it is kept in `frontMatter.raw`.",
    ),
    code(
        "front-matter.too-large",
        Error,
        "YAML aliases expand past the budget (an alias bomb); the front matter was not read.",
    ),
    code(
        "front-matter.too-deep",
        Error,
        "The front matter nests deeper than 64 levels; it was not read.",
    ),
    code(
        "front-matter.not-a-mapping",
        Warning,
        "The front matter is not `key: value` pairs; it is kept in `frontMatter.raw`.",
    ),
    code(
        "front-matter.duplicate-key",
        Warning,
        "A key appears twice; the last value wins.",
    ),
    code(
        "front-matter.yaml-tag-ignored",
        Warning,
        "A YAML tag (`!!binary`, `!custom`) was ignored and the value read as plain data.",
    ),
    code(
        "front-matter.tab-indent",
        Info,
        "The YAML front matter is indented with tabs; each was read as two spaces, as Hexo reads it.",
    ),
    code(
        "dialect.detected",
        Info,
        "The generator whose conventions the file was read with, and why.",
    ),
    code(
        "meta.invalid-date",
        Warning,
        "A date field could not be read as a date; it was left out.",
    ),
    code(
        "meta.unsafe-url",
        Warning,
        "A cover, thumbnail or permalink URL is not safe and was left out, or a `meta.extra` value a browser would run or load (`javascript:`, non-image `data:`) became `null`; the message names the key path.",
    ),
    code(
        "meta.dropped-key",
        Warning,
        "A `__proto__`, `constructor` or `prototype` key was dropped from `meta.extra` (prototype pollution in hosts that merge it).",
    ),
    code(
        "body.detected-html",
        Info,
        "`format: auto` read the body as HTML (at the line that decided it).",
    ),
    code(
        "body.unclosed-raw-text",
        Info,
        "A raw-text start tag (`<title>`, `<style>`, `<textarea>`…) whose end tag never comes was shown as text, so the text after it is kept.",
    ),
    code(
        "embed.linked",
        Info,
        "An `<iframe>` embed became a card linking to the embedded page (`embeds: link`).",
    ),
    code(
        "embed.not-https",
        Warning,
        "An `<iframe>` embed has no https address, so its card has no link.",
    ),
    code(
        "embed.dropped",
        Warning,
        "An `<iframe>` embed was removed (`embeds: drop`).",
    ),
    code(
        "liquid.unknown-variable",
        Warning,
        "A Liquid variable needs the site (site data, a layout's or include's variable) or was never assigned; it is shown as a placeholder.",
    ),
    code(
        "liquid.unknown-filter",
        Warning,
        "A Liquid filter that neither Liquid nor Jekyll defines; the output is shown as a placeholder.",
    ),
    code(
        "liquid.unsupported-filter",
        Warning,
        "A Liquid filter this renderer cannot apply here (a date it cannot read, `now`, a strftime format it lacks); shown as a placeholder.",
    ),
    code(
        "liquid.unknown-condition",
        Warning,
        "An `if`/`case`/`for` on data only the site has: its tags are shown as placeholders and every branch is shown.",
    ),
    code(
        "liquid.syntax-error",
        Warning,
        "A Liquid tag or output that does not parse; it is shown as a placeholder (as written inside code).",
    ),
    code(
        "liquid.unclosed-tag",
        Warning,
        "A Liquid block tag (`if`, `for`, `capture`, `raw`…) has no end tag; it is shown as a placeholder.",
    ),
    code(
        "liquid.unmatched-tag",
        Warning,
        "A Liquid end tag closes no open block; it is shown as a placeholder.",
    ),
    code(
        "liquid.invalid-link",
        Warning,
        "`{% link %}` or `{% post_url %}` names no file it can read; shown as a placeholder.",
    ),
    code(
        "liquid.too-many-iterations",
        Warning,
        "Liquid loops went past 10,000 iterations (or the evaluation budget); the rest was not evaluated.",
    ),
    code(
        "liquid.too-much-output",
        Warning,
        "Liquid wrote more than 1 MiB beyond the body; the rest was not evaluated.",
    ),
    code(
        "liquid.value-too-long",
        Warning,
        "A Liquid value grew past 64 KiB; it was cut.",
    ),
    code(
        "liquid.too-deep",
        Warning,
        "Liquid blocks nest deeper than 64 levels; the deeper ones were not evaluated.",
    ),
    code(
        "liquid.more-problems",
        Info,
        "More Liquid problems than are listed individually; counted here.",
    ),
    code(
        "template.unknown-tag",
        Warning,
        "A template tag or shortcode the renderer does not know was removed.",
    ),
    code(
        "template.unclosed-tag",
        Warning,
        "A template tag that needs an end tag has none; its content was kept.",
    ),
    code(
        "template.unmatched-tag",
        Warning,
        "An end tag closes no open template tag; it was removed.",
    ),
    code(
        "template.invalid-tag",
        Warning,
        "A known template tag has arguments it cannot use; it was removed.",
    ),
    code(
        "template.unsafe-url",
        Warning,
        "A template tag's URL is not safe; the tag was rendered without it.",
    ),
    code(
        "template.include",
        Info,
        "A tag that includes another file was removed: files are never read.",
    ),
    code(
        "template.more-problems",
        Info,
        "More template problems than are listed individually; counted here.",
    ),
    code(
        "template.invalid-arguments",
        Warning,
        "A Zola shortcode's arguments do not parse; it is shown as a placeholder.",
    ),
    code(
        "template.internal-link",
        Warning,
        "A Zola `@/` internal link needs `baseUrl` to become an address; its text was kept without the link.",
    ),
    code(
        "template.inline-shortcode",
        Info,
        "A Hugo `name.inline` shortcode holds template code for the site, not text; it is shown as one placeholder.",
    ),
    code(
        "markdown.tables-not-rendered",
        Warning,
        "Tables over the cell budget were left as text.",
    ),
    code(
        "markdown.table-cells-not-filled",
        Warning,
        "Short table rows past the budget were left short, not padded with empty cells.",
    ),
    code(
        "markdown.long-block-cut",
        Warning,
        "Half a million lines without a blank one were read in pieces, to keep the parser's memory bounded; each piece shows as blocks of its own.",
    ),
    code(
        "markdown.unknown-alert-type",
        Info,
        "`> [!TYPE]` names no alert type GitHub or Obsidian knows; the quote is shown as written.",
    ),
    code(
        "kramdown.invalid-attributes",
        Warning,
        "A kramdown attribute list `{: …}` could not be read; it was left out.",
    ),
    code(
        "kramdown.attributes-dropped",
        Info,
        "Attributes of a kramdown attribute list that the policy does not keep (or that have no element to go on) were left out.",
    ),
    code(
        "kramdown.unattached-attributes",
        Info,
        "A kramdown attribute list follows no element it can apply to; it was left out.",
    ),
    code(
        "kramdown.unknown-attribute-reference",
        Warning,
        "A kramdown attribute list refers to a name no `{:name: …}` defines; the name was ignored.",
    ),
    code(
        "kramdown.extension-ignored",
        Info,
        "A kramdown extension (`{::options /}` …) has no effect here; it was left out.",
    ),
    code(
        "kramdown.unclosed-comment",
        Warning,
        "A `{::comment}` has no `{:/comment}`; nothing was hidden.",
    ),
    code(
        "goldmark.invalid-attributes",
        Warning,
        "A goldmark attribute list `{.class #id}` could not be read; it was left out.",
    ),
    code(
        "goldmark.attributes-dropped",
        Info,
        "Attributes of a goldmark attribute list that the policy does not keep were left out.",
    ),
    code(
        "goldmark.unattached-attributes",
        Info,
        "A goldmark attribute list follows no block it can apply to; it was left out.",
    ),
    code(
        "input.too-deep",
        Warning,
        "HTML nested past the depth limit was flattened; its text was kept.",
    ),
    code(
        "input.too-much-formatting",
        Warning,
        "Formatting elements left open past the limit were closed; their text was kept.",
    ),
    code(
        "input.too-much-fostering",
        Warning,
        "Content misplaced in tables past the limit follows its table, closed before it; see the message.",
    ),
    code(
        "input.too-many-attributes",
        Warning,
        "Attributes past the limit on one tag were removed; see the message.",
    ),
    code(
        "sanitize.removed-element",
        Warning,
        "Elements the policy does not allow were removed with their content.",
    ),
    code(
        "sanitize.unwrapped-element",
        Info,
        "Elements the policy does not allow were removed, their content kept.",
    ),
    code(
        "sanitize.removed-event-handler",
        Warning,
        "Event-handler attributes (`onclick`, …) were removed.",
    ),
    code(
        "sanitize.unsafe-url",
        Warning,
        "`href`/`src` values with an unsafe scheme were removed.",
    ),
    code(
        "outline.not-transliterated",
        Warning,
        "Zola writes heading ids in ASCII, transliterating every other letter; this build had no transliterator (the wasm package before `loadTransliterator()`), so such ids keep their letters and Zola's links to them do not resolve.",
    ),
];

/// The entry of `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|entry| entry.code == code)
}

/// The README's table of the codes (between its `diagnostics` markers).
pub fn markdown_table() -> String {
    let mut out = String::from("| code | severity | meaning |\n|---|---|---|\n");
    for entry in CODES {
        out += &format!(
            "| `{}` | {} | {} |\n",
            entry.code,
            severity_name(entry.severity),
            entry.meaning.replace('|', "\\|")
        );
    }
    out
}

/// The TypeScript union of the codes, for `src/wasm.d.ts`.
pub fn typescript_union() -> String {
    let mut out = String::from("export type DiagnosticCode =\n");
    for (i, entry) in CODES.iter().enumerate() {
        let end = if i + 1 == CODES.len() { ";" } else { "" };
        out += &format!("  | \"{}\"{end}\n", entry.code);
    }
    out
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Error => "error",
        Warning => "warning",
        Info => "info",
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    const START: &str = "diagnostics:start";
    const END: &str = "diagnostics:end";

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// The text between the marker lines of `file`, replaced by `generated`
    /// when `UPDATE_DIAGNOSTICS=1`; fails when it differs.
    fn check_generated(file: &str, generated: &str) {
        let path = root().join(file);
        let text = std::fs::read_to_string(&path).expect("the file exists");
        let start = text.find(START).expect("the start marker");
        let start = start + text[start..].find('\n').expect("a line after it") + 1;
        let end = start + text[start..].find(END).expect("the end marker");
        let end = text[..end].rfind('\n').map_or(start, |i| i + 1);
        if std::env::var_os("UPDATE_DIAGNOSTICS").is_some_and(|v| v == "1") {
            let updated = format!("{}{generated}{}", &text[..start], &text[end..]);
            std::fs::write(&path, updated).expect("the file can be written");
            return;
        }
        assert!(
            text[start..end] == *generated,
            "{file} is not generated from src/diagnostics.rs CODES; run \
             `UPDATE_DIAGNOSTICS=1 cargo test --lib diagnostics` and review the diff.\n\
             expected:\n{generated}\nfound:\n{}",
            &text[start..end]
        );
    }

    #[test]
    fn readme_table_is_generated_from_the_codes() {
        check_generated("README.md", &markdown_table());
    }

    #[test]
    fn typescript_union_is_generated_from_the_codes() {
        check_generated("src/wasm.d.ts", &typescript_union());
    }

    #[test]
    fn codes_are_dotted_unique_and_explained() {
        let mut seen = std::collections::HashSet::new();
        for entry in CODES {
            let (area, what) = entry.code.split_once('.').expect("dotted");
            let word = |s: &str| {
                !s.is_empty()
                    && s.split('-').all(|part| {
                        !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase())
                    })
            };
            assert!(
                word(area) && word(what),
                "`area.what-happened`: {}",
                entry.code
            );
            assert!(seen.insert(entry.code), "listed twice: {}", entry.code);
            assert!(entry.meaning.ends_with('.'), "a sentence: {}", entry.code);
        }
    }

    fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src can be listed") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                rust_files(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }

    /// Every string in `src/` shaped like a code of a known area is in the
    /// table, and every code of the table is still emitted somewhere.
    #[test]
    fn the_table_and_the_source_agree() {
        let areas: std::collections::HashSet<&str> = CODES
            .iter()
            .map(|entry| entry.code.split_once('.').expect("dotted").0)
            .collect();
        // Option key paths (`markdown.tables`) are shaped like codes too.
        let options = serde_json::to_value(crate::Options::default()).expect("serializes");
        let mut files = Vec::new();
        rust_files(&root().join("src"), &mut files);
        let mut used = std::collections::HashSet::new();
        for file in files.iter().filter(|f| !f.ends_with("diagnostics.rs")) {
            let text = std::fs::read_to_string(file).expect("UTF-8 source");
            for area in &areas {
                let opening = format!("\"{area}.");
                for (at, _) in text.match_indices(&opening) {
                    let rest = &text[at + 1..];
                    let literal = &rest[..rest.find('"').unwrap_or(rest.len())];
                    let what = &literal[area.len() + 1..];
                    let option_key = options
                        .get(*area)
                        .is_some_and(|group| group.get(what).is_some());
                    if option_key
                        || what.is_empty()
                        || !what.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                    {
                        continue;
                    }
                    assert!(
                        lookup(literal).is_some(),
                        "{}: {literal:?} is not in src/diagnostics.rs CODES",
                        file.display()
                    );
                    used.insert(literal.to_owned());
                }
            }
        }
        for entry in CODES {
            assert!(
                used.contains(entry.code),
                "{} is in the table but nothing in src/ emits it",
                entry.code
            );
        }
    }
}

/// A diagnostic found while rendering Markdown, at a byte of the body; the
/// caller turns the byte into a line of the file.
#[derive(Debug)]
pub(crate) struct Note {
    pub(crate) severity: Severity,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// Byte offset in the (prepared) Markdown source.
    pub(crate) at: usize,
}

impl Note {
    pub(crate) fn info(code: &'static str, message: String, at: usize) -> Note {
        Note {
            severity: Severity::Info,
            code,
            message,
            at,
        }
    }

    pub(crate) fn warn(code: &'static str, message: String, at: usize) -> Note {
        Note {
            severity: Severity::Warning,
            code,
            message,
            at,
        }
    }
}
/// A stage's diagnostics grouped by code and message, each counted and at
/// the line of its first occurrence, at most `limit` of them; the rest are
/// counted in one info with `more_code`. For stages that find the same
/// problem many times (Liquid, template tags).
pub(crate) struct Grouped {
    entries: Vec<(Severity, &'static str, String, usize, usize)>,
    index: std::collections::HashMap<(&'static str, String), usize>,
    more: usize,
    limit: usize,
    more_code: &'static str,
    /// What the problems were with, for the message of `more_code`.
    what: &'static str,
}

impl Grouped {
    pub(crate) fn new(limit: usize, more_code: &'static str, what: &'static str) -> Grouped {
        Grouped {
            entries: Vec::new(),
            index: std::collections::HashMap::new(),
            more: 0,
            limit,
            more_code,
            what,
        }
    }

    /// One occurrence, at a line of the file.
    pub(crate) fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: String,
        line: usize,
    ) {
        if let Some(&i) = self.index.get(&(code, message.clone())) {
            self.entries[i].3 += 1;
        } else if self.entries.len() < self.limit {
            self.index
                .insert((code, message.clone()), self.entries.len());
            self.entries.push((severity, code, message, 1, line));
        } else {
            self.more += 1;
        }
    }

    /// Writes them out, with how many times each happened.
    pub(crate) fn finish(self, diagnostics: &mut crate::rendered::Diagnostics) {
        for (severity, code, message, count, line) in self.entries {
            let times = if count > 1 {
                format!(" ({count} times)")
            } else {
                String::new()
            };
            diagnostics.push(severity, code, format!("{message}{times}."), Some(line));
        }
        if self.more > 0 {
            diagnostics.info(
                self.more_code,
                format!(
                    "{} more problems with {} were not listed.",
                    self.more, self.what
                ),
                None,
            );
        }
    }
}
