//! `article-render`: renders article files to JSON or safe HTML. A thin shell
//! over the library: it reads and decodes files, calls
//! [`render_with_options`], and writes the result.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use article_render::decode::{Decoded, decode};
use article_render::{Diagnostic, Options, Rendered, Severity, render_with_options};
use clap::{
    Arg, ArgAction, ArgGroup, ArgMatches, CommandFactory, FromArgMatches, Parser, error::ErrorKind,
};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

/// Extensions taken when walking a directory; a file named on the command
/// line is taken whatever its extension.
const EXTENSIONS: [&str; 6] = ["md", "markdown", "mdown", "html", "htm", "txt"];

/// Every field of the library's `Options` as a flag: its JSON key (a path
/// for nested ones), the value's name and the help line. The flag is the key
/// in kebab-case, `.` as `-` (`markdown.taskLists` is
/// `--markdown-task-lists`); its value is read as the default's JSON type
/// (true/false, a number, or text), and the library's own deserializer
/// checks it. A test fails when a field of `Options::default()` has no line
/// here, so a new option is one line.
const OPTION_FLAGS: &[(&str, &str, &str)] = &[
    (
        "format",
        "auto|markdown|html",
        "How to read the body; `auto` looks at the file name and the content",
    ),
    (
        "generator",
        "auto|hexo|jekyll|hugo|zola|none",
        "Which site generator's conventions to follow; `auto` detects it",
    ),
    (
        "fileName",
        "NAME",
        "The file name the library sees (default: each input's own name)",
    ),
    (
        "baseUrl",
        "URL",
        "Absolute http(s) URL that relative links and images resolve against",
    ),
    (
        "images",
        "load|block",
        "`block` moves image addresses to data-src so nothing loads",
    ),
    (
        "headingIds",
        "BOOL",
        "Give every heading an id (default true)",
    ),
    (
        "idPrefix",
        "PREFIX",
        "Prefix of every id in the output (default user-content-)",
    ),
    (
        "excerptLength",
        "CHARS",
        "Excerpt length when the article has no <!-- more --> (default 200)",
    ),
    (
        "maxInputBytes",
        "BYTES",
        "Larger inputs give one error instead of a rendering (default 32 MiB)",
    ),
    (
        "templates",
        "render|text",
        "Template tags and shortcodes rendered statically, or left as text",
    ),
    ("markdown.tables", "BOOL", "GFM tables (default true)"),
    ("markdown.footnotes", "BOOL", "Footnotes (default true)"),
    (
        "markdown.strikethrough",
        "BOOL",
        "~~strikethrough~~ (default true)",
    ),
    (
        "markdown.taskLists",
        "BOOL",
        "- [x] task lists (default true)",
    ),
    (
        "markdown.headingAttributes",
        "BOOL",
        "# Heading {#id .class} (default true)",
    ),
    (
        "markdown.alerts",
        "BOOL",
        "GFM alerts > [!NOTE] (default true)",
    ),
    (
        "markdown.math",
        "true|false|auto",
        "$math$, \\(…\\) kept as TeX in <span class=math>; auto: when the front matter or dialect says (default auto)",
    ),
    (
        "markdown.autolinks",
        "BOOL",
        "GFM autolink literals: bare URLs and e-mail addresses (default true)",
    ),
    (
        "embeds",
        "link|drop",
        "<iframe> embeds as cards linking to the embedded page, or dropped (default link)",
    ),
    (
        "markdown.smartPunctuation",
        "BOOL",
        "Curly quotes and dashes (default false)",
    ),
];

/// `markdown.taskLists` → `markdown-task-lists`.
fn flag_name(key: &str) -> String {
    let mut flag = String::new();
    for c in key.chars() {
        match c {
            '.' => flag.push('-'),
            c if c.is_ascii_uppercase() => {
                flag.push('-');
                flag.push(c.to_ascii_lowercase());
            }
            c => flag.push(c),
        }
    }
    flag
}

