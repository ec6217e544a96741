//! Markdown syntax beyond CommonMark that belongs to a generator's renderer
//! (kramdown for Jekyll, goldmark for Hugo) or to GitHub's alerts, hooked
//! into [`crate::markdown`] at two points: the source before parsing
//! ([`prepare`]) and the events after ([`Prepared::apply`]).
//!
//! Plain Markdown (generator none) only gets alerts, which are GFM; the
//! rest applies in its dialect alone, so CommonMark stays CommonMark.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options as Extensions};

use crate::diagnostics::Note;
use crate::dialect::Syntax;
use crate::rendered::Generator;
use crate::{alerts, attributes, kramdown};

/// The source as the parser should read it, and what was taken out of it.
pub struct Prepared<'s> {
    pub source: Cow<'s, str>,
    syntax: Syntax,
    attributes: attributes::Lines,
    pub notes: Vec<Note>,
}

/// Takes the attribute-list lines out of the source (blanked, so lines and
/// the blocks around them keep their places) and rewrites kramdown's table
/// separators as GFM's.
pub fn prepare(source: &str, generator: Generator) -> Prepared<'_> {
    let syntax = Syntax::of(generator);
    let notes = Vec::new();
    if syntax == Syntax::Plain {
        return Prepared {
            source: Cow::Borrowed(source),
            syntax,
            attributes: attributes::Lines::default(),
            notes,
        };
    }
    prepare_dialect(source, syntax, notes)
}

/// [`prepare`] for kramdown's or goldmark's syntax; not inlined (Hexo's and
/// Zola's articles never run it: see the crate's doc).
#[inline(never)]
fn prepare_dialect(source: &str, syntax: Syntax, mut notes: Vec<Note>) -> Prepared<'_> {
    // Separators first: every offset found later is in the final source.
    let tables = match syntax {
        Syntax::Kramdown => match kramdown::nomarkdown_blocks(source) {
            Cow::Borrowed(source) => kramdown::gfm_table_separators(source),
            Cow::Owned(raw) => Cow::Owned(kramdown::gfm_table_separators(&raw).into_owned()),
        },
        _ => Cow::Borrowed(source),
    };
    let (blanked, attributes) = attributes::take_lines(&tables, syntax, &mut notes);
    let source = match blanked {
        Cow::Owned(blanked) => Cow::Owned(blanked),
        Cow::Borrowed(_) => tables,
    };
    Prepared {
        source,
        syntax,
        attributes,
        notes,
    }
}

impl Prepared<'_> {
    /// Whether the dialect is CommonMark's with GitHub's extensions, whose
    /// rewrites read each block alone.
    pub fn is_plain(&self) -> bool {
        self.syntax == Syntax::Plain
    }

    /// The parser extensions the dialect adds: definition lists in kramdown
    /// and in goldmark (Hugo turns its extension on by default), which
    /// marked (Hexo), Zola's pulldown-cmark and GitHub do not have.
    pub fn extensions(&self) -> Extensions {
        match self.syntax {
            Syntax::Kramdown | Syntax::Goldmark => Extensions::ENABLE_DEFINITION_LIST,
            Syntax::Plain => Extensions::empty(),
        }
    }

    /// Applies the dialect to the parsed events: `markdown="1"` blocks
    /// parsed, kramdown's table separator rows dropped, attribute lists
    /// attached, and (everywhere, when on) alerts written as GitHub does.
    pub fn apply<'a>(
        &self,
        events: Vec<(Event<'a>, Range<usize>)>,
        alerts_on: bool,
        extensions: Extensions,
        notes: &mut Vec<Note>,
    ) -> Vec<(Event<'a>, Range<usize>)> {
        let mut events = events;
        if self.syntax == Syntax::Kramdown {
            events = kramdown::raw_nomarkdown(events);
            events = kramdown::markdown_in_html(events, extensions);
            events = kramdown::without_separator_rows(events);
            events = kramdown::headerless_tables(events, &self.source, extensions);
        }
        if self.syntax != Syntax::Plain {
            events = attributes::attach(events, &self.source, &self.attributes, self.syntax, notes);
        }
        if alerts_on {
            events = alerts::render(events, notes);
        }
        events
    }
}
