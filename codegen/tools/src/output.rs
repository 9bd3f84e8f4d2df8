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
///
/// The files on disk are read on four threads: reading them one after another waited on the
/// disk for most of the comparison (GitHub's 35 MB, Microsoft Graph's 280 MB).
pub fn changes(root: &Path, files: &FileSet) -> io::Result<Vec<(PathBuf, FileStatus)>> {
    let listed: Vec<(&PathBuf, &String)> = files.iter().collect();
    let statuses = codegen::parallel::map_in_order(
        &listed,
        4,
        |(path, content)| match fs::read_to_string(root.join(path)) {
            Ok(existing) if existing == **content => Ok(None),
            Ok(_) => Ok(Some(FileStatus::Updated)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Some(FileStatus::Created)),
            Err(e) => Err(e),
        },
        || io::Error::other("comparing a file panicked"),
    )?;
    let mut out: Vec<(PathBuf, FileStatus)> =
        listed.iter().zip(statuses).filter_map(|((path, _), status)| Some(((*path).clone(), status?))).collect();
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
///
/// Every changed file is written beside its target and flushed to disk before the first is
/// renamed into place, both on several threads: one file after another, each flushed before
/// the next was written, took 1-4 s for Microsoft Graph's 2,800 files (0.8 s in `fsync`
/// alone). A run that fails while writing leaves every committed file as it was.
pub fn write(root: &Path, files: &FileSet) -> io::Result<Vec<(PathBuf, FileStatus)>> {
    let changes = codegen::timing::timed("  compare files", || changes(root, files))?;
    let targets: Vec<(PathBuf, &str)> = changes
        .iter()
        .filter(|(_, status)| *status != FileStatus::Removed)
        .map(|(path, _)| (root.join(path), files[path].as_str()))
        .collect();
    // Writing and flushing files waits on the disk and on the kernel's page cache: four threads.
    let panicked = || io::Error::other("writing a file panicked");
    let written =
        codegen::parallel::map_in_order(&targets, 4, |(target, content)| temporary_beside(target, content), panicked)?;
    codegen::parallel::map_in_order(&written, 4, |temporary| fs::File::open(temporary)?.sync_all(), panicked)?;
    for (temporary, (target, _)) in written.into_iter().zip(&targets) {
        temporary.persist(target).map_err(|e| e.error)?;
    }
    for (path, status) in &changes {
        if *status == FileStatus::Removed {
            fs::remove_file(root.join(path))?;
        }
    }
    Ok(changes)
}

/// Writes `content` to a temporary file beside `target`, closed (a large API has thousands),
/// not yet flushed to disk; it is deleted when dropped.
fn temporary_beside(target: &Path, content: &str) -> io::Result<tempfile::TempPath> {
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
    Ok(temporary.into_temp_path())
}

/// Writes `content` to a temporary file beside `target`, then renames it into place.
pub fn write_atomically(target: &Path, content: &str) -> io::Result<()> {
    let temporary = temporary_beside(target, content)?;
    fs::File::open(&temporary)?.sync_all()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> FileSet {
        entries.iter().map(|(path, text)| (PathBuf::from(path), (*text).to_string())).collect()
    }

    fn on_disk(root: &Path) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = existing_files(root)
            .unwrap()
            .into_iter()
            .map(|path| (path.display().to_string(), fs::read_to_string(root.join(&path)).unwrap()))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn every_file_lands_with_its_own_text_and_stale_ones_go() {
        let root = tempfile::tempdir().unwrap();
        // More files than writing threads, in several folders, so each thread writes some.
        let first: Vec<(String, String)> =
            (0..23).map(|i| (format!("src/m{}/f{i}.rs", i % 3), format!("// file {i}\n"))).collect();
        let set: FileSet = first.iter().map(|(p, t)| (PathBuf::from(p), t.clone())).collect();
        let created = write(root.path(), &set).unwrap();
        assert_eq!(created.len(), 23);
        assert!(created.iter().all(|(_, status)| *status == FileStatus::Created));
        let mut expected = first.clone();
        expected.sort();
        assert_eq!(on_disk(root.path()), expected);

        let second = files(&[("src/m0/f0.rs", "// changed\n"), ("src/m1/f1.rs", "// file 1\n")]);
        let changed = write(root.path(), &second).unwrap();
        assert_eq!(changed.iter().filter(|(_, s)| *s == FileStatus::Updated).count(), 1);
        assert_eq!(changed.iter().filter(|(_, s)| *s == FileStatus::Removed).count(), 21);
        // Compared on several threads, each file keeps its own status; an unchanged one has none.
        assert!(changed.contains(&(PathBuf::from("src/m0/f0.rs"), FileStatus::Updated)), "{changed:?}");
        assert!(!changed.iter().any(|(path, _)| path == Path::new("src/m1/f1.rs")), "{changed:?}");
        assert!(changed.windows(2).all(|pair| pair[0] <= pair[1]), "in path order");
        assert_eq!(
            on_disk(root.path()),
            [("src/m0/f0.rs".to_string(), "// changed\n".to_string()), ("src/m1/f1.rs".into(), "// file 1\n".into())]
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(root.path().join("src/m0/f0.rs")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o644, "an ordinary file, not a temporary one");
        }
    }
}
