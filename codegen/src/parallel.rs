//! Work spread over a few threads, its results kept in the order of its input.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The items one worker took: each one's index and result.
type Taken<R, E> = Vec<(usize, Result<R, E>)>;

/// `each` of `items` on up to `workers` threads, the results in the order of `items`. Each
/// worker takes the next item not yet taken, so a run of costly items is shared however they
/// fall (items handed out by position went, every second one, to the same worker when a cheap
/// and a costly kind alternated). After the first error no worker takes another item; the
/// answer is then the error of the earliest item that failed, `panicked()` for a worker that
/// panicked.
///
/// # Errors
/// An error of `each`, or `panicked()`.
pub fn map_in_order<T: Sync, R: Send, E: Send>(
    items: &[T],
    workers: usize,
    each: impl Fn(&T) -> Result<R, E> + Sync,
    panicked: impl Fn() -> E,
) -> Result<Vec<R>, E> {
    let workers = workers.clamp(1, items.len().max(1));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let work = || {
        let mut done = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            let result = each(item);
            if result.is_err() {
                failed.store(true, Ordering::Relaxed);
            }
            done.push((index, result));
        }
        done
    };
    let work = &work;
    // Each worker's items, by index; `None` for a worker that panicked.
    let columns: Vec<Option<Taken<R, E>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(work)).collect();
        handles.into_iter().map(|handle| handle.join().ok()).collect()
    });
    let mut slots: Vec<Option<Result<R, E>>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for column in columns {
        for (index, result) in column.ok_or_else(&panicked)? {
            slots[index] = Some(result);
        }
    }
    // Without an error every item was taken; with one, the earliest error comes first.
    slots.into_iter().map_while(|slot| slot).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_keep_the_input_order_and_an_error_is_the_answer() {
        let items: Vec<u32> = (0..11).collect();
        let doubled = map_in_order(&items, 3, |i| Ok::<_, String>(i * 2), || "panicked".to_string());
        assert_eq!(doubled, Ok((0..11).map(|i| i * 2).collect::<Vec<_>>()));
        let failed = map_in_order(&items, 3, |i| if *i == 7 { Err(format!("no {i}")) } else { Ok(*i) }, String::new);
        assert_eq!(failed, Err("no 7".to_string()));
        let empty: Vec<u32> = Vec::new();
        assert_eq!(map_in_order(&empty, 4, |i| Ok::<_, ()>(*i), || ()), Ok(Vec::new()));
    }

    #[test]
    fn the_earliest_error_is_the_answer() {
        let items: Vec<u32> = (0..200).collect();
        for _ in 0..20 {
            let failed = map_in_order(&items, 2, |i| if *i % 50 == 7 { Err(*i) } else { Ok(*i) }, || 0);
            assert_eq!(failed, Err(7));
        }
    }

    #[test]
    fn costly_items_that_alternate_with_cheap_ones_are_shared_by_the_workers() {
        // Every second item is costly: handed out by position, one worker took all of them.
        let items: Vec<u32> = (0..40).collect();
        let workers = map_in_order(
            &items,
            2,
            |i| {
                if i % 2 == 1 {
                    std::thread::sleep(std::time::Duration::from_millis(3));
                }
                Ok::<_, ()>((i % 2 == 1).then(|| std::thread::current().id()))
            },
            || (),
        )
        .unwrap();
        let costly: std::collections::HashSet<_> = workers.into_iter().flatten().collect();
        assert_eq!(costly.len(), 2, "the costly items all went to one worker");
    }
}
