//! Alerts (GitHub) and callouts (Obsidian, Hugo themes): a blockquote whose
//! first line is `[!TYPE]`, optionally followed by `+` or `-` (foldable,
//! open or closed) and a title.
//!
//! GitHub writes `<div class="markdown-alert markdown-alert-note">` holding a
//! `<p class="markdown-alert-title">Note</p>` and then the quote's content;
//! that markup is kept here, so stylesheets written for GitHub work. A
//! foldable callout is a `<details>` whose `<summary>` is the title.
//! Obsidian's extra types (`todo`, `bug`, `example`, …) are styled as the
//! GitHub kind nearest in meaning and keep their own title.
//!
//! pulldown-cmark recognizes only the five GitHub types, alone on their
//! line; everything else arrives as a quote whose first paragraph starts
//! with the marker's text, which is read here from the events.

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use crate::diagnostics::Note;
use crate::rewrite::Rewrite;

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The five kinds GitHub styles, by their class suffix and default title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl Kind {
    fn class(self) -> &'static str {
        match self {
            Kind::Note => "markdown-alert-note",
            Kind::Tip => "markdown-alert-tip",
            Kind::Important => "markdown-alert-important",
            Kind::Warning => "markdown-alert-warning",
            Kind::Caution => "markdown-alert-caution",
        }
    }
}

impl From<BlockQuoteKind> for Kind {
    fn from(kind: BlockQuoteKind) -> Kind {
        match kind {
            BlockQuoteKind::Note => Kind::Note,
            BlockQuoteKind::Tip => Kind::Tip,
            BlockQuoteKind::Important => Kind::Important,
            BlockQuoteKind::Warning => Kind::Warning,
            BlockQuoteKind::Caution => Kind::Caution,
        }
    }
}

/// Every type name GitHub and Obsidian know (Obsidian's aliases included;
/// Hugo themes such as FixIt and Blowfish use the same names), with the
/// GitHub kind that styles it: blue for information, green for advice and
/// success, purple for what matters or shows, yellow for questions and
/// warnings, red for failures and dangers.
const TYPES: &[(&str, Kind)] = &[
    ("note", Kind::Note),
    ("info", Kind::Note),
    ("todo", Kind::Note),
    ("quote", Kind::Note),
    ("cite", Kind::Note),
    ("tip", Kind::Tip),
    ("hint", Kind::Tip),
    ("abstract", Kind::Tip),
    ("summary", Kind::Tip),
    ("tldr", Kind::Tip),
    ("success", Kind::Tip),
    ("check", Kind::Tip),
    ("done", Kind::Tip),
    ("important", Kind::Important),
    ("example", Kind::Important),
    ("warning", Kind::Warning),
    ("attention", Kind::Warning),
    ("question", Kind::Warning),
    ("help", Kind::Warning),
    ("faq", Kind::Warning),
    ("caution", Kind::Caution),
    ("failure", Kind::Caution),
    ("fail", Kind::Caution),
    ("missing", Kind::Caution),
    ("danger", Kind::Caution),
    ("error", Kind::Caution),
    ("bug", Kind::Caution),
];

/// `[!type]` and what follows it on the first line of a quote.
struct Marker<'a> {
    kind: Kind,
    /// The type as written, for its default title.
    name: String,
    /// `Some(open)` for a foldable callout (`+` open, `-` closed).
    fold: Option<bool>,
    /// The title written after the marker, as inline events.
    title: Events<'a>,
    /// How many events after the blockquote's start the marker line used
    /// (its paragraph's start, its text and the line break after it).
    used: usize,
    /// The first paragraph held only the marker line: it is left out.
    empty_paragraph: bool,
}

