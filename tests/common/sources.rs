//! The test files as the tests that compare two ways of rendering read
//! them (`tests/pieces.rs`, `tests/chunks.rs`, `tests/trim.rs`,
//! `tests/differential.rs`):
//! files read as lossy UTF-8, and the files of some folders of `tests/`
//! with attack files split into their cases.

#![allow(dead_code)] // each test file uses some of these

use std::fs;
use std::path::Path;

/// A file's text, invalid UTF-8 replaced.
pub fn read_lossy(path: &Path) -> String {
    String::from_utf8_lossy(&fs::read(path).expect("a readable file")).into_owned()
}

/// Every file of these folders of `tests/`, attack files split into cases,
/// each with a label naming the file and the case.
pub fn test_sources(folders: &[&str]) -> Vec<(String, String)> {
    let mut sources = Vec::new();
    for folder in folders {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(folder);
        let mut paths: Vec<_> = fs::read_dir(dir)
            .expect("the folder")
            .map(|e| e.expect("an entry").path())
            .collect();
        paths.sort();
        for path in paths {
            let text = read_lossy(&path);
            for (i, case) in text.split("\n=== ").enumerate() {
                sources.push((format!("{} #{i}", path.display()), case.to_owned()));
            }
        }
    }
    sources
}
