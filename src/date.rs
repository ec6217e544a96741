//! Dates as authors write them, normalized to RFC 3339 without changing
//! their meaning: an instant keeps its offset (`Z` for UTC), a local
//! date-time stays floating, a date stays a date.

use std::sync::LazyLock;

use chrono::format::{Item, Parsed, StrftimeItems, parse};
use chrono::{DateTime, SecondsFormat};

/// Formats with an offset, tried after RFC 3339 and RFC 2822.
const ZONED: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%dT%H:%M%z",
    "%Y/%m/%d %H:%M:%S %z",
];

/// Local date-times: no zone, so they stay floating.
const FLOATING: &[&str] = &[
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S%.f",
    "%Y/%m/%d %H:%M",
    "%Y.%m.%d %H:%M:%S",
];

const DATES: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"];

/// A format's items, read from its `strftime` text once: chrono's
/// `parse_from_str` reads the text again at every call, and a date tried
/// against every format did so a dozen times per article (a wasm profile put
/// chrono at 3.4 % of a Markdown render).
type Items = Vec<Item<'static>>;

/// [`ZONED`], [`FLOATING`] and [`DATES`] as items, and the two formats of a
/// floating result, whole seconds or not.
struct Formats {
    zoned: Vec<Items>,
    floating: Vec<Items>,
    dates: Vec<Items>,
    seconds: Items,
    fraction: Items,
    date: Items,
}

static FORMATS: LazyLock<Formats> = LazyLock::new(|| {
    let items = |format: &'static str| {
        StrftimeItems::new(format)
            .parse()
            .expect("the formats are valid")
    };
    Formats {
        zoned: ZONED.iter().copied().map(items).collect(),
        floating: FLOATING.iter().copied().map(items).collect(),
        dates: DATES.iter().copied().map(items).collect(),
        seconds: items("%Y-%m-%dT%H:%M:%S"),
        fraction: items("%Y-%m-%dT%H:%M:%S%.f"),
        date: items("%Y-%m-%d"),
    }
});

/// What `text` says when read by `items`, if it reads whole.
fn read(text: &str, items: &Items) -> Option<Parsed> {
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
    let formats = &*FORMATS;
    // What `DateTime::parse_from_str`, `NaiveDateTime::parse_from_str` and
    // `NaiveDate::parse_from_str` make of what they read.
    let zoned = DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_rfc2822(text))
        .ok()
        .or_else(|| {
            formats
                .zoned
                .iter()
                .find_map(|items| read(text, items)?.to_datetime().ok())
        });
    if let Some(instant) = zoned {
        return Some(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
    }
    if let Some(local) = formats
        .floating
        .iter()
        .find_map(|items| read(text, items)?.to_naive_datetime_with_offset(0).ok())
    {
        let format = if local.and_utc().timestamp_subsec_nanos() == 0 {
            &formats.seconds
        } else {
            &formats.fraction
        };
        return Some(local.format_with_items(format.iter()).to_string());
    }
    formats
        .dates
        .iter()
        .find_map(|items| read(text, items)?.to_naive_date().ok())
        .map(|date| date.format_with_items(formats.date.iter()).to_string())
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

    /// The formats read once answer as chrono's `parse_from_str` does,
    /// which reads the format at each call.
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
                    .find_map(|f| DateTime::<FixedOffset>::parse_from_str(text, f).ok())
            });
        if let Some(instant) = zoned {
            return Some(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        }
        if let Some(local) = super::FLOATING
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
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
            .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
            .map(|date| date.format("%Y-%m-%d").to_string())
    }

    proptest::proptest! {
        #[test]
        fn reads_as_parse_from_str_does(
            text in "[0-9]{1,4}([-/. ][0-9]{1,2}){0,2}([T ][0-9]{1,2}(:[0-9]{1,2}){0,2}(\\.[0-9]{1,9})?)?( ?([-+][0-9]{2}:?[0-9]{2}|Z|GMT|UTC))?"
        ) {
            proptest::prop_assert_eq!(normalize(&text), by_parse_from_str(&text));
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
