//! `cargo run --example render < article.md` prints the `Rendered` JSON.
use std::io::Read;

fn main() {
    let mut source = String::new();
    std::io::stdin()
        .read_to_string(&mut source)
        .expect("UTF-8 on standard input");
    let rendered = article_render::render(&source);
    println!(
        "{}",
        serde_json::to_string_pretty(&rendered).expect("Rendered serializes")
    );
}
