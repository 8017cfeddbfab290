//! Writes `assets/dashboard.svg`: the dashboard as it really draws itself on
//! the demo organization. The real event loop runs against the in-process
//! mock on a `TestBackend`; keys select a user; the final frame's cells,
//! colours and modifiers are written out as SVG. No hand drawing.
//!
//! `cargo run --example screenshot [-- OUT.svg]`

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use brevo_users::brevo::Client;
use brevo_users::mock::{MockOptions, MockServer};
use brevo_users::tui::event_loop::{self, LoopConfig};
use brevo_users::tui::{AppState, Context, Settings};
use color_eyre::eyre::{Result, bail};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use secrecy::SecretString;
use tokio::sync::watch;

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

#[tokio::main]
async fn main() -> Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "assets/dashboard.svg".to_owned());
    let server = MockServer::start(MockOptions::default()).await?;
    let client = Client::builder()
        .base_url(server.base_url())
        .api_key(SecretString::from("demo"))
        .build()?;
    let (publish, mut states) = watch::channel::<Option<AppState>>(None);
    let mut config = LoopConfig::new(Box::new(std::io::sink()));
    config.observer = Some(Box::new(move |state: &AppState| {
        let _ = publish.send(Some(state.clone()));
    }));
    // The port is random: the header shows a fixed label instead, so the
    // picture only changes when the dashboard does.
    let context = Context {
        host: "127.0.0.1".to_owned(),
        read_only: false,
        demo: true,
        ..Context::default()
    };
    let state = AppState::new(context, Settings::default());
    let (keys, events) = futures::channel::mpsc::unbounded();
    let run = tokio::spawn(async move {
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT))?;
        event_loop::run(&mut terminal, events, client, state, config).await?;
        Ok::<_, color_eyre::Report>(terminal.backend().buffer().clone())
    });
    let press = |code: KeyCode| {
        let _ = keys.unbounded_send(Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))));
    };
    wait(&mut states, |s| s.list.loaded_once() && !s.busy()).await?;
    for _ in 0..14 {
        press(KeyCode::Char('j'));
    }
    wait(&mut states, |s| {
        s.view.index == 14 && !s.busy() && !s.permissions.cache.is_empty()
    })
    .await?;
    drop(keys);
    let buffer = run.await??;
    std::fs::write(&out, svg(&buffer))?;
    println!("wrote {out}");
    Ok(())
}

async fn wait(
    states: &mut watch::Receiver<Option<AppState>>,
    done: impl Fn(&AppState) -> bool,
) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if states.borrow_and_update().as_ref().is_some_and(&done) {
            return Ok(());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if tokio::time::timeout(left, states.changed()).await.is_err() {
            bail!("the dashboard did not get there in time");
        }
    }
}

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const DEFAULT_FG: &str = "#d4d4d4";
const DEFAULT_BG: &str = "#1e1e1e";

fn colour(color: Color) -> Option<String> {
    Some(
        match color {
            Color::Reset => return None,
            Color::Black => "#000000",
            Color::Red => "#cd3131",
            Color::Green => "#0dbc79",
            Color::Yellow => "#e5e510",
            Color::Blue => "#2472c8",
            Color::Magenta => "#bc3fbc",
            Color::Cyan => "#11a8cd",
            Color::Gray => "#e5e5e5",
            Color::DarkGray => "#666666",
            Color::LightRed => "#f14c4c",
            Color::LightGreen => "#23d18b",
            Color::LightYellow => "#f5f543",
            Color::LightBlue => "#3b8eea",
            Color::LightMagenta => "#d670d6",
            Color::LightCyan => "#29b8db",
            Color::White => "#ffffff",
            Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
            Color::Indexed(_) => DEFAULT_FG,
        }
        .to_owned(),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One run of cells sharing a style, drawn as one `<text>`.
struct Run {
    x: u16,
    cells: u16,
    text: String,
    fg: String,
    bg: Option<String>,
    bold: bool,
    dim: bool,
}

fn svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (w, h) = (
        f32::from(area.width) * CELL_W,
        f32::from(area.height) * CELL_H,
    );
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">"#
    );
    let _ = writeln!(
        out,
        r#"<rect width="100%" height="100%" fill="{DEFAULT_BG}"/>"#
    );
    for y in 0..area.height {
        let mut runs: Vec<Run> = Vec::new();
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let symbol = cell.symbol();
            let cells =
                u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap_or(1);
            let mut fg = colour(cell.fg).unwrap_or_else(|| DEFAULT_FG.to_owned());
            let mut bg = colour(cell.bg);
            if cell.modifier.contains(Modifier::REVERSED) {
                let old_fg = fg;
                fg = bg.unwrap_or_else(|| DEFAULT_BG.to_owned());
                bg = Some(old_fg);
            }
            let bold = cell.modifier.contains(Modifier::BOLD);
            let dim = cell.modifier.contains(Modifier::DIM);
            match runs.last_mut() {
                Some(run) if run.fg == fg && run.bg == bg && run.bold == bold && run.dim == dim => {
                    run.cells += cells;
                    run.text.push_str(symbol);
                }
                _ => runs.push(Run {
                    x,
                    cells,
                    text: symbol.to_owned(),
                    fg,
                    bg,
                    bold,
                    dim,
                }),
            }
            x += cells;
        }
        let top = f32::from(y) * CELL_H;
        for run in &runs {
            let left = f32::from(run.x) * CELL_W;
            let width = f32::from(run.cells) * CELL_W;
            if let Some(bg) = &run.bg {
                let _ = writeln!(
                    out,
                    r#"<rect x="{left:.1}" y="{top:.1}" width="{width:.1}" height="{CELL_H}" fill="{bg}"/>"#
                );
            }
            if run.text.trim().is_empty() {
                continue;
            }
            let weight = if run.bold {
                r#" font-weight="bold""#
            } else {
                ""
            };
            let opacity = if run.dim {
                r#" fill-opacity="0.55""#
            } else {
                ""
            };
            let _ = writeln!(
                out,
                r#"<text x="{left:.1}" y="{:.1}" fill="{}"{weight}{opacity} textLength="{width:.1}" lengthAdjust="spacingAndGlyphs" xml:space="preserve">{}</text>"#,
                top + CELL_H * 0.75,
                run.fg,
                escape(&run.text)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}
