//! The event loop, generic over the terminal events and the ratatui
//! backend, so tests drive the real loop with injected events and a
//! `TestBackend`. It waits on four things at once: terminal events, the
//! results of background tasks, a tick that runs only while something is
//! loading, and a suspend asked for from outside (SIGTSTP). It draws only
//! after something happened.

use std::io::{self, Write};
use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr};
use crossterm::clipboard::CopyToClipboard;
use crossterm::event::{Event, KeyCode};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

use crate::brevo::Client;
use crate::connect::Reconnect;

use super::accounts::Accounts;
use super::action::{Action, Effect};
use super::keymap::{Key, Keymap};
use super::profile_switch::switch_profile;
use super::state::{AppState, Mode};
use super::update::{start, update};
use super::view;
use super::worker::Worker;

// Re-exported where the loop's callers (and the tests) have always found them.
pub use super::terminal::{DashboardBackend, SuspendRequests, clear_without_round_trip};

/// Sees the state after each batch of actions (tests watch it with this).
pub type Observer = Box<dyn FnMut(&AppState) + Send>;

/// How the loop is set up around the state.
pub struct LoopConfig {
    pub keymap: Keymap,
    /// Where OSC 52 copy sequences go: the terminal, or a buffer in tests.
    pub clipboard: Box<dyn Write + Send>,
    /// Called with the state after each batch of actions (tests watch it).
    pub observer: Option<Observer>,
    /// Spinner period.
    pub tick: Duration,
    /// Connects to another profile (`P`); `None` in the demo and when
    /// there is no configuration file.
    pub reconnect: Option<Reconnect>,
    /// Suspends asked for from outside (SIGTSTP); `None` in tests.
    pub suspend_requests: Option<SuspendRequests>,
    /// The demo's accounts by profile (in-process mocks): `F` looks in
    /// them and `P` switches between them; empty outside the demo.
    pub demo_accounts: Vec<(String, Client)>,
}

impl LoopConfig {
    pub fn new(clipboard: Box<dyn Write + Send>) -> Self {
        Self {
            keymap: Keymap::default(),
            clipboard,
            observer: None,
            tick: Duration::from_millis(100),
            reconnect: None,
            suspend_requests: None,
            demo_accounts: Vec::new(),
        }
    }
}

/// Runs the dashboard until the user quits or the events end, and returns
/// the final state.
pub async fn run<B, S>(
    terminal: &mut Terminal<B>,
    mut events: S,
    client: Client,
    mut state: AppState,
    mut config: LoopConfig,
) -> Result<AppState>
where
    B: DashboardBackend,
    B::Error: Send + Sync + 'static,
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let (results, mut inbox) = mpsc::unbounded_channel();
    let mut worker = Worker::new(client, results);
    let mut ticker = tokio::time::interval(config.tick);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut suspend_requests = config.suspend_requests.take();
    let mut accounts = Accounts::new(std::mem::take(&mut config.demo_accounts));

    let size = terminal.size().wrap_err("reading the terminal size")?;
    let mut effects = start(&mut state);
    effects.extend(update(
        &mut state,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    ));
    let mut dirty = true;
    loop {
        let mut parts = (&mut state, &mut config, &mut worker, &mut accounts);
        dirty |= carry_out(terminal, &mut parts, effects).await?;
        if state.quit {
            break;
        }
        if dirty {
            draw(terminal, &state, &config.keymap)?;
            dirty = false;
            debug_panic::after_frame(&state);
        }
        if let Some(observer) = config.observer.as_mut() {
            observer(&state);
        }
        let mut actions = Vec::new();
        // Effects asked for from outside, carried out like `update`'s.
        let mut requested = Vec::new();
        tokio::select! {
            event = events.next() => match event {
                None => break,
                Some(Err(error)) => return Err(error).wrap_err("reading terminal events"),
                Some(Ok(event)) => {
                    if let Event::Resize(width, height) = event {
                        terminal.backend_mut().resized(width, height);
                        dirty = true;
                    }
                    actions.extend(to_action(&state, &config.keymap, event));
                }
            },
            Some(action) = inbox.recv() => {
                actions.push(action);
                // Draw once for everything that arrived together.
                while let Ok(more) = inbox.try_recv() {
                    actions.push(more);
                }
            },
            _ = ticker.tick(), if state.busy() => actions.push(Action::Tick),
            () = suspend_requested(&mut suspend_requests) => requested.push(Effect::Suspend),
        }
        effects = requested;
        for action in actions {
            dirty = true;
            effects.extend(update(&mut state, action));
        }
    }
    Ok(state)
}

/// Waits for the next suspend asked for from outside; never returns when
/// nobody can ask (tests, or the signal handler gone).
async fn suspend_requested(requests: &mut Option<SuspendRequests>) {
    if let Some(receiver) = requests.as_mut()
        && receiver.recv().await.is_some()
    {
        return;
    }
    *requests = None;
    std::future::pending().await
}

