//! `cargo xtask fuzz`: damaged specs through the pipeline (and the compiler), a table per kind.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::diagnostics::{Diagnostic, Kind};
use codegen::Diagnostics;
use codegen_tools::fuzz::{self, Damage};

/// What `fuzz` was asked to do.
pub struct Options {
    pub bases: Vec<PathBuf>,
    pub mutants: usize,
    pub seed: u64,
    pub kinds: Vec<String>,
    pub compile: bool,
    pub json: Option<PathBuf>,
}

/// Runs the fuzzer; exits 1 unless every mutant gives a client (that type-checks without a
/// warning, with `--compile`).
pub fn fuzz(options: Options, root: &Path) -> Result<ExitCode, Diagnostics> {
    let io = |what: &str, e: std::io::Error| Diagnostics::from(Diagnostic::new(Kind::Io, format!("{what}: {e}")));
    let mut bases = options.bases.clone();
    if bases.is_empty() {
        let folder = root.join("tests/fixtures/compile");
        for entry in std::fs::read_dir(&folder).map_err(|e| io("cannot read tests/fixtures/compile", e))? {
            let path = entry.map_err(|e| io("cannot read tests/fixtures/compile", e))?.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                bases.push(path);
            }
        }
        bases.sort();
    }
    let mut documents = Vec::new();
    for base in &bases {
        let text = std::fs::read_to_string(base).map_err(|e| io(&format!("cannot read {}", base.display()), e))?;
        let document = codegen::extract::parse_value(&text).map_err(|e| e.in_file(base))?;
        documents.push((base.clone(), document));
    }
    let kinds: Vec<Damage> = if options.kinds.is_empty() {
        Damage::ALL.to_vec()
    } else {
        let mut kinds = Vec::new();
        for name in &options.kinds {
            let Some(kind) = Damage::ALL.iter().find(|k| k.name() == name) else {
                let names: Vec<&str> = Damage::ALL.iter().map(|k| k.name()).collect();
                return Err(Diagnostic::new(Kind::UnknownName, format!("no kind of damage is called {name:?}"))
                    .help(format!("one of: {}", names.join(", ")))
                    .into());
            };
            kinds.push(*kind);
        }
        kinds
    };
    let mutants = fuzz::mutants(&documents, options.mutants, options.seed, &kinds);
    err!(
        "{} mutant(s) of {} base spec(s), {} kind(s) of damage, seed {} ...",
        mutants.len(),
        bases.len(),
        kinds.len(),
        options.seed
    );
    let mut outcomes = Vec::new();
    for (index, mutant) in mutants.iter().enumerate() {
        let outcome = fuzz::run(mutant);
        if !outcome.client {
            err!(
                "  no client: {} {} at {} (seed {}): {}",
                outcome.base,
                outcome.damage,
                outcome.at,
                outcome.seed,
                outcome.error.as_deref().unwrap_or("")
            );
        }
        outcomes.push(outcome);
        if (index + 1) % 100 == 0 {
            err!("  [{}/{}]", index + 1, mutants.len());
        }
    }
    let mut compiled = std::collections::BTreeMap::new();
    if options.compile {
        let work = root.join("target").join("fuzz");
        let with_client: Vec<usize> = (0..mutants.len()).filter(|i| outcomes[*i].client).collect();
        let chosen: Vec<fuzz::Mutant> = with_client.iter().map(|i| mutants[*i].clone()).collect();
        let paths = fuzz::write_all(&chosen, &work.join("specs")).map_err(|e| io("cannot write the mutants", e))?;
        err!("type-checking {} client(s) in {} ...", paths.len(), work.display());
        // The corpus check's build directory: its dependencies are built once for both.
        let report = codegen_tools::compile_sample::check_sample(
            &paths,
            &work.join("specs"),
            &work.join("crate"),
            &root.join("target").join("corpus-compile").join("target"),
            &root.join("Cargo.lock"),
            |step| err!("  {step}"),
        )?;
        for (index, path) in with_client.iter().zip(&paths) {
            let module = report.module_of(&path.display().to_string());
            let passes = module.is_some_and(|m| !report.failing.contains_key(m));
            let warnings = module.and_then(|m| report.warnings.get(m)).map_or(0, Vec::len);
            compiled.insert(*index, (passes, warnings));
            if !passes || warnings > 0 {
                let why = module.and_then(|m| report.failing.get(m).or_else(|| report.warnings.get(m)?.first()));
                err!("  {} ({}): {}", path.display(), outcomes[*index].damage, why.map_or("", String::as_str));
            }
        }
    }
    out!(
        "\n{:<26} {:>7} {:>7} {:>9} {:>8} {:>16}",
        "damage",
        "mutants",
        "client",
        "compiles",
        "warnings",
        "operations kept"
    );
    let mut failed = 0;
    for kind in &kinds {
        let of_kind: Vec<usize> = (0..outcomes.len()).filter(|i| outcomes[*i].damage == kind.name()).collect();
        let clients = of_kind.iter().filter(|i| outcomes[**i].client).count();
        let total: usize = of_kind.iter().map(|i| outcomes[*i].operations_total).sum();
        let kept: usize = of_kind.iter().map(|i| outcomes[*i].operations_generated).sum();
        let compiles = of_kind.iter().filter(|i| compiled.get(*i).is_some_and(|c| c.0)).count();
        let warnings: usize = of_kind.iter().filter_map(|i| compiled.get(i)).map(|c| c.1).sum();
        let share = if total == 0 { 100.0 } else { 100.0 * kept as f64 / total as f64 };
        let compiles = if options.compile { compiles.to_string() } else { "-".into() };
        out!(
            "{:<26} {:>7} {:>7} {:>9} {:>8} {:>8}/{:<4} {:>5.1}%",
            kind.name(),
            of_kind.len(),
            clients,
            compiles,
            warnings,
            kept,
            total,
            share
        );
        failed += of_kind.len() - clients;
    }
    let broken = compiled.values().filter(|(passes, warnings)| !passes || *warnings > 0).count();
    out!(
        "\n{} mutant(s): {} without a client, {} whose client does not type-check cleanly{}",
        outcomes.len(),
        failed,
        broken,
        if options.compile { "" } else { " (not checked: --compile)" }
    );
    if let Some(path) = &options.json {
        let lines: Vec<String> = outcomes.iter().map(|o| serde_json::to_string(o).unwrap_or_default()).collect();
        codegen_tools::output::write_atomically(path, &(lines.join("\n") + "\n"))
            .map_err(|e| io("cannot write the JSON", e))?;
    }
    Ok(if failed + broken == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
