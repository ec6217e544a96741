//! The safety check: what must hold for any `Rendered`, whatever the article
//! held. Shared by the attack corpus (`tests/attacks.rs`), the fuzz
//! regressions (`tests/fuzz_regressions.rs`) and the fuzz target
//! (`fuzz/fuzz_targets/render.rs`), which include this file by path.
//!
//! The HTML is read the way a browser reads it: parsed as a fragment by
//! html5ever (the parser of the HTML standard) in a `<div>`, with scripting
//! on (a page's `innerHTML`) and off (a script-less frame), then serialized
//! and parsed again, because mutation XSS lives in the difference between a
//! string and what it turns into. It deliberately does not reuse the
//! library's allow-list: it is a second opinion, written from the threat
//! model, not from the policy.

#![allow(dead_code)]

use std::collections::BTreeSet;

use article_render::safe_url::{self, Context};
use article_render::{ImagePolicy, Options, Rendered, sanitize_html};
use html5ever::tendril::TendrilSink;
use html5ever::{QualName, local_name, ns, serialize};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

/// Elements that run script, load documents, submit or take input, change
/// the page's base, refresh it, switch the parser into another namespace or
/// raw-text mode, or hide content from the sanitizer.
const DANGEROUS_ELEMENTS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "param",
    "base",
    "basefont",
    "meta",
    "link",
    "form",
    "button",
    "textarea",
    "select",
    "option",
    "optgroup",
    "datalist",
    "keygen",
    "output",
    "fieldset",
    "label",
    "svg",
    "math",
    "template",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "listing",
    "title",
    "html",
    "head",
    "body",
    "audio",
    "video",
    "source",
    "track",
    "picture",
    "canvas",
    "map",
    "area",
    "image",
    "isindex",
    "portal",
    "fencedframe",
    "dialog",
    "marquee",
    "slot",
    "frame",
];

/// Elements known to be inert in an article. Anything else (a custom
/// element the host page may have defined, an element of a newer standard)
/// is reported: the policy should unwrap it.
const INERT_ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes that are forbidden wherever they appear, with the reason.
const FORBIDDEN_ATTRIBUTES: &[(&str, &str)] = &[
    ("srcdoc", "loads an attacker's document"),
    ("formaction", "submits a form"),
    ("action", "submits a form"),
    ("form", "attaches to a form of the host page"),
    ("xlink:href", "is a link in another namespace"),
    ("srcset", "loads images the URL rule did not see"),
    ("background", "loads an image the URL rule did not see"),
    ("poster", "loads an image the URL rule did not see"),
    ("ping", "sends requests when a link is clicked"),
    ("lowsrc", "loads an image the URL rule did not see"),
    ("dynsrc", "loads a resource the URL rule did not see"),
    ("longdesc", "is a URL the URL rule did not see"),
    ("codebase", "loads code"),
    ("data", "loads an object"),
    ("name", "clobbers the host page's DOM"),
    ("target", "navigates other frames"),
    ("http-equiv", "changes the page"),
    ("is", "upgrades to a custom element of the host page"),
    ("popover", "overlays the host page"),
    ("popovertarget", "controls the host page's popovers"),
    ("autofocus", "steals focus"),
    ("contenteditable", "lets the article edit the page"),
    ("usemap", "binds to an image map"),
    ("slot", "enters the host page's shadow tree"),
    ("part", "is styled by the host page"),
    ("nonce", "carries a script nonce"),
    ("integrity", "carries a script hash"),
];

/// Attributes known to be inert (URLs are checked on their own).
const INERT_ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "title",
    "lang",
    "dir",
    "href",
    "hreflang",
    "rel",
    "src",
    "data-src",
    "alt",
    "width",
    "height",
    "loading",
    "decoding",
    "referrerpolicy",
    "type",
    "checked",
    "disabled",
    "start",
    "reversed",
    "value",
    "colspan",
    "rowspan",
    "align",
    "style",
    "scope",
    "span",
    "cite",
    "datetime",
    "open",
];

/// The keys of the JSON result, documented in the README: a new key is a
/// decision, not an accident.
const RENDERED_KEYS: &[&str] = &[
    "meta",
    "generator",
    "frontMatter",
    "bodyFormat",
    "html",
    "excerpt",
    "toc",
    "stats",
    "images",
    "diagnostics",
];
const META_KEYS: &[&str] = &[
    "title",
    "author",
    "date",
    "updated",
    "categories",
    "tags",
    "description",
    "cover",
    "thumbnail",
    "draft",
    "comments",
    "lang",
    "slug",
    "permalink",
    "extra",
];

