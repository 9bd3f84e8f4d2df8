//! Running the whole pipeline over a corpus of real-world specs, to measure and improve how
//! much of the world it can take.
//!
//! Each spec runs in process on a worker thread with a time limit and every panic caught, and
//! ends in one category: `ok` (every operation generated), `partial` (some left out, each with a
//! reason), or the stage that stopped it. Nothing is written but the report.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Serialize;

use codegen::diagnostics::{Diagnostics, Kind, Severity};
use codegen::pipeline::{ApiInput, PageInput};
use codegen::report::{Rule, Stage};
use codegen::{extract, generate};

/// What happened to one spec.
#[derive(Clone, Debug, Serialize)]
pub struct SpecOutcome {
    /// The spec file.
    pub file: String,
    /// `ok`, `partial`, or the stage that stopped it (`extract`, `normalize`, `validate`, `generate`), `timeout`, or `panic` (a bug of ours).
    pub category: &'static str,
    /// Operations the spec declares.
    pub operations_total: usize,
    /// Operations generated as methods.
    pub operations_generated: usize,
    /// Operations recognized as paging (their builders have `stream()`).
    pub operations_paginated: usize,
    /// Operations with a streamed answer (their builders have `events()` or `lines()`).
    pub operations_streamed: usize,
    /// List operations with a paging parameter whose paging was not recognized (pointers).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paging_not_recognized: Vec<String>,
    /// Operations left out, each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
    /// The first error that stopped it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The catalogue code of that error (`codegen::diagnostics::Kind`), which the summary
    /// groups reasons by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<&'static str>,
    /// Warnings that cost no operation (defaults left out, for instance).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The document's version family as published (`2.0` for Swagger, `3.0`, `3.1`, `3.2`),
    /// when it could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openapi: Option<String>,
    /// Wall time in milliseconds.
    pub millis: u64,
}

impl SpecOutcome {
    fn stopped(file: String, category: &'static str, error: String, millis: u64) -> Self {
        SpecOutcome {
            file,
            category,
            operations_total: 0,
            operations_generated: 0,
            operations_paginated: 0,
            operations_streamed: 0,
            paging_not_recognized: Vec::new(),
            skipped: Vec::new(),
            error: Some(error),
            error_kind: None,
            notes: Vec::new(),
            openapi: None,
            millis,
        }
    }
}

/// The version family of a document as read: `2.0` for Swagger, else `3.0`, `3.1`, `3.2`.
fn version_of(document: &serde_json::Value) -> Option<String> {
    let version = document.get("openapi").or_else(|| document.get("swagger"))?;
    let version = version.as_str().map_or_else(|| version.to_string(), str::to_string);
    Some(version.split('.').take(2).collect::<Vec<_>>().join("."))
}

/// The version and operation count of a spec file, read as leniently as possible and without
/// the rest of the pipeline, so that a spec that fails (or times out) still counts the
/// operations it holds in the total: otherwise every share would flatter us.
fn census(page: &PageInput) -> Option<(String, usize)> {
    let document = match codegen::pipeline::read_document(page, false) {
        Ok((document, _, _)) => document,
        // Not even bundled: the entry file's own paths still say how many operations there are.
        Err(_) => extract::extract(&page.text, page.file.extension().and_then(|e| e.to_str()))
            .map(|e| e.document)
            .or_else(|_| extract::parse_value(&page.text))
            .ok()?,
    };
    Some((version_of(&document).unwrap_or_else(|| "?".into()), generate::count_operations(&document)))
}

/// The first error's message (with its pointer) and catalogue code.
fn first_error(problems: &Diagnostics) -> (String, Option<&'static str>) {
    let Some(d) = problems.iter().find(|d| d.severity() == Severity::Error) else { return (String::new(), None) };
    let message = match &d.pointer {
        Some(p) => format!("{} (at {p})", d.message),
        None => d.message.clone(),
    };
    (message, Some(d.kind.code()))
}

/// Runs the pipeline on one spec file.
/// `root` is the folder its references may read (see [`crate::workspace::reference_root`]).
pub fn run_one(path: &Path, root: &Path) -> SpecOutcome {
    let started = Instant::now();
    let file = path.display().to_string();
    let outcome = catch_unwind(AssertUnwindSafe(|| stages(path, root)));
    let millis = || started.elapsed().as_millis() as u64;
    match outcome {
        Ok(mut outcome) => {
            outcome.millis = millis();
            outcome
        }
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            SpecOutcome::stopped(file, "panic", message, millis())
        }
    }
}

