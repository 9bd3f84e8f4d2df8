//! Stage 2, bundle. Multi-file specs: relative `$ref`s to other files, resolved and bundled into one document.
//!
//! Vendors split their specs over many files (`./schemas/pet.yaml`, `../shared/errors.yml#/Error`,
//! index files of refs, cycles across files); every later stage reads one self-contained
//! document whose refs are all local. A ref is resolved against the file it is written in, never
//! leaves the root folder the caller names (by default the entry file's folder; vendors' specs
//! reach sibling folders of their repository, `../common/errors.yml`) and is never fetched from
//! the network. Where the target goes
//! depends on where the ref stands: a ref that sits where a component lives makes that component
//! the target; a ref in a schema position makes the target a new schema component (registered
//! before its content is bundled, which is how cycles across files end); anything else is
//! inlined. Refs inside `x-` extensions (code samples, often `.ts` or `.md` files) are left alone,
//! and so are refs inside literal data (an example of a JSON Schema has `$ref` keys too), except
//! an example value that is nothing but a ref to another file, which is that file's content when
//! it reads. A file that is not JSON or YAML by name (`description.md`) and does not parse into
//! a map or list is its text, as a string. In a lenient run a ref that cannot be followed stays
//! as it is, with a warning: the normalizer then degrades only what reaches it.
//! The library never touches the disk: the caller passes the function that reads a file.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use serde_json::{json, Value};

use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::model::pointer;
use crate::report::{Change, Rule, Stage};

/// One document bundled from several files.
#[derive(Debug)]
pub struct Bundled {
    /// The self-contained document: every `$ref` outside `x-` extensions is local.
    pub document: Value,
    /// One change per external reference resolved.
    pub changes: Vec<Change>,
    /// Every file read, the entry first.
    pub files: Vec<PathBuf>,
    /// In a lenient run, each ref that could not be followed (it stays unresolved).
    pub warnings: Diagnostics,
}

/// How to bundle: where files come from, how far refs may reach, and whether a ref that cannot
/// be followed fails the run.
pub struct Options<'r> {
    /// Returns the text of another file.
    pub read: &'r dyn Fn(&Path) -> std::io::Result<String>,
    /// The folder refs may not leave; `None` is the entry file's folder.
    pub root: Option<&'r Path>,
    /// Whether a ref that cannot be followed is a warning (and stays unresolved) or an error.
    pub lenient: bool,
}

/// Bundles the document of `entry` and every file its `$ref`s name into one document.
///
/// `entry` is the entry file's path (refs are resolved against it and messages name it),
/// `document` the entry already parsed, `read` returns the text of another file.
///
/// # Errors
/// Every ref that is a URL, leaves the entry's folder, names a file that cannot be read or
/// parsed or a pointer that file does not have, and every cycle that cannot be inlined.
pub fn bundle(
    entry: &Path,
    document: Value,
    read: &dyn Fn(&Path) -> std::io::Result<String>,
) -> crate::Result<Bundled> {
    bundle_with(entry, document, &Options { read, root: None, lenient: false })
}

/// [`bundle`], with the root folder and leniency of `options`.
///
/// # Errors
/// As [`bundle`]; in a lenient run only a components section that is not a map.
pub fn bundle_with(entry: &Path, mut document: Value, options: &Options<'_>) -> crate::Result<Bundled> {
    if !has_external_refs(&document) {
        let warnings = Diagnostics::default();
        return Ok(Bundled { document, changes: Vec::new(), files: vec![entry.to_path_buf()], warnings });
    }
    let mut bundler = Bundler::new(entry, options, document.get("swagger").is_some());
    let slots = bundler.home_sections(&mut document);
    bundler.walk_entry(&mut document, &slots);
    bundler.append(&mut document);
    if bundler.errors.has_errors() {
        return Err(bundler.errors);
    }
    let mut files = vec![entry.to_path_buf()];
    files.extend(bundler.files);
    Ok(Bundled { document, changes: bundler.changes, files, warnings: bundler.warnings })
}

