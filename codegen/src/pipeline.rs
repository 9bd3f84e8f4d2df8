//! The one orchestrator: the stages in order, for one API (extract → bundle → normalize →
//! overlay → validate → merge → lower → plan → generate), the same way for every caller.
//!
//! Everything here works on text already read into memory, so tests drive it with small
//! fixtures; the tools crate reads the files (`codegen_tools::workspace::load_api`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use crate::generate;
pub use crate::generate::BuiltApi;
use crate::merge::{self, PageDocument};
use crate::report::{Change, Report, Rule, Stage};
use crate::timing::timed;
use crate::{bundle, extract, lower, normalize, overlay};

/// How the pipeline reads the other files of a multi-file spec: given a path (the page's
/// shown path joined with a relative `$ref`), that file's text. The caller decides where files
/// come from (the disk, or memory in tests); the pipeline itself never touches the disk.
#[derive(Clone)]
pub struct OtherFiles {
    read: Arc<ReadFile>,
    root: Option<PathBuf>,
}

/// Reads one file by its path.
type ReadFile = dyn Fn(&Path) -> std::io::Result<String> + Send + Sync;

impl OtherFiles {
    /// Files read by `read`.
    pub fn new(read: impl Fn(&Path) -> std::io::Result<String> + Send + Sync + 'static) -> Self {
        Self { read: Arc::new(read), root: None }
    }

    /// The same files, with references allowed anywhere under `root` (as shown paths are
    /// written): a vendor's spec in `specs/search/spec.yml` that names
    /// `../common/securitySchemes.yml` needs its repository as the root. Without one, references
    /// stay inside the page's own folder.
    pub fn under(mut self, root: impl Into<PathBuf>) -> Self {
        self.root = Some(root.into());
        self
    }

    /// The folder references may not leave, when one was given.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// No other files: a page whose `$ref`s name one gets an error saying so.
    pub fn none() -> Self {
        Self::new(|_| {
            Err(std::io::Error::new(std::io::ErrorKind::NotFound, "no other files are available to this page"))
        })
    }

    fn read(&self, path: &Path) -> std::io::Result<String> {
        (self.read)(path)
    }
}

impl Default for OtherFiles {
    fn default() -> Self {
        Self::none()
    }
}

impl std::fmt::Debug for OtherFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtherFiles")
    }
}

/// One page's text, with what the pipeline needs to know about it.
#[derive(Clone, Debug, Default)]
pub struct PageInput {
    /// Short id, unique in its API.
    pub id: String,
    /// The file the spec text came from, as shown in reports and errors.
    pub file: PathBuf,
    /// The page (or hand-written spec) text.
    pub text: String,
    /// An overlay: its file and text.
    pub overlay: Option<(PathBuf, String)>,
    /// Where the files its relative `$ref`s name are read from.
    pub other_files: OtherFiles,
}

/// One API's pages and naming choices.
#[derive(Clone, Debug)]
pub struct ApiInput {
    /// The module name in the generated crate.
    pub name: String,
    /// Module names for the API's servers, by URL.
    pub module_names: BTreeMap<String, String>,
    /// The pages, in merge order.
    pub pages: Vec<PageInput>,
    /// Whether a reference that points at nothing fails the run (strict) or costs only what
    /// reaches it, with a warning (see `normalize::dangling`).
    pub strict: bool,
    /// Whether the client's modules are split in files and cargo features per tag.
    pub tag_layout: crate::generate::layout::TagLayout,
}

/// The document a page holds, read as published: extracted from the page, and with the other
/// files its relative `$ref`s name bundled in. Unless `strict`, a reference to another file that
/// cannot be followed is a warning and stays unresolved (the normalizer degrades what reaches it).
///
/// # Errors
/// When the page holds no document; when strict, also when a file it references cannot be read
/// or parsed.
pub fn read_document(page: &PageInput, strict: bool) -> Result<(Value, Vec<Change>, Diagnostics)> {
    let extension = page.file.extension().and_then(|e| e.to_str());
    let document = extract::extract(&page.text, extension).map_err(|e| e.in_file(&page.file))?.document;
    if !bundle::has_external_refs(&document) {
        return Ok((document, Vec::new(), Diagnostics::default()));
    }
    let read = |path: &Path| page.other_files.read(path);
    let options = bundle::Options { read: &read, root: page.other_files.root(), lenient: !strict };
    let bundled =
        timed("  bundle", || bundle::bundle_with(&page.file, document, &options)).map_err(|e| e.in_file(&page.file))?;
    Ok((bundled.document, bundled.changes, bundled.warnings.in_file(&page.file)))
}

/// When a page is validated: before it goes on, or beside lowering ([`build_api`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Validation {
    Now,
    BesideLowering,
}