/// The pipeline on one spec, run exactly as `cargo xtask generate` runs it (one orchestrator:
/// [`codegen::pipeline::build_api`], lenient), with its declared operations counted first so a
/// spec that fails still counts in the total.
fn stages(path: &Path, root: &Path) -> SpecOutcome {
    let file = path.display().to_string();
    let mut outcome = SpecOutcome::stopped(file.clone(), "ok", String::new(), 0);
    outcome.error = None;
    let page = match crate::workspace::spec_page(path, Some(root)) {
        Ok(page) => page,
        Err(e) => {
            let mut outcome = SpecOutcome::stopped(file, "extract", e.to_string(), 0);
            outcome.error_kind = Some(Kind::Io.code());
            return outcome;
        }
    };
    if let Some((version, total)) = census(&page) {
        outcome.openapi = Some(version);
        outcome.operations_total = total;
    }
    let input = ApiInput {
        name: "spec".into(),
        module_names: BTreeMap::new(),
        pages: vec![page],
        strict: false,
        tag_layout: Default::default(),
    };
    match codegen::pipeline::build_api(&input) {
        Ok(api) => {
            outcome.operations_generated = api.operations();
            outcome.operations_paginated = api.report.paginated.len();
            outcome.operations_streamed = api
                .modules
                .iter()
                .map(|module| {
                    let left_out: Vec<&String> = module.skipped.iter().filter_map(|d| d.pointer.as_ref()).collect();
                    let streamed = module.plan.operations.iter().filter(|o| o.streamed.is_some());
                    streamed.filter(|o| !left_out.contains(&&o.pointer)).count()
                })
                .sum();
            outcome.paging_not_recognized = api.report.paging_not_recognized.clone();
            for change in api.report.changes.iter().filter(|c| c.rule == Rule::OperationLeftOut) {
                let why = change.note.clone().unwrap_or_default();
                // The generate stage's note is its whole warning; earlier stages' only the reason.
                outcome.skipped.push(match change.stage {
                    Stage::Generate => why,
                    _ => format!("{} left out of the client: {why}", change.pointer),
                });
            }
            // Warnings that name no operation cost none (defaults left out, for instance).
            let notes = api.warnings.iter().filter(|d| d.kind != Kind::OperationLeftOut && d.stage == Some("generate"));
            outcome.notes.extend(notes.map(|d| d.message.clone()));
            if !outcome.skipped.is_empty() {
                outcome.category = "partial";
            }
            outcome
        }
        Err(problems) => {
            let stage = problems.iter().find(|d| d.severity() == Severity::Error).and_then(|d| d.stage);
            outcome.category = stage.unwrap_or("generate");
            let (error, kind) = first_error(&problems);
            outcome.error = Some(error);
            outcome.error_kind = kind;
            outcome
        }
    }
}

/// Runs every spec of `files` on `jobs` workers, `limit` per spec, calling `progress` after each.
/// Their references may read files anywhere under `root` (the corpus's folder).
pub fn run(
    files: &[PathBuf],
    root: &Path,
    jobs: usize,
    limit: Duration,
    progress: impl Fn(usize, &SpecOutcome) + Sync,
) -> Vec<SpecOutcome> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<SpecOutcome>>> = Mutex::new(vec![None; files.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                let Some(path) = files.get(index) else { break };
                let outcome = run_with_limit(path.clone(), root, limit);
                let count = done.fetch_add(1, Ordering::SeqCst) + 1;
                progress(count, &outcome);
                results.lock().unwrap_or_else(|p| p.into_inner())[index] = Some(outcome);
            });
        }
    });
    results.into_inner().unwrap_or_else(|p| p.into_inner()).into_iter().flatten().collect()
}

/// Runs one spec on its own thread (with a large stack: real schemas nest deeply) and gives up
/// waiting after `limit`. A spec that times out is abandoned, not stopped: Rust cannot stop a
/// thread, so it finishes in the background.
fn run_with_limit(path: PathBuf, root: &Path, limit: Duration) -> SpecOutcome {
    let (sender, receiver) = mpsc::channel();
    let file = path.display().to_string();
    let owned_root = root.to_path_buf();
    let spawned = std::thread::Builder::new().stack_size(256 << 20).spawn(move || {
        let _ = sender.send(run_one(&path, &owned_root));
    });
    if spawned.is_err() {
        return SpecOutcome::stopped(file, "panic", "could not start a thread".into(), 0);
    }
    match receiver.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(_) => {
            let mut outcome = SpecOutcome::stopped(
                file.clone(),
                "timeout",
                format!("no result within {limit:?}"),
                limit.as_millis() as u64,
            );
            if let Some((version, total)) =
                crate::workspace::spec_page(Path::new(&file), Some(root)).ok().and_then(|page| census(&page))
            {
                outcome.openapi = Some(version);
                outcome.operations_total = total;
            }
            outcome
        }
    }
}

