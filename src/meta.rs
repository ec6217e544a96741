//! Front matter to [`Meta`]: the fields every site generator spells its own
//! way, normalized; everything else kept, untouched, in `extra`.

use serde_json::{Map, Value};

use crate::date;
use crate::dialect::jekyll_date_prefix;
use crate::rendered::{Diagnostics, Generator, Meta};
use crate::safe_url::{self, Context};
use crate::text::plain;

const TITLE: &[&str] = &["title"];
const AUTHOR: &[&str] = &["author", "authors"];
const DATE: &[&str] = &["date", "publishDate", "pubDate", "published_at"];
const UPDATED: &[&str] = &[
    "updated",
    "lastmod",
    "modified",
    "last_modified_at",
    "update",
];
const CATEGORIES: &[&str] = &["categories", "category"];
const TAGS: &[&str] = &["tags", "tag"];
const DESCRIPTION: &[&str] = &["description", "summary", "excerpt"];
/// Where the popular themes put a post's cover image, in order of
/// preference: a key, or `key.inner` for a key of a map (the README's
/// "Covers per theme" table says whose each is). A value may be a URL, a
/// list (the first), or a map with `image`, `src`, `path` or `url`.
const COVER: &[&str] = &[
    "cover",                // Butterfly, Icarus, Stellar, PaperMod (map), Jasper
    "cover-img",            // Beautiful Jekyll (URL, list, or list of {URL: caption})
    "header.overlay_image", // Minimal Mistakes
    "header.image",         // Minimal Mistakes
    "headimg",              // Volantis
    "banner",               // Stellar, Tranquilpeak-style
    "top_img",              // Butterfly, AnZhiYu
    "index_img",            // Fluid (the post's cover on the index)
    "banner_img",           // Fluid (the banner above the post)
    "featured_image",       // Ananke, Hugo themes
    "featuredImage",        // LoveIt, FixIt, DoIt
    "featureimage",         // Blowfish, Clarity (`featureImage`; keys match without case)
    "coverImage",
    "cover_image",
    "image",              // Stack, Chirpy (map with `path`), jekyll-seo-tag, So Simple
    "images",             // Hugo's own templates (Open Graph), Hermit
    "img",                // Matery
    "photos",             // Hexo
    "extra.cover",        // Zola themes' [extra]
    "extra.cover_image",  // zallery
    "extra.banner",       // Duckquill-style
    "extra.header_image", // splash
    "extra.image",
    "extra.social_media_card", // tabi (the sharing card, last resort)
];
/// Where the themes put the small image of a post's card, in order.
const THUMBNAIL: &[&str] = &[
    "thumbnail",      // Volantis, Icarus, Redefine, Mainroad (map with `src`), al-folio
    "thumbnailImage", // Tranquilpeak
    "thumbnail_image",
    "thumbnail-img", // Beautiful Jekyll
    "thumb",
    "featuredImagePreview", // LoveIt, FixIt, DoIt
    "header.teaser",        // Minimal Mistakes
    "image.thumbnail",      // So Simple
    "extra.thumbnail",      // Zola themes' [extra]
];
const COMMENTS: &[&str] = &["comments", "comment"];
const LANG: &[&str] = &["lang", "language", "locale"];
const SLUG: &[&str] = &["slug"];
const PERMALINK: &[&str] = &["permalink", "url", "path"];

/// Where the front matter came from: its text and first line (to point
/// diagnostics at the key they are about), the file's name, and the
/// generator whose conventions apply.
pub struct Source<'a> {
    pub raw: Option<(&'a str, usize)>,
    pub file_name: Option<&'a str>,
    pub generator: Generator,
}

/// Normalizes parsed front matter.
pub fn normalize(
    mut data: Map<String, Value>,
    base: Option<&url::Url>,
    source: Source,
    diagnostics: &mut Diagnostics,
) -> Meta {
    let generator = source.generator;
    let mut fields = Fields {
        data: &mut data,
        diagnostics,
        raw: source.raw,
    };
    let mut meta = Meta {
        title: fields.text(TITLE),
        author: fields.author(),
        date: fields.date(DATE),
        updated: fields.date(UPDATED),
        description: fields.text(DESCRIPTION),
        cover: fields.url(COVER, base),
        thumbnail: fields.url(THUMBNAIL, base),
        draft: fields.draft(),
        comments: fields.flag(COMMENTS),
        lang: fields.text(LANG),
        slug: fields.text(SLUG),
        permalink: fields.permalink(base),
        ..Meta::default()
    };
    let (categories, tags) = fields.taxonomies(generator);
    meta.categories = categories;
    meta.tags = tags;
    meta.extra = data;
    if generator == Generator::Jekyll
        && let Some(name) = source.file_name
    {
        from_jekyll_file_name(&mut meta, name);
    }
    meta
}

