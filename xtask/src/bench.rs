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
    let java = match &generator {
        Some(cli) => {
            let target = work.join("openapi-generator-out");
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
    let check = if check_client { Some(cargo_check(&root, &out)?) } else { None };

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
    if let Some(check) = &check {
        out!(
            "| `cargo check` of the generated client (dependencies built) | {:.2} s | {} | |",
            seconds(check),
            peak(check)
        );
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

/// `cargo check` of the generated crate, measured after a first check that builds its
/// dependencies, so the figure is the crate's own.
fn cargo_check(root: &Path, crate_dir: &Path) -> Result<Measurement, Diagnostics> {
    let manifest = codegen_tools::compile_sample::make_standalone(crate_dir, &root.join("Cargo.lock"))?;
    let target = root.join("target").join("bench").join("check-target");
    let check = || {
        let mut command = Command::new("cargo");
        command.arg("check").arg("--manifest-path").arg(&manifest).arg("--target-dir").arg(&target);
        command.stdout(Stdio::null()).stderr(Stdio::inherit());
        command
    };
    err!("  cargo check: building the client's dependencies first ...");
    let warm = bench::measure(&mut check())?;
    if !warm.success {
        return Err(fail("the generated client does not compile; see cargo's output above"));
    }
    // Touch the crate so the measured check redoes it (and only it).
    let lib = crate_dir.join("src").join("lib.rs");
    let source = std::fs::read(&lib).map_err(|e| fail(format!("cannot read {}: {e}", lib.display())))?;
    std::fs::write(&lib, source).map_err(|e| fail(format!("cannot write {}: {e}", lib.display())))?;
    runs_of("cargo check", 1, || Ok(check()))
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
