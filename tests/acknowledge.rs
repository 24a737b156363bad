//! Acknowledged warnings: where `acknowledge` is accepted, which warnings
//! it covers (its declaration, or the whole program from `topology`), that
//! the narrowest acknowledgement's reason is kept, and what is refused.

use hybrid_core::{compile, Compilation, MemoryFs};
use hybrid_diagnostics::{aggregate, render_json_acknowledged, render_json_line, render_short, Severity};

const SITE: &str = r#"
site dc-a region=r1 {
  network prod cidr="10.10.0.0/16" vlan=110
  kubernetes k1 version="1.31" {
    network prod
    pool general nodes=6 cpu=8 memory="32Gi"
  }
}
"#;

fn run(program: &str) -> Compilation {
    compile("a.hybrid".as_ref(), &MemoryFs::new().with("a.hybrid", program)).unwrap()
}

fn service(name: &str, inside: &str) -> String {
    format!("service {name} {{\n  placement k1\n  image \"r.example.com/{name}:1\"\n  port 8080\n{inside}}}\n")
}

fn codes(c: &Compilation) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code.id).collect()
}

#[test]
fn an_acknowledgement_covers_its_own_declaration_only() {
    let ack = "  acknowledge HY2101 reason=\"lab\"\n";
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}{}", service("a", ack), service("b", "")));
    assert_eq!(codes(&c), ["HY2101"], "b's warning is still printed");
    assert!(c.diagnostics.iter().all(|d| d.message.contains("`b`")));
    assert_eq!(c.acknowledged.len(), 1);
    assert!(c.acknowledged[0].diagnostic.message.contains("`a`"));
    assert_eq!(c.acknowledged[0].reason, "lab");
    assert_eq!(c.acknowledged[0].diagnostic.severity, Severity::Warning);
}

#[test]
fn topology_acknowledges_the_whole_program_and_the_narrowest_reason_wins() {
    let top = "topology t {\n  owner team\n  acknowledge lost-in-failure reason=\"one site\"\n}\n";
    let ack = "  acknowledge HY2101 reason=\"its own\"\n";
    let c = run(&format!("{top}{SITE}{}{}", service("a", ack), service("b", "")));
    assert_eq!(codes(&c), Vec::<&str>::new(), "both acknowledged, neither stale");
    let reasons: Vec<&str> = c.acknowledged.iter().map(|a| a.reason.as_str()).collect();
    assert_eq!(reasons, ["its own", "one site"]);
    assert!(c.topology.is_some());
}

#[test]
fn a_workload_with_a_profile_takes_several_acknowledgements() {
    let acks = "  use ha-critical\n  acknowledge HY2101 reason=\"one\"\n  acknowledge HY2101 reason=\"two\"\n";
    let c = run(&format!("import \"std/profiles\"\ntopology t {{ owner team }}\n{SITE}{}", service("a", acks)));
    assert_eq!(codes(&c), Vec::<&str>::new());
    assert_eq!(c.acknowledged.len(), 1);
}

#[test]
fn a_stale_acknowledgement_is_a_warning_unless_errors_stopped_the_rules() {
    let ack = "  acknowledge HY2103 reason=\"no data here\"\n";
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}", service("a", ack)));
    assert_eq!(codes(&c), ["HY2101", "HY0047"]);
    let broken = format!("topology t {{ owner team }}\n{SITE}{}", service("a", &format!("{ack}  replcas 2\n")));
    assert_eq!(codes(&run(&broken)), ["HY0002"], "no rule ran, so nothing is stale");
}

#[test]
fn acknowledge_needs_a_code_and_a_reason_and_is_not_taken_by_a_profile() {
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}", service("a", "  acknowledge HY2101\n")));
    assert!(codes(&c).contains(&"HY0007"), "{:?}", codes(&c));
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}", service("a", "  acknowledge reason=\"x\"\n")));
    assert!(codes(&c).contains(&"HY0006"), "{:?}", codes(&c));
    let profile = "profile lab {\n  acknowledge HY2101 reason=\"x\"\n}\n";
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{profile}"));
    assert!(codes(&c).contains(&"HY0002"), "{:?}", codes(&c));
}

