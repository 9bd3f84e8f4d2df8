//! `cargo xtask conform`: every operation of a generated client, called through the client
//! against Prism serving the API's normalized spec with request validation on.
//!
//! For each API: the generated crate is written to a work folder, beside it a harness program
//! ([`harness`]) that calls each operation once with valid arguments ([`sample`]); Prism is
//! started on the normalized spec, first answering with the documented examples (static mode),
//! then with random responses valid for the schemas (dynamic mode, seeded); each operation's
//! outcome is classified ([`classify`]).

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use quote::quote;
use serde_json::Value;

use crate::workspace::{self, Generated, SyncMode};

pub mod classify;
pub mod harness;
pub mod sample;
pub mod serve;

pub use classify::{Class, OperationResult};

/// How a conformance run is made.
#[derive(Clone, Debug)]
pub struct ConformOptions {
    /// Where the crates, harnesses and specs are written (`target/conform`).
    pub work_dir: PathBuf,
    /// The Prism executable.
    pub prism: PathBuf,
    /// The `Cargo.lock` the harness builds with, so its dependencies are the repository's.
    pub lock_file: Option<PathBuf>,
    /// Dynamic-mode passes (each a call per operation, Prism seeded differently).
    pub dynamic_passes: u32,
    /// Seed of sampled values and of Prism's random responses.
    pub seed: u64,
}

