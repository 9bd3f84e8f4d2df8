//! What the runtime changes on the wire: deepObject pairs, documented names put back,
//! multipart bodies.

use codegen_runtime::{encode_path, DeepObject, Multipart};
use serde_json::json;

#[test]
fn deep_objects_are_sent_as_bracketed_pairs() {
    let value = json!({"created": {"gt": 1, "lt": "2"}, "tags": ["a", "b"], "gone": null, "on": true});
    let query = serde_urlencoded::to_string(DeepObject::new("filter", &value)).unwrap();
    let decoded: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
    // Which key comes first depends on serde_json's map order (`preserve_order` or not), which
    // a server does not care about; the pairs and the order within an array are what count.
    let mut pairs: Vec<(&str, &str)> = decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            ("filter[created][gt]", "1"),
            ("filter[created][lt]", "2"),
            ("filter[on]", "true"),
            ("filter[tags][]", "a"),
            ("filter[tags][]", "b"),
        ]
    );
}

#[test]
fn a_multipart_body_has_each_part_and_the_closing_boundary() {
    let body = Multipart::new().text("title", "Q\"3").file("file", "a.txt", "text/plain", b"hello").finish().unwrap();
    let b = Multipart::BOUNDARY;
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ\"3\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
         --{b}--\r\n"
    );
    assert_eq!(String::from_utf8(body).unwrap(), expected);
}

#[test]
fn a_part_holding_the_boundary_is_refused() {
    let contents = format!("x{}y", Multipart::BOUNDARY);
    let error = Multipart::new().text("note", contents).finish().unwrap_err();
    assert!(error.contains("contains its boundary"), "{error}");
}

#[test]
fn path_segments_are_encoded_as_rfc_3986_says() {
    assert_eq!(encode_path(r"a\b/c"), "a%5Cb%2Fc", "neither a backslash nor a slash starts another segment");
    assert_eq!(encode_path("[x]|^%"), "%5Bx%5D%7C%5E%25");
    assert_eq!(encode_path("café ü"), "caf%C3%A9%20%C3%BC");
    assert_eq!(encode_path("key:a@b!$&'()*+,;=-._~"), "key:a@b!$&'()*+,;=-._~", "pchar stays as it is");
    let url: reqwest::Url = format!("http://127.0.0.1/items/{}", encode_path(r"a\b")).parse().unwrap();
    assert_eq!(url.path(), "/items/a%5Cb", "the URL parser keeps it one segment");
}
