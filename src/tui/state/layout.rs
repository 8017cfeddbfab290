//! The lines of the screen's layout that both the view (which draws it)
//! and `update` (which pages through the table) need to agree on.

/// The header line above the panes, the toast line and the key footer below.
pub const HEADER_LINES: u16 = 1;
pub const TOAST_LINES: u16 = 1;
pub const FOOTER_LINES: u16 = 1;
pub const SCREEN_LINES_AROUND_BODY: u16 = HEADER_LINES + TOAST_LINES + FOOTER_LINES;
/// A pane's top and bottom border.
pub const PANE_BORDER_LINES: u16 = 2;
/// The users table's column titles.
pub const TABLE_HEADER_LINES: u16 = 1;
