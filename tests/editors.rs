//! The editor support under `editors/` agrees with the compiler: the VS Code
//! grammar highlights exactly the schema's node names and the units the
//! value parsers accept, and the extension's manifest carries the
//! workspace's version, licence and repository.

use hybrid_core::{schema, values};
use hybrid_tests::root;
use std::collections::BTreeSet;

fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `node-name` rule's regular expression as the schema dictates it: the
/// name of every node kind, sorted, as one alternation. The rule is applied
/// to the node's name alone (a capture of the `node` rule), which ends the
/// text it sees, so the match is anchored by what may not come before a
/// bare identifier and by `$`. Names are letters, digits and `-`: nothing
/// to escape.
fn node_name_regex() -> String {
    let names: BTreeSet<&str> = schema::nodes().map(|n| n.name).collect();
    assert!(names.iter().all(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')), "{names:?}");
    let alternation = names.into_iter().collect::<Vec<_>>().join("|");
    format!(r##"(?<![^\s\\/(){{}}\[\];="#])(?:{alternation})$"##)
}

#[test]
fn the_grammar_highlights_the_schema_node_names() {
    let grammar = json("editors/vscode/syntaxes/hybrid.tmLanguage.json");
    let have = grammar["repository"]["node-name"]["match"].as_str().unwrap_or_default();
    let want = node_name_regex();
    assert!(
        have == want,
        "editors/vscode/syntaxes/hybrid.tmLanguage.json: repository.node-name.match is stale; write\n{}",
        serde_json::to_string(&want).unwrap()
    );
    assert!(want.contains("|topology|") && want.contains("|site|"), "{want}");
}

/// Whether some value type accepts `1` followed by `unit`.
fn accepted_unit(unit: &str) -> bool {
    let v = format!("1{unit}");
    values::size(&v).is_some()
        || values::cpu_str(&v).is_some()
        || values::percent(&v).is_some()
        || values::duration(&v).is_some()
        || values::bandwidth(&v).is_some()
        || values::frequency(&v).is_some()
}

/// The `quantity` rule highlights a quoted number with a unit: its units
/// are the ones the value parsers accept, searched among every unit of up
/// to three letters, every letter before `bps`, `µs` and `%`.
#[test]
fn the_grammar_highlights_the_units_the_parsers_accept() {
    let grammar = json("editors/vscode/syntaxes/hybrid.tmLanguage.json");
    let rule = grammar["repository"]["quantity"]["match"].as_str().unwrap_or_default();
    let units = rule.split_once(r"(?:\.[0-9]+)?)(").and_then(|(_, rest)| rest.split_once(r#")("#)).map(|(u, _)| u);
    let units = units.unwrap_or_else(|| panic!("the quantity rule has no group of units: {rule}"));
    let mut have = BTreeSet::new();
    for alternative in units.split('|') {
        match alternative.strip_prefix('[').and_then(|a| a.strip_suffix(']')) {
            Some(class) => have.extend(class.chars().map(String::from)),
            None => {
                have.insert(alternative.to_string());
            }
        }
    }
    let letters: Vec<String> = ('a'..='z').chain('A'..='Z').map(String::from).collect();
    let mut candidates: BTreeSet<String> = ["%", "µs"].map(String::from).into();
    for a in &letters {
        candidates.insert(a.clone());
        candidates.insert(format!("{a}bps"));
        for b in &letters {
            candidates.insert(format!("{a}{b}"));
            candidates.extend(letters.iter().map(|c| format!("{a}{b}{c}")));
        }
    }
    let want: BTreeSet<String> = candidates.into_iter().filter(|u| accepted_unit(u)).collect();
    assert!(want.contains("Gi") && want.contains("ms") && want.contains("Gbps"), "{want:?}");
    assert_eq!(have, want, "editors/vscode/syntaxes/hybrid.tmLanguage.json: the quantity rule's units");
}

#[test]
fn the_extension_manifest_matches_the_workspace() {
    let manifest = json("editors/vscode/package.json");
    let cargo = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let field = |key: &str| {
        let line = cargo.lines().find(|l| l.starts_with(&format!("{key} = "))).unwrap();
        line.split('"').nth(1).unwrap().to_string()
    };
    assert_eq!(manifest["version"], field("version"), "package.json version");
    assert_eq!(manifest["license"], field("license"), "package.json license");
    assert_eq!(manifest["repository"]["url"], field("repository"), "package.json repository");
}
