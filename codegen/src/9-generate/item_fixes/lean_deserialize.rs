//! A smaller `Deserialize` and `Serialize` for plain structs, decoding and encoding as serde's
//! derives do.
//!
//! serde's derived `Deserialize` was about a fifth of `cargo check` on GitHub's client
//! (`-Z self-profile`): for every struct it writes a field-name visitor (strings, bytes and
//! integers), a `visit_map`, and a `visit_seq` that decodes the struct from an array, which no
//! API sends. A struct whose serde attributes are only the common ones gets, instead of the
//! derive, a `de::Fields` impl that no input type is a parameter of: its slots' type, a `slot`
//! that matches a key as text, and a `build` from the filled slots; the one generic visitor,
//! which reads keys and values, is the runtime's ([`crate::generate::runtime`]'s `de` module).
//! A generic `visit_map` per struct, as it was, took a tenth longer to check on GitHub's client
//! (`repos` alone 5.4 -> 4.9 s). Decoding is the same: a renamed
//! field is read under its documented name; an absent `Option` field is `None`, an absent field
//! with `default` its default, any other absent field the error "missing field `x`"; unknown
//! keys are skipped; errors name the same path through `serde_path_to_error`. One difference:
//! a key that appears twice keeps its last value where the derive fails ("duplicate field").
//!
//! Local names (`__D`, `__S`) are spelled as serde spells them, so they cannot
//! shadow a type a field names.
//!
//! The `Serialize` lists the fields as `&dyn erased_serde::Serialize` (skipped ones `None`) for
//! the runtime's `ser::fields`: the derive's code per field, generic over the serializer, was
//! most of what was left of serde's cost. The struct then carries no serde derive or attribute.
//!
//! A three-state field (`with = "crate::runtime::explicit_null"`, `Option<Option<T>>`) is read
//! into an `Option<T>` slot, whose emptiness is the field's absence, and written as serde
//! writes an `Option<Option<T>>` (`Some(None)` as `null`), as the runtime's `explicit_null` does.
//!
//! Any other attribute (`flatten`, other `with`s, `alias`, a container attribute such as
//! `deny_unknown_fields`, `deserialize_with` other than the nullable-but-required
//! `Option::deserialize`) keeps the derives, as does a struct that does not derive both.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::{Item, Token};

use super::{derives, remove_derive};

/// Writes the `Deserialize` and `Serialize` of each plain struct of a module as cut for layout
/// (and of its modules), the impls placed after their struct. Done before the layout so that a
/// part's size budget counts the impls, and so that an impl goes behind its struct's features.
///
/// The impls are made from the struct as `fix` leaves it (other fixes add `rename` and `with`
/// attributes at print time, which decide whether the struct is plain and what it reads); the
/// struct itself is left for `fix` at print time, less its serde derives and attributes, so that
/// it is not given second impls there (and the fixes that add serde attributes skip it).
pub(crate) fn in_scope(scope: &mut crate::generate::format::Scope, fixes: &super::ItemFixes) {
    use crate::generate::format::{CutItem, Entry};
    let cut = |tokens: TokenStream| CutItem::of(tokens.into_iter().collect(), false);
    let entries = std::mem::take(&mut scope.entries);
    for entry in entries {
        match entry {
            Entry::Module(mut module) => {
                in_scope(&mut module, fixes);
                scope.entries.push(Entry::Module(module));
            }
            Entry::Item(item) => {
                let is_struct = item.shape.kind == crate::generate::layout::shape::Kind::Struct;
                let parsed = if is_struct && item.source.contains("Deserialize") {
                    item.tokens().and_then(|trees| syn::parse2::<syn::ItemStruct>(trees.iter().cloned().collect()).ok())
                } else {
                    None
                };
                let Some(mut parsed) = parsed else {
                    scope.entries.push(Entry::Item(item));
                    continue;
                };
                // The impls are written from the struct as the other fixes leave it, as tokens:
                // building them as syntax trees only to print them again was a third of this.
                let mut fixed =
                    syn::File { shebang: None, attrs: Vec::new(), items: vec![Item::Struct(parsed.clone())] };
                fixes.apply_before_lean(&mut fixed);
                let mut three_state = Vec::new();
                let written = fixed.items.iter_mut().find_map(|item| match item {
                    Item::Struct(fixed) => {
                        three_state = three_state_types(fixed);
                        lean_tokens(fixed)
                    }
                    _ => None,
                });
                if let Some(written) = written.filter(|_| drop_serde(&mut parsed)) {
                    // The fix that makes a field three-state does so only to a struct that
                    // derives serde, which this one no longer does: its types are set here.
                    for (field, ty) in parsed.fields.iter_mut().zip(three_state) {
                        if let Some(ty) = ty {
                            field.ty = ty;
                        }
                    }
                    scope.entries.push(Entry::Item(cut(parsed.to_token_stream())));
                    for implementation in written {
                        scope.entries.push(Entry::Item(cut(implementation)));
                    }
                } else {
                    scope.entries.push(Entry::Item(item));
                }
            }
        }
    }
}

