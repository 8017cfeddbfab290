//! Asking many accounts at once: one task per account, at most
//! [`PARALLEL`] running, each result handed to the caller as it comes and
//! all of them returned in the order they were given.

use std::future::Future;

use futures::StreamExt;

/// How many accounts are asked at once.
pub const PARALLEL: usize = 8;

/// Runs `work` on every item, [`PARALLEL`] tasks at a time; `on_each` sees
/// each result when it arrives. A task that panicked (a bug of ours) is
/// replaced by `lost(index)`, so one account never hides the others.
pub(super) async fn fan_out<I, R, Fut>(
    items: Vec<I>,
    work: impl Fn(I) -> Fut,
    lost: impl Fn(usize) -> R,
    mut on_each: impl FnMut(&R),
) -> Vec<R>
where
    Fut: Future<Output = R> + Send + 'static,
    R: Send + 'static,
{
    let count = items.len();
    // `map` is lazy: a task is spawned only when the buffer has room.
    let mut running = futures::stream::iter(items.into_iter().enumerate().map(|(index, item)| {
        let task = tokio::spawn(work(item));
        async move { (index, task.await) }
    }))
    .buffer_unordered(PARALLEL);
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    while let Some((index, joined)) = running.next().await {
        let result = joined.unwrap_or_else(|_| lost(index));
        on_each(&result);
        results[index] = Some(result);
    }
    results
        .into_iter()
        .enumerate()
        .map(|(index, result)| result.unwrap_or_else(|| lost(index)))
        .collect()
}