/// A reason with its particulars (names, numbers, quoted values, pointers) blanked, so that
/// the same cause in different specs counts once.
pub fn message_shape(message: &str) -> String {
    let message = message.split_once("left out of the client: ").map_or(message, |(_, why)| why);
    let mut out = String::new();
    let mut quoted = false;
    for c in message.split(" (at ").next().unwrap_or(message).chars() {
        match c {
            '"' | '`' => {
                quoted = !quoted;
                if quoted {
                    out.push('…');
                }
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            c => out.push(c),
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut short = words.join(" ");
    if let Some(cut) = short.char_indices().nth(110).map(|(i, _)| i) {
        short.truncate(cut);
    }
    short
}

/// The spec files under `source`: a folder searched for `.json`/`.yaml`/`.yml` files (sorted), or
/// a file listing one entry file a line, relative to the list's folder (how a set of
/// multi-file specs names its entry files).
///
/// # Errors
/// When the folder or list cannot be read.
///
/// The specs' references may read any file under [`source_root`].
pub fn spec_files(source: &Path) -> std::io::Result<Vec<PathBuf>> {
    if source.is_file() {
        let list = std::fs::read_to_string(source)?;
        let base = source.parent().unwrap_or(Path::new(""));
        return Ok(list
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| base.join(l))
            .collect());
    }
    let mut files = Vec::new();
    let mut pending = vec![source.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The folder a corpus source's specs may reference files in: the folder itself, or a list
/// file's folder.
pub fn source_root(source: &Path) -> PathBuf {
    if source.is_file() {
        source.parent().unwrap_or(Path::new("")).to_path_buf()
    } else {
        source.to_path_buf()
    }
}

/// A fixed sample of `n` files: every k-th of the sorted list, the same on every run.
pub fn sample(files: Vec<PathBuf>, n: usize) -> Vec<PathBuf> {
    let stride = (files.len() / n.max(1)).max(1);
    files.into_iter().step_by(stride).take(n).collect()
}

/// `n` files drawn at random with `seed` (the same draw for the same files and seed), sorted.
pub fn seeded_sample(mut files: Vec<PathBuf>, n: usize, seed: u64) -> Vec<PathBuf> {
    use rand::seq::SliceRandom;
    use rand::SeedableRng;
    files.sort();
    files.shuffle(&mut rand::rngs::StdRng::seed_from_u64(seed));
    files.truncate(n);
    files.sort();
    files
}

/// The numbers of a corpus run.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Specs per category.
    pub by_category: BTreeMap<&'static str, usize>,
    /// Specs that got a client (`ok` or `partial`).
    pub with_client: usize,
    /// Specs in all.
    pub specs: usize,
    /// Operations the specs declare.
    pub operations: usize,
    /// Operations generated.
    pub generated: usize,
    /// Operations recognized as paging.
    pub paginated: usize,
    /// Operations with a streamed answer.
    pub streamed: usize,
    /// List operations with a paging parameter whose paging was not recognized.
    pub paging_missed: usize,
    /// (category, reason kind) by count, most common first.
    pub reasons: Vec<((String, String), usize)>,
    /// Per OpenAPI version family (`3.0`, `3.1`): (specs, with a client, operations, generated).
    pub by_version: BTreeMap<String, (usize, usize, usize, usize)>,
}

/// Counts what a run produced.
pub fn summarize(results: &[SpecOutcome]) -> Summary {
    let mut summary = Summary { specs: results.len(), ..Summary::default() };
    let mut reasons: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in results {
        *summary.by_category.entry(r.category).or_default() += 1;
        if let Some(error) = &r.error {
            let kind = r.error_kind.unwrap_or("uncatalogued");
            *reasons.entry((r.category.to_string(), format!("{kind}: {}", message_shape(error)))).or_default() += 1;
        }
        for skip in &r.skipped {
            let kind = Kind::OperationLeftOut.code();
            *reasons
                .entry(("skipped operation".to_string(), format!("{kind}: {}", message_shape(skip))))
                .or_default() += 1;
        }
        summary.operations += r.operations_total;
        summary.generated += r.operations_generated;
        summary.paginated += r.operations_paginated;
        summary.streamed += r.operations_streamed;
        summary.paging_missed += r.paging_not_recognized.len();
        let family = r.openapi.clone().unwrap_or_else(|| "unknown".to_string());
        let entry = summary.by_version.entry(family).or_default();
        entry.0 += 1;
        entry.1 += usize::from(matches!(r.category, "ok" | "partial"));
        entry.2 += r.operations_total;
        entry.3 += r.operations_generated;
    }
    summary.with_client = results.iter().filter(|r| matches!(r.category, "ok" | "partial")).count();
    let mut reasons: Vec<_> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    summary.reasons = reasons;
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seeded_sample_is_stable_for_its_seed_and_differs_across_seeds() {
        let files: Vec<PathBuf> = (0..200).map(|i| PathBuf::from(format!("spec-{i:03}.json"))).collect();
        let first = seeded_sample(files.clone(), 10, 7);
        assert_eq!(first.len(), 10);
        assert!(first.windows(2).all(|w| w[0] < w[1]), "sorted, no repeats: {first:?}");
        let mut reversed = files.clone();
        reversed.reverse();
        assert_eq!(seeded_sample(reversed, 10, 7), first, "the order the files came in does not matter");
        assert_ne!(seeded_sample(files.clone(), 10, 8), first);
        assert_eq!(seeded_sample(files, 500, 1).len(), 200);
    }
}