/// The type of each field of `fixed` that the fixes made three-state (`Option<Option<T>>`,
/// read and written through `explicit_null`), in field order; `None` for the others.
fn three_state_types(fixed: &syn::ItemStruct) -> Vec<Option<syn::Type>> {
    let three_state = |f: &syn::Field| field(f).is_some_and(|read| read.three_state);
    fixed.fields.iter().map(|f| three_state(f).then(|| f.ty.clone())).collect()
}

/// Removes the serde derives of `item` and, with no derive left to read them, its own and its
/// fields' `#[serde]` attributes; whether it derived both.
fn drop_serde(item: &mut syn::ItemStruct) -> bool {
    if !derives(&item.attrs, "Serialize") || !derives(&item.attrs, "Deserialize") {
        return false;
    }
    remove_derive(&mut item.attrs, "Deserialize");
    remove_derive(&mut item.attrs, "Serialize");
    item.attrs.retain(|a| !a.path().is_ident("serde"));
    for field in &mut item.fields {
        field.attrs.retain(|a| !a.path().is_ident("serde"));
    }
    true
}

/// Replaces the derived `Deserialize` and `Serialize` of each plain struct of `items` (and of
/// their modules), the last of the fixes (it reads the attributes the others add).
pub(super) fn lean_deserialize(items: &mut Vec<Item>) {
    let mut added = Vec::new();
    for item in items.iter_mut() {
        match item {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    lean_deserialize(inner);
                }
            }
            Item::Struct(item) => added.extend(lean_impls(item)),
            _ => {}
        }
    }
    items.extend(added);
}

/// How an absent field is filled.
enum Absent {
    /// serde's rule: `None` for an `Option`, else "missing field".
    Missing,
    /// `#[serde(default)]`.
    Default,
    /// `#[serde(default = "path")]`.
    DefaultWith(syn::ExprPath),
    /// `deserialize_with = "Option::deserialize"`: `null` is `None`, absent is an error.
    Required,
}

/// One field as read: its Rust name, its slot's type, documented name and rule for absence.
struct Field {
    ident: syn::Ident,
    /// What its slot reads: the field's type, or for a three-state field, the `Option<T>`
    /// inside its `Option<Option<T>>`.
    ty: syn::Type,
    /// A three-state field (`with = "crate::runtime::explicit_null"`): absent is `None`, `null`
    /// is `Some(None)`, its value `Some(Some(value))`; its slot holds exactly that.
    three_state: bool,
    name: String,
    absent: Absent,
    /// Whether its type is an `Option`, which serde reads as `None` when absent.
    optional: bool,
    /// Its `skip_serializing_if` function.
    skip_if: Option<syn::ExprPath>,
}

/// The `Deserialize` and `Serialize` impls for `item`, after removing its serde derives and
/// attributes; none (the derives kept) when the struct is not plain or does not derive both.
fn lean_impls(item: &mut syn::ItemStruct) -> Vec<Item> {
    lean_tokens(item).into_iter().flatten().filter_map(|tokens| syn::parse2(tokens).ok()).collect()
}

