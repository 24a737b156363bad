//! Every diagnostic about a path as a whole (HY8xxx, HY9xxx) on the real
//! binary: each is produced by a failing case, in every message format its
//! command has (human, short, JSON lines: a code, a severity, the path),
//! and is absent from a passing case. `tests/diagnostics.rs` checks that
//! every such code of the registry is named here.

use std::fs;
use std::path::Path;
use std::process::Command;

const PROGRAM: &str = r#"topology t { owner me }
site dc-a region=r kind=on-prem {
  kubernetes k version="1.31" {
    pool p nodes=3 cpu=8 memory="32Gi"
  }
}
service api {
  placement k
  image "registry.example.com/api:1.0"
  replicas 2
  port 8080
}
"#;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let o = Command::new(env!("CARGO_BIN_EXE_hybridc")).current_dir(dir).args(args).output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

/// The command `args` (which takes `--message-format`) reports `code` about
/// `path` with exit `exit` in all three formats.
fn in_every_format(dir: &Path, args: &[&str], code: &str, severity: &str, path: &str, exit: i32) {
    let human = run(dir, args);
    assert_eq!(human.code, exit, "{args:?}: {}", human.stderr);
    assert!(human.stderr.contains(&format!("{severity}[{code}]: ")), "{args:?}: {}", human.stderr);
    assert!(human.stderr.contains(&format!("  --> {path}\n")), "{args:?}: {}", human.stderr);
    let mut short_args = args.to_vec();
    short_args.extend(["--message-format", "short"]);
    let short = run(dir, &short_args);
    assert_eq!(short.code, exit);
    assert!(short.stderr.contains(&format!("{path}: {severity}[{code}]: ")), "{args:?}: {}", short.stderr);
    let mut json_args = args.to_vec();
    json_args.extend(["--message-format", "json"]);
    let json = run(dir, &json_args);
    assert_eq!(json.code, exit);
    let line = json.stdout.lines().find(|l| l.contains(code)).unwrap_or_else(|| panic!("{args:?}: {}", json.stdout));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(
        (v["code"].as_str(), v["severity"].as_str(), v["file"].as_str()),
        (Some(code), Some(severity), Some(path))
    );
    assert!(v["line"].is_null() && v["message"].as_str().is_some_and(|m| !m.is_empty()) && v["help"].is_string());
}

/// The command succeeds (exit 0) without any HY8xxx/HY9xxx diagnostic.
fn passes(dir: &Path, args: &[&str]) {
    let r = run(dir, args);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    assert!(!r.stderr.contains("[HY8") && !r.stderr.contains("[HY9"), "{args:?}: {}", r.stderr);
}

fn setup() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("p.hybrid"), PROGRAM).unwrap();
    tmp
}

#[test]
fn hy8001_program_unreadable() {
    let tmp = setup();
    let d = tmp.path();
    fs::create_dir(d.join("empty")).unwrap();
    in_every_format(d, &["check", "missing.hybrid"], "HY8001", "error", "missing.hybrid", 2);
    in_every_format(d, &["check", "empty"], "HY8001", "error", "empty", 2);
    in_every_format(d, &["build", "missing.hybrid", "--out", "out"], "HY8001", "error", "missing.hybrid", 2);
    let fmt = run(d, &["fmt", "missing.hybrid"]);
    assert_eq!(fmt.code, 2);
    assert!(fmt.stderr.contains("error[HY8001]"), "{}", fmt.stderr);
    passes(d, &["check", "p.hybrid"]);
    assert!(!d.join("out").exists());
}

#[test]
fn hy8002_out_unusable() {
    let tmp = setup();
    let d = tmp.path();
    fs::write(d.join("file"), "x").unwrap();
    in_every_format(d, &["build", "p.hybrid", "--out", "file"], "HY8002", "error", "file", 2);
    in_every_format(d, &["build", "p.hybrid", "--out", "."], "HY8002", "error", ".", 2);
    passes(d, &["build", "p.hybrid", "--out", "out"]);
}

#[test]
fn hy8003_unmanaged_file_in_the_way() {
    let tmp = setup();
    let d = tmp.path();
    fs::create_dir_all(d.join("out/dc-a/k/kubernetes")).unwrap();
    fs::write(d.join("out/dc-a/k/kubernetes/kustomization.yaml"), "mine\n").unwrap();
    in_every_format(d, &["build", "p.hybrid", "--out", "out"], "HY8003", "error", "out", 2);
    fs::remove_file(d.join("out/dc-a/k/kubernetes/kustomization.yaml")).unwrap();
    passes(d, &["build", "p.hybrid", "--out", "out"]);
}

#[test]
fn hy8004_link_below_out() {
    let tmp = setup();
    let d = tmp.path();
    passes(d, &["build", "p.hybrid", "--out", "out"]);
    fs::create_dir(d.join("elsewhere")).unwrap();
    fs::rename(d.join("out/dc-a"), d.join("dc-a")).unwrap();
    std::os::unix::fs::symlink("../elsewhere", d.join("out/dc-a")).unwrap();
    in_every_format(d, &["build", "p.hybrid", "--out", "out"], "HY8004", "error", "out/dc-a", 2);
    assert_eq!(fs::read_dir(d.join("elsewhere")).unwrap().count(), 0);
    fs::remove_file(d.join("out/dc-a")).unwrap();
    passes(d, &["build", "p.hybrid", "--out", "out"]);
}

