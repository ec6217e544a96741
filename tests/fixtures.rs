//! Fixture tests: every `tests/fixtures/<case>.md` (or `.markdown`, `.html`)
//! is rendered and compared with `tests/fixtures/<case>.json`, the reviewed
//! `Rendered` output. Options come from `<case>.options.json` when it exists;
//! `fileName` is always the fixture's own name unless that file sets one.
//!
//! `UPDATE_FIXTURES=1 cargo test --test fixtures` rewrites the expected files
//! instead of comparing. Read the diff before committing it: the expected
//! files are the documentation of what the library does.

use std::fs;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use article_render::{Options, render_with_options};

/// A fixture folder with fewer cases than this has lost its files: the test
/// must not pass on nothing.
const MIN_CASES: usize = 30;

const EXTENSIONS: &[&str] = &["md", "markdown", "html"];

/// Files in the folder that are not cases.
const NOT_CASES: &[&str] = &["README.md"];

#[test]
fn fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let update = std::env::var_os("UPDATE_FIXTURES").is_some_and(|v| v == "1");
    let cases = cases(&dir);
    assert!(
        cases.len() >= MIN_CASES,
        "The fixture folder {} has {} cases, but at least {MIN_CASES} are expected; were the fixtures lost?",
        dir.display(),
        cases.len()
    );

    let descriptions = descriptions(&dir);
    let mut failures = Vec::new();
    let mut updated = 0;
    for source_path in &cases {
        let name = source_path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("fixture names are UTF-8");
        let stem = source_path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture names are UTF-8");
        // What the case shows, said with every failure of it.
        let shows = match descriptions.get(stem).and_then(toml::Value::as_str) {
            Some(description) => format!("{name} ({description})"),
            None => {
                failures.push(format!(
                    "{name}: no description; add `{stem} = \"what this case shows\"` to tests/fixtures/{DESCRIPTIONS}."
                ));
                name.to_owned()
            }
        };
        let file = name;
        let name = shows.as_str();
        let actual = match render_case(&dir, file, stem) {
            Ok(json) => json,
            Err(panic) => {
                failures.push(format!(
                    "{name}: the library panicked ({panic}), but `render` must never panic."
                ));
                continue;
            }
        };
        let expected_path = dir.join(format!("{stem}.json"));
        if update {
            let current = fs::read_to_string(&expected_path).ok();
            if current.as_deref().map(str::trim_end) != Some(actual.as_str()) {
                fs::write(&expected_path, format!("{actual}\n")).unwrap_or_else(|e| {
                    panic!(
                        "The expected file {} could not be written: {e}.",
                        expected_path.display()
                    )
                });
                updated += 1;
            }
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected.trim_end() == actual => {}
            Ok(expected) => failures.push(format!("{name}: {}", first_difference(expected.trim_end(), &actual))),
            Err(_) => failures.push(format!(
                "{name}: there is no expected file {stem}.json (run with UPDATE_FIXTURES=1 to write it, then review it)."
            )),
        }
    }

    failures.extend(orphans(&dir, &cases));
    for stem in descriptions.keys() {
        if !cases
            .iter()
            .any(|case| case.file_stem().is_some_and(|s| s == stem.as_str()))
        {
            failures.push(format!(
                "{DESCRIPTIONS} describes `{stem}`, which is no case of the folder."
            ));
        }
    }

    // Written to the stream itself, not with `println!`, so that the count
    // shows even when the test passes and its output is captured.
    let summary = if update {
        format!(
            "Ran {} fixture cases and rewrote {updated} expected files.",
            cases.len()
        )
    } else {
        format!(
            "Ran {} fixture cases; {} problems were found.",
            cases.len(),
            failures.len()
        )
    };
    let _ = writeln!(std::io::stderr(), "{summary}");
    assert!(
        failures.is_empty(),
        "{} problems were found in {} fixture cases:\n\n{}\n\nIf the new output is right, run `UPDATE_FIXTURES=1 cargo test --test fixtures` and review the diff before committing.",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// The sidecar file with one line per case saying what it shows.
const DESCRIPTIONS: &str = "descriptions.toml";

/// The descriptions, by case name.
fn descriptions(dir: &Path) -> toml::Table {
    let path = dir.join(DESCRIPTIONS);
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} could not be read: {e}.", path.display()));
    text.parse()
        .unwrap_or_else(|e| panic!("{} is not valid TOML: {e}", path.display()))
}

/// The article files of the folder, sorted so the run is the same everywhere.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "The fixture folder {} could not be read: {e}.",
            dir.display()
        )
    });
    let mut cases: Vec<PathBuf> = entries
        .map(|entry| entry.expect("the fixture folder can be listed").path())
        .filter(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            EXTENSIONS.contains(&ext) && !NOT_CASES.contains(&name)
        })
        .collect();
    cases.sort();
    cases
}

