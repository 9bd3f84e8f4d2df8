//! Where generated items go: builders only for types a request sends, and a large API's
//! modules in files and cargo features per tag (codegen's `generate::layout`). The fixture is
//! `tests/fixtures/compile/tagged.yaml`, whose client `tests/fixture-clients` compiles and
//! `.ci/run` type-checks with each feature alone.

use std::fs;

use codegen::generate::layout::TagLayout;
use codegen::generate::{BuiltApi, GeneratedModule};
use codegen::pipeline::{build_api, ApiInput, PageInput};
use pipeline_tests::{fixtures, repository_root, shown};

fn tagged(layout: TagLayout) -> GeneratedModule {
    built("tagged", layout).modules.remove(0)
}

/// The API of `tests/fixtures/compile/{name}.yaml`, built as `regenerate` builds it.
fn built(name: &str, layout: TagLayout) -> BuiltApi {
    let path = fixtures().join(format!("compile/{name}.yaml"));
    let page = PageInput {
        id: "spec".into(),
        file: shown(&path),
        text: fs::read_to_string(&path).unwrap(),
        overlay: None,
        other_files: codegen_tools::workspace::files_on_disk(&repository_root(), std::path::Path::new("")),
    };
    let input = ApiInput {
        name: name.into(),
        module_names: Default::default(),
        pages: vec![page],
        strict: true,
        tag_layout: layout,
    };
    build_api(&input).unwrap()
}

fn part<'a>(module: &'a GeneratedModule, name: &str) -> &'a str {
    let found = module.parts.iter().find(|(path, _)| path == name);
    &found.unwrap_or_else(|| panic!("no part {name}: {:?}", module.parts.iter().map(|p| &p.0).collect::<Vec<_>>())).1
}

/// The attribute lines right above `declaration` in `text`.
fn gate_of(text: &str, declaration: &str) -> String {
    let at = text.find(declaration).unwrap_or_else(|| panic!("no `{declaration}` in:\n{text}"));
    let before = &text[..at];
    let item_start = before.rfind("\n}\n").map_or(0, |i| i + 3);
    before[item_start..].lines().filter(|l| !l.starts_with("///")).collect::<Vec<_>>().join("\n")
}

#[test]
fn each_tag_gets_a_feature_and_its_own_parts() {
    let module = tagged(TagLayout::Always);
    assert_eq!(module.features, ["admin", "pets", "store"]);
    // Each tag's operations are included under its feature; the untagged one always.
    assert!(module.source.contains("#[cfg(feature = \"store\")]\ninclude!(\"store.rs\");"), "{}", module.source);
    assert!(part(&module, "store.rs").contains("pub fn get_order("));
    assert!(part(&module, "shared_items.rs").contains("pub fn health("));
    assert!(!part(&module, "pets.rs").contains("get_order"), "an operation goes by its first tag only");
    // What the runtime reads about an operation goes with it, so one tag checks only its own.
    assert!(part(&module, "store.rs").contains("static OPERATION_GET_ORDER: crate::runtime::Operation"));
    assert!(part(&module, "shared_items.rs").contains("static OPERATION_HEALTH: crate::runtime::Operation"));
    assert!(!module.source.contains("static OPERATION_") && !part(&module, "pets.rs").contains("OPERATION_GET_ORDER"));
}

#[test]
fn a_type_goes_behind_the_features_of_the_operations_that_reach_it() {
    let module = tagged(TagLayout::Always);
    let shared = part(&module, "types/shared_items.rs");
    // `Pet`: listed by `pets`, part of an `Order` of `store`, never reached by `admin`.
    assert!(gate_of(shared, "pub struct Pet {").contains(r#"#[cfg(any(feature = "pets", feature = "store"))]"#));
    // `Label` only through `Pet`.
    assert!(gate_of(shared, "pub struct Label {").contains(r#"any(feature = "pets", feature = "store")"#));
    // `Problem` is every tag's error, `Health` the untagged operation's: always compiled.
    assert!(!gate_of(shared, "pub struct Problem {").contains("cfg"));
    assert!(!gate_of(shared, "pub struct Health {").contains("cfg"));
    assert!(part(&module, "types/store.rs").contains("pub struct Order {"));
    assert!(part(&module, "types/admin.rs").contains("pub struct Stats {"));
}

#[test]
fn only_types_a_request_sends_keep_a_builder() {
    for layout in [TagLayout::Always, TagLayout::Never] {
        let module = tagged(layout);
        let all: String = module.parts.iter().map(|(_, text)| text.as_str()).chain([module.source.as_str()]).collect();
        // The body and the type inside it: builders, and their constructors.
        assert!(all.contains("pub fn builder() -> builder::NewPet"), "{layout:?}");
        assert!(all.contains("pub fn builder() -> builder::NewLabel"), "{layout:?}");
        assert!(all.contains("pub struct NewLabel {"), "{layout:?}");
        // A body named as its operation's builder (`resetStats`: `ResetStats`) is still sent.
        assert!(all.contains("pub fn builder() -> builder::ResetStats"), "{layout:?}");
        // Received only: none (`Health` shares its name with its operation's builder, so it
        // keeps one: a body type often shares it).
        for received in ["Pet", "Order", "Problem", "Stats"] {
            assert!(!all.contains(&format!("-> builder::{received} ")), "{received} ({layout:?})");
        }
    }
}

#[test]
fn a_small_module_stays_one_file_unless_asked() {
    let module = tagged(TagLayout::Auto);
    assert!(module.parts.is_empty() && module.features.is_empty());
    assert!(module.source.contains("pub struct Pet {") && !module.source.contains("include!"));
}

#[test]
fn the_webhooks_module_keeps_no_builders_payloads_are_only_received() {
    let built = built("webhooks", TagLayout::Auto);
    let module = built.webhooks.expect("the fixture documents webhooks");
    assert!(module.parts.is_empty(), "a small module is one file");
    let webhooks = module.source;
    assert!(webhooks.contains("pub struct Order {") && webhooks.contains("pub fn parse("), "{webhooks}");
    assert!(!webhooks.contains("pub mod builder"), "no typify builder module: {webhooks}");
    assert!(!webhooks.contains("fn builder()"), "no builder constructors");
    assert!(webhooks.starts_with("// Generated by"), "the generated-file header");
}