/// Everything wrong with `rendered` as the output of `options`; empty when
/// it is safe to show.
pub fn check_rendered(rendered: &Rendered, options: &Options) -> Vec<String> {
    let mut problems = check_html(&rendered.html, options);

    match sanitize_html(&rendered.html, options) {
        Ok(again) if again != rendered.html => problems.push(format!(
            "sanitizing the output again changes it: {}",
            first_difference(&rendered.html, &again)
        )),
        Ok(_) => {}
        Err(e) => problems.push(format!("sanitize_html refused valid options: {e}")),
    }

    let urls = [
        ("meta.cover", rendered.meta.cover.as_deref(), Context::Image),
        (
            "meta.thumbnail",
            rendered.meta.thumbnail.as_deref(),
            Context::Image,
        ),
        (
            "meta.permalink",
            rendered.meta.permalink.as_deref(),
            Context::Link,
        ),
    ];
    for (field, url, context) in urls {
        if let Some(url) = url {
            check_url(field, url, context, &mut problems);
        }
    }
    for image in &rendered.images {
        check_url("images[].src", &image.src, Context::Image, &mut problems);
    }
    check_extra(&rendered.meta.extra, &mut problems);
    for entry in &rendered.toc {
        if !entry.id.is_empty() && !entry.id.starts_with(&options.id_prefix) {
            problems.push(format!(
                "toc id {:?} lacks the prefix {:?}",
                entry.id, options.id_prefix
            ));
        }
    }
    check_json(rendered, &mut problems);
    problems
}