/// Expected or options files whose article is gone: a renamed case would
/// otherwise leave its old expected output behind, unchecked.
fn orphans(dir: &Path, cases: &[PathBuf]) -> Vec<String> {
    let stems: Vec<&str> = cases
        .iter()
        .filter_map(|case| case.file_stem().and_then(|s| s.to_str()))
        .collect();
    let mut orphans: Vec<String> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            let stem = name
                .strip_suffix(".options.json")
                .or_else(|| name.strip_suffix(".json"))?;
            (!stems.contains(&stem)).then(|| {
                format!("{name}: there is no article {stem}.md, .markdown or .html for this file; remove it or restore the article.")
            })
        })
        .collect();
    orphans.sort();
    orphans
}

/// Renders one case and returns its pretty JSON, or the panic message if the
/// library panicked.
fn render_case(dir: &Path, name: &str, stem: &str) -> Result<String, String> {
    // Read as bytes: a BOM, CR line ends and NUL are part of what is tested.
    let bytes = fs::read(dir.join(name))
        .unwrap_or_else(|e| panic!("The fixture {name} could not be read: {e}."));
    let source = String::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("The fixture {name} is not UTF-8: {e}."));
    let options_path = dir.join(format!("{stem}.options.json"));
    let mut options: Options = match fs::read_to_string(&options_path) {
        Ok(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            panic!("The options of {name} ({stem}.options.json) are not valid options: {e}.")
        }),
        Err(_) => Options::default(),
    };
    if options.file_name.is_none() {
        options.file_name = Some(name.to_owned());
    }
    let rendered = panic::catch_unwind(AssertUnwindSafe(|| render_with_options(&source, &options)))
        .map_err(|payload| {
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned())
        })?
        .unwrap_or_else(|e| panic!("The options of {name} were refused by the library: {e}."));
    Ok(serde_json::to_string_pretty(&rendered).expect("a Rendered always serializes to JSON"))
}

/// The first line where `expected` and `actual` differ. Long lines (the
/// `html` field is one JSON line) are shown around the first differing
/// character, so the difference is visible without scrolling.
fn first_difference(expected: &str, actual: &str) -> String {
    let expected_lines: Vec<&str> = expected.lines().collect();
    let actual_lines: Vec<&str> = actual.lines().collect();
    let at = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    let (want, got) = (
        expected_lines.get(at).copied(),
        actual_lines.get(at).copied(),
    );
    let column = match (want, got) {
        (Some(w), Some(g)) => w.chars().zip(g.chars()).take_while(|(a, b)| a == b).count(),
        _ => 0,
    };
    let show = |line: Option<&str>| match line {
        Some(line) => excerpt_around(line, column),
        None => "(end of output)".to_owned(),
    };
    let context = match at.checked_sub(1).and_then(|i| expected_lines.get(i)) {
        Some(previous) => format!("      after: {}\n", excerpt_around(previous, 0)),
        None => String::new(),
    };
    format!(
        "the output first differs at line {}, column {}, of the JSON.\n{context}   expected: {}\n     actual: {}",
        at + 1,
        column + 1,
        show(want),
        show(got)
    )
}

/// Up to 120 characters of `line`, starting a little before `column`.
fn excerpt_around(line: &str, column: usize) -> String {
    const BEFORE: usize = 40;
    const WIDTH: usize = 120;
    let start = column.saturating_sub(BEFORE);
    let total = line.chars().count();
    let shown: String = line.chars().skip(start).take(WIDTH).collect();
    let head = if start > 0 { "…" } else { "" };
    let tail = if start + WIDTH < total { "…" } else { "" };
    format!("{head}{shown}{tail}")
}

/// `docs/CONTRACT.md`, which the fixtures cite, names every option and every
/// field of `Rendered` (the keys of their serialized defaults, nested ones
/// included), so an option or a field added to the code must be added there.
#[test]
fn contract_names_every_option_and_field() {
    fn keys(value: &serde_json::Value, out: &mut Vec<String>) {
        if let serde_json::Value::Object(object) = value {
            for (key, value) in object {
                out.push(key.clone());
                // `extra` holds the article's own keys, not the contract's.
                if key != "extra" {
                    keys(value, out);
                }
            }
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/CONTRACT.md");
    let contract = fs::read_to_string(&path).expect("docs/CONTRACT.md exists");
    let mut names = Vec::new();
    keys(
        &serde_json::to_value(Options::default()).unwrap(),
        &mut names,
    );
    let rendered =
        article_render::render("---\ntitle: t\n---\n# h\n\n![i](/i.png)\n\n<script>x()</script>\n");
    keys(&serde_json::to_value(&rendered).unwrap(), &mut names);
    // Array items: a heading, an image and a diagnostic.
    let items = [
        serde_json::to_value(&rendered.toc[0]).unwrap(),
        serde_json::to_value(&rendered.images[0]).unwrap(),
        serde_json::to_value(&rendered.diagnostics[0]).unwrap(),
    ];
    for item in &items {
        keys(item, &mut names);
    }
    for name in names {
        assert!(
            contract.contains(&format!("`{name}`")),
            "docs/CONTRACT.md does not name `{name}`"
        );
    }
}
