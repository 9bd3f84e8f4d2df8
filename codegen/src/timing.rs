//! How long each stage takes, on request: the profile that says where a large spec's time goes
//! before anyone optimizes.

/// Runs `stage`, printing how long it took to stderr when `CODEGEN_TIMINGS` is set: the
/// profile that says where a large spec's time goes before anyone optimizes.
pub fn timed<T>(stage: &str, run: impl FnOnce() -> T) -> T {
    if std::env::var_os("CODEGEN_TIMINGS").is_none() {
        return run();
    }
    let started = std::time::Instant::now();
    let value = run();
    eprintln!("timing: {stage}: {} ms", started.elapsed().as_millis());
    value
}