/// What Jekyll takes from a post's file name when the front matter does not
/// say: `2019-03-18-hello-world.md` is dated 2019-03-18 (a date in the
/// site's zone, so it stays floating), titled "Hello World" and slugged
/// `hello-world`. A document without a date in a collection folder
/// (`_drafts/`, `_docs/`) still gets its title and slug; a page
/// (`about.md`) gets neither, as in Jekyll.
fn from_jekyll_file_name(meta: &mut Meta, path: &str) {
    let mut parts = path.rsplit(['/', '\\']);
    let name = parts.next().unwrap_or(path);
    let in_collection = parts.any(|folder| folder.len() > 1 && folder.starts_with('_'));
    let (date, slug) = match jekyll_date_prefix(name) {
        Some((date, slug)) => (Some(date), slug),
        None if in_collection => (None, name.rsplit_once('.').map_or(name, |(stem, _)| stem)),
        None => return,
    };
    if meta.date.is_none() {
        meta.date = date.and_then(date::normalize);
    }
    if slug.is_empty() {
        return;
    }
    if meta.title.is_none() {
        meta.title = Some(titleize_slug(slug));
    }
    if meta.slug.is_none() {
        meta.slug = Some(slug.to_owned());
    }
}

/// Jekyll's `titleize_slug`: `_` and spaces are hyphens, and each piece
/// between hyphens is capitalized as Ruby does it (first letter upper case,
/// the rest lower case).
fn titleize_slug(slug: &str) -> String {
    slug.split(['-', '_', ' '])
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first
                    .to_uppercase()
                    .chain(chars.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

struct Fields<'a> {
    data: &'a mut Map<String, Value>,
    diagnostics: &'a mut Diagnostics,
    raw: Option<(&'a str, usize)>,
}

impl Fields<'_> {
    /// The line of `key` in the front matter (`key:`, `key =` or `"key"`),
    /// or its first line.
    fn line(&self, key: &str) -> Option<usize> {
        let (raw, first) = self.raw?;
        let found = raw.lines().position(|line| {
            let line = line.trim_start().trim_start_matches('"');
            line.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches('"')
                    .trim_start()
                    .starts_with([':', '='])
            })
        });
        Some(first + found.unwrap_or(0))
    }

    /// Removes and returns the first of `keys` present (compared without case).
    fn take(&mut self, keys: &[&str]) -> Option<(String, Value)> {
        keys.iter().find_map(|key| {
            let found = self
                .data
                .keys()
                .find(|k| k.eq_ignore_ascii_case(key))?
                .clone();
            let value = self.data.shift_remove(&found)?;
            Some((found, value))
        })
    }

    /// Like `take`, but leaves a value that `convert` refuses where it was.
    fn take_if<T>(&mut self, keys: &[&str], convert: impl Fn(&Value) -> Option<T>) -> Option<T> {
        for key in keys {
            let Some(found) = self
                .data
                .keys()
                .find(|k| k.eq_ignore_ascii_case(key))
                .cloned()
            else {
                continue;
            };
            if let Some(converted) = convert(&self.data[&found]) {
                self.data.shift_remove(&found);
                return Some(converted);
            }
        }
        None
    }

    fn text(&mut self, keys: &[&str]) -> Option<String> {
        self.take_if(keys, scalar_text).filter(|t| !t.is_empty())
    }

    fn author(&mut self) -> Option<String> {
        self.take_if(AUTHOR, |value| {
            let names: Vec<String> = match value {
                Value::Array(items) => items.iter().filter_map(person).collect(),
                other => person(other).into_iter().collect(),
            };
            (!names.is_empty()).then(|| names.join(", "))
        })
    }

    fn date(&mut self, keys: &[&str]) -> Option<String> {
        let (key, value) = keys.iter().find_map(|key| {
            let k = self.data.keys().find(|k| k.eq_ignore_ascii_case(key))?;
            Some((k.clone(), self.data[k].clone()))
        })?;
        match scalar_text(&value).as_deref().and_then(date::normalize) {
            Some(normalized) => {
                self.data.shift_remove(&key);
                Some(normalized)
            }
            None => {
                self.diagnostics.warn(
                    "meta.invalid-date",
                    format!("`{key}: {value}` is not a date this library reads; it was kept in `meta.extra`."),
                    self.line(&key),
                );
                None
            }
        }
    }

    /// The first usable image URL at `places` (see [`COVER`]). A top-level
    /// key holding just the URL is used up; one holding more (a list of
    /// photos, a cover with alt text and caption) and any map a nested
    /// place is read from stay in `extra`, so nothing the author wrote is
    /// lost.
    fn url(&mut self, places: &[&str], base: Option<&url::Url>) -> Option<String> {
        for place in places {
            let (outer, inner) = match place.split_once('.') {
                Some((outer, inner)) => (outer, Some(inner)),
                None => (*place, None),
            };
            let Some(key) = self
                .data
                .keys()
                .find(|k| k.eq_ignore_ascii_case(outer))
                .cloned()
            else {
                continue;
            };
            let value = match inner {
                None => &self.data[&key],
                Some(inner) => match self.data[&key].get(inner) {
                    Some(value) => value,
                    None => continue,
                },
            };
            let Some(raw) = image_url(value)
                .map(|r| plain(&r))
                .filter(|r| !r.is_empty())
            else {
                // `cover: {hidden: true}`, `image: false`: not this one.
                continue;
            };
            let used_up = inner.is_none()
                && match value {
                    Value::Array(items) => items.len() <= 1,
                    Value::Object(map) => map.len() <= 1,
                    _ => true,
                };
            if used_up {
                self.data.shift_remove(&key);
            }
            let resolved = safe_url::safe_resolved(&raw, Context::Image, base);
            if resolved.is_none() {
                self.diagnostics.warn(
                    "meta.unsafe-url",
                    format!("`{place}` is not a safe image URL (only http, https, relative and data:image are); it was dropped."),
                    self.line(&key),
                );
            }
            return resolved;
        }
        None
    }

    fn permalink(&mut self, base: Option<&url::Url>) -> Option<String> {
        let (key, raw) = PERMALINK.iter().find_map(|key| {
            let k = self.data.keys().find(|k| k.eq_ignore_ascii_case(key))?;
            Some((k.clone(), scalar_text(&self.data[k])?))
        })?;
        self.data.shift_remove(&key);
        let resolved = safe_url::safe_resolved(&plain(&raw), Context::Link, base);
        if resolved.is_none() {
            self.diagnostics.warn(
                "meta.unsafe-url",
                format!("`{key}` is not a safe link; it was dropped."),
                self.line(&key),
            );
        }
        resolved.filter(|r| !r.is_empty())
    }

    /// `keys` is `[plural, singular]`. Jekyll reads the singular first and
    /// takes it whole (`category: web design` is one), and splits a plural
    /// string at white space (`categories: jekyll update` is two), as its
    /// `pluralized_array_from_hash` does. Hexo (`[categories]` of a string)
    /// and Hugo (`ToStringSlicePreserveString`) take the plural first and a
    /// string whole; plain files and Zola (whose taxonomies are lists)
    /// split a string at commas.
    fn terms(&mut self, keys: &[&str], generator: Generator) -> Vec<String> {
        if matches!(generator, Generator::Hexo | Generator::Hugo) {
            return match self.take(keys) {
                Some((_, Value::String(s))) => terms(&Value::Array(vec![Value::String(s)])),
                Some((_, other)) => terms(&other),
                None => Vec::new(),
            };
        }
        if generator != Generator::Jekyll {
            return self.take(keys).map(|(_, v)| terms(&v)).unwrap_or_default();
        }
        let (plural, singular) = (keys[0], keys[1]);
        if let Some((_, value)) = self.take(&[singular]) {
            // Both given: Jekyll ignores the plural; keep it in `extra`.
            return match value {
                Value::String(s) => terms(&Value::Array(vec![Value::String(s)])),
                other => terms(&other),
            };
        }
        match self.take(&[plural]) {
            Some((_, Value::String(s))) => {
                let words = s.split_whitespace().map(|w| Value::String(w.to_owned()));
                terms(&Value::Array(words.collect()))
            }
            Some((_, other)) => terms(&other),
            None => Vec::new(),
        }
    }

    fn flag(&mut self, keys: &[&str]) -> Option<bool> {
        self.take_if(keys, boolean)
    }

    /// `draft: true`, or Jekyll's `published: false`.
    fn draft(&mut self) -> Option<bool> {
        self.flag(&["draft"])
            .or_else(|| self.flag(&["published"]).map(|published| !published))
    }

    /// Categories and tags, top level or under Zola's `[taxonomies]`.
    fn taxonomies(&mut self, generator: Generator) -> (Vec<String>, Vec<String>) {
        let mut categories = self.terms(CATEGORIES, generator);
        let mut tags = self.terms(TAGS, generator);
        if let Some(Value::Object(taxonomies)) = self.data.get_mut("taxonomies") {
            if categories.is_empty() {
                categories = taxonomies
                    .shift_remove("categories")
                    .map(|v| terms(&v))
                    .unwrap_or_default();
            }
            if tags.is_empty() {
                tags = taxonomies
                    .shift_remove("tags")
                    .map(|v| terms(&v))
                    .unwrap_or_default();
            }
            if taxonomies.is_empty() {
                self.data.shift_remove("taxonomies");
            }
        }
        (categories, tags)
    }
}

