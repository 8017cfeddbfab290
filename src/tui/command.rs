//! The one table of commands a user can bind: each command's name in the
//! configuration (`revoke = "D"`), its one word for the footer and its
//! sentence for the help. The help, the footer, `[keys]`, the README check
//! and the man page all read this table, so none of them can disagree.

/// Declares `Command` and its table from one list, so adding a command is
/// one line and no second list can fall out of step.
macro_rules! commands {
    ($($variant:ident: $name:literal, $short:literal, $describe:literal;)*) => {
        /// A user intent a key can be bound to. The configuration's `[keys]`
        /// binds them by name, so nothing here carries data.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Command {
            $($variant,)*
        }

        impl Command {
            /// Every command, in the table's order.
            pub const ALL: [Command; [$($name),*].len()] = [$(Command::$variant),*];

            /// The command's name in the configuration file.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }

            /// A one-word name for the footer.
            pub fn short(self) -> &'static str {
                match self {
                    $(Self::$variant => $short,)*
                }
            }

            /// What the command does, for the help overlay.
            pub fn describe(self) -> &'static str {
                match self {
                    $(Self::$variant => $describe,)*
                }
            }
        }
    };
}

commands! {
    Up: "up", "move", "move up";
    Down: "down", "move", "move down";
    PageUp: "page_up", "page", "page up";
    PageDown: "page_down", "page", "page down";
    Top: "top", "ends", "first";
    Bottom: "bottom", "ends", "last";
    NextPane: "next_pane", "pane", "next pane";
    PrevPane: "prev_pane", "pane", "previous pane";
    FocusPermissions: "focus_permissions", "details", "show permissions (loads them)";
    Back: "back", "back", "back / clear filter";
    Quit: "quit", "quit", "quit";
    Suspend: "suspend", "suspend", "suspend to the shell";
    Filter: "filter", "filter", "filter by email";
    CycleSort: "cycle_sort", "sort", "sort by the next column";
    Reload: "reload", "reload", "reload list and permissions";
    Resend: "resend", "resend", "resend invitation";
    CancelInvitation: "cancel_invitation", "cancel inv.", "cancel invitation";
    Revoke: "revoke", "revoke", "revoke access";
    CopyEmail: "copy_email", "copy", "copy email";
    Help: "help", "help", "help";
    SwitchProfile: "switch_profile", "profile", "switch to another profile";
    FilterAccept: "filter_accept", "keep", "keep filter";
    FilterClear: "filter_clear", "clear", "clear filter";
    FilterBackspace: "filter_backspace", "delete", "delete a character";
    FilterErase: "filter_erase", "erase", "erase the filter text";
    Yes: "yes", "yes", "yes";
    No: "no", "no", "no";
    Activate: "activate", "press", "press the focused button";
    NextButton: "next_button", "switch", "next button";
    PrevButton: "prev_button", "switch", "previous button";
    Invite: "invite", "invite", "invite a user";
    EditPermissions: "edit_permissions", "edit", "edit permissions";
    NextField: "next_field", "field", "next field";
    PrevField: "prev_field", "field", "previous field";
    Left: "left", "across", "previous permission / preset";
    Right: "right", "across", "next permission / preset";
    Toggle: "toggle", "tick", "tick or untick / apply the preset";
    SelectAll: "select_all", "all", "every permission of the feature";
    SelectNone: "select_none", "none", "no permission of the feature";
    Submit: "submit", "send", "send the form";
    CancelForm: "cancel_form", "cancel", "cancel (asks if anything was typed)";
    CursorLeft: "cursor_left", "cursor", "cursor left";
    CursorRight: "cursor_right", "cursor", "cursor right";
    CursorStart: "cursor_start", "cursor", "cursor to the start";
    CursorEnd: "cursor_end", "cursor", "cursor to the end";
    DeleteBack: "delete_back", "delete", "delete before the cursor";
    DeleteForward: "delete_forward", "delete", "delete under the cursor";
    DeleteWord: "delete_word", "delete", "delete the word before the cursor";
    DeleteLine: "delete_line", "delete", "erase the field";
    ScrollChangesUp: "scroll_changes_up", "changes", "scroll the list of changes up";
    ScrollChangesDown: "scroll_changes_down", "changes", "scroll the list of changes down";
    FindEverywhere: "find_everywhere", "everywhere", "find them in every account";
    OffboardEverywhere: "offboard_everywhere", "offboard", "offboard from every account listed";
    Palette: "palette", "palette", "command palette (run by name)";
    ReverseSort: "reverse_sort", "reverse", "reverse the sort";
    KeepTheirs: "keep_theirs", "theirs", "keep their permissions (nothing is sent)";
    TakeForm: "take_form", "mine", "save the form's permissions over theirs";
    EditAgain: "edit_again", "edit", "edit again: theirs kept, yours on top";
    Mark: "mark", "mark", "mark or unmark the user (moves down)";
    MarkAll: "mark_all", "mark all", "mark every user shown";
    ApplyPreset: "apply_preset", "preset", "apply a preset to the marked users";
    Journal: "journal", "journal", "the journal of this run";
    Undo: "undo", "undo", "undo the last change of this run";
    CopyRequestId: "copy_request_id", "copy id", "copy the request id of the line";
}

impl Command {
    /// The command of that name, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Commands that would change the organization: refused in read-only mode.
    pub fn is_change(self) -> bool {
        matches!(
            self,
            Self::Resend
                | Self::CancelInvitation
                | Self::Revoke
                | Self::Invite
                | Self::EditPermissions
                | Self::ApplyPreset
                | Self::Undo
        )
    }
}
