//! Passes over typify's types, made on each item's syntax tree (never by replacing text).
//!
//! The operations are emitted from the plan ([`crate::generate::operations`]); what stays here
//! is what typify's own output needs. Each pass is named in [`canary::Pass`] and reports when
//! it fires, so the shape canary (`tests/operations.rs`) fails naming a pass that an upgrade of
//! typify made silent:
//! - `OpenEnums`, `UnknownDisplayed`: a string enum keeps a value the vendor adds later (an
//!   `Unknown(String)` variant) and prints it ([`open_enums`]).
//! - `LeanStringEnums`: a string enum reads and writes itself as a string instead of serde's
//!   derives ([`lean_string_enums`]).
//! - `LeanDeserialize`: a plain struct's `Deserialize` is one `visit_map` and its `Serialize`
//!   one list of fields ([`lean_deserialize`]).
//! - `RedactedDebug`: a struct with a field that holds a secret (a type, its builder, an
//!   operation's builder) prints `REDACTED` for it in `Debug` ([`redacted_debug`]).
//! - `ThreeStateFields`, `ThreeStateSetters`: an optional `nullable` field of a request type is
//!   three-state (left out, `null`, a value) ([`explicit_null`]).
//! - `ValueSetters`: typify's setters of optional fields take the value, with a `set_` twin
//!   that takes the `Option` ([`optional_setters`]).
//! - `ReasonsByRuntime`, `EveryBrokenField`: typify's builder setters keep the conversion's
//!   reason through one runtime call, and its `TryFrom<builder>` names every broken field
//!   ([`builder_errors`]).
//! - `DocumentedNames`: a property renamed so its Rust field differs from another's
//!   ([`crate::lower::properties`]) is serialized under its documented name.
//! - `LowercaseVariants`: typify's variants for values such as `+1` (`plus1`) raise no warning.
//! - `SkipAbsentBoxed`: an optional field typify boxes (its type contains its own struct) is
//!   skipped when empty, as every other optional field is, instead of sent as `null`.
//! - `LenientConstrainedStrings`: a constrained string (`maxLength`, `pattern`, ...) decodes
//!   what the server sends; `parse` and `try_from`, which build values to send, still check.
//! - `SetterDocs`: typify's builder setters carry their field's description, limits, default
//!   and example ([`crate::plan::setter_docs`]); its `builder()` constructors say what they give.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, ItemImpl, Pat};

use crate::plan::ClientPlan;

mod builder_errors;
pub mod canary;
mod explicit_null;
pub(crate) mod lean_deserialize;
mod lean_string_enums;
mod open_enums;
mod optional_setters;
mod redacted_debug;

use explicit_null::{three_state_fields, three_state_setter};
use open_enums::{collect_tagged_enums, display_unknown_values, open_string_enums};

/// What the fixes need to know about the spec the items came from.
#[derive(Debug, Default)]
pub struct ItemFixes {
    /// Property names given in lowering → the documented names.
    renamed_properties: BTreeMap<String, String>,
    /// Rust type → its three-state fields.
    explicit_null: BTreeMap<String, BTreeSet<String>>,
    /// Struct → field → its setter's doc comment.
    setter_docs: BTreeMap<String, BTreeMap<String, String>>,
    /// Struct → its fields that hold a secret, left out of `Debug`.
    sensitive: BTreeMap<String, BTreeSet<String>>,
    /// Enums with a serde tagging attribute (`#[serde(tag = "type")]`): not opened, so their
    /// `Display` (printed as its own item) gets no `Unknown` arm either.
    tagged_enums: BTreeSet<String>,
}

impl ItemFixes {
    /// The fixes a client module needs, from its plan.
    pub fn new(plan: &ClientPlan) -> Self {
        Self {
            renamed_properties: plan.renamed_properties.clone(),
            tagged_enums: BTreeSet::new(),
            explicit_null: plan.explicit_null_fields.clone(),
            sensitive: plan.sensitive_fields.clone(),
            setter_docs: plan.setter_docs.clone(),
        }
    }

    /// Records which enums of `tokens` (the module about to be printed) carry a serde tagging
    /// attribute, so each item's fix knows it without the whole file's syntax tree.
    pub fn seeing(mut self, tokens: &proc_macro2::TokenStream) -> Self {
        collect_tagged_enums(tokens.clone(), &mut self.tagged_enums);
        self
    }

    /// [`ItemFixes::seeing`] for a module whose trees are already collected.
    pub fn seeing_trees(mut self, trees: &[proc_macro2::TokenTree]) -> Self {
        open_enums::collect_tagged_enums_in(trees, &mut self.tagged_enums);
        self
    }

