#!/usr/bin/env bash
# A new user's crate: a throwaway crate outside this repository (so that
# this repository's .cargo/config.toml is not read) with article-render as a
# path dependency, built, tested and documented with no RUSTFLAGS at all,
# as `cargo add --path` would leave it. The library must then take its
# fallback that needs no `--cfg ammonia_unstable` (src/sanitize.rs).
# CARGO_TARGET_DIR (default target/no-cfg) is shared with the test step
# that runs this repository's tests without the cfg.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/no-cfg}"
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS RUSTDOCFLAGS CARGO_ENCODED_RUSTDOCFLAGS

crate="$(mktemp -d "${TMPDIR:-/tmp}/article-render-dependent.XXXXXX")"
trap 'rm -rf "$crate"' EXIT
mkdir -p "$crate/src"
cat >"$crate/Cargo.toml" <<TOML
[package]
name = "article-render-dependent"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
article-render = { path = "$repo" }

[workspace]
TOML
cat >"$crate/src/lib.rs" <<'RUST'
//! A crate that shows an article it did not write.

/// The safe HTML of an untrusted article.
///
/// ```
/// let html = article_render_dependent::article_html("<p onclick=x()>Hi <a href=/a>a</a></p>");
/// assert_eq!(html, "<p>Hi <a href=\"/a\" rel=\"noopener noreferrer\">a</a></p>");
/// ```
pub fn article_html(source: &str) -> String {
    let options = article_render::Options {
        format: article_render::Format::Html,
        ..article_render::Options::default()
    };
    article_render::render_with_options(source, &options)
        .expect("valid options")
        .html
}

#[cfg(test)]
mod tests {
    /// What the policy adds to ammonia's output (link rel, image
    /// attributes, a disabled checkbox, no other input) is there without
    /// the cfg too, and cleaning the output again changes nothing.
    #[test]
    fn the_policy_is_whole_without_the_cfg() {
        let source = "---\ntitle: Q&amp;A\n---\n- [x] done <input value=x>\n\n![p](/p.png) [a](https://example.com/)\n";
        let rendered = article_render::render(source);
        assert_eq!(rendered.meta.title.as_deref(), Some("Q&A"));
        let html = &rendered.html;
        assert!(html.contains(r#"<input type="checkbox" checked="" disabled="">"#), "{html}");
        assert!(!html.contains("value="), "{html}");
        assert!(html.contains(r#"<img src="/p.png" alt="p" loading="lazy" decoding="async" referrerpolicy="no-referrer">"#), "{html}");
        assert!(html.contains(r#"<a href="https://example.com/" rel="noopener noreferrer">a</a>"#), "{html}");
        let again = article_render::sanitize_html(html, &article_render::Options::default()).unwrap();
        assert_eq!(&again, html);
    }
}
RUST

cd "$crate"
echo "dependent crate in $crate, target $CARGO_TARGET_DIR"
cargo build --quiet
cargo test --quiet
# Both crates: the library as docs.rs builds it, without the cfg.
cargo doc --quiet --no-deps -p article-render-dependent -p article-render
echo "dependent crate: builds, tests and documents without RUSTFLAGS"