/// Text of a string, number or boolean.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(plain(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The URL in an image field: a string; the first of a list (Hexo
/// `photos`, Hugo `images`); a map's `image`, `src`, `path` or `url`
/// (PaperMod, Mainroad, Chirpy); or Beautiful Jekyll's `{URL: caption}`.
fn image_url(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => items.first().and_then(image_url),
        Value::Object(map) => ["image", "src", "path", "url"]
            .iter()
            .find_map(|k| map.get(*k).and_then(scalar_text))
            .or_else(|| match map.iter().next() {
                Some((url, Value::String(_) | Value::Null))
                    if map.len() == 1 && looks_like_path(url) =>
                {
                    Some(url.clone())
                }
                _ => None,
            }),
        _ => None,
    }
}

/// `/img/a.jpg`, `https://…`, `a.png`: a key that is a URL, not a word.
fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.contains('.')
}

/// A name, or a `{name: …}` object as Hugo and Jekyll themes write authors.
fn person(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => map.get("name").and_then(scalar_text),
        other => scalar_text(other),
    }
    .filter(|name| !name.is_empty())
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// Categories or tags in any of their forms — `a`, `a, b`, `[a, b]`, Hexo's
/// `[[parent, child], other]` — as a flat list in order, without repeats.
fn terms(value: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |term: String| {
        if !term.is_empty() && !out.contains(&term) {
            out.push(term);
        }
    };
    match value {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(inner) => inner.iter().filter_map(scalar_text).for_each(&mut add),
                    other => scalar_text(other).into_iter().for_each(&mut add),
                }
            }
        }
        other => {
            if let Some(text) = scalar_text(other) {
                text.split([',', '，', '、'])
                    .map(|t| t.trim().to_owned())
                    .for_each(&mut add);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn meta(value: Value) -> (Meta, Diagnostics) {
        let mut d = Diagnostics::default();
        let map = value.as_object().unwrap().clone();
        (
            normalize(
                map,
                None,
                Source {
                    raw: Some(("title: x\ncover: y\n", 2)),
                    file_name: None,
                    generator: Generator::None,
                },
                &mut d,
            ),
            d,
        )
    }

    fn jekyll(value: Value, file_name: &str) -> Meta {
        let mut d = Diagnostics::default();
        let source = Source {
            raw: None,
            file_name: Some(file_name),
            generator: Generator::Jekyll,
        };
        normalize(value.as_object().unwrap().clone(), None, source, &mut d)
    }

    #[test]
    fn jekyll_reads_the_file_name() {
        let m = jekyll(
            json!({"layout": "post"}),
            "_posts/2019-03-18-hello-world.markdown",
        );
        assert_eq!(m.date.as_deref(), Some("2019-03-18"), "a floating date");
        assert_eq!(m.title.as_deref(), Some("Hello World"));
        assert_eq!(m.slug.as_deref(), Some("hello-world"));
        let m = jekyll(
            json!({"title": "Mine", "date": "2020-01-02 10:00:00 +0800"}),
            "2019-03-18-my_GREAT-post.md",
        );
        assert_eq!(m.title.as_deref(), Some("Mine"), "the front matter wins");
        assert_eq!(m.date.as_deref(), Some("2020-01-02T10:00:00+08:00"));
        let m = jekyll(json!({}), "2019-03-18-my_GREAT-post.md");
        assert_eq!(
            m.title.as_deref(),
            Some("My Great Post"),
            "Ruby's capitalize lowers the rest"
        );
        let m = jekyll(json!({}), "site/_drafts/a-new-idea.md");
        assert_eq!((m.date, m.title.as_deref()), (None, Some("A New Idea")));
        let m = jekyll(json!({}), "about.md");
        assert_eq!((m.title, m.slug), (None, None), "a page is not a document");
    }

    #[test]
    fn jekyll_splits_plural_strings_at_spaces() {
        let m = jekyll(
            json!({"categories": "jekyll update", "tags": "a, b"}),
            "x.md",
        );
        assert_eq!(m.categories, ["jekyll", "update"]);
        assert_eq!(m.tags, ["a,", "b"], "Ruby's split knows no commas");
        let m = jekyll(
            json!({"category": "web design", "categories": "x y"}),
            "x.md",
        );
        assert_eq!(m.categories, ["web design"], "the singular, whole");
        assert_eq!(m.extra["categories"], "x y");
        let (m, _) = meta(json!({"categories": "jekyll update"}));
        assert_eq!(m.categories, ["jekyll update"], "plain Markdown makes one");
        for generator in [Generator::Hexo, Generator::Hugo] {
            let mut d = Diagnostics::default();
            let source = Source {
                raw: None,
                file_name: None,
                generator,
            };
            let data = json!({"categories": "jekyll update", "tags": "a, b"});
            let m = normalize(data.as_object().unwrap().clone(), None, source, &mut d);
            assert_eq!(m.categories, ["jekyll update"], "{generator:?} makes one");
            assert_eq!(m.tags, ["a, b"], "{generator:?} does not split commas");
        }
    }

    #[test]
    fn seed_shaped_front_matter() {
        let (m, d) = meta(json!({
            "title": "全国总工会发布意见 &amp; 要求",
            "categories": ["金融", "新浪财经", "新浪财经－国內"],
            "headimg": "https://n.example/a.png",
            "author": "新浪财经",
            "comments": false,
            "date": "Mon, 19 Jul 2021 11:24:48 GMT",
            "thumbnail": "https://n.example/t.png",
        }));
        assert_eq!(
            m.title.as_deref(),
            Some("全国总工会发布意见 & 要求"),
            "references in the title are decoded"
        );
        assert_eq!(
            m.categories,
            ["金融", "新浪财经", "新浪财经－国內"],
            "categories keep their order"
        );
        assert_eq!(
            m.cover.as_deref(),
            Some("https://n.example/a.png"),
            "headimg is the cover"
        );
        assert_eq!(m.thumbnail.as_deref(), Some("https://n.example/t.png"));
        assert_eq!(m.date.as_deref(), Some("2021-07-19T11:24:48Z"));
        assert_eq!(m.comments, Some(false));
        assert!(m.extra.is_empty(), "every key was used: {:?}", m.extra);
        assert!(d.0.is_empty());
    }

    #[test]
    fn category_and_tag_forms() {
        let (m, _) = meta(json!({"categories": [["Tech", "Rust"], "Notes"], "tags": "a, b，c"}));
        assert_eq!(
            m.categories,
            ["Tech", "Rust", "Notes"],
            "Hexo's list of lists is flattened in order"
        );
        assert_eq!(m.tags, ["a", "b", "c"], "a comma list is split");
        let (m, _) = meta(json!({"taxonomies": {"tags": ["x"], "series": ["s"]}}));
        assert_eq!(m.tags, ["x"], "Zola taxonomies are read");
        assert_eq!(
            m.extra,
            *json!({"taxonomies": {"series": ["s"]}})
                .as_object()
                .unwrap(),
            "other taxonomies stay"
        );
    }

    #[test]
    fn unsafe_cover_is_dropped_with_a_warning() {
        let (m, d) = meta(json!({"cover": "javascript:alert(1)", "title": "x"}));
        assert_eq!(m.cover, None);
        assert_eq!(d.0[0].code, "meta.unsafe-url");
        assert_eq!(
            d.0[0].line,
            Some(3),
            "the warning points at the `cover:` line"
        );
    }

    #[test]
    fn bad_date_stays_in_extra() {
        let (m, d) = meta(json!({"date": "next tuesday"}));
        assert_eq!(m.date, None);
        assert_eq!(
            m.extra["date"], "next tuesday",
            "the author's text is not lost"
        );
        assert_eq!(d.0[0].code, "meta.invalid-date");
    }

    #[test]
    fn aliases_and_other_keys() {
        let (m, _) = meta(json!({
            "authors": [{"name": "A"}, "B"], "summary": "S", "published": false,
            "photos": ["p.png", "q.png"], "lastmod": "2020-01-02", "custom": {"k": 1}
        }));
        assert_eq!(m.author.as_deref(), Some("A, B"));
        assert_eq!(m.description.as_deref(), Some("S"));
        assert_eq!(m.draft, Some(true), "published: false means a draft");
        assert_eq!(m.cover.as_deref(), Some("p.png"), "photos[0] is the cover");
        assert_eq!(m.updated.as_deref(), Some("2020-01-02"));
        assert_eq!(
            m.extra,
            *json!({"custom": {"k": 1}, "photos": ["p.png", "q.png"]})
                .as_object()
                .unwrap()
        );
    }
}
