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
