//! Streamed answers against a loopback server that writes its body chunk by chunk, cut where
//! the test says (inside lines and UTF-8 sequences), pausing where it says.

use std::time::Duration;

use fixture_clients::runtime::paginate::{StreamExt, TryStreamExt};
use fixture_clients::runtime::RequestOptions;
use fixture_clients::streams;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// What the server does after the request: send a chunk, or wait.
enum Step {
    Chunk(Vec<u8>),
    Pause(Duration),
    /// Waits until the test says it has read what came before.
    Await(tokio::sync::oneshot::Receiver<()>),
    /// Drops the connection in the middle of the body.
    Cut,
    /// Sends a comment every 20 ms until the client closes the connection, then says so.
    UntilClosed(tokio::sync::oneshot::Sender<()>),
}

/// A server for one request: answers `status` with `content_type`, then runs `steps`; returns
/// its URL and the request it received (head and body, as text).
async fn serve(status: u16, content_type: &str, steps: Vec<Step>) -> (String, mpsc::Receiver<String>) {
    serve_each(vec![(status, content_type, steps)]).await
}

/// A server for one request per answer, in order, each on its own connection.
async fn serve_each(answers: Vec<(u16, &str, Vec<Step>)>) -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (seen, requests) = mpsc::channel(8);
    let answers: Vec<(String, Vec<Step>)> = answers
        .into_iter()
        .map(|(status, content_type, steps)| {
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            (head, steps)
        })
        .collect();
    tokio::spawn(async move {
        for (head, steps) in answers {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            loop {
                let n = socket.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..n]);
                let text = String::from_utf8_lossy(&request).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                        })
                        .and_then(|v| v.parse::<usize>().ok())
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
                if n == 0 {
                    break;
                }
            }
            let _ = seen.send(String::from_utf8_lossy(&request).to_string()).await;
            socket.write_all(head.as_bytes()).await.unwrap();
            let mut cut = false;
            for step in steps {
                match step {
                    Step::Chunk(bytes) => {
                        let framed = [format!("{:x}\r\n", bytes.len()).into_bytes(), bytes, b"\r\n".to_vec()].concat();
                        if socket.write_all(&framed).await.is_err() {
                            break;
                        }
                        let _ = socket.flush().await;
                    }
                    Step::Pause(wait) => tokio::time::sleep(wait).await,
                    Step::Await(go) => {
                        let _ = go.await;
                    }
                    Step::Cut => {
                        cut = true;
                        break;
                    }
                    Step::UntilClosed(closed) => {
                        let ping = b"3\r\n:\n\n\r\n";
                        while socket.write_all(ping).await.is_ok() && socket.flush().await.is_ok() {
                            tokio::time::sleep(Duration::from_millis(20)).await;
                        }
                        let _ = closed.send(());
                        cut = true;
                        break;
                    }
                }
            }
            if !cut {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
        }
    });
    (url, requests)
}

fn chunks(body: &[u8], cuts: &[usize]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().chain([&body.len()]) {
        steps.push(Step::Chunk(body[start..cut].to_vec()));
        start = cut;
    }
    steps
}

#[tokio::test]
async fn a_chat_completion_streams_until_done_with_the_stream_flag_set() {
    let body = "data: {\"delta\":\"Grü\"}\n\n: keep-alive\n\ndata: {\"delta\":\"ße\"}\r\n\r\ndata: [DONE]\n\ndata: {\"delta\":\"never\"}\n\n";
    // Cut inside `ü`, inside the CRLF pair and inside a field name.
    let cuts = [body.find('ü').unwrap() + 1, body.find("\r\n").unwrap() + 1, body.find("[DONE]").unwrap() - 3];
    let (url, mut requests) = serve(200, "text/event-stream", chunks(body.as_bytes(), &cuts)).await;
    let client = streams::Client::new(&url);
    let events = client
        .create_completion()
        .body(streams::types::CreateCompletionBody { model: "m".into(), prompt: "hi".into(), stream: None })
        .events()
        .await
        .unwrap();
    let deltas: Vec<String> = events.map_ok(|event| event.data.delta).try_collect().await.unwrap();
    assert_eq!(deltas, ["Grü", "ße"], "nothing after [DONE]");
    let request = requests.recv().await.unwrap();
    assert!(request.to_ascii_lowercase().contains("accept: text/event-stream"), "{request}");
    assert!(request.contains("\"stream\":true"), "the flag is set: {request}");
}

