//! Media types whose body is a sequence of items read as they arrive, not one document.

/// How a streamed body is cut into items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamKind {
    /// Server-sent events (`text/event-stream`): each event's `data` is an item.
    Events,
    /// One JSON value per line (`application/x-ndjson`, `application/jsonl`, ...) or per
    /// record (`application/json-seq`, RFC 7464).
    JsonLines,
}

/// The stream kind of `media_type` (parameters and case ignored), or `None` for a body read
/// whole.
pub fn stream_kind(media_type: &str) -> Option<StreamKind> {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(StreamKind::Events),
        "application/x-ndjson"
        | "application/ndjson"
        | "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines"
        | "application/json-seq"
        | "application/stream+json" => Some(StreamKind::JsonLines),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_media_types_are_told_from_documents() {
        assert_eq!(stream_kind("text/event-stream; charset=utf-8"), Some(StreamKind::Events));
        assert_eq!(stream_kind("Application/X-NDJSON"), Some(StreamKind::JsonLines));
        assert_eq!(stream_kind("application/json-seq"), Some(StreamKind::JsonLines));
        assert_eq!(stream_kind("application/json"), None);
        assert_eq!(stream_kind("text/plain"), None);
    }
}
