//! The one walk over the sanitizer's cleaned tree: it writes the HTML, adds
//! the policy's attributes, checks on its own stack of open elements whether
//! the output reads back as itself (the fixed point, [`crate::reparse`]),
//! notes the links left inside links, and calls a [`Visitor`] (the outline:
//! ids, table of contents, images, links, text) with what it writes.
//!
//! Before it, each of those read the written string again; one pass now
//! does all of it, in time linear in the tree.
//!
//! [`tree_into`] walks ammonia's tree, public only under `--cfg ammonia_unstable`
//! (`.cargo/config.toml` sets it for this repository). Without the cfg, as
//! in a crate that depends on this one, [`string`] reads ammonia's stable
//! serialization with [`crate::scan`] and makes the same calls in the same
//! order, so both builds give the same output (a test compares them).

use std::borrow::Cow;
use std::ops::Range;

use crate::html::elements::{self, Categories, NO_END_TAG};
use crate::reparse::Check;

/// What the policy does to an element as it is written: the sanitizer's
/// last word, after ammonia's.
pub enum Edit {
    Keep,
    /// Written with these attributes added after its own (` rel="…"`).
    Add(&'static str),
    /// Not written. Only for an element without content (a void one).
    Omit,
}

/// The attributes of an element as it was written.
pub trait Attributes {
    /// The value of attribute `name`, decoded.
    fn get(&self, name: &str) -> Option<Cow<'_, str>>;

    /// The first attribute whose name `pick` accepts: its name, its value
    /// decoded, and the offset of its name in the output.
    fn find(&self, pick: &dyn Fn(&str) -> bool) -> Option<(&str, Cow<'_, str>, usize)>;
}

/// Attributes a writer has at hand as `(name, decoded value, output offset
/// of the name)`, in the order written: what a writer other than the walk
/// (the Markdown fast path) can pass to a [`Visitor`].
// Only the tests drive a visitor this way until the fast path does.
#[cfg_attr(not(test), allow(dead_code))]
pub struct List<'a>(pub &'a [(&'a str, &'a str, usize)]);

impl Attributes for List<'_> {
    fn get(&self, name: &str) -> Option<Cow<'_, str>> {
        let (_, value, _) = self.0.iter().find(|(n, ..)| *n == name)?;
        Some(Cow::Borrowed(value))
    }

    fn find(&self, pick: &dyn Fn(&str) -> bool) -> Option<(&str, Cow<'_, str>, usize)> {
        let (name, value, at) = self.0.iter().find(|(n, ..)| pick(n))?;
        Some((name, Cow::Borrowed(value), *at))
    }
}

/// Reads the document as it is written, in document order: what the walk
/// over the cleaned tree calls, and what any other writer of safe HTML
/// (the Markdown fast path) may call to get the same outline.
///
/// Void elements have a start and no end; every other element has both,
/// properly nested. Text comes decoded, adjacent pieces possibly split.
pub trait Visitor {
    /// An element's start tag, already in the output; `categories` are
    /// its entry's in the element table (0 for a name not in it), which the
    /// writer looked up; `name_end` is the output offset just after
    /// `<name`, where an added attribute goes.
    fn start(
        &mut self,
        name: &str,
        categories: Categories,
        attributes: &dyn Attributes,
        name_end: usize,
    );
    /// Text, decoded.
    fn text(&mut self, text: &str);
    /// An element's end tag, with its categories.
    fn end(&mut self, name: &str, categories: Categories);
    /// About `bytes` of text are to come (the Markdown fast path's guess
    /// for a big document, once its first chunk passed the writer's check):
    /// room for them now saves growing a buffer by doubling.
    fn expect_text(&mut self, _bytes: usize) {}
}

/// No visitor: the walk only writes and checks (`sanitize_html`).
impl Visitor for () {
    fn start(&mut self, _: &str, _: Categories, _: &dyn Attributes, _: usize) {}
    fn text(&mut self, _: &str) {}
    fn end(&mut self, _: &str, _: Categories) {}
}

/// What one cleaning wrote.
pub struct Pass {
    /// The HTML.
    pub html: String,
    /// Whether a browser reads [`Pass::html`] back as the tree it was
    /// written from (may say no for one that does; never yes for one that
    /// does not).
    pub stable: bool,
    /// The tags of links inside links, to unwrap (see
    /// [`Pass::without_nested_links`]).
    nested_links: Vec<Range<usize>>,
    /// The most elements open at once, and the most formatting elements
    /// open at once: in output that reads back as itself every element is
    /// closed where its tree closed it, so these bound what the guard's
    /// model would measure in it (see `Policy::clean_guarded`).
    pub deepest: usize,
    pub most_formatting: usize,
}

