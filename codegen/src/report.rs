//! The record of every rewrite the pipeline made to a vendor's document.
//!
//! Nothing is fixed silently: each change names the stage and rule that made it, the file and
//! JSON pointer of the value in the document the stage read, and the value before and after.
//! The report is written next to the normalized spec and summarised on the console.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

/// The stage of the pipeline that made a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Files a document's references name, bundled into it.
    Bundle,
    /// Generic quirk rules over one raw document.
    Normalize,
    /// A hand-written overlay action from `specs/`.
    Overlay,
    /// Checking a page against the OpenAPI model, and what could not be read.
    Validate,
    /// Joining the pages of one API.
    Merge,
    /// Adapting the clean spec to what the code generator accepts.
    Lower,
    /// Generating the client: what the generator could not emit.
    Generate,
}

/// The rule behind a change. Each is keyed on what an OpenAPI keyword is, never on a field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// An OpenAPI 3.1 construct rewritten in its 3.0 spelling (or dropped where 3.0 has none).
    #[serde(rename = "openapi-31-converted")]
    OpenApi31Converted,
    /// A Swagger 2.0 construct rewritten in its OpenAPI 3.0 spelling (`host`/`basePath` as
    /// `servers`, `body`/`formData` parameters as a `requestBody`, `definitions` as components).
    #[serde(rename = "swagger-2-converted")]
    Swagger2Converted,
    /// A schema `$ref` whose sibling keywords (`nullable`, `default`, in 3.1 also `description`)
    /// would be ignored, wrapped in an `allOf` so they apply.
    RefSiblingsKept,
    /// A `$ref` that points at nothing, in a lenient run: where a schema stands, read as any
    /// JSON value; where a response, request body or header stands, that object untyped.
    DanglingRefDegraded,
    /// A schema no rule could make valid, in a lenient run: read as any JSON value.
    SchemaDegraded,
    /// A cookie parameter, which the generator cannot send, dropped from its operation (the
    /// caller sends it as a header per call).
    CookieParameterDropped,
    /// A keyword no rule can read (`minimum: "a lot"`, a boolean `required` on a schema, an
    /// enum whose values contradict its type), dropped in a lenient run.
    UnreadableKeywordDropped,
    /// A keyword OpenAPI 3.0 requires that the vendor left out, supplied with its empty value
    /// (a Response Object's `description`).
    RequiredKeywordSupplied,
    /// An operation left out of the client, with the reason in the note: it holds a reference
    /// that points at nothing, or the generator cannot emit it.
    OperationLeftOut,
    /// A `$ref` to another file of a multi-file spec, resolved and bundled into this document.
    ExternalRefBundled,
    /// A boolean keyword (`required`, `nullable`, `additionalProperties`, ...) written as a string.
    StringTypedBoolean,
    /// An integer keyword (`maxLength`, `minItems`, ...) or integer bound written as a string.
    StringTypedInteger,
    /// A number keyword (`minimum`, `multipleOf`, ...) written as a non-integral string.
    StringTypedNumber,
    /// An integer bound outside what the schema's format can hold, clamped to the format's range.
    IntegerBoundClamped,
    /// A property schema carrying `required: true` (JSON Schema draft 3 style), moved to the
    /// parent's `required` list.
    PropertyRequiredFlag,
    /// An `anyOf`/`oneOf` member that says only `nullable: true` (no type: "or null" as
    /// schema generators write it in 3.0) taken out; the schema made `nullable` instead.
    NullMemberAsNullable,
    /// A `required` name that is no property of its object but spells one in another case
    /// (`authorizeUrl` for `authorize_url`), replaced by that property's name.
    RequiredNameMatched,
    /// An example, default or enum value whose JSON type contradicts its schema, converted
    /// losslessly (`"5000"` for an integer becomes `5000`).
    InstanceTypeCoerced,
    /// An enum whose values contradict the schema's type as a whole, repaired around the values:
    /// an array's enum moved to its items, a nested list unwrapped, or the type corrected.
    EnumRepaired,
    /// A schema's `type` that none of its `anyOf`/`oneOf` alternatives can have (`type: array`
    /// beside alternatives that are all objects), dropped with the keywords only that type
    /// reads: no value is both, and the alternatives say what the vendor sends.
    TypeContradictingAlternativesDropped,
    /// A string `format` the generator types (`uuid`, `date-time`, `date`) that no value the
    /// schema allows can have (`format: uuid` with `maxLength: 24`, `format: date-time` with
    /// `enum: [now]`), dropped: the field stays a string the vendor's values fit.
    ContradictedFormatDropped,
    /// A percent-encoded `$ref` fragment (`%7Bid%7D`) decoded to the JSON pointer it spells.
    RefFragmentDecoded,
    /// An action of a hand-written overlay.
    OverlayAction,
    /// Identical components of two pages kept once.
    ComponentDeduplicated,
    /// Components with one name and different shapes kept apart under distinct names (merge), or a
    /// component whose Rust type name the type generator also gave to another type (generate).
    ComponentRenamed,
    /// A page's own servers moved onto its paths, because the API's servers are another page's.
    ServersMovedToPaths,
    /// A part of a later page ignored because an earlier page of the API already set it.
    PageFieldIgnored,
    /// An operation without `operationId` given one derived from its method and path.
    OperationIdSynthesized,
    /// A path parameter the path template uses but the operation does not declare, declared as
    /// a required string; or a declared one made required, as OpenAPI demands; or a declared one
    /// the template does not name, dropped (it could not be sent).
    PathParameterDeclared,
    /// A parameter given as `content` (a value serialized in a media type) declared as a string
    /// carrying the serialized value: the generator takes only `schema` parameters.
    ParameterContentAsString,
    /// A query or header parameter whose Rust name another parameter of the operation has,
    /// given a free Rust name; the client still sends it under its documented name.
    ParameterRenamed,
    /// A property whose Rust field name another property of its object has (`isGlobal` and
    /// `is_global`), given a free field name; still sent and read under its documented name.
    PropertyRenamed,
    /// A `deepObject` query parameter whose schema is an array (which OpenAPI leaves undefined)
    /// sent as the repeated bracketed key `name[]`, the Rails, PHP and Stripe convention.
    DeepObjectArrayBracketed,
    /// A `deepObject` query parameter whose value is an object, declared in the form style the
    /// generator knows and sent by the client as `name[key]=value` pairs.
    DeepObjectSentBracketed,
    /// A `204`, a `205` or a response to `HEAD` documented with a body, emptied: HTTP forbids
    /// a body there, and a client expecting one would turn the success into an error.
    BodilessResponseEmptied,
    /// A query parameter whose value would be a struct taken as a JSON object (sent the same
    /// way), its documented fields listed in its description: the generator has no setter for
    /// a parameter of a struct type.
    StructParameterAsMap,
    /// An array query parameter sent as one delimited value (`pipeDelimited`, `spaceDelimited`,
    /// `form` with `explode: false`), declared in the form style the generator knows and joined
    /// by the client (`ids=a|b`); the delimited styles with `explode: true` are repeated keys.
    DelimitedArrayJoined,
    /// Several media types for one body or response reduced to the JSON one; the others kept
    /// reachable (a method per response media type, an alternative per request one).
    MediaTypeChosen,
    /// An event stream's schema that describes each event's envelope (`{event, data}`) replaced
    /// by the schema of its `data`, which is what the client decodes; envelopes told apart by
    /// their `event` name become one variant per name.
    EventEnvelopeUnwrapped,
    /// A body's schema replaced by the one the generator accepts for its media type (any JSON
    /// value when none was given, bytes for octet-stream, a string for text).
    BodySchemaFitted,
    /// A textual request body the generator does not support (XML, CSV) passed as text and sent
    /// with its real Content-Type.
    BodySentAsText,
    /// A `multipart/form-data` body, which the generator cannot send, passed as bytes the
    /// caller builds with the runtime's `Multipart` and sent with its boundary.
    BodySentAsMultipart,
    /// A request body of a media type the generator cannot send (YAML, JWT, ZIP, ...) passed
    /// as bytes and sent with its real Content-Type.
    BodySentAsBytes,
    /// Error responses of different shapes given to the generator as any JSON value, each
    /// decoded by the client into the type its status documents (an enum with a variant per
    /// status), never chosen by shape.
    ErrorsByStatus,
    /// A `default` response beside explicit successes, split into `4XX` and `5XX`.
    DefaultResponseSplit,
    /// Success responses of different shapes (or with and without a body) unified into one type.
    SuccessBodiesUnified,
    /// An error response without a body, left to the client's "unexpected response" path because
    /// other error responses of the operation have one.
    BodilessErrorUntyped,
    /// Responses of one side (successes or errors) whose kinds the generator cannot mix (an
    /// upgrade, raw bytes, no body): successes read as raw bytes, odd errors left to the
    /// client's "unexpected response".
    ResponseKindsUnified,
    /// An inline schema lifted into a named component so the generated type has a readable name.
    SchemaLifted,
    /// A namespace-qualified schema name shortened to the shortest unique suffix.
    SchemaNameShortened,
    /// A schema keyword typify cannot convert rewritten to the nearest shape it accepts: a
    /// `format` on a non-string, non-number schema dropped; a `default` the schema forbids
    /// dropped; an enum whose values collide as Rust names deduplicated or widened to a string.
    SchemaFitted,
    /// A `$ref` that does not name a component of its kind: a schema's target copied to a
    /// component of its own, anything else's inlined.
    ReferenceRetargeted,
    /// Line endings of a description, summary or title made `\n` (rustc refuses a bare
    /// carriage return in a doc comment).
    DocTextFitted,
    /// `additionalProperties: false` dropped from an object that documents its properties, so a
    /// field the vendor adds later is ignored when decoding instead of failing the call (kept
    /// where it tells the variants of a `oneOf`/`anyOf` apart).
    ClosedObjectOpened,
    /// A `default` on an optional property moved into its description: the client sends the
    /// field only when the caller sets it, instead of always sending the default.
    DefaultLeftToServer,
    /// Operations grouped into one client per server, honouring path- and operation-level servers.
    ServerPartition,
}

