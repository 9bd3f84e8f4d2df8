//! The `bench` command's orchestration: which child runs, in which order, and the report.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use codegen::diagnostics::Kind;
use codegen::{Diagnostic, Diagnostics};
use codegen_tools::bench::{self, Measurement};

const GITHUB_SPEC: &str = "tests/corpus/node_modules/@octokit/openapi/generated/api.github.com.json";

fn fail(message: impl Into<String>) -> Diagnostics {
    Diagnostics::from(Diagnostic::new(Kind::Io, message.into()))
}

fn me() -> Result<PathBuf, Diagnostics> {
    std::env::current_exe().map_err(|e| fail(format!("cannot find the xtask binary: {e}")))
}

fn quiet(mut command: Command) -> Command {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    command
}

fn runs_of(
    label: &str,
    runs: usize,
    make: impl Fn() -> Result<Command, Diagnostics>,
) -> Result<Measurement, Diagnostics> {
    let mut all = Vec::new();
    for run in 1..=runs {
        let measured = bench::measure(&mut make()?)?;
        err!("  {label}: run {run}/{runs}: {:.2} s, {}", seconds(&measured), peak(&measured));
        if !measured.success {
            return Err(fail(format!("{label} failed; run it alone to see why")));
        }
        all.push(measured);
    }
    Ok(bench::median(all).expect("at least one run"))
}

fn seconds(m: &Measurement) -> f64 {
    m.millis as f64 / 1000.0
}

fn peak(m: &Measurement) -> String {
    m.peak_kib.map_or("n/a".into(), |k| format!("{} MiB", k / 1024))
}

pub fn bench(
    spec: Option<PathBuf>,
    runs: usize,
    check_client: bool,
    skip_openapi_generator: bool,
) -> Result<ExitCode, Diagnostics> {
    let root = crate::repository_root();
    let spec = spec.unwrap_or_else(|| root.join(GITHUB_SPEC));
    if !spec.is_file() {
        return Err(Diagnostics::from(
            Diagnostic::new(Kind::Io, format!("no spec at {}", spec.display()))
                .help("install the corpus with `tests/corpus/install.sh`, or pass `--spec FILE`"),
        ));
    }
    let work = root.join("target").join("bench");
    let runs = runs.max(1);
    err!("preparing the documents the pipeline hands progenitor ...");
    let lowered = bench::write_lowered(&spec, &work.join("lowered"))?;

    err!("measuring ({runs} run(s) each) ...");
    let out = work.join("client");
    let ours = runs_of("pipeline", runs, || {
        let mut command = quiet(Command::new(me()?));
        command.arg("bench-child").arg("pipeline").arg(&spec).arg(&out);
        Ok(command)
    })?;
    let bare = runs_of("bare progenitor", runs, || {
        let mut command = quiet(Command::new(me()?));
        command.arg("bench-child").arg("progenitor").args(&lowered);
        Ok(command)
    })?;
    let generator = if skip_openapi_generator { None } else { openapi_generator(&root) };
    let java_out = work.join("openapi-generator-out");
    let java = match &generator {
        Some(cli) => {
            let target = java_out.clone();
            let _ = std::fs::remove_dir_all(&target);
            Some(runs_of("openapi-generator", 1, || {
                let mut command = quiet(Command::new(cli));
                command
                    .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                    .arg(&spec)
                    .arg("-o")
                    .arg(&target);
                Ok(command)
            })?)
        }
        None => {
            err!("  openapi-generator: not installed (tests/bench/install-openapi-generator.sh); skipped");
            None
        }
    };
    let checks =
        if check_client { Some(check_clients(&root, &out, java.as_ref().map(|_| java_out.as_path()))?) } else { None };

    let name = spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
    out!("| {name} | wall | peak memory | ratio (wall) |");
    out!("|---|---:|---:|---:|");
    out!("| pipeline, end to end | {:.2} s | {} | 1.00 |", seconds(&ours), peak(&ours));
    out!(
        "| bare progenitor, same lowered documents | {:.2} s | {} | pipeline / progenitor = {:.2} |",
        seconds(&bare),
        peak(&bare),
        bench::ratio(&ours, &bare)
    );
    if let Some(java) = &java {
        out!(
            "| openapi-generator 7.26 `-g rust` | {:.2} s | {} | openapi-generator / pipeline = {:.1} |",
            seconds(java),
            peak(java),
            bench::ratio(java, &ours)
        );
    }
    if let Some(checks) = &checks {
        let versus = checks.openapi_generator.as_ref().map_or(String::new(), |theirs| {
            format!(
                "openapi-generator / ours = {:.1} (wall), {:.1} (memory)",
                bench::ratio(theirs, &checks.ours),
                memory_ratio(theirs, &checks.ours)
            )
        });
        out!(
            "| `cargo check`, our client, every feature | {:.2} s | {} | {versus} |",
            seconds(&checks.ours),
            peak(&checks.ours)
        );
        if let Some(theirs) = &checks.openapi_generator {
            out!("| `cargo check`, openapi-generator's client | {:.2} s | {} | |", seconds(theirs), peak(theirs));
        }
        for (label, feature, operations, measured) in &checks.features {
            out!(
                "| `cargo check`, our client, only feature `{feature}` ({label}: {operations} operations) | {:.2} s | {} | |",
                seconds(measured),
                peak(measured)
            );
        }
        out!("\nLargest generated Rust file (the webhooks module included): {}", checks.largest_file);
    }
    Ok(ExitCode::SUCCESS)
}

