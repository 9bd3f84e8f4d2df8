//! A bounded, seeded run of the spec fuzzer (`cargo xtask fuzz` runs longer ones and compiles
//! the clients): every kind of damage found in vendors' specs, at places drawn with a fixed
//! seed, on the compile fixtures. Each mutant must still give a client, and lose at most the
//! one operation the damage reaches.

use std::path::PathBuf;

use codegen_tools::fuzz::{self, Damage};
use pipeline_tests::{fixtures, load};

fn bases() -> Vec<(PathBuf, serde_json::Value)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures().join("compile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.to_string_lossy().ends_with(".overlay.yaml"))
        .collect();
    paths.sort();
    paths.into_iter().map(|p| (p.clone(), load(&p))).collect()
}

#[test]
fn every_kind_of_damage_still_gives_a_client_that_keeps_what_the_damage_does_not_reach() {
    let mutants = fuzz::mutants(&bases(), 3 * Damage::ALL.len(), 20261206, &Damage::ALL);
    assert_eq!(mutants.len(), 48, "three places for each kind");
    for kind in Damage::ALL {
        assert_eq!(mutants.iter().filter(|m| m.damage == kind).count(), 3, "{}", kind.name());
    }
    for mutant in &mutants {
        let outcome = fuzz::run(mutant);
        let what = format!("{} at {} of {} (seed {})", outcome.damage, outcome.at, outcome.base, outcome.seed);
        assert!(outcome.client, "{what}: no client: {:?}", outcome.error);
        assert!(outcome.operations_generated + 1 >= outcome.operations_total, "{what}: lost more than one operation");
        if mutant.damage != Damage::DanglingRef {
            assert_eq!(outcome.operations_generated, outcome.operations_total, "{what}: lost an operation");
        }
    }
}

#[test]
fn a_mutant_is_the_same_for_the_same_seed() {
    let bases = bases();
    let first = fuzz::mutants(&bases, 16, 7, &Damage::ALL);
    let again = fuzz::mutants(&bases, 16, 7, &Damage::ALL);
    let other = fuzz::mutants(&bases, 16, 8, &Damage::ALL);
    let places = |m: &[fuzz::Mutant]| m.iter().map(|m| (m.base.clone(), m.at.clone())).collect::<Vec<_>>();
    assert_eq!(places(&first), places(&again));
    assert_ne!(places(&first), places(&other));
    assert!(first.iter().zip(&again).all(|(a, b)| a.document == b.document));
}