impl Pass {
    /// The HTML with every link inside a link unwrapped, its content kept;
    /// `None` when there is none.
    ///
    /// Mutation XSS guard: a link in a link is a tree no string describes (a
    /// browser closes the outer `<a>` at the inner one's start tag). The
    /// parser builds one when the adoption agency gives up: `<a>` then 20
    /// `<div>`s then `<a>` leaves the second link inside the first, and each
    /// cleaning only peels eight levels. The next cleaning settles whatever
    /// the missing `<a>` changes (a heading in a heading, once the link
    /// between them is gone), and a string without nested links never
    /// parses into nested links again.
    pub fn without_nested_links(&self) -> Option<String> {
        if self.nested_links.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(self.html.len());
        let mut from = 0;
        for range in &self.nested_links {
            out.push_str(&self.html[from..range.start]);
            from = range.end;
        }
        out.push_str(&self.html[from..]);
        Some(out)
    }
}

/// The state of one walk, whichever the input: the output and what is
/// learnt while writing it. One writer can take the trees of several pieces
/// of a document in turn ([`tree_into`], [`string_into`]): it writes them
/// one after the other and reads them as one document.
pub struct Writer<'v, V: Visitor> {
    out: String,
    check: Check,
    /// For each open element, whether it is a link inside a link, and
    /// its categories.
    open: Vec<(bool, Categories)>,
    formatting: usize,
    deepest: usize,
    most_formatting: usize,
    /// Open links that are not unwrapped.
    links: usize,
    nested_links: Vec<Range<usize>>,
    visitor: &'v mut V,
}

impl<'v, V: Visitor> Writer<'v, V> {
    /// A writer of nothing yet, its output reserved to `capacity` bytes.
    pub fn new(capacity: usize, visitor: &'v mut V) -> Self {
        Writer {
            out: String::with_capacity(capacity),
            check: Check::default(),
            open: Vec::new(),
            formatting: 0,
            deepest: 0,
            most_formatting: 0,
            links: 0,
            nested_links: Vec::new(),
            visitor,
        }
    }

    /// Text about to be written, without the U+FEFF that would start the
    /// output: html5ever discards one that starts its input, as a byte-order
    /// mark, so one left at the start (after a dropped `<script>`, or a
    /// second one) would go on the next cleaning. It is an invisible
    /// character: dropping it keeps the output a fixed point.
    fn leading<'t>(&self, text: &'t str) -> &'t str {
        if self.out.is_empty() {
            text.trim_start_matches('\u{FEFF}')
        } else {
            text
        }
    }

    /// A start tag was written from `tag_start`; `name_end` is just after
    /// its name; `entry` is its entry in the element table. `has_end` says
    /// whether an end tag will follow.
    fn started(
        &mut self,
        name: &str,
        entry: Option<(&'static str, Categories)>,
        attributes: &dyn Attributes,
        tag_start: usize,
        name_end: usize,
        has_end: bool,
    ) {
        self.check.start_entry(entry);
        let categories = entry.map_or(0, |(_, c)| c);
        self.visitor.start(name, categories, attributes, name_end);
        if has_end {
            let nested = name == "a" && self.links > 0;
            if nested {
                self.nested_links.push(tag_start..self.out.len());
            } else if name == "a" {
                self.links += 1;
            }
            self.formatting += usize::from(categories & elements::FORMATTING != 0);
            self.open.push((nested, categories));
            self.deepest = self.deepest.max(self.open.len());
            self.most_formatting = self.most_formatting.max(self.formatting);
        }
    }

    /// An end tag was written from `tag_start`.
    fn ended(&mut self, name: &str, tag_start: usize) {
        self.check.end(name);
        let (nested, categories) = self.open.pop().unwrap_or_default();
        self.visitor.end(name, categories);
        self.formatting -= usize::from(categories & elements::FORMATTING != 0);
        match nested {
            true => self.nested_links.push(tag_start..self.out.len()),
            false if name == "a" => self.links -= 1,
            false => {}
        }
    }

    /// What was written, and whether it reads back as itself.
    pub fn finish(self) -> Pass {
        Pass {
            stable: self.check.finish(),
            html: self.out,
            nested_links: self.nested_links,
            deepest: self.deepest,
            most_formatting: self.most_formatting,
        }
    }
}

/// Walks ammonia's cleaned tree under `root` once: writes its children,
/// each element edited as `edit` says (given its name and whether it has a
/// `type` attribute), checks the fixed point, notes nested links, and calls
/// `visitor`. Linear time whatever the text holds (see
/// [`crate::serialize`] for why this is not html5ever's serializer).
#[cfg(all(ammonia_unstable, test))]
pub fn tree(
    root: &ammonia::rcdom::Handle,
    capacity: usize,
    edit: impl Fn(&str, bool) -> Edit,
    visitor: &mut impl Visitor,
) -> Pass {
    let mut writer = Writer::new(capacity, visitor);
    tree_into(root, edit, &[], &[], &mut writer);
    writer.finish()
}

