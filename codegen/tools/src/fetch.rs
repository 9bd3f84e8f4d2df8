//! Fetching the documentation pages again: the only networked part of the pipeline.
//!
//! Each page listed with a `source` in the manifest is downloaded (with a timeout and bounded
//! retries) and compared byte for byte with the captured copy. A changed page replaces it
//! atomically; an unchanged one is not rewritten. Regenerating and checking stay offline.

use std::path::{Path, PathBuf};
use std::thread::sleep;
use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use crate::manifest::Manifest;
use crate::output::write_atomically;
use crate::workspace::MANIFEST;
use codegen::diagnostics::{Diagnostic, Kind, Result};

/// What happened to one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageOutcome {
    /// The page is byte for byte what is in `specs/`.
    Unchanged,
    /// The page changed and was written.
    Changed {
        /// Lines added and removed, and what to do next.
        summary: String,
        /// The hand-written spec that describes this page, which now needs review.
        review: Option<PathBuf>,
    },
    /// The page could not be fetched; `specs/` keeps the old copy.
    Failed(String),
}

/// One page's result.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The API the page belongs to.
    pub api: String,
    /// The page file, relative to the specs folder.
    pub page: PathBuf,
    /// Where it was fetched from.
    pub source: String,
    /// What happened.
    pub outcome: PageOutcome,
}

/// How hard to try.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Per request.
    pub timeout: Duration,
    /// Attempts per page (connection failures, 429 and 5xx are retried).
    pub attempts: u32,
    /// The first pause between attempts; it doubles each time.
    pub backoff: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self { timeout: Duration::from_secs(30), attempts: 3, backoff: Duration::from_millis(500) }
    }
}

/// Fetches the pages of `apis` (all when empty) listed in `specs_dir/manifest.toml`.
///
/// # Errors
/// When the manifest cannot be read, or names an API it does not have. Pages that fail are
/// reported in their [`Fetched`] entry, not as an error, so every page is tried.
pub fn fetch(specs_dir: &Path, apis: &[String], options: &FetchOptions) -> Result<Vec<Fetched>> {
    let manifest = Manifest::load(&specs_dir.join(MANIFEST))?;
    for wanted in apis {
        if !manifest.apis.iter().any(|a| &a.name == wanted) {
            let known: Vec<&str> = manifest.apis.iter().map(|a| a.name.as_str()).collect();
            return Err(Diagnostic::new(Kind::UnknownName, format!("no API named {wanted:?} in the manifest"))
                .help(format!("known APIs: {}", known.join(", ")))
                .into());
        }
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(options.timeout)
        .user_agent(concat!("api-docs-codegen/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Diagnostic::new(Kind::Io, format!("cannot start an HTTP client: {e}")))?;
    let mut results = Vec::new();
    for api in manifest.apis.iter().filter(|a| apis.is_empty() || apis.contains(&a.name)) {
        for page in &api.pages {
            let Some(source) = &page.source else { continue };
            let outcome = match download(&client, source, options) {
                Ok(body) => compare_and_write(&specs_dir.join(&page.page), &body, page.spec.as_deref()),
                Err(message) => PageOutcome::Failed(message),
            };
            results.push(Fetched { api: api.name.clone(), page: page.page.clone(), source: source.clone(), outcome });
        }
    }
    Ok(results)
}

fn download(
    client: &reqwest::blocking::Client,
    url: &str,
    options: &FetchOptions,
) -> std::result::Result<Vec<u8>, String> {
    let mut pause = options.backoff;
    let mut last = String::new();
    for attempt in 1..=options.attempts.max(1) {
        match client.get(url).send() {
            Ok(response) if response.status().is_success() => {
                return response.bytes().map(|b| b.to_vec()).map_err(|e| format!("reading the body failed: {e}"));
            }
            Ok(response) => {
                let status = response.status();
                last = format!("the server answered {status}");
                if !(status.is_server_error() || status.as_u16() == 429) {
                    return Err(last);
                }
            }
            Err(e) if e.is_timeout() => last = format!("no answer within {:?}", options.timeout),
            Err(e) => last = format!("request failed: {e}"),
        }
        if attempt < options.attempts {
            sleep(pause);
            pause *= 2;
        }
    }
    Err(format!("{last} (after {} attempts)", options.attempts.max(1)))
}

fn compare_and_write(target: &Path, body: &[u8], hand_written: Option<&Path>) -> PageOutcome {
    let old = std::fs::read(target).unwrap_or_default();
    if old == body {
        return PageOutcome::Unchanged;
    }
    let old_text = String::from_utf8_lossy(&old);
    let new_text = String::from_utf8_lossy(body);
    let diff = TextDiff::from_lines(old_text.as_ref(), new_text.as_ref());
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    // Pages are stored as bytes, never re-encoded: a later diff shows exactly what upstream changed.
    let text = match std::str::from_utf8(body) {
        Ok(text) => text,
        Err(_) => return PageOutcome::Failed("the page is not UTF-8 text".into()),
    };
    if let Err(e) = write_atomically(target, text) {
        return PageOutcome::Failed(format!("cannot write {}: {e}", target.display()));
    }
    let mut summary = format!("+{added} -{removed} lines");
    if let Some(spec) = hand_written {
        summary.push_str(&format!("; the hand-written {} describes this page and needs review", spec.display()));
    } else {
        summary.push_str("; run `cargo xtask regenerate` and `cargo xtask diff`");
    }
    PageOutcome::Changed { summary, review: hand_written.map(Path::to_path_buf) }
}
