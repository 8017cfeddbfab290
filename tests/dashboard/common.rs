//! Runs the real event loop on a `TestBackend` against the in-process mock,
//! with keys injected and the state watched.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use brevo_users::brevo::{Client, ClientBuilder};
use brevo_users::mock::{MockControl, MockOptions, MockServer, MockUser, Seed};
use brevo_users::tui::event_loop::{self, DashboardBackend, LoopConfig};
use brevo_users::tui::{AppState, Context, Settings};
use color_eyre::eyre::Result;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use futures::channel::mpsc::{UnboundedSender, unbounded};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use secrecy::SecretString;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub const DEADLINE: Duration = Duration::from_secs(10);

pub fn seed() -> Seed {
    Seed {
        seat_billing: true,
        account: None,
        users: vec![
            MockUser::owner("founder@acme.test"),
            MockUser::active("ops@acme.test").with_privilege("contacts", &["view"]),
            MockUser::active("tom.baker@acme.test").with_privilege("contacts", &["view"]),
            MockUser::pending("new.hire@acme.test").with_privilege("contacts", &["view"]),
            MockUser::pending("consultant@partner.example").with_privilege("phone", &["all"]),
        ],
    }
}

/// What the terminal was sent for the clipboard.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub struct Harness {
    _server: MockServer,
    pub control: MockControl,
    keys: Option<UnboundedSender<io::Result<Event>>>,
    /// The state after each turn of the loop, numbered.
    states: watch::Receiver<Option<(u64, AppState)>>,
    pub clipboard: Captured,
    handle: Option<JoinHandle<Result<AppState>>>,
}

/// Short timings, so that a failure shows within the test deadline.
pub fn settings() -> Settings {
    Settings {
        debounce: Duration::from_millis(20),
        ..Settings::default()
    }
}

pub fn client_for(server: &MockServer, key: &str) -> Client {
    client_waiting(server, key, Duration::from_millis(400))
}

/// Millisecond timings; `timeout` is longer for a debug-build mock serving
/// 10,000 users on a busy machine.
pub fn client_waiting(server: &MockServer, key: &str, timeout: Duration) -> Client {
    fast(
        Client::builder()
            .base_url(server.base_url())
            .api_key(SecretString::from(key.to_owned())),
    )
    .request_timeout(timeout)
    .build()
    .unwrap()
}