/// `tree` (a whole document, for the tests), written by `writer` after
/// what it wrote before; the tree is a piece of a document (see
/// `crate::html::guard::split::Piece`): the elements `wrapped` (its first
/// element, that one's first, and so on) are not started, and those `left_open` (its last element, that one's last…)
/// not ended, since the writer started them before or will end them after.
/// `false`, and nothing written, if the tree does not start and end so.
#[cfg(ammonia_unstable)]
pub fn tree_into<V: Visitor>(
    root: &ammonia::rcdom::Handle,
    edit: impl Fn(&str, bool) -> Edit,
    wrapped: &[&str],
    left_open: &[&str],
    writer: &mut Writer<'_, V>,
) -> bool {
    use ammonia::rcdom::{Handle, NodeData};
    use html5ever::ns;

    /// The elements named `names` down one side of the tree from `root`
    /// (its first child then that one's, or the last), if they are there.
    fn side(root: &Handle, names: &[&str], first: bool) -> Option<Vec<Handle>> {
        let mut node = root.clone();
        let mut found = Vec::with_capacity(names.len());
        for name in names {
            let child = {
                let children = node.children.borrow();
                let child = if first {
                    children.first()
                } else {
                    children.last()
                };
                child?.clone()
            };
            match &child.data {
                NodeData::Element { name: n, .. } if n.ns == ns!(html) && &*n.local == *name => {}
                _ => return None,
            }
            found.push(child.clone());
            node = child;
        }
        Some(found)
    }
    let (Some(not_started), Some(not_ended)) =
        (side(root, wrapped, true), side(root, left_open, false))
    else {
        return false;
    };
    let is = |list: &[Handle], node: &Handle| list.iter().any(|h| std::rc::Rc::ptr_eq(h, node));

    use crate::serialize::{escape, write_attribute};

    /// An element's attributes, and where each name was written.
    struct Written<'a> {
        attributes: &'a [html5ever::Attribute],
        at: &'a [usize],
    }
    impl Attributes for Written<'_> {
        fn get(&self, name: &str) -> Option<Cow<'_, str>> {
            self.attributes
                .iter()
                .find(|a| a.name.ns == ns!() && &*a.name.local == name)
                .map(|a| Cow::Borrowed(&*a.value))
        }
        fn find(&self, pick: &dyn Fn(&str) -> bool) -> Option<(&str, Cow<'_, str>, usize)> {
            let i = self
                .attributes
                .iter()
                .position(|a| a.name.ns == ns!() && pick(&a.name.local))?;
            let a = &self.attributes[i];
            Some((&*a.name.local, Cow::Borrowed(&*a.value), self.at[i]))
        }
    }

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
    let mut at: Vec<usize> = Vec::new();
    while let Some(step) = steps.pop() {
        match step {
            Step::Open(node) => match &node.data {
                NodeData::Element { name, .. } if is(&not_started, &node) => {
                    raw.push(false);
                    steps.push(Step::Close(node.clone()));
                    steps.extend(node.children.borrow().iter().rev().cloned().map(Step::Open));
                    debug_assert!(&*name.local != "a", "a wrapper is no link");
                }
                NodeData::Element { name, attrs, .. } => {
                    let attrs = attrs.borrow();
                    let has_type = attrs.iter().any(|a| &*a.name.local == "type");
                    let added = match edit(&name.local, has_type) {
                        Edit::Keep => "",
                        Edit::Add(added) => added,
                        Edit::Omit if node.children.borrow().is_empty() => continue,
                        Edit::Omit => "",
                    };
                    let out = &mut writer.out;
                    let tag_start = out.len();
                    out.push('<');
                    out.push_str(&name.local);
                    let name_end = out.len();
                    at.clear();
                    for attribute in attrs.iter() {
                        at.push(out.len() + 1);
                        write_attribute(attribute, out);
                    }
                    out.push_str(added);
                    out.push('>');
                    let entry = elements::lookup(&name.local);
                    let categories = entry.map_or(0, |(_, c)| c);
                    let html = name.ns == ns!(html);
                    let void = html && categories & NO_END_TAG != 0;
                    let written = Written {
                        attributes: &attrs,
                        at: &at,
                    };
                    writer.started(&name.local, entry, &written, tag_start, name_end, !void);
                    if void {
                        continue;
                    }
                    raw.push(html && categories & elements::RAW_TEXT != 0);
                    steps.push(Step::Close(node.clone()));
                    steps.extend(node.children.borrow().iter().rev().cloned().map(Step::Open));
                }
                NodeData::Text { contents } => {
                    let contents = contents.borrow();
                    let text = writer.leading(&contents);
                    if text.is_empty() {
                        continue;
                    }
                    if raw.last() == Some(&true) {
                        writer.out.push_str(text);
                    } else {
                        escape(text, false, &mut writer.out);
                    }
                    writer.check.text(text);
                    writer.visitor.text(text);
                }
                // None survive the policy; written as html5ever would, and
                // never predicted to read back as themselves.
                NodeData::Comment { contents } => {
                    writer.check.start_entry(None);
                    writer.out.push_str("<!--");
                    writer.out.push_str(contents);
                    writer.out.push_str("-->");
                }
                NodeData::Doctype { name } => {
                    writer.check.start_entry(None);
                    writer.out.push_str("<!DOCTYPE ");
                    writer.out.push_str(name);
                    writer.out.push('>');
                }
                NodeData::ProcessingInstruction { target, contents } => {
                    writer.check.start_entry(None);
                    writer.out.push_str("<?");
                    writer.out.push_str(target);
                    writer.out.push(' ');
                    writer.out.push_str(contents);
                    writer.out.push('>');
                }
                // Only the root is a document, and it is not written.
                NodeData::Document => {}
            },
            Step::Close(node) => {
                raw.pop();
                if is(&not_ended, &node) {
                    continue;
                }
                if let NodeData::Element { name, .. } = &node.data {
                    let tag_start = writer.out.len();
                    writer.out.push_str("</");
                    writer.out.push_str(&name.local);
                    writer.out.push('>');
                    writer.ended(&name.local, tag_start);
                }
            }
        }
    }
    true
}

