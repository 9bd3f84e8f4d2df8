//! Runs the pipeline for every API of a manifest, or for pages named on the command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::manifest::{ApiEntry, Manifest};
use codegen::diagnostics::{Diagnostic, Diagnostics, Kind, Result};
use codegen::generate::crate_files::{render_crate, FileSet};
use codegen::generate::layout::TagLayout;
use codegen::pipeline::{build_api, ApiInput, BuiltApi, OtherFiles, PageInput};

/// The manifest's file name inside the specs folder.
pub const MANIFEST: &str = "manifest.toml";

/// Reads the files a manifest entry names; paths are shown relative to `shown_base`.
///
/// # Errors
/// When a file cannot be read.
pub fn load_api(entry: &ApiEntry, base: &Path, shown_base: &Path) -> Result<ApiInput> {
    let read = |relative: &Path| -> Result<(PathBuf, String)> {
        let shown = shown_base.join(relative);
        std::fs::read_to_string(base.join(relative))
            .map(|text| (shown.clone(), text))
            .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot read the file: {e}")).in_file(&shown).into())
    };
    let mut pages = Vec::new();
    let mut problems = Diagnostics::default();
    for page in &entry.pages {
        let source = page.spec.as_deref().unwrap_or(&page.page);
        let loaded = read(source).and_then(|(file, text)| {
            let overlay = page.overlay.as_deref().map(read).transpose()?;
            // Every file of the specs folder may be referenced by a page.
            let other_files = files_on_disk(base, shown_base).under(shown_base);
            Ok(PageInput { id: page.id.clone(), file, text, overlay, other_files })
        });
        match loaded {
            Ok(page) => pages.push(page),
            Err(e) => problems.extend(e),
        }
    }
    if problems.is_empty() {
        // The manifest's own pages are strict: a dangling reference there is fixed with an
        // overlay, not papered over.
        let tag_layout = match entry.tag_features {
            None => TagLayout::Auto,
            Some(true) => TagLayout::Always,
            Some(false) => TagLayout::Never,
        };
        Ok(ApiInput { name: entry.name.clone(), module_names: entry.modules.clone(), pages, strict: true, tag_layout })
    } else {
        Err(problems)
    }
}

/// A spec file as the pipeline's input, its other files read from the disk, references allowed
/// anywhere under `root` (by default [`reference_root`]).
///
/// # Errors
/// When the file cannot be read.
pub fn spec_page(path: &Path, root: Option<&Path>) -> std::io::Result<PageInput> {
    let text = std::fs::read_to_string(path)?;
    let root = root
        .map_or_else(|| reference_root(Path::new(""), std::slice::from_ref(&path.to_path_buf())), Path::to_path_buf);
    let other_files = files_on_disk(Path::new(""), Path::new("")).under(root);
    Ok(PageInput { id: "spec".into(), file: path.to_path_buf(), text, overlay: None, other_files })
}

/// The folder the `$ref`s of `pages` (paths relative to `base`, as shown) may read files in:
/// the repository holding the first page (the nearest folder above it with a `.git`), since
/// vendors lay a spec out over their repository (`specs/search/spec.yml` naming
/// `../common/securitySchemes.yml`); outside a repository, the pages' common folder.
/// URLs and files outside it are never read.
pub fn reference_root(base: &Path, pages: &[PathBuf]) -> PathBuf {
    let folders: Vec<PathBuf> = pages.iter().map(|p| codegen::bundle::normalize(&p.with_file_name(""))).collect();
    let Some(first) = folders.first() else { return PathBuf::new() };
    let mut candidate = first.clone();
    for _ in 0..64 {
        if base.join(&candidate).join(".git").exists() {
            return candidate;
        }
        let up = codegen::bundle::normalize(&candidate.join(".."));
        let top = std::fs::canonicalize(base.join(&candidate)).map_or(true, |c| c.parent().is_none());
        if top || up == candidate {
            break;
        }
        candidate = up;
    }
    common_folder(&folders)
}

/// The longest folder every one of `folders` is inside.
pub fn common_folder(folders: &[PathBuf]) -> PathBuf {
    let Some(first) = folders.first() else { return PathBuf::new() };
    let mut common: Vec<_> = first.components().collect();
    for folder in &folders[1..] {
        let shared = common.iter().zip(folder.components()).take_while(|(a, b)| **a == *b).count();
        common.truncate(shared);
    }
    common.iter().collect()
}

/// The other files of a multi-file spec, read from the disk: a shown path under `shown_base`
/// is read from the same place under `base`.
pub fn files_on_disk(base: &Path, shown_base: &Path) -> OtherFiles {
    let (base, shown_base) = (base.to_path_buf(), shown_base.to_path_buf());
    OtherFiles::new(move |shown| std::fs::read_to_string(base.join(shown.strip_prefix(&shown_base).unwrap_or(shown))))
}

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
        match load_api(entry, specs_dir, shown) {
            Ok(input) => inputs.push(input),
            Err(e) => problems.extend(e),
        }
    }
    build_all(inputs, problems, package)
}

