//! The registry of diagnostic codes. Every diagnostic the compiler can
//! report has a row here and an explanation in `codes/HYxxxx.md` (sections
//! What it checks / Why / Example / Fix), read by `hybridc explain` and the
//! book's error index. Codes are never reused: a retired code keeps its row
//! with `retired: true`.
//!
//! Ranges: HY0xxx structure and types, HY1xxx networks, HY2xxx
//! availability, HY3xxx data protection, HY4xxx capacity and GPUs, HY5xxx
//! traffic, HY6xxx security, HY7xxx placement, HY9xxx internal.

use crate::diagnostic::Severity;

/// A registered diagnostic code.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// `HY` + four digits.
    pub id: &'static str,
    /// Kebab-case name; the constructor function has the same name.
    pub name: &'static str,
    /// Default severity (a rule may raise or lower it per program, as
    /// CHECKS.md says, e.g. a loss that is an error only for `critical`).
    pub severity: Severity,
    /// One-line summary for indexes.
    pub summary: &'static str,
    /// The long explanation (Markdown).
    pub explanation: &'static str,
    /// Retired codes stay registered so their number is never reused.
    pub retired: bool,
}

impl Code {
    /// Looks a code up by id (`HY0002`, case-insensitive) or by name.
    pub fn find(key: &str) -> Option<&'static Code> {
        CODES.iter().copied().find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
    }
}

macro_rules! codes {
    ($($konst:ident = $id:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $konst: Code = Code {
                id: $id,
                name: $name,
                severity: Severity::$sev,
                summary: $summary,
                explanation: include_str!(concat!("../codes/", $id, ".md")),
                retired: false,
            };
        )*
        /// Every registered code, in numeric order.
        pub static CODES: &[&Code] = &[$(&$konst),*];
    };
}

codes! {
    SYNTAX_ERROR = "HY0001" "syntax-error" Error "the file is not valid KDL v2";
    UNKNOWN_NODE = "HY0002" "unknown-node" Error "a node that its parent does not accept";
    UNKNOWN_PROPERTY = "HY0003" "unknown-property" Error "a property that the node does not accept";
    UNEXPECTED_ARGUMENT = "HY0004" "unexpected-argument" Error "more positional arguments than the node accepts";
    MISSING_NODE = "HY0005" "missing-node" Error "a required child node is missing";
    MISSING_ARGUMENT = "HY0006" "missing-argument" Error "a required positional argument is missing";
    MISSING_PROPERTY = "HY0007" "missing-property" Error "a required property is missing";
    WRONG_TYPE = "HY0008" "wrong-type" Error "a value of the wrong type or unit";
    UNKNOWN_ENUM_VALUE = "HY0009" "unknown-enum-value" Error "a word that is not one of the allowed values";
    INVALID_NAME = "HY0010" "invalid-name" Error "a name that is not a DNS-1123 label";
    DUPLICATE_DECLARATION = "HY0011" "duplicate-declaration" Error "two declarations with the same name in one scope";
    UNKNOWN_REFERENCE = "HY0012" "unknown-reference" Error "a reference to a name that is not declared";
    AMBIGUOUS_REFERENCE = "HY0013" "ambiguous-reference" Error "a bare name that matches several declarations";
    WRONG_REFERENCE_KIND = "HY0014" "wrong-reference-kind" Error "a reference to a declaration of the wrong kind";
    IMPORT_NOT_FOUND = "HY0015" "import-not-found" Error "an import that names no file or stdlib module";
    UNKNOWN_PROFILE = "HY0016" "unknown-profile" Error "`use` of a profile that is not declared";
    USE_CYCLE = "HY0017" "use-cycle" Error "profiles that `use` each other in a cycle";
    VERSION_AS_NUMBER = "HY0018" "version-as-number" Error "a version written as a number instead of a string";
    LITERAL_SECRET = "HY0019" "literal-secret" Error "a secret-looking variable given a literal value";
    DUPLICATE_ENTRY = "HY0020" "duplicate-entry" Error "a property or single child node written twice";
    TOPOLOGY_COUNT = "HY0021" "topology-count" Error "a program without exactly one `topology`";
    PROFILE_NODE_NOT_ACCEPTED = "HY0022" "profile-node-not-accepted" Error "a profile node that the using workload's kind does not accept";
    VALUE_OUT_OF_RANGE = "HY0023" "value-out-of-range" Error "a number outside the range its property allows";
    TYPE_ANNOTATION = "HY0024" "type-annotation" Error "a KDL type annotation, which hybridc does not use";
    INVALID_CIDR = "HY1001" "invalid-cidr" Error "a malformed CIDR or one with host bits set";
}

/// The book's error index: every code with its summary, then every
/// explanation. `cargo xtask reference` writes it; a test fails when stale.
pub fn error_index() -> String {
    let mut out = String::from(
        "# Error index\n\n<!-- Generated from compiler/diagnostics/codes/ by `cargo xtask reference`; do not edit. -->\n\n\
         Every diagnostic hybridc reports. `hybridc explain CODE` prints the same text.\n\n| code | name | severity | summary |\n|---|---|---|---|\n",
    );
    for c in CODES {
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} |\n",
            c.id,
            c.id.to_lowercase(),
            c.name,
            c.severity,
            c.summary
        ));
    }
    for c in CODES {
        out.push('\n');
        // Demote the explanation's headings one level under the index.
        for line in c.explanation.trim_end().lines() {
            if line.starts_with('#') {
                out.push('#');
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let mut ids = BTreeSet::new();
        let mut names = BTreeSet::new();
        for c in CODES {
            assert!(ids.insert(c.id), "{} used twice", c.id);
            assert!(names.insert(c.name), "{} used twice", c.name);
            assert!(c.id.len() == 6 && c.id.starts_with("HY"), "{}", c.id);
            assert!(c.id[2..].chars().all(|ch| ch.is_ascii_digit()), "{}", c.id);
        }
        let sorted: Vec<_> = CODES.iter().map(|c| c.id).collect();
        let mut again = sorted.clone();
        again.sort();
        assert_eq!(sorted, again, "CODES must be in numeric order");
    }

    #[test]
    fn find_by_id_or_name() {
        assert_eq!(Code::find("hy0002").map(|c| c.name), Some("unknown-node"));
        assert_eq!(Code::find("unknown-node").map(|c| c.id), Some("HY0002"));
        assert!(Code::find("HY9999").is_none());
    }
}
