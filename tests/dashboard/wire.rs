//! Bytes over the wire, per action at 120×40, counted where a real
//! terminal would receive them: a `CrosstermBackend` over a capturing
//! writer, drawn by the loop's own `draw`. The counts are deterministic, so
//! they are held to `tests/baselines/wire_bytes.json` (+25% fails). After a
//! deliberate change, rewrite the file with `UPDATE_WIRE_BASELINE=1`.

use std::collections::BTreeMap;
use std::io;

use brevo_users::brevo::RateLimit;
use brevo_users::tui::action::{Action, Effect};
use brevo_users::tui::event_loop::{self, DashboardBackend, to_action};
use brevo_users::tui::keymap::Key;
use brevo_users::tui::state::Mode;
use brevo_users::tui::{AppState, Keymap, update};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use super::common::{Captured, Harness, seed};

/// A `CrosstermBackend` writing into memory. Only the size is its own: a
/// crossterm backend asks the real terminal for it.
pub struct Wire {
    inner: CrosstermBackend<Captured>,
    size: Size,
    pub bytes: Captured,
}

impl Wire {
    pub fn new(width: u16, height: u16) -> Self {
        let bytes = Captured::default();
        Self {
            inner: CrosstermBackend::new(bytes.clone()),
            size: Size::new(width, height),
            bytes,
        }
    }

    pub fn len(&self) -> usize {
        self.bytes.0.lock().unwrap().len()
    }
}

impl Backend for Wire {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // The dashboard must never ask (it stalls over slow links).
        Err(io::Error::other("asked the terminal for the cursor"))
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

impl DashboardBackend for Wire {
    fn begin_frame(&mut self) -> io::Result<()> {
        self.inner.begin_frame()
    }
    fn end_frame(&mut self) -> io::Result<()> {
        self.inner.end_frame()
    }
    fn resized(&mut self, width: u16, height: u16) {
        self.size = Size::new(width, height);
    }
}

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The dashboard at 120×40 with the usual organization listed, fixed
/// host and quota: nothing on screen depends on the run.
fn listed() -> AppState {
    let mut state = super::super::fresh(120, 40);
    let effects = brevo_users::tui::update::start(&mut state);
    let Some(Effect::LoadUsers { request }) = effects.first().cloned() else {
        panic!("{effects:?}")
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(super::super::org()),
            rate: Some(RateLimit {
                limit: Some(100),
                remaining: Some(88),
                reset_after: None,
                observed_at: std::time::Instant::now(),
            }),
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    state
}

/// Feeds a terminal event through the keymap and `update`, as the loop does.
fn handle(state: &mut AppState, keymap: &Keymap, event: Event) {
    for action in to_action(state, keymap, event) {
        update(state, action);
    }
}

/// Bytes of each action, in the order an admin would do them.
fn measure() -> BTreeMap<String, usize> {
    let keymap = Keymap::default();
    let mut terminal = Terminal::new(Wire::new(120, 40)).unwrap();
    let mut sent = BTreeMap::new();
    let mut frame = |name: &str, terminal: &mut Terminal<Wire>, state: &AppState| {
        let before = terminal.backend().len();
        event_loop::draw(terminal, state, &keymap).unwrap();
        sent.insert(name.to_owned(), terminal.backend().len() - before);
    };
    let mut state = listed();
    event_loop::clear_without_round_trip(&mut terminal).unwrap();
    frame("first_frame", &mut terminal, &state);
    handle(&mut state, &keymap, key('j'));
    frame("selection_move", &mut terminal, &state);
    handle(&mut state, &keymap, key('i'));
    frame("open_invite_form", &mut terminal, &state);
    assert_eq!(state.mode(), Mode::FormText);
    handle(&mut state, &keymap, key('a'));
    assert_eq!(state.form().unwrap().email(), "a");
    frame("typed_character_in_invite_form", &mut terminal, &state);
    sent
}

#[test]
fn bytes_per_action_stay_within_the_baseline() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/baselines/wire_bytes.json"
    );
    let measured = measure();
    if std::env::var_os("UPDATE_WIRE_BASELINE").is_some() {
        let text = serde_json::to_string_pretty(&measured).unwrap();
        std::fs::write(path, text + "\n").unwrap();
    }
    let baseline: BTreeMap<String, usize> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        baseline.keys().collect::<Vec<_>>(),
        measured.keys().collect::<Vec<_>>(),
        "the baseline names other actions"
    );
    for (action, &bytes) in &measured {
        let allowed = baseline[action] + baseline[action] / 4;
        assert!(
            bytes <= allowed,
            "{action}: {bytes} bytes, baseline {} (+25% = {allowed})",
            baseline[action]
        );
    }
    // Drawing the same frame twice sends the same bytes.
    assert_eq!(measure(), measured);
}

/// Through the real loop: a key that means nothing draws nothing.
#[tokio::test]
async fn a_key_that_changes_nothing_sends_nothing() {
    let wire = Wire::new(120, 40);
    let bytes = wire.bytes.clone();
    let options = brevo_users::mock::MockOptions {
        seed: seed(),
        ..Default::default()
    };
    let mut h = Harness::start_on(options, "test-key", wire, Some("api.brevo.com"), None).await;
    let state = h
        .until("loaded, permissions shown, idle", |s| {
            s.list.loaded_once()
                && !s.busy()
                && s.view
                    .selected
                    .as_deref()
                    .is_some_and(|e| s.permissions.cache.contains_key(e))
        })
        .await;
    let keymap = Keymap::default();
    let z = Key::from_event(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::NONE)).unwrap();
    assert_eq!(keymap.lookup(state.mode(), z), None, "z must be unbound");
    let before = bytes.0.lock().unwrap().len();
    let turn = h.turns();
    h.event(key('z'));
    h.turned_since(turn).await;
    assert_eq!(bytes.0.lock().unwrap().len(), before, "z drew something");
    h.finish().await;
}