/// Whether any `$ref` in `document` outside `x-` extensions names another file.
pub fn has_external_refs(document: &Value) -> bool {
    fn any(value: &Value, kind: Kind) -> bool {
        match value {
            Value::Array(items) => items.iter().any(|item| any(item, kind.element())),
            Value::Object(object) => object.iter().any(|(key, child)| match (key.as_str(), child) {
                ("$ref", Value::String(reference)) => !reference.starts_with('#'),
                _ => child_kind(kind, key).is_some_and(|kind| any(child, kind)),
            }),
            _ => false,
        }
    }
    any(document, Kind::Root)
}

/// The components sections of OpenAPI 3.x, and what each names its entries after.
const SECTIONS: [&str; 10] = [
    "schemas",
    "definitions",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "pathItems",
];

/// What a value is, judged by where it stands; it decides where a ref's target goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// The entry document.
    Root,
    /// `components`, a map of sections.
    Components,
    /// A schema.
    Schema,
    /// A map of names to schemas (`properties`, `definitions`, `components/schemas`).
    Schemas,
    /// A map of names to objects of a components section; whether `x-` keys are extensions.
    Map(Option<&'static str>, bool),
    /// Any other object, with the components section it would live in.
    Object(Option<&'static str>),
    /// A schema's discriminator, whose `mapping` names schemas by ref.
    Discriminator,
    /// Literal data (examples, defaults, enum values): an object with a `$ref` key is data.
    Literal,
}

impl Kind {
    /// The kind of the items of an array of this kind.
    fn element(self) -> Kind {
        match self {
            Kind::Map(section, _) => Kind::Object(section),
            Kind::Schema => Kind::Schema,
            _ => Kind::Object(None),
        }
    }
}

fn section_name(key: &str) -> Option<&'static str> {
    SECTIONS.iter().find(|section| **section == key).copied()
}

/// The kind of the value under `key` of a value of `kind`; `None` for an `x-` extension.
fn child_kind(kind: Kind, key: &str) -> Option<Kind> {
    let extension = key.starts_with("x-");
    Some(match kind {
        Kind::Literal => Kind::Literal,
        Kind::Schemas => Kind::Schema,
        Kind::Map(_, true) if extension => return None,
        Kind::Map(section, _) => Kind::Object(section),
        _ if extension => return None,
        Kind::Root => match key {
            "components" => Kind::Components,
            "definitions" => Kind::Schemas,
            "parameters" | "responses" => Kind::Map(section_name(key), false),
            "paths" | "webhooks" => Kind::Map(Some("pathItems"), true),
            _ => Kind::Object(None),
        },
        Kind::Components if key == "schemas" => Kind::Schemas,
        Kind::Components => Kind::Map(section_name(key), false),
        Kind::Discriminator => Kind::Object(None),
        Kind::Schema if matches!(key, "example" | "examples" | "default" | "enum" | "const") => Kind::Literal,
        Kind::Object(_) if matches!(key, "example" | "default" | "enum" | "const" | "value") => Kind::Literal,
        Kind::Schema | Kind::Object(_) => match key {
            "properties" | "patternProperties" | "definitions" | "$defs" | "dependentSchemas" => Kind::Schemas,
            "schema"
            | "items"
            | "additionalProperties"
            | "not"
            | "allOf"
            | "anyOf"
            | "oneOf"
            | "prefixItems"
            | "contains"
            | "if"
            | "then"
            | "else"
            | "propertyNames"
            | "additionalItems"
            | "unevaluatedProperties"
            | "unevaluatedItems"
            | "contentSchema" => Kind::Schema,
            "discriminator" => Kind::Discriminator,
            _ if kind == Kind::Schema => Kind::Object(None),
            "parameters" | "headers" | "examples" | "links" | "callbacks" => Kind::Map(section_name(key), false),
            "responses" => Kind::Map(Some("responses"), true),
            "paths" | "webhooks" => Kind::Map(Some("pathItems"), true),
            "requestBody" => Kind::Object(Some("requestBodies")),
            "content" => Kind::Map(None, false),
            _ => Kind::Object(None),
        },
    })
}

