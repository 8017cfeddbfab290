//! Makes text that came from the network safe to draw or print: a user list
//! is data written by whoever can invite users, and a terminal obeys escape
//! sequences. State keeps the raw value; only what is shown is cleaned.

use std::borrow::Cow;

/// Removes control characters (escape sequences lose their ESC and become
/// inert text), bidirectional overrides and zero-width characters. Returns the
/// input unchanged, without allocating, when there is nothing to remove.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_unsafe(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

/// Like [`sanitize`], and also cuts the text to at most `max_chars`
/// characters, ending with an ellipsis when cut.
pub fn sanitize_shortened(text: &str, max_chars: usize) -> String {
    let clean = sanitize(text);
    if clean.chars().count() <= max_chars {
        return clean.into_owned();
    }
    let mut cut: String = clean.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// Whether `sanitize` replaces this character (forms refuse it as typed).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            // bidirectional embeddings, overrides and isolates
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            // zero-width and invisible formatting characters
            | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}'
            // line and paragraph separators would break a row in two
            | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_ordinary_text_alone_without_copying() {
        assert!(matches!(
            sanitize("jürgen@bücher.example 名前"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn neutralises_escape_sequences_and_invisible_characters() {
        let hostile = "evil\u{1b}]0;pwned\u{7}@x.test\u{202E}gpj.exe\u{200B}\r\n";
        let clean = sanitize(hostile);
        assert!(!clean.chars().any(|c| c.is_control()));
        assert!(!clean.contains('\u{202E}') && !clean.contains('\u{200B}'));
        assert!(
            clean.contains("pwned"),
            "the text stays visible, only inert"
        );
    }

    #[test]
    fn shortens_with_an_ellipsis() {
        assert_eq!(sanitize_shortened("abcdefghij", 5), "abcd…");
        assert_eq!(sanitize_shortened("abc", 5), "abc");
    }
}
