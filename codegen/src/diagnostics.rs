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

/// Declares the catalogue: one line a kind, so codes, titles and help live in one table.
macro_rules! catalogue {
    ($($(#[doc = $doc:literal])* $kind:ident = $code:literal, $severity:ident, $title:literal, $help:literal;)*) => {
        /// Every kind of problem this tool reports. The code is stable: scripts and CI logs may
        /// match on it, so a kind is renamed only with a new code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($(#[doc = $doc])* $kind,)*
        }

        impl Kind {
            /// Every kind, in catalogue order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind,)*];

            /// The stable code, as printed in `error[code]`.
            pub fn code(self) -> &'static str {
                match self { $(Kind::$kind => $code,)* }
            }

            /// How serious a problem of this kind is.
            pub fn severity(self) -> Severity {
                match self { $(Kind::$kind => Severity::$severity,)* }
            }

            /// What the kind is about, in a few words.
            pub fn title(self) -> &'static str {
                match self { $(Kind::$kind => $title,)* }
            }

            /// What to do about a problem of this kind, when the place it is found says no more.
            pub fn help(self) -> &'static str {
                match self { $(Kind::$kind => $help,)* }
            }

            /// When a problem of this kind is reported: its documentation in this catalogue.
            pub fn explanation(self) -> &'static str {
                match self { $(Kind::$kind => concat!($($doc, "\n",)*).trim_ascii(),)* }
            }

            /// The kind with this code.
            pub fn from_code(code: &str) -> Option<Kind> {
                Kind::ALL.iter().copied().find(|kind| kind.code() == code)
            }
        }
    };
}