/// What [`tree_into`] does, from html5ever's serialization of the cleaned tree
/// (the build without the cfg): [`crate::scan`] reads that form exactly,
/// every tag of it a tag of the tree, so the calls and the output are the
/// same. html5ever's serializer takes time quadratic in the escapes of one
/// long text or attribute value, which the cfg avoids.
// With the cfg, only the tests that compare the two call it.
#[cfg_attr(all(ammonia_unstable, not(test)), allow(dead_code))]
pub fn string(html: &str, edit: impl Fn(&str, bool) -> Edit, visitor: &mut impl Visitor) -> Pass {
    let mut writer = Writer::new(html.len() + html.len() / 4, visitor);
    string_into(html, edit, &mut writer);
    writer.finish()
}

/// [`string`], written by `writer` after what it wrote before.
#[cfg_attr(all(ammonia_unstable, not(test)), allow(dead_code))]
pub fn string_into<V: Visitor>(
    html: &str,
    edit: impl Fn(&str, bool) -> Edit,
    writer: &mut Writer<'_, V>,
) {
    use crate::scan::{self, Item, Tag};

    /// A scanned tag's attributes; the tag starts at `out_start` in the output.
    struct Scanned<'a> {
        tag: &'a Tag<'a>,
        out_start: usize,
    }
    impl Attributes for Scanned<'_> {
        fn get(&self, name: &str) -> Option<Cow<'_, str>> {
            let a = self.tag.attrs.iter().find(|a| a.name == name)?;
            Some(scan::decode_cow(a.value))
        }
        fn find(&self, pick: &dyn Fn(&str) -> bool) -> Option<(&str, Cow<'_, str>, usize)> {
            let a = self.tag.attrs.iter().find(|a| pick(a.name))?;
            let at = self.out_start + (a.at - self.tag.start);
            Some((a.name, scan::decode_cow(a.value), at))
        }
    }

    for item in scan::items(html) {
        let tag = match item {
            Item::Text(text) => {
                let text = writer.leading(text);
                if text.is_empty() {
                    continue;
                }
                writer.out.push_str(text);
                writer.check.text(text);
                writer.visitor.text(&scan::decode_cow(text));
                continue;
            }
            Item::Tag(tag) => tag,
        };
        let tag_start = writer.out.len();
        if tag.closing {
            writer.out.push_str(&html[tag.start..=tag.gt]);
            writer.ended(tag.name, tag_start);
            continue;
        }
        // Only void elements are omitted: no end tag to remove.
        let added = match edit(tag.name, tag.attrs.iter().any(|a| a.name == "type")) {
            Edit::Keep => "",
            Edit::Add(added) => added,
            Edit::Omit => continue,
        };
        writer.out.push_str(&html[tag.start..tag.gt]);
        writer.out.push_str(added);
        writer.out.push('>');
        let scanned = Scanned {
            tag: &tag,
            out_start: tag_start,
        };
        let entry = elements::lookup(tag.name);
        let has_end = entry.is_none_or(|(_, c)| c & NO_END_TAG == 0);
        let name_end = tag_start + (tag.name_end - tag.start);
        writer.started(tag.name, entry, &scanned, tag_start, name_end, has_end);
    }
}
