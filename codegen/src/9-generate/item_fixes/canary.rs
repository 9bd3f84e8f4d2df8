//! Which passes over typify's output changed something: the shape canary
//! (`tests/operations.rs`) generates every fixture and fails naming a pass that never fired,
//! which is what a typify or progenitor upgrade that changes the shape a pass matches looks
//! like (the pass silently stops doing its job).

use std::sync::atomic::{AtomicU32, Ordering};

/// A pass over typify's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pass {
    /// A string enum keeps a value it does not know ([`super::open_enums`]).
    OpenEnums,
    /// Its `Display` prints such a value.
    UnknownDisplayed,
    /// A string enum reads and writes itself as a string ([`super::lean_string_enums`]).
    LeanStringEnums,
    /// A plain struct's serde impls are one `visit_map` and one field list
    /// ([`super::lean_deserialize`]).
    LeanDeserialize,
    /// A struct with a secret prints it redacted ([`super::redacted_debug`]).
    RedactedDebug,
    /// An optional `nullable` request field is three-state ([`super::explicit_null`]).
    ThreeStateFields,
    /// Its builder setter takes the three states.
    ThreeStateSetters,
    /// typify's builder setters take the value, with a `set_` twin taking the `Option`
    /// ([`super::optional_setters`]).
    ValueSetters,
    /// typify's builder setters report the conversion's reason through the runtime
    /// ([`super::builder_errors`]).
    ReasonsByRuntime,
    /// typify's builder conversion reports every broken field at once.
    EveryBrokenField,
    /// A property renamed in lowering is serialized under its documented name.
    DocumentedNames,
    /// An enum with lowercase variants raises no warning.
    LowercaseVariants,
    /// An optional boxed field is skipped when empty.
    SkipAbsentBoxed,
    /// A constrained string decodes what the server sends.
    LenientConstrainedStrings,
    /// typify's builder setters carry their field's documentation.
    SetterDocs,
}

impl Pass {
    /// Every pass.
    pub const ALL: [Pass; 15] = [
        Pass::OpenEnums,
        Pass::UnknownDisplayed,
        Pass::LeanStringEnums,
        Pass::LeanDeserialize,
        Pass::RedactedDebug,
        Pass::ThreeStateFields,
        Pass::ThreeStateSetters,
        Pass::ValueSetters,
        Pass::ReasonsByRuntime,
        Pass::EveryBrokenField,
        Pass::DocumentedNames,
        Pass::LowercaseVariants,
        Pass::SkipAbsentBoxed,
        Pass::LenientConstrainedStrings,
        Pass::SetterDocs,
    ];
}

/// One bit per pass, set when it fires (a relaxed `fetch_or`: passes fire thousands of times on
/// a large API, and only "at least once" is read).
static FIRED: AtomicU32 = AtomicU32::new(0);

/// Records that `pass` changed an item.
pub(crate) fn fired(pass: Pass) {
    FIRED.fetch_or(1 << pass as u32, Ordering::Relaxed);
}

/// The passes that fired in this process so far.
pub fn passes_fired() -> Vec<Pass> {
    let bits = FIRED.load(Ordering::Relaxed);
    Pass::ALL.into_iter().filter(|pass| bits & (1 << *pass as u32) != 0).collect()
}