/// `target/bench/venv` (what the install script makes), else `openapi-generator-cli` on PATH.
fn openapi_generator(root: &Path) -> Option<PathBuf> {
    let local = root.join("target/bench/venv/bin/openapi-generator-cli");
    if local.is_file() {
        return Some(local);
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path).map(|dir| dir.join("openapi-generator-cli")).find(|p| p.is_file())
}

/// What `--check-client` measures.
struct Checks {
    ours: Measurement,
    openapi_generator: Option<Measurement>,
    /// (which, feature, its operations, measured): the median tag and the largest.
    features: Vec<(&'static str, String, usize, Measurement)>,
    largest_file: String,
}

fn memory_ratio(numerator: &Measurement, denominator: &Measurement) -> f64 {
    match (numerator.peak_kib, denominator.peak_kib) {
        (Some(n), Some(d)) if d > 0 => n as f64 / d as f64,
        _ => f64::NAN,
    }
}

/// `cargo check` of our client with every feature and with single tag features, and of
/// openapi-generator's client when it was generated, each after a first check that builds
/// its dependencies, so the figures are the crates' own.
fn check_clients(root: &Path, ours: &Path, theirs: Option<&Path>) -> Result<Checks, Diagnostics> {
    let manifest = codegen_tools::compile_sample::make_standalone(ours, &root.join("Cargo.lock"))?;
    let target = root.join("target").join("bench").join("check-target");
    err!("  cargo check: building our client's dependencies first ...");
    let all = cargo_check(&manifest, &target, &[])?;
    let features = tag_features(&ours.join("README.md"));
    let mut by_size: Vec<&(String, usize)> = features.iter().collect();
    by_size.sort_by_key(|(name, operations)| (*operations, name.clone()));
    let mut singles = Vec::new();
    let picks = [("median tag", by_size.get(by_size.len() / 2)), ("largest tag", by_size.last())];
    for (label, pick) in picks {
        if let Some((feature, operations)) = pick {
            let args = ["--no-default-features".to_string(), "--features".to_string(), feature.clone()];
            singles.push((label, feature.clone(), *operations, cargo_check(&manifest, &target, &args)?));
        }
    }
    let openapi_generator = match theirs {
        Some(crate_dir) => {
            // rustls, as ours uses, so the system's OpenSSL is not needed.
            // Its own lock file: its dependencies are not ours.
            let manifest = codegen_tools::compile_sample::own_workspace(crate_dir)?;
            let target = root.join("target").join("bench").join("openapi-generator-check-target");
            err!("  cargo check: building openapi-generator's client's dependencies first ...");
            let args = ["--no-default-features".to_string(), "--features".to_string(), "rustls".to_string()];
            Some(cargo_check(&manifest, &target, &args)?)
        }
        None => None,
    };
    Ok(Checks { ours: all, openapi_generator, features: singles, largest_file: largest_rust_file(&ours.join("src")) })
}

/// The tag features a generated README lists, with their operation counts.
fn tag_features(readme: &Path) -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(readme).unwrap_or_default();
    text.lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            match cells.as_slice() {
                [feature, count] if feature.starts_with('`') => {
                    Some((feature.trim_matches('`').to_string(), count.parse().ok()?))
                }
                _ => None,
            }
        })
        .collect()
}

