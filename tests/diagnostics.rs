//! The diagnostic catalogue: every kind has a stable code, a title and help, and every kind the
//! pipeline can report is reported by a fixture named after its code.
//!
//! `tests/fixtures/diagnostics/<code>` is a page (`.yaml`, `.json`, `.page.md`) or a folder whose
//! pages are the files named `page*` (in name order), with an optional `overlay.yaml` for the
//! first page and the files the pages' `$ref`s name.

use std::fs;
use std::path::Path;

use codegen::diagnostics::{Diagnostic, Kind};
use codegen::pipeline::{build_api, ApiInput, PageInput};
use codegen_tools::workspace::files_on_disk;
use pipeline_tests::{fixtures, repository_root, shown};

/// Kinds no input through the pipeline is known to cause, so no fixture can show them: a bug of
/// ours or of progenitor/typify (`internal`, `generation-failed`, `webhook-left-out`), or a
/// safety net behind an earlier stage (`defaults-left-out` behind the normalizer's fitting of
/// defaults to their schemas, `external-reference` behind the bundle stage, which resolves or
/// reports every reference into another file). They are still checked to be reported somewhere.
/// `TypeRenamed` is the safety net behind lowering's lifts (no known spec reaches it since
/// constrained strings are lifted too); the corpus runs count it.
const NO_FIXTURE: &[Kind] = &[
    Kind::Internal,
    Kind::GenerationFailed,
    Kind::WebhookLeftOut,
    Kind::DefaultsLeftOut,
    Kind::ExternalReference,
    Kind::TypeRenamed,
];

/// Kinds of the tools around the pipeline, shown by `tools_report_their_kinds`.
const TOOL_KINDS: &[Kind] = &[Kind::Io, Kind::InvalidManifest, Kind::UnknownName];

fn page(path: &Path, overlay: Option<(std::path::PathBuf, String)>) -> PageInput {
    PageInput {
        id: path.file_stem().unwrap().to_string_lossy().into_owned(),
        file: shown(path),
        text: fs::read_to_string(path).unwrap(),
        overlay,
        other_files: files_on_disk(&repository_root(), Path::new("")),
    }
}

fn pages_of(fixture: &Path) -> Vec<PageInput> {
    if fixture.is_file() {
        return vec![page(fixture, None)];
    }
    let mut files: Vec<_> = fs::read_dir(fixture).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let overlay_file = fixture.join("overlay.yaml");
    let mut overlay = overlay_file.exists().then(|| (shown(&overlay_file), fs::read_to_string(&overlay_file).unwrap()));
    files
        .iter()
        .filter(|f| f.file_name().unwrap().to_string_lossy().starts_with("page"))
        .map(|f| page(f, overlay.take()))
        .collect()
}

/// Everything a strict and a lenient run of the fixture report, in that order.
fn reported(fixture: &Path) -> Vec<(&'static str, Diagnostic)> {
    let mut out = Vec::new();
    for (mode, strict) in [("strict", true), ("lenient", false)] {
        let input = ApiInput {
            name: "api".into(),
            module_names: Default::default(),
            pages: pages_of(fixture),
            strict,
            tag_layout: Default::default(),
        };
        let found = match build_api(&input) {
            Ok(api) => api.warnings,
            Err(problems) => problems,
        };
        out.extend(found.iter().map(|d| (mode, d.clone())));
    }
    out
}

fn fixture_of(kind: Kind) -> Option<std::path::PathBuf> {
    let folder = fixtures().join("diagnostics");
    fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).find(|path| {
        let name = path.file_name().unwrap().to_string_lossy();
        name.split('.').next() == Some(kind.code())
    })
}

