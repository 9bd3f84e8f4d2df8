//! `multipart/form-data` bodies.

/// A `multipart/form-data` body, for the operations the documentation gives one (their method
/// takes the bytes `finish` returns; the client sends them with this boundary).
///
/// ```ignore
/// let form = Multipart::new().text("title", "Q3").file("file", "q3.pdf", "application/pdf", bytes).finish()?;
/// client.upload().body(form).send().await?;
/// ```
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    body: Vec<u8>,
    /// Whether a part's contents hold the boundary.
    holds_boundary: bool,
}

impl Multipart {
    /// The boundary between parts. It is fixed so that the Content-Type each operation sends
    /// can be written into the client beside it; the generator keeps the same constant
    /// (`codegen::lower::bodies::MULTIPART_BOUNDARY`, checked by a test).
    pub const BOUNDARY: &'static str = "codegen-form-boundary-6b1f0e4d9a2c57e3";

    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(self, name: &str, value: impl AsRef<str>) -> Self {
        self.part(name, None, None, value.as_ref().as_bytes())
    }

    /// Adds a file: its field name, file name, media type and contents.
    pub fn file(self, name: &str, file_name: &str, content_type: &str, contents: impl AsRef<[u8]>) -> Self {
        self.part(name, Some(file_name), Some(content_type), contents.as_ref())
    }

    /// The head of a part: its boundary line, `Content-Disposition` and `Content-Type`.
    fn head(name: &str, file_name: Option<&str>, content_type: Option<&str>) -> String {
        // Quotes and line breaks in names are percent-escaped, as browsers do.
        let quoted = |text: &str| text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A");
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", Self::BOUNDARY, quoted(name));
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
        }
        if let Some(content_type) = content_type {
            head.push_str(&format!("\r\nContent-Type: {}", quoted(content_type)));
        }
        head.push_str("\r\n\r\n");
        head
    }

    fn part(mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, contents: &[u8]) -> Self {
        let head = Self::head(name, file_name, content_type);
        let boundary = Self::BOUNDARY.as_bytes();
        self.holds_boundary |= contents.windows(boundary.len()).any(|w| w == boundary);
        self.body.extend_from_slice(head.as_bytes());
        self.body.extend_from_slice(contents);
        self.body.extend_from_slice(b"\r\n");
        self
    }

    /// The body's bytes.
    ///
    /// # Errors
    /// When a part contains the boundary (which would cut the body short on the server).
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        if self.holds_boundary {
            return Err(format!("a part of the form contains its boundary `{}`", Self::BOUNDARY));
        }
        self.body.extend_from_slice(format!("--{}--\r\n", Self::BOUNDARY).as_bytes());
        Ok(self.body)
    }
}

/// A file sent as a part of a typed form: its contents in memory, or read from disk while the
/// body is sent (never held whole).
#[derive(Clone, Debug)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    source: Source,
}

#[derive(Clone, Debug)]
enum Source {
    Bytes(bytes::Bytes),
    Path(std::path::PathBuf),
}

impl FilePart {
    /// A file from memory, as `application/octet-stream`.
    pub fn from_bytes(file_name: impl Into<String>, contents: impl Into<bytes::Bytes>) -> Self {
        Self { file_name: file_name.into(), content_type: OCTET_STREAM.into(), source: Source::Bytes(contents.into()) }
    }

    /// A file read from `path` as the request is sent (so a large file is never held in
    /// memory), named after the path's last component, as `application/octet-stream`. A form
    /// with such a part is sent once, not retried: its body cannot be replayed.
    pub fn from_path(path: impl Into<std::path::PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Self { file_name, content_type: OCTET_STREAM.into(), source: Source::Path(path) }
    }

    /// The same file with another media type (`image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The same file under another name.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }
}

const OCTET_STREAM: &str = "application/octet-stream";

/// What the documentation says of a form's part, for [`Form::check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartRule {
    /// The part's name.
    pub name: &'static str,
    /// Whether the form must have it.
    pub required: bool,
    /// The fewest characters a text part may have.
    pub min_length: Option<usize>,
    /// The most characters a text part may have.
    pub max_length: Option<usize>,
}

/// The parts of a `multipart/form-data` body, in the order given. The generated form types
/// wrap it, one setter per documented part; [`Form::check`] enforces what the documentation
/// says before anything is sent.
#[derive(Clone, Debug, Default)]
pub struct Form {
    parts: Vec<(String, FormValue)>,
    problems: Vec<String>,
}