/// The largest `.rs` file under `dir`, as "path (size)".
fn largest_rust_file(dir: &Path) -> String {
    let mut largest: Option<(u64, PathBuf)> = None;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let size = entry.metadata().map_or(0, |m| m.len());
                if largest.as_ref().is_none_or(|(s, _)| size > *s) {
                    largest = Some((size, path));
                }
            }
        }
    }
    largest.map_or("none".into(), |(size, path)| {
        format!("{} ({:.2} MB)", path.strip_prefix(dir).unwrap_or(&path).display(), size as f64 / 1e6)
    })
}

/// `cargo check` of one crate with `args`: a first check that builds what is missing, then
/// the measured one, after touching the crate so that it (and only it) is checked again.
///
/// Without the incremental cache (`CARGO_INCREMENTAL=0`): with it, checking a crate that did
/// not change replays the cache, which measures reading and writing it rather than checking
/// the code (36 s against 107 s for GitHub's client). A clean build, CI, and a regenerated
/// client all pay the full check.
fn cargo_check(manifest: &Path, target: &Path, args: &[String]) -> Result<Measurement, Diagnostics> {
    let check = || {
        let mut command = Command::new("cargo");
        command.env("CARGO_INCREMENTAL", "0");
        command.arg("check").arg("--manifest-path").arg(manifest).arg("--target-dir").arg(target).args(args);
        command.stdout(Stdio::null()).stderr(Stdio::inherit());
        command
    };
    let warm = bench::measure(&mut check())?;
    if !warm.success {
        return Err(fail(format!("{} does not compile; see cargo's output above", manifest.display())));
    }
    let lib = manifest.with_file_name("src").join("lib.rs");
    let source = std::fs::read(&lib).map_err(|e| fail(format!("cannot read {}: {e}", lib.display())))?;
    std::fs::write(&lib, source).map_err(|e| fail(format!("cannot write {}: {e}", lib.display())))?;
    runs_of(&format!("cargo check {}", args.join(" ")), 1, || Ok(check()))
}

/// One measured run, in this (child) process.
pub fn child(args: &[PathBuf]) -> Result<ExitCode, Diagnostics> {
    let (mode, rest) = args.split_first().expect("clap requires one argument");
    match (mode.to_str(), rest) {
        (Some("pipeline"), [spec, out]) => {
            let generated = codegen_tools::workspace::generate_from_pages(
                "bench-client",
                Path::new("."),
                std::slice::from_ref(spec),
                false,
                None,
            )?;
            codegen_tools::workspace::sync(out, &generated, codegen_tools::workspace::SyncMode::Write)?;
            Ok(ExitCode::SUCCESS)
        }
        (Some("progenitor"), lowered) => {
            let bytes = bench::bare_progenitor(lowered)?;
            out!("{bytes} bytes of Rust");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(fail("bench-child takes `pipeline SPEC OUT` or `progenitor LOWERED...`")),
    }
}
