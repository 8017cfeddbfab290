//! Which keymap applies. Derived from state (`AppState::mode`), never
//! stored: nobody has to remember to set it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Users,
    Permissions,
    Filter,
    Confirm,
    Help,
    /// A form with the focus on a choice (toggle, presets, grid).
    Form,
    /// A form with the focus on its email field: letters are text.
    FormText,
    /// The profile switcher (`P`).
    Profiles,
    /// The Everywhere view (`F`): one person in every account.
    Everywhere,
    /// `F` with no user selected: the one-line email prompt.
    EverywherePrompt,
    /// The command palette (`:`): letters are its search text.
    Palette,
    /// The edit form's permissions were changed by someone else meanwhile.
    Conflict,
    /// The journal of this run (`L`).
    Journal,
    /// The preset picker of a bulk action (`p`).
    Presets,
    /// A bulk action's (or an undo's) one confirmation.
    BulkConfirm,
}

impl Mode {
    /// Every mode, for the help, the man page and the keys every mode
    /// shares. `position` has no catch-all, so a new mode does not compile
    /// until it has a place, and a test checks that place is in this list.
    pub const ALL: [Mode; 15] = [
        Self::Users,
        Self::Permissions,
        Self::Filter,
        Self::Confirm,
        Self::Help,
        Self::Form,
        Self::FormText,
        Self::Profiles,
        Self::Everywhere,
        Self::EverywherePrompt,
        Self::Palette,
        Self::Conflict,
        Self::Journal,
        Self::Presets,
        Self::BulkConfirm,
    ];

    /// The mode's place in [`Mode::ALL`].
    pub const fn position(self) -> usize {
        match self {
            Self::Users => 0,
            Self::Permissions => 1,
            Self::Filter => 2,
            Self::Confirm => 3,
            Self::Help => 4,
            Self::Form => 5,
            Self::FormText => 6,
            Self::Profiles => 7,
            Self::Everywhere => 8,
            Self::EverywherePrompt => 9,
            Self::Palette => 10,
            Self::Conflict => 11,
            Self::Journal => 12,
            Self::Presets => 13,
            Self::BulkConfirm => 14,
        }
    }

    /// Where the keys apply, for the help's title and key errors.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Users => "users list",
            Self::Permissions => "permissions pane",
            Self::Filter => "filter",
            Self::Confirm => "confirmation",
            Self::Help => "help",
            Self::Form => "form",
            Self::FormText => "form, email field",
            Self::Profiles => "profile switcher",
            Self::Everywhere => "Everywhere view",
            Self::EverywherePrompt => "Everywhere, email prompt",
            Self::Palette => "command palette",
            Self::Conflict => "changed meanwhile",
            Self::Journal => "journal",
            Self::Presets => "preset picker",
            Self::BulkConfirm => "bulk confirmation",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Mode;

    #[test]
    fn every_mode_is_in_all_at_its_place() {
        for (i, mode) in Mode::ALL.iter().enumerate() {
            assert_eq!(mode.position(), i, "{mode:?}");
        }
    }
}
