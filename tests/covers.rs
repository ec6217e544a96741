//! Every cover and thumbnail of `../shared/corpus` written in a shape a
//! theme documents is found: no file is left with `meta.cover` (or
//! `meta.thumbnail`) empty while `meta.extra` still holds a usable image URL
//! under one of the themes' keys. Skips, saying so, when the corpus is not
//! there.

use std::fs;
use std::path::{Path, PathBuf};

use article_render::{Options, render_with_options};
use serde_json::Value;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// Keys (top level, or `[extra]`'s for Zola) themes keep a cover in.
const COVER_KEYS: &[&str] = &[
    "cover",
    "cover-img",
    "headimg",
    "banner",
    "top_img",
    "index_img",
    "banner_img",
    "featured_image",
    "featuredImage",
    "featureImage",
    "coverImage",
    "cover_image",
    "image",
    "images",
    "img",
    "photos",
    "header_image",
    "social_media_card",
];
const THUMBNAIL_KEYS: &[&str] = &[
    "thumbnail",
    "thumbnailImage",
    "thumbnail_image",
    "thumbnail-img",
    "thumb",
    "featuredImagePreview",
];

/// A URL-looking string in `value`: itself, a list's first, a map's
/// `image`/`src`/`path`/`url`.
fn url_in(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) if s.contains('/') || s.contains('.') => Some(s),
        Value::Array(items) => items.first().and_then(url_in),
        Value::Object(map) => ["image", "src", "path", "url"]
            .iter()
            .find_map(|k| map.get(*k).and_then(url_in)),
        _ => None,
    }
}

fn left_over<'a>(extra: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    let zola = extra.get("extra").and_then(Value::as_object);
    keys.iter().find_map(|key| {
        extra
            .get(*key)
            .or_else(|| zola.and_then(|z| z.get(*key)))
            .and_then(url_in)
    })
}

#[test]
fn corpus_covers_are_found() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("skipping the cover test: {} does not exist", dir.display());
        return;
    }
    let (mut covers, mut thumbnails, mut missed) = (0, 0, Vec::new());
    for folder in ["feed", "hexo", "hugo", "zola"] {
        for entry in fs::read_dir(dir.join(folder))
            .expect("a corpus folder")
            .flatten()
        {
            let bytes = fs::read(entry.path()).expect("readable");
            let source = String::from_utf8_lossy(&bytes);
            let name = entry.file_name().to_string_lossy().into_owned();
            let options = Options {
                file_name: Some(name.clone()),
                ..Options::default()
            };
            let meta = render_with_options(&source, &options).expect("valid").meta;
            covers += usize::from(meta.cover.is_some());
            thumbnails += usize::from(meta.thumbnail.is_some());
            if meta.cover.is_none()
                && let Some(url) = left_over(&meta.extra, COVER_KEYS)
            {
                missed.push(format!("{folder}/{name}: cover {url}"));
            }
            if meta.thumbnail.is_none()
                && let Some(url) = left_over(&meta.extra, THUMBNAIL_KEYS)
            {
                missed.push(format!("{folder}/{name}: thumbnail {url}"));
            }
        }
    }
    eprintln!("{covers} covers and {thumbnails} thumbnails found");
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
}
