//! Writes the sanitizer's tree as HTML, in time linear in its size.
//!
//! Written here rather than taken from html5ever, whose serializer (0.40,
//! the latest) searches the rest of a text or attribute value for the next
//! `<`, `>` or `"` before each `&` or U+0080–U+00BF it escapes: a megabyte
//! of "Q&A, R&D and AT&T" took seconds natively and most of a minute in
//! wasm. The output is byte for byte what that serializer writes (a test
//! compares the two): the HTML fragment serialization of the standard, with
//! `<` and `>` escaped in attribute values too.
//!
//! It needs ammonia's tree, public only under `--cfg ammonia_unstable`
//! (`.cargo/config.toml` sets it for this repository). Without the cfg, as
//! in a crate that depends on this one, only [`escape`] is built and the
//! sanitizer falls back to ammonia's stable output (`sanitize.rs`).

#[cfg(ammonia_unstable)]
use ammonia::rcdom::{Handle, NodeData};
#[cfg(ammonia_unstable)]
use html5ever::{Attribute, LocalName, Namespace, local_name, ns};

/// What the policy does to an element as it is written: the sanitizer's
/// last word, after ammonia's.
pub enum Edit {
    Keep,
    /// Written with these attributes added after its own (` rel="…"`).
    Add(&'static str),
    /// Not written. Only for an element without content (a void one).
    Omit,
}

#[cfg(ammonia_unstable)]
/// Appends the serialization of `root`'s children to `out`, each element
/// edited as `edit` says.
pub fn children(root: &Handle, out: &mut String, edit: impl Fn(&str, &[Attribute]) -> Edit) {
    // An explicit stack, not recursion: the tree can be as deep as the input
    // allows (the depth limit runs before, but this must not depend on it).
    enum Step {
        Open(Handle),
        Close(Handle),
    }
    let mut steps: Vec<Step> = root
        .children
        .borrow()
        .iter()
        .rev()
        .cloned()
        .map(Step::Open)
        .collect();
    // Whether the element around the current node writes its text raw.
    let mut raw: Vec<bool> = vec![false];
    while let Some(step) = steps.pop() {
        match step {
            Step::Open(node) => match &node.data {
                NodeData::Element { name, attrs, .. } => {
                    let attrs = attrs.borrow();
                    let added = match edit(&name.local, &attrs) {
                        Edit::Keep => "",
                        Edit::Add(added) => added,
                        Edit::Omit if node.children.borrow().is_empty() => continue,
                        Edit::Omit => "",
                    };
                    out.push('<');
                    out.push_str(&name.local);
                    for attribute in attrs.iter() {
                        write_attribute(attribute, out);
                    }
                    out.push_str(added);
                    out.push('>');
                    if name.ns == ns!(html) && is_void(&name.local) {
                        continue;
                    }
                    raw.push(name.ns == ns!(html) && is_raw_text(&name.local));
                    steps.push(Step::Close(node.clone()));
                    steps.extend(node.children.borrow().iter().rev().cloned().map(Step::Open));
                }
                NodeData::Text { contents } => {
                    let text = contents.borrow();
                    if raw.last() == Some(&true) {
                        out.push_str(&text);
                    } else {
                        escape(&text, false, out);
                    }
                }
                NodeData::Comment { contents } => {
                    out.push_str("<!--");
                    out.push_str(contents);
                    out.push_str("-->");
                }
                NodeData::Doctype { name } => {
                    out.push_str("<!DOCTYPE ");
                    out.push_str(name);
                    out.push('>');
                }
                NodeData::ProcessingInstruction { target, contents } => {
                    out.push_str("<?");
                    out.push_str(target);
                    out.push(' ');
                    out.push_str(contents);
                    out.push('>');
                }
                // Only the root is a document, and it is not written.
                NodeData::Document => {}
            },
            Step::Close(node) => {
                raw.pop();
                if let NodeData::Element { name, .. } = &node.data {
                    out.push_str("</");
                    out.push_str(&name.local);
                    out.push('>');
                }
            }
        }
    }
}

#[cfg(ammonia_unstable)]
fn write_attribute(attribute: &Attribute, out: &mut String) {
    out.push(' ');
    out.push_str(namespace_prefix(&attribute.name.ns, &attribute.name.local));
    out.push_str(&attribute.name.local);
    out.push_str("=\"");
    escape(&attribute.value, true, out);
    out.push('"');
}

#[cfg(ammonia_unstable)]
/// How an attribute in a foreign namespace is written (`xlink:href`).
fn namespace_prefix(namespace: &Namespace, local: &LocalName) -> &'static str {
    match *namespace {
        ns!() => "",
        ns!(xml) => "xml:",
        ns!(xmlns) if *local == local_name!("xmlns") => "",
        ns!(xmlns) => "xmlns:",
        ns!(xlink) => "xlink:",
        _ => "unknown_namespace:",
    }
}

/// Escapes `&`, `<`, `>` and U+00A0 (and `"` in an attribute value), one
/// pass over the text.
pub fn escape(text: &str, attribute: bool, out: &mut String) {
    let bytes = text.as_bytes();
    let mut written = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let (entity, len) = match byte {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' if attribute => ("&quot;", 1),
            // U+00A0 is C2 A0 in UTF-8.
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => ("&nbsp;", 2),
            _ => continue,
        };
        // `i` is at an ASCII byte or a lead byte, so both slices are on
        // character boundaries.
        out.push_str(&text[written..i]);
        out.push_str(entity);
        written = i + len;
    }
    out.push_str(&text[written..]);
}

#[cfg(ammonia_unstable)]
/// Elements with no end tag and no content.
fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("frame")
            | local_name!("hr")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

#[cfg(ammonia_unstable)]
/// Elements whose text the parser reads without character references, so
/// it is written as it is (`noscript` too: the parser runs with scripting on).
fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("style")
            | local_name!("script")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("plaintext")
            | local_name!("noscript")
    )
}
