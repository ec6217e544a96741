//! How text and attributes of the sanitizer's tree are written, in time
//! linear in their size (the walk, `crate::html::walk`, writes the tags).
//!
//! Written here rather than taken from html5ever, whose serializer (0.40,
//! the latest) searches the rest of a text or attribute value for the next
//! `<`, `>` or `"` before each `&` or U+0080–U+00BF it escapes: a megabyte
//! of "Q&A, R&D and AT&T" took seconds natively and most of a minute in
//! wasm. The output is byte for byte what that serializer writes (a test
//! compares the two): the HTML fragment serialization of the standard, with
//! `<` and `>` escaped in attribute values too.
//!
//! Without `--cfg ammonia_unstable`, as in a crate that depends on this
//! one, only [`escape`] is built and the sanitizer reads ammonia's stable
//! output instead (`crate::html::walk::string`).

#[cfg(ammonia_unstable)]
use html5ever::{Attribute, LocalName, Namespace, local_name, ns};

#[cfg(ammonia_unstable)]
/// Writes ` name="value"`, the value escaped.
pub fn write_attribute(attribute: &Attribute, out: &mut String) {
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

/// `text` with its carriage returns as the parser reads them: a CR LF as
/// one newline, a CR alone as a newline. Borrowed when it has none.
pub fn newlines_as_parsed(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Escapes `&`, `<`, `>` and U+00A0 (and `"` in an attribute value), one
/// pass over the text.
pub fn escape(text: &str, attribute: bool, out: &mut String) {
    // The bytes that may need an entity: one table load per byte of text
    // instead of five comparisons (text is most of what is written).
    const MAYBE: [bool; 256] = {
        let mut table = [false; 256];
        table[b'&' as usize] = true;
        table[b'<' as usize] = true;
        table[b'>' as usize] = true;
        table[b'"' as usize] = true;
        table[0xC2] = true;
        table
    };
    let bytes = text.as_bytes();
    let mut written = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        if !MAYBE[usize::from(byte)] {
            continue;
        }
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
