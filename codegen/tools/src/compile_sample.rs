//! `cargo xtask corpus --compile N|all`: do the generated clients compile, without a warning?
//!
//! A fixed sample of the specs that produced a client (or all of them) is generated again into crates of
//! [`MODULES_PER_CRATE`] modules, one module per spec (sharing one runtime), and type-checked
//! with `cargo check`, every cargo feature on (the `webhooks` modules included). Each compiler
//! error is attributed to the module whose file it points into, so one broken client counts
//! once and does not hide the others. (One crate for all 100 was 83 MB of Rust and rustc ran
//! out of 24 GB checking it.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::workspace::{sync, Generated, SyncMode};
use codegen::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use codegen::generate::crate_files::render_crate;
use codegen::pipeline::{build_api, ApiInput};

/// What type-checking the sample found.
#[derive(Debug, Default)]
pub struct CompileReport {
    /// Module name → spec file, for every client in the crate.
    pub modules: BTreeMap<String, String>,
    /// Module name → its first compiler error.
    pub failing: BTreeMap<String, String>,
    /// Errors that point at no module (a crate as a whole); every module of that crate is
    /// counted as failing too.
    pub crate_errors: Vec<String>,
    /// Module name → the operations its client has.
    pub operations: BTreeMap<String, usize>,
    /// Module name → the compiler's warnings in it (each once, with its file).
    pub warnings: BTreeMap<String, Vec<String>>,
}

impl CompileReport {
    /// How many of the sampled clients type-check.
    pub fn compiled(&self) -> usize {
        self.modules.len() - self.failing.len()
    }

    /// Operations in the clients that type-check.
    pub fn operations_compiled(&self) -> usize {
        self.operations.iter().filter(|(m, _)| !self.failing.contains_key(*m)).map(|(_, n)| n).sum()
    }

    /// Warnings over all clients.
    pub fn warning_count(&self) -> usize {
        self.warnings.values().map(Vec::len).sum()
    }

    /// The module a spec file was generated into.
    pub fn module_of(&self, spec: &str) -> Option<&str> {
        self.modules.iter().find(|(_, file)| file.as_str() == spec).map(|(m, _)| m.as_str())
    }
}

/// How many clients share one checked crate.
pub const MODULES_PER_CRATE: usize = 10;

/// Generates `specs` into crates under `out` and runs `cargo check` on each, with their builds
/// in `target_dir`. `lock` is copied in first so dependency versions are the repository's.
///
/// # Errors
/// When a crate cannot be written or cargo cannot be started.
pub fn check_sample(
    specs: &[PathBuf],
    root: &Path,
    out: &Path,
    target_dir: &Path,
    lock: &Path,
    progress: impl Fn(&str),
) -> Result<CompileReport> {
    let mut report = CompileReport::default();
    for (chunk, specs_of_chunk) in specs.chunks(MODULES_PER_CRATE).enumerate() {
        let first = chunk * MODULES_PER_CRATE;
        let chunk_out = out.join(format!("crate-{chunk:02}"));
        let places = Places { root, out: &chunk_out, target_dir, lock };
        check_chunk(first, specs_of_chunk, &places, &mut report, &progress)?;
    }
    Ok(report)
}

/// Where one chunk's crate is made: the folder its specs' references may read, the crate's
/// folder, the shared build folder and the lock file copied in.
struct Places<'a> {
    root: &'a Path,
    out: &'a Path,
    target_dir: &'a Path,
    lock: &'a Path,
}

