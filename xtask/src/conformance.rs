//! `cargo xtask conform` and `cargo xtask corpus --conform N`: generated clients called
//! operation by operation against Prism, and the tables that report it.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::diagnostics::Kind;
use codegen::{Diagnostic, Diagnostics};
use codegen_tools::conform::{self, Class, ConformOptions, OperationResult};
use codegen_tools::corpus::SpecOutcome;
use codegen_tools::output;
use codegen_tools::workspace;

use crate::repository_root;

/// `cargo xtask conform`: the manifest's APIs (or `inputs` as one API named `name`).
pub fn conform(
    inputs: &[PathBuf],
    name: Option<&str>,
    json: Option<&Path>,
    dynamic: u32,
    seed: u64,
) -> Result<ExitCode, Diagnostics> {
    let root = repository_root();
    let (generated, package) = match name {
        Some(name) => (workspace::generate_from_pages(name, Path::new("."), inputs, false, None)?, name.to_string()),
        None => {
            let mut generated = workspace::regenerate(&root.join("specs"), Path::new("specs"), "generated-client")?;
            let wanted: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
            if let Some(unknown) = wanted.iter().find(|w| !generated.apis.iter().any(|a| &a.name == *w)) {
                let known: Vec<&str> = generated.apis.iter().map(|a| a.name.as_str()).collect();
                return Err(Diagnostic::new(
                    Kind::UnknownName,
                    format!("`{unknown}` is not an API of specs/manifest.toml (it has: {})", known.join(", ")),
                )
                .into());
            }
            if !wanted.is_empty() {
                generated.apis.retain(|a| wanted.contains(&a.name));
            }
            (generated, "generated-client".to_string())
        }
    };
    let options = options(dynamic, seed)?;
    err!(
        "building the harness and calling {} operation(s) ...",
        generated.apis.iter().map(|a| a.operations()).sum::<usize>()
    );
    let results = conform::conform(&generated, &package, &options)
        .map_err(|e| Diagnostics::from(Diagnostic::new(Kind::Io, format!("conform: {e}"))))?;
    let apis = results.iter().map(|r| r.api.clone()).fold(Vec::new(), |mut apis, api| {
        if apis.last() != Some(&api) {
            apis.push(api);
        }
        apis
    });
    let rows: Vec<(String, Vec<&OperationResult>)> =
        apis.into_iter().map(|api| (api.clone(), results.iter().filter(|r| r.api == api).collect())).collect();
    print_table(&rows, &[]);
    print_failures(&results);
    write_json(json, &results)?;
    Ok(if results.iter().all(|r| r.class == Class::Ok) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// `cargo xtask corpus ... --conform N`: every operation of each of `chosen` (specs the corpus
/// run gave a client) against Prism. A spec whose run fails counts all its generated
/// operations as failed. Returns how many operations did not conform.
pub fn corpus_sample(
    chosen: &[&SpecOutcome],
    dynamic: u32,
    seed: u64,
    json: Option<&Path>,
) -> Result<usize, Diagnostics> {
    let options = options(dynamic, seed)?;
    let mut results = Vec::new();
    let mut failed_runs = Vec::new();
    for (index, outcome) in chosen.iter().enumerate() {
        let name = format!("spec{index:02}");
        err!("[{}/{}] {name}: {} ({} operations)", index + 1, chosen.len(), outcome.file, outcome.operations_generated);
        let ran = workspace::generate_from_pages(&name, Path::new("."), &[PathBuf::from(&outcome.file)], false, None)
            .map_err(|e| e.to_string())
            .and_then(|generated| conform::conform(&generated, &name, &options));
        match ran {
            Ok(mut spec_results) => {
                for result in &mut spec_results {
                    result.api = outcome.file.clone();
                }
                results.extend(spec_results);
            }
            Err(why) => {
                err!("  the run failed: {}", why.lines().next().unwrap_or_default());
                failed_runs.push((outcome.file.clone(), outcome.operations_generated, why));
            }
        }
    }
    let rows: Vec<(String, Vec<&OperationResult>)> = chosen
        .iter()
        .filter(|o| !failed_runs.iter().any(|(file, ..)| file == &o.file))
        .map(|o| (o.file.clone(), results.iter().filter(|r| r.api == o.file).collect()))
        .collect();
    out!("\nconformance of {} sampled spec(s) (seed {seed}):", chosen.len());
    let failed: Vec<(String, usize)> = failed_runs.iter().map(|(file, count, _)| (file.clone(), *count)).collect();
    print_table(&rows, &failed);
    for (file, count, why) in &failed_runs {
        out!("  {file}: the run failed, its {count} operation(s) count as failed: {}", excerpt(why, 400));
    }
    print_classes(&results);
    print_failures(&results);
    write_json(json, &results)?;
    let not_ok = results.iter().filter(|r| r.class != Class::Ok).count();
    Ok(not_ok + failed.iter().map(|(_, count)| count).sum::<usize>())
}

/// Installs Prism when missing and says where the work goes.
fn options(dynamic: u32, seed: u64) -> Result<ConformOptions, Diagnostics> {
    let root = repository_root();
    err!("installing Prism if needed (tests/prism/install.sh) ...");
    let installed = std::process::Command::new("bash").arg(root.join("tests/prism/install.sh")).status();
    if !installed.is_ok_and(|s| s.success()) {
        return Err(Diagnostic::new(Kind::Io, "tests/prism/install.sh failed: Prism (npm) is needed").into());
    }
    Ok(ConformOptions {
        work_dir: root.join("target/conform"),
        prism: root.join("tests/prism/node_modules/.bin/prism"),
        lock_file: Some(root.join("Cargo.lock")),
        dynamic_passes: dynamic,
        seed,
    })
}

/// One row per API (or spec), then the total; `failed` rows are runs that produced nothing
/// (their operations count, none accepted).
fn print_table(rows: &[(String, Vec<&OperationResult>)], failed: &[(String, usize)]) {
    let width = rows.iter().map(|(label, _)| label.len()).chain([24]).max().unwrap_or(24).min(60);
    out!("{:<width$} {:>10} {:>9} {:>14} {:>15}", "api", "operations", "accepted", "decoded static", "decoded dynamic");
    let line = |label: &str, counts: [usize; 5]| {
        let [operations, accepted, decoded_static, decoded_dynamic, _] = counts;
        out!("{label:<width$} {operations:>10} {accepted:>9} {decoded_static:>14} {decoded_dynamic:>15}");
    };
    let mut total = [0; 5];
    for (label, results) in rows {
        let counts = counts(results);
        total.iter_mut().zip(counts).for_each(|(t, c)| *t += c);
        line(label, counts);
    }
    for (label, operations) in failed {
        total[0] += operations;
        line(label, [*operations, 0, 0, 0, 0]);
    }
    line("total", total);
    if total[0] > 0 {
        let share = |n: usize| 100.0 * n as f64 / total[0] as f64;
        out!(
            "accepted {:.1}%, decoded static {:.1}%, decoded dynamic {:.1}%; accepted and decoded dynamic {}/{} ({:.1}%)",
            share(total[1]),
            share(total[2]),
            share(total[3]),
            total[4],
            total[0],
            share(total[4])
        );
    }
}

/// Operations, accepted, decoded with the examples, decoded with every random response (the
/// examples when no dynamic pass ran), accepted and decoded with every random response.
fn counts(results: &[&OperationResult]) -> [usize; 5] {
    let count = |f: &dyn Fn(&OperationResult) -> bool| results.iter().filter(|r| f(r)).count();
    let dynamic = |r: &OperationResult| r.decoded_dynamic.unwrap_or(r.decoded_static);
    [
        results.len(),
        count(&|r| r.accepted),
        count(&|r| r.decoded_static),
        count(&dynamic),
        count(&|r| r.accepted && dynamic(r)),
    ]
}

fn print_classes(results: &[OperationResult]) {
    let mut by_class = std::collections::BTreeMap::<Class, usize>::new();
    for result in results {
        *by_class.entry(result.class).or_default() += 1;
    }
    let text: Vec<String> = by_class.iter().map(|(class, count)| format!("{class:?}: {count}")).collect();
    out!("by class: {}", text.join(", "));
}

fn print_failures(results: &[OperationResult]) {
    for result in results.iter().filter(|r| r.class != Class::Ok) {
        out!("  {} {}: {:?}: {}", result.api, result.operation, result.class, result.reason);
    }
}

fn write_json(path: Option<&Path>, results: &[OperationResult]) -> Result<(), Diagnostics> {
    let Some(path) = path else { return Ok(()) };
    let lines: String = results.iter().map(|r| serde_json::to_string(r).unwrap_or_default() + "\n").collect();
    output::write_atomically(path, &lines)
        .map_err(|e| Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot write {}: {e}", path.display()))))
}

fn excerpt(text: &str, limit: usize) -> String {
    let flat = text.replace('\n', " ");
    match flat.char_indices().nth(limit) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}
