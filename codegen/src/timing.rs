//! How long each stage takes, on request: the profile that says where a large spec's time goes
//! before anyone optimizes.

/// Runs `stage`, printing how long it took to stderr when `CODEGEN_TIMINGS` is set: the
/// profile that says where a large spec's time goes before anyone optimizes. Where the
/// platform says, the line ends with the process's resident memory after the stage and its
/// peak so far, which say which stage holds what.
pub fn timed<T>(stage: &str, run: impl FnOnce() -> T) -> T {
    if std::env::var_os("CODEGEN_TIMINGS").is_none() {
        return run();
    }
    let started = std::time::Instant::now();
    let value = run();
    let memory = memory().map(|(now, peak)| format!(" (resident {now} MB, peak {peak} MB)")).unwrap_or_default();
    eprintln!("timing: {stage}: {} ms{memory}", started.elapsed().as_millis());
    value
}

/// The process's resident memory and its peak, in MB, from `/proc/self/status` (Linux).
fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kib| kib / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