catalogue! {
    // Reading a page (extract).
    /// A page with no JSON or YAML document in it.
    NoDocument = "no-document", Error, "no OpenAPI document in the page",
        "the page must hold an OpenAPI document in a ```json or ```yaml fence, or be a bare spec file; if the vendor publishes the API only as prose, write the spec by hand beside the page and name it with `spec = \"...\"` in specs/manifest.toml";
    /// A page with two documents, of which the tool cannot tell which one is meant.
    SeveralDocuments = "several-documents", Error, "more than one OpenAPI document in the page",
        "split the page, or give each document its own page in specs/manifest.toml";
    /// JSON that does not parse.
    MalformedJson = "malformed-json", Error, "the JSON does not parse",
        "fix the JSON syntax at that line of the page (or in an overlay, if the page is upstream's)";
    /// YAML that does not parse.
    MalformedYaml = "malformed-yaml", Error, "the YAML does not parse",
        "fix the YAML syntax at that line of the page";
    /// A document whose root is a list or a scalar.
    NotAnObject = "not-an-object", Error, "the document is not an object",
        "an OpenAPI document is a map that starts with `openapi: 3.x.y` (or `swagger: \"2.0\"`)";
    /// A document without `openapi` or `swagger`.
    MissingVersion = "missing-version", Error, "the document names no OpenAPI version",
        "an OpenAPI document starts with `openapi: 3.x.y` (or `swagger: \"2.0\"`)";
    /// A version this tool does not read (Swagger 1.2, OpenAPI 4).
    UnknownVersion = "unknown-version", Error, "a version this tool does not read",
        "this tool reads Swagger 2.0 and OpenAPI 3.0.x to 3.2.x documents";

    // Following references into other files (bundle).
    /// A file named by a `$ref` that cannot be read.
    UnreadableReference = "unreadable-reference", Error, "a `$ref` names a file that cannot be read",
        "put the file in the spec's folder, or correct the path of the `$ref`";
    /// A `$ref` whose fragment is not a JSON pointer.
    FragmentNotPointer = "fragment-not-pointer", Error, "the fragment of a `$ref` is not a JSON pointer",
        "write the fragment as a JSON pointer into the file: `file.yaml#/path/to/value`";
    /// A `$ref` to a URL; the tool never fetches while generating.
    RemoteReference = "remote-reference", Error, "a `$ref` names a URL",
        "download the file into the spec's folder and refer to it by a relative path";
    /// A `$ref` to a file outside the spec's folder.
    ReferenceLeavesFolder = "reference-leaves-folder", Error, "a `$ref` names a file outside the folder references may read",
        "copy the file under that folder, or name a wider one: `generate --root DIR` (by default the repository holding the spec)";
    /// A `$ref` into another file at a pointer that file does not have.
    MissingTarget = "missing-target", Error, "a `$ref` names a value its file does not have",
        "correct the JSON pointer after `#`";
    /// References that lead back to themselves where no component can break the cycle.
    ReferenceCycle = "reference-cycle", Error, "a cycle of references that cannot be inlined",
        "break the cycle, or move the target into a components section";
    /// A `$ref` to another file that cannot be followed, left unresolved in a lenient run.
    ReferenceNotBundled = "reference-not-bundled", Warning, "a `$ref` to another file could not be followed",
        "what it stands for is degraded (any JSON value, or the operation left out); copy the file where the spec's references can read it, or correct the reference with an overlay";
    /// A components section that is not a map, so bundled components have nowhere to go.
    ComponentsNotMap = "components-not-map", Error, "a components section is not a map",
        "make the section a map of components";

    // Fixing quirks (normalize).
    /// A keyword whose value no rule can read (`minimum: "a lot"`).
    InvalidKeyword = "invalid-keyword", Error, "a keyword's value cannot be read",
        "no rule can tell what was meant; fix the value with an overlay action beside the page";
    /// `required` that is not a list of names.
    InvalidRequired = "invalid-required", Error, "a schema's `required` is not a list of names",
        "write `required` as a list of property names, with an overlay action beside the page";
    /// An enum value of another type than its schema's.
    EnumValueType = "enum-value-type", Error, "an enum value is not of the schema's type",
        "correct the value (or the schema's `type`) with an overlay action beside the page";
    /// A documented example or default that its own schema rejects (a wrong type, a missing
    /// required property, a value outside the enum or the limits).
    ExampleMismatch = "example-mismatch", Warning, "an example does not match its schema",
        "the generated types follow the schema, not the example; a mock server answering with the example (Prism) sends what the client refuses, and code copied from the example is refused by the server: tell the vendor, or fix the example with an overlay";
    /// A local `$ref` to nothing, in a strict run.
    DanglingReference = "dangling-reference", Error, "a `$ref` points at nothing in the document",
        "define the component it names, or correct the reference with an overlay";
    /// A `$ref` to another file in a document read without its folder.
    ExternalReference = "external-reference", Error, "a `$ref` names another file",
        "bundle the document into one file first (for example `redocly bundle`), or give the spec by its path so its folder is read";
    /// A keyword no rule can read, dropped in a lenient run.
    UnreadableKeywordDropped = "unreadable-keyword-dropped", Warning, "a keyword no rule can read was dropped",
        "correct the value with an overlay action beside the page (--strict makes this an error)";
    /// A `$ref` to nothing, read as any JSON value in a lenient run.
    DanglingReferenceAsAny = "dangling-reference-as-any", Warning, "a `$ref` points at nothing; read as any JSON value",
        "define what it names, or correct the reference with an overlay (--strict makes this an error)";

    // Applying the user's fixes (overlay).
    /// An overlay file that is not an Overlay 1.0 document.
    InvalidOverlay = "invalid-overlay", Error, "the overlay is not an Overlay 1.0 document",
        "see https://spec.openapis.org/overlay/v1.0.0.html; each action needs `target` and `update` or `remove: true`";
    /// An overlay action that does not say why.
    UndescribedAction = "undescribed-action", Error, "an overlay action has no description",
        "say why the vendor's document is wrong here, so the next reader can check it upstream";
    /// An overlay action whose target matches nothing (the page changed) or cannot be applied.
    ActionMissesTarget = "action-misses-target", Error, "an overlay action cannot be applied",
        "compare the page with its previous version (git diff specs/), then update or delete the action";

    // Checking the result (validate).
    /// A document that is still not OpenAPI 3.0 after every rule, in a strict run.
    InvalidDocument = "invalid-document", Error, "the document is not valid OpenAPI",
        "no normalization rule fixed this value; correct it with an overlay action beside the page";
    /// An invalid part left out or read as any JSON value, in a lenient run.
    InvalidPartDegraded = "invalid-part-degraded", Warning, "an invalid part was left out or read as any JSON value",
        "correct the value with an overlay action beside the page (--strict makes this an error)";

    // Joining pages (merge).
    /// An API with no page.
    NoPages = "no-pages", Error, "an API has no page",
        "list at least one page of the API in specs/manifest.toml";
    /// Two pages that define the same operation differently.
    ConflictingPages = "conflicting-pages", Error, "two pages define the same thing differently",
        "each operation must come from one page; remove the page that repeats it from specs/manifest.toml";

    // Making the client (lower, plan, generate).
    /// An operation left out of the client; the rest of the client is generated.
    OperationLeftOut = "operation-left-out", Warning, "an operation was left out of the client",
        "correct the operation with an overlay action beside the page, or report it with the normalized spec";
    /// A shared schema the type generator fails on by itself, read as any JSON value.
    SchemaReadAsAny = "schema-read-as-any", Warning, "a schema the type generator cannot handle is read as any JSON value",
        "the field or body it types is a `serde_json::Value`; correct the schema with an overlay action beside the page, or report it with the normalized spec";
    /// A schema whose Rust type name the type generator also gave to another type, renamed.
    TypeRenamed = "type-renamed", Warning, "a schema's type was renamed so that two types do not share a name",
        "code that names the type uses the new name; rename the schema upstream, or with an overlay, to choose another";
    /// Schema defaults left out because the type generator refused one.
    DefaultsLeftOut = "defaults-left-out", Warning, "schema defaults were left out of the client",
        "the types are generated without `Default` values; the server applies its own defaults";
    /// The webhooks' payload types, or one webhook, left out.
    WebhookLeftOut = "webhook-left-out", Warning, "a webhook was left out of the `webhooks` module",
        "the client is generated without it; please report it with the normalized spec";
    /// The code generator failed on the whole API.
    GenerationFailed = "generation-failed", Error, "code generation failed",
        "no single operation explains it; please report it with the normalized spec";
    /// A bug of this tool: something it relies on did not hold.
    Internal = "internal", Error, "an internal error of this tool",
        "please report it with the command line and the normalized spec";

    // Tools around the pipeline (regenerate, fetch, diff, corpus, bench).
    /// A file or folder that cannot be read or written, or a program that cannot be run.
    Io = "io", Error, "a file cannot be read or written",
        "check that the path exists and is readable (or writable)";
    /// `specs/manifest.toml` that cannot be used.
    InvalidManifest = "invalid-manifest", Error, "the manifest cannot be used",
        "fix specs/manifest.toml: see the README's section on adding an API";
    /// A name given on the command line that nothing has.
    UnknownName = "unknown-name", Error, "no API or revision has that name",
        "give one of the names listed";
}