/// A value in a file: the normalized path and a JSON pointer (percent-decoded).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Target {
    file: PathBuf,
    pointer: String,
}

/// Where a ref is written, for messages and the report.
struct Site<'a> {
    file: &'a Path,
    at: &'a str,
    reference: &'a str,
}

/// A component of the entry: where it is, the file and pointer its value is read from, and
/// the kind of its value.
struct Slot {
    at: String,
    origin: Target,
    kind: Kind,
}

/// Resolves `reference` written in `file`: what it names, or why it cannot be followed.
fn resolve(reference: &str, file: &Path, root: &Path) -> Result<Target, (diagnostics::Kind, String)> {
    let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let fragment = percent_encoding::percent_decode_str(fragment).decode_utf8_lossy();
    if !fragment.is_empty() && !fragment.starts_with('/') {
        let message = format!("the fragment of `$ref: {reference}` is not a JSON pointer");
        return Err((diagnostics::Kind::FragmentNotPointer, message));
    }
    if is_url(path) {
        let message = format!("`$ref: {reference}` is a URL; remote references are never fetched");
        return Err((diagnostics::Kind::RemoteReference, message));
    }
    // Lexical normalization also drops a trailing slash: `./file.yml/#/x` reads `file.yml` (a
    // path ending in a slash can never name a file).
    let path = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let file =
        if path.is_empty() { file.to_path_buf() } else { normalize(&file.with_file_name("").join(path.as_ref())) };
    if !file.strip_prefix(root).is_ok_and(|rest| !rest.components().any(|c| c == Component::ParentDir)) {
        let message = format!(
            "`$ref: {reference}` leaves the folder references may read (`{}`): it names `{}`",
            root.display(),
            file.display()
        );
        return Err((diagnostics::Kind::ReferenceLeavesFolder, message));
    }
    Ok(Target { file, pointer: fragment.into_owned() })
}

/// Whether the path part of a ref starts with a URI scheme (`https:`, `file:`, `urn:`).
fn is_url(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `a/./b/../c` as `a/c`; a leading `..` stays. Lexical: the disk is never asked.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for component in path.components() {
        match (component, out.last()) {
            (Component::CurDir, _) | (Component::ParentDir, Some(Component::RootDir | Component::Prefix(_))) => {}
            (Component::ParentDir, Some(Component::Normal(_))) => drop(out.pop()),
            _ => out.push(component),
        }
    }
    out.iter().collect()
}

