//! The live suite: generated clients against real servers, installed from the package registries
//! and started on 127.0.0.1 (`tests/live/run.sh` installs them; each test here starts its
//! server and stops it). Ignored by the README's test command, which must pass on a machine
//! without them; `.ci/run` runs it through `tests/live/run.sh`.
//!
//! Jupyter Server 2.14.2 (PyPI) and its client, generated from the `api.yaml` that wheel ships,
//! byte for byte (`tests/fixtures/compile/jupyter-server-2.14.2.yaml`).

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fixture_clients::jupyter::{self, types};

/// A server process, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free port on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

const TOKEN: &str = "live-suite-token";

/// Starts Jupyter Server from the live venv on 127.0.0.1, serving `root`; fails loudly, with
/// the server's output, when it does not answer within 60 s.
fn start_jupyter(root: &std::path::Path) -> Server {
    let venv = std::env::var("LIVE_VENV").expect("LIVE_VENV: run the live suite with tests/live/run.sh");
    let port = free_port();
    let child = Command::new(format!("{venv}/bin/jupyter-server"))
        .args([
            "--ServerApp.ip=127.0.0.1",
            &format!("--ServerApp.port={port}"),
            "--ServerApp.port_retries=0",
            &format!("--IdentityProvider.token={TOKEN}"),
            &format!("--ServerApp.root_dir={}", root.display()),
            "--ServerApp.open_browser=False",
            "--ServerApp.allow_remote_access=False",
            // CI containers run as root.
            "--allow-root",
        ])
        .env("JUPYTER_CONFIG_DIR", root.join(".config"))
        .env("JUPYTER_RUNTIME_DIR", root.join(".runtime"))
        .env("JUPYTER_DATA_DIR", root.join(".data"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jupyter-server starts: run tests/live/install.sh");
    let mut server = Server { child, url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) || server.child.try_wait().ok().flatten().is_some() {
            let _ = server.child.kill();
            let mut output = String::new();
            if let Some(mut stderr) = server.child.stderr.take() {
                let _ = stderr.read_to_string(&mut output);
            }
            panic!("Jupyter Server did not start on port {port}:\n{output}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

/// Why a call failed, with where its body did not decode.
fn why<T>(result: &Result<T, progenitor_client::Error<impl std::fmt::Debug>>) -> String {
    use fixture_clients::runtime::BodyExcerpt;
    match result {
        Ok(_) => "it succeeded".into(),
        Err(progenitor_client::Error::UnexpectedResponse(response)) => format!(
            "{} {:?}: {}",
            response.status(),
            response.decode_failure(),
            response.body_excerpt().unwrap_or_default()
        ),
        Err(other) => other.to_string(),
    }
}

/// What a scenario found: its name, and why it failed.
type Outcome = (&'static str, Result<(), String>);

fn check(name: &'static str, ok: bool, why: impl FnOnce() -> String) -> Outcome {
    (name, if ok { Ok(()) } else { Err(why()) })
}

#[tokio::test]
#[ignore = "needs Jupyter Server: tests/live/run.sh"]
async fn jupyter_server_through_its_generated_client() {
    let root = tempfile::tempdir().unwrap();
    let server = start_jupyter(root.path());
    // The spec declares no security scheme; the server wants a token: a default header.
    let client = jupyter::Client::new(&server.url).with_header("Authorization", format!("token {TOKEN}"));
    let mut outcomes: Vec<Outcome> = Vec::new();

    let version = client.get_api().send().await;
    outcomes.push(check("the version", version.as_ref().is_ok_and(|v| v.version.as_deref() == Some("2.14.2")), || {
        format!("{:?}", version.as_ref().map(|v| v.version.clone()))
    }));
    let status = client.get_api_status().send().await;
    outcomes.push(check("the status", status.is_ok(), || why(&status)));
    let me = client.get_api_me().send().await;
    outcomes.push(check("who I am", me.is_ok(), || why(&me)));
    let anonymous = jupyter::Client::new(&server.url).get_api_status().send().await;
    outcomes.push(check(
        "no token is refused by the server",
        anonymous.as_ref().err().and_then(|e| e.status()).is_some_and(|s| s == 403),
        || format!("{:?}", anonymous.as_ref().map(|r| r.status())),
    ));

    let directory = types::PutApiContentsByPathBody::builder().type_("directory".to_string());
    let made = client.put_api_contents_by_path().path("notes").body(directory).send().await;
    outcomes.push(check("create a directory", made.is_ok(), || why(&made)));
    let file = types::PutApiContentsByPathBody::builder()
        .type_("file".to_string())
        .format("text".to_string())
        .content("hello".to_string());
    let written = client.put_api_contents_by_path().path("notes/hello.txt").body(file.clone()).send().await;
    outcomes.push(check("write a file", written.is_ok(), || why(&written)));
    let read = client.get_api_contents_by_path().path("notes/hello.txt").content(1).send().await;
    outcomes.push(check("read it back", read.as_ref().is_ok_and(|c| c.content == serde_json::json!("hello")), || {
        why(&read)
    }));
    let listed = client.get_api_contents_by_path().path("notes").send().await;
    outcomes.push(check("list the directory", listed.as_ref().is_ok_and(|c| c.content.is_array()), || why(&listed)));
    let unread = client.get_api_contents_by_path().path("notes/hello.txt").content(0).send().await;
    outcomes.push(check(
        "a file's metadata without content",
        unread.as_ref().is_ok_and(|c| c.content.is_null()),
        || why(&unread),
    ));
    let odd = "notes/a b ü#?&=%+.txt";
    let wrote_odd = client.put_api_contents_by_path().path(odd).body(file).send().await;
    let read_odd = client.get_api_contents_by_path().path(odd).content(1).send().await;
    outcomes.push(check("a name with space, ü and #?&=%+", wrote_odd.is_ok() && read_odd.is_ok(), || {
        format!("{} / {}", why(&wrote_odd), why(&read_odd))
    }));
    let rename = types::PatchApiContentsByPathBody::builder().path("notes/renamed.txt".to_string());
    let renamed = client.patch_api_contents_by_path().path("notes/hello.txt").body(rename).send().await;
    outcomes.push(check("rename", renamed.as_ref().is_ok_and(|c| c.name == "renamed.txt"), || why(&renamed)));
    let deleted = client.delete_api_contents_by_path().path("notes/renamed.txt").send().await;
    outcomes.push(check("delete", deleted.is_ok(), || why(&deleted)));
    let missing = client.get_api_contents_by_path().path("notes/renamed.txt").send().await;
    outcomes.push(check(
        "a missing file is the documented 404",
        missing.as_ref().err().and_then(|e| e.status()).is_some_and(|s| s == 404),
        || format!("{:?}", missing.as_ref().map(|r| r.status())),
    ));
    let specs = client.get_api_kernelspecs().send().await;
    outcomes.push(check("kernel specs", specs.is_ok(), || why(&specs)));
    let sessions = client.get_api_sessions().send().await;
    outcomes.push(check("sessions", sessions.as_ref().is_ok_and(|s| s.is_empty()), || why(&sessions)));

    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(name, result)| result.as_ref().err().map(|why| format!("{name}: {why}")))
        .collect();
    println!("jupyter: {}/{} scenarios pass", outcomes.len() - failed.len(), outcomes.len());
    assert!(failed.is_empty(), "{} of {} scenarios failed:\n{}", failed.len(), outcomes.len(), failed.join("\n"));
}