    /// The fixes of a client module's operation builders, which are structs and their
    /// inherent impls: [`Self::new`] without what [`Self::seeing`] learns, which is about enums
    /// only, so the builders can be printed before the rest of the module is made.
    pub fn for_operation_builders(plan: &ClientPlan) -> Self {
        Self::new(plan)
    }

    /// The fixes a module of types alone needs (no operations).
    pub fn for_types(renamed_properties: &BTreeMap<String, String>) -> Self {
        Self { renamed_properties: renamed_properties.clone(), ..Self::default() }
    }

    /// What the fixes do to the type `name` because of its name rather than its tokens, as text:
    /// two types with the same tokens are the same type only if this is the same too
    /// ([`crate::generate::layout::same_types`]).
    pub(crate) fn treatment_of(&self, name: &str) -> String {
        format!(
            "{:?} {:?} {:?} {}",
            self.explicit_null.get(name),
            self.sensitive.get(name),
            self.setter_docs.get(name),
            self.tagged_enums.contains(name)
        )
    }

    /// Applies every fix to the items of `file`.
    pub fn apply(&self, file: &mut syn::File) {
        self.apply_before_lean(file);
        lean_deserialize::lean_deserialize(&mut file.items);
    }

    /// Every fix but the last, lean `Deserialize`, which reads what the others leave.
    pub(crate) fn apply_before_lean(&self, file: &mut syn::File) {
        Fixer { fixes: self, tagged: false, three_state: None }.visit_file_mut(file);
        open_string_enums(&mut file.items);
        lean_string_enums::lean_string_enums(&mut file.items);
        redacted_debug::redact_debug(&mut file.items, &self.sensitive);
    }
}