/// Runs every operation of every API of `generated` (a crate named `package`).
///
/// # Errors
/// When the harness cannot be written, built or run, or Prism does not start: what failed and
/// its output.
pub fn conform(generated: &Generated, package: &str, options: &ConformOptions) -> Result<Vec<OperationResult>, String> {
    let root = options.work_dir.join(package);
    let client_dir = root.join("client");
    workspace::sync(&client_dir, generated, SyncMode::Write).map_err(|e| e.to_string())?;
    let crate_path: proc_macro2::TokenStream =
        heck::ToSnakeCase::to_snake_case(package).parse().map_err(|_| format!("`{package}` is not a crate name"))?;
    let runtime = quote!(::#crate_path::runtime);

    // Each API's normalized spec, read back once from its YAML for both the harness and Prism.
    let normalized: Vec<Value> = generated.apis.iter().map(codegen::generate::BuiltApi::normalized).collect();
    let mut modules = Vec::new();
    let mut planned = Vec::new();
    for (api, normalized) in generated.apis.iter().zip(&normalized) {
        let api_name: proc_macro2::TokenStream = api.name.parse().map_err(|_| "an API name".to_string())?;
        // The lowered documents are not kept by the pipeline (they would add to its peak
        // memory); the harness needs their schemas, so the API is lowered once more here.
        let lowered = codegen::lower::lower(normalized, &BTreeMap::new());
        for (module, group) in api.modules.iter().zip(&lowered.groups) {
            let path = match &module.plan.module {
                Some(name) => {
                    let name: proc_macro2::TokenStream = name.parse().map_err(|_| "a module name".to_string())?;
                    quote!(::#crate_path::#api_name::#name)
                }
                None => quote!(::#crate_path::#api_name),
            };
            let (_, document) = codegen::plan::plan(group);
            let sources: Vec<&str> = std::iter::once(module.source.as_str())
                .chain(module.parts.iter().map(|(_, part)| part.as_str()))
                .collect();
            let documents = harness::Documents { lowered: &document, normalized };
            let built =
                harness::module_calls(modules.len(), &path, &runtime, &module.plan, &sources, documents, options.seed)?;
            modules.push((api.name.clone(), built.tokens));
            planned.extend(built.calls.into_iter().map(|call| (api.name.clone(), call)));
        }
    }
    let program = harness::program(&modules, &runtime);
    let binary = build_harness(&root, package, program, options)?;

    let mut static_lines = BTreeMap::new();
    let mut dynamic_lines: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
    for (api, normalized) in generated.apis.iter().zip(&normalized) {
        let spec = root.join(format!("{}.json", api.name));
        let log = spec.with_extension("prism.log");
        // What Prism's answers are checked against: the spec as served, before any cut.
        let served = serve::servable(normalized.clone());
        write_spec(&spec, &served)?;
        let mut started = Prism::start(&options.prism, &spec, None, &log);
        let mut cut_served = false;
        if let (Err(why), Some((cut, count))) =
            (&started, started.as_ref().err().and_then(|_| serve::with_recursion_cut(&served)))
        {
            eprintln!(
                "  {}: {}; serving it again with {count} recursive reference(s) cut",
                api.name,
                why.split("; its log ends").next().unwrap_or_default()
            );
            write_spec(&spec, &cut)?;
            cut_served = true;
            started = Prism::start(&options.prism, &spec, None, &log);
        }
        let mut prism = match started {
            Ok(prism) => prism,
            Err(why) => {
                // Prism never starts on some specs: their calls are not covered, with its
                // reason; other APIs go on.
                let why = why.lines().next().unwrap_or_default().to_string();
                for (_, call) in planned.iter().filter(|(name, _)| name == &api.name) {
                    let line = serde_json::json!({"operation": call.operation, "status": null, "prism_stopped": why});
                    static_lines.insert((api.name.clone(), call.operation.clone()), line);
                }
                continue;
            }
        };
        let pointers: BTreeMap<&str, &str> = planned
            .iter()
            .filter(|(name, _)| name == &api.name)
            .map(|(_, call)| (call.operation.as_str(), call.pointer.as_str()))
            .collect();
        let checked = |mut line: Value| {
            let pointer = pointers.get(operation_of(&line).as_str());
            if let Some(why) = pointer.and_then(|p| classify::made_up_answer_defect(&served, p, &line)) {
                line[classify::MADE_UP_ANSWER_DEFECT] = why.into();
            }
            line
        };
        for line in prism.run(&binary, &api.name, &log)? {
            static_lines.insert((api.name.clone(), operation_of(&line)), checked(line));
        }
        drop(prism);
        for pass in 0..options.dynamic_passes {
            let seed = Some(options.seed + u64::from(pass));
            let mut lines = Prism::start(&options.prism, &spec, seed, &log)?.run(&binary, &api.name, &log)?;
            let lost = !cut_served && lines.iter().any(|line| line.to_string().contains(serve::LOST_IN_RECURSION));
            if let Some((cut, count)) = lost.then(|| serve::with_recursion_cut(&served)).flatten() {
                eprintln!("  {}: Prism lost its way in recursive schemas; random answers with {count} recursive reference(s) cut", api.name);
                write_spec(&spec, &cut)?;
                cut_served = true;
                lines = Prism::start(&options.prism, &spec, seed, &log)?.run(&binary, &api.name, &log)?;
            }
            for line in lines {
                let line = checked(line);
                dynamic_lines.entry((api.name.clone(), operation_of(&line))).or_default().push(line);
            }
        }
    }
    Ok(planned
        .into_iter()
        .map(|(api, call)| {
            let key = (api.clone(), call.operation.clone());
            classify::classify(api, &call, static_lines.get(&key), dynamic_lines.get(&key).map(Vec::as_slice))
        })
        .collect())
}

fn write_spec(path: &Path, served: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(served).map_err(|e| format!("the spec does not serialize: {e}"))?;
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn operation_of(line: &Value) -> String {
    line.get("operation").and_then(Value::as_str).unwrap_or_default().to_string()
}

/// Writes and builds the harness crate; returns its executable.
fn build_harness(
    root: &Path,
    package: &str,
    program: proc_macro2::TokenStream,
    options: &ConformOptions,
) -> Result<PathBuf, String> {
    let dir = root.join("harness");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = harness_manifest(root, package)?;
    let source =
        codegen::generate::format::whole_file(program).map_err(|e| format!("the harness does not parse: {e}"))?;
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/main.rs"), &source)?;
    if let Some(lock) = &options.lock_file {
        std::fs::copy(lock, dir.join("Cargo.lock")).map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
    }
    let target = options.work_dir.join("target");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let excerpt: String = stderr.lines().take(60).collect::<Vec<_>>().join("\n");
        return Err(format!("the harness of {package} does not build ({}):\n{excerpt}", dir.display()));
    }
    Ok(target.join("debug").join(format!("conform-harness{}", std::env::consts::EXE_SUFFIX)))
}

/// The harness's `Cargo.toml`: the client crate by path, and the client's own dependencies
/// (setter types name them: `uuid::Uuid`, `chrono::DateTime`), with tokio's macros added.
fn harness_manifest(root: &Path, package: &str) -> Result<String, String> {
    let client_manifest = root.join("client/Cargo.toml");
    let text = std::fs::read_to_string(&client_manifest)
        .map_err(|e| format!("cannot read {}: {e}", client_manifest.display()))?;
    let parsed: toml::Table = text.parse().map_err(|e| format!("{} does not parse: {e}", client_manifest.display()))?;
    let mut dependencies = parsed.get("dependencies").and_then(toml::Value::as_table).cloned().unwrap_or_default();
    let mut client = toml::Table::new();
    client.insert("path".into(), "../client".into());
    dependencies.insert(package.into(), client.into());
    let mut tokio = toml::Table::new();
    tokio.insert("version".into(), "1".into());
    let features = ["macros", "rt", "fs", "io-util", "time"].map(toml::Value::from);
    tokio.insert("features".into(), toml::Value::Array(features.to_vec()));
    dependencies.insert("tokio".into(), tokio.into());
    let mut package_table = toml::Table::new();
    for (key, value) in [("name", "conform-harness"), ("version", "0.0.0"), ("edition", "2021")] {
        package_table.insert(key.into(), value.into());
    }
    package_table.insert("publish".into(), false.into());
    let mut manifest = toml::Table::new();
    manifest.insert("package".into(), package_table.into());
    manifest.insert("dependencies".into(), dependencies.into());
    manifest.insert("workspace".into(), toml::Table::new().into());
    Ok(format!("# Generated by `cargo xtask conform`.\n{manifest}"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// A Prism mock server on loopback, stopped when dropped.
pub struct Prism {
    child: Child,
    /// Its base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    /// What it was started with, to start it again.
    prism: PathBuf,
    spec: PathBuf,
    seed: Option<u64>,
}

impl Prism {
    /// Prism serving `spec`: with `--errors` and the documented examples, or random responses
    /// seeded with `seed` (its findings then only in `sl-violations`). Its output goes to the
    /// file `log`.
    ///
    /// # Errors
    /// When it cannot start, stops, or does not listen within 90 s: with the end of its log.
    pub fn start(prism: &Path, spec: &Path, seed: Option<u64>, log: &Path) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free loopback port: {e}"))?
            .port();
        let mut command = Command::new(prism);
        command.args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()]);
        match seed {
            // Random responses are what is checked: Prism's own slips (a format its faker does
            // not produce) stay in its `sl-violations` header instead of replacing the answer.
            Some(seed) => command.args(["--dynamic", "--seed", &seed.to_string()]),
            None => command.arg("--errors"),
        };
        // Prism's log goes to a file: a pipe nobody reads would block it.
        let log_path = log;
        let log = std::fs::File::create(log_path).map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
        let log_err = log.try_clone().map_err(|e| format!("cannot write {}: {e}", log_path.display()))?;
        let child = command
            .arg(spec)
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| format!("cannot start Prism ({}): {e}; run tests/prism/install.sh", prism.display()))?;
        let mut server = Prism {
            child,
            url: format!("http://127.0.0.1:{port}"),
            prism: prism.to_path_buf(),
            spec: spec.to_path_buf(),
            seed,
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            let exited = server.child.try_wait().ok().flatten().is_some();
            if exited || Instant::now() > deadline {
                let text = std::fs::read_to_string(log_path).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                let what = if exited { "stopped before listening" } else { "did not listen within 90 s" };
                return Err(format!("Prism {what} on {}; its log ends:\n{}", spec.display(), tail.join("\n")));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }
}

/// How often a run restarts a Prism that stopped while serving before giving up on the rest.
const PRISM_RESTARTS: usize = 10;

impl Prism {
    /// Runs the harness for `api` against this server. Prism crashes on some requests (a
    /// `TypeError` in its parameter deserializer): the call it was answering is marked
    /// `prism_crashed` with the end of its log, Prism is started again and the harness resumes
    /// after that call, at most [`PRISM_RESTARTS`] times; then every call left is marked `prism_stopped`.
    fn run(&mut self, binary: &Path, api: &str, log: &Path) -> Result<Vec<Value>, String> {
        let skip_file = log.with_extension("skip");
        let mut done: Vec<Value> = Vec::new();
        let mut restarts = 0;
        loop {
            let skipped: Vec<String> = done.iter().map(operation_of).collect();
            write(&skip_file, &skipped.join("\n"))?;
            let output = Command::new(binary)
                .arg(&self.url)
                .arg(api)
                .arg(&skip_file)
                .output()
                .map_err(|e| format!("cannot run the harness: {e}"))?;
            if !output.status.success() {
                return Err(format!("the harness failed: {}", String::from_utf8_lossy(&output.stderr)));
            }
            let mut lines: Vec<Value> = String::from_utf8_lossy(&output.stdout)
                .lines()
                .filter_map(|line| serde_json::from_str(line).ok())
                .collect();
            if self.child.try_wait().ok().flatten().is_none() {
                let hung = mark_hang(&mut lines, restarts == PRISM_RESTARTS);
                done.extend(lines);
                if !hung {
                    return Ok(done);
                }
                restarts += 1;
                // Busy with the answer it was making up: stopped before the new one starts.
                let _ = self.child.kill();
                let _ = self.child.wait();
                *self = Prism::start(&self.prism, &self.spec, self.seed, log)?;
                continue;
            }
            let text = std::fs::read_to_string(log).unwrap_or_default();
            let why = text.lines().rev().find(|l| l.contains("Error")).unwrap_or("it exited").trim().to_string();
            let resume = mark_crash(&mut lines, &why, restarts == PRISM_RESTARTS);
            done.extend(lines);
            if !resume {
                return Ok(done);
            }
            restarts += 1;
            *self = Prism::start(&self.prism, &self.spec, self.seed, log)?;
        }
    }
}

/// What a call Prism did not answer in time is marked with.
const HUNG: &str = "Prism did not answer within the client's timeout (still making up its answer); it was restarted";

/// After a run Prism survived: when its last call timed out (the harness stops there, since
/// Prism is still busy with it), that call is marked `prism_crashed` with [`HUNG`] and the
/// rest are to be called on a new Prism; with `give_up`, the calls after it are not made.
/// Whether to resume.
fn mark_hang(lines: &mut [Value], give_up: bool) -> bool {
    let Some(last) = lines.last_mut().filter(|line| line.get("timed_out") == Some(&Value::Bool(true))) else {
        return false;
    };
    if let Value::Object(fields) = last {
        fields.insert("prism_crashed".into(), Value::String(HUNG.into()));
    }
    !give_up
}

/// After Prism stopped during a run: `lines` (in the order the calls were made) keep the calls
/// it answered; the first it did not answer (not one whose sample was refused before sending)
/// is the one it crashed on, marked `prism_crashed` with `why`, and the lines after it are
/// dropped, to be called again on a new Prism. With `give_up`, every unanswered call is kept
/// and marked `prism_stopped` instead. Whether to resume.
fn mark_crash(lines: &mut Vec<Value>, why: &str, give_up: bool) -> bool {
    let unanswered =
        |line: &Value| line.get("status").is_some_and(Value::is_null) && line.get("sample_refused").is_none();
    let stopped_at = lines.iter().position(unanswered);
    let resume = !give_up && stopped_at.is_some();
    if let (true, Some(index)) = (resume, stopped_at) {
        lines.truncate(index + 1);
    }
    for (index, line) in lines.iter_mut().enumerate().filter(|(_, l)| unanswered(l)) {
        let key = if resume && Some(index) == stopped_at { "prism_crashed" } else { "prism_stopped" };
        if let Value::Object(fields) = line {
            fields.insert(key.into(), Value::String(why.to_string()));
        }
    }
    resume
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lines() -> Vec<Value> {
        vec![
            json!({"operation": "a", "status": 200}),
            json!({"operation": "b", "status": null, "sample_refused": "no value"}),
            json!({"operation": "c", "status": null}),
            json!({"operation": "d", "status": null}),
        ]
    }

    #[test]
    fn the_call_prism_crashed_on_is_marked_and_the_rest_are_called_again() {
        let mut lines = lines();
        assert!(mark_crash(&mut lines, "TypeError", false));
        let operations: Vec<String> = lines.iter().map(operation_of).collect();
        assert_eq!(operations, ["a", "b", "c"], "d is called again on a new Prism");
        assert_eq!(lines[2]["prism_crashed"], "TypeError");
        assert!(lines[1].get("prism_crashed").is_none(), "a refused sample was never sent");
    }

    #[test]
    fn a_call_prism_did_not_answer_in_time_is_marked_and_the_rest_are_called_again() {
        let mut lines = vec![
            json!({"operation": "a", "status": null, "timed_out": false, "message": "connection refused"}),
            json!({"operation": "b", "status": null, "timed_out": true}),
        ];
        assert!(mark_hang(&mut lines, false));
        assert_eq!(lines[1]["prism_crashed"], HUNG);
        assert!(lines[0].get("prism_crashed").is_none(), "only the call that timed out");
        let mut answered = vec![json!({"operation": "a", "status": 200, "timed_out": false})];
        assert!(!mark_hang(&mut answered, false), "nothing to resume");
    }

    #[test]
    fn after_the_last_restart_every_unanswered_call_is_kept_as_stopped() {
        let mut lines = lines();
        assert!(!mark_crash(&mut lines, "TypeError", true));
        assert_eq!(lines.len(), 4);
        assert!(lines[2..].iter().all(|l| l["prism_stopped"] == "TypeError" && l.get("prism_crashed").is_none()));
    }
}