/// Rewrites every alert blockquote of `events` as GitHub's alert markup.
pub fn render<'a>(mut events: Events<'a>, notes: &mut Vec<Note>) -> Events<'a> {
    let Some(first) = events
        .iter()
        .position(|(event, _)| matches!(event, Event::Start(Tag::BlockQuote(_))))
    else {
        return events;
    };
    // In place, from the first quote on: most quotes are not alerts, and an
    // alert adds few events.
    let mut out = Rewrite::from(&mut events, first);
    // What each open blockquote ends with: its own end, or the alert's.
    let mut closers: Vec<Option<&'static str>> = Vec::new();
    loop {
        // Only a quote's start and end are read; the rest stays in place.
        out.keep_until(|event| {
            matches!(
                event,
                Event::Start(Tag::BlockQuote(_)) | Event::End(TagEnd::BlockQuote(_))
            )
        });
        let Some((event, range)) = out.next() else {
            break;
        };
        let marker = match &event {
            Event::Start(Tag::BlockQuote(Some(kind))) => Some(Marker {
                kind: (*kind).into(),
                name: default_name((*kind).into()).to_owned(),
                fold: None,
                title: Vec::new(),
                used: 0,
                empty_paragraph: false,
            }),
            Event::Start(Tag::BlockQuote(None)) => read_marker(out.ahead(), &range, notes),
            Event::End(TagEnd::BlockQuote(_)) => {
                if let Some(closer) = closers.pop().flatten() {
                    out.push((Event::Html(CowStr::Borrowed(closer)), range));
                    continue;
                }
                None
            }
            _ => None,
        };
        let Some(marker) = marker else {
            if matches!(event, Event::Start(Tag::BlockQuote(_))) {
                closers.push(None);
            }
            out.push((event, range));
            continue;
        };
        let (title_element, closer) = match marker.fold {
            None => ("p", "</div>\n"),
            Some(_) => ("summary", "</details>\n"),
        };
        let start = opening(marker.kind, marker.fold);
        out.push((Event::Html(start.into()), range.clone()));
        if marker.title.is_empty() {
            out.push((Event::Text(marker.name.into()), range.clone()));
        } else {
            out.extend(marker.title);
        }
        let end = format!("</{title_element}>\n");
        out.push((Event::Html(end.into()), range.clone()));
        closers.push(Some(closer));
        out.skip(marker.used);
        if marker.empty_paragraph {
            // The paragraph held the marker line alone: its end goes too.
            out.skip(1);
        } else if marker.used > 0 {
            // The paragraph goes on after the marker line.
            out.push((Event::Start(Tag::Paragraph), range));
        }
    }
    out.finish();
    events
}

/// The markup that opens an alert of `kind` (`fold` as in [`Marker`]):
/// its box and its title's element.
fn opening(kind: Kind, fold: Option<bool>) -> String {
    let (element, title_element) = match fold {
        None => ("div", "p"),
        Some(_) => ("details", "summary"),
    };
    let open = if fold == Some(true) { " open" } else { "" };
    format!(
        "<{element} class=\"markdown-alert {}\"{open}>\n<{title_element} class=\"markdown-alert-title\">",
        kind.class()
    )
}

/// Whether `html` is the markup [`render`] opens an alert with (which the
/// Markdown fast path writes itself; the ends it writes close what this
/// opened, and the fast path knows them by that).
pub fn is_opening(html: &str) -> bool {
    let Some(rest) = html
        .strip_prefix("<div class=\"markdown-alert ")
        .or_else(|| html.strip_prefix("<details class=\"markdown-alert "))
    else {
        return false;
    };
    let Some(class) = rest.split('"').next() else {
        return false;
    };
    let Some(kind) = [
        Kind::Note,
        Kind::Tip,
        Kind::Important,
        Kind::Warning,
        Kind::Caution,
    ]
    .into_iter()
    .find(|kind| kind.class() == class) else {
        return false;
    };
    [None, Some(false), Some(true)]
        .into_iter()
        .any(|fold| opening(kind, fold) == html)
}

/// Whether the blockquote that `events` starts with is an alert, which
/// [`render`] will write as GitHub does.
pub fn starts_alert(events: &[(Event, Range<usize>)]) -> bool {
    match events.first() {
        Some((Event::Start(Tag::BlockQuote(Some(_))), _)) => true,
        Some((Event::Start(Tag::BlockQuote(None)), range)) => {
            read_marker(&events[1..], range, &mut Vec::new()).is_some()
        }
        _ => false,
    }
}

/// GitHub's title for each kind.
fn default_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Note => "Note",
        Kind::Tip => "Tip",
        Kind::Important => "Important",
        Kind::Warning => "Warning",
        Kind::Caution => "Caution",
    }
}