/// Everything wrong with an HTML fragment meant to be inserted into a page.
pub fn check_html(html: &str, options: &Options) -> Vec<String> {
    let mut problems = Vec::new();
    for scripting in [true, false] {
        let first = parse(html, scripting);
        walk(&root(&first), options, &mut problems);
        // What the browser holds, written out and read again: mutation XSS
        // is a tree that reads differently the second time.
        let written = write(&first);
        if written != html {
            problems.push(format!(
                "the HTML is not the tree a browser builds from it (scripting {scripting}): {}",
                first_difference(html, &written)
            ));
        }
        let second = parse(&written, scripting);
        walk(&root(&second), options, &mut problems);
        let rewritten = write(&second);
        if rewritten != written {
            problems.push(format!(
                "the HTML mutates when serialized and parsed again (scripting {scripting}): {}",
                first_difference(&written, &rewritten)
            ));
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Parses `html` as the children of a `<div>`, as `innerHTML` does: a
/// string has no byte-order mark to discard, so a leading U+FEFF is text.
fn parse(html: &str, scripting: bool) -> RcDom {
    let opts = html5ever::ParseOpts {
        tokenizer: html5ever::tokenizer::TokenizerOpts {
            discard_bom: false,
            ..Default::default()
        },
        ..Default::default()
    };
    html5ever::parse_fragment(
        RcDom::default(),
        opts,
        QualName::new(None, ns!(html), local_name!("div")),
        Vec::new(),
        scripting,
    )
    .one(html)
}

/// The fragment's nodes are the children of the one `<html>` element. The
/// `RcDom` must outlive it: dropping the document empties every node.
fn root(dom: &RcDom) -> Handle {
    dom.document.children.borrow()[0].clone()
}

fn write(dom: &RcDom) -> String {
    let mut out = Vec::new();
    serialize(
        &mut out,
        &SerializableHandle::from(root(dom)),
        Default::default(),
    )
    .expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("html5ever writes UTF-8")
}

/// Checks every node under `root`, with a stack of its own: the output of
/// `sanitize_html` can nest as deep as its input.
fn walk(root: &Handle, options: &Options, problems: &mut Vec<String>) {
    let mut stack: Vec<Handle> = root.children.borrow().iter().rev().cloned().collect();
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Element {
                name,
                attrs,
                template_contents,
                ..
            } => {
                check_element(name, &attrs.borrow(), options, problems);
                if let Some(contents) = &*template_contents.borrow() {
                    stack.extend(contents.children.borrow().iter().rev().cloned());
                }
            }
            NodeData::Comment { contents } => problems.push(format!(
                "a comment survives (comments hide markup from some readers): <!--{contents}-->"
            )),
            NodeData::ProcessingInstruction { .. } | NodeData::Doctype { .. } => {
                problems.push("a processing instruction or doctype survives".to_owned())
            }
            NodeData::Text { .. } | NodeData::Document => {}
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
}

fn check_element(
    name: &QualName,
    attrs: &[html5ever::Attribute],
    options: &Options,
    problems: &mut Vec<String>,
) {
    let tag = &*name.local;
    if name.ns != ns!(html) {
        problems.push(format!(
            "<{tag}> is in the namespace {} (SVG or MathML)",
            &*name.ns
        ));
    }
    if DANGEROUS_ELEMENTS.contains(&tag) {
        problems.push(format!("dangerous element <{tag}>"));
    } else if !INERT_ELEMENTS.contains(&tag) {
        problems.push(format!("element <{tag}> is not known to be inert"));
    }
    let attr = |wanted: &str| {
        attrs
            .iter()
            .find(|a| a.name.ns == ns!() && &*a.name.local == wanted)
            .map(|a| &*a.value)
    };

    for a in attrs {
        let attr_name = &*a.name.local;
        let value = &*a.value;
        let shown = format!("<{tag} {attr_name}={value:?}>");
        if a.name.ns != ns!() || a.name.prefix.is_some() {
            problems.push(format!("namespaced attribute in {shown}"));
            continue;
        }
        if attr_name.len() >= 2 && attr_name.as_bytes()[..2].eq_ignore_ascii_case(b"on") {
            problems.push(format!("event handler {shown}"));
            continue;
        }
        if let Some((_, why)) = FORBIDDEN_ATTRIBUTES.iter().find(|(n, _)| *n == attr_name) {
            problems.push(format!("{shown} {why}"));
            continue;
        }
        if !INERT_ATTRIBUTES.contains(&attr_name) {
            problems.push(format!("attribute {shown} is not known to be inert"));
            continue;
        }
        match attr_name {
            "style" => {
                let text_align = value
                    .strip_prefix("text-align:")
                    .map(|v| v.trim().trim_end_matches(';').trim())
                    .is_some_and(|v| {
                        matches!(v, "left" | "right" | "center" | "justify" | "start" | "end")
                    });
                if !(matches!(tag, "td" | "th") && text_align) {
                    problems.push(format!("style beyond text-align on td/th: {shown}"));
                }
            }
            "id" if !value.starts_with(&options.id_prefix) => problems.push(format!(
                "{shown} lacks the id prefix {:?} (DOM clobbering)",
                options.id_prefix
            )),
            "href" | "src" | "data-src" | "cite" => {
                let context = if tag == "img" && attr_name != "cite" {
                    Context::Image
                } else {
                    Context::Link
                };
                check_url(&shown, value, context, problems);
            }
            _ => {}
        }
    }

    match tag {
        "a" => {
            let rel: BTreeSet<&str> = attr("rel").unwrap_or("").split_ascii_whitespace().collect();
            if !rel.contains("noopener") || !rel.contains("noreferrer") {
                problems.push(format!(
                    "<a> without rel=\"noopener noreferrer\" (rel={:?})",
                    attr("rel")
                ));
            }
        }
        "input" => {
            let checkbox = attr("type").is_some_and(|t| t.eq_ignore_ascii_case("checkbox"));
            if !checkbox || attr("disabled").is_none() {
                problems.push(format!(
                    "<input> other than a disabled checkbox (type={:?}, disabled={:?})",
                    attr("type"),
                    attr("disabled")
                ));
            }
        }
        "img" => {
            if attr("referrerpolicy") != Some("no-referrer") {
                problems.push("<img> without referrerpolicy=\"no-referrer\"".to_owned());
            }
            if options.images == ImagePolicy::Block && attr("src").is_some() {
                problems.push(format!(
                    "<img src={:?}> loads although images are blocked",
                    attr("src")
                ));
            }
        }
        _ => {}
    }
}

/// A URL is safe when the library's rule says so and when the WHATWG URL
/// parser (the `url` crate, as a browser reads it) agrees that its scheme is
/// one of http, https, mailto (links) or data:image (images).
fn check_url(what: &str, url: &str, context: Context, problems: &mut Vec<String>) {
    if safe_url::safe(url, context).is_none() {
        problems.push(format!("{what}: {url:?} is not a safe URL"));
        return;
    }
    if let Ok(parsed) = url::Url::parse(url) {
        let ok = match parsed.scheme() {
            "http" | "https" => true,
            "mailto" => context == Context::Link,
            "data" => context == Context::Image && is_raster(&parsed),
            _ => false,
        };
        if !ok {
            problems.push(format!(
                "{what}: a browser reads {url:?} with the scheme {:?}",
                parsed.scheme()
            ));
        }
    }
}

/// Raster image types: a `data:` URL of any other type (SVG above all) can
/// run script where a host puts an image URL outside `<img>`.
const RASTER: &[&str] = &[
    "image/png",
    "image/apng",
    "image/jpeg",
    "image/jpg",
    "image/pjpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "image/bmp",
    "image/x-icon",
    "image/vnd.microsoft.icon",
];

/// Whether a parsed `data:` URL declares a raster image type (the type is
/// what the Fetch standard reads: before `,` and `;`, white space trimmed).
fn is_raster(parsed: &url::Url) -> bool {
    let path = parsed.path();
    let header = path.split(',').next().unwrap_or_default();
    let essence = header.split(';').next().unwrap_or_default().trim();
    RASTER.iter().any(|t| t.eq_ignore_ascii_case(essence))
}

/// Keys a naive deep merge in JavaScript follows to a prototype.
const PROTOTYPE_KEYS: &[&str] = &["__proto__", "constructor", "prototype"];

/// `meta.extra` goes into hosts' `href`/`src` attributes and deep merges:
/// no key may reach a prototype, and no string may be a URL that runs
/// script or loads a document, as the value is or as an HTML template
/// writing it into `href="…"` (once or twice) would make it.
fn check_extra(extra: &serde_json::Map<String, serde_json::Value>, problems: &mut Vec<String>) {
    let mut todo: Vec<(String, &serde_json::Value)> =
        extra.iter().map(|(k, v)| (k.clone(), v)).collect();
    for key in extra.keys() {
        if PROTOTYPE_KEYS.contains(&key.as_str()) {
            problems.push(format!("meta.extra has the key {key:?}"));
        }
    }
    while let Some((path, value)) = todo.pop() {
        match value {
            serde_json::Value::String(text) => {
                let once = as_href(text);
                let twice = as_href(&once);
                for form in [text.as_str(), &once, &twice] {
                    if let Some(scheme) = runs_in_href(form) {
                        problems.push(format!(
                            "meta.extra.{path}: {text:?} is a {scheme}: URL in a browser"
                        ));
                        break;
                    }
                }
            }
            serde_json::Value::Array(items) => {
                todo.extend(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (format!("{path}[{i}]"), v)),
                );
            }
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    if PROTOTYPE_KEYS.contains(&key.as_str()) {
                        problems.push(format!("meta.extra.{path} has the key {key:?}"));
                    }
                    todo.push((format!("{path}.{key}"), v));
                }
            }
            _ => {}
        }
    }
}