#[test]
fn an_acknowledged_error_severity_is_not_hidden() {
    // HY2101 is an error for a critical workload: it stays, and the
    // acknowledgement matched no warning.
    let ack = "  critical #true\n  acknowledge HY2101 reason=\"lab\"\n";
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}", service("a", ack)));
    assert!(c.acknowledged.is_empty());
    assert!(c.diagnostics.iter().any(|d| d.code.id == "HY2101" && d.is_error()));
}

#[test]
fn json_carries_the_reason_as_a_sarif_suppression() {
    let ack = "  acknowledge HY2101 reason=\"a \\\"lab\\\"\"\n";
    let c = run(&format!("topology t {{ owner team }}\n{SITE}{}", service("a", ack)));
    let a = &c.acknowledged[0];
    let line = render_json_acknowledged(&a.diagnostic, &a.reason, &c.sources);
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["code"], "HY2101");
    assert_eq!(v["suppressions"][0]["kind"], "inSource");
    assert_eq!(v["suppressions"][0]["justification"], "a \"lab\"");
}

/// An override's warning (HY6012, found once the targets have emitted) is
/// acknowledged like any other, and its acknowledgement is not stale.
#[test]
fn an_overrides_warning_can_be_acknowledged() {
    let bend = "  override kubernetes kind=Deployment name=a {\n    set \"spec.replicas\" 4\n  }\n";
    let ack = "  acknowledge HY6012 HY2101 reason=\"load test\"\n";
    let program = format!("topology t {{ owner team }}\n{SITE}{}", service("a", &format!("{bend}{ack}")));
    let c = hybridc::compile("a.hybrid".as_ref(), &MemoryFs::new().with("a.hybrid", program.as_str())).unwrap();
    assert_eq!(codes(&c), Vec::<&str>::new(), "{:?}", c.diagnostics);
    let acknowledged: Vec<&str> = c.acknowledged.iter().map(|a| a.diagnostic.code.id).collect();
    assert_eq!(acknowledged, ["HY2101", "HY6012"]);
    let unacknowledged = program.replace("HY6012 ", "");
    let c = hybridc::compile("a.hybrid".as_ref(), &MemoryFs::new().with("a.hybrid", unacknowledged.as_str())).unwrap();
    assert_eq!(codes(&c), ["HY6012"]);
}

fn fleet(n: usize, acknowledged: &[usize]) -> Compilation {
    let ack = "  acknowledge HY2101 reason=\"rebuilt in minutes\"\n";
    let services: String =
        (0..n).map(|i| service(&format!("s{i}"), if acknowledged.contains(&i) { ack } else { "" })).collect();
    run(&format!("topology t {{ owner team }}\n{SITE}{services}"))
}

/// Fifty services in one cluster: fifty warnings, printed as one.
#[test]
fn fifty_services_in_one_cluster_print_one_warning_with_a_count_of_fifty() {
    let c = fleet(50, &[]);
    assert_eq!(c.diagnostics.len(), 50, "the compilation keeps one warning per declaration");
    let printed = aggregate(&c.diagnostics);
    assert_eq!(printed.len(), 1);
    let d = &printed[0];
    assert_eq!(d.count(), 50);
    assert_eq!(d.message, "services `s0`, `s1`, `s2` and 47 more have no surviving placement if cluster `k1` fails");
    assert_eq!(d.span(), c.diagnostics[0].span());
    assert!(render_short(d, &c.sources).contains("and 47 more"));
    let json: serde_json::Value = serde_json::from_str(&render_json_line(d, &c.sources)).unwrap();
    assert_eq!(json["count"], 50);
    assert_eq!(json["locations"].as_array().map(Vec::len), Some(50));
}

/// Acknowledging is per declaration, before aggregating: what is left is
/// aggregated, the acknowledged ones are counted apart.
#[test]
fn only_the_warnings_left_after_acknowledging_are_aggregated() {
    let c = fleet(50, &[0, 7]);
    assert_eq!(c.acknowledged.len(), 2);
    let printed = aggregate(&c.diagnostics);
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].count(), 48);
    assert!(printed[0].message.starts_with("services `s1`, `s2`, `s3` and 45 more have"), "{}", printed[0].message);
}
