//! Styles from the 16 ANSI colours only, so the dashboard reads on dark and
//! light terminals alike and through tmux and screen; or, with `theme =
//! "mono"` or `NO_COLOR`, bold, reverse and underline only. Nothing relies
//! on colour alone: statuses are words, the selection is reversed video in
//! every theme, the focused pane has a thick border, badges are bracketed.
//!
//! The theme is chosen per frame by `view::render` from the state and read
//! here through a thread-local, rather than passed to every drawing
//! function: each style has one name whatever the theme, and the panes keep
//! calling `theme::error()` without knowing there is a choice.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};

use crate::config::ThemeName;

thread_local! {
    static MONO: Cell<bool> = const { Cell::new(false) };
}

/// Called at the start of every frame, before anything is drawn.
pub fn use_for_this_frame(theme: ThemeName) {
    MONO.with(|mono| mono.set(theme == ThemeName::Mono));
}

/// The theme `NO_COLOR` (any non-empty value) or the file asks for.
pub fn chosen(configured: ThemeName, no_color: Option<&str>) -> ThemeName {
    if no_color.is_some_and(|v| !v.is_empty()) {
        ThemeName::Mono
    } else {
        configured
    }
}

fn pick(colour: Style, mono: Style) -> Style {
    if MONO.with(Cell::get) { mono } else { colour }
}

const fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn title() -> Style {
    bold()
}

/// Secondary text. Dim is an attribute, not a colour, but some terminals
/// draw it as grey; mono keeps to bold, reverse and underline.
pub fn dim() -> Style {
    pick(Style::new().add_modifier(Modifier::DIM), Style::new())
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn error() -> Style {
    pick(Style::new().fg(Color::Red), bold())
}

pub fn success() -> Style {
    pick(Style::new().fg(Color::Green), Style::new())
}

pub fn info() -> Style {
    pick(Style::new().fg(Color::Cyan), Style::new())
}

pub fn warning() -> Style {
    pick(Style::new().fg(Color::Yellow), bold())
}

pub fn badge() -> Style {
    pick(
        Style::new()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED),
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED),
    )
}

pub fn key() -> Style {
    bold()
}

pub fn pending() -> Style {
    pick(Style::new().fg(Color::Yellow), Style::new())
}

pub fn active() -> Style {
    pick(Style::new().fg(Color::Green), Style::new())
}

pub fn owner() -> Style {
    pick(
        Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
        bold(),
    )
}

pub fn focused_border() -> Style {
    pick(Style::new().fg(Color::Cyan), bold())
}

/// A text field: underlined across its width, so it reads as one.
pub fn field() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}

/// The characters of an email the filter matched: underlined and bold, so
/// they show without colour too.
pub fn matched() -> Style {
    pick(
        Style::new()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
    )
}
