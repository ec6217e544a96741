//! An author's in-page links work: in every file of `../shared/corpus`, each
//! `href="#…"` that names a heading of the document (compared loosely:
//! letters and digits only, any case) finds an element with that id in the
//! output. Heading ids follow the generator the file is written for, so this
//! checks each generator's id rule against links real authors wrote.
//! Skips, saying so, when the corpus is not there.

use std::fs;

#[path = "common/corpus.rs"]
mod corpus;
use corpus::{dir as corpus_dir, repository_path};

use article_render::{Options, render_with_options};

/// `%E7%AC%AC` → `第`: links are written percent-encoded or not, and a
/// browser decodes the fragment before it looks for the id.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn loose(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The values of `attribute="…"` in the HTML, entity `&amp;` decoded.
fn values(html: &str, attribute: &str) -> Vec<String> {
    let needle = format!(" {attribute}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

/// Links that name a heading but do not find it, with the reason each is
/// accepted. Reviewed by hand; keep it short.
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (PANDOC_BLOG_DOCKER, "unionfs", PANDOC),
    (PANDOC_BLOG_DOCKER, "uds", PANDOC),
    (PANDOC_BLOG_DOCKER, "/proc进程相关", PANDOC),
    (PANDOC_BLOG_UCORE, "rust中的string", PANDOC),
];
const PANDOC_BLOG_DOCKER: &str =
    "0x822a5b87__0x822a5b87.github.io__source___posts__build-my-own-docker-from-scratch.md";
const PANDOC_BLOG_UCORE: &str =
    "0x822a5b87__0x822a5b87.github.io__source___posts__uCore进程间通信.md";
const PANDOC: &str = "this blog renders with hexo-renderer-pandoc (its package.json), whose ids are \
    lowercased; Hexo's default renderer, marked, keeps the case, and so do we";

#[test]
fn in_page_links_find_their_headings() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!(
            "skipping the in-page link test: {} does not exist",
            dir.display()
        );
        return;
    }
    let prefix = Options::default().id_prefix;
    let (mut checked, mut broken) = (0, Vec::new());
    for folder in ["feed", "hexo", "hugo", "zola"] {
        let mut names: Vec<_> = fs::read_dir(dir.join(folder))
            .expect("a corpus folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let bytes = fs::read(dir.join(folder).join(&name)).expect("readable");
            let source = String::from_utf8_lossy(&bytes);
            let options = Options {
                file_name: Some(repository_path(&name)),
                ..Options::default()
            };
            let rendered = render_with_options(&source, &options).expect("valid options");
            let ids = values(&rendered.html, "id");
            let headings: Vec<String> = rendered.toc.iter().map(|t| loose(&t.text)).collect();
            for href in values(&rendered.html, "href") {
                let Some(fragment) = href.strip_prefix('#') else {
                    continue;
                };
                let target = percent_decode(fragment);
                let bare = target.strip_prefix(&prefix).unwrap_or(&target);
                if bare.is_empty() || !headings.contains(&loose(bare)) {
                    continue;
                }
                checked += 1;
                let excepted = EXCEPTIONS.iter().any(|(n, f, _)| *n == name && *f == bare);
                if !ids.contains(&target) && !excepted {
                    broken.push(format!(
                        "{folder}/{name} ({:?}): #{bare} (ids: {:?})",
                        rendered.generator,
                        ids.iter()
                            .filter(|id| loose(id) == loose(&format!("{prefix}{bare}")))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    eprintln!("{checked} in-page links name a heading");
    assert!(
        broken.is_empty(),
        "{} of {checked} in-page links do not find their heading:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
