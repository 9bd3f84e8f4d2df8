//! `cargo xtask bench`: wall time and peak memory of the pipeline on one large spec, beside the
//! baselines that say what the figures mean.
//!
//! Every measured run is a child process (`xtask bench-child …`), so its peak memory is its own
//! (the kernel's high-water mark of the child and everything it waited for, read with `wait4`)
//! and no run warms another's allocator. The baselines, in the same run:
//!
//! - bare progenitor on the very documents the pipeline hands it (our overhead: everything the
//!   pipeline adds, from reading the page to writing the files);
//! - openapi-to-rust and openapi-generator's `rust` generator on the original spec, when
//!   installed (`tests/bench/install-openapi-to-rust.sh`, `tests/bench/install-openapi-generator.sh`).
//!
//! The table goes into BENCHMARKS.md's "Latest run" section ([`write_latest`]), with the command
//! that printed it, so the file always says how its figures were measured.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;

use codegen::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use codegen::generate;

/// One measured run.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// Wall time.
    pub millis: u128,
    /// Peak resident memory in KiB, where the platform reports it.
    pub peak_kib: Option<u64>,
    /// CPU time in user and in system mode, in milliseconds, where the platform reports it.
    /// System time is mostly the kernel zeroing fresh pages: on a virtual machine whose memory
    /// the host has not yet backed it can be a fifth of a run, and it moves the wall time with
    /// it (see BENCHMARKS.md).
    pub cpu_millis: Option<(u128, u128)>,
    /// Whether the command succeeded.
    pub success: bool,
}

/// Runs `command` to completion, measuring its wall time and peak memory.
///
/// # Errors
/// When the command cannot be started.
pub fn measure(command: &mut Command) -> Result<Measurement> {
    let started = Instant::now();
    let child = command
        .spawn()
        .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot start {:?}: {e}", command.get_program())))?;
    let (success, peak_kib, cpu_millis) = wait_with_peak(child)?;
    Ok(Measurement { millis: started.elapsed().as_millis(), peak_kib, cpu_millis, success })
}

/// Whether the child succeeded, its peak memory in KiB and its CPU time (user, system) in ms.
type Waited = (bool, Option<u64>, Option<(u128, u128)>);

