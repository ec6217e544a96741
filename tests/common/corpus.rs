//! The shared corpus (`../shared/corpus`) as the corpus tests read it: its
//! folder, its files, and the path each file had in its repository.

#![allow(dead_code)] // each test file uses some of these

use std::fs;
use std::path::{Path, PathBuf};

/// `../shared/corpus`, beside the repository (it may not exist).
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Every file below `dir` but the READMEs, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The file's path in its repository: corpus names are
/// `<owner>__<repo>__<path with / as __>`.
pub fn repository_path(name: &str) -> String {
    name.splitn(3, "__")
        .nth(2)
        .unwrap_or(name)
        .replace("__", "/")
}
