//! `article-render`: renders article files to JSON or safe HTML. A thin shell
//! over the library: it reads and decodes files, calls
//! [`render_with_options`], and writes the result.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use article_render::decode::{Decoded, decode};
use article_render::{Diagnostic, Format, Options, Rendered, Severity, render_with_options};
use clap::{ArgGroup, CommandFactory, Parser, ValueEnum, error::ErrorKind};
use serde_json::json;

/// Extensions taken when walking a directory; a file named on the command
/// line is taken whatever its extension.
const EXTENSIONS: [&str; 6] = ["md", "markdown", "mdown", "html", "htm", "txt"];

/// Render untrusted article files (front matter + Markdown or raw HTML) into
/// safe HTML and clean metadata.
#[derive(Parser)]
#[command(version, group(ArgGroup::new("output").args(["json", "html", "document"])))]
#[command(after_help = "\
One input prints to stdout. Several inputs or a directory print JSON Lines
({\"path\", \"rendered\"} or {\"path\", \"error\"} per file), or with --out write
one file per input. Directories are walked recursively for .md, .markdown,
.mdown, .html, .htm and .txt files; hidden entries are skipped.

Exit status: 0 on success, 1 when a file could not be read or written,
2 for invalid usage.

Examples:
  article-render post.md
  article-render --document post.md > post.html
  article-render --html --out public/ source/_posts/
  curl -s https://example.com/feed-item.md | article-render --html -")]
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
    /// How to read the body; `auto` looks at the file name and the content
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Absolute http(s) URL that relative links and images resolve against
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Write one output per input into DIR (.json or .html), keeping the
    /// directory structure
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Files or directories to render; `-` (the default) reads stdin
    #[arg(value_name = "FILE|DIR|-", default_value = "-")]
    inputs: Vec<PathBuf>,
}

/// The library's `Format` has no clap derive: the CLI is its only user.
#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Markdown,
    Html,
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
    match run(Cli::parse()) {
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
fn run(cli: Cli) -> io::Result<ExitCode> {
    let output = match (cli.html, cli.document) {
        (true, _) => Output::Html,
        (_, true) => Output::Document,
        _ => Output::Json,
    };
    let options = Options {
        format: match cli.format {
            FormatArg::Auto => Format::Auto,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Html => Format::Html,
        },
        base_url: cli.base_url,
        ..Options::default()
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
    for input in &inputs {
        let path = input.path.to_string_lossy();
        match (read(&input.path), &mode) {
            (Err(error), mode) => {
                failed = true;
                report(&input.path, &error);
                if let Mode::JsonLines = mode {
                    let line = json!({ "path": path, "error": error.to_string() });
                    writeln!(stdout, "{line}")?;
                }
            }
            (Ok(bytes), Mode::Print) => {
                let rendered = render(&input.path, &bytes, &options);
                stdout.write_all(format(&rendered, output).as_bytes())?;
            }
            (Ok(bytes), Mode::JsonLines) => {
                let rendered = render(&input.path, &bytes, &options);
                writeln!(stdout, "{}", json!({ "path": path, "rendered": rendered }))?;
            }
            (Ok(bytes), Mode::Files(out)) => {
                let content = format(&render(&input.path, &bytes, &options), output);
                if let Err(error) = write_out(out, input, &content, output, &mut written) {
                    failed = true;
                    report(&input.path, &error);
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
    Cli::command()
        .error(ErrorKind::ArgumentConflict, message)
        .exit()
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
        file_name: Some(path.to_string_lossy().into_owned()),
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
    if let (Ok(a), Ok(b)) = (fs::canonicalize(&target), fs::canonicalize(&input.path)) {
        if a == b {
            let message = format!(
                "{} is the input itself; choose another --out",
                target.display()
            );
            return Err(io::Error::new(io::ErrorKind::AlreadyExists, message));
        }
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
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
