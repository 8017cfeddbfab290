//! Width-aware text fitting: sanitised, cut to a number of terminal cells
//! with an ellipsis, never wrapped into a neighbour.

use unicode_width::UnicodeWidthChar;

use crate::brevo::sanitize::sanitize;

/// Sanitises `text` and cuts it to at most `width` cells, ending with `…`
/// when cut.
pub fn fit(text: &str, width: usize) -> String {
    let clean = sanitize(text);
    let cells = |c: char| c.width().unwrap_or(0);
    if clean.chars().map(cells).sum::<usize>() <= width {
        return clean.into_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = cells(c);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Cells `text` takes once sanitised.
/// The sentence with its first letter in upper case (the core's seat
/// sentences start in lower case, to be quoted mid-sentence too).
pub fn capitalised(sentence: &str) -> String {
    let mut text = sentence.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

pub fn width(text: &str) -> usize {
    sanitize(text).chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Sanitises `text` and breaks it into lines of at most `width` cells, at
/// spaces where it can and inside a word where it must. Drawing the lines
/// it returns takes exactly as many rows as it says, so a dialog can be
/// sized to its message.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let cells = |s: &str| s.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in sanitize(text).split(' ') {
        let gap = usize::from(!line.is_empty());
        if cells(&line) + gap + cells(word) <= width {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            if cells(&line) + c.width().unwrap_or(0) > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_by_cells_not_characters() {
        assert_eq!(fit("名前名前", 5), "名前…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
        assert_eq!(fit("abcd", 0), "");
        assert!(width(&fit("\u{1b}[31mred", 4)) <= 4);
    }

    #[test]
    fn wraps_at_spaces_and_splits_what_is_too_long() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefgh ij", 3), vec!["abc", "def", "gh", "ij"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert!(wrap("名前名前 x", 3).iter().all(|l| width(l) <= 3));
    }
}
