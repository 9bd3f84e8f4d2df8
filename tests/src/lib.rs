//! Helpers shared by the pipeline's integration tests.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the repository root").to_path_buf()
}

/// The fixtures folder.
pub fn fixtures() -> PathBuf {
    repository_root().join("tests/fixtures")
}

/// Renders any serializable value as YAML, the format of every snapshot here.
pub fn yaml(value: &impl serde::Serialize) -> String {
    serde_yaml_ng::to_string(value).expect("test values serialize")
}

/// A path shown relative to the repository root, so snapshots do not depend on the checkout.
pub fn shown(path: &Path) -> PathBuf {
    path.strip_prefix(repository_root()).unwrap_or(path).to_path_buf()
}
