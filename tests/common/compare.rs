//! How the tests that render a document two ways (`tests/pieces.rs`,
//! `tests/chunks.rs`, `tests/trim.rs`, `tests/differential.rs`) show where
//! the two results part: the first line of their JSON that differs; and
//! how many documents a rule under test cut.

#![allow(dead_code)] // each test file uses some of these

use article_render::Rendered;

/// The first line where results `a` and `b`, as pretty JSON, differ, each
/// after its name; empty if one is only longer.
pub fn first_difference(a: (&str, &Rendered), b: (&str, &Rendered)) -> String {
    let json =
        |rendered: &Rendered| serde_json::to_string_pretty(rendered).expect("a result serializes");
    let (left, right) = (json(a.1), json(b.1));
    let width = a.0.len().max(b.0.len()) + 1;
    let (name_a, name_b) = (format!("{}:", a.0), format!("{}:", b.0));
    left.lines()
        .zip(right.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("{name_a:width$} {x}\n{name_b:width$} {y}"))
        .unwrap_or_default()
}

/// Prints how many of the documents were cut (`cuts`: the cuts of each),
/// and returns it.
pub fn documents_cut(what: &str, cuts: &[usize]) -> usize {
    let cut = cuts.iter().filter(|&&n| n > 0).count();
    let total: usize = cuts.iter().sum();
    println!(
        "{what}: {cut} of {} documents cut, {total} cuts",
        cuts.len()
    );
    cut
}