#[tokio::test]
async fn a_documented_error_status_is_the_typed_error_before_any_event() {
    let (url, _) = serve(400, "application/json", vec![Step::Chunk(br#"{"message":"no such model"}"#.to_vec())]).await;
    let client = streams::Client::new(&url);
    let error = client
        .create_completion()
        .body(streams::types::CreateCompletionBody { model: "m".into(), prompt: "hi".into(), stream: None })
        .events()
        .await
        .err()
        .expect("an error, not a stream");
    match error {
        fixture_clients::runtime::Error::ErrorResponse(problem) => {
            assert_eq!(problem.status(), 400);
            assert_eq!(problem.into_inner().message.as_deref(), Some("no such model"));
        }
        other => panic!("expected the documented error, got {other}"),
    }
}

#[tokio::test]
async fn the_first_event_arrives_before_the_server_sends_the_rest() {
    let (go, wait) = tokio::sync::oneshot::channel();
    let steps = vec![
        Step::Chunk(b"data: {\"n\": 1}\n\n".to_vec()),
        Step::Await(wait),
        Step::Chunk(b"data: {\"n\": 2}\n\n".to_vec()),
    ];
    let (url, _) = serve(200, "text/event-stream", steps).await;
    let client = streams::Client::new(&url);
    let mut events = client.tail_logs().events().await.unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), events.next()).await.expect("not buffered whole");
    assert_eq!(first.unwrap().unwrap().data, serde_json::json!({"n": 1}));
    go.send(()).unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data, serde_json::json!({"n": 2}));
    assert!(events.next().await.is_none(), "the stream ends with the answer");
}

#[tokio::test]
async fn a_silent_stream_fails_after_its_idle_timeout_and_ends() {
    let steps = vec![Step::Chunk(b"data: {\"n\": 1}\n\n".to_vec()), Step::Pause(Duration::from_secs(5))];
    let (url, _) = serve(200, "text/event-stream", steps).await;
    let client = streams::Client::new(&url);
    let options = RequestOptions::new().stream_idle(Duration::from_millis(300));
    let mut events = client.with_options(options).tail_logs().events().await.unwrap();
    assert!(events.next().await.unwrap().is_ok());
    let idle = events.next().await.unwrap().unwrap_err();
    assert!(idle.to_string().contains("no data for"), "{idle}");
    assert!(events.next().await.is_none(), "an error item is the last");
}

#[tokio::test]
async fn json_lines_decode_one_value_per_line_and_a_bad_line_ends_the_stream() {
    let body = b"{\"id\":\"a\",\"op\":\"put\"}\n\n{\"id\":\"b\",\"op\":\"delete\"}\n{\"id\":3}\n{\"id\":\"c\",\"op\":\"put\"}\n";
    let (url, mut requests) = serve(200, "application/x-ndjson", chunks(body, &[5, 30])).await;
    let client = streams::Client::new(&url);
    let mut lines = client.watch_items().since(7).lines().await.unwrap();
    assert_eq!(lines.next().await.unwrap().unwrap().id, "a");
    assert_eq!(lines.next().await.unwrap().unwrap().op, streams::types::ChangeOp::Delete);
    assert!(matches!(lines.next().await.unwrap(), Err(fixture_clients::runtime::Error::InvalidResponsePayload(..))));
    assert!(lines.next().await.is_none(), "a value that does not decode is the last item");
    let request = requests.recv().await.unwrap();
    assert!(request.starts_with("GET /watch?since=7 "), "{request}");
    assert!(request.to_ascii_lowercase().contains("accept: application/x-ndjson"), "{request}");
}

