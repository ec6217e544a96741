//! Dates as authors write them, normalized to RFC 3339 without changing
//! their meaning: an instant keeps its offset (`Z` for UTC), a local
//! date-time stays floating, a date stays a date.

use chrono::format::{Fixed, Item, Numeric, Pad, Parsed, parse};
use chrono::{DateTime, SecondsFormat};

// A format as chrono's items, written out: `parse_from_str` reads its
// `strftime` text again at each call, and a date is tried against up to a
// dozen formats (a wasm profile put chrono at 3.4 % of a Markdown render).
// Written as constants, not parsed once into a lazily built table: those
// vectors, allocated in the middle of the first render, kept wasm memory
// from reusing the space around them (a 1 MB article's peak grew 0.65 MB).
// A test holds each to what its `strftime` text parses to.
const Y: Item<'static> = Item::Numeric(Numeric::Year, Pad::Zero);
const MO: Item<'static> = Item::Numeric(Numeric::Month, Pad::Zero);
const D: Item<'static> = Item::Numeric(Numeric::Day, Pad::Zero);
const H: Item<'static> = Item::Numeric(Numeric::Hour, Pad::Zero);
const MI: Item<'static> = Item::Numeric(Numeric::Minute, Pad::Zero);
const S: Item<'static> = Item::Numeric(Numeric::Second, Pad::Zero);
const FRACTION: Item<'static> = Item::Fixed(Fixed::Nanosecond);
const OFFSET: Item<'static> = Item::Fixed(Fixed::TimezoneOffset);
const SPACE: Item<'static> = Item::Space(" ");
const T: Item<'static> = Item::Literal("T");
const DASH: Item<'static> = Item::Literal("-");
const SLASH: Item<'static> = Item::Literal("/");
const DOT: Item<'static> = Item::Literal(".");
const COLON: Item<'static> = Item::Literal(":");