/// A file's value: JSON or YAML, or for a file not named as either (`description.md`) whose
/// text does not parse into a map or a list, the text itself.
fn parse_file(file: &Path, text: String) -> Result<Value, Vec<Diagnostic>> {
    let data = matches!(file.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml"));
    match crate::extract::parse_value(&text) {
        Ok(value) if data || value.is_object() || value.is_array() => Ok(value),
        Err(e) if data => Err(e.iter().cloned().collect()),
        _ => Ok(Value::String(text)),
    }
}

/// Whether a pointer names an entry of a schemas section (`…/schemas/X`, `…/definitions/X`).
fn under_schemas(pointer: &str) -> bool {
    matches!(pointer.rsplit('/').nth(1), Some("schemas" | "definitions" | "$defs")) && pointer.matches('/').count() > 1
}

/// Replaces a `{$ref}` object by `content`, keeping the ref's siblings over the content's keys.
fn merge(value: &mut Value, content: Value) {
    let siblings = std::mem::replace(value, content);
    if let (Value::Object(object), Value::Object(siblings)) = (value, siblings) {
        object.extend(siblings.into_iter().filter(|(key, _)| key != "$ref"));
    }
}

/// A component appended to the document: its section, name, pointer and bundled value.
struct Added {
    section: &'static str,
    name: String,
    home: String,
    value: Value,
}

/// The state of one bundling run.
struct Bundler<'r> {
    entry: PathBuf,
    /// The folder refs may not leave.
    folder: PathBuf,
    read: &'r dyn Fn(&Path) -> std::io::Result<String>,
    lenient: bool,
    swagger2: bool,
    /// Parsed files; an error not yet reported is kept until a ref names the file.
    cache: HashMap<PathBuf, Result<Rc<Value>, Vec<Diagnostic>>>,
    files: Vec<PathBuf>,
    /// Each target that is a component of the result, with that component's pointer.
    homes: HashMap<Target, String>,
    taken: HashMap<&'static str, HashSet<String>>,
    added: Vec<Added>,
    inlined: HashMap<(Target, Kind), Value>,
    inlining: Vec<Target>,
    changes: Vec<Change>,
    errors: Diagnostics,
    warnings: Diagnostics,
}

impl<'r> Bundler<'r> {
    fn new(entry: &Path, options: &Options<'r>, swagger2: bool) -> Self {
        let entry = normalize(entry);
        let folder = normalize(&options.root.map_or_else(|| entry.with_file_name(""), Path::to_path_buf));
        let (cache, files, homes, taken, added, inlined, inlining, changes, errors, warnings) = Default::default();
        let (read, lenient) = (options.read, options.lenient);
        Self {
            entry,
            folder,
            read,
            lenient,
            swagger2,
            cache,
            files,
            homes,
            taken,
            added,
            inlined,
            inlining,
            changes,
            errors,
            warnings,
        }
    }

    fn error(&mut self, site: &Site<'_>, kind: diagnostics::Kind, message: String) {
        self.report(Diagnostic::new(kind, message).in_file(site.file).at(site.at));
    }

    /// A ref that cannot be followed: an error, or in a lenient run a warning (the ref stays).
    fn report(&mut self, problem: Diagnostic) {
        if !self.lenient {
            return self.errors.push(problem);
        }
        let message =
            format!("{}; the reference is left unresolved, so only what reaches it is degraded", problem.message);
        let mut warning = Diagnostic::new(diagnostics::Kind::ReferenceNotBundled, message);
        (warning.file, warning.pointer, warning.line) = (problem.file, problem.pointer, problem.line);
        self.warnings.push(warning);
    }

    fn record(&mut self, site: &Site<'_>, after: Option<String>, note: Option<&str>) {
        let mut change = Change::new(Stage::Bundle, Rule::ExternalRefBundled, site.at)
            .values(Some(json!(site.reference)), after.map(Value::String));
        change.note = note.map(str::to_owned);
        change.file = (site.file != self.entry).then(|| site.file.display().to_string());
        self.changes.push(change);
    }

    /// The parsed file; its read or parse error is reported once, at the first `site` naming it.
    fn load(&mut self, file: &Path, site: Option<&Site<'_>>) -> Option<Rc<Value>> {
        if !self.cache.contains_key(file) {
            let parsed = match (self.read)(file) {
                Err(e) => Err(vec![Diagnostic::new(
                    diagnostics::Kind::UnreadableReference,
                    format!("cannot read `{}`: {e}", file.display()),
                )]),
                Ok(text) => {
                    self.files.push(file.to_path_buf());
                    parse_file(file, text).map(Rc::new)
                }
            };
            self.cache.insert(file.to_path_buf(), parsed);
        }
        let (problems, site) = match (self.cache.get_mut(file)?, site) {
            (Ok(document), _) => return Some(document.clone()),
            (Err(problems), Some(site)) => (std::mem::take(problems), site),
            (Err(_), None) => return None,
        };
        let at = if site.at.is_empty() { "the root" } else { site.at };
        let unreadable = !self.files.iter().any(|f| f == file);
        for mut problem in problems {
            if unreadable {
                // Nothing of the file was read: the problem is the `$ref` that names it.
                self.report(problem.in_file(site.file).at(site.at));
            } else {
                // The file does not parse: the problem is in it, at its line.
                problem.message = format!(
                    "{} (the file is named by `$ref: {}` at {at} in {})",
                    problem.message,
                    site.reference,
                    site.file.display()
                );
                self.report(problem.in_file(file));
            }
        }
        None
    }

