//! Helpers shared by the pipeline's integration tests.

use std::fs;
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

/// Copies a folder tree (specs or a generated crate) so a test can change the copy.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A spec or doc page from the disk, extracted the way the pipeline reads it.
pub fn load(path: &Path) -> serde_json::Value {
    let text = fs::read_to_string(path).unwrap();
    codegen::extract::extract(&text, path.extension().and_then(|e| e.to_str())).unwrap().document
}

/// The rules of a run's changes, in order.
pub fn rules_of(changes: &[codegen::report::Change]) -> Vec<codegen::report::Rule> {
    changes.iter().map(|c| c.rule).collect()
}
