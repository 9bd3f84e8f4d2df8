//! Writing generated files safely, and telling how they differ from what is on disk.
//!
//! Nothing is written until every API generated without error, and each file is written to a
//! temporary file beside it and renamed into place, so a failed or interrupted run never leaves
//! a half-written file. Files a previous run generated that this run no longer produces are
//! removed, but only inside the folders the generator owns.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use similar::TextDiff;

use codegen::generate::crate_files::FileSet;

/// What happened to one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileStatus {
    /// It did not exist.
    Created,
    /// Its content changed.
    Updated,
    /// It was generated before and is no longer.
    Removed,
}

/// The folders of a generated crate the generator owns: stale files in them are removed.
pub const OWNED_DIRS: [&str; 2] = ["src", codegen::generate::crate_files::OPENAPI_DIR];

/// How many lines of diff to show per file.
const DIFF_LINES_PER_FILE: usize = 60;

/// Compares `files` with what is under `root`: every file that would be created, updated or
/// removed, in path order.
pub fn changes(root: &Path, files: &FileSet) -> io::Result<Vec<(PathBuf, FileStatus)>> {
    let mut out = Vec::new();
    for (path, content) in files {
        match fs::read_to_string(root.join(path)) {
            Ok(existing) if existing == *content => {}
            Ok(_) => out.push((path.clone(), FileStatus::Updated)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => out.push((path.clone(), FileStatus::Created)),
            Err(e) => return Err(e),
        }
    }
    for stale in existing_files(root)? {
        if !files.contains_key(&stale) {
            out.push((stale, FileStatus::Removed));
        }
    }
    out.sort();
    Ok(out)
}

/// Files under the owned folders of `root`, relative to it.
fn existing_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending: Vec<PathBuf> = OWNED_DIRS.iter().map(PathBuf::from).collect();
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(root.join(&dir)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let relative = dir.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                pending.push(relative);
            } else {
                found.push(relative);
            }
        }
    }
    Ok(found)
}

/// Brings `root` to `files`: writes what changed (atomically) and removes stale files.
pub fn write(root: &Path, files: &FileSet) -> io::Result<Vec<(PathBuf, FileStatus)>> {
    let changes = changes(root, files)?;
    for (path, status) in &changes {
        let target = root.join(path);
        match status {
            FileStatus::Removed => fs::remove_file(&target)?,
            FileStatus::Created | FileStatus::Updated => write_atomically(&target, &files[path])?,
        }
    }
    Ok(changes)
}

/// Writes `content` to a temporary file beside `target`, then renames it into place.
pub fn write_atomically(target: &Path, content: &str) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temporary = tempfile::NamedTempFile::new_in(dir)?;
    temporary.write_all(content.as_bytes())?;
    // A temporary file is private (0600); a written source or spec is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temporary.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
    }
    temporary.as_file().sync_all()?;
    temporary.persist(target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff of one file between disk and `files`, bounded to a screenful.
pub fn diff(root: &Path, files: &FileSet, path: &Path) -> String {
    let old = fs::read_to_string(root.join(path)).unwrap_or_default();
    let new = files.get(path).cloned().unwrap_or_default();
    let shown = path.display().to_string();
    let text = TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown} (on disk)"), &format!("b/{shown} (from specs)"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= DIFF_LINES_PER_FILE {
        text
    } else {
        format!(
            "{}\n... {} more lines of diff\n",
            lines[..DIFF_LINES_PER_FILE].join("\n"),
            lines.len() - DIFF_LINES_PER_FILE
        )
    }
}
