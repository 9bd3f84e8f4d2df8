//! Work spread over a few threads, its results kept in the order of its input.

/// `each` of `items` on up to `workers` threads (worker `w` takes every `workers`-th item from
/// the `w`th), the results in the order of `items`. A worker stops at its first error; the
/// answer is the error of the lowest-numbered worker that failed, `panicked()` for one that
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
    let each = &each;
    let columns: Vec<Result<Vec<R>, E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|worker| scope.spawn(move || items.iter().skip(worker).step_by(workers).map(each).collect()))
            .collect();
        handles.into_iter().map(|handle| handle.join().unwrap_or_else(|_| Err(panicked()))).collect()
    });
    let mut columns = columns.into_iter().map(|column| column.map(Vec::into_iter)).collect::<Result<Vec<_>, E>>()?;
    Ok((0..items.len()).filter_map(|index| columns[index % workers].next()).collect())
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
}