#[test]
fn hy8005_out_locked() {
    let tmp = setup();
    let d = tmp.path();
    let lock = hybridc::write::lock(&d.join("out"), false, &mut |_| {}).unwrap();
    in_every_format(d, &["build", "p.hybrid", "--out", "out", "--no-wait"], "HY8005", "error", "out", 2);
    drop(lock);
    passes(d, &["build", "p.hybrid", "--out", "out", "--no-wait"]);
}

#[test]
fn hy8006_write_failed() {
    let tmp = setup();
    let d = tmp.path();
    // Files may not grow past 1 KiB, as on a full disk.
    let limited = |extra: &str| {
        let script = format!(
            "trap '' XFSZ; ulimit -f 2; exec '{}' build p.hybrid --out out {extra}",
            env!("CARGO_BIN_EXE_hybridc")
        );
        let o = Command::new("sh").current_dir(d).arg("-c").arg(script).output().unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).to_string(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, _, err) = limited("");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("error[HY8006]: cannot write") && err.contains("  --> out\n"), "{err}");
    let (code, _, err) = limited("--message-format short");
    assert_eq!(code, Some(2));
    assert!(err.contains("out: error[HY8006]: "), "{err}");
    let (code, out, _) = limited("--message-format json");
    assert_eq!(code, Some(2));
    let line = out.lines().find(|l| l.contains("HY8006")).unwrap_or_else(|| panic!("{out}"));
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    assert_eq!(v["code"], "HY8006");
    assert!(!d.join("out").exists());
    passes(d, &["build", "p.hybrid", "--out", "out"]);
}

#[test]
fn hy8007_previous_output_left_behind() {
    // Produced for real (an immutable file) in `out_safety.rs`; here the
    // warning itself, in every format, from the writer's constructor.
    let d = hybridc::write::left_behind_warning(Path::new(".out.hybridc-new-7"), "Operation not permitted");
    assert_eq!(d.code.id, "HY8007");
    assert!(!d.is_error());
    assert!(d.render_human().starts_with("warning[HY8007]: the previous output could not be removed"));
    assert!(d.render_short().starts_with(".out.hybridc-new-7: warning[HY8007]: "));
    let v: serde_json::Value = serde_json::from_str(&d.render_json_line()).unwrap();
    assert_eq!((v["severity"].as_str(), v["file"].as_str()), (Some("warning"), Some(".out.hybridc-new-7")));
}

#[test]
fn hy8008_unknown_target() {
    let tmp = setup();
    let d = tmp.path();
    in_every_format(
        d,
        &["build", "p.hybrid", "--out", "out", "--target", "kubernets"],
        "HY8008",
        "error",
        "--target",
        2,
    );
    let r = run(d, &["build", "p.hybrid", "--out", "out", "--target", "kubernets"]);
    assert!(r.stderr.contains("help: did you mean `kubernetes`?"), "{}", r.stderr);
    passes(d, &["build", "p.hybrid", "--out", "out", "--target", "kubernetes"]);
}

#[test]
fn hy8009_stale_output() {
    let tmp = setup();
    let d = tmp.path();
    passes(d, &["build", "p.hybrid", "--out", "out"]);
    passes(d, &["build", "p.hybrid", "--out", "out", "--check"]);
    fs::write(d.join("out/dc-a/k/kubernetes/kustomization.yaml"), "edited\n").unwrap();
    in_every_format(d, &["build", "p.hybrid", "--out", "out", "--check"], "HY8009", "error", "out", 1);
}

#[test]
fn hy8010_unknown_failure() {
    let tmp = setup();
    let d = tmp.path();
    let r = run(d, &["simulate", "p.hybrid", "--fail", "dc-b"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[HY8010]: `dc-b` is not a site or cluster of `t`\n  --> --fail"), "{}", r.stderr);
    assert!(r.stderr.contains("help: did you mean `dc-a`?"), "{}", r.stderr);
    passes(d, &["simulate", "p.hybrid", "--fail", "dc-a"]);
}

#[test]
fn hy8011_unknown_code() {
    let tmp = setup();
    let r = run(tmp.path(), &["explain", "HY002"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[HY8011]: `HY002` is not a hybridc diagnostic code"), "{}", r.stderr);
    assert!(r.stderr.contains("help: did you mean `HY0002`?"), "{}", r.stderr);
    passes(tmp.path(), &["explain", "HY8011"]);
}

#[test]
fn hy8012_not_formattable() {
    let tmp = setup();
    let d = tmp.path();
    // Valid KDL (a line continuation inside a property) that the formatter
    // declines: the file is left alone.
    let text = "site dc-a region=\\\n  r\n";
    fs::write(d.join("c.hybrid"), text).unwrap();
    let r = run(d, &["fmt", "c.hybrid"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error[HY8012]: `c.hybrid` cannot be formatted") && r.stderr.contains("  --> c.hybrid"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read_to_string(d.join("c.hybrid")).unwrap(), text);
    passes(d, &["fmt", "p.hybrid"]);
}

#[test]
fn hy9001_internal_error() {
    // No program can cause it: a tree with an unsafe path, as a faulty
    // target would produce, is refused before anything is written.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut tree = hybrid_emit::OutputTree::new();
    tree.add("../escape.yaml", "x".to_string());
    let e = hybridc::write::write(&out, &tree).unwrap_err();
    let d = e.diagnostic(&out);
    assert_eq!(d.code.id, "HY9001");
    assert!(d.message.contains("`../escape.yaml`"), "{}", d.message);
    assert!(!out.exists() && !tmp.path().join("escape.yaml").exists());
}
