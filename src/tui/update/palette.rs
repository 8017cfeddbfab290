//! The command palette's keys: typing narrows, ↑/↓ choose, Enter closes
//! the palette and runs the command in the mode underneath — exactly as
//! its key would — and Esc closes it.

use super::super::action::{Command, Effect};
use super::super::state::palette::Palette;
use super::super::state::{AppState, Modal};

/// `:`: the palette over the list or the permissions pane.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let palette = Palette::new(state.base_mode());
    state.modals.open_over(Modal::Palette(palette));
    Vec::new()
}

pub fn input(state: &mut AppState, c: char) -> Vec<Effect> {
    if c.is_control() {
        return Vec::new();
    }
    if let Some(Modal::Palette(palette)) = state.modals.top_mut() {
        palette.query.push(c);
        palette.selected = 0;
    }
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Modal::Palette(palette)) = state.modals.top_mut() else {
        return Vec::new();
    };
    match command {
        Command::Back => {
            state.modals.close_top();
        }
        Command::Up => palette.selected = palette.selected.saturating_sub(1),
        Command::Down => {
            let last = palette.matches().len().saturating_sub(1);
            palette.selected = (palette.selected + 1).min(last);
        }
        Command::FilterBackspace => {
            palette.query.pop();
            palette.selected = 0;
        }
        Command::FilterErase => {
            palette.query.clear();
            palette.selected = 0;
        }
        Command::Activate => {
            let chosen = palette.chosen();
            state.modals.close_top();
            if let Some(chosen) = chosen.filter(|c| *c != Command::Palette) {
                return super::command_in_mode(state, chosen);
            }
        }
        _ => {}
    }
    Vec::new()
}
