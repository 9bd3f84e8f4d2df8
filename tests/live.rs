//! The live suite: generated clients against real servers, installed from the package registries
//! and started on 127.0.0.1 (`tests/live/run.sh` installs them; each test here starts its
//! server and stops it). Ignored by the README's test command, which must pass on a machine
//! without them; `.ci/run` runs it through `tests/live/run.sh`.
//!
//! - Jupyter Server 2.14.2 (PyPI) and its client, generated from the `api.yaml` that wheel
//!   ships, byte for byte (`tests/fixtures/compile/jupyter-server-2.14.2.yaml`).
//! - Prometheus Alertmanager 0.25.0 (Debian 12) and its client, generated from the
//!   `api/v2/openapi.yaml` of its v0.25.0 tag (`tests/fixtures/compile/alertmanager-0.25.0.yaml`).
//! - etcd 3.4.23 (Debian 12), its JSON gateway, and its client, generated from the
//!   `rpc.swagger.json` of its v3.4.23 tag (`tests/fixtures/compile/etcd-3.4.23.json`), auth off.
//!
//! Each test reports `<server>: <passing>/<scenarios> scenarios pass` and fails listing every
//! failed scenario with where its answer did not decode.

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

/// Starts `command` (serving on 127.0.0.1:`port`), and waits until the port answers; fails
/// loudly, with the server's output, when it does not within 60 s or exits.
fn start(name: &str, mut command: Command, port: u16) -> Server {
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{name} does not start ({e}): run tests/live/install.sh"));
    let mut server = Server { child, url: format!("http://127.0.0.1:{port}") };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(60) || server.child.try_wait().ok().flatten().is_some() {
            let _ = server.child.kill();
            let mut output = String::new();
            if let Some(mut stderr) = server.child.stderr.take() {
                let _ = stderr.read_to_string(&mut output);
            }
            panic!("{name} did not start on port {port}:\n{output}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    server
}

/// Jupyter Server from the live venv on 127.0.0.1, serving `root`.
fn start_jupyter(root: &std::path::Path) -> Server {
    let venv = std::env::var("LIVE_VENV").expect("LIVE_VENV: run the live suite with tests/live/run.sh");
    let port = free_port();
    let mut command = Command::new(format!("{venv}/bin/jupyter-server"));
    command
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
        .env("JUPYTER_DATA_DIR", root.join(".data"));
    start("Jupyter Server", command, port)
}

/// etcd (Debian's) on 127.0.0.1, one member, its data in `root`.
fn start_etcd(root: &std::path::Path) -> Server {
    let (port, peer) = (free_port(), free_port());
    let mut command = Command::new("etcd");
    command.args([
        "--name=live",
        &format!("--data-dir={}", root.join("etcd").display()),
        &format!("--listen-client-urls=http://127.0.0.1:{port}"),
        &format!("--advertise-client-urls=http://127.0.0.1:{port}"),
        &format!("--listen-peer-urls=http://127.0.0.1:{peer}"),
        &format!("--initial-advertise-peer-urls=http://127.0.0.1:{peer}"),
        &format!("--initial-cluster=live=http://127.0.0.1:{peer}"),
    ]);
    start("etcd", command, port)
}

/// Alertmanager (Debian's) on 127.0.0.1 with one receiver, its state in `root`, clustering off.
fn start_alertmanager(root: &std::path::Path) -> Server {
    let config = root.join("alertmanager.yml");
    std::fs::write(&config, "route:\n  receiver: team\nreceivers:\n  - name: team\n").unwrap();
    let port = free_port();
    let mut command = Command::new("prometheus-alertmanager");
    command.args([
        &format!("--config.file={}", config.display()),
        &format!("--storage.path={}", root.join("data").display()),
        &format!("--web.listen-address=127.0.0.1:{port}"),
        "--cluster.listen-address=",
    ]);
    start("Alertmanager", command, port)
}

/// Why a call failed, with where its body did not decode.
fn why<T>(result: &Result<T, fixture_clients::runtime::Error<impl std::fmt::Debug>>) -> String {
    use fixture_clients::runtime::BodyExcerpt;
    match result {
        Ok(_) => "it succeeded".into(),
        Err(fixture_clients::runtime::Error::UnexpectedResponse(response)) => format!(
            "{} {:?}: {}",
            response.status(),
            response.decode_failure(),
            response.body_excerpt().unwrap_or_default()
        ),
        Err(fixture_clients::runtime::Error::ErrorResponse(value)) => {
            format!("{} {:?}; as sent: {}", value.status(), **value, value.body_excerpt().unwrap_or_default())
        }
        Err(other) => other.to_string(),
    }
}

/// What a scenario found: its name, and why it failed.
type Outcome = (&'static str, Result<(), String>);

fn check(name: &'static str, ok: bool, why: impl FnOnce() -> String) -> Outcome {
    (name, if ok { Ok(()) } else { Err(why()) })
}

/// Prints `<server>: <passing>/<scenarios> scenarios pass`, and fails listing every failed one.
fn report(server: &str, outcomes: &[Outcome]) {
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(name, result)| result.as_ref().err().map(|why| format!("{name}: {why}")))
        .collect();
    println!("{server}: {}/{} scenarios pass", outcomes.len() - failed.len(), outcomes.len());
    assert!(failed.is_empty(), "{} of {} scenarios failed:\n{}", failed.len(), outcomes.len(), failed.join("\n"));
}

/// The first answer of `call` that is not an error, trying for 5 s: a server needs a moment
/// after it listens before its API answers. The last error otherwise.
async fn first_answer<T, E, F, Fut>(mut call: F) -> Result<T, fixture_clients::runtime::Error<E>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, fixture_clients::runtime::Error<E>>>,
{
    let mut answer = call().await;
    for _ in 0..25 {
        if answer.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        answer = call().await;
    }
    answer
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

    report("jupyter", &outcomes);
}

#[tokio::test]
#[ignore = "needs Alertmanager: tests/live/run.sh"]
async fn alertmanager_through_its_generated_client() {
    use fixture_clients::alertmanager::{self, types as am};
    let root = tempfile::tempdir().unwrap();
    let server = start_alertmanager(root.path());
    let client = alertmanager::Client::new(&format!("{}/api/v2", server.url));
    let mut outcomes: Vec<Outcome> = Vec::new();
    let status = first_answer(|| client.get_status().send()).await;
    outcomes.push(check(
        "the status and version",
        status.as_ref().is_ok_and(|s| s.version_info.version == "0.25.0"),
        || why(&status),
    ));
    let receivers = client.get_receivers().send().await;
    outcomes.push(check("the receivers", receivers.as_ref().is_ok_and(|r| r.iter().any(|r| r.name == "team")), || {
        why(&receivers)
    }));
    let labels =
        |pairs: &[(&str, &str)]| am::LabelSet(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
    let alert = am::PostableAlert {
        labels: labels(&[("alertname", "DiskFull"), ("host", "db-1")]),
        annotations: Some(labels(&[("summary", "disk 97% full")])),
        starts_at: None,
        ends_at: None,
        generator_url: None,
    };
    let posted = client.post_alerts().body(am::PostableAlerts(vec![alert])).send().await;
    outcomes.push(check("post an alert", posted.is_ok(), || why(&posted)));
    let filtered = client.get_alerts().filter(vec!["host=\"db-1\"".to_string()]).send().await;
    outcomes.push(check(
        "list alerts with a filter",
        filtered
            .as_ref()
            .is_ok_and(|a| a.len() == 1 && a[0].labels.get("alertname").map(String::as_str) == Some("DiskFull")),
        || why(&filtered),
    ));
    let groups = client.get_alert_groups().send().await;
    outcomes.push(check("alert groups", groups.as_ref().is_ok_and(|g| !g.is_empty()), || why(&groups)));
    let now = chrono::Utc::now();
    let silence = am::PostableSilence {
        comment: "maintenance".into(),
        created_by: "live suite".into(),
        starts_at: now,
        ends_at: now + chrono::Duration::hours(1),
        id: None,
        matchers: am::Matchers(vec![am::Matcher {
            name: "host".into(),
            value: "db-1".into(),
            is_regex: false,
            is_equal: Some(true),
        }]),
    };
    let created = client.post_silences().body(silence).send().await;
    outcomes.push(check("create a silence", created.as_ref().is_ok_and(|c| c.silence_id.is_some()), || why(&created)));
    let id = created.ok().and_then(|c| c.into_inner().silence_id).unwrap_or_default();
    let got = client.get_silence().silence_id(id.as_str()).send().await;
    outcomes.push(check("read it", got.as_ref().is_ok_and(|s| s.comment == "maintenance"), || why(&got)));
    let silenced = client.get_alerts().silenced(true).active(false).send().await;
    outcomes.push(check("the alert is silenced", silenced.is_ok(), || why(&silenced)));
    let deleted = client.delete_silence().silence_id(id.as_str()).send().await;
    outcomes.push(check("expire it", deleted.is_ok(), || why(&deleted)));
    let missing = client.get_silence().silence_id("00000000-0000-0000-0000-000000000000").send().await;
    outcomes.push(check(
        "a missing silence is the documented 404",
        missing.as_ref().err().and_then(|e| e.status()).is_some_and(|s| s == 404),
        || why(&missing),
    ));
    let listed = client.get_silences().send().await;
    outcomes.push(check("list silences", listed.as_ref().is_ok_and(|l| l.len() == 1), || why(&listed)));
    let bad = client.get_alerts().filter(vec!["not a matcher".to_string()]).send().await;
    outcomes.push(check(
        "a bad filter is the documented 400, the body as sent beside it",
        matches!(&bad, Err(fixture_clients::runtime::Error::ErrorResponse(e))
            if e.status() == 400 && e.raw_body().is_some_and(|body| String::from_utf8_lossy(body).contains("matcher"))),
        || why(&bad),
    ));

    report("alertmanager", &outcomes);
}

#[tokio::test]
#[ignore = "needs etcd: tests/live/run.sh"]
async fn etcd_through_its_generated_client() {
    use base64::Engine;
    use fixture_clients::etcd::{self, types as et};
    use fixture_clients::runtime::paginate::StreamExt;
    let b64 = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    let root = tempfile::tempdir().unwrap();
    let server = start_etcd(root.path());
    // The spec declares no credentials this server wants (auth is off): sent without.
    let client = etcd::Client::new(&server.url);
    let mut outcomes: Vec<Outcome> = Vec::new();
    let status = first_answer(|| client.status().body(et::EtcdserverpbStatusRequest(Default::default())).send()).await;
    outcomes.push(check(
        "the status and version",
        status.as_ref().is_ok_and(|s| s.version.as_deref() == Some("3.4.23")),
        || why(&status),
    ));
    let put =
        client.put().body(et::EtcdserverpbPutRequest::builder().key(b64("greeting")).value(b64("hello"))).send().await;
    outcomes.push(check("put a key", put.is_ok(), || why(&put)));
    let range = client.range().body(et::EtcdserverpbRangeRequest::builder().key(b64("greeting"))).send().await;
    outcomes.push(check(
        "read it back (int64 as strings, bytes as base64)",
        range
            .as_ref()
            .is_ok_and(|r| r.count.as_deref() == Some("1") && r.kvs[0].value.as_deref() == Some(b64("hello").as_str())),
        || why(&range),
    ));
    let members = client.member_list().body(et::EtcdserverpbMemberListRequest(Default::default())).send().await;
    outcomes.push(check(
        "members, with their client URLs (`clientURLs` is `client_urls`)",
        members.as_ref().is_ok_and(|m| m.members.first().is_some_and(|m| m.client_urls == [server.url.clone()])),
        || why(&members),
    ));
    let lease =
        client.lease_grant().body(et::EtcdserverpbLeaseGrantRequest::builder().ttl("60".to_string())).send().await;
    outcomes.push(check(
        "grant a lease",
        lease.as_ref().is_ok_and(|l| l.id.is_some() && l.ttl.as_deref() == Some("60")),
        || why(&lease),
    ));

    // A watch is a stream that never ends by design: read what a put causes, then drop it.
    let create: et::EtcdserverpbWatchCreateRequest =
        et::EtcdserverpbWatchCreateRequest::builder().key(b64("greeting")).try_into().unwrap();
    let watch = et::EtcdserverpbWatchRequest::builder().create_request(create);
    let events = client.watch().body(watch).lines().await;
    let watched = match events {
        Ok(mut events) => {
            let created = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
            let again = client
                .put()
                .body(et::EtcdserverpbPutRequest::builder().key(b64("greeting")).value(b64("hi")))
                .send()
                .await;
            let event = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
            match (created, again, event) {
                (Ok(Some(Ok(first))), Ok(_), Ok(Some(Ok(second)))) => {
                    let created = first.result.as_ref().and_then(|r| r.created) == Some(true);
                    let value = second
                        .result
                        .as_ref()
                        .and_then(|r| r.events.first())
                        .and_then(|e| e.kv.as_ref())
                        .and_then(|kv| kv.value.clone());
                    if created && value.as_deref() == Some(b64("hi").as_str()) {
                        Ok(())
                    } else {
                        Err(format!("{first:?} / {second:?}"))
                    }
                }
                (created, again, event) => Err(format!("{created:?} / {:?} / {event:?}", again.err())),
            }
        }
        Err(error) => Err(error.to_string()),
    };
    outcomes.push(("watch a key as JSON lines", watched));

    let deleted =
        client.delete_range().body(et::EtcdserverpbDeleteRangeRequest::builder().key(b64("greeting"))).send().await;
    outcomes
        .push(check("delete it", deleted.as_ref().is_ok_and(|d| d.deleted.as_deref() == Some("1")), || why(&deleted)));
    let gone = client.range().body(et::EtcdserverpbRangeRequest::builder().key(b64("greeting"))).send().await;
    outcomes.push(check("it is gone", gone.as_ref().is_ok_and(|r| r.kvs.is_empty()), || why(&gone)));
    let refused = client
        .authenticate()
        .body(et::EtcdserverpbAuthenticateRequest::builder().name("root".to_string()).password("x".to_string()))
        .send()
        .await;
    outcomes.push(check(
        "an error keeps the server's message",
        refused.as_ref().err().is_some_and(|e| {
            e.status().is_some_and(|s| s.is_client_error()) && why(&refused).contains("authentication is not enabled")
        }),
        || why(&refused),
    ));

    report("etcd", &outcomes);
}
