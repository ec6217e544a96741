//! What the HTML standard and the article policy say about each element,
//! in one table that every stage reads: the sanitizer's allow-list, the
//! writer (which elements have no end tag, which hold raw text), the
//! fixed-point check (the tree builder's scopes and the elements that close
//! a paragraph), the outline (which elements break the text) and the depth
//! model (special, formatting, scope, foreign-content breakout).
//!
//! The categories follow the standard's lists (WHATWG HTML §13.1.2 for void
//! and raw text, §13.2.4.2–.3 for special, formatting and the scopes,
//! §13.2.6.5 for leaving foreign content) as html5ever implements them,
//! including the legacy elements it still knows (`isindex`, `keygen`).
//! Names not in the table are in no category (and not allowed).

/// A set of categories, one bit each.
pub type Categories = u32;

/// Kept by the article policy (the sanitizer's allow-list).
pub const ALLOWED: Categories = 1;
/// Removed by the policy together with their content; every other element
/// outside [`ALLOWED`] is unwrapped, its text kept.
pub const DROPPED: Categories = 1 << 1;
/// The standard's void elements: no content, never on the parser's stack.
pub const VOID: Categories = 1 << 2;
/// Written without an end tag or content by the serialization algorithm:
/// [`VOID`] and the legacy `basefont`, `bgsound`, `frame`, `keygen`, `param`.
pub const NO_END_TAG: Categories = 1 << 3;
/// Text written as it is, without character references (`noscript` too:
/// the parser runs with scripting on).
pub const RAW_TEXT: Categories = 1 << 4;
/// The tree builder's "special" elements.
pub const SPECIAL: Categories = 1 << 5;
/// The tree builder's formatting elements (the adoption agency's).
pub const FORMATTING: Categories = 1 << 6;
/// Elements that put a marker on the list of active formatting elements.
pub const MARKER: Categories = 1 << 7;
/// Where an end tag of a special element stops looking (the depth model's
/// scope, which counts `select` too).
pub const SCOPE: Categories = 1 << 8;
/// The boundaries of "has an element in button scope": the default scope
/// and `button`.
pub const BUTTON_SCOPE: Categories = 1 << 9;
/// Start tags that leave SVG or MathML (`font` only with some attributes).
pub const BREAKOUT: Categories = 1 << 10;
/// What a table holds itself in the table modes; other start tags met with
/// its rows open are foster-parented.
pub const TABLE_CONTENT: Categories = 1 << 11;
/// Where only table parts and whitespace belong: text and other elements
/// there are moved before the table.
pub const TABLE_CONTEXT: Categories = 1 << 12;
/// Start tags that close a `p` open in button scope (`table` as in a
/// no-quirks document, which a fragment is).
pub const CLOSES_P: Categories = 1 << 13;
/// What "generate implied end tags" closes.
pub const IMPLIED_END: Categories = 1 << 14;
/// `h1`–`h6`.
pub const HEADING: Categories = 1 << 15;
/// Allowed elements that end a line of the article's plain text (the
/// excerpt and the statistics).
pub const BLOCK: Categories = 1 << 16;
/// Start tags the "in body" insertion mode handles without reopening
/// (reconstructing) the active formatting elements; every other start tag,
/// and text, first opens again those an end tag closed and the tree builder
/// keeps active (`<div><b>x</div><span>` opens a copy of the `<b>` before
/// the `<span>`).
pub const NO_REOPEN: Categories = 1 << 17;

