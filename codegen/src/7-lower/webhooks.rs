//! Webhooks: what the vendor sends to the user's endpoint, kept so the client can decode it.
//!
//! OpenAPI 3.1 `webhooks` (and the `x-webhooks` extension 3.0 documents use for the same thing)
//! describe requests the API makes, not requests the client sends, so the generator has no
//! method for them. Their payload schemas are still types a user needs: each webhook's JSON
//! request body becomes (or already is) a named component, and the generated module gets a
//! `webhooks` table that decodes an incoming payload by webhook name into its type.

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::{schemas_mut, unique_schema_name};
use crate::model::pointer;
use crate::model::walk::is_operation_key;
use crate::report::{Change, Rule, Stage};

/// One webhook's payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Webhook {
    /// The webhook's name, as documented (`order.created`).
    pub name: String,
    /// The HTTP method the vendor calls the user's endpoint with.
    pub method: String,
    /// The component schema of its JSON payload.
    pub payload: String,
}

/// The media types a webhook's JSON payload is found under.
fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// The webhooks of an API and a document holding only the schemas their payloads reach, from
/// which their types are generated apart from the client's.
#[derive(Clone, Debug)]
pub struct WebhookGroup {
    /// The webhooks, in document order.
    pub webhooks: Vec<Webhook>,
    /// A document without operations whose components are the payloads and what they reach
    /// (each repeated inline schema written once, after [`Self::sharing_repeated_schemas`]).
    pub document: Value,
    /// The type names the repeated inline schemas' copies had, kept as aliases.
    pub shared_names: Vec<super::repeated_inline::SharedName>,
    /// The same document with every inline schema where it was written, for the type
    /// generator to read instead should it fail on `document`.
    pub unshared: Option<Value>,
    /// Property names given in lowering → the documented names (see [`super::properties`]).
    pub renamed_properties: std::collections::BTreeMap<String, String>,
    /// How the API signs its webhooks, when the document says ([`SIGNATURE`]).
    pub signature: Option<Signature>,
}

/// The document extension naming how the API signs its webhooks (OpenAPI has no standard for
/// it; an overlay can set it): `standard-webhooks`, `stripe` or `github`.
pub const SIGNATURE: &str = "x-codegen-webhook-signature";

/// A webhook signature scheme the runtime verifies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signature {
    /// The Standard Webhooks specification (Svix and others).
    StandardWebhooks,
    /// Stripe's `Stripe-Signature`.
    Stripe,
    /// GitHub's `X-Hub-Signature-256`.
    GitHub,
}

impl Signature {
    /// The scheme `name` names (`standard-webhooks`, `svix`, `stripe`, `github`; any case).
    pub fn named(name: &str) -> Option<Self> {
        match name.to_ascii_lowercase().replace(['_', ' '], "-").as_str() {
            "standard-webhooks" | "standardwebhooks" | "svix" => Some(Self::StandardWebhooks),
            "stripe" => Some(Self::Stripe),
            "github" => Some(Self::GitHub),
            _ => None,
        }
    }
}

/// The group of `webhooks`, with the schemas they reach copied from the lowered `document`.
pub fn group(document: &Value, webhooks: Vec<Webhook>) -> Option<WebhookGroup> {
    if webhooks.is_empty() {
        return None;
    }
    let mut skeleton = serde_json::json!({
        "openapi": document.get("openapi").cloned().unwrap_or(Value::String("3.0.3".into())),
        "info": document.get("info").cloned().unwrap_or(serde_json::json!({"title": "webhooks", "version": "1"})),
        "paths": {},
    });
    let roots: Vec<String> = webhooks.iter().map(|w| w.payload.clone()).collect();
    super::servers::keep_schemas(&mut skeleton, document, &roots);
    let signature = document.get(SIGNATURE).and_then(Value::as_str).and_then(Signature::named);
    Some(WebhookGroup {
        webhooks,
        document: skeleton,
        shared_names: Vec::new(),
        unshared: None,
        renamed_properties: Default::default(),
        signature,
    })
}

impl WebhookGroup {
    /// The group with each repeated inline schema of its document written once
    /// ([`super::repeated_inline`]), the document as it was kept for the type generator to
    /// read should it fail on the other. Done on the thread that generates the webhooks' types,
    /// beside the client's planning rather than before it.
    #[must_use]
    pub fn sharing_repeated_schemas(mut self) -> Self {
        let mut shared = self.document.clone();
        let names = super::repeated_inline::share(&mut shared);
        if !names.is_empty() {
            self.unshared = Some(std::mem::replace(&mut self.document, shared));
            self.shared_names = names;
        }
        self
    }
}

/// Collects every webhook with a JSON payload, naming inline payloads as components.
pub fn collect(document: &mut Value, changes: &mut Vec<Change>) -> Vec<Webhook> {
    const KEYS: [&str; 2] = ["webhooks", "x-webhooks"];
    if KEYS.iter().all(|key| document.get(key).is_none()) {
        return Vec::new();
    }
    // What is read while payloads are named in `document`: the webhooks, and what they
    // reference (not the paths, most of a large document).
    let mut root = pointer::reference_targets(document);
    if let Value::Object(targets) = &mut root {
        for key in KEYS {
            if let Some(webhooks) = document.get(key) {
                targets.insert(key.into(), webhooks.clone());
            }
        }
    }
    let mut webhooks = Vec::new();
    for key in KEYS {
        for (name, item) in root.get(key).and_then(Value::as_object).into_iter().flatten() {
            let item = pointer::resolve(item, &root);
            let several = item.as_object().is_some_and(|i| i.keys().filter(|k| is_operation_key(k)).count() > 1);
            for (method, operation) in item.as_object().into_iter().flatten().filter(|(m, _)| is_operation_key(m)) {
                let Some(body) = operation.get("requestBody").map(|b| pointer::resolve(b, &root)) else { continue };
                let Some((_, media)) =
                    body.get("content").and_then(Value::as_object).into_iter().flatten().find(|(m, _)| is_json(m))
                else {
                    continue;
                };
                let Some(schema) = media.get("schema") else { continue };
                let payload = match schema.get("$ref").and_then(Value::as_str).and_then(pointer::component_ref) {
                    Some(("schemas", component)) => component,
                    _ => {
                        let suffix = if several { method.to_upper_camel_case() } else { String::new() };
                        let base = format!("{}{suffix}Webhook", name.to_upper_camel_case());
                        let component = unique_schema_name(document, &base);
                        schemas_mut(document).insert(component.clone(), schema.clone());
                        let at = pointer::child(&pointer::child(&pointer::child(key, name), method), "requestBody");
                        changes.push(
                            Change::new(Stage::Lower, Rule::SchemaLifted, format!("/{at}"))
                                .values(None, Some(Value::String(pointer::component_ref_to("schemas", &component))))
                                .note("a webhook's inline payload named, so the client can decode it"),
                        );
                        component
                    }
                };
                webhooks.push(Webhook { name: name.clone(), method: method.clone(), payload });
            }
        }
    }
    webhooks
}
