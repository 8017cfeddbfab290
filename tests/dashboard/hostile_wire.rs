//! Hostile data through the real loop, read the way a terminal reads it.
//! `hostile.rs` checks the cells of a `TestBackend` under random keys; this
//! checks the *bytes*: the mock serves escape sequences, an OSC title
//! change, bidi overrides, zero-width and wide characters, 10 kB fields,
//! duplicate emails, unknown statuses and features, while keys are pressed
//! (moves, Enter, filter, help, invite form, paste, resize). Everything the
//! loop sends goes through a `CrosstermBackend` into a `vt100` terminal,
//! which must never have its title set, never show a control or bidi
//! character, and keep both panes' right borders whole.

use std::num::NonZeroU16;

use brevo_users::mock::{MockOptions, MockUser, Seed};
use brevo_users::tui::AppState;
use crossterm::event::{Event, KeyCode};
use ratatui::layout::{Constraint, Layout, Rect};

use super::common::Harness;
use super::wire::Wire;

const OSC_TITLE: &str = "\u{1b}]0;pwned\u{7}";

fn texts() -> Vec<String> {
    vec![
        format!("\u{1b}[2J{OSC_TITLE}evil"),
        "\u{202E}nimda".into(),
        "zero\u{200B}width\u{FEFF}\u{2066}iso".into(),
        "名前名前名前".into(),
        "👩‍👩‍👧family".into(),
        "e\u{301}\u{301}combining".into(),
        "\u{1b}]52;c;cHduZWQ=\u{7}clip".into(),
        "line\nbreak\r\ttab\u{7}bell".into(),
        "a".repeat(10_000),
    ]
}

fn hostile_seed(bulk: usize) -> Seed {
    let texts = texts();
    let statuses = [
        "pending",
        "active",
        "suspended\u{1b}[5m",
        "休眠中",
        "\u{202E}evitca",
    ];
    let mut users = vec![MockUser::owner(format!("{OSC_TITLE}owner@x.test"))];
    for (i, text) in texts.iter().enumerate() {
        let mut user = MockUser::active(format!("{text}{i}@x.test"))
            .with_privilege(text, &[text.as_str()])
            .with_privilege("contacts", &["view", OSC_TITLE])
            .with_privilege("unknown_feature_✨", &["whatever"]);
        user.status = statuses[i % statuses.len()].to_owned();
        user.locale = Some(text.clone());
        users.push(user);
    }
    // The same address twice, once in other case.
    users.push(MockUser::active("twice@x.test"));
    users.push(MockUser::pending("TWICE@x.test"));
    users.extend((0..bulk).map(|n| MockUser::active(format!("user{n:05}@bulk.test"))));
    Seed {
        seat_billing: true,
        account: None,
        users,
    }
}

/// Records everything a terminal would do besides drawing.
#[derive(Default)]
struct Spy {
    titles: Vec<String>,
    clipboard: Vec<String>,
    osc: Vec<String>,
}

impl vt100::Callbacks for Spy {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles
            .push(String::from_utf8_lossy(title).into_owned());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(String::from_utf8_lossy(name).into_owned());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard
            .push(String::from_utf8_lossy(data).into_owned());
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, params: &[&[u8]]) {
        self.osc.push(format!("{params:?}"));
    }
}

struct Terminal {
    parser: vt100::Parser<Spy>,
    read: usize,
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a size above zero")
}

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200B}'..='\u{200F}' | '\u{FEFF}')
}

/// The sanitiser draws U+FFFD where it removed a character; terminals show
/// it one cell wide, but `vt100` drops it as a decoding error. So it is
/// shown here as `?`, the same width.
fn shown_replacement(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.windows(3).position(|w| w == "\u{FFFD}".as_bytes()) {
        out.extend_from_slice(&rest[..at]);
        out.push(b'?');
        rest = &rest[at + 3..];
    }
    out.extend_from_slice(rest);
    out
}

const BORDERS: &str = "│┃║┐┓┘┛╮╯┤┫";

impl Terminal {
    fn new() -> Self {
        Self {
            parser: vt100::Parser::new_with_callbacks(nonzero(40), nonzero(120), 0, Spy::default()),
            read: 0,
        }
    }

