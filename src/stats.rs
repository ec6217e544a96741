//! Counts over the article's text: characters, words, reading time.

use crate::rendered::Stats;

/// CJK readers read about 500 characters a minute; others about 230 words.
const CJK_PER_MINUTE: usize = 500;
const WORDS_PER_MINUTE: usize = 230;

/// Counts characters, CJK characters one by one, and words of the rest.
///
/// ```
/// let stats = article_render::stats::count("中文 and English words", 0, 0);
/// assert_eq!((stats.cjk_characters, stats.words, stats.reading_minutes), (2, 3, 1));
/// ```
pub fn count(text: &str, images: usize, links: usize) -> Stats {
    let (mut characters, mut cjk, mut words) = (0, 0, 0);
    let mut in_word = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // Most text is ASCII: read by the byte, without decoding, and
        // letters and digits first, the cheapest test.
        let byte = bytes[at];
        if byte.is_ascii() {
            at += 1;
            // Without branches on the class, which changes every few bytes
            // (in wasm a mispredicted branch per word cost more than these
            // few operations).
            let class = ASCII[usize::from(byte)];
            let word = class & WORD != 0;
            characters += usize::from(class & CHARACTER != 0);
            words += usize::from(word & !in_word);
            in_word = word | (in_word & (class & JOINS != 0));
            continue;
        }
        let c = text[at..].chars().next().unwrap_or_default();
        at += c.len_utf8();
        // CJK and its punctuation first: in a Chinese article nearly every
        // character, and neither is white space (a test checks), so the
        // Unicode tables are left for the rest.
        if is_cjk(c) {
            characters += 1;
            cjk += 1;
            in_word = false;
            continue;
        }
        if is_punctuation(c) {
            characters += 1;
            in_word = false;
            continue;
        }
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        characters += 1;
        if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else if c != '’' {
            in_word = false;
        }
    }
    let minutes =
        (cjk as f64 / CJK_PER_MINUTE as f64 + words as f64 / WORDS_PER_MINUTE as f64).ceil();
    Stats {
        characters,
        cjk_characters: cjk,
        words,
        reading_minutes: minutes as usize,
        images,
        links,
    }
}

/// What an ASCII character is to [`count`], as bits: a character (not white
/// space as `char::is_whitespace` has it); a letter or digit; one of `'`,
/// `-`, `_`, which do not end a word. Any other character ends a word.
const CHARACTER: u8 = 1;
const WORD: u8 = 2;
const JOINS: u8 = 4;

/// The class of each ASCII byte: one load per byte of text.
const ASCII: [u8; 128] = {
    let mut table = [CHARACTER; 128];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if b.is_ascii_alphanumeric() {
            table[byte] = CHARACTER | WORD;
        } else if matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ') {
            table[byte] = 0;
        } else if matches!(b, b'\'' | b'-' | b'_') {
            table[byte] = CHARACTER | JOINS;
        }
        byte += 1;
    }
    table
};

/// Han ideographs, kana and hangul: scripts read character by character.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // hangul syllables
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{20000}'..='\u{3134F}' // extensions B to G
    )
}

/// Common punctuation of CJK and other text (dashes, quotes but `’`,
/// the ideographic full stop and comma, brackets, fullwidth forms):
/// neither a letter nor a digit nor white space, so it ends a word; found
/// without the Unicode tables (a test checks every one against them).
fn is_punctuation(c: char) -> bool {
    matches!(c,
        '\u{2010}'..='\u{2018}'
        | '\u{201A}'..='\u{2027}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301F}'
        | '\u{FF01}'..='\u{FF0F}'
        | '\u{FF1A}'..='\u{FF20}'
        | '\u{FF3B}'..='\u{FF40}'
        | '\u{FF5B}'..='\u{FF65}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts of [`count`] agree with the Unicode tables.
    #[test]
    fn cjk_and_punctuation_are_neither_space_nor_word() {
        for c in ('\u{80}'..=char::MAX).filter(|&c| is_cjk(c) || is_punctuation(c)) {
            assert!(!c.is_whitespace(), "{c:?} is white space");
            if is_punctuation(c) {
                assert!(!c.is_alphanumeric() && c != '’', "{c:?} is part of a word");
            }
        }
    }

    /// [`count`] by the character, as it was written before its ASCII
    /// bytes were read without decoding: the two must agree.
    fn count_by_char(text: &str) -> (usize, usize, usize) {
        let (mut characters, mut cjk, mut words, mut in_word) = (0, 0, 0, false);
        for c in text.chars() {
            if c.is_whitespace() {
                in_word = false;
                continue;
            }
            characters += 1;
            if is_cjk(c) {
                cjk += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else if !matches!(c, '\'' | '’' | '-' | '_') {
                in_word = false;
            }
        }
        (characters, cjk, words)
    }

    proptest::proptest! {
        #[test]
        fn bytes_and_characters_count_alike(text in "[a-z0-9 \t\n\x0b\x0c\r'_.,-]{0,12}(\\PC|[’‘中éа\u{a0}\u{85}\u{2028}，。“”—…（）ｦ〆]){0,12}[a-z '-]{0,8}") {
            let stats = count(&text, 0, 0);
            proptest::prop_assert_eq!(
                (stats.characters, stats.cjk_characters, stats.words),
                count_by_char(&text),
                "{:?}", text
            );
        }
    }

    #[test]
    fn cjk_is_counted_per_character() {
        let s = count("七是加强素质能力建设。", 1, 2);
        assert_eq!(
            s.cjk_characters, 10,
            "ten ideographs, the full stop is not one"
        );
        assert_eq!(s.characters, 11);
        assert_eq!(s.words, 0);
        assert_eq!((s.images, s.links), (1, 2));
    }

    #[test]
    fn reading_time() {
        let words = "word ".repeat(461);
        assert_eq!(
            count(&words, 0, 0).reading_minutes,
            3,
            "461 words take just over two minutes"
        );
        assert_eq!(
            count("", 0, 0).reading_minutes,
            0,
            "no text, no reading time"
        );
        assert_eq!(count(&"字".repeat(1000), 0, 0).reading_minutes, 2);
        assert_eq!(
            count("don't re-use it", 0, 0).words,
            3,
            "apostrophes and hyphens join words"
        );
    }
}
