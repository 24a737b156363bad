//! `hybridc diff --format markdown` at scale: the comment fits one
//! pull-request comment at any budget (counted in UTF-16 code units), stays
//! well-formed Markdown (every fence and `<details>` it opens is closed),
//! keeps its summary and says what it left out — for generated reports at
//! many budgets, and for a real 1,000-service change.

use hybridc::diff::{Declared, FieldChange, FileChange, Kind, ObjectChange, ObjectKey, Report};
use hybridc::diff_markdown::{markdown, marker, size, Comment, GITHUB_COMMENT_LIMIT, MIN_COMMENT};
use proptest::prelude::*;

/// Why a text is not well-formed: a code fence or a `<details>` left open,
/// or a `</details>` with none open.
fn malformed(md: &str) -> Option<String> {
    let mut fence: Option<usize> = None;
    let mut open_details = 0usize;
    for (i, line) in md.lines().enumerate() {
        // A fence may be indented by up to three spaces.
        let indent = line.len() - line.trim_start_matches(' ').len();
        let line = if indent <= 3 { line.trim_start_matches(' ') } else { line };
        let ticks = line.len() - line.trim_start_matches('`').len();
        match fence {
            Some(n) if ticks >= n && line.trim_start_matches('`').trim().is_empty() => fence = None,
            Some(_) => {}
            None if ticks >= 3 => fence = Some(ticks),
            None => {
                open_details += line.matches("<details>").count();
                let closed = line.matches("</details>").count();
                if closed > open_details {
                    return Some(format!("line {}: `</details>` with none open", i + 1));
                }
                open_details -= closed;
            }
        }
    }
    if fence.is_some() {
        return Some("a code fence is left open".into());
    }
    (open_details > 0).then(|| format!("{open_details} <details> left open"))
}

fn comment(max_chars: usize) -> Comment<'static> {
    Comment {
        program: "infra",
        out: "generated/shop",
        max_chars,
        full_diff_url: Some("https://ci.example.com/run/7/diff.txt"),
    }
}

/// A report of `n` files, each with its objects and a text diff whose lines
/// hold non-ASCII text (characters outside the BMP count two), backticks
/// that could close a fence, and `</details>` that could close a section.
fn report(n: usize, seed: &str) -> Report {
    let mut r = Report::default();
    for i in 0..n {
        let path = format!("dc-{}/k{}/kubernetes/team/svc-{i}.yaml", i % 3, i % 2);
        let kind = [Kind::Changed, Kind::Added, Kind::Removed][i % 3];
        let body: String =
            (0..(i % 7 + 1)).map(|l| format!("line {l}: {seed} ```` </details> é 😀 |\n```\n")).collect();
        let (old, new) = match kind {
            Kind::Added => (String::new(), body),
            Kind::Removed => (body, String::new()),
            Kind::Changed => (body.clone(), body.replace("line 0", "line zero 🚀")),
        };
        r.files.push(FileChange { path: path.clone(), kind, old, new });
        for k in ["Deployment", "Service", "VirtualService"] {
            r.objects.push(ObjectChange {
                file: path.clone(),
                key: ObjectKey { kind: k.into(), namespace: Some("team".into()), name: format!("svc-{i}") },
                kind,
                fields: vec![FieldChange {
                    path: "spec.http[default].route[stable].weight".into(),
                    old: Some(format!("\"{seed}|😀\"")),
                    new: None,
                }],
                declared: (i % 4 != 0).then(|| Declared { file: "services/ünïcode.hybrid".into(), line: i + 1 }),
            });
        }
    }
    r
}

#[test]
fn sizes_count_utf16_code_units() {
    assert_eq!(size("a"), 1);
    assert_eq!(size("é"), 1);
    assert_eq!(size("😀"), 2, "outside the Basic Multilingual Plane: a surrogate pair");
    assert_eq!(marker("./generated/shop/"), "<!-- hybridc-diff out=generated/shop -->\n");
    assert_eq!(marker("a--b>c"), "<!-- hybridc-diff out=a-%2Db%3Ec -->\n");
}