/// Every element a category names, sorted by name (a test checks) for a
/// binary search.
#[rustfmt::skip]
pub const ELEMENTS: &[(&str, Categories)] = &[
    ("a", ALLOWED | FORMATTING),
    ("abbr", ALLOWED),
    ("address", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("applet", DROPPED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE),
    ("area", VOID | NO_END_TAG | SPECIAL),
    ("article", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("aside", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("audio", DROPPED),
    ("b", ALLOWED | FORMATTING | BREAKOUT),
    ("base", VOID | NO_END_TAG | SPECIAL | NO_REOPEN),
    ("basefont", NO_END_TAG | SPECIAL | NO_REOPEN),
    ("bdi", ALLOWED),
    ("bdo", ALLOWED),
    ("bgsound", NO_END_TAG | SPECIAL | NO_REOPEN),
    ("big", FORMATTING | BREAKOUT),
    ("blockquote", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("body", SPECIAL | BREAKOUT | NO_REOPEN),
    ("br", ALLOWED | VOID | NO_END_TAG | SPECIAL | BREAKOUT | BLOCK),
    ("button", SPECIAL | BUTTON_SCOPE),
    ("canvas", DROPPED),
    ("caption", ALLOWED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE | TABLE_CONTENT | BLOCK | NO_REOPEN),
    ("center", SPECIAL | BREAKOUT | CLOSES_P | NO_REOPEN),
    ("cite", ALLOWED),
    ("code", ALLOWED | FORMATTING | BREAKOUT),
    ("col", ALLOWED | VOID | NO_END_TAG | SPECIAL | TABLE_CONTENT | NO_REOPEN),
    ("colgroup", ALLOWED | SPECIAL | TABLE_CONTENT | TABLE_CONTEXT | NO_REOPEN),
    ("data", ALLOWED),
    ("dd", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | IMPLIED_END | BLOCK | NO_REOPEN),
    ("del", ALLOWED),
    ("details", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("dfn", ALLOWED),
    ("dialog", CLOSES_P | NO_REOPEN),
    ("dir", SPECIAL | CLOSES_P | NO_REOPEN),
    ("div", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("dl", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("dt", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | IMPLIED_END | BLOCK | NO_REOPEN),
    ("em", ALLOWED | FORMATTING | BREAKOUT),
    ("embed", DROPPED | VOID | NO_END_TAG | SPECIAL | BREAKOUT),
    ("fieldset", SPECIAL | CLOSES_P | NO_REOPEN),
    ("figcaption", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("figure", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("font", FORMATTING),
    ("footer", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("form", SPECIAL | TABLE_CONTENT | CLOSES_P | NO_REOPEN),
    ("frame", DROPPED | NO_END_TAG | SPECIAL | NO_REOPEN),
    ("frameset", DROPPED | SPECIAL | NO_REOPEN),
    ("h1", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("h2", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("h3", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("h4", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("h5", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("h6", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | HEADING | BLOCK | NO_REOPEN),
    ("head", DROPPED | SPECIAL | BREAKOUT | NO_REOPEN),
    ("header", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("hgroup", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("hr", ALLOWED | VOID | NO_END_TAG | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("html", SPECIAL | SCOPE | BUTTON_SCOPE | NO_REOPEN),
    ("i", ALLOWED | FORMATTING | BREAKOUT),
    ("iframe", DROPPED | RAW_TEXT | SPECIAL | NO_REOPEN),
    ("img", ALLOWED | VOID | NO_END_TAG | SPECIAL | BREAKOUT),
    ("input", ALLOWED | VOID | NO_END_TAG | SPECIAL),
    ("ins", ALLOWED),
    ("isindex", SPECIAL),
    ("kbd", ALLOWED),
    ("keygen", NO_END_TAG),
    ("li", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | IMPLIED_END | BLOCK | NO_REOPEN),
    ("link", VOID | NO_END_TAG | SPECIAL | NO_REOPEN),
    ("listing", SPECIAL | BREAKOUT | CLOSES_P | NO_REOPEN),
    ("main", SPECIAL | CLOSES_P | NO_REOPEN),
    ("mark", ALLOWED),
    ("marquee", SPECIAL | MARKER | SCOPE | BUTTON_SCOPE),
    ("math", DROPPED),
    ("menu", SPECIAL | BREAKOUT | CLOSES_P | NO_REOPEN),
    ("meta", VOID | NO_END_TAG | SPECIAL | BREAKOUT | NO_REOPEN),
    ("nav", SPECIAL | CLOSES_P | NO_REOPEN),
    ("nobr", FORMATTING | BREAKOUT),
    ("noembed", DROPPED | RAW_TEXT | SPECIAL | NO_REOPEN),
    ("noframes", DROPPED | RAW_TEXT | SPECIAL | NO_REOPEN),
    ("noscript", DROPPED | RAW_TEXT | SPECIAL | NO_REOPEN),
    ("object", DROPPED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE),
    ("ol", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("optgroup", IMPLIED_END),
    ("option", IMPLIED_END),
    ("p", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | IMPLIED_END | BLOCK | NO_REOPEN),
    ("param", NO_END_TAG | SPECIAL | NO_REOPEN),
    ("plaintext", RAW_TEXT | SPECIAL | CLOSES_P | NO_REOPEN),
    ("pre", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("q", ALLOWED),
    ("rb", IMPLIED_END | NO_REOPEN),
    ("rp", ALLOWED | IMPLIED_END | NO_REOPEN),
    ("rt", ALLOWED | IMPLIED_END | NO_REOPEN),
    ("rtc", IMPLIED_END | NO_REOPEN),
    ("ruby", ALLOWED | BREAKOUT),
    ("s", ALLOWED | FORMATTING | BREAKOUT),
    ("samp", ALLOWED),
    ("script", DROPPED | RAW_TEXT | SPECIAL | TABLE_CONTENT | NO_REOPEN),
    ("search", CLOSES_P | NO_REOPEN),
    ("section", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("select", DROPPED | SPECIAL | SCOPE),
    ("small", ALLOWED | FORMATTING | BREAKOUT),
    ("source", VOID | NO_END_TAG | SPECIAL | NO_REOPEN),
    ("span", ALLOWED | BREAKOUT),
    ("strike", ALLOWED | FORMATTING | BREAKOUT),
    ("strong", ALLOWED | FORMATTING | BREAKOUT),
    ("style", DROPPED | RAW_TEXT | SPECIAL | TABLE_CONTENT | NO_REOPEN),
    ("sub", ALLOWED | BREAKOUT),
    ("summary", ALLOWED | SPECIAL | CLOSES_P | BLOCK | NO_REOPEN),
    ("sup", ALLOWED | BREAKOUT),
    ("svg", DROPPED),
    ("table", ALLOWED | SPECIAL | SCOPE | BUTTON_SCOPE | BREAKOUT | TABLE_CONTENT | TABLE_CONTEXT | CLOSES_P | BLOCK | NO_REOPEN),
    ("tbody", ALLOWED | SPECIAL | TABLE_CONTENT | TABLE_CONTEXT | BLOCK | NO_REOPEN),
    ("td", ALLOWED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE | TABLE_CONTENT | BLOCK | NO_REOPEN),
    ("template", DROPPED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE | TABLE_CONTENT | NO_REOPEN),
    ("textarea", DROPPED | SPECIAL | NO_REOPEN),
    ("tfoot", ALLOWED | SPECIAL | TABLE_CONTENT | TABLE_CONTEXT | BLOCK | NO_REOPEN),
    ("th", ALLOWED | SPECIAL | MARKER | SCOPE | BUTTON_SCOPE | TABLE_CONTENT | BLOCK | NO_REOPEN),
    ("thead", ALLOWED | SPECIAL | TABLE_CONTENT | TABLE_CONTEXT | BLOCK | NO_REOPEN),
    ("time", ALLOWED),
    ("title", DROPPED | SPECIAL | NO_REOPEN),
    ("tr", ALLOWED | SPECIAL | TABLE_CONTENT | TABLE_CONTEXT | BLOCK | NO_REOPEN),
    ("track", VOID | NO_END_TAG | SPECIAL | NO_REOPEN),
    ("tt", ALLOWED | FORMATTING | BREAKOUT),
    ("u", ALLOWED | FORMATTING | BREAKOUT),
    ("ul", ALLOWED | SPECIAL | BREAKOUT | CLOSES_P | BLOCK | NO_REOPEN),
    ("var", ALLOWED | BREAKOUT),
    ("video", DROPPED),
    ("wbr", ALLOWED | VOID | NO_END_TAG | SPECIAL),
    ("xmp", DROPPED | RAW_TEXT | SPECIAL | CLOSES_P),
];

/// The categories of the element named `name` (a lowercase local name).
pub fn categories(name: &str) -> Categories {
    lookup(name).map_or(0, |(_, categories)| categories)
}

/// Where the names with each first letter start in [`ELEMENTS`] (sorted),
/// and its length last: a lookup compares the few names of one letter, by
/// length first. Every element's start and end goes through here, in the
/// walk, the outline and the guard; a binary search over all the names
/// cost a tenth of a Markdown render in string comparisons.
const BY_LETTER: [u8; 27] = {
    let mut starts = [0u8; 27];
    let mut letter = 0;
    let mut i = 0;
    while letter < 26 {
        while i < ELEMENTS.len() && ELEMENTS[i].0.as_bytes()[0] < b'a' + letter as u8 {
            i += 1;
        }
        starts[letter] = i as u8;
        letter += 1;
    }
    assert!(ELEMENTS.len() < 256);
    starts[26] = ELEMENTS.len() as u8;
    starts
};

/// An element's name as a `'static` string, and its categories.
pub type Entry = (&'static str, Categories);

/// The table's entry for `name`.
pub fn lookup(name: &str) -> Option<Entry> {
    let letter = usize::from(name.as_bytes().first()?.wrapping_sub(b'a'));
    let range = *BY_LETTER.get(letter)? as usize..*BY_LETTER.get(letter + 1)? as usize;
    ELEMENTS[range]
        .iter()
        .find(|(element, _)| element.len() == name.len() && *element == name)
        .copied()
}

/// [`lookup`] in a constant: the entry of a name the table must hold (a
/// name it does not is an error when the crate is compiled).
pub const fn entry(name: &str) -> Entry {
    let mut i = 0;
    while i < ELEMENTS.len() {
        let (element, _) = ELEMENTS[i];
        if element.len() == name.len() {
            let (a, b) = (element.as_bytes(), name.as_bytes());
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return ELEMENTS[i];
            }
        }
        i += 1;
    }
    panic!("not in the element table");
}

/// Whether element `name` is in `category` (or in any of several).
pub fn is(name: &str, category: Categories) -> bool {
    categories(name) & category != 0
}

/// How many elements are in `category`.
pub const fn count(category: Categories) -> usize {
    let mut n = 0;
    let mut i = 0;
    while i < ELEMENTS.len() {
        if ELEMENTS[i].1 & category != 0 {
            n += 1;
        }
        i += 1;
    }
    n
}

/// The names in `category`, sorted; `N` is [`count`]`(category)`.
pub const fn collect<const N: usize>(category: Categories) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut j) = (0, 0);
    while i < ELEMENTS.len() {
        if ELEMENTS[i].1 & category != 0 {
            out[j] = ELEMENTS[i].0;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The names in a category as a `&'static [&str]`, for code that wants a
/// list (ammonia's builder, `contains` checks):
/// `const VOID: &[&str] = names!(elements::VOID);`.
macro_rules! names {
    ($category:expr) => {{
        const N: usize = $crate::html::elements::count($category);
        const NAMES: [&str; N] = $crate::html::elements::collect::<N>($category);
        &NAMES
    }};
}
pub(crate) use names;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_its_index_by_letter() {
        assert!(ELEMENTS.is_sorted_by(|a, b| a.0 < b.0));
        assert!(
            ELEMENTS
                .iter()
                .all(|(name, _)| name.as_bytes()[0].is_ascii_lowercase())
        );
    }

    #[test]
    fn every_name_is_found_and_nothing_else() {
        for &(name, categories) in ELEMENTS {
            assert_eq!(lookup(name), Some((name, categories)), "{name}");
            for other in [format!("{name}x"), name[..name.len() - 1].to_owned()] {
                let listed = ELEMENTS.iter().any(|(n, _)| *n == other);
                assert_eq!(lookup(&other).is_some(), listed, "{other}");
            }
        }
        for name in ["", "A", "P", "zz", "{", "é", "\u{0}", "`p"] {
            assert_eq!(lookup(name), None, "{name:?}");
            assert_eq!(categories(name), 0);
        }
        assert_eq!(categories("zzz"), 0, "an unknown name is in no category");
        assert!(is("h3", HEADING | BLOCK) && !is("span", BLOCK));
    }

    fn sorted(list: &str) -> Vec<&str> {
        let mut names: Vec<&str> = list.split_whitespace().collect();
        names.sort_unstable();
        names
    }

    fn allowed(category: Categories) -> Vec<&'static str> {
        ELEMENTS
            .iter()
            .filter(|(_, c)| c & ALLOWED != 0 && c & category != 0)
            .map(|(name, _)| *name)
            .collect()
    }

    /// The lists the modules kept before this table, as they were: each
    /// category gives the same names to the module that reads it.
    #[test]
    fn categories_are_the_lists_the_modules_read() {
        let all = |category| names_of(category);
        fn names_of(category: Categories) -> Vec<&'static str> {
            ELEMENTS
                .iter()
                .filter(|(_, c)| c & category != 0)
                .map(|(name, _)| *name)
                .collect()
        }
        // The depth model's lists, whole.
        for (category, list) in [
            (
                VOID,
                "area base br col embed hr img input link meta source track wbr",
            ),
            (
                FORMATTING,
                "a b big code em font i nobr s small strike strong tt u",
            ),
            (MARKER, "applet caption marquee object td th template"),
            (
                SCOPE,
                "applet caption html table td th marquee object select template",
            ),
            (
                TABLE_CONTENT,
                "caption col colgroup form script style table tbody td template tfoot th thead tr",
            ),
            (
                SPECIAL,
                "address applet area article aside base basefont bgsound blockquote body br \
                 button caption center col colgroup dd details dir div dl dt embed fieldset \
                 figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header \
                 hgroup hr html iframe img input isindex li link listing main marquee menu meta \
                 nav noembed noframes noscript object ol p param plaintext pre script section \
                 select source style summary table tbody td template textarea tfoot th thead \
                 title tr track ul wbr xmp",
            ),
            (
                BREAKOUT,
                "b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 \
                 head hr i img li listing menu meta nobr ol p pre ruby s small span strong \
                 strike sub sup table tt u ul var",
            ),
            (
                DROPPED,
                "script style template noscript iframe frame frameset noframes object embed \
                 applet noembed textarea select title xmp svg math canvas audio video head",
            ),
        ] {
            assert_eq!(all(category), sorted(list), "{list}");
        }
        // The fixed-point check's lists, which named allowed elements only.
        for (category, list) in [
            (
                CLOSES_P,
                "address article aside blockquote dd details div dl dt figcaption figure footer \
                 h1 h2 h3 h4 h5 h6 header hgroup hr li ol p pre section summary table ul",
            ),
            (BUTTON_SCOPE, "table td th caption"),
            (IMPLIED_END, "dd dt li p rp rt"),
            (TABLE_CONTEXT, "table tbody thead tfoot tr colgroup"),
            (
                SPECIAL,
                "address article aside blockquote br caption col colgroup dd details div dl dt \
                 figcaption figure footer h1 h2 h3 h4 h5 h6 header hgroup hr img input li ol p \
                 pre section summary table tbody td tfoot th thead tr ul wbr",
            ),
            (VOID, "br col hr img input wbr"),
            (NO_END_TAG, "br col hr img input wbr"),
            (
                BLOCK,
                "address article aside blockquote br caption dd details div dl dt figcaption \
                 figure footer h1 h2 h3 h4 h5 h6 header hgroup hr li ol p pre section summary \
                 table tbody td tfoot th thead tr ul",
            ),
        ] {
            assert_eq!(allowed(category), sorted(list), "{list}");
        }
        assert_eq!(
            all(NO_END_TAG),
            sorted(
                "area base basefont bgsound br col embed frame hr img input keygen link meta param source track wbr"
            )
        );
        // html5ever's "in body" start tags that do not reconstruct.
        assert_eq!(
            all(NO_REOPEN),
            sorted(
                "address article aside base basefont bgsound blockquote body caption center col \
                 colgroup dd details dialog dir div dl dt fieldset figcaption figure footer form \
                 frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe li link \
                 listing main menu meta nav noembed noframes noscript ol p param plaintext pre \
                 rb rp rt rtc script search section source style summary table tbody td template \
                 textarea tfoot th thead title tr track ul"
            )
        );
        assert_eq!(
            all(RAW_TEXT),
            sorted("style script xmp iframe noembed noframes plaintext noscript")
        );
        // The policy's allow-list, as `names!` gives it to ammonia.
        let tags: &[&str] = names!(ALLOWED);
        assert_eq!(
            tags,
            sorted(
                "a abbr address article aside b bdi bdo blockquote br caption cite code col \
                 colgroup data dd del details dfn div dl dt em figcaption figure footer h1 h2 \
                 h3 h4 h5 h6 header hgroup hr i img input ins kbd li mark ol p pre q rp rt \
                 ruby s samp section small span strike strong sub summary sup table tbody td \
                 tfoot th thead time tr tt u ul var wbr"
            )
        );
    }
}