/// [`lean_impls`] as tokens, for [`in_scope`], which cuts them without a syntax tree; `None`
/// (the derives kept) when the struct is not plain or does not derive both.
fn lean_tokens(item: &mut syn::ItemStruct) -> Option<Vec<TokenStream>> {
    if !item.generics.params.is_empty() {
        return None;
    }
    if is_transparent_newtype(item) {
        if !drop_serde(item) {
            return None;
        }
        super::canary::fired(super::canary::Pass::LeanDeserialize);
        return Some(newtype(&item.ident));
    }
    if item.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None;
    }
    let syn::Fields::Named(named) = &item.fields else { return None };
    let fields = named.named.iter().map(field).collect::<Option<Vec<Field>>>()?;
    if !drop_serde(item) {
        return None;
    }
    super::canary::fired(super::canary::Pass::LeanDeserialize);
    let [deserialize, fields_impl] = implementation(&item.ident, &fields);
    Some(vec![deserialize, fields_impl, serialization(&item.ident, &fields)])
}

/// `#[serde(transparent)] struct X(T);` with no other serde attribute: typify's newtypes.
fn is_transparent_newtype(item: &syn::ItemStruct) -> bool {
    let syn::Fields::Unnamed(fields) = &item.fields else { return false };
    let mut serde = item.attrs.iter().filter(|a| a.path().is_ident("serde"));
    let transparent =
        serde.next().is_some_and(|attr| attr.parse_args::<syn::Ident>().is_ok_and(|word| word == "transparent"));
    transparent
        && serde.next().is_none()
        && fields.unnamed.len() == 1
        && fields.unnamed.iter().all(|field| !field.attrs.iter().any(|a| a.path().is_ident("serde")))
}

/// A transparent newtype's impls: its one field's, as serde's derive reads and writes it,
/// without the derive's expansion (its `const _` block and `extern crate`) to check.
fn newtype(name: &syn::Ident) -> Vec<TokenStream> {
    vec![
        quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de> >(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                    ::serde::Deserialize::deserialize(deserializer).map(Self)
                }
            }
        },
        quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                    ::serde::Serialize::serialize(&self.0, serializer)
                }
            }
        },
    ]
}

/// A field's reading, or `None` when one of its serde attributes is not one this covers.
fn field(field: &syn::Field) -> Option<Field> {
    let ident = field.ident.clone()?;
    let mut name = ident.to_string().trim_start_matches("r#").to_string();
    let mut absent = Absent::Missing;
    let mut skip_if = None;
    let mut three_state = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let mut covered = true;
        attr.parse_nested_meta(|meta| {
            let value = |meta: &syn::meta::ParseNestedMeta| -> syn::Result<String> {
                Ok(meta.value()?.parse::<syn::LitStr>()?.value())
            };
            if meta.path.is_ident("rename") {
                name = value(&meta)?;
            } else if meta.path.is_ident("skip_serializing_if") {
                skip_if = Some(syn::parse_str(&value(&meta)?)?);
            } else if meta.path.is_ident("default") {
                absent = if meta.input.peek(Token![=]) {
                    Absent::DefaultWith(syn::parse_str(&value(&meta)?)?)
                } else {
                    Absent::Default
                };
            } else if meta.path.is_ident("with") {
                // Written as serde would for `Option<Option<T>>`; read into an `Option<T>` slot.
                covered &= value(&meta)?.replace(' ', "") == "crate::runtime::explicit_null";
                three_state = true;
            } else if meta.path.is_ident("deserialize_with") {
                let path = value(&meta)?.replace(' ', "");
                covered &= path == "::std::option::Option::deserialize" || path == "Option::deserialize";
                absent = Absent::Required;
            } else {
                covered = false;
                // Consume a value, if any, so parsing goes on.
                if meta.input.peek(Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
            }
            Ok(())
        })
        .ok()?;
        if !covered {
            return None;
        }
    }
    let ty = if three_state { option_argument(&field.ty)?.clone() } else { field.ty.clone() };
    Some(Field {
        ident,
        ty,
        three_state,
        name,
        absent,
        optional: super::explicit_null::last_segment(&field.ty) == Some("Option"),
        skip_if,
    })
}