/// The default value at a key path of `Options::default()`, as JSON.
fn default_at(key: &str) -> Value {
    let mut value = serde_json::to_value(Options::default()).expect("Options serialize");
    for part in key.split('.') {
        value = value.get(part).cloned().unwrap_or(Value::Null);
    }
    value
}

/// The clap arguments of [`OPTION_FLAGS`]. A boolean takes `--flag` or
/// `--flag=false` (with `=`, so that the next input is never taken as its
/// value).
fn option_args() -> Vec<Arg> {
    OPTION_FLAGS
        .iter()
        .map(|&(key, value_name, help)| {
            let arg = Arg::new(key)
                .long(flag_name(key))
                .value_name(value_name)
                .help(help)
                .help_heading("Options of the library (the JSON keys in kebab-case)")
                .action(ArgAction::Set);
            // A bare flag means true for a boolean option, and for one that
            // takes a word or a flag (`--markdown-math`).
            let takes_bool = default_at(key).is_boolean()
                || serde_json::from_value::<Options>(nest(key, Value::Bool(true))).is_ok();
            if takes_bool {
                arg.num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true")
            } else {
                arg
            }
        })
        .collect()
}

/// The options: the `--options` file, then each flag over it, checked by
/// the library's deserializer key by key so that an error names its flag.
fn options_from(file: Option<&Path>, matches: &ArgMatches) -> Result<Options, String> {
    let mut object = match file {
        None => Map::new(),
        Some(path) => {
            let text = fs::read_to_string(path)
                .map_err(|error| format!("--options {}: {error}", path.display()))?;
            let options: Options = serde_json::from_str(&text)
                .map_err(|error| format!("--options {}: {error}", path.display()))?;
            let Value::Object(object) = serde_json::to_value(options).expect("Options serialize")
            else {
                unreachable!("Options serialize to an object")
            };
            object
        }
    };
    for &(key, _, _) in OPTION_FLAGS {
        let Some(text) = matches.get_one::<String>(key) else {
            continue;
        };
        let value = match default_at(key) {
            Value::Bool(_) if text == "true" || text == "false" => Value::Bool(text == "true"),
            Value::Number(_) => text
                .parse::<u64>()
                .map_or_else(|_| Value::String(text.clone()), Value::from),
            // An option that takes a word or a flag (`markdown.math`).
            Value::String(_)
                if (text == "true" || text == "false")
                    && serde_json::from_value::<Options>(nest(
                        key,
                        Value::Bool(text == "true"),
                    ))
                    .is_ok() =>
            {
                Value::Bool(text == "true")
            }
            _ => Value::String(text.clone()),
        };
        let alone = nest(key, value.clone());
        if let Err(error) = serde_json::from_value::<Options>(alone) {
            return Err(format!("--{} {text}: {error}", flag_name(key)));
        }
        let mut target = &mut object;
        let mut parts = key.split('.').peekable();
        while let Some(part) = parts.next() {
            if parts.peek().is_none() {
                target.insert(part.to_owned(), value.clone());
            } else {
                let inner = target
                    .entry(part)
                    .or_insert_with(|| Value::Object(Map::new()));
                target = inner.as_object_mut().expect("an option group is an object");
            }
        }
    }
    serde_json::from_value(Value::Object(object)).map_err(|error| error.to_string())
}

/// `{"markdown": {"math": value}}` for `markdown.math`.
fn nest(key: &str, value: Value) -> Value {
    key.rsplit('.')
        .fold(value, |inner, part| json!({ part: inner }))
}

