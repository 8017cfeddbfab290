//! Marks and the bulk confirmation at 10,000 users: `*` (mark every user
//! shown) and a frame with the confirmation of a bulk revoke open.
//! Numbers: docs/PERFORMANCE.md.
//!
//!   cargo bench --bench bulk

use std::hint::black_box;
use std::time::Duration;

use brevo_users::brevo::{FeatureAccess, User, UserStatus};
use brevo_users::tui::action::{Action, Command, Effect};
use brevo_users::tui::{AppState, Context, Keymap, Settings, update};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
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
            feature_access: FeatureAccess::from([("marketing".to_owned(), "custom".to_owned())]),
            id: None,
            locale: None,
        })
        .collect()
}

fn loaded(n: usize) -> AppState {
    let mut state = AppState::new(Context::default(), Settings::default());
    let size = Action::Resize {
        width: 120,
        height: 40,
    };
    update(&mut state, size);
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
    state
}

fn bulk(c: &mut Criterion) {
    let mut group = c.benchmark_group("bulk_10000");
    let mut state = loaded(10_000);
    // Marking only: each run starts from a state with no marks, made
    // (and dropped) outside the measurement.
    group.bench_function("mark_all", |b| {
        b.iter_batched_ref(
            || state.clone(),
            |state| black_box(update(state, Action::Command(Command::MarkAll))),
            BatchSize::LargeInput,
        );
    });
    update(&mut state, Action::Command(Command::MarkAll));
    group.bench_function("plan_the_revoke_of_all", |b| {
        b.iter(|| {
            black_box(update(&mut state, Action::Command(Command::Revoke)));
            black_box(update(&mut state, Action::Command(Command::No)));
        });
    });
    update(&mut state, Action::Command(Command::Revoke));
    let keymap = Keymap::default();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    group.bench_function("draw_the_confirmation", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| brevo_users::tui::view::render(frame, &state, &keymap))
                .expect("drawn");
        });
    });
    group.bench_function("scroll_and_draw_the_confirmation", |b| {
        b.iter(|| {
            black_box(update(&mut state, Action::Command(Command::PageDown)));
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
    targets = bulk
}
criterion_main!(benches);