fn check_chunk(
    first: usize,
    specs: &[PathBuf],
    places: &Places<'_>,
    report: &mut CompileReport,
    progress: &impl Fn(&str),
) -> Result<()> {
    let Places { root, out, target_dir, lock } = *places;
    let mut apis = Vec::new();
    for (offset, spec) in specs.iter().enumerate() {
        let index = first + offset;
        let name = format!("spec_{index:03}");
        let Ok(page) = crate::workspace::spec_page(spec, Some(root)) else { continue };
        let input = ApiInput {
            name: name.clone(),
            module_names: BTreeMap::new(),
            pages: vec![page],
            strict: false,
            tag_layout: Default::default(),
        };
        // Specs were chosen among those that generated; one that no longer does is skipped.
        if let Ok(api) = build_api(&input) {
            report.operations.insert(name.clone(), api.operations());
            report.modules.insert(name, spec.display().to_string());
            apis.push(api);
        }
    }
    progress(&format!("generated clients {}..{}", first, first + specs.len() - 1));
    let chunk_modules: Vec<String> = apis.iter().map(|api| api.name.clone()).collect();
    let files = render_crate("corpus-sample", &apis)?;
    let generated = Generated { apis, files };
    sync(out, &generated, SyncMode::Write)?;
    let manifest = make_standalone(out, lock)?;
    progress("  cargo check ...");
    let output = Command::new("cargo")
        // Every feature: the `webhooks` modules, the middleware and the test double are the
        // clients' code too, and are off by default.
        .args(["check", "--all-features", "--message-format=json", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot run cargo: {e}"))))?;
    let crate_errors = report.crate_errors.len();
    attribute_errors(&String::from_utf8_lossy(&output.stdout), report);
    let chunk_failed = chunk_modules.iter().any(|m| report.failing.contains_key(m));
    if report.crate_errors.len() > crate_errors || (!output.status.success() && !chunk_failed) {
        // Nothing attributable (an error outside the modules, or cargo itself failed): the
        // whole crate counts as failing.
        let first = report
            .crate_errors
            .get(crate_errors)
            .cloned()
            .unwrap_or_else(|| format!("cargo check failed ({})", output.status));
        for module in &chunk_modules {
            report.failing.entry(module.clone()).or_insert_with(|| first.clone());
        }
    }
    let passed = chunk_modules.iter().filter(|m| !report.failing.contains_key(*m)).count();
    progress(&format!(
        "  {passed}/{} type-check; so far {}/{}",
        chunk_modules.len(),
        report.compiled(),
        report.modules.len()
    ));
    Ok(())
}

/// Makes the generated crate at `crate_dir` checkable where it lies: its own workspace, so an
/// enclosing one does not claim it, and `lock` (the repository's) copied in, so it builds with
/// the dependency versions the committed client uses. Returns its manifest's path.
///
/// # Errors
/// When the manifest cannot be read or written.
pub fn make_standalone(crate_dir: &Path, lock: &Path) -> Result<PathBuf> {
    let manifest = own_workspace(crate_dir)?;
    let _ = std::fs::copy(lock, crate_dir.join("Cargo.lock"));
    Ok(manifest)
}

/// Makes the crate at `crate_dir` a workspace of its own, so an enclosing one does not claim
/// it; it keeps (or resolves) its own lock file. Returns its manifest's path.
///
/// # Errors
/// When the manifest cannot be read or written.
pub fn own_workspace(crate_dir: &Path) -> Result<PathBuf> {
    let manifest = crate_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| io_error(&manifest, e))?;
    if !text.contains("[workspace]") {
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).map_err(|e| io_error(&manifest, e))?;
    }
    Ok(manifest)
}

fn io_error(path: &Path, e: std::io::Error) -> Diagnostics {
    Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot read or write {}: {e}", path.display())))
}

/// Reads cargo's JSON messages and files each error under the module its primary span is in.
fn attribute_errors(messages: &str, report: &mut CompileReport) {
    let modules: BTreeSet<String> = report.modules.keys().cloned().collect();
    for line in messages.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let level = &message["message"]["level"];
        if message["reason"] != "compiler-message" || (level != "error" && level != "warning") {
            continue;
        }
        let text = message["message"]["message"].as_str().unwrap_or("error").to_string();
        let file = message["message"]["spans"]
            .as_array()
            .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true).or(spans.first()))
            .and_then(|span| span["file_name"].as_str())
            .unwrap_or("");
        let module = Path::new(file)
            .components()
            .nth(1)
            .and_then(|c| c.as_os_str().to_str())
            .map(|m| m.trim_end_matches(".rs").to_string())
            .filter(|m| modules.contains(m));
        let line = message["message"]["spans"]
            .as_array()
            .and_then(|spans| spans.first())
            .and_then(|s| s["line_start"].as_u64());
        match (module, level == "warning") {
            (Some(module), true) => {
                let warning = format!("{file}:{}: {text}", line.unwrap_or(0));
                let list = report.warnings.entry(module).or_default();
                if !list.contains(&warning) {
                    list.push(warning);
                }
            }
            (None, true) => {}
            (Some(module), false) => {
                report.failing.entry(module).or_insert(format!("{file}: {text}"));
            }
            (None, false) if text.starts_with("aborting due to") => {}
            (None, false) => report.crate_errors.push(format!("{file}: {text}")),
        }
    }
}
