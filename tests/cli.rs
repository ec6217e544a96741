//! The `article-render` command, run as a user runs it.

#![cfg(feature = "cli")]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The fixture tree: `hello.md`, `notes/kyoto.html`, `plain.txt` and a
/// `ignored.json` that a directory walk must skip.
const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cli/site");

/// Runs the binary with `args`, feeding `stdin`.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_article-render"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A run that never reads stdin may exit first and close the pipe: not a failure.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the output is JSON")
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(test: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("article-render-cli-{test}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn one_file_prints_its_result_as_json() {
    let dir = TempDir::new("one-file");
    let post = dir.write("post.md", "---\ntitle: On Tea\n---\n\nGreen or black?\n");
    let output = run(&[&post], b"");
    assert!(
        output.status.success(),
        "a readable file renders with exit 0: {}",
        stderr(&output)
    );
    let rendered = json(&stdout(&output));
    assert_eq!(
        rendered["meta"]["title"], "On Tea",
        "the title comes from the front matter"
    );
    assert_eq!(
        rendered["html"], "<p>Green or black?</p>\n",
        "the body is rendered"
    );
    assert!(
        stdout(&output).contains("\n  \"meta\""),
        "a single result is pretty-printed"
    );
}

#[test]
fn html_prints_only_the_sanitized_fragment() {
    let dir = TempDir::new("html");
    let post = dir.write("post.md", "# Hi\n\nText<script>alert(1)</script>\n");
    let output = run(&["--html", &post], b"");
    assert!(output.status.success());
    assert_eq!(
        stdout(&output),
        "<h1 id=\"user-content-hi\">Hi</h1>\n<p>Text</p>\n",
        "only the sanitized HTML is printed, without the script"
    );
}

#[test]
fn document_escapes_every_metadata_value() {
    let dir = TempDir::new("document");
    let post = dir.write(
        "post.md",
        "---\ntitle: \"</title><script>alert(1)</script>\"\nauthor: 'Eve \"quotes\" & co'\n\
         tags: [\"<b>\", safe]\n---\n\nBody text.\n",
    );
    let output = run(&["--document", &post], b"");
    assert!(output.status.success());
    let page = stdout(&output);
    assert!(
        page.starts_with("<!doctype html>\n"),
        "the document is HTML5"
    );
    assert!(
        page.contains("<meta charset=utf-8>"),
        "the document declares UTF-8"
    );
    assert!(
        page.contains("content=\"default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\""),
        "the document carries the strict CSP"
    );
    assert!(
        !page.contains("<script>"),
        "the title cannot open a script element"
    );
    assert!(
        page.contains("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"),
        "the title is escaped as text"
    );
    assert!(
        page.contains("<meta name=\"author\" content=\"Eve &quot;quotes&quot; &amp; co\">"),
        "the author is escaped as an attribute value"
    );
    assert!(
        page.contains("<meta name=\"keywords\" content=\"&lt;b&gt;, safe\">"),
        "the tags become escaped keywords"
    );
    assert!(
        page.contains("<p>Body text.</p>"),
        "the body is in the document"
    );
}

#[test]
fn a_directory_with_out_writes_one_output_per_article() {
    let out = TempDir::new("out");
    let output = run(&["--out", &out.path("site"), SITE], b"");
    assert!(
        output.status.success(),
        "the batch succeeds: {}",
        stderr(&output)
    );
    assert_eq!(stdout(&output), "", "with --out nothing is printed");
    let site = out.0.join("site");
    assert_eq!(
        files_under(&site),
        [
            site.join("hello.json"),
            site.join("notes/kyoto.json"),
            site.join("plain.json")
        ],
        "each article gets a .json at its relative path, and ignored.json is skipped"
    );
    let kyoto = json(&fs::read_to_string(site.join("notes/kyoto.json")).unwrap());
    assert_eq!(kyoto["meta"]["title"], "Autumn in Kyoto");
    assert_eq!(
        kyoto["bodyFormat"], "html",
        "the .html file name makes the body HTML"
    );
}

#[test]
fn html_with_out_writes_html_files() {
    let out = TempDir::new("out-html");
    let output = run(&["--html", "--out", &out.path("."), SITE], b"");
    assert!(output.status.success());
    let hello = fs::read_to_string(out.0.join("hello.html")).unwrap();
    assert!(
        hello.contains("<em>some</em>"),
        "the output is the rendered fragment"
    );
}

#[test]
fn several_inputs_print_json_lines() {
    let output = run(&[SITE], b"");
    assert!(output.status.success());
    let lines: Vec<Value> = stdout(&output).lines().map(json).collect();
    let paths: Vec<&str> = lines
        .iter()
        .map(|line| line["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            format!("{SITE}/hello.md"),
            format!("{SITE}/notes/kyoto.html"),
            format!("{SITE}/plain.txt")
        ],
        "one line per article, in sorted order"
    );
    assert_eq!(lines[0]["rendered"]["meta"]["title"], "Hello, reader");
    assert_eq!(
        lines[2]["rendered"]["bodyFormat"], "markdown",
        "a .txt file is read as Markdown"
    );
}

#[test]
fn a_missing_file_fails_the_batch_but_not_the_others() {
    let missing = format!("{SITE}/does-not-exist.md");
    let hello = format!("{SITE}/hello.md");
    let plain = format!("{SITE}/plain.txt");
    let output = run(&[&hello, &missing, &plain], b"");
    assert_eq!(
        output.status.code(),
        Some(1),
        "an unreadable file makes the exit code 1"
    );
    let lines: Vec<Value> = stdout(&output).lines().map(json).collect();
    assert_eq!(
        lines.len(),
        3,
        "every input has a line, the missing one too"
    );
    assert_eq!(
        lines[0]["rendered"]["meta"]["title"], "Hello, reader",
        "files before it are rendered"
    );
    assert_eq!(lines[1]["path"], missing.as_str());
    assert!(
        lines[1]["error"].is_string(),
        "the missing file's line says what went wrong"
    );
    assert!(
        lines[2]["rendered"]["html"].is_string(),
        "files after it are rendered"
    );
    assert!(
        stderr(&output).starts_with(&format!("article-render: {missing}: ")),
        "the error names the file on stderr"
    );
}

#[test]
fn a_missing_single_file_exits_1() {
    let output = run(&["/no/such/article.md"], b"");
    assert_eq!(
        output.status.code(),
        Some(1),
        "an unreadable file makes the exit code 1"
    );
    assert_eq!(stdout(&output), "", "nothing is printed for it");
}

#[test]
fn dash_reads_stdin() {
    let output = run(&["-"], b"---\ntitle: From a pipe\n---\nPiped *text*.\n");
    assert!(output.status.success());
    let rendered = json(&stdout(&output));
    assert_eq!(
        rendered["meta"]["title"], "From a pipe",
        "stdin is rendered like a file"
    );
    assert_eq!(rendered["html"], "<p>Piped <em>text</em>.</p>\n");
}

#[test]
fn no_input_reads_stdin() {
    let output = run(&["--html"], b"Just *this*.");
    assert_eq!(
        stdout(&output),
        "<p>Just <em>this</em>.</p>\n",
        "with no input, stdin is read"
    );
}

#[test]
fn a_gbk_file_is_decoded_and_reported() {
    let dir = TempDir::new("gbk");
    let text = "---\ntitle: 央行发布第二季度货币政策执行报告\n---\n\n中国人民银行今日发布报告，\
                指出稳健的货币政策要灵活精准、合理适度，保持流动性合理充裕。\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    let post = dir.write("news.md", bytes);
    let output = run(&[&post], b"");
    assert!(output.status.success());
    let rendered = json(&stdout(&output));
    assert_eq!(
        rendered["meta"]["title"], "央行发布第二季度货币政策执行报告",
        "the GBK title is decoded to the right Chinese text"
    );
    let diagnostic = &rendered["diagnostics"][0];
    assert_eq!(
        diagnostic["code"], "input.encoding",
        "the encoding is reported first"
    );
    assert_eq!(diagnostic["severity"], "info");
    assert_eq!(diagnostic["message"], "Decoded from GBK.");
    assert_eq!(diagnostic["line"], Value::Null, "the encoding has no line");
}

#[test]
fn a_utf8_file_has_no_encoding_diagnostic() {
    let output = run(&["-"], "\u{FEFF}# 标题\n".as_bytes());
    let rendered = json(&stdout(&output));
    assert_eq!(rendered["toc"][0]["text"], "标题", "a UTF-8 BOM is dropped");
    assert_eq!(
        rendered["diagnostics"],
        Value::Array(vec![]),
        "UTF-8 is not worth a note"
    );
}

#[test]
fn an_invalid_base_url_is_a_usage_error() {
    let output = run(&["--base-url", "not a url", "-"], b"text");
    assert_eq!(output.status.code(), Some(2), "a bad option exits with 2");
    assert!(
        stderr(&output).contains("baseUrl"),
        "the message names the option"
    );
    assert_eq!(stdout(&output), "", "nothing is rendered with a bad option");
}

#[test]
fn html_of_several_inputs_needs_out() {
    let output = run(&["--html", SITE], b"");
    assert_eq!(
        output.status.code(),
        Some(2),
        "HTML fragments are not concatenated on stdout"
    );
    assert!(
        stderr(&output).contains("--out"),
        "the message says what to add"
    );
}

#[test]
fn an_output_never_overwrites_its_input() {
    let dir = TempDir::new("overwrite");
    let page = dir.write("page.html", "<p>Keep me.</p>\n");
    let output = run(&["--html", "--out", &dir.path("."), &page], b"");
    assert_eq!(
        output.status.code(),
        Some(1),
        "writing over the input is refused"
    );
    assert_eq!(
        fs::read_to_string(&page).unwrap(),
        "<p>Keep me.</p>\n",
        "the input is untouched"
    );
}

/// Every key of the library's options (nested ones as `group.key`), from
/// the serialized defaults: a new option is in this list without a change here.
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
    let defaults = serde_json::to_value(article_render::Options::default()).unwrap();
    walk("", &defaults, &mut keys);
    keys
}