/// `T` of `Option<T>`.
fn option_argument(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|segment| segment.ident == "Option")?;
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.first()? {
        syn::GenericArgument::Type(argument) if arguments.args.len() == 1 => Some(argument),
        _ => None,
    }
}

/// The `Deserialize` impl, a call of the runtime's `de::object` (one generic visitor for every
/// struct, which reads the keys into the struct's slots), and the struct's `de::Fields` impl:
/// its slots' type, `slot` (which slot a key fills) and `build`, none generic over the input. What makes them cheaper
/// to check than the derive, besides having no `visit_seq` and no visitor of their own: the
/// fields that can be missing are checked in one call with one `?` before the struct is built
/// from infallible calls (without a `?` per field, a crate of 1,500 readers checked a quarter
/// faster); an absent `Option` field is `None` without a fallible call; the slots' types are
/// spelled rather than inferred.
fn implementation(name: &syn::Ident, fields: &[Field]) -> [TokenStream; 2] {
    let type_name = name.to_string();
    let wire_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let slots: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("field_{i}")).collect();
    let checks: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .filter_map(|(field, slot)| {
            let name = &field.name;
            match &field.absent {
                _ if field.three_state => None,
                Absent::Missing if !field.optional => Some(quote!(#slot.settle(#name))),
                Absent::Required => Some(quote!(#slot.present(#name))),
                _ => None,
            }
        })
        .collect();
    let check = match checks.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#one?;),
        all => quote!(crate::runtime::de::settled([#(#all),*])?;),
    };
    let values = fields.iter().zip(&slots).map(|(field, slot)| {
        let ident = &field.ident;
        let value: TokenStream = match &field.absent {
            _ if field.three_state => quote!(#slot.taken()),
            Absent::Missing if field.optional => quote!(#slot.optional()),
            Absent::Missing | Absent::Required => quote!(#slot.value()),
            Absent::Default => quote!(#slot.or_else(::std::default::Default::default)),
            Absent::DefaultWith(path) => quote!(#slot.or_else(#path)),
        };
        quote!(#ident: #value,)
    });
    // Only a slot that `settle` fills when absent is changed before its value is taken.
    let bindings: Vec<TokenStream> = fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| match field.absent {
            Absent::Missing if !field.optional && !field.three_state => quote!(mut #slot),
            _ => quote!(#slot),
        })
        .collect();
    let types: Vec<TokenStream> = fields
        .iter()
        .map(|field| {
            let ty = &field.ty;
            quote!(crate::runtime::de::Slot<#ty>)
        })
        .collect();
    // Unsuffixed (`0`, not `0usize`): `slot`'s return type says what they are.
    let indexes = (0..fields.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let slots_type = tuple_tree(types);
    let pattern = tuple_tree(bindings);
    let deserialize = quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<__D: ::serde::Deserializer<'de> >(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                crate::runtime::de::object(deserializer, #type_name, &[#(#wire_names),*])
            }
        }
    };
    // With no field, a `match` whose every arm returns would make `Some(..)` unreachable code.
    let slot = if fields.is_empty() {
        quote!(::std::option::Option::None)
    } else {
        quote! {
            ::std::option::Option::Some(match key {
                #(#wire_names => #indexes,)*
                _ => return ::std::option::Option::None,
            })
        }
    };
    let key = if fields.is_empty() { format_ident!("_key") } else { format_ident!("key") };
    let fields_impl = quote! {
        impl<'de> crate::runtime::de::Fields<'de> for #name {
            type Slots = #slots_type;
            fn slot(#key: &str) -> ::std::option::Option<usize> {
                #slot
            }
            fn build(#pattern: Self::Slots) -> ::std::result::Result<Self, crate::runtime::de::Absent> {
                #check
                ::std::result::Result::Ok(#name { #(#values)* })
            }
        }
    };
    [deserialize, fields_impl]
}

/// The most elements of one tuple of slots: tuples implement `Default` up to twelve.
const TUPLE_LIMIT: usize = 12;

/// `parts` as one tuple, or, when there are more than [`TUPLE_LIMIT`], as a tuple of tuples
/// of up to that many (nested as deep as it takes), in order: the runtime's `de::Slots`
/// numbers the leaves left to right. One part is still a tuple (`(x,)`).
fn tuple_tree(mut parts: Vec<TokenStream>) -> TokenStream {
    while parts.len() > TUPLE_LIMIT {
        parts = parts.chunks(TUPLE_LIMIT).map(|chunk| quote!((#(#chunk,)*))).collect();
    }
    quote!((#(#parts,)*))
}

/// The `Serialize` impl: each field, or `None` where its `skip_serializing_if` holds, as a
/// `&dyn erased_serde::Serialize` in one list that the runtime's `ser::fields` writes, so that
/// no code per field is generic over the serializer.
fn serialization(name: &syn::Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    let entries = fields.iter().map(|field| {
        let (ident, wire) = (&field.ident, &field.name);
        let value = match &field.skip_if {
            Some(skip) => quote!(crate::runtime::ser::unless(#skip(&self.#ident), &self.#ident)),
            None => quote!(::std::option::Option::Some(&self.#ident)),
        };
        quote!((#wire, #value),)
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                crate::runtime::ser::fields(serializer, #type_name, &[#(#entries)*])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lean(item: TokenStream) -> String {
        let mut items: Vec<Item> = vec![syn::parse2(item).unwrap()];
        lean_deserialize(&mut items);
        items.iter().map(|i| i.to_token_stream().to_string()).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_plain_struct_gets_its_slots_and_a_build_with_the_documented_names_and_absence_rules() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Blob {
                #[serde(rename = "type")]
                pub type_: ::std::string::String,
                #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                pub tags: ::std::vec::Vec<::std::string::String>,
                #[serde(deserialize_with = "::std::option::Option::deserialize")]
                pub size: ::std::option::Option<i64>,
                #[serde(default = "defaults::limit")]
                pub limit: i64,
                pub note: ::std::option::Option<::std::string::String>,
            }
        });
        assert!(out.contains("# [derive (Clone , Debug)] pub struct Blob { pub type_ :"), "no serde left: {out}");
        assert!(
            out.contains("(\"tags\" , crate :: runtime :: ser :: unless (:: std :: vec :: Vec :: is_empty (& self . tags) , & self . tags))"),
            "{out}"
        );
        assert!(out.contains("(\"type\" , :: std :: option :: Option :: Some (& self . type_))"), "{out}");
        assert!(
            out.contains(
                "type Slots = (crate :: runtime :: de :: Slot < :: std :: string :: String > , crate :: runtime :: de :: Slot < :: std :: vec :: Vec < :: std :: string :: String > > , crate :: runtime :: de :: Slot < :: std :: option :: Option < i64 > > , crate :: runtime :: de :: Slot < i64 > , crate :: runtime :: de :: Slot < :: std :: option :: Option < :: std :: string :: String > > ,) ;"
            ),
            "one slot per field, in order, of the field's type: {out}"
        );
        assert!(
            out.contains("match key { \"type\" => 0 , \"tags\" => 1 , \"size\" => 2 , \"limit\" => 3 , \"note\" => 4 , _ => return :: std :: option :: Option :: None , }"),
            "each documented name to its slot: {out}"
        );
        assert!(
            out.contains("fn build ((mut field_0 , field_1 , field_2 , field_3 , field_4 ,) : Self :: Slots)"),
            "only the settled slot is mutable: {out}"
        );
        assert!(
            out.contains(
                "crate :: runtime :: de :: settled ([field_0 . settle (\"type\") , field_2 . present (\"size\")]) ? ;"
            ),
            "{out}"
        );
        assert!(out.contains("type_ : field_0 . value ()"), "{out}");
        assert!(out.contains("tags : field_1 . or_else (:: std :: default :: Default :: default)"), "{out}");
        assert!(out.contains("size : field_2 . value ()"), "{out}");
        assert!(out.contains("note : field_4 . optional ()"), "{out}");
        assert!(out.contains("limit : field_3 . or_else (defaults :: limit)"), "{out}");
        assert!(
            out.contains(
                "crate :: runtime :: de :: object (deserializer , \"Blob\" , & [\"type\" , \"tags\" , \"size\" , \"limit\" , \"note\"])"
            ),
            "{out}"
        );
        assert!(
            out.contains("impl < 'de > crate :: runtime :: de :: Fields < 'de > for Blob { type Slots"),
            "the slots and build are the struct's own, the visitor the runtime's: {out}"
        );
        assert!(!out.contains("visit_seq") && !out.contains("expecting") && !out.contains("__A"), "{out}");
    }

    #[test]
    fn structs_with_other_attributes_keep_the_derive() {
        for item in [
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(deny_unknown_fields)]
                pub struct A {
                    pub a: i64,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct B {
                    #[serde(flatten)]
                    pub extra: Map,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct C {
                    #[serde(deserialize_with = "x::y")]
                    pub c: X,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize)]
                pub struct D {
                    #[serde(rename = "d")]
                    pub d_: i64,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct E(pub i64);
            ),
        ] {
            let out = lean(item);
            assert!(out.contains(":: serde :: Deserialize ,") || out.contains(":: serde :: Deserialize)"), "{out}");
            assert!(!out.contains("impl < 'de >"), "{out}");
        }
    }

    /// `in_scope` cuts the impls from their tokens, where they were once cut from syntax trees:
    /// the text must be what syn prints (`> >`, not `>>`), as layout cuts files by text size.
    #[test]
    fn the_impls_tokens_read_as_their_syntax_trees_print_them() {
        let name: syn::Ident = syn::parse_quote!(Foo);
        let fields = vec![
            super::Field {
                ident: syn::parse_quote!(a),
                three_state: false,
                ty: syn::parse_quote!(::std::option::Option<u8>),
                name: "a".into(),
                absent: super::Absent::Missing,
                optional: true,
                skip_if: None,
            },
            super::Field {
                ident: syn::parse_quote!(b),
                three_state: false,
                ty: syn::parse_quote!(u8),
                name: "b-b".into(),
                absent: super::Absent::Missing,
                optional: false,
                skip_if: Some(syn::parse_quote!(::std::option::Option::is_none)),
            },
            super::Field {
                ident: syn::parse_quote!(r#type),
                three_state: false,
                ty: syn::parse_quote!(Vec<u8>),
                name: "type".into(),
                absent: super::Absent::Default,
                optional: false,
                skip_if: Some(syn::parse_quote!(Vec::is_empty)),
            },
            super::Field {
                ident: syn::parse_quote!(d),
                three_state: false,
                ty: syn::parse_quote!(u8),
                name: "d".into(),
                absent: super::Absent::DefaultWith(syn::parse_quote!(defaults::x_y)),
                optional: false,
                skip_if: None,
            },
            super::Field {
                ident: syn::parse_quote!(e),
                three_state: false,
                ty: syn::parse_quote!(::std::option::Option<u8>),
                name: "e".into(),
                absent: super::Absent::Required,
                optional: true,
                skip_if: None,
            },
        ];
        let [deserialize, fields_impl] = super::implementation(&name, &fields);
        for tokens in [deserialize, fields_impl, super::serialization(&name, &fields)] {
            let direct = tokens.to_string();
            let tree: syn::Item = syn::parse2(tokens).unwrap();
            assert_eq!(direct, quote::ToTokens::to_token_stream(&tree).to_string());
        }
    }

    /// The runtime's tuples of slots go up to twelve (`Default`); a wider struct's slots and
    /// its `build`'s pattern nest the same way, in field order.
    #[test]
    fn more_than_twelve_fields_nest_their_slots_in_tuples_of_twelve() {
        let names: Vec<syn::Ident> = (0..14).map(|i| format_ident!("f{i}")).collect();
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Wide { #(pub #names: u8,)* }
        });
        let slot = "crate :: runtime :: de :: Slot < u8 > ,";
        let twelve = format!("({})", [slot; 12].join(" "));
        assert!(out.contains(&format!("type Slots = ({twelve} , ({slot} {slot}) ,) ;")), "{out}");
        let first: Vec<String> = (0..12).map(|i| format!("mut field_{i} ,")).collect();
        assert!(
            out.contains(&format!(
                "fn build ((({}) , (mut field_12 , mut field_13 ,) ,) : Self :: Slots)",
                first.join(" ")
            )),
            "{out}"
        );
        assert_eq!(
            tuple_tree((0..12).map(|i| quote!(#i)).collect()).to_string(),
            quote!((0i32, 1i32, 2i32, 3i32, 4i32, 5i32, 6i32, 7i32, 8i32, 9i32, 10i32, 11i32,)).to_string()
        );
        assert_eq!(
            tuple_tree((0..145).map(|_| quote!(x)).collect()).to_string().matches('(').count(),
            1 + 2 + 13,
            "145 leaves: 13 tuples of up to 12, in 2 tuples, in one"
        );
    }

    /// A three-state field reads into an `Option<T>` slot whose emptiness is its absence, so
    /// `null` stays `Some(None)`; the struct loses its serde derives like any plain one.
    #[test]
    fn a_three_state_field_is_read_into_its_inner_option() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub struct Patch {
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                #[serde(with = "crate::runtime::explicit_null")]
                pub note: ::std::option::Option<::std::option::Option<::std::string::String>>,
                pub id: i64,
            }
        });
        assert!(out.contains("# [derive (Clone , Debug)] pub struct Patch"), "{out}");
        assert!(
            out.contains("type Slots = (crate :: runtime :: de :: Slot < :: std :: option :: Option < :: std :: string :: String > > , crate :: runtime :: de :: Slot < i64 > ,) ;"),
            "{out}"
        );
        assert!(out.contains("fn build ((field_0 , mut field_1 ,) : Self :: Slots)"), "{out}");
        assert!(out.contains("note : field_0 . taken ()") && out.contains("field_1 . settle (\"id\") ? ;"), "{out}");
        let other = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Other { #[serde(with = "crate::runtime::other")] pub a: ::std::option::Option<::std::option::Option<u8>> }
        });
        assert!(!other.contains("impl < 'de >"), "another `with` keeps the derive: {other}");
    }

    /// typify's newtypes (`#[serde(transparent)]`) read and write their one field through it.
    #[test]
    fn a_transparent_newtype_reads_and_writes_its_field() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            #[serde(transparent)]
            pub struct Stats(pub ::std::vec::Vec<i64>);
        });
        assert!(
            out.contains("# [derive (Clone , Debug)] pub struct Stats (pub :: std :: vec :: Vec < i64 >) ;"),
            "{out}"
        );
        assert!(out.contains(":: serde :: Deserialize :: deserialize (deserializer) . map (Self)"), "{out}");
        assert!(out.contains(":: serde :: Serialize :: serialize (& self . 0 , serializer)"), "{out}");
        for kept in [
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(transparent, rename = "x")]
                pub struct A(pub u8);
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct B(pub u8);
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(transparent)]
                pub struct C(#[serde(with = "w")] pub u8);
            ),
        ] {
            let out = lean(kept);
            assert!(out.contains(":: serde :: Deserialize"), "{out}");
            assert!(!out.contains("impl < 'de >"), "{out}");
        }
    }

    /// A struct with no field reads no key, and its impls compile without a warning (`Some`
    /// of a `match` whose every arm returns is unreachable code).
    #[test]
    fn a_struct_without_fields_matches_no_key() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub struct Nothing {}
        });
        assert!(out.contains("type Slots = () ;"), "{out}");
        assert!(
            out.contains(
                "fn slot (_key : & str) -> :: std :: option :: Option < usize > { :: std :: option :: Option :: None }"
            ),
            "{out}"
        );
        assert!(out.contains("fn build (() : Self :: Slots)"), "{out}");
    }
}
