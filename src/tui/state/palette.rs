//! The command palette (`:`, as in k9s): every command of the mode it was
//! opened over, narrowed fuzzily by what is typed. The commands come from
//! the keymap's table — the one the help and the footer read — so the
//! palette cannot offer a command they do not, or miss one they do.

use nucleo_matcher::Utf32Str;

use super::super::action::Command;
use super::super::keymap::Keymap;
use super::filter::matcher;
use super::mode::Mode;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The mode underneath, whose commands are offered and run.
    pub mode: Mode,
    pub query: String,
    /// The highlighted line among the matches.
    pub selected: usize,
}

impl Palette {
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            query: String::new(),
            selected: 0,
        }
    }

    /// Every command of the mode, in the table's order (the palette itself
    /// left out). The default keymap's: `[keys]` moves keys, never commands.
    pub fn all(mode: Mode) -> Vec<Command> {
        Keymap::default()
            .commands(mode)
            .into_iter()
            .map(|(command, _)| command)
            .filter(|c| *c != Command::Palette)
            .collect()
    }

    /// The commands whose name or sentence holds every typed word fuzzily,
    /// best first; ties keep the table's order.
    pub fn matches(&self) -> Vec<Command> {
        let all = Self::all(self.mode);
        let words: Vec<String> = self
            .query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        if words.is_empty() {
            return all;
        }
        let mut matcher = matcher();
        let (mut hay_buf, mut needle_buf) = (Vec::new(), Vec::new());
        let mut scored: Vec<(u32, usize, Command)> = all
            .into_iter()
            .enumerate()
            .filter_map(|(order, command)| {
                let text = format!(
                    "{} {}",
                    command.name().replace('_', " "),
                    command.describe()
                )
                .to_lowercase();
                let mut total = 0u32;
                for word in &words {
                    let hay = Utf32Str::new(&text, &mut hay_buf);
                    let needle = Utf32Str::new(word, &mut needle_buf);
                    total += u32::from(matcher.fuzzy_match(hay, needle)?);
                }
                Some((total, order, command))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.into_iter().map(|(_, _, c)| c).collect()
    }

    /// The command Enter runs.
    pub fn chosen(&self) -> Option<Command> {
        let matches = self.matches();
        matches
            .get(self.selected.min(matches.len().saturating_sub(1)))
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_offers_the_modes_commands_and_narrows_fuzzily() {
        let palette = Palette::new(Mode::Users);
        let all = palette.matches();
        assert!(all.contains(&Command::Reload) && all.contains(&Command::Revoke));
        assert!(!all.contains(&Command::Palette), "not itself");
        assert!(
            !all.contains(&Command::Submit),
            "a form's command is not the list's"
        );
        let typed = Palette {
            query: "reld".into(),
            ..palette.clone()
        };
        assert_eq!(typed.chosen(), Some(Command::Reload));
        let none = Palette {
            query: "zzzz".into(),
            ..palette
        };
        assert!(none.matches().is_empty());
        assert_eq!(none.chosen(), None);
    }
}