impl serde::Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One located problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which entry of the catalogue it is: what tools classify by, and what says how serious it
    /// is ([`Diagnostic::severity`]).
    pub kind: Kind,
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
    pub stage: Option<&'static str>,
}

/// Serialized with its severity, which its kind decides (so the two can never disagree).
impl serde::Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Diagnostic", 8)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("severity", &self.severity())?;
        out.serialize_field("file", &self.file)?;
        out.serialize_field("pointer", &self.pointer)?;
        out.serialize_field("line", &self.line)?;
        out.serialize_field("message", &self.message)?;
        out.serialize_field("help", &self.help)?;
        if let Some(stage) = self.stage {
            out.serialize_field("stage", stage)?;
        } else {
            out.skip_field("stage")?;
        }
        out.end()
    }
}

impl Diagnostic {
    /// A problem of `kind`, with the kind's severity and help and nothing located yet.
    /// `message` says what is wrong in this instance; `help` may be made more specific.
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            file: None,
            pointer: None,
            line: None,
            message: message.into(),
            help: Some(kind.help().to_string()),
            stage: None,
        }
    }

    /// How serious it is: its kind's severity.
    pub fn severity(&self) -> Severity {
        self.kind.severity()
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
        write!(f, "{}[{}]: {}", self.severity(), self.kind.code(), self.message)?;
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
        self.0.iter().any(|d| d.severity() == Severity::Error)
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

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
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
        let errors = self.0.iter().filter(|d| d.severity() == Severity::Error).count();
        let warnings = self.0.len() - errors;
        write!(f, "{errors} error(s), {warnings} warning(s)")
    }
}

impl std::error::Error for Diagnostics {}

/// What every fallible stage returns: a value, or every problem that prevented it.
pub type Result<T> = std::result::Result<T, Diagnostics>;
