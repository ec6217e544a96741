//! Bytes of a file to text (CLI only; the page uses the browser's decoder).
//!
//! Article files are often not UTF-8: CJK blogs and scrapers write GB18030,
//! Big5, Shift_JIS or UTF-16. A BOM is trusted first, valid UTF-8 is taken as
//! UTF-8, and only what is left goes to chardetng, the detector Firefox uses
//! for unlabeled pages.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8};

/// Text decoded from a file's bytes, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a BOM. Bytes that are invalid in `encoding` are U+FFFD.
    pub text: String,
    /// The WHATWG name of the encoding: `"UTF-8"`, `"UTF-16LE"`, `"GBK"`, `"Big5"`, …
    pub encoding: &'static str,
    /// Whether some bytes were invalid in `encoding` and replaced with U+FFFD.
    pub had_errors: bool,
}

/// Decodes a file's bytes: BOM first, then UTF-8, then a guess. Never fails;
/// invalid bytes become U+FFFD and set `had_errors`.
///
/// ```
/// use article_render::decode::decode;
///
/// let utf8 = decode("# 你好".as_bytes());
/// assert_eq!((utf8.text.as_str(), utf8.encoding, utf8.had_errors), ("# 你好", "UTF-8", false));
///
/// let utf16 = decode(b"\xFF\xFEH\0i\0");
/// assert_eq!((utf16.text.as_str(), utf16.encoding), ("Hi", "UTF-16LE"));
/// ```
pub fn decode(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return with(encoding, &bytes[bom_len..]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            return Decoded {
                text: text.to_owned(),
                encoding: UTF_8.name(),
                had_errors: false,
            };
        }
        // Valid UTF-8 cut off inside its last character (a truncated
        // download) is still UTF-8; a guess would turn all of it to mojibake.
        Err(error) if error.error_len().is_none() => return with(UTF_8, bytes),
        Err(_) => {}
    }
    // ISO-2022-JP is pure ASCII bytes, so it never gets here: valid UTF-8.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    with(detector.guess(None, Utf8Detection::Allow), bytes)
}

fn with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        had_errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GBK, SHIFT_JIS};

    fn encoded(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "the test text can be written in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    #[test]
    fn utf8_stays_utf8() {
        let decoded = decode("---\ntitle: Café 中文\n---\n".as_bytes());
        assert_eq!(
            decoded.text, "---\ntitle: Café 中文\n---\n",
            "valid UTF-8 is kept as it is"
        );
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(!decoded.had_errors, "valid UTF-8 has no errors");
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let decoded = decode(b"\xEF\xBB\xBF# Title");
        assert_eq!(
            decoded.text, "# Title",
            "the UTF-8 BOM is not part of the text"
        );
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("# 标题\n".encode_utf16().flat_map(u16::to_le_bytes));
        let decoded = decode(&bytes);
        assert_eq!(decoded.text, "# 标题\n", "UTF-16LE is read from its BOM");
        assert_eq!(decoded.encoding, "UTF-16LE");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        bytes.extend("# Title".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            decode(&bytes).text,
            "# Title",
            "UTF-16BE is read from its BOM"
        );
    }

    #[test]
    fn gbk_chinese() {
        let text = "---\ntitle: 央行发布第二季度货币政策执行报告\n---\n\n中国人民银行今日发布报告，\
                    指出稳健的货币政策要灵活精准、合理适度，保持流动性合理充裕。\n";
        let decoded = decode(&encoded(GBK, text));
        assert_eq!(
            decoded.text, text,
            "GBK Chinese text is detected and decoded"
        );
        assert_eq!(decoded.encoding, "GBK");
        assert!(!decoded.had_errors);
    }

    #[test]
    fn big5_chinese() {
        let text = "---\ntitle: 颱風過境後的臺北街頭\n---\n\n中央氣象局表示，颱風已經離開臺灣，\
                    各地的雨勢將逐漸減緩，民眾仍應注意安全。\n";
        let decoded = decode(&encoded(BIG5, text));
        assert_eq!(
            decoded.text, text,
            "Big5 traditional Chinese is detected and decoded"
        );
        assert_eq!(decoded.encoding, "Big5");
    }

    #[test]
    fn shift_jis_japanese() {
        let text = "---\ntitle: 東京の天気について\n---\n\n今日の東京は晴れのち曇り、\
                    夕方からは雨が降るでしょう。お出かけの際は傘を持っていきましょう。\n";
        let decoded = decode(&encoded(SHIFT_JIS, text));
        assert_eq!(
            decoded.text, text,
            "Shift_JIS Japanese is detected and decoded"
        );
        assert_eq!(decoded.encoding, "Shift_JIS");
    }

    #[test]
    fn truncated_utf8_stays_utf8() {
        let mut bytes = "标题 and more".as_bytes().to_vec();
        bytes.extend_from_slice(&"中".as_bytes()[..2]);
        let decoded = decode(&bytes);
        assert_eq!(
            decoded.text, "标题 and more\u{FFFD}",
            "a cut-off last character is replaced"
        );
        assert_eq!(
            decoded.encoding, "UTF-8",
            "the rest of the file is still read as UTF-8"
        );
        assert!(decoded.had_errors, "the cut-off character is reported");
    }

    #[test]
    fn latin1_bytes_are_guessed() {
        let decoded = decode(b"Caf\xE9 cr\xE8me br\xFBl\xE9e, d\xE9j\xE0 vu");
        assert_eq!(
            decoded.text, "Café crème brûlée, déjà vu",
            "single-byte Western text is read"
        );
        assert_eq!(decoded.encoding, "windows-1252");
    }

    #[test]
    fn empty_input() {
        let decoded = decode(b"");
        assert_eq!(
            (decoded.text.as_str(), decoded.encoding),
            ("", "UTF-8"),
            "nothing is UTF-8"
        );
    }
}
