//! The test files as the tests that compare two ways of rendering read
//! them (`tests/pieces.rs`, `tests/chunks.rs`, `tests/trim.rs`,
//! `tests/differential.rs`): files read as lossy UTF-8, and the files of
//! some folders of `tests/`, attack files read into their cases by
//! `tests/common/cases.rs` (escaped cases decoded).

#![allow(dead_code)] // each test file uses some of these

#[path = "cases.rs"]
mod cases;

use std::fs;
use std::path::{Path, PathBuf};

/// A file's text, invalid UTF-8 replaced.
pub fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&fs::read(path).expect("a readable file")).into_owned()
}

/// Every file of a folder of `tests/`, sorted.
pub fn test_files(folder: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(folder);
    let mut paths: Vec<_> = fs::read_dir(dir)
        .expect("the folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    paths.sort();
    paths
}

/// The cases of the attack corpus (`tests/attacks/`), each with a label
/// naming its file and id.
pub fn attack_cases() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/attacks");
    cases::load(&dir)
        .into_iter()
        .map(|case| {
            (
                format!("attacks/{}/{}", case.category, case.id),
                case.source,
            )
        })
        .collect()
}

/// Every file of these folders of `tests/` (`attacks` read into its
/// cases), each with a label naming the file (and the case).
pub fn test_sources(folders: &[&str]) -> Vec<(String, String)> {
    let mut sources = Vec::new();
    for folder in folders {
        if *folder == "attacks" {
            sources.extend(attack_cases());
            continue;
        }
        for path in test_files(folder) {
            sources.push((path.display().to_string(), read_lossy(&path)));
        }
    }
    sources
}
