//! Problems found while turning pages into a client, with where they are.
//!
//! Every stage collects what it finds instead of stopping at the first problem, so a user sees
//! all of them in one run. A problem names the file, the JSON pointer inside the document, the
//! line where the parser knew it, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the run still succeeds.
    Warning,
    /// The run cannot produce output for this input.
    Error,
}

/// One located problem.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The file the problem is in, as the user named it.
    pub file: Option<PathBuf>,
    /// JSON pointer into the document (RFC 6901), `""` for the whole document.
    pub pointer: Option<String>,
    /// 1-based line in `file`, where the parser knew it.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What the user can do about it.
    pub help: Option<String>,
    /// The pipeline stage that found it (`extract`, `normalize`, `overlay`, `validate`,
    /// `merge`, `lower`, `generate`), set by the pipeline as it runs each stage; tools classify by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<&'static str>,
}

impl Diagnostic {
    /// An error with a message and nothing located yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            pointer: None,
            line: None,
            message: message.into(),
            help: None,
            stage: None,
        }
    }

    /// A warning with a message and nothing located yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(message) }
    }

    /// Sets the file the problem is in.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Sets the JSON pointer of the offending value.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Sets the 1-based line of the offending value.
    pub fn on_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Says what the user can do about it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(file) = &self.file {
            write!(f, "\n  --> {}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
        }
        if let Some(pointer) = &self.pointer {
            let shown = if pointer.is_empty() { "(document root)" } else { pointer };
            write!(f, "\n  at {shown}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// All the problems of one run; the run fails when any of them is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Records one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Records every problem of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Whether any recorded problem stops the run.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// The recorded problems, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// How many problems were recorded.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Fills in the stage of every problem that does not name one yet.
    pub fn during(mut self, stage: &'static str) -> Self {
        for d in &mut self.0 {
            d.stage.get_or_insert(stage);
        }
        self
    }

    /// Fills in the file of every problem that does not name one yet.
    pub fn in_file(mut self, file: &Path) -> Self {
        for d in &mut self.0 {
            if d.file.is_none() {
                d.file = Some(file.to_path_buf());
            }
        }
        self
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Self(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let errors = self.0.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = self.0.len() - errors;
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

impl std::error::Error for Diagnostics {}

/// What every fallible stage returns: a value, or every problem that prevented it.
pub type Result<T> = std::result::Result<T, Diagnostics>;