/// Builds the pages at `paths` (doc pages or bare specs, relative to `base` or absolute) as one
/// API named `name`, in a crate of the same name. Several pages are merged, in the order given.
/// Reports and errors show each path as given. Unless `strict`, a reference that points at
/// nothing costs only what reaches it, with a warning.
///
/// # Errors
/// Every problem of every page, collected.
/// `root` is the folder their references may read ([`reference_root`] when `None`).
pub fn generate_from_pages(
    name: &str,
    base: &Path,
    paths: &[PathBuf],
    strict: bool,
    root: Option<&Path>,
) -> Result<Generated> {
    let mut pages = Vec::new();
    let mut problems = Diagnostics::default();
    let root = root.map_or_else(|| reference_root(base, paths), Path::to_path_buf);
    for (index, path) in paths.iter().enumerate() {
        match std::fs::read_to_string(base.join(path)) {
            Ok(text) => {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
                let stem = stem.split('.').next().unwrap_or(stem);
                let id = if pages.iter().any(|p: &PageInput| p.id == stem) {
                    format!("{stem}{index}")
                } else {
                    stem.to_string()
                };
                let other_files = files_on_disk(base, Path::new("")).under(&root);
                pages.push(PageInput { id, file: path.clone(), text, overlay: None, other_files });
            }
            Err(e) => problems.push(Diagnostic::new(Kind::Io, format!("cannot read the file: {e}")).in_file(path)),
        }
    }
    let module = codegen::model::naming::sanitize(&heck::ToSnakeCase::to_snake_case(name));
    let input = ApiInput { name: module, module_names: BTreeMap::new(), pages, strict, tag_layout: TagLayout::Auto };
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
    let files = codegen::timing::timed("render crate files", || render_crate(package, &apis))?;
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
pub fn sync(out: &Path, generated: &Generated, mode: SyncMode) -> Result<Vec<(PathBuf, crate::output::FileStatus)>> {
    let outcome = match mode {
        SyncMode::Write => codegen::timing::timed("write files", || crate::output::write(out, &generated.files)),
        SyncMode::Check => codegen::timing::timed("compare files", || crate::output::changes(out, &generated.files)),
    };
    outcome.map_err(|e| {
        Diagnostic::new(Kind::Io, format!("cannot sync the generated files: {e}"))
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

/// Where the old side of a diff comes from.
#[derive(Clone, Debug)]
pub enum DiffBase {
    /// The committed generated files at a git revision of the repository.
    Git {
        /// The repository root.
        repository: PathBuf,
        /// Any revision git understands (`HEAD`, `origin/main`, a commit).
        revision: String,
    },
    /// One normalized spec file; the API is named by the file name (`supermetrics.yaml`).
    File(PathBuf),
}

/// The API and public-item changes between `base` and `generated` (the working tree's specs).
///
/// # Errors
/// When git cannot read the revision, or the old spec does not parse.
pub fn diff(
    base: &DiffBase,
    generated: &Generated,
) -> Result<(Vec<crate::diff::ApiChange>, Vec<crate::diff::rust_api::ItemChange>)> {
    use crate::diff::{diff_specs, rust_api};
    let parse = |text: &str, shown: &str| -> Result<serde_json::Value> {
        serde_yaml_ng::from_str(text)
            .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot read the old spec: {e}")).in_file(shown).into())
    };
    let mut changes = Vec::new();
    match base {
        DiffBase::File(path) => {
            let name = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.split('.').next()).unwrap_or_default();
            let Some(api) = generated.apis.iter().find(|a| a.name == name) else {
                let known: Vec<&str> = generated.apis.iter().map(|a| a.name.as_str()).collect();
                return Err(Diagnostic::new(
                    Kind::UnknownName,
                    format!("no API named {name:?} to compare {} with", path.display()),
                )
                .help(format!("name the old file after its API: {}", known.join(", ")))
                .into());
            };
            let text = std::fs::read_to_string(path).map_err(|e| {
                Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot read the file: {e}")).in_file(path))
            })?;
            let old = parse(&text, &path.display().to_string())?;
            changes.extend(diff_specs(&api.name, &old, &api.normalized()));
            Ok((changes, Vec::new()))
        }
        DiffBase::Git { repository, revision } => {
            let git = |args: &[&str]| -> Result<Option<String>> {
                let output = std::process::Command::new("git")
                    .arg("-C")
                    .arg(repository)
                    .args(args)
                    .output()
                    .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot run git: {e}")))?;
                Ok(output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
            };
            if git(&["rev-parse", "--verify", &format!("{revision}^{{commit}}")])?.is_none() {
                return Err(Diagnostic::new(Kind::UnknownName, format!("git does not know the revision {revision:?}"))
                    .help("give a commit, branch or tag of this repository, e.g. --base HEAD~1")
                    .into());
            }
            for api in &generated.apis {
                let old = match git(&[
                    "show",
                    &format!(
                        "{revision}:generated-client/{}/{}.yaml",
                        codegen::generate::crate_files::OPENAPI_DIR,
                        api.name
                    ),
                ])? {
                    Some(text) => parse(&text, &format!("{revision}:{}.yaml", api.name))?,
                    None => serde_json::json!({}),
                };
                changes.extend(diff_specs(&api.name, &old, &api.normalized()));
            }
            let listing =
                git(&["ls-tree", "-r", "--name-only", revision, "--", "generated-client/src"])?.unwrap_or_default();
            let mut old_files = Vec::new();
            for file in listing.lines() {
                if let Some(text) = git(&["show", &format!("{revision}:{file}")])? {
                    old_files.push((PathBuf::from(file.trim_start_matches("generated-client/")), text));
                }
            }
            let old_items = rust_api::public_items(old_files.iter().map(|(p, t)| (p.as_path(), t.as_str())));
            let new_items = rust_api::public_items(generated.files.iter().map(|(p, t)| (p.as_path(), t.as_str())));
            Ok((changes, rust_api::diff(&old_items, &new_items)))
        }
    }
}