    /// Literal data that is nothing but a ref to another file (an example's `value` kept in a
    /// file of its own): that file's value when it reads, else the data stays as written.
    fn literal(&mut self, value: &mut Value, file: &Path) {
        let Some(object) = value.as_object().filter(|o| o.len() == 1) else { return };
        let Some(reference) = object.get("$ref").and_then(Value::as_str).filter(|r| !r.starts_with('#')) else {
            return;
        };
        let Ok(target) = resolve(reference, file, &self.folder) else { return };
        if let Some(content) = self.load(&target.file, None).and_then(|d| d.pointer(&target.pointer).cloned()) {
            *value = content;
        }
    }

    /// A copy of the target's value, unbundled.
    fn raw(&mut self, target: &Target, site: &Site<'_>) -> Option<Value> {
        let found = self.load(&target.file, Some(site))?.pointer(&target.pointer).cloned();
        if found.is_none() {
            let (reference, file) = (site.reference, target.file.display());
            let message = format!("`$ref: {reference}` names `{}`, which `{file}` does not have", target.pointer);
            self.error(site, diagnostics::Kind::MissingTarget, message);
        }
        found
    }

    /// A copy of the target's value with its own refs bundled, as a value of `kind`.
    fn content(&mut self, target: &Target, kind: Kind, site: &Site<'_>) -> Option<Value> {
        let mut value = self.raw(target, site)?;
        self.walk(&mut value, &target.file, &mut target.pointer.clone(), kind);
        Some(value)
    }

    /// The end of a chain of values that are nothing but a ref (at most 16 links): where the
    /// content is.
    fn canonical(&mut self, mut target: Target) -> Target {
        for _ in 0..16 {
            let Some(document) = (target.file != self.entry).then(|| self.load(&target.file, None)).flatten() else {
                break;
            };
            let only_ref = document.pointer(&target.pointer).and_then(Value::as_object).filter(|o| o.len() == 1);
            let next = only_ref
                .and_then(|o| o.get("$ref")?.as_str())
                .and_then(|r| resolve(r, &target.file, &self.folder).ok());
            let Some(next) = next else { break };
            target = next;
        }
        target
    }

