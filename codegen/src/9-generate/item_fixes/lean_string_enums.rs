//! A smaller `Deserialize` and `Serialize` for string enums, reading and writing as serde's
//! derive does.
//!
//! A string enum (unit variants, each with its documented name, and the `Unknown(String)` that
//! keeps a value the client does not know) is most of the enums of a large client: 1,009 of
//! 1,151 on GitHub's. serde's derive writes, for each, a variant visitor for strings, bytes and
//! integers, and, because `Unknown` is `untagged`, a decoder that buffers the value and tries
//! each form in turn; `-Z self-profile` put that at about a tenth of `cargo check`. Instead, the
//! value is read as a string and matched, and written as its string.
//!
//! The same values decode to the same variants and encode to the same strings. Errors read
//! differently where the input is not a string at all: "invalid type: integer `5`, expected a
//! string" where the derive says "data did not match any variant of untagged enum". An enum
//! without `Unknown` refuses other strings with the derive's "unknown variant" error.
//!
//! An enum with any other serde attribute (a container attribute such as `tag` or
//! `rename_all`, a variant with data, `alias`, `other`) keeps the derives.

use quote::quote;
use syn::{parse_quote, Item};

use super::{derives, remove_derive};

/// Replaces the derived `Deserialize` and `Serialize` of each string enum of `items` (and of
/// their modules) with impls placed after it. Runs after the fix that adds `Unknown`.
pub(super) fn lean_string_enums(items: &mut Vec<Item>) {
    let mut at = 0;
    while at < items.len() {
        let added = match &mut items[at] {
            Item::Mod(module) => {
                if let Some((_, inner)) = &mut module.content {
                    lean_string_enums(inner);
                }
                Vec::new()
            }
            Item::Enum(item) => lean_impls(item),
            _ => Vec::new(),
        };
        let count = added.len();
        items.splice(at + 1..at + 1, added);
        at += 1 + count;
    }
}