    /// Reads what was sent since last time and checks the screen.
    fn check(&mut self, bytes: &[u8], state: &AppState, step: &str) {
        self.parser.process(&shown_replacement(&bytes[self.read..]));
        self.read = bytes.len();
        let spy = self.parser.callbacks();
        assert!(spy.titles.is_empty(), "{step}: title set: {:?}", spy.titles);
        assert!(spy.clipboard.is_empty(), "{step}: clipboard written");
        assert!(spy.osc.is_empty(), "{step}: OSC sent: {:?}", spy.osc);
        let screen = self.parser.screen();
        let (rows, cols) = screen.size();
        let (rows, cols) = (rows.get(), cols.get());
        for row in 0..rows {
            for col in 0..cols {
                let cell = screen.cell(row, col).expect("a cell");
                assert!(
                    !cell.contents().chars().any(unsafe_char),
                    "{step}: {:?} drawn at {row},{col}",
                    cell.contents()
                );
            }
        }
        // The terminal shows exactly what the view drew for this state.
        let mut expected =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(cols, rows)).unwrap();
        expected
            .draw(|f| {
                brevo_users::tui::view::render(f, state, &brevo_users::tui::Keymap::default())
            })
            .unwrap();
        let buffer = expected.backend().buffer();
        for row in 0..rows {
            for col in 0..cols {
                let want = buffer[(col, row)].symbol().replace('\u{FFFD}', "?");
                let cell = screen.cell(row, col).expect("a cell");
                if cell.is_wide_continuation() {
                    continue;
                }
                let got = if cell.has_contents() {
                    cell.contents()
                } else {
                    " "
                };
                assert_eq!(
                    got,
                    want.as_str(),
                    "{step}: cell {row},{col} differs:\n{}",
                    screen.contents()
                );
            }
        }
        if state.modal().is_none() && state.form().is_none() && cols >= 100 && rows >= 15 {
            let body = Rect::new(0, 1, cols, rows - 3);
            let [users, permissions] =
                Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                    .areas(body);
            for pane in [users, permissions] {
                let x = pane.right() - 1;
                for y in pane.top()..pane.bottom() {
                    let cell = screen.cell(y, x).expect("a cell").contents();
                    assert!(
                        BORDERS.contains(cell) && !cell.is_empty(),
                        "{step}: the border at {y},{x} is {cell:?}:\n{}",
                        screen.contents()
                    );
                }
            }
        }
    }
}

enum Step {
    Key(KeyCode),
    Paste(String),
    Resize(u16, u16),
}

fn steps() -> Vec<(&'static str, Step)> {
    use KeyCode::*;
    let k = Step::Key;
    vec![
        ("down", k(Down)),
        ("down", k(Down)),
        ("enter", k(Enter)),
        ("tab", k(Tab)),
        ("down in permissions", k(Down)),
        ("back", k(Tab)),
        ("end", k(End)),
        ("page up", k(PageUp)),
        ("home", k(Home)),
        ("down to the escape user", k(Down)),
        ("filter", k(Char('/'))),
        ("filter x", k(Char('x'))),
        ("filter paste", Step::Paste(texts()[1].clone())),
        ("filter erase", k(Backspace)),
        ("filter accept", k(Enter)),
        ("filter clear", k(Esc)),
        ("sort", k(Char('s'))),
        ("help", k(Char('?'))),
        ("help closed", k(Esc)),
        ("invite form", k(Char('i'))),
        ("paste into the form", Step::Paste(texts()[0].clone())),
        ("paste more", Step::Paste(texts()[8].clone())),
        ("leave the form", k(Esc)),
        ("discard it", k(Char('y'))),
        ("narrow", Step::Resize(100, 30)),
        ("too narrow for two panes", Step::Resize(80, 24)),
        ("wide again", Step::Resize(120, 40)),
        ("down after resizing", k(Down)),
    ]
}

async fn run(bulk: usize) {
    let wire = Wire::new(120, 40);
    let bytes = wire.bytes.clone();
    let options = MockOptions {
        seed: hostile_seed(bulk),
        ..MockOptions::default()
    };
    let timeout = std::time::Duration::from_secs(5);
    let host = Some("api.brevo.com");
    let mut h = Harness::start_on(options, "test-key", wire, host, Some(timeout)).await;
    let mut terminal = Terminal::new();
    let state = h.loaded().await;
    terminal.check(&bytes.0.lock().unwrap(), &state, "loaded");
    for (name, step) in steps() {
        let turn = h.turns();
        match step {
            Step::Key(code) => h.send(code),
            Step::Paste(text) => h.event(Event::Paste(text)),
            Step::Resize(w, rows) => {
                h.event(Event::Resize(w, rows));
                terminal
                    .parser
                    .screen_mut()
                    .set_size(nonzero(rows), nonzero(w));
            }
        }
        h.turned_since(turn).await;
        let state = h.until("idle", |s| !s.busy()).await;
        terminal.check(&bytes.0.lock().unwrap(), &state, name);
    }
    let sent = bytes.0.lock().unwrap().clone();
    assert!(
        !sent.windows(9).any(|w| w == b"\x1b]0;pwned"),
        "the OSC title sequence reached the terminal"
    );
    h.finish().await;
}

#[tokio::test]
async fn hostile_data_never_reaches_the_terminal_raw() {
    run(20).await;
}

#[tokio::test]
async fn hostile_data_among_ten_thousand_users() {
    run(10_000 - 20).await;
}