    /// Rule 1: each entry of a components section that is a ref makes the component the
    /// target, its content put in place now; a section that is itself a ref is first replaced
    /// by the map it names. All homes are known before any content is bundled.
    fn home_sections(&mut self, document: &mut Value) -> Vec<Slot> {
        let (container, keys) = match document.get("components").and_then(Value::as_object) {
            _ if self.swagger2 => ("", vec!["definitions".to_string(), "parameters".into(), "responses".into()]),
            Some(components) => ("/components", components.keys().filter(|k| !k.starts_with("x-")).cloned().collect()),
            None => ("", Vec::new()),
        };
        let mut slots = Vec::new();
        for key in keys {
            let kind = if matches!(key.as_str(), "schemas" | "definitions") {
                Kind::Schema
            } else {
                Kind::Object(section_name(&key))
            };
            let section_at = pointer::child(container, &key);
            let Some(section) = document.pointer_mut(&section_at) else { continue };
            let (file, base) = self.open_section(section, &section_at);
            let Some(entries) = section.as_object_mut() else { continue };
            if let Some(name) = section_name(&key) {
                self.taken.entry(name).or_default().extend(entries.keys().cloned());
            }
            for (name, value) in entries.iter_mut() {
                let slot = Slot {
                    at: pointer::child(&section_at, name),
                    origin: Target { file: file.clone(), pointer: pointer::child(&base, name) },
                    kind,
                };
                let mut targets = vec![slot.origin.clone()];
                let reference = value.get("$ref").and_then(Value::as_str).map(str::to_owned);
                let named = reference.as_deref().and_then(|r| resolve(r, &file, &self.folder).ok());
                if let Some(named) = named.clone() {
                    targets.extend([named.clone(), self.canonical(named)]);
                }
                for target in targets.iter().filter(|t| t.file != self.entry) {
                    self.homes.entry(target.clone()).or_insert_with(|| slot.at.clone());
                }
                // The component is the (canonical) target when this is where it was homed.
                let target = named.and(targets.pop()).filter(|t| self.homes.get(t) == Some(&slot.at));
                let (Some(target), Some(reference)) = (target, reference) else {
                    slots.push(slot);
                    continue;
                };
                let site = Site { file: &file, at: &slot.origin.pointer, reference: &reference };
                let Some(content) = self.raw(&target, &site) else {
                    slots.push(slot);
                    continue;
                };
                merge(value, content);
                self.record(&site, Some(format!("#{}", slot.at)), Some("the component is the target"));
                slots.push(Slot { origin: target, ..slot });
            }
        }
        slots
    }

    /// A section written as a ref replaced by the map it names; returns where the section's
    /// entries are read from.
    fn open_section(&mut self, section: &mut Value, at: &str) -> (PathBuf, String) {
        let entry = self.entry.clone();
        let Some(reference) = section.get("$ref").and_then(Value::as_str).map(str::to_owned) else {
            return (entry, at.into());
        };
        let site = Site { file: &entry, at, reference: &reference };
        let target = match resolve(&reference, &entry, &self.folder) {
            Ok(target) if target.file != entry => target,
            other => {
                if let Err((kind, message)) = other {
                    self.error(&site, kind, message);
                }
                return (entry.clone(), at.into());
            }
        };
        match self.raw(&target, &site) {
            Some(map) if map.is_object() => {
                merge(section, map);
                self.record(&site, None, Some("the section's entries read from that file"));
                (target.file, target.pointer)
            }
            _ => (entry.clone(), at.into()),
        }
    }

    /// Walks the entry in document order, each component as read from its origin.
    fn walk_entry(&mut self, document: &mut Value, slots: &[Slot]) {
        let entry = self.entry.clone();
        for (key, value) in document.as_object_mut().into_iter().flatten() {
            let prefix = format!("/{}", pointer::escape(key));
            let mine: Vec<&Slot> = slots.iter().filter(|slot| slot.at.starts_with(&format!("{prefix}/"))).collect();
            match child_kind(Kind::Root, key) {
                Some(kind) if mine.is_empty() => self.walk(value, &entry, &mut prefix.clone(), kind),
                _ => {}
            }
            for slot in mine {
                if let Some(component) = value.pointer_mut(&slot.at[prefix.len()..]) {
                    self.walk(component, &slot.origin.file, &mut slot.origin.pointer.clone(), slot.kind);
                }
            }
        }
    }

