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

    fn part(mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, contents: &[u8]) -> Self {
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
