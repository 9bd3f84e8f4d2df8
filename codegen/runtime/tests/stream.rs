//! The stream parsers against the WHATWG event-stream rules and the JSON-lines formats, with the
//! body cut at every byte: a chunk may end inside a line, a CRLF or a UTF-8 sequence.

use codegen_runtime::stream::{LinesParser, RawEvent, SseParser};

/// Every event `body` yields when fed whole, checked to be the same for every two-chunk cut and
/// for one byte at a time.
fn events(body: &[u8]) -> Vec<RawEvent> {
    let whole = SseParser::default().feed(body);
    for cut in 0..=body.len() {
        let mut parser = SseParser::default();
        let mut got = parser.feed(&body[..cut]);
        got.extend(parser.feed(&body[cut..]));
        assert_eq!(got, whole, "cut at byte {cut}");
    }
    let mut parser = SseParser::default();
    let bytewise: Vec<RawEvent> = body.iter().flat_map(|b| parser.feed(std::slice::from_ref(b))).collect();
    assert_eq!(bytewise, whole, "one byte at a time");
    whole
}

fn event(event: Option<&str>, data: &str, id: Option<&str>, retry: Option<u64>) -> RawEvent {
    RawEvent { event: event.map(Into::into), data: data.into(), id: id.map(Into::into), retry }
}

#[test]
fn data_lines_join_with_newlines_and_one_space_after_the_colon_goes() {
    let got = events(b"data: first\ndata:second\ndata:  third\n\n");
    assert_eq!(got, [event(None, "first\nsecond\n third", None, None)]);
}

#[test]
fn cr_lf_and_crlf_all_end_lines_and_a_bom_at_the_start_is_skipped() {
    let got = events("\u{feff}data: a\r\rdata: b\r\n\r\ndata: c\n\n".as_bytes());
    assert_eq!(got, [event(None, "a", None, None), event(None, "b", None, None), event(None, "c", None, None)]);
}

#[test]
fn comments_and_unknown_fields_are_ignored_and_an_event_without_data_is_not_dispatched() {
    let got = events(b": keep-alive\n\nevent: ping\n\nfoo: bar\ndata: x\n\n");
    assert_eq!(got, [event(None, "x", None, None)], "the `ping` without data is not an event");
}

#[test]
fn event_type_id_and_retry_are_read_and_the_id_outlives_its_event() {
    let got =
        events(b"event: delta\nid: 7\nretry: 3000\ndata: {}\n\ndata: {}\n\nid\ndata: {}\n\nretry: 1x\ndata: {}\n\n");
    assert_eq!(
        got,
        [
            event(Some("delta"), "{}", Some("7"), Some(3000)),
            event(None, "{}", Some("7"), None),
            event(None, "{}", Some(""), None),
            event(None, "{}", Some(""), None),
        ],
        "an `id` with no value resets it; a `retry` that is not digits is ignored"
    );
}

#[test]
fn multibyte_text_survives_any_cut() {
    let got = events("data: grüße 👋\n\n".as_bytes());
    assert_eq!(got, [event(None, "grüße 👋", None, None)]);
}

#[test]
fn an_event_not_ended_by_a_blank_line_is_not_dispatched() {
    assert_eq!(events(b"data: cut short\n"), []);
}

#[test]
fn json_lines_and_json_seq_records_come_out_whole_at_any_cut() {
    let body = b"{\"n\":1}\n\n{\"n\":2}\r\n\x1e{\"n\":3}\n";
    let mut whole = LinesParser::default();
    let expected = whole.feed(body);
    assert_eq!(expected, [b"{\"n\":1}".to_vec(), b"{\"n\":2}".to_vec(), b"{\"n\":3}".to_vec()]);
    for cut in 0..=body.len() {
        let mut parser = LinesParser::default();
        let mut got = parser.feed(&body[..cut]);
        got.extend(parser.feed(&body[cut..]));
        got.extend(parser.finish());
        assert_eq!(got, expected, "cut at byte {cut}");
    }
    let mut unterminated = LinesParser::default();
    assert!(unterminated.feed(b"{\"n\":4}").is_empty());
    assert_eq!(unterminated.finish(), [b"{\"n\":4}".to_vec()], "the last line needs no newline");
}