#[test]
fn a_small_report_is_shown_whole() {
    let r = report(3, "x");
    let md = markdown(&r, &comment(GITHUB_COMMENT_LIMIT));
    assert!(md.starts_with("<!-- hybridc-diff out=generated/shop -->\n### hybridc: "), "{md}");
    assert!(md.contains("| ~ | Deployment team/svc-0 |  | `dc-0/k0/kubernetes/team/svc-0.yaml` |"), "{md}");
    assert!(md.contains("| services/ünïcode.hybrid:2 |"), "{md}");
    assert!(!md.contains("Left out"), "{md}");
    assert_eq!(md.matches("<details>").count(), 3);
    assert_eq!(malformed(&md), None);
}

#[test]
fn the_table_is_grouped_when_it_does_not_fit() {
    let mut r = report(400, "a long value that makes each row of the table of objects longer than a file's row");
    r.unmanaged.push("dc-0/k0/kubernetes/team/hand-made.yaml".into());
    let md = markdown(&r, &comment(20_000));
    assert!(md.contains("\n| ! 1 path in the way, left alone (`hybridc diff --stat` lists them) | | | | |\n"), "{md}");
    assert!(size(&md) <= 20_000);
    assert!(md.contains("The table of all 1200 objects does not fit in one comment; here they are grouped by"), "{md}");
    assert!(md.contains("**Left out** to fit one comment: the diffs of "), "{md}");
    assert!(md.contains("`hybridc diff infra --out generated/shop --format human`"), "{md}");
    assert!(md.contains("[the full diff](<https://ci.example.com/run/7/diff.txt>)"), "{md}");
    assert_eq!(malformed(&md), None, "{md}");
}

#[test]
fn a_headline_of_many_folders_is_the_totals() {
    let mut r = report(400, "x");
    for (i, f) in r.files.iter_mut().enumerate() {
        f.path = format!("site-{i}/cluster-{i}/kubernetes/team/svc.yaml");
    }
    for (i, o) in r.objects.iter_mut().enumerate() {
        o.file = format!("site-{}/cluster-{}/kubernetes/team/svc.yaml", i / 3, i / 3);
    }
    let md = markdown(&r, &comment(GITHUB_COMMENT_LIMIT));
    let headline = md.lines().nth(1).unwrap_or_default();
    assert_eq!(headline, "### hybridc: 402 changed, 399 added, 399 removed (1200 objects in 400 files)");
    let few = markdown(&report(3, "x"), &comment(GITHUB_COMMENT_LIMIT));
    assert_eq!(few.lines().nth(1), Some("### hybridc: 3 changed in dc-0/k0; 3 added in dc-1/k1; 3 removed in dc-2/k0"));
}

/// Every budget from nothing to the whole comment, in small steps.
#[test]
fn a_sweep_of_budgets_is_kept() {
    let r = report(30, "é😀`");
    let whole = markdown(&r, &comment(usize::MAX));
    for budget in (0..=size(&whole) + 20).step_by(97) {
        let md = markdown(&r, &comment(budget));
        assert!(size(&md) <= budget, "{} > {budget}", size(&md));
        assert_eq!(malformed(&md), None, "at {budget}");
    }
    assert_eq!(markdown(&r, &comment(size(&whole))), whole);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// At any budget the comment fits, stays well-formed, and — from the
    /// smallest budget `--max-chars` accepts — keeps the marker, the
    /// headline and a line saying what was left out.
    #[test]
    fn every_budget_is_kept(n in 0usize..60, budget in 0usize..40_000, seed in "[a-z`|<>é😀 ]{0,12}") {
        let r = report(n, &seed);
        let md = markdown(&r, &comment(budget));
        prop_assert!(size(&md) <= budget, "{} > {budget}", size(&md));
        prop_assert_eq!(malformed(&md), None);
        let whole = markdown(&r, &comment(usize::MAX));
        if budget >= MIN_COMMENT {
            let headline = if n == 0 { "**hybridc:** no change" } else { "### hybridc: " };
            prop_assert!(md.starts_with(&format!("<!-- hybridc-diff out=generated/shop -->\n{headline}")), "{}", md);
            prop_assert!(md == whole || md.contains("**Left out** to fit one comment: "), "{}", md);
        }
        if size(&whole) <= budget {
            prop_assert_eq!(md, whole);
        }
    }
}