/// One rewrite.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Which stage made it.
    pub stage: Stage,
    /// Which rule.
    pub rule: Rule,
    /// The page or spec file the value came from, when one page is meant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// JSON pointer of the value, in the document that stage read.
    pub pointer: String,
    /// The value before, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    /// The value after, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Why, in words, where the rule alone does not say it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Change {
    /// A change of `before` into `after` at `pointer`.
    pub fn new(stage: Stage, rule: Rule, pointer: impl Into<String>) -> Self {
        Self { stage, rule, file: None, pointer: pointer.into(), before: None, after: None, note: None }
    }

    /// Records the values before and after.
    pub fn values(mut self, before: Option<Value>, after: Option<Value>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    /// Adds a note saying why.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// All the changes made to one API, in the order the stages made them, and what the client
/// does that the spec does not spell out.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Report {
    /// The changes.
    pub changes: Vec<Change>,
    /// List operations recognized as paging, each with how: their builders have `stream()`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paginated: Vec<Paginated>,
    /// List operations with a paging parameter whose paging was not recognized (no `stream()`;
    /// an overlay can declare it with `x-codegen-pagination`): JSON pointers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paging_not_recognized: Vec<String>,
}

/// An operation recognized as paging (nothing in the document is changed for it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paginated {
    /// JSON pointer of the operation, in the lowered document.
    pub pointer: String,
    /// How the next page is found.
    pub next_page: String,
}

impl Report {
    /// Adds the changes of one file, naming the file on each.
    pub fn extend_from_file(&mut self, file: &str, changes: Vec<Change>) {
        self.changes.extend(changes.into_iter().map(|mut c| {
            c.file.get_or_insert_with(|| file.to_string());
            c
        }));
    }

    /// How many changes each rule made, for the console summary.
    pub fn counts_by_rule(&self) -> BTreeMap<Rule, usize> {
        let mut counts = BTreeMap::new();
        for change in &self.changes {
            *counts.entry(change.rule).or_insert(0) += 1;
        }
        counts
    }

    /// How many quirks of the vendor's document were fixed (the changes made before merging:
    /// bundle, normalize, validate and overlay).
    pub fn quirks_fixed(&self) -> usize {
        let before_merge = |stage| matches!(stage, Stage::Bundle | Stage::Normalize | Stage::Validate | Stage::Overlay);
        self.changes.iter().filter(|c| before_merge(c.stage)).count()
    }
}