/// Documents typify's `pub fn builder()` of a type, which it leaves without a doc comment.
fn document_builder_constructor(item: &mut ItemImpl) {
    for member in item.items.iter_mut() {
        let syn::ImplItem::Fn(function) = member else { continue };
        let undocumented = !function.attrs.iter().any(|a| a.path().is_ident("doc"));
        if function.sig.ident == "builder" && function.sig.inputs.is_empty() && undocumented {
            canary::fired(canary::Pass::SetterDocs);
            function.attrs.insert(
                0,
                parse_quote!(#[doc = "A builder of this type, field by field (`.builder().name(...)`): an operation's `body` takes it as it is, `try_into()` checks it."]),
            );
        }
    }
}

/// Gives each setter of `item` (a method taking `value`, named after a field) the doc comment
/// of its field, unless it has one.
fn document_setters(item: &mut ItemImpl, docs: &BTreeMap<String, String>) {
    for member in item.items.iter_mut() {
        let syn::ImplItem::Fn(setter) = member else { continue };
        let takes_value = setter.sig.inputs.iter().any(
            |input| matches!(input, syn::FnArg::Typed(t) if matches!(&*t.pat, Pat::Ident(p) if p.ident == "value")),
        );
        let name = setter.sig.ident.to_string();
        let Some(doc) = docs.get(name.trim_start_matches("r#")) else { continue };
        if takes_value && !setter.attrs.iter().any(|a| a.path().is_ident("doc")) {
            canary::fired(canary::Pass::SetterDocs);
            setter.attrs.insert(0, parse_quote!(#[doc = #doc]));
        }
    }
}

struct Fixer<'a> {
    fixes: &'a ItemFixes,
    /// Whether the `impl` is for a tagged enum, which is not opened.
    tagged: bool,
    /// The three-state fields of the type whose `impl` is being visited.
    three_state: Option<&'a BTreeSet<String>>,
}

impl VisitMut for Fixer<'_> {
    fn visit_item_impl_mut(&mut self, item: &mut ItemImpl) {
        let builder = match &*item.self_ty {
            syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        };
        let outer = (self.tagged, self.three_state);
        self.three_state = builder.as_ref().and_then(|b| self.fixes.explicit_null.get(b));
        self.tagged = builder.as_ref().is_some_and(|b| self.fixes.tagged_enums.contains(b));
        visit_mut::visit_item_impl_mut(self, item);
        if item.trait_.is_none() && item.generics.params.is_empty() {
            optional_setters::value_setters(item);
        }
        if let Some(docs) =
            builder.as_ref().and_then(|b| self.fixes.setter_docs.get(b)).filter(|_| item.trait_.is_none())
        {
            document_setters(item, docs);
        }
        if item.trait_.is_none() {
            document_builder_constructor(item);
        }
        (self.tagged, self.three_state) = outer;
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        visit_mut::visit_impl_item_fn_mut(self, item);
        builder_errors::reasons_by_runtime(item);
        if item.sig.ident == "try_from" {
            builder_errors::every_broken_field(item);
        }
        if self.three_state.is_some_and(|fields| fields.contains(&item.sig.ident.to_string())) {
            if let Some(where_clause) = &mut item.sig.generics.where_clause {
                three_state_setter(where_clause);
            }
        }
        if item.sig.ident == "fmt" && !self.tagged {
            display_unknown_values(&mut item.block);
        }
        if item.sig.ident == "deserialize" && checks_limits_when_decoding(&item.block) {
            canary::fired(canary::Pass::LenientConstrainedStrings);
            item.block = parse_quote!({ Ok(Self(::std::string::String::deserialize(deserializer)?)) });
        }
    }

    fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
        visit_mut::visit_item_enum_mut(self, item);
        let lower = item.variants.iter().any(|v| v.ident.to_string().starts_with(|c: char| c.is_ascii_lowercase()));
        if lower {
            canary::fired(canary::Pass::LowercaseVariants);
            item.attrs.push(parse_quote!(#[allow(non_camel_case_types)]));
        }
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        visit_mut::visit_item_struct_mut(self, item);
        skip_absent_boxed_fields(item);
        if let Some(fields) = self.fixes.explicit_null.get(&item.ident.to_string()) {
            three_state_fields(item, fields);
        }
        if self.fixes.renamed_properties.is_empty() || !derives_serde(&item.attrs) {
            return;
        }
        for field in item.fields.iter_mut() {
            let Some(ident) = &field.ident else { continue };
            let serde_name = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let Some(documented) = self.fixes.renamed_properties.get(&serde_name) else { continue };
            canary::fired(canary::Pass::DocumentedNames);
            // The rename may share its attribute with `default` and `skip_serializing_if`,
            // which stay: only the rename is replaced.
            for attr in field.attrs.iter_mut().filter(|a| a.path().is_ident("serde")) {
                let Ok(metas) =
                    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                else {
                    continue;
                };
                let kept: Vec<&syn::Meta> = metas.iter().filter(|m| !m.path().is_ident("rename")).collect();
                *attr = if kept.is_empty() { parse_quote!(#[serde()]) } else { parse_quote!(#[serde(#(#kept),*)]) };
            }
            field.attrs.retain(|a| !(a.path().is_ident("serde") && a.meta.to_token_stream().to_string() == "serde ()"));
            field.attrs.push(parse_quote!(#[serde(rename = #documented)]));
        }
    }
}

/// typify boxes an optional field whose type contains its own struct (`parent: Box<Option<Team>>`)
/// and gives it `#[serde(default)]` but no `skip_serializing_if`, since `Option::is_none` does
/// not take a `Box`: a request left without it sent `"parent": null`, which a server that
/// validates refuses ("must be object"). Such a field is skipped when empty, as every other
/// optional field is.
fn skip_absent_boxed_fields(item: &mut syn::ItemStruct) {
    if !derives_serde(&item.attrs) {
        return;
    }
    for field in item.fields.iter_mut() {
        let skipped = field
            .attrs
            .iter()
            .any(|a| a.path().is_ident("serde") && a.meta.to_token_stream().to_string().contains("skip_serializing"));
        if has_serde_default(&field.attrs) && !skipped && is_boxed_option(&field.ty) {
            canary::fired(canary::Pass::SkipAbsentBoxed);
            field.attrs.push(parse_quote!(#[serde(skip_serializing_if = "crate::runtime::is_boxed_none")]));
        }
    }
}

/// Whether a type is `Box<Option<T>>` (written with any path to either).
fn is_boxed_option(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else { return false };
    let Some(outer) = path.path.segments.last().filter(|_| explicit_null::last_segment(ty) == Some("Box")) else {
        return false;
    };
    let syn::PathArguments::AngleBracketed(arguments) = &outer.arguments else { return false };
    matches!(arguments.args.first(), Some(syn::GenericArgument::Type(inner)) if explicit_null::last_segment(inner) == Some("Option"))
}

/// Whether a field has `#[serde(default)]` (alone or among other serde arguments).
fn has_serde_default(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("serde")).any(|a| {
        let text = a.meta.to_token_stream().to_string();
        text.contains("default ,") || text.ends_with("default)") || text.contains("(default")
    })
}

/// Whether the item derives serde's traits (typify's builder structs do not).
fn derives_serde(attrs: &[syn::Attribute]) -> bool {
    derives(attrs, "Serialize") || derives(attrs, "Deserialize")
}

/// The name in a field's `#[serde(rename = "...")]`, when it has one.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().filter(|a| a.path().is_ident("serde")).find_map(|a| {
        let mut found = None;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                found = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        found
    })
}

/// Whether a `deserialize` body is typify's for a constrained string:
/// `String::deserialize(deserializer)?.parse().map_err(...)`, which checks the limits.
fn checks_limits_when_decoding(body: &syn::Block) -> bool {
    let text = body.to_token_stream().to_string();
    text.starts_with("{ :: std :: string :: String :: deserialize (deserializer) ? . parse ()")
}

/// The paths a `derive` attribute lists; `None` for any other attribute.
fn derive_paths(attr: &syn::Attribute) -> Option<syn::punctuated::Punctuated<syn::Path, syn::Token![,]>> {
    if !attr.path().is_ident("derive") {
        return None;
    }
    attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated).ok()
}

/// Whether a `derive` attribute names `trait_name`.
pub(super) fn derives(attrs: &[syn::Attribute], trait_name: &str) -> bool {
    attrs
        .iter()
        .filter_map(derive_paths)
        .any(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == trait_name)))
}

/// Removes `trait_name` from the `derive` attributes, and a `derive` it leaves empty; whether
/// it was there.
pub(super) fn remove_derive(attrs: &mut Vec<syn::Attribute>, trait_name: &str) -> bool {
    let mut removed = false;
    attrs.retain_mut(|attr| {
        let Some(paths) = derive_paths(attr) else { return true };
        let kept: Vec<&syn::Path> =
            paths.iter().filter(|p| p.segments.last().is_none_or(|s| s.ident != trait_name)).collect();
        if kept.len() == paths.len() {
            return true;
        }
        removed = true;
        *attr = parse_quote!(#[derive(#(#kept),*)]);
        !kept.is_empty()
    });
    removed
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::ItemFixes;

    fn fixed(fixes: &ItemFixes, item: proc_macro2::TokenStream) -> String {
        let mut file: syn::File = syn::parse2(item).unwrap();
        fixes.apply(&mut file);
        quote!(#file).to_string()
    }

    #[test]
    fn string_enums_keep_unknown_values_under_a_free_name_and_tagged_ones_stay_closed() {
        let plain = quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
            pub enum State { #[serde(rename = "unknown")] Unknown, #[serde(rename = "on")] On }
        };
        let out = fixed(&ItemFixes::default(), plain);
        assert!(out.contains("UnknownValue (:: std :: string :: String)"), "{out}");
        assert!(out.contains("_ => Self :: UnknownValue (value . into_owned ())"), "read into it: {out}");
        assert!(out.contains("Self :: Unknown => \"unknown\""), "as_str: {out}");
        assert!(!out.contains("Copy"), "a String variant is not Copy: {out}");
        let display = quote! {
            impl ::std::fmt::Display for State {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match *self { Self::Unknown => f.write_str("unknown"), Self::On => f.write_str("on") }
                }
            }
        };
        let out = fixed(&ItemFixes::default(), display.clone());
        assert!(out.contains("Self :: UnknownValue (ref value) => f . write_str (value)"), "{out}");

        let tagged = quote! {
            #[derive(::serde::Deserialize, Clone, Debug)]
            #[serde(tag = "type")]
            pub enum State { #[serde(rename = "on")] On }
        };
        let fixes = ItemFixes::default().seeing(&quote!(#tagged #display));
        assert!(!fixed(&fixes, tagged).contains("untagged"), "a tagged enum is an object, not a string");
        assert!(!fixed(&fixes, display).contains("UnknownValue"), "nor its Display");
    }

    #[test]
    fn renamed_properties_get_their_documented_name_back_on_serializable_structs() {
        let renamed = [("is_global_2".to_string(), "is_global".to_string())].into();
        let fixes = ItemFixes::for_types(&renamed);
        let out = fixed(
            &fixes,
            quote! {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Settings {
                    #[serde(rename = "isGlobal")] pub is_global: Option<bool>,
                    pub is_global_2: Option<bool>,
                }
                pub struct Builder { is_global_2: Result<Option<bool>, String> }
            },
        );
        // The struct is plain, so its serde impls are generated and carry the names.
        assert!(out.contains("(\"isGlobal\" , :: std :: option :: Option :: Some (& self . is_global))"), "{out}");
        assert!(out.contains("(\"is_global\" , :: std :: option :: Option :: Some (& self . is_global_2))"), "{out}");
        assert!(out.contains("\"Settings\" , & [\"isGlobal\" , \"is_global\"])"), "read under them: {out}");
        assert!(out.contains("pub struct Builder { is_global_2"), "a builder is not serialized: {out}");
    }
}