#[test]
fn every_kind_the_pipeline_reports_has_a_fixture_that_reports_it() {
    let mut missing = Vec::new();
    for &kind in Kind::ALL.iter().filter(|k| !NO_FIXTURE.contains(k) && !TOOL_KINDS.contains(k)) {
        let Some(fixture) = fixture_of(kind) else {
            missing.push(format!("{}: no tests/fixtures/diagnostics/{}.*", kind.code(), kind.code()));
            continue;
        };
        let of_kind: Vec<_> = reported(&fixture).into_iter().filter(|(_, d)| d.kind == kind).collect();
        if of_kind.is_empty() {
            missing.push(format!("{}: {} does not report it", kind.code(), shown(&fixture).display()));
            continue;
        }
        assert!(of_kind.iter().all(|(_, d)| d.severity() == kind.severity()), "{kind:?} keeps its severity");
        let run = |mode: &str| -> Vec<String> {
            of_kind.iter().filter(|(m, _)| *m == mode).map(|(_, d)| d.to_string()).collect()
        };
        let (strict, lenient) = (run("strict"), run("lenient"));
        let shown = match (strict.is_empty(), lenient.is_empty()) {
            _ if strict == lenient => format!("[strict and lenient runs]\n{}", strict.join("\n")),
            (false, true) => format!("[strict run]\n{}", strict.join("\n")),
            (true, false) => format!("[lenient run]\n{}", lenient.join("\n")),
            _ => format!("[strict run]\n{}\n[lenient run]\n{}", strict.join("\n"), lenient.join("\n")),
        };
        insta::assert_snapshot!(kind.code(), shown);
    }
    assert!(missing.is_empty(), "kinds without a fixture that shows them:\n{}", missing.join("\n"));
}

#[test]
fn kinds_without_a_fixture_are_still_reported_somewhere() {
    let sources = ["codegen/src", "codegen/tools/src", "xtask/src"];
    let mut text = String::new();
    for root in sources {
        for file in walk(&repository_root().join(root)) {
            text.push_str(&fs::read_to_string(file).unwrap());
        }
    }
    for kind in NO_FIXTURE.iter().chain(TOOL_KINDS) {
        assert!(text.contains(&format!("Kind::{kind:?}")), "{kind:?} is in the catalogue but never reported");
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn tools_report_their_kinds() {
    let temp = tempfile::tempdir().unwrap();
    let manifest = temp.path().join("manifest.toml");
    fs::write(&manifest, "[[api]]\nname = \"Not Snake\"\n").unwrap();
    let problems = codegen_tools::manifest::Manifest::load(&manifest).unwrap_err();
    assert!(problems.iter().all(|d| d.kind == Kind::InvalidManifest), "{problems}");

    let problems = codegen_tools::manifest::Manifest::load(&temp.path().join("absent.toml")).unwrap_err();
    assert_eq!(problems.iter().map(|d| d.kind).collect::<Vec<_>>(), [Kind::Io], "{problems}");
}

#[test]
fn codes_are_unique_kebab_case_and_every_kind_says_what_to_do() {
    let mut seen = std::collections::BTreeSet::new();
    for &kind in Kind::ALL {
        let code = kind.code();
        assert!(seen.insert(code), "{code} is used twice");
        assert!(code.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase())), "{code}");
        assert_eq!(Kind::from_code(code), Some(kind));
        assert!(!kind.title().ends_with('.') && kind.title().chars().next().unwrap().is_lowercase(), "{code}");
        assert!(kind.help().len() > 20, "{code} says what to do");
        let d = Diagnostic::new(kind, "the message");
        assert!(d.to_string().starts_with(&format!("{}[{code}]: the message", kind.severity())), "{d}");
    }
}

/// The catalogue as a table: a change of code, severity or help shows in review.
#[test]
fn catalogue() {
    let rows: Vec<String> = Kind::ALL
        .iter()
        .map(|k| {
            let (code, severity, title, help) = (k.code(), k.severity(), k.title(), k.help());
            format!("{code} ({severity}): {title}\n    {}\n    help: {help}", k.explanation().replace('\n', "\n    "))
        })
        .collect();
    insta::assert_snapshot!(rows.join("\n"));
}
