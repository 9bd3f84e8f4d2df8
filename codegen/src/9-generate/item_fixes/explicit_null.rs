//! Three states for an optional `nullable` field of a request type: left out, `null`, a value.
//!
//! typify's `Option<T>` with `skip_serializing_if` cannot send `null`, which a vendor may
//! document as "use null to remove the saved value". The plan names those fields
//! ([`crate::plan::explicit_null_fields`]); the serializable struct's field becomes
//! `Option<Option<T>>` read and written by the runtime's `explicit_null`, typify's builder field
//! `Result<Option<Option<T>>, String>`, and the setter's bound `TryInto<Option<Option<T>>>`,
//! which [`super::optional_setters`] then turns into a setter of the value and a `set_` twin
//! taking the `Option<Option<T>>` (`Some(None)` sends `null`).

use std::collections::BTreeSet;

use syn::parse_quote;
use syn::visit_mut::{self, VisitMut};

use super::derives_serde;

/// Makes `fields` of `item` three-state: in the serializable struct, `Option<T>` becomes
/// `Option<Option<T>>` read and written by the runtime's `explicit_null`; in typify's builder
/// struct, `Result<Option<T>, String>` becomes `Result<Option<Option<T>>, String>`.
pub(super) fn three_state_fields(item: &mut syn::ItemStruct, fields: &BTreeSet<String>) {
    let serializable = derives_serde(&item.attrs);
    for field in item.fields.iter_mut() {
        let Some(ident) = &field.ident else { continue };
        if !fields.contains(&ident.to_string()) {
            continue;
        }
        if serializable {
            if last_segment(&field.ty) != Some("Option") {
                continue;
            }
            super::canary::fired(super::canary::Pass::ThreeStateFields);
            let inner = field.ty.clone();
            field.ty = parse_quote!(::std::option::Option<#inner>);
            if !super::has_serde_default(&field.attrs) {
                field.attrs.push(parse_quote!(#[serde(default)]));
            }
            field.attrs.push(parse_quote!(#[serde(with = "crate::runtime::explicit_null")]));
        } else if last_segment(&field.ty) == Some("Result") {
            WrapOptionIn("Result").visit_type_mut(&mut field.ty);
        }
    }
}

/// The last path segment of a type, when it is one of the wrappers fixes look for (`Option`
/// for `::std::option::Option<T>`).
pub(super) fn last_segment(ty: &syn::Type) -> Option<&'static str> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?.ident.to_string();
    ["Option", "Result", "Box"].into_iter().find(|name| *name == last)
}

/// Wraps the first type argument of the named generic when it is an `Option`:
/// `Result<Option<T>, E>` → `Result<Option<Option<T>>, E>`.
struct WrapOptionIn(&'static str);

impl VisitMut for WrapOptionIn {
    fn visit_path_segment_mut(&mut self, segment: &mut syn::PathSegment) {
        if segment.ident != self.0 {
            return visit_mut::visit_path_segment_mut(self, segment);
        }
        if let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments {
            if let Some(syn::GenericArgument::Type(argument)) = arguments.args.first_mut() {
                if last_segment(argument) == Some("Option") {
                    let inner = argument.clone();
                    *argument = parse_quote!(::std::option::Option<#inner>);
                }
            }
        }
    }
}

/// A three-state field's builder setter: `T: TryInto<Option<X>>` becomes
/// `T: TryInto<Option<Option<X>>>`.
pub(super) fn three_state_setter(where_clause: &mut syn::WhereClause) {
    super::canary::fired(super::canary::Pass::ThreeStateSetters);
    WrapOptionIn("TryInto").visit_where_clause_mut(where_clause);
}