/// The impls for `item`, after removing its serde derives and attributes; none (the derives
/// kept) when it is not a string enum.
fn lean_impls(item: &mut syn::ItemEnum) -> Vec<Item> {
    let Some(variants) = string_variants(item) else { return Vec::new() };
    if !item.generics.params.is_empty()
        || item.attrs.iter().any(|a| a.path().is_ident("serde"))
        || !derives(&item.attrs, "Deserialize")
        || !derives(&item.attrs, "Serialize")
    {
        return Vec::new();
    }
    super::canary::fired(super::canary::Pass::LeanStringEnums);
    remove_derive(&mut item.attrs, "Deserialize");
    remove_derive(&mut item.attrs, "Serialize");
    for variant in &mut item.variants {
        variant.attrs.retain(|a| !a.path().is_ident("serde"));
    }
    let name = &item.ident;
    let idents: Vec<&syn::Ident> = variants.known.iter().map(|(ident, _)| ident).collect();
    let wire: Vec<&str> = variants.known.iter().map(|(_, wire)| wire.as_str()).collect();
    let (other_read, other_written) = match &variants.unknown {
        Some(unknown) => {
            (quote!(_ => Self::#unknown(value.into_owned())), quote!(Self::#unknown(value) => value.as_str(),))
        }
        None => (
            quote!(_ => return ::std::result::Result::Err(::serde::de::Error::unknown_variant(&value, &[#(#wire),*]))),
            quote!(),
        ),
    };
    vec![
        parse_quote! {
            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<__D: ::serde::Deserializer<'de>>(deserializer: __D) -> ::std::result::Result<Self, __D::Error> {
                    let value = crate::runtime::de::string(deserializer)?;
                    ::std::result::Result::Ok(match &*value {
                        #(#wire => Self::#idents,)*
                        #other_read
                    })
                }
            }
        },
        parse_quote! {
            impl ::serde::Serialize for #name {
                fn serialize<__S: ::serde::Serializer>(&self, serializer: __S) -> ::std::result::Result<__S::Ok, __S::Error> {
                    serializer.serialize_str(match self {
                        #(Self::#idents => #wire,)*
                        #other_written
                    })
                }
            }
        },
    ]
}

/// A string enum's variants: each unit variant with its documented name, and the variant that
/// keeps unknown values, if any.
struct StringVariants {
    known: Vec<(syn::Ident, String)>,
    unknown: Option<syn::Ident>,
}

/// `item`'s variants when it is a string enum: unit variants with no serde attribute but
/// `rename`, and at most one last `untagged` variant holding a `String`.
fn string_variants(item: &syn::ItemEnum) -> Option<StringVariants> {
    let mut variants = StringVariants { known: Vec::new(), unknown: None };
    let count = item.variants.len();
    for (index, variant) in item.variants.iter().enumerate() {
        if variant.discriminant.is_some() || variants.unknown.is_some() {
            return None;
        }
        let serde: Vec<&syn::Attribute> = variant.attrs.iter().filter(|a| a.path().is_ident("serde")).collect();
        match &variant.fields {
            syn::Fields::Unit => {
                let mut wire = variant.ident.to_string().trim_start_matches("r#").to_string();
                for attr in serde {
                    wire = rename(attr)?;
                }
                variants.known.push((variant.ident.clone(), wire));
            }
            syn::Fields::Unnamed(fields) if index + 1 == count && fields.unnamed.len() == 1 => {
                let holds_string = quote!(#fields).to_string().replace(' ', "") == "(::std::string::String)";
                let untagged = serde.len() == 1 && serde[0].parse_args::<syn::Ident>().is_ok_and(|i| i == "untagged");
                if !holds_string || !untagged {
                    return None;
                }
                variants.unknown = Some(variant.ident.clone());
            }
            _ => return None,
        }
    }
    (!variants.known.is_empty()).then_some(variants)
}

/// The name of `#[serde(rename = "...")]`; `None` for any other serde attribute.
fn rename(attr: &syn::Attribute) -> Option<String> {
    let meta: syn::MetaNameValue = attr.parse_args().ok()?;
    match (meta.path.is_ident("rename"), meta.value) {
        (true, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(name), .. })) => Some(name.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn lean(item: proc_macro2::TokenStream) -> Vec<String> {
        let mut items: Vec<Item> = vec![syn::parse2(item).unwrap()];
        lean_string_enums(&mut items);
        items.iter().map(|i| i.to_token_stream().to_string()).collect()
    }

    #[test]
    fn an_open_string_enum_reads_and_writes_its_documented_names() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            pub enum BuildType {
                #[serde(rename = "legacy")]
                Legacy,
                Workflow,
                #[serde(untagged)]
                Unknown(::std::string::String),
            }
        });
        assert_eq!(out.len(), 3, "{out:?}");
        assert_eq!(
            out[0],
            "# [derive (Clone , Debug)] pub enum BuildType { Legacy , Workflow , Unknown (:: std :: string :: String) , }"
        );
        assert!(
            out[1].contains(
                "match & * value { \"legacy\" => Self :: Legacy , \"Workflow\" => Self :: Workflow , _ => Self :: Unknown (value . into_owned ()) }"
            ),
            "{}",
            out[1]
        );
        assert!(
            out[2].contains(
                "match self { Self :: Legacy => \"legacy\" , Self :: Workflow => \"Workflow\" , Self :: Unknown (value) => value . as_str () , }"
            ),
            "{}",
            out[2]
        );
    }

    #[test]
    fn a_closed_string_enum_refuses_other_values_as_the_derive_does() {
        let out = lean(quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            pub enum Order {
                #[serde(rename = "asc")]
                Asc,
                #[serde(rename = "desc")]
                Desc,
            }
        });
        assert_eq!(out[0], "pub enum Order { Asc , Desc , }");
        assert!(out[1].contains("unknown_variant (& value , & [\"asc\" , \"desc\"])"), "{}", out[1]);
    }

    #[test]
    fn enums_with_other_serde_attributes_or_data_keep_the_derives() {
        for item in [
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                #[serde(rename_all = "snake_case")]
                pub enum A {
                    One,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum B {
                    One(i64),
                    Two(::std::string::String),
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum C {
                    #[serde(alias = "one")]
                    One,
                }
            ),
            quote!(
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub enum D {
                    #[serde(untagged)]
                    Unknown(::std::string::String),
                    One,
                }
            ),
            quote!(
                #[derive(::serde::Serialize)]
                pub enum E {
                    One,
                }
            ),
        ] {
            let out = lean(item);
            assert_eq!(out.len(), 1, "{out:?}");
            assert!(out[0].contains("Serialize"), "{out:?}");
        }
    }
}