#[test]
fn help_lists_a_flag_for_every_option() {
    let output = run(&["--help"], b"");
    assert!(output.status.success());
    let help = stdout(&output);
    for key in option_keys() {
        // `markdown.taskLists` is `--markdown-task-lists`.
        let mut flag = String::from("--");
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
        assert!(
            help.contains(&flag),
            "--help has no {flag} for `{key}`:\n{help}"
        );
    }
    assert!(help.contains("--options <FILE.json>"), "{help}");
}

#[test]
fn options_come_from_a_file_and_flags_override_it() {
    let dir = TempDir::new("options-file");
    let options = dir.write(
        "options.json",
        r#"{ "images": "block", "markdown": { "math": false }, "idPrefix": "post-" }"#,
    );
    let post = dir.write(
        "post.md",
        "# Cost\n\nEnergy is $E=mc^2$ here.\n\n![map](/map.png)\n",
    );

    let output = run(&["--options", &options, "--html", &post], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    let html = stdout(&output);
    assert!(
        html.contains(r#"data-src="/map.png""#),
        "images blocked: {html}"
    );
    assert!(!html.contains("class=\"math"), "math off: {html}");
    assert!(html.contains(r#"id="post-cost""#), "the prefix: {html}");

    let output = run(
        &[
            "--options",
            &options,
            "--images",
            "load",
            "--markdown-math",
            "--html",
            &post,
        ],
        b"",
    );
    let html = stdout(&output);
    assert!(
        html.contains(r#"src="/map.png""#) && !html.contains("data-src"),
        "{html}"
    );
    assert!(
        html.contains("class=\"math"),
        "the flag wins over the file: {html}"
    );
}

#[test]
fn a_bad_flag_value_or_options_file_is_a_usage_error() {
    let output = run(&["--images", "blok", "-"], b"text");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--images blok"),
        "{}",
        stderr(&output)
    );

    let dir = TempDir::new("options-typo");
    let options = dir.write("options.json", r#"{ "imagess": "block" }"#);
    let output = run(&["--options", &options, "-"], b"text");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("imagess"), "{}", stderr(&output));
}

/// More files than one parallel batch, in names whose sorted order is not
/// their creation order: the lines come out sorted, one per file, each the
/// rendering of its own file.
#[test]
fn a_folder_renders_in_parallel_in_input_order() {
    let dir = TempDir::new("parallel");
    let mut names = Vec::new();
    for i in (0..300).rev() {
        let name = format!("post-{i:03}.md");
        dir.write(
            &name,
            format!("---\ntitle: Post {i}\n---\n{}", "Text. ".repeat(i)),
        );
        names.push(name);
    }
    names.sort();
    let root = dir.path("");
    let output = run(&[root.trim_end_matches('/')], b"");
    assert!(output.status.success(), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output).lines().map(json).collect();
    assert_eq!(lines.len(), 300);
    for (line, name) in lines.iter().zip(&names) {
        assert!(
            line["path"].as_str().unwrap().ends_with(name.as_str()),
            "{line}"
        );
        let number = name.trim_start_matches("post-").trim_end_matches(".md");
        let title = format!("Post {}", number.parse::<usize>().unwrap());
        assert_eq!(line["rendered"]["meta"]["title"], title.as_str());
    }
}