#[cfg(unix)]
fn wait_with_peak(child: std::process::Child) -> Result<Waited> {
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data that wait4 fills in; `pid` is our own un-reaped child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    if reaped != pid {
        return Err(Diagnostic::new(
            Kind::Io,
            format!("waiting for the benchmark child failed: {}", std::io::Error::last_os_error()),
        )
        .into());
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux reports ru_maxrss in KiB (it includes the children the child waited for).
    let millis = |t: libc::timeval| {
        u128::try_from(t.tv_sec).ok().zip(u128::try_from(t.tv_usec).ok()).map(|(s, us)| s * 1000 + us / 1000)
    };
    let cpu = millis(usage.ru_utime).zip(millis(usage.ru_stime));
    Ok((success, u64::try_from(usage.ru_maxrss).ok(), cpu))
}

#[cfg(not(unix))]
fn wait_with_peak(mut child: std::process::Child) -> Result<Waited> {
    let status =
        child.wait().map_err(|e| Diagnostic::new(Kind::Io, format!("waiting for the benchmark child failed: {e}")))?;
    Ok((status.success(), None, None))
}

/// The documents the pipeline hands progenitor for `spec`, one per server group, written as
/// JSON files into `dir` (the bare-progenitor baseline reads them).
///
/// # Errors
/// Any pipeline error on `spec`.
pub fn write_lowered(spec: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let page = crate::workspace::spec_page(spec, None).map_err(|e| {
        Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot read the spec: {e}")).in_file(spec))
    })?;
    // The same stages as every other caller (pipeline::prepare_api), then lowering.
    let input = codegen::pipeline::ApiInput {
        name: "spec".into(),
        module_names: Default::default(),
        pages: vec![page],
        strict: false,
        tag_layout: Default::default(),
    };
    let document = codegen::pipeline::prepare_api(&input)?.document;
    let lowered = codegen::lower::lower(&document, &Default::default());
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot create {}: {e}", dir.display())))?;
    let mut files = Vec::new();
    for (index, group) in lowered.groups.iter().enumerate() {
        let file = dir.join(format!("lowered-{index}.json"));
        // What the generate stage hands progenitor: the plan strips lowering's markers.
        let (_, handed_to_progenitor) = codegen::plan::plan(group);
        let json = serde_json::to_vec(&handed_to_progenitor).expect("a JSON value serializes");
        std::fs::write(&file, json)
            .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot write {}: {e}", file.display())))?;
        files.push(file);
    }
    Ok(files)
}

/// The bare-progenitor baseline: what a progenitor user does with a spec progenitor accepts
/// (deserialize, generate with the pipeline's settings, parse, format), for each document.
///
/// Returns the formatted bytes, so the caller can say how much code was produced.
///
/// # Errors
/// When a document does not deserialize or progenitor fails on it.
pub fn bare_progenitor(documents: &[PathBuf]) -> Result<usize> {
    let mut bytes = 0;
    for file in documents {
        let text = std::fs::read(file)
            .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", file.display())))?;
        let value: Value = serde_json::from_slice(&text)
            .map_err(|e| Diagnostic::new(Kind::Internal, format!("{}: {e}", file.display())))?;
        let spec: openapiv3::OpenAPI = serde_json::from_value(value)
            .map_err(|e| Diagnostic::new(Kind::Internal, format!("{}: {e}", file.display())))?;
        let mut generator = progenitor_impl::Generator::new(&generate::settings());
        let tokens = generator.generate_tokens(&spec).map_err(|e| {
            Diagnostic::new(Kind::GenerationFailed, format!("progenitor failed on {}: {e}", file.display()))
        })?;
        // Formatted the way progenitor's documentation shows: one syntax tree for the file.
        let text = codegen::generate::format::whole_file(tokens).map_err(|e| {
            Diagnostic::new(Kind::Internal, format!("progenitor's output for {} does not parse: {e}", file.display()))
        })?;
        bytes += text.len();
    }
    Ok(bytes)
}

/// Wall time ratio `ours / baseline`, for the report.
pub fn ratio(ours: &Measurement, baseline: &Measurement) -> f64 {
    ours.millis as f64 / baseline.millis.max(1) as f64
}

/// The median of several runs by wall time (the peak is the largest seen).
pub fn median(mut runs: Vec<Measurement>) -> Option<Measurement> {
    runs.sort_by_key(|m| m.millis);
    let peak = runs.iter().filter_map(|m| m.peak_kib).max();
    let success = runs.iter().all(|m| m.success);
    let middle = runs.get(runs.len() / 2)?.clone();
    Some(Measurement { peak_kib: peak, success, ..middle })
}

/// Where BENCHMARKS.md's latest run starts and ends.
const LATEST_START: &str = "<!-- bench: latest run (written by `cargo xtask bench`) -->";
const LATEST_END: &str = "<!-- /bench -->";

/// Replaces BENCHMARKS.md's "Latest run" section at `path` with `table`, the `command` that
/// measured it, the date and the commit; the section is inserted before the first dated one
/// when the file has none. Written through a temporary file, so a failure leaves it as it was.
///
/// # Errors
/// When the file cannot be read or written.
pub fn write_latest(path: &Path, command: &str, table: &[String]) -> Result<()> {
    let io = |e: std::io::Error| Diagnostic::new(Kind::Io, format!("{}: {e}", path.display()));
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(path.parent().unwrap_or(Path::new(".")))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(|| "an unknown commit".into(), |o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    let section = format!(
        "{LATEST_START}\n## Latest run\n\n{} on {commit}:\n\n```sh\n{command}\n```\n\n{}\n{LATEST_END}",
        today(),
        table.join("\n")
    );
    let updated = match (text.find(LATEST_START), text.find(LATEST_END)) {
        (Some(start), Some(end)) if end > start => {
            format!("{}{section}{}", &text[..start], &text[end + LATEST_END.len()..])
        }
        _ => match text.find("\n## 20") {
            Some(at) => format!("{}\n{section}\n{}", &text[..at], &text[at..]),
            None => format!("{}\n{section}\n", text.trim_end()),
        },
    };
    crate::output::write_atomically(path, &updated).map_err(io)?;
    Ok(())
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the days since 1970 (Howard Hinnant's
/// `civil_from_days`).
fn today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod latest_tests {
    use super::*;

    #[test]
    fn the_latest_run_replaces_the_last_one_and_keeps_the_history() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("BENCHMARKS.md");
        std::fs::write(&path, "# Benchmarks\n\nintro\n\n## 2026-12-06 (old)\n\nold table\n").unwrap();
        write_latest(&path, "cargo xtask bench --runs 1", &["| a | 1 s |".into()]).unwrap();
        write_latest(&path, "cargo xtask bench --runs 3", &["| b | 2 s |".into()]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("## Latest run").count(), 1, "{text}");
        assert!(text.contains("| b | 2 s |") && !text.contains("| a | 1 s |"), "{text}");
        assert!(text.contains("cargo xtask bench --runs 3"), "{text}");
        let (latest, history) = (text.find("## Latest run").unwrap(), text.find("## 2026-12-06").unwrap());
        assert!(latest < history && text.contains("old table"), "{text}");
        assert_eq!(today().len(), 10);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod measure_tests {
    use super::*;

    /// A child that only computes spends its time in user mode, and the measurement says so
    /// (a child that did nothing would report zero).
    #[test]
    fn a_busy_child_reports_its_cpu_time() {
        let mut busy = Command::new("sh");
        busy.args(["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"]);
        let measured = measure(&mut busy).unwrap();
        assert!(measured.success);
        let (user, _system) = measured.cpu_millis.expect("Linux reports CPU time");
        assert!(user > 0, "{measured:?}");
        assert!(measured.peak_kib.is_some_and(|k| k > 0), "{measured:?}");
    }
}