/// The scheme, when a browser would run `value` as script or load it as a
/// document given it as a URL: read by the WHATWG URL parser (the `url`
/// crate), not by the library's rule.
fn runs_in_href(value: &str) -> Option<String> {
    let parsed = url::Url::parse(value).ok()?;
    match parsed.scheme() {
        "javascript" | "vbscript" => Some(parsed.scheme().to_owned()),
        "data" if !is_raster(&parsed) => Some("non-raster data".to_owned()),
        _ => None,
    }
}

/// The attribute value the HTML parser makes of `<a href="VALUE">`:
/// character references decoded, as a theme writing a value into a
/// template without escaping it would have it.
fn as_href(value: &str) -> String {
    if !value.contains('&') {
        return value.to_owned();
    }
    let dom = parse(
        &format!("<a href=\"{}\">", value.replace('"', "&quot;")),
        true,
    );
    let root = root(&dom);
    let children = root.children.borrow();
    match children.first().map(|c| &c.data) {
        Some(NodeData::Element { attrs, .. }) => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == "href")
            .map(|a| a.value.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The result serializes, parses back to the same JSON, and has exactly the
/// documented keys.
fn check_json(rendered: &Rendered, problems: &mut Vec<String>) {
    let text = match serde_json::to_string(rendered) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!("the result does not serialize: {e}"));
            return;
        }
    };
    let value: serde_json::Value = match serde_json::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            problems.push(format!("the result's JSON does not parse back: {e}"));
            return;
        }
    };
    if serde_json::to_string(&value).ok().as_deref() != Some(text.as_str()) {
        problems.push("the result's JSON changes when parsed and written again".to_owned());
    }
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    if keys(&value) != RENDERED_KEYS {
        problems.push(format!("unexpected result keys {:?}", keys(&value)));
    }
    if keys(&value["meta"]) != META_KEYS {
        problems.push(format!("unexpected meta keys {:?}", keys(&value["meta"])));
    }
    if !value["meta"]["extra"].is_object() {
        problems.push("meta.extra is not an object".to_owned());
    }
}

fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let around = |s: &str| {
        let mut start = at.saturating_sub(40).min(s.len());
        while !s.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 80).min(s.len());
        while !s.is_char_boundary(end) {
            end += 1;
        }
        s[start..end].to_owned()
    };
    format!("{:?} became {:?}", around(a), around(b))
}
