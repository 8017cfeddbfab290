//! Drawing: a function of the state alone. Every API string goes through
//! `text::fit` (sanitise, then cut to the cells available).

mod bulk_confirm;
mod confirm;
mod conflict;
mod everywhere;
mod footer;
mod form;
mod form_grid;
mod form_notes;
mod header;
mod help;
mod journal;
mod palette;
mod permissions;
mod profiles;
pub mod text;
pub mod theme;
mod users;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::keymap::Keymap;
use super::state::{
    AppState, EverywhereScreen, Focus, MIN_HEIGHT, MIN_WIDTH, Modal, SIDE_BY_SIDE_WIDTH, layout,
};

pub const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Draws the whole dashboard into the frame.
pub fn render(frame: &mut Frame, state: &AppState, keymap: &Keymap) {
    theme::use_for_this_frame(state.settings.theme);
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    let [top, body, toast, bottom] = Layout::vertical([
        Constraint::Length(layout::HEADER_LINES),
        Constraint::Min(0),
        Constraint::Length(layout::TOAST_LINES),
        Constraint::Length(layout::FOOTER_LINES),
    ])
    .areas(area);
    header::render(frame, top, state);
    if area.width >= SIDE_BY_SIDE_WIDTH {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                .areas(body);
        users::render(frame, left, state);
        permissions::render(frame, right, state);
    } else if state.focus == Focus::Permissions {
        permissions::render(frame, body, state);
    } else {
        users::render(frame, body, state);
    }
    footer::render_toast(frame, toast, state);
    footer::render_keys(frame, bottom, state, keymap);
    // A form stays drawn beneath the question it asked or the help.
    if let Some(form) = state.form() {
        let on_top = matches!(state.modal(), Some(Modal::Form(_)));
        let forms_area = Rect {
            y: body.y,
            height: body.height,
            ..area
        };
        form::render(frame, forms_area, state, form, on_top);
    }
    // Over the whole width of the body: the list stays beneath, unchanged.
    match &state.everywhere {
        Some(EverywhereScreen::Accounts(accounts)) => {
            let view_area = Rect {
                y: body.y,
                height: body.height,
                ..area
            };
            everywhere::render(frame, view_area, state, accounts);
        }
        Some(EverywhereScreen::Prompt(prompt)) => everywhere::render_prompt(frame, body, prompt),
        None => {}
    }
    match state.modal() {
        Some(Modal::Confirm(confirm)) => confirm::render(frame, area, confirm, state),
        Some(Modal::Help(help)) => help::render(frame, area, help.mode, help.scroll, keymap),
        Some(Modal::Profiles(picker)) => profiles::render(frame, area, picker, state),
        Some(Modal::Palette(palette)) => palette::render(frame, area, palette, keymap),
        Some(Modal::Conflict(conflict)) => conflict::render(frame, area, conflict, keymap),
        Some(Modal::Bulk(plan)) => bulk_confirm::render(frame, area, plan),
        Some(Modal::Journal(view)) => journal::render(frame, area, view, state),
        Some(Modal::Presets(picker)) => bulk_confirm::render_presets(frame, area, picker, state),
        Some(Modal::Form(_)) | None => {}
    }
}

fn too_small(frame: &mut Frame, area: Rect) {
    let notice = format!("terminal too small (need {MIN_WIDTH}×{MIN_HEIGHT})");
    let line = Line::from(text::fit(&notice, usize::from(area.width))).centered();
    let middle = Rect {
        y: area.y + area.height / 2,
        height: 1,
        ..area
    };
    frame.render_widget(Paragraph::new(line), middle);
}

/// Clears `dialog` over whatever is beneath, draws `block` around it, and
/// returns the area inside with a column of padding on each side.
pub fn draw_modal(frame: &mut Frame, dialog: Rect, block: Block) -> Rect {
    frame.render_widget(Clear, dialog);
    let inner = block.inner(dialog);
    frame.render_widget(block, dialog);
    Rect {
        x: inner.x.saturating_add(1),
        width: inner.width.saturating_sub(2),
        ..inner
    }
}

/// A centred rectangle of at most `width`×`height` inside `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub fn spinner(state: &AppState) -> &'static str {
    SPINNER[state.spinner % SPINNER.len()]
}
