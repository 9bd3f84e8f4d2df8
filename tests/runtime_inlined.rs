//! The runtime generated crates carry is the `codegen-runtime` crate, copied whole: every one of
//! its files is inlined, the constants the generator keeps beside it agree, and it is compiled
//! against the dependencies a generated crate declares.

use std::collections::BTreeMap;
use std::path::Path;

const RUNTIME: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../codegen/runtime");

#[test]
fn every_runtime_source_file_is_inlined() {
    let mut on_disk: Vec<String> = std::fs::read_dir(Path::new(RUNTIME).join("src"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .map(|name| if name == "lib.rs" { "mod.rs".to_string() } else { name })
        .collect();
    on_disk.sort();
    let mut inlined: Vec<String> = codegen::generate::runtime::FILES.iter().map(|(name, _)| name.to_string()).collect();
    inlined.sort();
    assert_eq!(inlined, on_disk, "list the new file in codegen::generate::runtime::FILES");
    for (name, source) in codegen::generate::runtime::FILES {
        let file = if *name == "mod.rs" { "lib.rs" } else { name };
        assert_eq!(*source, std::fs::read_to_string(Path::new(RUNTIME).join("src").join(file)).unwrap());
    }
}

#[test]
fn the_generator_sends_the_boundary_the_runtime_writes() {
    let runtime = std::fs::read_to_string(Path::new(RUNTIME).join("src/multipart.rs")).unwrap();
    let declared = format!("pub const BOUNDARY: &'static str = \"{}\";", codegen::lower::bodies::MULTIPART_BOUNDARY);
    assert!(runtime.contains(&declared), "Multipart::BOUNDARY and codegen::lower::bodies::MULTIPART_BOUNDARY differ");
}

/// `name = "requirement"` lines of a manifest's `[dependencies]` table.
fn dependencies(manifest: &str) -> BTreeMap<String, String> {
    let table = manifest.split("[dependencies]\n").nth(1).unwrap().split("\n[").next().unwrap();
    table
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, requirement)| (name.trim().to_string(), requirement.trim().to_string()))
        .collect()
}

#[test]
fn the_runtime_is_compiled_with_the_generated_crates_dependencies() {
    let runtime = dependencies(&std::fs::read_to_string(Path::new(RUNTIME).join("Cargo.toml")).unwrap());
    let generated = codegen::generate::crate_files::render_crate("probe", &[]).unwrap();
    let generated = dependencies(&generated[Path::new("Cargo.toml")]);
    for (name, requirement) in &runtime {
        assert_eq!(generated.get(name), Some(requirement), "codegen-runtime's `{name}` differs from generated crates'");
    }
}