/// Render untrusted article files (front matter + Markdown or raw HTML) into
/// safe HTML and clean metadata.
#[derive(Parser)]
#[command(version, group(ArgGroup::new("output").args(["json", "html", "document"])))]
#[command(after_help = "\
One input prints to stdout. Several inputs or a directory print JSON Lines
({\"path\", \"rendered\"} or {\"path\", \"error\"} per file, in input order), or with
--out write one file per input. Directories are walked recursively for .md,
.markdown, .mdown, .html, .htm and .txt files; hidden entries are skipped.
Files are rendered in parallel on every core (RAYON_NUM_THREADS=N to limit).

Every option of the library has a flag; --options FILE.json reads them as a
JavaScript caller passes them ({\"images\": \"block\", \"markdown\": {\"math\": false}}),
and flags override the file.

Exit status: 0 on success, 1 when a file could not be read or written,
2 for invalid usage.

Examples:
  article-render post.md
  article-render --document post.md > post.html
  article-render --html --out public/ source/_posts/
  article-render --images block --markdown-math=false post.md
  curl -s https://example.com/feed-item.md | article-render --html --file-name item.md -")]
struct Cli {
    /// Print the full result as JSON (the default)
    #[arg(long)]
    json: bool,
    /// Print only the sanitized HTML fragment
    #[arg(long)]
    html: bool,
    /// Print a standalone HTML document with a strict Content-Security-Policy
    #[arg(long)]
    document: bool,
    /// Read the library's options from a JSON file (flags override it)
    #[arg(long, value_name = "FILE.json")]
    options: Option<PathBuf>,
    /// Write one output per input into DIR (.json or .html), keeping the
    /// directory structure
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Files or directories to render; `-` (the default) reads stdin
    #[arg(value_name = "FILE|DIR|-", default_value = "-")]
    inputs: Vec<PathBuf>,
}

/// The command line: [`Cli`] and the flags of [`OPTION_FLAGS`].
fn command() -> clap::Command {
    Cli::command().args(option_args())
}

/// Where results go: one result to stdout, JSON Lines to stdout, or files.
enum Mode {
    Print,
    JsonLines,
    Files(PathBuf),
}

#[derive(Clone, Copy, PartialEq)]
enum Output {
    Json,
    Html,
    Document,
}

/// One article to render.
struct Input {
    /// Where to read it; `-` is stdin.
    path: PathBuf,
    /// Its path under `--out`, before the extension changes.
    relative: PathBuf,
}

fn main() -> ExitCode {
    let matches = command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let options = match options_from(cli.options.as_deref(), &matches) {
        Ok(options) => options,
        Err(error) => {
            eprintln!("article-render: {error}");
            return ExitCode::from(2);
        }
    };
    match run(cli, options) {
        Ok(code) => code,
        // `| head` closed the pipe: the reader has what it wanted.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("article-render: stdout: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Renders every input; `Err` only when stdout fails.
fn run(cli: Cli, options: Options) -> io::Result<ExitCode> {
    let output = match (cli.html, cli.document) {
        (true, _) => Output::Html,
        (_, true) => Output::Document,
        _ => Output::Json,
    };
    // The library checks options on every call; one empty render up front
    // makes a bad option a usage error before any output.
    if let Err(error) = render_with_options("", &options) {
        eprintln!("article-render: {error}");
        return Ok(ExitCode::from(2));
    }
    let single = cli.inputs.len() == 1 && !cli.inputs[0].is_dir();
    let mode = match cli.out {
        Some(_) if cli.inputs.iter().any(|path| path == Path::new("-")) => {
            usage_error("`-` (stdin) cannot be written to --out; redirect stdout instead")
        }
        Some(out) => Mode::Files(out),
        None if single => Mode::Print,
        None if output != Output::Json => {
            usage_error("--html and --document with several inputs need --out DIR")
        }
        None => Mode::JsonLines,
    };

    let (inputs, mut failed) = collect(cli.inputs);
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let mut written = HashSet::new();
    // Rendered in parallel a batch at a time, written in input order: the
    // output is the same as one file after another, and memory holds one
    // batch of results, not the whole folder's.
    let batch = rayon::current_num_threads() * 16;
    for inputs in inputs.chunks(batch) {
        let results: Vec<io::Result<String>> = inputs
            .par_iter()
            .map(|input| {
                let bytes = read(&input.path)?;
                let rendered = render(&input.path, &bytes, &options);
                Ok(match mode {
                    Mode::JsonLines => {
                        let path = input.path.to_string_lossy();
                        format!("{}\n", json!({ "path": path, "rendered": rendered }))
                    }
                    Mode::Print | Mode::Files(_) => format(&rendered, output),
                })
            })
            .collect();
        for (input, result) in inputs.iter().zip(results) {
            match (result, &mode) {
                (Err(error), mode) => {
                    failed = true;
                    report(&input.path, &error);
                    if let Mode::JsonLines = mode {
                        let path = input.path.to_string_lossy();
                        let line = json!({ "path": path, "error": error.to_string() });
                        writeln!(stdout, "{line}")?;
                    }
                }
                (Ok(content), Mode::Print | Mode::JsonLines) => {
                    stdout.write_all(content.as_bytes())?;
                }
                (Ok(content), Mode::Files(out)) => {
                    if let Err(error) = write_out(out, input, &content, output, &mut written) {
                        failed = true;
                        report(&input.path, &error);
                    }
                }
            }
        }
    }
    stdout.flush()?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Expands directories into the article files under them; `true` when one
/// could not be listed.
fn collect(paths: Vec<PathBuf>) -> (Vec<Input>, bool) {
    let (mut inputs, mut failed) = (Vec::new(), false);
    for path in paths {
        if path.is_dir() {
            walk(&path, &path, &mut inputs, &mut failed);
        } else {
            let relative = PathBuf::from(path.file_name().unwrap_or(path.as_os_str()));
            inputs.push(Input { path, relative });
        }
    }
    (inputs, failed)
}

/// Exits with status 2 and clap's usage message, like clap's own errors.
fn usage_error(message: &str) -> ! {
    command().error(ErrorKind::ArgumentConflict, message).exit()
}

fn report(path: &Path, error: &dyn std::fmt::Display) {
    eprintln!("article-render: {}: {error}", path.display());
}

/// Collects the article files under `dir`, sorted so output is deterministic.
fn walk(root: &Path, dir: &Path, inputs: &mut Vec<Input>, failed: &mut bool) {
    let entries =
        match fs::read_dir(dir).and_then(|entries| entries.collect::<io::Result<Vec<_>>>()) {
            Ok(entries) => entries,
            Err(error) => {
                *failed = true;
                return report(dir, &error);
            }
        };
    let mut paths: Vec<PathBuf> = entries
        .iter()
        .filter(|entry| !entry.file_name().to_string_lossy().starts_with('.'))
        .map(|entry| entry.path())
        .collect();
    paths.sort();
    for path in paths {
        // `symlink_metadata`: a linked directory could loop forever.
        if fs::symlink_metadata(&path).is_ok_and(|meta| meta.is_dir()) {
            walk(root, &path, inputs, failed);
        } else if path.is_file() && has_article_extension(&path) {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            inputs.push(Input { path, relative });
        }
    }
}

fn has_article_extension(path: &Path) -> bool {
    let extension = path.extension().unwrap_or_default().to_string_lossy();
    EXTENSIONS.iter().any(|e| extension.eq_ignore_ascii_case(e))
}

fn read(path: &Path) -> io::Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        io::stdin().lock().read_to_end(&mut bytes)?;
        Ok(bytes)
    } else {
        fs::read(path)
    }
}

/// Decodes and renders one file; its path as given tells `auto` that `.html` is HTML and which generator it is for (`source/_posts/`, `content/`).
fn render(path: &Path, bytes: &[u8], options: &Options) -> Rendered {
    let decoded = decode(bytes);
    let options = Options {
        // `--file-name` wins; stdin has no name of its own. A file's path is
        // passed as given, folders included: `_posts/` and `source/_posts/`
        // tell Jekyll from Hexo.
        file_name: options
            .file_name
            .clone()
            .or_else(|| (path != Path::new("-")).then(|| path.to_string_lossy().into_owned())),
        ..options.clone()
    };
    let mut rendered =
        render_with_options(&decoded.text, &options).expect("the options were checked in `run`");
    // Decoding came before everything the library reports, so it is listed first.
    rendered
        .diagnostics
        .splice(0..0, decoding_diagnostics(&decoded));
    rendered
}

fn decoding_diagnostics(decoded: &Decoded) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let encoding = decoded.encoding;
    if encoding != "UTF-8" {
        diagnostics.push(Diagnostic {
            severity: Severity::Info,
            code: "input.encoding",
            message: format!("Decoded from {encoding}."),
            line: None,
        });
    }
    if decoded.had_errors {
        diagnostics.push(Diagnostic {
            severity: Severity::Warning,
            code: "input.decode-errors",
            message: format!(
                "Some bytes are not valid {encoding}; they were replaced with U+FFFD."
            ),
            line: None,
        });
    }
    // The library checks its own codes against the table; these are the CLI's.
    for diagnostic in &diagnostics {
        debug_assert!(
            article_render::diagnostics::lookup(diagnostic.code)
                .is_some_and(|entry| entry.severity == diagnostic.severity),
            "{} is not in src/diagnostics.rs at its severity",
            diagnostic.code
        );
    }
    diagnostics
}

fn format(rendered: &Rendered, output: Output) -> String {
    match output {
        Output::Json => {
            serde_json::to_string_pretty(rendered).expect("`Rendered` serializes") + "\n"
        }
        Output::Html if rendered.html.ends_with('\n') => rendered.html.clone(),
        Output::Html => format!("{}\n", rendered.html),
        Output::Document => document(rendered),
    }
}

/// Writes `content` to `out/<relative path>.json|.html`, refusing to
/// overwrite an input or another input's output.
fn write_out(
    out: &Path,
    input: &Input,
    content: &str,
    output: Output,
    written: &mut HashSet<PathBuf>,
) -> io::Result<()> {
    let extension = if output == Output::Json {
        "json"
    } else {
        "html"
    };
    let target = out.join(&input.relative).with_extension(extension);
    if !written.insert(target.clone()) {
        let message = format!("{} was already written for another input", target.display());
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
    }
    if let (Ok(a), Ok(b)) = (fs::canonicalize(&target), fs::canonicalize(&input.path))
        && a == b
    {
        let message = format!(
            "{} is the input itself; choose another --out",
            target.display()
        );
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
    }
    let parent = target.parent().unwrap_or(out);
    fs::create_dir_all(parent)
        .and_then(|()| fs::write(&target, content))
        // The message is reported under the input's path: name the output too.
        .map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", target.display())))
}

/// A standalone page. The body is the library's sanitized HTML; every other
/// value is plain text from the file and is escaped here.
fn document(rendered: &Rendered) -> String {
    let meta = &rendered.meta;
    let (mut head, mut header) = (String::new(), String::new());
    if let Some(title) = &meta.title {
        head += &format!("<title>{}</title>\n", escape(title));
        // Show the title unless the body already opens with it.
        if !rendered
            .toc
            .first()
            .is_some_and(|h| h.level == 1 && h.text == *title)
        {
            header = format!("<h1>{}</h1>\n", escape(title));
        }
    }
    let keywords = (!meta.tags.is_empty()).then(|| meta.tags.join(", "));
    let named = [
        ("author", meta.author.as_ref()),
        ("description", meta.description.as_ref()),
        ("keywords", keywords.as_ref()),
        ("date", meta.date.as_ref()),
    ];
    for (name, value) in named {
        if let Some(value) = value {
            head += &format!("<meta name=\"{name}\" content=\"{}\">\n", escape(value));
        }
    }
    let lang = meta
        .lang
        .as_deref()
        .map(|lang| format!(" lang=\"{}\"", escape(lang)));
    format!(
        "<!doctype html>\n<html{lang}>\n<head>\n<meta charset=utf-8>\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         {head}<style>{CSS}</style>\n</head>\n<body>\n<article>\n{header}{body}</article>\n</body>\n</html>\n",
        lang = lang.unwrap_or_default(),
        body = rendered.html,
    )
}

/// No script, no forms, no `<base>`; images from anywhere (articles hotlink).
const CSP: &str = "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const CSS: &str = "body{max-width:42rem;margin:2rem auto;padding:0 1rem;\
font:1.05rem/1.7 system-ui,sans-serif;color:#222;background:#fff}\
img,video{max-width:100%;height:auto}pre{overflow:auto;padding:.75rem;background:#f5f5f5}\
code{font-family:ui-monospace,monospace}blockquote{margin:0;padding-left:1rem;border-left:3px solid #ddd;color:#555}\
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.25rem .5rem}";

/// Escapes text for an HTML text node or a quoted attribute value.
fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    article_render::text::escape(text, article_render::text::Escape::Quotes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key path of the serialized `Options::default()`, nested groups
    /// (`markdown`) opened: a field added to `Options` appears here.
    fn option_keys() -> Vec<String> {
        fn walk(prefix: &str, value: &Value, keys: &mut Vec<String>) {
            match value {
                Value::Object(object) => {
                    for (key, value) in object {
                        let path = if prefix.is_empty() {
                            key.clone()
                        } else {
                            format!("{prefix}.{key}")
                        };
                        walk(&path, value, keys);
                    }
                }
                _ => keys.push(prefix.to_owned()),
            }
        }
        let mut keys = Vec::new();
        walk(
            "",
            &serde_json::to_value(Options::default()).unwrap(),
            &mut keys,
        );
        keys
    }

    fn options(args: &[&str]) -> Result<Options, String> {
        let matches = command()
            .try_get_matches_from(std::iter::once("article-render").chain(args.iter().copied()))
            .map_err(|error| error.to_string())?;
        options_from(None, &matches)
    }

    #[test]
    fn every_option_has_a_flag() {
        let keys = option_keys();
        assert!(keys.len() >= 18, "{keys:?}");
        for key in &keys {
            assert!(
                OPTION_FLAGS.iter().any(|(flag_key, _, _)| flag_key == key),
                "the option `{key}` has no flag: add a line to OPTION_FLAGS in src/main.rs"
            );
        }
        for (key, _, _) in OPTION_FLAGS {
            assert!(
                keys.iter().any(|k| k == key),
                "OPTION_FLAGS names `{key}`, which is no option"
            );
        }
        command().debug_assert();
    }

    /// Each flag, given a value other than the default, sets its option.
    #[test]
    fn every_flag_sets_its_option() {
        let default = serde_json::to_value(Options::default()).unwrap();
        for &(key, _, _) in OPTION_FLAGS {
            let value = match default_at(key) {
                Value::Bool(b) => (!b).to_string(),
                Value::Number(n) => (n.as_u64().unwrap() + 1).to_string(),
                _ => match key {
                    "format" => "html".to_owned(),
                    "generator" => "hugo".to_owned(),
                    "images" => "block".to_owned(),
                    "templates" => "text".to_owned(),
                    "embeds" => "drop".to_owned(),
                    "markdown.math" => "true".to_owned(),
                    "baseUrl" => "https://blog.example/post/".to_owned(),
                    _ => "x-".to_owned(),
                },
            };
            let flag = format!("--{}={value}", flag_name(key));
            let options = options(&[&flag]).unwrap_or_else(|e| panic!("{flag}: {e}"));
            let changed = serde_json::to_value(options).unwrap();
            let differs: Vec<_> = option_keys()
                .into_iter()
                .filter(|k| {
                    let at = |v: &Value| k.split('.').fold(v.clone(), |v, p| v[p].clone());
                    at(&changed) != at(&default)
                })
                .collect();
            assert_eq!(differs, [key], "{flag}");
        }
    }

    #[test]
    fn flags_read_like_the_json_keys() {
        assert_eq!(flag_name("baseUrl"), "base-url");
        assert_eq!(
            flag_name("markdown.smartPunctuation"),
            "markdown-smart-punctuation"
        );
        let o = options(&["--markdown-math=true", "--heading-ids=false", "post.md"]).unwrap();
        assert!(o.markdown.math == article_render::MathOption::On && !o.heading_ids);
        let error = options(&["--images", "blok"]).unwrap_err();
        assert!(
            error.contains("--images blok") && error.contains("block"),
            "{error}"
        );
        let error = options(&["--excerpt-length", "many"]).unwrap_err();
        assert!(error.starts_with("--excerpt-length many"), "{error}");
    }
}
