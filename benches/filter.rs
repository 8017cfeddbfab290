//! A filter key at 10,000 users with fuzzy matching (issue 14: ≤ 1 ms a
//! key), and the frame it causes with the matched letters highlighted.
//! Numbers and how to read them: docs/PERFORMANCE.md.
//!
//!   cargo bench --bench filter

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Duration;

use brevo_users::brevo::{User, UserStatus};
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::{AppState, Context, Keymap, Settings, update};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| User {
            email: format!(
                "user{i:06}.{}@perf{}.test",
                ["ops", "sales", "dev"][i % 3],
                i % 13
            ),
            is_owner: i == 0,
            status: if i % 7 == 0 {
                UserStatus::Pending
            } else {
                UserStatus::Active
            },
            feature_access: BTreeMap::from([("marketing".to_owned(), "custom".to_owned())]),
            id: None,
            locale: None,
        })
        .collect()
}

fn loaded(n: usize) -> AppState {
    let mut state = AppState::new(Context::default(), Settings::default());
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 40,
        },
    );
    let effects = brevo_users::tui::update::start(&mut state);
    let Some(Effect::LoadUsers { request }) = effects.first().cloned() else {
        panic!("no list request: {effects:?}");
    };
    update(
        &mut state,
        Action::UsersLoaded {
            request,
            result: Ok(users(n)),
            rate: None,
            at: std::time::SystemTime::UNIX_EPOCH,
        },
    );
    update(&mut state, Action::Command(Command::Filter));
    state
}

fn typed(text: &str) -> AppState {
    let mut state = loaded(10_000);
    for c in text.chars() {
        update(&mut state, Action::FilterInput(c));
    }
    state
}

/// Typing a letter narrows; erasing it makes a full fuzzy pass over all
/// 10,000 again: a pair is reported, so a key is half of it.
fn fuzzy_keys(c: &mut Criterion) {
    let mut group = c.benchmark_group("fuzzy_filter_10000");
    for (name, text) in [
        ("first_letter_and_erase", ""),
        ("skipping_letters_and_erase", "ur7ops"),
        ("fields_and_fuzzy_and_erase", "status:active role:member us"),
    ] {
        let mut state = typed(text);
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(update(&mut state, Action::FilterInput('3')));
                black_box(update(
                    &mut state,
                    Action::Command(Command::FilterBackspace),
                ));
            });
        });
    }
    let keymap = Keymap::default();
    let mut state = typed("ur7");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    group.bench_function("erase_and_type_and_draw_highlighted", |b| {
        b.iter(|| {
            black_box(update(
                &mut state,
                Action::Command(Command::FilterBackspace),
            ));
            black_box(update(&mut state, Action::FilterInput('7')));
            terminal
                .draw(|frame| brevo_users::tui::view::render(frame, &state, &keymap))
                .expect("drawn");
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = fuzzy_keys
}
criterion_main!(benches);