/// A format: its `strftime` text and its items.
type Format = (&'static str, &'static [Item<'static>]);

/// Formats with an offset, tried after RFC 3339 and RFC 2822.
const ZONED: &[Format] = &[
    (
        "%Y-%m-%d %H:%M:%S%.f %z",
        &[
            Y, DASH, MO, DASH, D, SPACE, H, COLON, MI, COLON, S, FRACTION, SPACE, OFFSET,
        ],
    ),
    (
        "%Y-%m-%d %H:%M:%S%.f%z",
        &[
            Y, DASH, MO, DASH, D, SPACE, H, COLON, MI, COLON, S, FRACTION, OFFSET,
        ],
    ),
    (
        "%Y-%m-%dT%H:%M:%S%.f%z",
        &[
            Y, DASH, MO, DASH, D, T, H, COLON, MI, COLON, S, FRACTION, OFFSET,
        ],
    ),
    (
        "%Y-%m-%d %H:%M %z",
        &[Y, DASH, MO, DASH, D, SPACE, H, COLON, MI, SPACE, OFFSET],
    ),
    (
        "%Y-%m-%dT%H:%M%z",
        &[Y, DASH, MO, DASH, D, T, H, COLON, MI, OFFSET],
    ),
    (
        "%Y/%m/%d %H:%M:%S %z",
        &[
            Y, SLASH, MO, SLASH, D, SPACE, H, COLON, MI, COLON, S, SPACE, OFFSET,
        ],
    ),
];

/// Local date-times: no zone, so they stay floating.
const FLOATING: &[Format] = &[
    (
        "%Y-%m-%dT%H:%M:%S%.f",
        &[Y, DASH, MO, DASH, D, T, H, COLON, MI, COLON, S, FRACTION],
    ),
    (
        "%Y-%m-%d %H:%M:%S%.f",
        &[
            Y, DASH, MO, DASH, D, SPACE, H, COLON, MI, COLON, S, FRACTION,
        ],
    ),
    ("%Y-%m-%dT%H:%M", &[Y, DASH, MO, DASH, D, T, H, COLON, MI]),
    (
        "%Y-%m-%d %H:%M",
        &[Y, DASH, MO, DASH, D, SPACE, H, COLON, MI],
    ),
    (
        "%Y/%m/%d %H:%M:%S%.f",
        &[
            Y, SLASH, MO, SLASH, D, SPACE, H, COLON, MI, COLON, S, FRACTION,
        ],
    ),
    (
        "%Y/%m/%d %H:%M",
        &[Y, SLASH, MO, SLASH, D, SPACE, H, COLON, MI],
    ),
    (
        "%Y.%m.%d %H:%M:%S",
        &[Y, DOT, MO, DOT, D, SPACE, H, COLON, MI, COLON, S],
    ),
];

const DATES: &[Format] = &[
    ("%Y-%m-%d", &[Y, DASH, MO, DASH, D]),
    ("%Y/%m/%d", &[Y, SLASH, MO, SLASH, D]),
    ("%Y.%m.%d", &[Y, DOT, MO, DOT, D]),
];

/// What a floating result is written as, whole seconds or not, and a date.
const SECONDS: Format = (
    "%Y-%m-%dT%H:%M:%S",
    &[Y, DASH, MO, DASH, D, T, H, COLON, MI, COLON, S],
);
const FRACTIONAL: Format = (
    "%Y-%m-%dT%H:%M:%S%.f",
    &[Y, DASH, MO, DASH, D, T, H, COLON, MI, COLON, S, FRACTION],
);
const DATE: Format = ("%Y-%m-%d", &[Y, DASH, MO, DASH, D]);

/// What `text` says when read by `format`, if it reads whole.
fn read(text: &str, (_, items): &Format) -> Option<Parsed> {
    let mut parsed = Parsed::new();
    parse(&mut parsed, text, items.iter()).ok()?;
    Some(parsed)
}

/// RFC 3339 text for a date as written, or `None` when it is not one.
///
/// ```
/// use article_render::date::normalize;
/// assert_eq!(normalize("Mon, 19 Jul 2021 11:24:48 GMT").as_deref(), Some("2021-07-19T11:24:48Z"));
/// assert_eq!(normalize("2017-11-7 15:16:00").as_deref(), Some("2017-11-07T15:16:00"));
/// assert_eq!(normalize("2021/07/19").as_deref(), Some("2021-07-19"));
/// assert_eq!(normalize("someday"), None);
/// ```
pub fn normalize(text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() < 8 || text.len() > 64 {
        return None;
    }
    // What `DateTime::parse_from_str`, `NaiveDateTime::parse_from_str` and
    // `NaiveDate::parse_from_str` make of what they read.
    let zoned = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .or_else(|| {
            // Each of these ends in an offset after the time: a sign after
            // the first `:` (chrono reads U+2212 as a minus too). Most
            // dates in front matter have none and skip six failing reads.
            let (_, time) = text.split_once(':')?;
            if !time.contains(['+', '-', '\u{2212}']) {
                return None;
            }
            ZONED
                .iter()
                .find_map(|format| read(text, format)?.to_datetime().ok())
        });
    if let Some(instant) = zoned {
        return Some(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    if let Some(local) = FLOATING
        .iter()
        .find_map(|format| read(text, format)?.to_naive_datetime_with_offset(0).ok())
    {
        let (_, items) = if local.and_utc().timestamp_subsec_nanos() == 0 {
            SECONDS
        } else {
            FRACTIONAL
        };
        return Some(local.format_with_items(items.iter()).to_string());
    }
    DATES
        .iter()
        .find_map(|format| read(text, format)?.to_naive_date().ok())
        .map(|date| date.format_with_items(DATE.1.iter()).to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn instants_keep_their_offset() {
        for (input, expected) in [
            ("Mon, 19 Jul 2021 11:24:48 GMT", "2021-07-19T11:24:48Z"),
            (
                "Mon, 19 Jul 2021 19:24:48 +0800",
                "2021-07-19T19:24:48+08:00",
            ),
            ("2021-07-19T11:24:48Z", "2021-07-19T11:24:48Z"),
            ("2021-07-19T11:24:48.500Z", "2021-07-19T11:24:48.500Z"),
            ("2021-07-19T19:24:48+08:00", "2021-07-19T19:24:48+08:00"),
            ("2021-07-19 11:24:48 -0700", "2021-07-19T11:24:48-07:00"),
            // U+2212 MINUS SIGN, which chrono reads as `-`.
            (
                "2021-07-19 11:24:48 \u{2212}0700",
                "2021-07-19T11:24:48-07:00",
            ),
            ("2021-07-19 11:24:48+08:00", "2021-07-19T11:24:48+08:00"),
        ] {
            assert_eq!(
                normalize(input).as_deref(),
                Some(expected),
                "{input} is an instant"
            );
        }
    }

    #[test]
    fn local_times_stay_floating() {
        for (input, expected) in [
            ("2021-07-19 11:24:48", "2021-07-19T11:24:48"),
            ("2017-11-7 15:16:00", "2017-11-07T15:16:00"),
            ("2021-07-19T11:24:48", "2021-07-19T11:24:48"),
            ("2021-07-19 11:24", "2021-07-19T11:24:00"),
            ("2013/7/13 20:46:25", "2013-07-13T20:46:25"),
        ] {
            assert_eq!(
                normalize(input).as_deref(),
                Some(expected),
                "{input} is never shifted into UTC"
            );
        }
    }

    #[test]
    fn dates_stay_dates() {
        assert_eq!(normalize("2021-07-19").as_deref(), Some("2021-07-19"));
        assert_eq!(normalize("2021/7/9").as_deref(), Some("2021-07-09"));
    }

    /// The oracle: `normalize` as it was written with chrono's
    /// `parse_from_str`, which reads each format's text at each call. The
    /// constant items must answer as it does.
    fn by_parse_from_str(text: &str) -> Option<String> {
        use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat};
        let text = text.trim();
        if text.len() < 8 || text.len() > 64 {
            return None;
        }
        let zoned = DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_rfc2822(text))
            .ok()
            .or_else(|| {
                super::ZONED
                    .iter()
                    .find_map(|(f, _)| DateTime::<FixedOffset>::parse_from_str(text, f).ok())
            });
        if let Some(instant) = zoned {
            return Some(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
        if let Some(local) = super::FLOATING
            .iter()
            .find_map(|(f, _)| NaiveDateTime::parse_from_str(text, f).ok())
        {
            let format = if local.and_utc().timestamp_subsec_nanos() == 0 {
                "%Y-%m-%dT%H:%M:%S"
            } else {
                "%Y-%m-%dT%H:%M:%S%.f"
            };
            return Some(local.format(format).to_string());
        }
        super::DATES
            .iter()
            .find_map(|(f, _)| NaiveDate::parse_from_str(text, f).ok())
            .map(|date| date.format("%Y-%m-%d").to_string())
    }

    proptest::proptest! {
        #[test]
        fn reads_as_parse_from_str_does(
            text in "[0-9]{1,4}([-/. ][0-9]{1,2}){0,2}([T ][0-9]{1,2}(:[0-9]{1,2}){0,2}(\\.[0-9]{1,9})?)?( ?([-+\u{2212}][0-9]{2}:?[0-9]{2}|Z|GMT|UTC))?"
        ) {
            proptest::prop_assert_eq!(normalize(&text), by_parse_from_str(&text));
        }
    }

    /// Each format's items are what its `strftime` text parses to.
    #[test]
    fn the_items_are_the_formats_text() {
        let all = super::ZONED
            .iter()
            .chain(super::FLOATING)
            .chain(super::DATES);
        for (text, items) in all.chain(&[super::SECONDS, super::FRACTIONAL, super::DATE]) {
            let parsed = chrono::format::StrftimeItems::new(text).parse().unwrap();
            assert_eq!(&parsed[..], *items, "{text}");
        }
    }

    #[test]
    fn reads_every_shape_as_parse_from_str_does() {
        for text in [
            "2021-07-19 11:24:48.123456 +0800",
            "2021-07-19 11:24:48.5+08:00",
            "2021-07-19T11:24:48.5-0130",
            "2021-07-19 11:24 +0800",
            "2021-07-19T11:24+0800",
            "2021/07/19 11:24:48 +0800",
            "2021-07-19T11:24:48.250",
            "2021-07-19 11:24:48",
            "2021-07-19T11:24",
            "2021-07-19 11:24",
            "2021/07/19 11:24:48.1",
            "2021/07/19 11:24",
            "2021.07.19 11:24:48",
            "2021-07-19",
            "2021/07/19",
            "2021.07.19",
            "Mon, 19 Jul 2021 11:24:48 GMT",
            "2021-07-19T11:24:48Z",
            "2021-02-29",
            "2021-07-19 25:00",
        ] {
            assert_eq!(normalize(text), by_parse_from_str(text), "{text}");
        }
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for input in ["yesterday", "2021-13-45", "", "2021-02-30", "12345678"] {
            assert_eq!(normalize(input), None, "{input:?} is not a date");
        }
    }
}