/// A program of `n` services on one cluster with a mesh, every tenth with
/// a canary; `tag` is every image's tag.
fn services(n: usize, tag: &str) -> String {
    let mut s = String::from(
        "topology big { owner platform-team }\n\nsite dc-a region=eu-west-1 kind=on-prem {\n  kubernetes k1 version=\"1.31\" {\n    mesh istio\n    pool general nodes=400 cpu=64 memory=\"256Gi\"\n  }\n}\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "\nservice svc-{i} {{\n  placement k1\n  namespace team-{}\n  image \"registry.example.com/big/svc-{i}:{tag}\"\n  replicas 2\n  port 8080\n  acknowledge HY2101 reason=\"one site\"\n",
            i % 20
        ));
        if i % 10 == 0 {
            s.push_str("  traffic {\n    canary v2 image=\"registry.example.com/big/v2:1\" weight=10\n  }\n");
        }
        s.push_str("}\n");
    }
    s
}

#[test]
fn a_thousand_service_change_fits_one_comment() {
    let dir = tempfile::tempdir().unwrap();
    let prog = dir.path().join("prog");
    std::fs::create_dir_all(&prog).unwrap();
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_hybridc")).args(args).current_dir(dir.path()).output();
        o.unwrap()
    };
    std::fs::write(prog.join("big.hybrid"), services(1000, "1.0.0")).unwrap();
    let built = run(&["build", "prog", "--out", "out"]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    std::fs::write(prog.join("big.hybrid"), services(1000, "1.1.0")).unwrap();
    let diff = run(&["diff", "prog", "--out", "out", "--format", "markdown"]);
    assert_eq!(diff.status.code(), Some(1));
    let md = String::from_utf8(diff.stdout).unwrap();
    assert!(size(&md) <= GITHUB_COMMENT_LIMIT, "{} UTF-16 code units", size(&md));
    assert_eq!(malformed(&md), None);
    assert!(md.starts_with("<!-- hybridc-diff out=out -->\n### hybridc: 1000 changed in dc-a/k1\n"), "{}", &md[..200]);
    assert!(md.contains("here they are grouped by cluster folder and kind.\n\n"), "{md}");
    assert!(md.contains("| `dc-a/k1` | Deployment | 1000 | 0 | 0 |\n"), "{md}");
    assert!(md.contains(
        "<details><summary><code>dc-a/k1/kubernetes/team-0/svc-0.yaml</code> (changed, declared at big.hybrid:10)"
    ));
    let last = md.lines().last().unwrap_or_default();
    let left: usize = last
        .strip_prefix("**Left out** to fit one comment: the diffs of ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{last}"));
    let shown = md.matches("<details>").count();
    assert!(shown > 50 && shown + left == 1000, "{shown} shown, {left} left out");
    assert!(last.contains("`hybridc diff prog --out out --format human`"), "{last}");
    // Other forges take longer comments: `--max-chars`.
    let gitlab = run(&["diff", "prog", "--out", "out", "--format", "markdown", "--max-chars", "1000000"]);
    let long = String::from_utf8(gitlab.stdout).unwrap();
    assert!(size(&long) > GITHUB_COMMENT_LIMIT && size(&long) <= 1_000_000);
    assert_eq!(malformed(&long), None);
}