/// Reads `[!type]±title` from the events after a quote's start: its first
/// line, which must start a paragraph.
fn read_marker<'a>(
    ahead: &[(Event<'a>, Range<usize>)],
    quote: &Range<usize>,
    notes: &mut Vec<Note>,
) -> Option<Marker<'a>> {
    let (Event::Start(Tag::Paragraph), _) = ahead.first()? else {
        return None;
    };
    if !matches!(ahead.get(1), Some((Event::Text(t), _)) if t.starts_with('[')) {
        return None;
    }
    // pulldown-cmark splits `[!tip]- Title` into several text events.
    let mut text = String::new();
    let mut texts = 0;
    for (event, _) in &ahead[1..] {
        let Event::Text(t) = event else { break };
        text.push_str(t);
        texts += 1;
    }
    let inner = text.strip_prefix("[!")?;
    let close = inner.find(']')?;
    let name = &inner[..close];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let Some(&(_, kind)) = TYPES.iter().find(|(t, _)| t.eq_ignore_ascii_case(name)) else {
        notes.push(Note::info(
            "markdown.unknown-alert-type",
            format!("`[!{name}]` is not an alert type GitHub or Obsidian knows; the quote is shown as written."),
            quote.start,
        ));
        return None;
    };
    let mut after = &inner[close + 1..];
    let fold = match after.as_bytes().first() {
        Some(b'+') => Some(true),
        Some(b'-') => Some(false),
        _ => None,
    };
    if fold.is_some() {
        after = &after[1..];
    }
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let mut title: Events<'a> = Vec::new();
    let first_range = ahead[1].1.clone();
    let after = after.trim_start();
    if !after.is_empty() {
        title.push((Event::Text(after.to_owned().into()), first_range));
    }
    let mut used = 1 + texts;
    let mut empty_paragraph = false;
    // A link or emphasis that goes on past the line break belongs to the
    // title whole, so the title's tags stay balanced.
    let mut depth = 0usize;
    for (event, range) in &ahead[used..] {
        used += 1;
        match event {
            Event::SoftBreak | Event::HardBreak if depth == 0 => break,
            Event::Start(_) => {
                depth += 1;
                title.push((event.clone(), range.clone()));
            }
            Event::End(TagEnd::Paragraph) if depth == 0 => {
                empty_paragraph = true;
                // The end is left for the caller to skip.
                used -= 1;
                break;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                title.push((event.clone(), range.clone()));
            }
            other => title.push((other.clone(), range.clone())),
        }
    }
    if let Some((Event::Text(last), _)) = title.last_mut() {
        let trimmed = last.trim_end();
        if trimmed.len() != last.len() {
            *last = trimmed.to_owned().into();
        }
    }
    let mut name = name.to_ascii_lowercase();
    name[..1].make_ascii_uppercase();
    Some(Marker {
        kind,
        name,
        fold,
        title,
        used,
        empty_paragraph,
    })
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser, html};

    fn render(source: &str) -> (String, Vec<super::Note>) {
        let events = Parser::new_ext(source, Options::ENABLE_GFM)
            .into_offset_iter()
            .collect();
        let mut notes = Vec::new();
        let events = super::render(events, &mut notes);
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter().map(|(e, _)| e));
        (out, notes)
    }

    #[test]
    fn github_alerts_are_written_as_github_writes_them() {
        let (out, _) = render("> [!NOTE]\n> Read this first.\n");
        assert_eq!(
            out,
            "<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Note</p>\n<p>Read this first.</p>\n</div>\n"
        );
        let (out, _) = render("> [!caution]\n> Back up first.\n");
        assert!(
            out.starts_with("<div class=\"markdown-alert markdown-alert-caution\">\n<p class=\"markdown-alert-title\">Caution</p>"),
            "{out}"
        );
    }

    #[test]
    fn a_title_replaces_the_default_and_keeps_its_markup() {
        let (out, _) = render("> [!WARNING] Mind the *gap*\n> The train is long.\n");
        assert_eq!(
            out,
            "<div class=\"markdown-alert markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Mind the <em>gap</em></p>\n<p>The train is long.</p>\n</div>\n"
        );
    }

    #[test]
    fn foldable_callouts_are_details() {
        let (out, _) = render("> [!tip]- Spoiler\n> It was the butler.\n");
        assert_eq!(
            out,
            "<details class=\"markdown-alert markdown-alert-tip\">\n<summary class=\"markdown-alert-title\">Spoiler</summary>\n<p>It was the butler.</p>\n</details>\n"
        );
        let (out, _) = render("> [!FAQ]+\n> Yes.\n");
        assert!(
            out.starts_with("<details class=\"markdown-alert markdown-alert-warning\" open>\n<summary class=\"markdown-alert-title\">Faq</summary>"),
            "{out}"
        );
    }

    #[test]
    fn obsidian_types_map_onto_github_kinds_with_their_own_title() {
        for (name, class, title) in [
            ("todo", "note", "Todo"),
            ("abstract", "tip", "Abstract"),
            ("example", "important", "Example"),
            ("question", "warning", "Question"),
            ("bug", "caution", "Bug"),
            ("QUOTE", "note", "Quote"),
        ] {
            let (out, _) = render(&format!("> [!{name}]\n> Body.\n"));
            assert!(
                out.starts_with(&format!("<div class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{title}</p>\n<p>Body.</p>")),
                "{name}: {out}"
            );
        }
    }

    #[test]
    fn a_link_across_the_line_break_stays_whole_in_the_title() {
        let (out, _) = render("> [!NOTE] See [the\n> guide](/g)\n> Body.\n");
        assert_eq!(
            out,
            "<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">See <a href=\"/g\">the\nguide</a></p>\n<p>Body.</p>\n</div>\n"
        );
    }

    #[test]
    fn a_quote_with_only_a_marker_has_no_empty_paragraph() {
        let (out, _) = render("> [!info] Just a title\n");
        assert_eq!(
            out,
            "<div class=\"markdown-alert markdown-alert-note\">\n<p class=\"markdown-alert-title\">Just a title</p>\n</div>\n"
        );
    }

    #[test]
    fn nested_alerts_close_in_order() {
        let (out, _) =
            render("> [!note]\n> Outer.\n>\n> > [!bug] Inner\n> > Broken.\n>\n> After.\n");
        assert_eq!(out.matches("<div").count(), 2, "{out}");
        assert!(out.ends_with("<p>After.</p>\n</div>\n"), "{out}");
        assert!(!out.contains("blockquote"), "{out}");
    }

    /// Every opening `render` writes is known as one, and nothing else.
    #[test]
    fn openings_are_known_by_their_markup() {
        for source in ["> [!NOTE]\n> a\n", "> [!tip]- T\n> a\n", "> [!bug]+\n> a\n"] {
            let events = pulldown_cmark::Parser::new_ext(source, Options::ENABLE_GFM)
                .into_offset_iter()
                .collect();
            let events = super::render(events, &mut Vec::new());
            let openings = events
                .iter()
                .filter(
                    |(e, _)| matches!(e, pulldown_cmark::Event::Html(h) if super::is_opening(h)),
                )
                .count();
            assert_eq!(openings, 1, "{source:?}");
        }
        for other in [
            "<div class=\"markdown-alert markdown-alert-note\">",
            "<div class=\"markdown-alert markdown-alert-note\" onclick=\"x\">\n<p class=\"markdown-alert-title\">",
            "<div class=\"markdown-alert markdown-alert-other\">\n<p class=\"markdown-alert-title\">",
            "</div>\n",
        ] {
            assert!(!super::is_opening(other), "{other:?}");
        }
    }

    #[test]
    fn other_quotes_stay_quotes() {
        for source in [
            "> Plain quote.\n",
            "> [!] nothing\n",
            "> [link](/x) text\n",
            "> [!NOTE]text glued\n",
            "> *[!NOTE]*\n",
        ] {
            let (out, notes) = render(source);
            assert!(out.starts_with("<blockquote>"), "{source:?}: {out}");
            assert!(notes.is_empty(), "{source:?}");
        }
        let (out, notes) = render("> [!spoiler] Hidden\n> text\n");
        assert!(out.contains("[!spoiler] Hidden"), "{out}");
        assert_eq!(notes[0].code, "markdown.unknown-alert-type");
    }
}
