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
pub fn width(text: &str) -> usize {
    sanitize(text).chars().map(|c| c.width().unwrap_or(0)).sum()
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
}
