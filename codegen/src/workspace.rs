//! Runs the pipeline for every API of a manifest, or for pages named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::crate_files::{render_crate, FileSet};
use crate::diagnostics::{Diagnostic, Diagnostics, Result};
use crate::manifest::Manifest;
use crate::pipeline::{build_api, ApiInput, BuiltApi, PageInput};

/// The manifest's file name inside the specs folder.
pub const MANIFEST: &str = "manifest.toml";

/// Every API built, and the files of the crate that holds them.
#[derive(Debug)]
pub struct Generated {
    /// The APIs, in manifest order.
    pub apis: Vec<BuiltApi>,
    /// The crate's files, relative to its root.
    pub files: FileSet,
}

/// Builds every API of `specs_dir/manifest.toml` into a crate named `package`.
///
/// `shown` is how `specs_dir` is shown in reports (a path relative to the repository, so
/// reports do not depend on where the repository is checked out).
///
/// # Errors
/// Every problem of every API, collected.
pub fn regenerate(specs_dir: &Path, shown: &Path, package: &str) -> Result<Generated> {
    let manifest = Manifest::load(&specs_dir.join(MANIFEST))?;
    let mut inputs = Vec::new();
    let mut problems = Diagnostics::default();
    for entry in &manifest.apis {
        match ApiInput::load(entry, specs_dir, shown) {
            Ok(input) => inputs.push(input),
            Err(e) => problems.extend(e),
        }
    }
    build_all(inputs, problems, package)
}

/// Builds the pages at `paths` (doc pages or bare specs, relative to `base` or absolute) as one
/// API named `name`, in a crate of the same name. Several pages are merged, in the order given.
/// Reports and errors show each path as given.
///
/// # Errors
/// Every problem of every page, collected.
pub fn generate_from_pages(name: &str, base: &Path, paths: &[PathBuf]) -> Result<Generated> {
    let mut pages = Vec::new();
    let mut problems = Diagnostics::default();
    for (index, path) in paths.iter().enumerate() {
        match std::fs::read_to_string(base.join(path)) {
            Ok(text) => {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
                let stem = stem.split('.').next().unwrap_or(stem);
                let id = if pages.iter().any(|p: &PageInput| p.id == stem) { format!("{stem}{index}") } else { stem.to_string() };
                pages.push(PageInput { id, file: path.clone(), text, overlay: None });
            }
            Err(e) => problems.push(Diagnostic::error(format!("cannot read the file: {e}")).in_file(path)),
        }
    }
    let module = heck::ToSnakeCase::to_snake_case(name);
    let input = ApiInput { name: module, module_names: BTreeMap::new(), pages };
    build_all(vec![input], problems, &heck::ToKebabCase::to_kebab_case(name))
}

fn build_all(inputs: Vec<ApiInput>, mut problems: Diagnostics, package: &str) -> Result<Generated> {
    let mut apis = Vec::new();
    for input in &inputs {
        match build_api(input) {
            Ok(api) => apis.push(api),
            Err(e) => problems.extend(e),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let files = render_crate(package, &apis)?;
    Ok(Generated { apis, files })
}

/// Whether a sync writes the generated files or only compares them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncMode {
    /// Bring the folder to the generated files.
    Write,
    /// Compare only; write nothing.
    Check,
}

/// Brings `out` to `generated` (or, in check mode, only tells what differs). Returns every file
/// that was (or would be) created, updated or removed.
///
/// # Errors
/// When the folder cannot be read or written.
pub fn sync(
    out: &Path,
    generated: &Generated,
    mode: SyncMode,
) -> Result<Vec<(PathBuf, crate::output::FileStatus)>> {
    let outcome = match mode {
        SyncMode::Write => crate::output::write(out, &generated.files),
        SyncMode::Check => crate::output::changes(out, &generated.files),
    };
    outcome.map_err(|e| {
        Diagnostic::error(format!("cannot sync the generated files: {e}"))
            .in_file(out)
            .help("check that the folder exists and is writable")
            .into()
    })
}

/// [`regenerate`] then [`sync`]: what `cargo xtask regenerate` does. When any page has an
/// error nothing is written.
///
/// # Errors
/// Every problem of every API, or a failure to read or write `out`.
pub fn regenerate_into(
    specs_dir: &Path,
    shown: &Path,
    out: &Path,
    package: &str,
    mode: SyncMode,
) -> Result<(Generated, Vec<(PathBuf, crate::output::FileStatus)>)> {
    let generated = regenerate(specs_dir, shown, package)?;
    let changes = sync(out, &generated, mode)?;
    Ok((generated, changes))
}
