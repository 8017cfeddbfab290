//! What a frame, a filter keystroke and a list response cost, outside
//! `cargo test`. Short runs: the machine has two shared cores.
//! Numbers and how to read them: docs/PERFORMANCE.md.
//!
//!   cargo bench --bench dashboard

use std::hint::black_box;
use std::time::Duration;

use brevo_users::brevo::model::decode_user_list;
use brevo_users::brevo::{FeatureAccess, User, UserStatus};
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::{AppState, Context, Keymap, Settings, update};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn users(n: usize) -> Vec<User> {
    (0..n)
        .map(|i| User {
            email: format!("user{i:06}@perf.test"),
            is_owner: i == 0,
            status: if i % 7 == 0 {
                UserStatus::Pending
            } else {
                UserStatus::Active
            },
            feature_access: FeatureAccess::from([
                ("marketing".to_owned(), "custom".to_owned()),
                ("crm".to_owned(), "none".to_owned()),
                ("conversations".to_owned(), "full".to_owned()),
            ]),
            id: Some(format!("{i:024x}")),
            locale: Some("en_US".to_owned()),
        })
        .collect()
}

/// A 120×40 dashboard with `n` users loaded, as the loop would have it.
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
    // Half-way down, so the window is not simply the first rows.
    for _ in 0..20 {
        update(&mut state, Action::Command(Command::Down));
    }
    state
}

fn draw_frame(c: &mut Criterion) {
    let keymap = Keymap::default();
    let mut group = c.benchmark_group("draw_frame_120x40");
    for n in [100, 10_000, 100_000] {
        let state = loaded(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
        group.bench_with_input(BenchmarkId::from_parameter(n), &state, |b, state| {
            b.iter(|| {
                terminal
                    .draw(|frame| brevo_users::tui::view::render(frame, state, &keymap))
                    .expect("drawn");
            });
        });
    }
    group.finish();
}

/// One keystroke in the filter: `update` (filtering, reselecting) plus the
/// frame it causes. Typing a letter and erasing it again, so every
/// iteration starts from the same state; reported per pair.
fn filter_keystroke(c: &mut Criterion) {
    let keymap = Keymap::default();
    let mut group = c.benchmark_group("filter_10000");
    let mut state = loaded(10_000);
    update(&mut state, Action::Command(Command::Filter));
    for ch in "user0".chars() {
        update(&mut state, Action::FilterInput(ch));
    }
    group.bench_function("type_and_erase_a_letter", |b| {
        b.iter(|| {
            black_box(update(&mut state, Action::FilterInput('7')));
            black_box(update(
                &mut state,
                Action::Command(Command::FilterBackspace),
            ));
        });
    });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    group.bench_function("type_and_erase_a_letter_and_draw_both", |b| {
        b.iter(|| {
            black_box(update(&mut state, Action::FilterInput('7')));
            terminal
                .draw(|frame| brevo_users::tui::view::render(frame, &state, &keymap))
                .expect("drawn");
            black_box(update(
                &mut state,
                Action::Command(Command::FilterBackspace),
            ));
            terminal
                .draw(|frame| brevo_users::tui::view::render(frame, &state, &keymap))
                .expect("drawn");
        });
    });
    group.finish();
}

/// A fuzzy filter key at 10,000 users (issue 14: ≤ 1 ms a key). Typing a
/// letter narrows; erasing it makes a full fuzzy pass over all 10,000
/// again: a pair is reported, so a key is half of it.
fn fuzzy_filter(c: &mut Criterion) {
    let mut group = c.benchmark_group("fuzzy_filter_10000");
    for (name, text) in [
        ("first_letter_and_erase", ""),
        ("skipping_letters_and_erase", "usr07"),
        ("fields_and_fuzzy_and_erase", "status:active role:member us"),
    ] {
        let mut state = loaded(10_000);
        update(&mut state, Action::Command(Command::Filter));
        for ch in text.chars() {
            update(&mut state, Action::FilterInput(ch));
        }
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
    // The worst case: a 5-letter fuzzy word matched against all 10,000
    // (nothing earlier to narrow from), two of them per iteration.
    let mut state = loaded(10_000);
    group.bench_function("two_full_passes_5_letters", |b| {
        b.iter(|| {
            for text in ["usr07", "7usr0"] {
                state.view.filter.text = text.to_owned();
                state.refresh_rows();
                black_box(state.visible().len());
            }
        });
    });
    group.finish();
}

fn decode_list(c: &mut Criterion) {
    let body =
        serde_json::to_vec(&serde_json::json!({ "users": users(10_000) })).expect("a list body");
    c.bench_function("decode_user_list_10000", |b| {
        b.iter(|| decode_user_list(black_box(&body)).expect("decoded"));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = draw_frame, filter_keystroke, fuzzy_filter, decode_list
}
criterion_main!(benches);
