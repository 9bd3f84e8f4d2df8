//! Builder errors that name every broken value, its field and the rule it breaks.
//!
//! progenitor's operation builders replace the conversion error of a parameter with
//! "conversion to `T` for team_id failed", dropping typify's reason ("longer than 4
//! characters"); `send` and typify's `TryFrom<builder>` stop at the first broken value, so a
//! caller fixes one problem per run. Here:
//! - a parameter setter keeps the reason (`V::Error: Display` joins its bound);
//! - `send` checks every parameter and the body before failing, and reports them together;
//! - typify's `TryFrom<builder::T>` reports every broken field together;
//! - each setter's message is made by one runtime function rather than its own closure and
//!   `format!` (type-checking time grows with the code of every setter).

use quote::{format_ident, ToTokens};
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, Expr, Stmt};

/// typify's `TryFrom<builder::T> for T`: `Ok(Self { a: value.a?, b: value.b? })` checks every
/// field before failing, and fails with all their messages. The struct is then built from
/// `crate::runtime::checked(field)`, which cannot fail, rather than a `?` per field: those early
/// returns were about 1 % of `cargo check` on GitHub's client.
pub(super) fn every_broken_field(function: &mut syn::ImplItemFn) {
    let Some(Stmt::Expr(Expr::Call(ok), None)) = function.block.stmts.last() else { return };
    let Some(Expr::Struct(built)) = ok.args.first() else { return };
    let fields: Vec<(syn::Member, Expr)> = built
        .fields
        .iter()
        .filter_map(|f| match &f.expr {
            Expr::Try(tried) => Some((f.member.clone(), (*tried.expr).clone())),
            _ => None,
        })
        .collect();
    if fields.len() < 2 || fields.len() != built.fields.len() || ok.func.to_token_stream().to_string() != "Ok" {
        return;
    }
    super::canary::fired(super::canary::Pass::EveryBrokenField);
    let members: Vec<&syn::Member> = fields.iter().map(|(m, _)| m).collect();
    let values: Vec<&Expr> = fields.iter().map(|(_, v)| v).collect();
    let bindings: Vec<syn::Ident> = (0..fields.len()).map(|i| format_ident!("field_{i}")).collect();
    function.block = parse_quote!({
        #(let #bindings = #values;)*
        if let Some(problems) = crate::runtime::joined(&[#(#bindings.as_ref().err()),*]) {
            return Err(problems.into());
        }
        Ok(Self { #(#members: crate::runtime::checked(#bindings),)* })
    });
}

/// `<result>.map_err(|e| format!("<context>: {e}"))`, the conversion in each of progenitor's
/// and typify's setters, becomes `crate::runtime::with_reason(<result>, "<context>")`: the same
/// message, without a closure and a `format!` to type-check in every setter.
pub(super) fn reasons_by_runtime(function: &mut syn::ImplItemFn) {
    ReasonByRuntime.visit_block_mut(&mut function.block);
}

struct ReasonByRuntime;

impl VisitMut for ReasonByRuntime {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Expr::MethodCall(call) = expr else { return };
        if call.method != "map_err" || call.args.len() != 1 {
            return;
        }
        let Expr::Closure(closure) = &call.args[0] else { return };
        let Some(context) = formatted_context(closure) else { return };
        super::canary::fired(super::canary::Pass::ReasonsByRuntime);
        let result = &call.receiver;
        *expr = parse_quote!(crate::runtime::with_reason(#result, #context));
    }
}

/// The `<context>` of `|e| format!("<context>: {e}")` (or `format!("<context>: {}", e)`), when
/// the context has no placeholder of its own.
fn formatted_context(closure: &syn::ExprClosure) -> Option<String> {
    let [syn::Pat::Ident(param)] = closure.inputs.iter().collect::<Vec<_>>()[..] else { return None };
    let body = match &*closure.body {
        Expr::Block(block) if block.block.stmts.len() == 1 => match &block.block.stmts[0] {
            Stmt::Expr(expr, None) => expr,
            _ => return None,
        },
        body => body,
    };
    let Expr::Macro(format) = body else { return None };
    if !format.mac.path.is_ident("format") {
        return None;
    }
    let arguments =
        format.mac.parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated).ok()?;
    let mut arguments = arguments.iter();
    let Some(Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. })) = arguments.next() else { return None };
    let rest: Vec<&Expr> = arguments.collect();
    let text = text.value();
    let name = &param.ident;
    let context = match rest[..] {
        [] => text.strip_suffix(&format!(": {{{name}}}"))?,
        [Expr::Path(only)] if only.path.is_ident(name) => text.strip_suffix(": {}")?,
        _ => return None,
    };
    let unescaped = context.replace("{{", "{").replace("}}", "}");
    (!context.replace("{{", "").replace("}}", "").contains(['{', '}'])).then_some(unescaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setter(tokens: proc_macro2::TokenStream) -> String {
        let mut function: syn::ImplItemFn = syn::parse2(tokens).unwrap();
        reasons_by_runtime(&mut function);
        function.to_token_stream().to_string()
    }

    #[test]
    fn typify_and_body_setters_go_through_the_runtime_and_other_formats_stay() {
        let typify = setter(quote::quote! {
            pub fn name<T>(mut self, value: T) -> Self {
                self.name = value.try_into().map_err(|e| format!("error converting supplied value for name: {e}"));
                self
            }
        });
        assert!(
            typify.contains("with_reason (value . try_into () , \"error converting supplied value for name\")"),
            "{typify}"
        );
        let body = setter(quote::quote! {
            pub fn body<V>(mut self, value: V) -> Self {
                self.body = value.try_into().map(From::from).map_err(|s| format!("conversion to `Pet` for body failed: {}", s));
                self
            }
        });
        assert!(
            body.contains(
                "with_reason (value . try_into () . map (From :: from) , \"conversion to `Pet` for body failed\")"
            ),
            "{body}"
        );
        let other = setter(quote::quote! {
            fn f(&self) -> Result<u8, String> { self.x.map_err(|e| format!("{} of {e}", self.name)) }
        });
        assert!(other.contains("format !"), "a context with a placeholder of its own stays: {other}");
    }
}