/// Millisecond timings for any client a test builds.
pub fn fast(builder: ClientBuilder) -> ClientBuilder {
    builder
        .request_timeout(Duration::from_millis(400))
        .connect_timeout(Duration::from_millis(200))
        .backoff_base(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
        .max_rate_limit_wait(Duration::from_millis(100))
        .reconcile_wait(Duration::from_millis(20))
}

impl Harness {
    pub async fn start(seed: Seed) -> Self {
        Self::start_with(
            MockOptions {
                seed,
                ..MockOptions::default()
            },
            "test-key",
        )
        .await
    }

    pub async fn start_with(options: MockOptions, key: &str) -> Self {
        Self::start_on(options, key, TestBackend::new(120, 40), None, None).await
    }

    /// The real loop on any backend; `host` replaces the mock's address
    /// in the header (its port changes from run to run); `timeout`, the
    /// client's request time-out (400 ms unless said).
    pub async fn start_on<B>(
        options: MockOptions,
        key: &str,
        backend: B,
        host: Option<&str>,
        timeout: Option<Duration>,
    ) -> Self
    where
        B: DashboardBackend + Send + 'static,
        B::Error: Send + Sync + 'static,
    {
        let server = MockServer::start(options).await.unwrap();
        let timeout = timeout.unwrap_or(Duration::from_millis(400));
        let client = client_waiting(&server, key, timeout);
        let context = Context {
            host: host.map_or_else(|| client.host(), str::to_owned),
            read_only: false,
            demo: false,
            ..Context::default()
        };
        let state = AppState::new(context, settings());
        let config = LoopConfig::new(Box::new(Captured::default()));
        Self::run(server, client, state, config, backend)
    }

    /// Runs the loop on `state` with `config` (its clipboard and observer
    /// are the harness's own).
    pub fn run<B>(
        server: MockServer,
        client: Client,
        state: AppState,
        mut config: LoopConfig,
        backend: B,
    ) -> Self
    where
        B: DashboardBackend + Send + 'static,
        B::Error: Send + Sync + 'static,
    {
        let control = server.control();
        let (keys, events) = unbounded();
        let (publish, states) = watch::channel(None);
        let clipboard = Captured::default();
        config.clipboard = Box::new(clipboard.clone());
        let mut turn = 0;
        config.observer = Some(Box::new(move |state: &AppState| {
            turn += 1;
            let _ = publish.send(Some((turn, state.clone())));
        }));
        let handle = tokio::spawn(async move {
            let mut terminal = Terminal::new(backend).unwrap();
            event_loop::run(&mut terminal, events, client, state, config).await
        });
        Self {
            _server: server,
            control,
            keys: Some(keys),
            states,
            clipboard,
            handle: Some(handle),
        }
    }

    pub fn send(&self, code: KeyCode) {
        let modifiers = match code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => KeyModifiers::SHIFT,
            _ => KeyModifiers::NONE,
        };
        self.event(Event::Key(KeyEvent::new(code, modifiers)));
    }

    pub fn event(&self, event: Event) {
        if let Some(keys) = &self.keys {
            keys.unbounded_send(Ok(event)).unwrap();
        }
    }

    /// The terminal's event stream fails (a closed terminal, say).
    pub fn fail(&self) {
        if let Some(keys) = &self.keys {
            keys.unbounded_send(Err(io::Error::other("input gone")))
                .unwrap();
        }
    }

    /// Waits for the loop to end by itself and returns what it returned.
    pub async fn ended(mut self) -> Result<AppState> {
        let handle = self.handle.take().unwrap();
        tokio::time::timeout(DEADLINE, handle)
            .await
            .expect("the loop ends")
            .unwrap()
    }

    pub fn chars(&self, text: &str) {
        for c in text.chars() {
            self.send(KeyCode::Char(c));
        }
    }

    /// Waits until the state satisfies `done`, failing after the deadline.
    pub async fn until(&mut self, what: &str, done: impl Fn(&AppState) -> bool) -> AppState {
        let wait = async {
            loop {
                if let Some((_, state)) = self.states.borrow_and_update().as_ref()
                    && done(state)
                {
                    return state.clone();
                }
                self.states.changed().await.unwrap();
            }
        };
        match tokio::time::timeout(DEADLINE, wait).await {
            Ok(state) => state,
            Err(_) => panic!("timed out waiting for: {what}"),
        }
    }

    /// How many times the loop has gone round (drawn if needed, then
    /// waited for something).
    pub fn turns(&self) -> u64 {
        self.states.borrow().as_ref().map_or(0, |(turn, _)| *turn)
    }

    /// Waits until the loop has gone round again since turn `since`: what
    /// was sent before has been handled and drawn.
    pub async fn turned_since(&mut self, since: u64) -> AppState {
        let wait = async {
            loop {
                if let Some((turn, state)) = self.states.borrow_and_update().as_ref()
                    && *turn > since
                {
                    return state.clone();
                }
                self.states.changed().await.unwrap();
            }
        };
        match tokio::time::timeout(DEADLINE, wait).await {
            Ok(state) => state,
            Err(_) => panic!("the loop did not go round after turn {since}"),
        }
    }

    /// Waits for a condition on the mock (polled: it has no notifications).
    pub async fn until_mock(&self, what: &str, done: impl Fn(&MockControl) -> bool) {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        while !done(&self.control) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting for: {what}"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    pub async fn loaded(&mut self) -> AppState {
        self.until("the users list", |s| {
            s.list.loaded_once() && !s.busy() && s.view.selected.is_some()
        })
        .await
    }

    /// Selects a user by filtering on their whole email.
    pub async fn select(&mut self, email: &str) {
        self.send(KeyCode::Char('/'));
        self.chars(email);
        self.send(KeyCode::Enter);
        let email = email.to_owned();
        self.until("the selection", move |s| {
            s.view.selected.as_deref() == Some(email.as_str()) && !s.view.filter.editing
        })
        .await;
    }

    /// Ends the event stream: the loop must return on its own.
    pub async fn finish(mut self) -> AppState {
        self.keys.take();
        let handle = self.handle.take().unwrap();
        tokio::time::timeout(DEADLINE, handle)
            .await
            .expect("the loop ends when its events end")
            .unwrap()
            .unwrap()
    }
}

pub fn toast(state: &AppState) -> String {
    state.toast().map(|t| t.text.clone()).unwrap_or_default()
}
