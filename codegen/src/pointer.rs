//! JSON pointers (RFC 6901): how every report and diagnostic says where a value is.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of a child of the value at `base`.
pub fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

/// The component a local `$ref` names, as (section, name): `#/components/schemas/Pet` gives
/// `("schemas", "Pet")`. Any other reference gives `None`.
pub fn component_ref(reference: &str) -> Option<(&str, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (section, name) = rest.split_once('/')?;
    if name.contains('/') {
        return None;
    }
    Some((section, unescape(name)))
}

/// The `$ref` string that names a component.
pub fn component_ref_to(section: &str, name: &str) -> String {
    format!("#/components/{section}/{}", escape(name))
}