/// Reads, normalizes, overlays and (unless `validation` leaves it for later) validates one page.
fn prepare_page(
    page: &PageInput,
    strict: bool,
    validation: Validation,
) -> Result<(PageDocument, Vec<Change>, Diagnostics)> {
    let (mut document, mut changes, bundle_warnings) = read_document(page, strict).map_err(|e| e.during("extract"))?;
    let normalized = timed("  normalize", || {
        if strict {
            normalize::normalize(&mut document)
        } else {
            normalize::normalize_leniently(&mut document)
        }
    });
    let mut problems = bundle_warnings.during("extract");
    problems.extend(normalized.problems.in_file(&page.file).during("normalize"));
    changes.extend(normalized.changes);
    if let Some((overlay_file, overlay_text)) = &page.overlay {
        match overlay::parse(overlay_text).and_then(|o| overlay::apply(&o, &mut document)) {
            Ok(applied) => changes.extend(applied),
            Err(e) => problems.extend(e.in_file(overlay_file).during("overlay")),
        }
    }
    // After the overlay, which is how a user fixes what no rule can.
    if !problems.has_errors() && validation == Validation::Now {
        match timed("  validate", || validate_document(&mut document, strict)) {
            Ok((degraded, warnings)) => {
                changes.extend(degraded);
                problems.extend(warnings.in_file(&page.file).during("validate"));
            }
            Err(e) => problems.extend(e.in_file(&page.file).during("validate")),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let file = page.file.display().to_string();
    Ok((PageDocument { id: page.id.clone(), file, document }, changes, problems))
}

/// Checks a normalized document against the OpenAPI 3.0 object model. In a lenient run what no
/// rule repaired costs only itself ([`crate::validate::check_leniently`]); a component removed
/// that way leaves references dangling, which are degraded in turn.
///
/// # Errors
/// In a strict run, the first invalid part; in a lenient one, a part that cannot be degraded.
pub fn validate_document(document: &mut Value, strict: bool) -> Result<(Vec<Change>, Diagnostics)> {
    if strict {
        return crate::validate::check(document).map(|()| (Vec::new(), Diagnostics::default()));
    }
    let mut degraded = crate::validate::check_leniently(document)?;
    let before = degraded.changes.len();
    normalize::dangling::degrade(document, &mut degraded.changes, &mut degraded.warnings);
    if degraded.changes.len() > before {
        let again = crate::validate::check_leniently(document)?;
        degraded.changes.extend(again.changes);
        degraded.warnings.extend(again.warnings);
    }
    Ok((degraded.changes, degraded.warnings))
}

/// One API read, normalized, overlaid, validated and merged: the spec as the vendor meant it,
/// before it is adapted to the generator.
#[derive(Clone, Debug)]
pub struct PreparedApi {
    /// The merged, normalized document.
    pub document: Value,
    /// Every change made so far.
    pub report: Report,
    /// Warnings so far.
    pub warnings: Diagnostics,
}

/// Runs the stages up to and including merge for one API, collecting every problem of every
/// page before failing. [`build_api`] goes on from here; a benchmark that needs only the
/// lowered documents stops here and lowers.
///
/// # Errors
/// Every error found, each with file, pointer, line where known and the stage that found it.
pub fn prepare_api(input: &ApiInput) -> Result<PreparedApi> {
    prepare_pages(input, Validation::Now)
}

fn prepare_pages(input: &ApiInput, validation: Validation) -> Result<PreparedApi> {
    let mut problems = Diagnostics::default();
    let mut warnings = Diagnostics::default();
    let mut report = Report::default();
    let mut documents = Vec::new();
    for page in &input.pages {
        match timed("extract, normalize, validate", || prepare_page(page, input.strict, validation)) {
            Ok((document, changes, page_warnings)) => {
                report.extend_from_file(&document.file, changes);
                warnings.extend(page_warnings);
                documents.push(document);
            }
            Err(e) => problems.extend(e),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let merged = timed("merge", || merge::merge(documents)).map_err(|e| e.during("merge"))?;
    report.changes.extend(merged.changes);
    Ok(PreparedApi { document: merged.document, report, warnings })
}

/// Runs every stage for one API, collecting every problem of every page before failing.
///
/// # Errors
/// Every error found, each with file, pointer, line where known and the stage that found it.
pub fn build_api(input: &ApiInput) -> Result<BuiltApi> {
    // A one-page API is validated on a second core while it is lowered: a valid document
    // (nearly every one) is not changed by validation but for its dangling references, which
    // lowering's copy has degraded the same way. Checking Microsoft Graph's took 0.9 s before
    // lowering began. An invalid one is prepared again, validated first, as it always was.
    if let [page] = input.pages.as_slice() {
        let prepared = prepare_pages(input, Validation::BesideLowering)?;
        if let Some(built) = build_prepared(input, prepared, Some(page))? {
            return Ok(built);
        }
    }
    let built = build_prepared(input, prepare_api(input)?, None)?;
    built.ok_or_else(|| Diagnostic::new(Kind::Internal, "a validated document was found invalid").into())
}

/// Whether `document`, checked against the object model, is valid, and still is once its
/// dangling references are degraded (as [`validate_document`] leaves a valid document).
fn valid_once_degraded(document: &mut Value, strict: bool) -> bool {
    if crate::validate::check(document).is_err() {
        return false;
    }
    if strict {
        return true;
    }
    let mut changes = Vec::new();
    normalize::dangling::degrade(document, &mut changes, &mut Diagnostics::default());
    changes.is_empty() || crate::validate::check(document).is_ok()
}

/// [`build_api`] from the prepared document. With `validate_beside`, the document's page has not
/// been validated: that is done beside lowering, and `None` is the answer when it is invalid
/// (lowering's work is dropped; the caller prepares it again, validating first).
fn build_prepared(
    input: &ApiInput,
    prepared: PreparedApi,
    validate_beside: Option<&PageInput>,
) -> Result<Option<BuiltApi>> {
    let PreparedApi { mut document, mut report, mut warnings } = prepared;
    let mut problems = Diagnostics::default();
    // The normalized spec's YAML is written on a second core while the single-threaded stages
    // (lowering, typify) run: on GitHub's spec it was 145 ms at the end of every run.
    let mut left_out = Vec::new();
    // The normalized document is kept as that YAML alone ([`BuiltApi::normalized`] reads it
    // back for the tools that compare specs): on Microsoft Graph the document is 330 MB,
    // held through generation for nothing.
    let strict = input.strict;
    let built = std::thread::scope(|scope| {
        let mut copy = timed("copy the normalized spec", || document.clone());
        let (validity, valid) = std::sync::mpsc::channel();
        let check = validate_beside.is_some();
        let yaml = scope.spawn(move || {
            if check {
                let answer = timed("  validate, beside lowering", || valid_once_degraded(&mut document, strict));
                let _ = validity.send(answer);
                if !answer {
                    return None;
                }
            }
            Some(timed("  normalized spec as YAML", || crate::generate::crate_files::to_yaml(&document)))
        });
        if let Some(page) = validate_beside.filter(|_| !strict) {
            let mut degraded = Vec::new();
            let mut degrade_warnings = Diagnostics::default();
            timed("  validate: dangling references", || {
                normalize::dangling::degrade(&mut copy, &mut degraded, &mut degrade_warnings)
            });
            report.extend_from_file(&page.file.display().to_string(), degraded);
            warnings.extend(degrade_warnings.in_file(&page.file).during("validate"));
        }
        let mut lowered = timed("lower", || lower::lower_owned(copy, &input.module_names));
        if check && !valid.recv().unwrap_or(false) {
            let _ = yaml.join();
            return None;
        }
        // The webhooks' types are a generator run of their own: beside the client's, not after.
        let webhooks = lowered.webhooks.take().map(|group| {
            scope.spawn(move || {
                let group = timed("  lower: repeated inline schemas", || group.sharing_repeated_schemas());
                timed("generate webhooks", || crate::generate::webhooks::generate(&group))
            })
        });
        let mut modules = Vec::new();
        for group in std::mem::take(&mut lowered.groups) {
            let planned = timed("plan", || crate::plan::plan_beside(group, generate::read));
            let generated = planned
                .map_err(|why| Diagnostics::from(Diagnostic::new(Kind::Internal, why)))
                .and_then(|(plan, read)| timed("generate", || generate::generate_read(plan, read, input.tag_layout)));
            match generated {
                Ok(module) => {
                    left_out.extend(module.skipped.iter().filter_map(|d| {
                        let rule = match d.kind {
                            Kind::OperationLeftOut => Rule::OperationLeftOut,
                            Kind::SchemaReadAsAny => Rule::SchemaDegraded,
                            Kind::TypeRenamed => Rule::ComponentRenamed,
                            _ => return None,
                        };
                        let at = d.pointer.clone().unwrap_or_default();
                        Some(Change::new(Stage::Generate, rule, at).note(d.message.clone()))
                    }));
                    warnings.extend(module.skipped.clone().during("generate"));
                    modules.push(module);
                }
                Err(e) => problems.extend(e.during("generate")),
            }
        }
        let webhooks = webhooks.map(|handle| {
            handle.join().unwrap_or_else(|_| {
                Err(Diagnostic::new(Kind::Internal, "generating the webhooks module panicked").into())
            })
        });
        let webhooks = match webhooks.transpose() {
            Ok(generated) => generated.and_then(|(source, left_out)| {
                warnings.extend(left_out.during("generate"));
                source
            }),
            Err(e) => {
                problems.extend(e);
                None
            }
        };
        Some((yaml.join(), (lowered.changes, modules, webhooks)))
    });
    let Some((normalized_yaml, (lowering_changes, modules, webhooks))) = built else { return Ok(None) };
    report.changes.extend(lowering_changes);
    // Every operation left out is in the quirk report, not only on the console.
    report.changes.extend(left_out);
    report.paginated = modules.iter().flat_map(|m| m.paginated.iter().cloned()).collect();
    report.paging_not_recognized = modules.iter().flat_map(|m| m.paging_not_recognized.iter().cloned()).collect();
    if problems.has_errors() {
        return Err(problems);
    }
    let normalized_yaml = normalized_yaml
        .ok()
        .flatten()
        .ok_or_else(|| Diagnostic::new(Kind::Internal, "writing the normalized spec as YAML failed"))?;
    Ok(Some(BuiltApi { name: input.name.clone(), normalized_yaml, report, modules, webhooks, warnings }))
}