    /// Rewrites every ref in `value`, written in `file` at `at`, which stands as a `kind`.
    fn walk(&mut self, value: &mut Value, file: &Path, at: &mut String, kind: Kind) {
        if kind == Kind::Literal {
            return self.literal(value, file);
        }
        let len = at.len();
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    pointer::push_token(at, &index.to_string());
                    self.walk(item, file, at, kind.element());
                    at.truncate(len);
                }
            }
            Value::Object(object) => {
                let is_ref = object.get("$ref").is_some_and(Value::is_string);
                for (key, child) in object.iter_mut() {
                    let Some(inner) = child_kind(kind, key).filter(|_| !(is_ref && key == "$ref")) else { continue };
                    pointer::push_token(at, key);
                    if kind == Kind::Discriminator && key == "mapping" {
                        self.remap(child, file, at);
                    } else {
                        self.walk(child, file, at, inner);
                    }
                    at.truncate(len);
                }
                if is_ref {
                    self.follow(value, file, at, kind);
                }
            }
            _ => {}
        }
    }

    /// One `{$ref}` object: pointed at the target's component, or replaced by the target.
    fn follow(&mut self, value: &mut Value, file: &Path, at: &str, kind: Kind) {
        let Some(reference) = value.get("$ref").and_then(Value::as_str).map(str::to_owned) else { return };
        if reference.starts_with('#') && file == self.entry {
            return;
        }
        let site = Site { file, at, reference: &reference };
        match resolve(&reference, file, &self.folder).map(|target| self.home_of(target, kind, &site)) {
            Ok(Ok(home)) => self.point(value, &home, &site),
            Ok(Err(target)) => self.inline(value, target, kind, &site),
            Err((kind, message)) => self.error(&site, kind, message),
        }
    }

    /// A discriminator's mapping names schemas by ref too: a value naming a file points at that
    /// schema's component; a local one written in another file points where that file's value
    /// was bundled. Plain schema names are left alone.
    fn remap(&mut self, mapping: &mut Value, file: &Path, at: &str) {
        for (key, value) in mapping.as_object_mut().into_iter().flatten() {
            let Some(reference) = value.as_str().map(str::to_owned) else { continue };
            let names_file =
                [".json", ".yaml", ".yml"].iter().any(|e| reference.ends_with(e)) || reference.contains(['#', '/']);
            let local = reference.starts_with('#');
            let target =
                resolve(&reference, file, &self.folder).ok().filter(|_| names_file && !(local && file == self.entry));
            let Some(target) = target else { continue };
            let at = pointer::child(at, key);
            let site = Site { file, at: &at, reference: &reference };
            let home =
                if local { self.enclosing_home(&target) } else { self.home_of(target, Kind::Schema, &site).ok() };
            if let Some(home) = home {
                *value = Value::String(format!("#{home}"));
                self.record(&site, Some(format!("#{home}")), Some("a discriminator mapping"));
            }
        }
    }

    /// Where a value of another file ended up: its own component, or its place inside the
    /// component of the nearest enclosing value that has one.
    fn enclosing_home(&self, target: &Target) -> Option<String> {
        let mut end = target.pointer.len();
        loop {
            let enclosing = Target { file: target.file.clone(), pointer: target.pointer[..end].to_string() };
            if let Some(home) = self.homes.get(&enclosing) {
                return Some(format!("{home}{}", &target.pointer[end..]));
            }
            end = target.pointer[..end].rfind('/')?;
        }
    }

    fn point(&mut self, value: &mut Value, home: &str, site: &Site<'_>) {
        let local = format!("#{home}");
        if let Some(object) = value.as_object_mut() {
            object.insert("$ref".into(), Value::String(local.clone()));
        }
        self.record(site, Some(local), None);
    }

    /// The local pointer of the target (rules 1 and 2), or the target to inline (rule 3).
    fn home_of(&mut self, target: Target, kind: Kind, site: &Site<'_>) -> Result<String, Target> {
        if let Some(home) = self.homes.get(&target) {
            return Ok(home.clone());
        }
        let target = self.canonical(target);
        if target.file == self.entry {
            return Ok(target.pointer);
        }
        if let Some(home) = self.homes.get(&target) {
            return Ok(home.clone());
        }
        if kind != Kind::Schema && !under_schemas(&target.pointer) {
            return Err(target);
        }
        let home = self.add_home(if self.swagger2 { "definitions" } else { "schemas" }, &target);
        if let Some(content) = self.content(&target, Kind::Schema, site) {
            self.set_added(&home, content);
        }
        Ok(home)
    }

    /// Rule 3: the `{$ref}` replaced by a bundled copy of the target; a target met again while
    /// it is being inlined (a cycle) becomes a component of the section its position names.
    fn inline(&mut self, value: &mut Value, target: Target, kind: Kind, site: &Site<'_>) {
        let key = (target.clone(), kind);
        let content = if let Some(done) = self.inlined.get(&key) {
            done.clone()
        } else if self.inlining.contains(&target) {
            let home = match kind {
                Kind::Object(Some(section)) if self.can_home(section) => self.add_home(section, &target),
                _ => {
                    let message =
                        format!("`$ref: {}` is part of a cycle of references that cannot be inlined", site.reference);
                    return self.error(site, diagnostics::Kind::ReferenceCycle, message);
                }
            };
            return self.point(value, &home, site);
        } else {
            self.inlining.push(target.clone());
            let content = self.content(&target, kind, site);
            self.inlining.pop();
            let Some(content) = content else { return };
            if let Some(home) = self.homes.get(&target).cloned() {
                self.set_added(&home, content);
                return self.point(value, &home, site);
            }
            self.inlined.insert(key, content.clone());
            content
        };
        merge(value, content);
        self.record(site, None, Some("inlined"));
    }

    /// Whether a component of `section` can be added to this document.
    fn can_home(&self, section: &str) -> bool {
        if self.swagger2 {
            matches!(section, "parameters" | "responses")
        } else {
            section != "pathItems"
        }
    }

    /// Registers a new component for `target`, named from the fragment's last token or the file
    /// stem, with a numeric suffix against collisions; its value is set once bundled.
    fn add_home(&mut self, section: &'static str, target: &Target) -> String {
        let token = pointer::unescape(target.pointer.rsplit('/').next().unwrap_or_default());
        let stem = target.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let sanitize = |raw: &str| -> String {
            raw.chars().map(|c| if c.is_ascii_alphanumeric() || "_-.".contains(c) { c } else { '_' }).collect()
        };
        let base = [sanitize(&token), sanitize(&stem)]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "Component".into());
        let taken = self.taken.entry(section).or_default();
        let mut suffixed = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}{n}") });
        let name = suffixed.find(|name| !taken.contains(name)).unwrap_or_default();
        taken.insert(name.clone());
        let home = format!("{}/{section}/{}", if self.swagger2 { "" } else { "/components" }, pointer::escape(&name));
        self.homes.insert(target.clone(), home.clone());
        self.added.push(Added { section, name, home: home.clone(), value: Value::Null });
        home
    }

    fn set_added(&mut self, home: &str, value: Value) {
        if let Some(added) = self.added.iter_mut().find(|added| added.home == home) {
            added.value = value;
        }
    }

    /// Appends the new components, in the order they were first referenced.
    fn append(&mut self, document: &mut Value) {
        for Added { section, name, value, .. } in std::mem::take(&mut self.added) {
            let container = match document.as_object_mut() {
                Some(root) if !self.swagger2 => root.entry("components").or_insert_with(|| json!({})).as_object_mut(),
                root => root,
            };
            if let Some(Value::Object(components)) = container.map(|c| c.entry(section).or_insert_with(|| json!({}))) {
                components.insert(name, value);
            } else {
                let message = format!("cannot add the component `{name}`: `{section}` is not a map");
                let components_is_map = document.get("components").is_some_and(Value::is_object);
                let at = match (self.swagger2, components_is_map) {
                    (true, _) => format!("/{section}"),
                    (false, true) => format!("/components/{section}"),
                    (false, false) => "/components".to_string(),
                };
                self.errors
                    .push(Diagnostic::new(diagnostics::Kind::ComponentsNotMap, message).in_file(&self.entry).at(at));
            }
        }
    }
}

#[cfg(test)]
mod tests;