#[derive(Clone, Debug)]
enum FormValue {
    Text(String, Option<&'static str>),
    File(FilePart),
}

impl Form {
    /// A text part.
    pub fn text(mut self, name: &str, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), FormValue::Text(value.into(), None)));
        self
    }

    /// A JSON part (`Content-Type: application/json`), as OpenAPI sends an object.
    pub fn json(mut self, name: &str, value: &impl serde::Serialize) -> Self {
        match serde_json::to_string(value) {
            Ok(text) => self.parts.push((name.into(), FormValue::Text(text, Some("application/json")))),
            Err(e) => self.problems.push(format!("{name}: {e}")),
        }
        self
    }

    /// A file part.
    pub fn file(mut self, name: &str, file: FilePart) -> Self {
        self.parts.push((name.into(), FormValue::File(file)));
        self
    }

    /// Checks the form against `rules`: every required part present, every text part within
    /// its limits.
    ///
    /// # Errors
    /// Every problem found, each naming its part, joined by `; `.
    pub fn check(&self, rules: &[PartRule]) -> Result<(), String> {
        let mut problems = self.problems.clone();
        for rule in rules {
            let given: Vec<&FormValue> = self.parts.iter().filter(|(n, _)| n == rule.name).map(|(_, v)| v).collect();
            if rule.required && given.is_empty() {
                problems.push(format!("{}: required, not given", rule.name));
            }
            for value in given {
                let FormValue::Text(text, None) = value else { continue };
                let length = text.chars().count();
                if rule.min_length.is_some_and(|least| length < least) {
                    problems.push(format!("{}: shorter than {} characters", rule.name, rule.min_length.unwrap_or(0)));
                }
                if rule.max_length.is_some_and(|most| length > most) {
                    problems.push(format!("{}: longer than {} characters", rule.name, rule.max_length.unwrap_or(0)));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// The body, sent with [`Multipart::BOUNDARY`]: whole when every part is in memory (so it
    /// can be retried), streamed when a file is read from disk.
    ///
    /// # Errors
    /// When a part held in memory contains the boundary.
    pub fn into_body(self) -> Result<reqwest::Body, String> {
        let streamed =
            self.parts.iter().any(|(_, v)| matches!(v, FormValue::File(FilePart { source: Source::Path(_), .. })));
        if !streamed {
            let mut whole = Multipart::new();
            for (name, value) in self.parts {
                whole = match value {
                    FormValue::Text(text, None) => whole.text(&name, text),
                    FormValue::Text(text, Some(media)) => whole.part(&name, None, Some(media), text.as_bytes()),
                    FormValue::File(file) => match file.source {
                        Source::Bytes(bytes) => whole.file(&name, &file.file_name, &file.content_type, bytes),
                        Source::Path(_) => whole,
                    },
                };
            }
            return whole.finish().map(reqwest::Body::from);
        }
        let mut segments: Vec<Segment> = Vec::new();
        for (name, value) in self.parts {
            let (file_name, media, contents) = match value {
                FormValue::Text(text, media) => (None, media.map(String::from), Segment::Bytes(text.into())),
                FormValue::File(file) => {
                    let contents = match file.source {
                        Source::Bytes(bytes) => Segment::Bytes(bytes),
                        Source::Path(path) => Segment::File(path),
                    };
                    (Some(file.file_name), Some(file.content_type), contents)
                }
            };
            segments.push(Segment::Bytes(Multipart::head(&name, file_name.as_deref(), media.as_deref()).into()));
            segments.push(contents);
            segments.push(Segment::Bytes(bytes::Bytes::from_static(b"\r\n")));
        }
        segments.push(Segment::Bytes(format!("--{}--\r\n", Multipart::BOUNDARY).into()));
        use futures_util::StreamExt as _;
        let stream = futures_util::stream::iter(segments).flat_map(|segment| match segment {
            Segment::Bytes(bytes) => futures_util::stream::once(async move { Ok(bytes) }).boxed(),
            Segment::File(path) => file_chunks(path).boxed(),
        });
        Ok(reqwest::Body::wrap_stream(stream))
    }
}

/// A piece of a streamed form body.
enum Segment {
    Bytes(bytes::Bytes),
    File(std::path::PathBuf),
}

/// The contents of the file at `path`, 64 KiB at a time, read as the body is sent.
fn file_chunks(path: std::path::PathBuf) -> impl futures_util::Stream<Item = std::io::Result<bytes::Bytes>> + Send {
    use tokio::io::AsyncReadExt as _;
    enum Reading {
        Start(std::path::PathBuf),
        Open(tokio::fs::File),
        Done,
    }
    futures_util::stream::unfold(Reading::Start(path), |state| async move {
        let mut file = match state {
            Reading::Done => return None,
            Reading::Start(path) => match tokio::fs::File::open(&path).await {
                Ok(file) => file,
                Err(e) => return Some((Err(e), Reading::Done)),
            },
            Reading::Open(file) => file,
        };
        let mut buffer = vec![0u8; 64 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                Some((Ok(bytes::Bytes::from(buffer)), Reading::Open(file)))
            }
            Err(e) => Some((Err(e), Reading::Done)),
        }
    })
}