#[tokio::test]
async fn a_download_is_read_chunk_by_chunk_as_the_server_sends_it() {
    let (go, wait) = tokio::sync::oneshot::channel();
    let first = vec![7u8; 64 * 1024];
    let steps = vec![Step::Chunk(first.clone()), Step::Await(wait), Step::Chunk(b"the end".to_vec())];
    let (url, _) = serve(200, "application/octet-stream", steps).await;
    let client = streams::Client::new(&url);
    let answer = tokio::time::timeout(Duration::from_secs(5), client.download_export().send())
        .await
        .expect("send returns after the status, before the body is over")
        .unwrap();
    let mut body = answer.into_inner().into_inner();
    let mut received = Vec::new();
    while received.len() < first.len() {
        let chunk = tokio::time::timeout(Duration::from_secs(5), body.next()).await.expect("not buffered whole");
        received.extend_from_slice(&chunk.unwrap().unwrap());
    }
    assert_eq!(received, first, "the first chunk arrived while the server still waits");
    go.send(()).unwrap();
    let mut rest = Vec::new();
    while let Some(chunk) = body.next().await {
        rest.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(rest, b"the end");
}

#[tokio::test]
async fn a_grpc_gateway_stream_is_json_lines_of_results_and_errors() {
    let body = b"{\"result\":{\"watch_id\":\"7\",\"events\":[{\"type\":\"PUT\"}]}}\n{\"error\":{\"code\":14,\"message\":\"unavailable\"}}\n";
    let (url, mut requests) = serve(200, "application/json", chunks(body, &[10])).await;
    let client = fixture_clients::grpc_stream::Client::new(&url);
    let body = fixture_clients::grpc_stream::types::WatchRequest { key: Some("a2V5".into()) };
    let items: Vec<_> = client.watch_watch().body(body).lines().await.unwrap().try_collect().await.unwrap();
    assert_eq!(items.len(), 2);
    let result = items[0].result.as_ref().unwrap();
    assert_eq!(result.watch_id.as_deref(), Some("7"));
    assert_eq!(items[1].error.as_ref().unwrap().message.as_deref(), Some("unavailable"));
    let request = requests.recv().await.unwrap();
    assert!(request.starts_with("POST /v3/watch "), "{request}");
}

#[tokio::test]
async fn a_broken_feed_resumes_with_the_last_event_id_and_ends_at_its_documented_sentinel() {
    let first = b"retry: 10\nid: 1\ndata: {\"title\":\"a\"}\n\ndata: {\"title\":\"half".to_vec();
    let second = b"id: 2\ndata: {\"title\":\"b\"}\n\ndata: END\n\ndata: {\"title\":\"never\"}\n\n".to_vec();
    let answers = vec![
        (200, "text/event-stream", vec![Step::Chunk(first), Step::Cut]),
        (200, "text/event-stream", vec![Step::Chunk(second)]),
    ];
    let (url, mut requests) = serve_each(answers).await;
    let client = streams::Client::new(&url);
    let events: Vec<_> = client.follow_feed().events().await.unwrap().try_collect().await.unwrap();
    let titles: Vec<&str> = events.iter().map(|e| e.data.title.as_str()).collect();
    assert_eq!(titles, ["a", "b"], "the half event is dropped, nothing after END");
    assert_eq!(events[1].id.as_deref(), Some("2"));
    let first = requests.recv().await.unwrap().to_ascii_lowercase();
    assert!(!first.contains("last-event-id"), "{first}");
    let again = requests.recv().await.unwrap().to_ascii_lowercase();
    assert!(again.starts_with("get /feed "), "{again}");
    assert!(again.contains("last-event-id: 1\r\n"), "resumed after the last id: {again}");
}

#[tokio::test]
async fn an_error_event_is_the_operations_typed_error_and_the_last_item() {
    let body =
        b"data: {\"title\":\"a\"}\n\nevent: error\ndata: {\"message\":\"overloaded\"}\n\ndata: {\"title\":\"b\"}\n\n";
    let (url, _) = serve(200, "text/event-stream", chunks(body, &[20])).await;
    let client = streams::Client::new(&url);
    let mut events = client.follow_feed().events().await.unwrap();
    assert_eq!(events.next().await.unwrap().unwrap().data.title, "a");
    match events.next().await.unwrap() {
        Err(fixture_clients::runtime::Error::ErrorResponse(problem)) => {
            assert_eq!(problem.status(), 200, "the status of the stream that carried it");
            assert_eq!(problem.into_inner().message.as_deref(), Some("overloaded"));
        }
        other => panic!("expected the typed error, got {other:?}"),
    }
    assert!(events.next().await.is_none(), "an error event is the last item");
}

#[tokio::test]
async fn the_stream_flag_an_overlay_names_is_the_one_set() {
    let (url, mut requests) =
        serve(200, "text/event-stream", vec![Step::Chunk(b"data: {\"delta\":\"x\"}\n\n".to_vec())]).await;
    let client = streams::Client::new(&url);
    let body = streams::types::CreateAnswerBody { question: "why".into(), streaming: None };
    let deltas: Vec<_> = client.create_answer().body(body).events().await.unwrap().try_collect().await.unwrap();
    assert_eq!(deltas.len(), 1);
    let request = requests.recv().await.unwrap();
    assert!(request.contains("\"streaming\":true"), "the flag `x-codegen-stream-flag` names: {request}");
}

#[tokio::test]
async fn another_documented_response_media_type_is_asked_for_and_read_as_bytes() {
    let (url, mut requests) = serve(200, "text/csv", chunks(b"a,b\n1,2\n", &[3])).await;
    let client = streams::Client::new(&url);
    let answer = client.get_report().send_csv().await.unwrap();
    assert_eq!(answer.headers()["content-type"], "text/csv");
    let mut body = answer.into_inner().into_inner();
    let mut csv = Vec::new();
    while let Some(chunk) = body.next().await {
        csv.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(csv, b"a,b\n1,2\n");
    let request = requests.recv().await.unwrap().to_ascii_lowercase();
    assert!(request.contains("accept: text/csv\r\n"), "{request}");

    let (url, _) = serve(404, "application/json", vec![Step::Chunk(br#"{"message":"no report"}"#.to_vec())]).await;
    let client = streams::Client::new(&url);
    match client.get_report().send_pdf().await {
        Err(fixture_clients::runtime::Error::ErrorResponse(problem)) => {
            assert_eq!(problem.into_inner().message.as_deref(), Some("no report"))
        }
        other => panic!("expected the documented error, got {:?}", other.map(|r| r.status())),
    }
}

#[tokio::test]
async fn a_body_documented_as_a_form_and_as_text_too_is_sent_as_each() {
    let note = streams::types::Note { text: "hi there".into(), pinned: Some(true) };
    let (url, mut requests) =
        serve(201, "application/json", vec![Step::Chunk(br#"{"text":"hi there"}"#.to_vec())]).await;
    let client = streams::Client::new(&url);
    let created = client.create_note_form().body(note).send().await.unwrap();
    assert_eq!(created.into_inner().text, "hi there");
    let request = requests.recv().await.unwrap();
    assert!(request.to_ascii_lowercase().contains("content-type: application/x-www-form-urlencoded"), "{request}");
    assert!(request.ends_with("\r\n\r\npinned=true&text=hi+there"), "{request}");

    let (url, mut requests) = serve(201, "application/json", vec![Step::Chunk(br#"{"text":"plain"}"#.to_vec())]).await;
    let client = streams::Client::new(&url);
    client.create_note_text().body("plain").send().await.unwrap();
    let request = requests.recv().await.unwrap();
    assert!(request.to_ascii_lowercase().contains("content-type: text/plain"), "{request}");
    assert!(request.ends_with("\r\n\r\nplain"), "{request}");
}

#[tokio::test]
async fn a_download_outlives_the_call_deadline_but_not_its_idle_timeout() {
    let steps =
        vec![Step::Chunk(b"one".to_vec()), Step::Pause(Duration::from_millis(700)), Step::Chunk(b"two".to_vec())];
    let (url, _) = serve(200, "application/octet-stream", steps).await;
    let client = streams::Client::new(&url);
    let options = RequestOptions::new().timeout(Duration::from_millis(300)).stream_idle(Duration::from_secs(5));
    let answer = client.with_options(options).download_export().send().await.unwrap();
    let mut body = answer.into_inner().into_inner();
    let mut received = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| format!("{e:?}")).unwrap();
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, b"onetwo", "a body longer than the 300 ms deadline is read whole");

    let steps = vec![Step::Chunk(b"one".to_vec()), Step::Pause(Duration::from_secs(5))];
    let (url, _) = serve(200, "application/octet-stream", steps).await;
    let client = streams::Client::new(&url);
    let options = RequestOptions::new().stream_idle(Duration::from_millis(300));
    let answer = client.with_options(options).download_export().send().await.unwrap();
    let mut body = answer.into_inner().into_inner();
    assert_eq!(&body.next().await.unwrap().unwrap()[..], b"one");
    let idle = body.next().await.unwrap().unwrap_err();
    let mut chain = idle.to_string();
    let mut source = std::error::Error::source(&idle);
    while let Some(error) = source {
        chain.push_str(&format!(": {error}"));
        source = error.source();
    }
    assert!(chain.contains("no data for 300ms; the stream is given up"), "the idle timeout says so: {chain}");
    assert!(body.next().await.is_none(), "an error item is the last");
}

#[tokio::test]
async fn events_told_apart_by_name_decode_into_the_variant_their_name_chooses_and_others_are_passed_over() {
    // `ping` is no documented name: passed over, as a type the vendor adds later would be.
    let body = b"event: delta\ndata: {\"text\":\"Hel\"}\n\nevent: ping\ndata: {}\n\nevent: delta\ndata: {\"text\":\"lo\"}\n\nevent: usage\ndata: {\"tokens\":2}\n\n";
    let (url, _) = serve(200, "text/event-stream", chunks(body, &[17])).await;
    let client = fixture_clients::events::Client::new(&url);
    let body = fixture_clients::events::types::ChatBody { prompt: "hi".into() };
    let events: Vec<_> = client.chat().body(body).events().await.unwrap().try_collect().await.unwrap();
    use fixture_clients::events::types::ChatEvent;
    let texts: Vec<&str> = events
        .iter()
        .filter_map(|e| match &e.data {
            ChatEvent::Delta(delta) => Some(delta.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, ["Hel", "lo"]);
    assert!(matches!(&events[2].data, ChatEvent::Usage(usage) if usage.tokens == 2), "{:?}", events[2]);
    assert_eq!(events[2].event.as_deref(), Some("usage"));
}

#[tokio::test]
async fn an_event_schema_that_describes_the_envelope_decodes_each_data() {
    // The spec wraps the entry in `data`: the server sends the entry, or (rarely) the wrapper.
    let body = b"data: {\"title\":\"a\"}\n\ndata: {\"data\":{\"title\":\"b\"}}\n\n";
    let (url, _) = serve(200, "text/event-stream", chunks(body, &[9])).await;
    let client = fixture_clients::events::Client::new(&url);
    let events: Vec<_> = client.read_feed().events().await.unwrap().try_collect().await.unwrap();
    let titles: Vec<&str> = events.iter().map(|e| e.data.title.as_str()).collect();
    assert_eq!(titles, ["a", "b"]);
}

#[tokio::test]
async fn event_data_that_is_no_json_reads_as_text() {
    let (url, _) = serve(200, "text/event-stream", vec![Step::Chunk(b"data: plain words\n\n".to_vec())]).await;
    let client = streams::Client::new(&url);
    let events: Vec<_> = client.tail_logs().events().await.unwrap().try_collect().await.unwrap();
    assert_eq!(events[0].data, serde_json::json!("plain words"));
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let (closed, was_closed) = tokio::sync::oneshot::channel();
    let steps = vec![Step::Chunk(b"data: {\"n\": 1}\n\n".to_vec()), Step::UntilClosed(closed)];
    let (url, _) = serve(200, "text/event-stream", steps).await;
    let client = streams::Client::new(&url);
    let mut events = client.tail_logs().events().await.unwrap();
    assert!(events.next().await.unwrap().is_ok());
    // Keep-alive comments arrive and are passed over while the stream is held.
    tokio::time::sleep(Duration::from_millis(100)).await;
    drop(events);
    tokio::time::timeout(Duration::from_secs(5), was_closed)
        .await
        .expect("the server saw the connection close")
        .unwrap();
}

#[tokio::test]
async fn json_seq_records_decode_one_value_each() {
    let body = b"\x1e{\"id\":\"a\",\"op\":\"put\"}\n\x1e{\"id\":\"b\",\"op\":\"delete\"}\n";
    let (url, mut requests) = serve(200, "application/json-seq", chunks(body, &[1, 12])).await;
    let client = streams::Client::new(&url);
    let changes: Vec<_> = client.watch_ticks().lines().await.unwrap().try_collect().await.unwrap();
    let ids: Vec<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    let request = requests.recv().await.unwrap().to_ascii_lowercase();
    assert!(request.contains("accept: application/json-seq\r\n"), "{request}");
}
