//! `specs/manifest.toml`: which pages make up which API.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use codegen::diagnostics::{Diagnostic, Diagnostics, Kind, Result};

/// The whole manifest.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The APIs, each one module of the generated crate.
    #[serde(rename = "api")]
    pub apis: Vec<ApiEntry>,
}

/// One API: pages that are slices of it, merged into one spec.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// The module name in the generated crate (snake case).
    pub name: String,
    /// Module names for the API's servers, by URL, when it has several.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// The pages, in merge order: the first page's info, servers and security are the API's.
    #[serde(rename = "page")]
    pub pages: Vec<PageEntry>,
    /// Whether each operation tag gets its own files and cargo feature: `true` always,
    /// `false` never; left out, when a client module would be larger than about 1 MB.
    pub tag_features: Option<bool>,
}

/// One documentation page.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageEntry {
    /// A short id, unique in the API; the prefix of components renamed on collision.
    pub id: String,
    /// The page as captured, relative to the manifest.
    pub page: PathBuf,
    /// Where the page is published (for fetching it again).
    pub source: Option<String>,
    /// A hand-written spec, when the page has no machine-readable one.
    pub spec: Option<PathBuf>,
    /// An Overlay 1.0 file of semantic fixes.
    pub overlay: Option<PathBuf>,
}

impl Manifest {
    /// Reads and checks the manifest at `path`.
    ///
    /// # Errors
    /// When it is not valid TOML of this shape, names an API twice, or names a file that is
    /// not there.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostics::from(Diagnostic::new(Kind::Io, format!("cannot read the manifest: {e}")).in_file(path))
        })?;
        let manifest: Manifest = toml::from_str(&text).map_err(|e| {
            let mut d =
                Diagnostic::new(Kind::InvalidManifest, format!("invalid manifest: {}", e.message())).in_file(path);
            if let Some(span) = e.span() {
                d = d.on_line(text[..span.start].lines().count().max(1));
            }
            Diagnostics::from(d)
        })?;
        manifest.check(path.parent().unwrap_or(Path::new(".")), path)?;
        Ok(manifest)
    }

    fn check(&self, base: &Path, path: &Path) -> Result<()> {
        let mut problems = Diagnostics::default();
        let mut names = BTreeSet::new();
        for api in &self.apis {
            let valid = !api.name.is_empty()
                && api.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !api.name.starts_with(|c: char| c.is_ascii_digit());
            if !valid {
                problems.push(
                    Diagnostic::new(
                        Kind::InvalidManifest,
                        format!("API name {:?} is not a snake_case module name", api.name),
                    )
                    .in_file(path),
                );
            }
            if !names.insert(&api.name) {
                problems.push(
                    Diagnostic::new(Kind::InvalidManifest, format!("API {:?} is listed twice", api.name)).in_file(path),
                );
            }
            let mut ids = BTreeSet::new();
            for page in &api.pages {
                if !ids.insert(&page.id) {
                    problems.push(
                        Diagnostic::new(
                            Kind::InvalidManifest,
                            format!("page id {:?} is used twice in API {:?}", page.id, api.name),
                        )
                        .in_file(path),
                    );
                }
                for file in [Some(&page.page), page.spec.as_ref(), page.overlay.as_ref()].into_iter().flatten() {
                    if !base.join(file).is_file() {
                        problems.push(
                            Diagnostic::new(Kind::InvalidManifest, format!("{} does not exist", file.display()))
                                .in_file(path)
                                .help("paths in the manifest are relative to the manifest's folder"),
                        );
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}