/// Carries out effects: terminal ones here, the rest in worker tasks.
/// Returns whether the screen must be drawn again.
async fn carry_out<B>(
    terminal: &mut Terminal<B>,
    (state, config, worker, accounts): &mut Parts<'_>,
    mut effects: Vec<Effect>,
) -> Result<bool>
where
    B: DashboardBackend,
    B::Error: Send + Sync + 'static,
{
    let mut dirty = false;
    while !effects.is_empty() {
        let mut follow_up = Vec::new();
        for effect in effects {
            match effect {
                Effect::Quit => state.quit = true,
                Effect::Suspend => {
                    terminal
                        .backend_mut()
                        .suspend()
                        .wrap_err("suspending the dashboard")?;
                    // Whatever the shell drew meanwhile is gone: draw all.
                    clear_without_round_trip(terminal).wrap_err("redrawing after resume")?;
                    dirty = true;
                }
                Effect::CopyToClipboard(email) => {
                    let ok = crossterm::execute!(
                        config.clipboard,
                        CopyToClipboard::to_clipboard_from(email.as_bytes())
                    )
                    .is_ok();
                    follow_up.extend(update(state, Action::ClipboardWritten { email, ok }));
                    dirty = true;
                }
                Effect::SwitchProfile { name } => {
                    let (result, client) = match accounts.demo_client(&name) {
                        Some(client) => (Ok(demo_facts(&client)), Some(client)),
                        None => {
                            let reconnect = config.reconnect.clone();
                            switch_profile(terminal, reconnect, &name).await?
                        }
                    };
                    follow_up.extend(update(state, Action::ProfileSwitched { name, result }));
                    if let Some(client) = client {
                        // After `update`: the new worker takes the new generation.
                        **worker = worker.for_profile(client, state.profiles.generation);
                    }
                    dirty = true;
                }
                Effect::FindEverywhere {
                    request,
                    email,
                    profiles,
                } => {
                    let reconnect = config.reconnect.as_ref();
                    let asked = (request, email.as_str(), profiles.as_slice());
                    accounts
                        .find(terminal, reconnect, asked, &worker.results())
                        .await?;
                    dirty = true;
                }
                Effect::PlanEverywhere {
                    request,
                    email,
                    presences,
                } => accounts.plan(request, email, presences, &worker.results()),
                Effect::OffboardEverywhere { request, plan } => {
                    accounts.offboard(request, plan, &worker.results());
                }
                other => worker.spawn(other),
            }
        }
        effects = follow_up;
    }
    Ok(dirty)
}

/// What `carry_out` works on besides the terminal.
type Parts<'a> = (
    &'a mut AppState,
    &'a mut LoopConfig,
    &'a mut Worker,
    &'a mut Accounts,
);

/// A demo account's facts: the built-in presets, read-only as started.
fn demo_facts(client: &Client) -> super::state::ProfileFacts {
    super::state::ProfileFacts {
        host: client.host(),
        read_only: client.is_read_only(),
        presets: crate::brevo::presets::builtin(),
    }
}

/// Draws one frame, wrapped for the backend (public so that tests count
/// exactly the bytes the loop sends for a frame).
pub fn draw<B>(terminal: &mut Terminal<B>, state: &AppState, keymap: &Keymap) -> Result<()>
where
    B: DashboardBackend,
    B::Error: Send + Sync + 'static,
{
    terminal
        .backend_mut()
        .begin_frame()
        .wrap_err("starting a frame")?;
    let drawn = terminal
        .draw(|frame| view::render(frame, state, keymap))
        .map(|_| ());
    terminal
        .backend_mut()
        .end_frame()
        .wrap_err("ending a frame")?;
    drawn.wrap_err("drawing the dashboard")?;
    Ok(())
}

/// A terminal event as an action, through the keymap of the current mode.
pub fn to_action(state: &AppState, keymap: &Keymap, event: Event) -> Vec<Action> {
    let mode = state.mode();
    match event {
        Event::Key(event) => {
            let Some(key) = Key::from_event(&event) else {
                return Vec::new();
            };
            if let Some(command) = keymap.lookup(mode, key) {
                return vec![Action::Command(command)];
            }
            match key.code {
                KeyCode::Char(c) if matches!(mode, Mode::Filter | Mode::Palette) && !key.ctrl => {
                    vec![Action::FilterInput(c)]
                }
                KeyCode::Char(c)
                    if matches!(mode, Mode::FormText | Mode::EverywherePrompt) && !key.ctrl =>
                {
                    vec![Action::FormInput(c)]
                }
                _ => Vec::new(),
            }
        }
        Event::Paste(text) if matches!(mode, Mode::Filter | Mode::Palette) => text
            .chars()
            .filter(|c| !c.is_control())
            .map(Action::FilterInput)
            .collect(),
        Event::Paste(text) if matches!(mode, Mode::FormText | Mode::EverywherePrompt) => {
            vec![Action::FormPaste(text)]
        }
        Event::Resize(width, height) => vec![Action::Resize { width, height }],
        _ => Vec::new(),
    }
}

/// Test-only: with `BREVO_USERS_DEBUG_PANIC=1`, a debug build panics inside
/// a spawned task once the first frame with users is drawn, so that the
/// pty test (`tests/terminal.rs`) can prove the terminal is given back
/// after a panic. Compiled out of release builds: there it does nothing and
/// reads no variable.
mod debug_panic {
    use crate::tui::state::AppState;

    #[cfg(debug_assertions)]
    pub fn after_frame(state: &AppState) {
        use std::sync::atomic::{AtomicBool, Ordering};
        static DONE: AtomicBool = AtomicBool::new(false);
        if state.list.loaded_once()
            && std::env::var_os("BREVO_USERS_DEBUG_PANIC").is_some_and(|v| v == "1")
            && !DONE.swap(true, Ordering::SeqCst)
        {
            tokio::spawn(async {
                panic!("forced by BREVO_USERS_DEBUG_PANIC (a test of the panic path)");
            });
        }
    }

    #[cfg(not(debug_assertions))]
    pub fn after_frame(_: &AppState) {}
}
