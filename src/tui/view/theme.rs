//! Styles from the 16 ANSI colours only, so the dashboard reads on dark and
//! light terminals alike. Nothing relies on colour alone: statuses are
//! words, the selection is reversed video, the focused pane has a thick
//! border, badges are bracketed.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

pub fn success() -> Style {
    Style::new().fg(Color::Green)
}

pub fn info() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn warning() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn badge() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD | Modifier::REVERSED)
}

pub fn key() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn pending() -> Style {
    Style::new().fg(Color::Yellow)
}

pub fn active() -> Style {
    Style::new().fg(Color::Green)
}

pub fn owner() -> Style {
    Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD)
}

pub fn focused_border() -> Style {
    Style::new().fg(Color::Cyan)
}

/// A text field: underlined across its width, so it reads as one.
pub fn field() -> Style {
    Style::new().add_modifier(Modifier::UNDERLINED)
}
