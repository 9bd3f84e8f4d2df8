//! The client's operations, emitted from its [`ClientPlan`] with `quote!`: the `Client`, one
//! method per operation, and in the `builder` module each operation's builder with its
//! setters, `send` and, for an operation that pages, `stream`.
//!
//! typify generates the types ([`typed`]), named as progenitor names them; everything else is
//! written here, so what the plan knows (wire names, styles, media types, errors by status,
//! paging) is emitted as it is instead of being rewritten into progenitor's methods.
//!
//! Each builder is emitted in named sections: [`builder::fields`], the setters
//! ([`builder::setters`]), [`send::send`] (its status match from the documented responses) and
//! [`send::request`] (path, query by style, headers, body by media type). A new capability is
//! a section, or a new arm of one, not a rewrite.

mod builder;
mod client;
pub mod paging;
mod send;
mod to_schema;
pub mod typed;

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::ClientPlan;
pub(crate) use client::template;
pub use typed::Typed;

/// What each operation's builder is emitted from: nothing that cannot cross threads, so the
/// builders (most of a large API's code) are emitted on a second core beside the rest of the
/// module, and one at a time ([`Builders::each`]), so they are never all held at once. It
/// borrows the plan only: typify's type space can go once the `types` module is made.
pub struct Builders<'a> {
    operations: Vec<(&'a crate::plan::OperationPlan, typed::OperationTypes)>,
    typed: typed::TypeTable,
    item_types: paging::ItemTypes,
    plan: &'a ClientPlan,
}

impl<'a> Builders<'a> {
    /// The operations that get a builder: the plan's less those left out.
    pub fn operations(&self) -> Vec<&'a crate::plan::OperationPlan> {
        self.operations.iter().map(|(operation, _)| *operation).collect()
    }

    /// How many operation builders there are.
    pub fn count(&self) -> usize {
        self.operations.len()
    }

    /// The `index`th operation's builder (its struct and `impl`), in the module's order.
    pub fn one(&self, index: usize) -> TokenStream {
        let (operation, types) = &self.operations[index];
        builder::tokens(
            operation,
            types,
            &self.typed,
            &self.item_types,
            self.plan.setter_docs.get(&operation.builder_name),
        )
    }
}

/// The builders of `plan`'s operations, with what they need of `typed` read out of it.
pub fn builders<'a>(plan: &'a ClientPlan, typed: &Typed) -> Builders<'a> {
    let mut planned: std::collections::HashMap<(&str, &str), Vec<&crate::plan::OperationPlan>> =
        std::collections::HashMap::new();
    for operation in &plan.operations {
        planned.entry((operation.path.as_str(), operation.method.as_str())).or_default().push(operation);
    }
    let operations: Vec<(&crate::plan::OperationPlan, typed::OperationTypes)> = typed
        .operations
        .iter()
        .flat_map(|((path, method), types)| {
            let plans = planned.get(&(path.as_str(), method.as_str())).cloned().unwrap_or_default();
            plans.into_iter().map(move |operation| (operation, named_by_plan(operation, types)))
        })
        .collect();
    let item_types = crate::timing::timed("    paging item types", || item_types_of(&operations, typed));
    let typed = typed.table(operations.iter().map(|(_, types)| types));
    Builders { operations, typed, item_types, plan }
}

/// The items of a client module but the operations' builders ([`builders`]): its imports,
/// `types`, the `Client` with one method per operation, an empty `builder` module and
/// `prelude`.
pub fn module_tokens(builders: &Builders<'_>, typed: &Typed, info: &openapiv3::Info) -> TokenStream {
    let types = crate::timing::timed("    types module", || typed.types_module());
    let borrowed: Vec<(&crate::plan::OperationPlan, &typed::OperationTypes)> =
        builders.operations.iter().map(|(operation, types)| (*operation, types)).collect();
    let client = crate::timing::timed("    client", || client::tokens(info, &borrowed));
    quote! {
        #[allow(unused_imports)]
        pub use crate::runtime::{Error, ResponseValue};
        #[allow(unused_imports)]
        pub use progenitor_client::{ByteStream, ClientInfo};
        #[allow(unused_imports)]
        use crate::runtime::encode_path;

        #types

        #client

        /// Types for composing operation parameters.
        #[allow(clippy::all)]
        pub mod builder {
            #[allow(unused_imports)]
            use super::types;
            #[allow(unused_imports)]
            use super::{encode_path, ByteStream, ClientInfo, Error, ResponseValue};
        }

        /// Items consumers will typically use such as the Client.
        pub mod prelude {
            pub use self::super::Client;
        }
    }
}

/// `types` with each parameter's Rust name the plan's: the plan decides names once, and the
/// emitters only read them.
fn named_by_plan(operation: &crate::plan::OperationPlan, types: &typed::OperationTypes) -> typed::OperationTypes {
    let mut types = types.clone();
    use crate::plan::AlternativeBody;
    if let Some(alternative) = &operation.alternative {
        for param in types.params.iter_mut().filter(|p| matches!(p.kind, typed::ParamKind::Body(_))) {
            match alternative.body {
                // The same body type, sent as a form.
                AlternativeBody::FormUrlencoded => param.kind = typed::ParamKind::Body(typed::BodyKind::FormUrlencoded),
                // Bytes: the form builds them, or the caller gives them in the media type's format.
                AlternativeBody::Multipart | AlternativeBody::Bytes(_) => {
                    param.kind = typed::ParamKind::Body(typed::BodyKind::OctetStream);
                    param.type_id = None;
                }
            }
        }
        types.stream = None;
        types.stream_flag = None;
    }
    for param in &mut types.params {
        let Some(location) = param.kind.location() else { continue };
        let planned = operation.parameters.iter().find(|p| p.name == param.api_name && p.location == location);
        if let Some(planned) = planned {
            param.name = planned.rust_name.clone();
        }
    }
    types
}

/// The item type of each page struct's items field, for the operations that page.
fn item_types_of(
    operations: &[(&crate::plan::OperationPlan, typed::OperationTypes)],
    typed: &Typed,
) -> paging::ItemTypes {
    let fields: std::collections::BTreeSet<String> =
        operations.iter().filter_map(|(o, _)| o.pagination.as_ref()?.items.clone()).collect();
    if fields.is_empty() {
        return paging::ItemTypes::default();
    }
    paging::item_types_in(&typed.space, &fields)
}
