//! Every file of `tests/fuzz-regressions/` must pass the safety check of
//! the attack corpus. A `NAME.bin` file is an input of the fuzz target as
//! it found it (options header and article, see
//! `tests/common/fuzz_input.rs`) and replays exactly; any other file is an
//! article file, rendered with every option variant of the attack corpus.

#![cfg(not(target_arch = "wasm32"))]

#[path = "common/cases.rs"]
mod cases;
#[path = "common/fuzz_input.rs"]
mod fuzz_input;
#[path = "common/safety.rs"]
mod safety;

use std::fs;
use std::path::Path;

use article_render::{ImagePolicy, Options, render_with_options, sanitize_html};

#[test]
fn every_fuzz_finding_stays_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("tests/fuzz-regressions exists")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the regressions folder holds cases");

    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = fs::read(path).expect("a regression can be read");
        let runs = if name.ends_with(".bin") {
            let (options, source) = fuzz_input::split(&data);
            vec![("fuzz".to_owned(), options, source)]
        } else {
            let source = String::from_utf8(data).expect("a text regression is UTF-8");
            cases::variants()
                .into_iter()
                .map(|(variant, options)| (variant.to_owned(), options, source.clone()))
                .collect()
        };
        for (variant, options, source) in runs {
            for problem in check(&source, &options) {
                failures.push(format!("{name} [{variant}]: {problem}"));
            }
        }
    }
    println!("fuzz regressions: {} files", files.len());
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// What the fuzz target asserts, as a list of problems.
fn check(source: &str, options: &Options) -> Vec<String> {
    let Ok(rendered) = render_with_options(source, options) else {
        return if sanitize_html("", options).is_err() {
            Vec::new()
        } else {
            vec!["render refused options that sanitize_html accepts".to_owned()]
        };
    };
    let mut problems = safety::check_rendered(&rendered, options);
    if source.len() > fuzz_input::RAW_SANITIZE_LIMIT {
        return problems;
    }
    let options = Options {
        images: ImagePolicy::Load,
        ..options.clone()
    };
    let once = sanitize_html(source, &options).expect("the options are valid");
    problems.extend(safety::check_html(&once, &options));
    if sanitize_html(&once, &options).as_deref() != Ok(once.as_str()) {
        problems.push("sanitizing twice changes the HTML".to_owned());
    }
    problems
}
