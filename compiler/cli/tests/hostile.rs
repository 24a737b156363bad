//! Hostile input on the real binary. Whatever the input — names that try to
//! leave OUT, strings full of YAML, HCL and template syntax, control and
//! bidi characters, 100,000 levels of nesting, a 100 MB file, 10,000
//! imports, imports of folders, FIFOs and symlink loops, an OUT that is a
//! file, read-only, a symlink or inside the program — `hybridc` never
//! panics, never hangs, never writes outside OUT, and either reports a
//! diagnostic with a code on the exact token or writes output that parses
//! back (YAML, JSON, HCL) to exactly the strings of the program.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `hybridc` in `dir`; kills it and fails the test after `limit`.
/// Fails on a panic or a crash (a signal, exit 101, `panicked`, a stack
/// overflow).
fn hybridc_in(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).to_string()
        })
    };
    let out = pipe(Box::new(child.stdout.take().unwrap()));
    let err = pipe(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`hybridc {}` did not finish in {limit:?}", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let run = Run { code: status.code().unwrap_or(-1), stdout: out.join().unwrap(), stderr: err.join().unwrap() };
    use std::os::unix::process::ExitStatusExt;
    assert!(
        status.signal().is_none(),
        "`hybridc {}` was killed by signal {:?}: {}",
        args.join(" "),
        status.signal(),
        run.stderr
    );
    assert_ne!(run.code, 101, "`hybridc {}` panicked: {}", args.join(" "), run.stderr);
    for bad in ["panicked", "overflowed its stack", "RUST_BACKTRACE"] {
        assert!(!run.stderr.contains(bad), "`hybridc {}`: {}", args.join(" "), run.stderr);
    }
    run
}

const LIMIT: Duration = Duration::from_secs(60);

fn hybridc(dir: &Path, args: &[&str]) -> Run {
    hybridc_in(dir, args, LIMIT)
}

/// The diagnostics of a `--message-format json` run.
fn diagnostics(run: &Run) -> Vec<serde_json::Value> {
    run.stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// Where the `nth` occurrence of `token` is in `text`: 1-based line and
/// column (in characters) of its start and end.
fn position(text: &str, token: &str, nth: usize) -> (usize, usize, usize, usize) {
    let at =
        text.match_indices(token).nth(nth).map(|(i, _)| i).unwrap_or_else(|| panic!("no `{token}` in the program"));
    let lc = |i: usize| {
        let before = &text[..i];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        (line, col)
    };
    let (l, c) = lc(at);
    let (el, ec) = lc(at + token.len());
    (l, c, el, ec)
}

/// Asserts a diagnostic `code` whose primary label covers exactly the
/// `nth` `token` of `file` (whose text is `text`), and returns it.
fn assert_diagnostic(run: &Run, code: &str, file: &str, text: &str, token: &str, nth: usize) -> serde_json::Value {
    let (line, col, end_line, end_col) = position(text, token, nth);
    let all = diagnostics(run);
    let found = all.iter().find(|d| {
        d["code"] == code
            && d["labels"].as_array().into_iter().flatten().any(|l| {
                l["primary"] == true
                    && l["file"].as_str().is_some_and(|f| f.ends_with(file))
                    && l["line"] == line
                    && l["column"] == col
                    && l["end_line"] == end_line
                    && l["end_column"] == end_col
            })
    });
    match found {
        Some(d) => {
            assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()), "{d}");
            d.clone()
        }
        None => panic!(
            "expected {code} on `{token}` at {file}:{line}:{col}-{end_line}:{end_col}; got:\n{}\n{}",
            run.stdout, run.stderr
        ),
    }
}

/// Every file below `dir` (not following links) with its bytes; links as
/// `-> target`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false).into_iter().filter_map(Result::ok) {
        let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
        let ft = e.file_type();
        if ft.is_symlink() {
            let t = fs::read_link(e.path()).unwrap();
            out.insert(rel, format!("-> {}", t.display()).into_bytes());
        } else if ft.is_file() {
            out.insert(rel, fs::read(e.path()).unwrap());
        } else if ft.is_dir() {
            out.insert(rel, b"/".to_vec());
        }
    }
    out
}

/// A small valid program on Kubernetes (with Istio), OpenStack and vSphere
/// in which every free-text string that reaches output is `@P@`, and every
/// string with a syntax of its own is a placeholder of its kind: `@N@` a vm
/// image name (any text, no whitespace around it), `@L@` a label or taint
/// value, `@H@` an exposed host, `@T@` a header name, `@I@` a container
/// image (a KDL string literal is substituted for each).
const EVERY_STRING: &str = r#"topology shop {
  owner @P@
  label "example.com/cost-center" @L@
}

site dc-a region=@P@ kind=on-prem provider=@P@ {
  network prod cidr="10.10.0.0/16" vlan=110 zone=@P@
  kubernetes shop-a version="1.31" {
    control-plane replicas=3
    network prod
    mesh istio mtls=strict
    kubevirt
    gitops argocd repo=@P@ revision=@P@
    pool general nodes=6 cpu=32 memory="128Gi" {
      label "example.com/role" @L@
      taint dedicated value=@L@ effect=NoSchedule
    }
  }
  ceph ssd-pool nodes=5 media=ssd
  openstack cloud-a release=@P@ {
    controllers 3
    compute nodes=6 cpu=64 memory="512Gi"
    flavor m1-large cpu=8 memory="32Gi" disk="80Gi"
    network prod
    volume-type ssd backend=ssd-pool
  }
  vsphere vs-a version="8.0" datacenter=@P@ {
    hosts count=4 cpu=48 memory="1Ti"
    network prod
  }
}

service order {
  placement shop-a
  image @I@
  port 8080 protocol=http
  probe liveness=@P@ readiness=@P@ port=8080
  env GREETING @P@
  secret-env DB_PASSWORD secret=orders-db key=@P@
  expose host=@H@ tls=#true
  traffic {
    canary v2 image=@I@ weight=10 {
      match header=@T@ exact=@P@
    }
    retry attempts=3 on=@P@
  }
}

service orders-db {
  placement shop-a
  image @I@
  port 5432 protocol=tcp
  volume data size="5Gi" mount=@P@
}

service shop-web {
  placement shop-a
  image @I@
  port 8080 protocol=http
  traffic {
    blue-green active=blue blue=@I@ green=@I@
  }
}

vm os-vm {
  placement cloud-a
  image @N@
  cpu 4
  memory "16Gi"
  network prod
  disk root size="40Gi" storage=ssd boot=#true
}

vm vs-vm {
  placement vs-a
  image @N@
  cpu 4
  memory "16Gi"
  network prod
  disk root size="40Gi" boot=#true
}

job batch-run {
  placement shop-a
  image @I@
  command @P@ @P@
}
"#;

/// `s` as a KDL v2 quoted string: escapes for `"`, `\`, whitespace escapes
/// and every code point KDL forbids in source text.
fn kdl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || c == '\u{7F}'
                || c == '\u{85}'
                || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
                || matches!(c, '\u{0B}' | '\u{0C}' | '\u{2028}' | '\u{2029}') =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every string value in a parsed output file (mapping keys, HCL block
/// labels and identifiers excluded), sorted.
fn strings_of(path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if path.ends_with(".yaml") {
        use serde::Deserialize;
        for doc in yaml_serde::Deserializer::from_str(text) {
            let v = yaml_serde::Value::deserialize(doc).unwrap_or_else(|e| panic!("{path} is not YAML: {e}\n{text}"));
            yaml_strings(&v, &mut out);
        }
    } else if path.ends_with(".json") {
        let v: serde_json::Value =
            serde_json::from_str(text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}\n{text}"));
        json_strings(&v, &mut out);
    } else if path.ends_with(".tf") {
        let body = hcl::parse(text).unwrap_or_else(|e| panic!("{path} is not HCL: {e}\n{text}"));
        hcl_body_strings(path, &body, &mut out);
    } else if path.ends_with(".md") {
        out.push(text.to_string());
    } else {
        panic!("unexpected output file {path}");
    }
    out.sort();
    out
}

fn yaml_strings(v: &yaml_serde::Value, out: &mut Vec<String>) {
    match v {
        yaml_serde::Value::String(s) => out.push(s.clone()),
        yaml_serde::Value::Sequence(items) => items.iter().for_each(|i| yaml_strings(i, out)),
        yaml_serde::Value::Mapping(m) => m.values().for_each(|i| yaml_strings(i, out)),
        yaml_serde::Value::Tagged(t) => panic!("a YAML tag in the output: {t:?}"),
        _ => {}
    }
}

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| json_strings(i, out)),
        serde_json::Value::Object(m) => m.values().for_each(|i| json_strings(i, out)),
        _ => {}
    }
}

fn hcl_body_strings(path: &str, body: &hcl::Body, out: &mut Vec<String>) {
    for s in body.iter() {
        match s {
            hcl::Structure::Attribute(a) => hcl_strings(path, &a.expr, out),
            hcl::Structure::Block(b) => hcl_body_strings(path, &b.body, out),
        }
    }
}

/// The strings of an expression; a template must evaluate with no
/// variables at all (an interpolation that got through would not).
fn hcl_strings(path: &str, e: &hcl::Expression, out: &mut Vec<String>) {
    use hcl::eval::Evaluate;
    match e {
        hcl::Expression::String(s) => out.push(s.clone()),
        hcl::Expression::TemplateExpr(_) => match e.evaluate(&hcl::eval::Context::new()) {
            Ok(hcl::Value::String(s)) => out.push(s),
            other => panic!("{path}: a template that is not a plain string: {e:?} → {other:?}"),
        },
        hcl::Expression::Array(items) => items.iter().for_each(|i| hcl_strings(path, i, out)),
        hcl::Expression::Object(m) => m.values().for_each(|i| hcl_strings(path, i, out)),
        hcl::Expression::FuncCall(f) => f.args.iter().for_each(|i| hcl_strings(path, i, out)),
        _ => {}
    }
}

/// A Heat parameter or resource name made from a string (the image of a
/// parameter, the zone of a security group): an identifier, not the string,
/// so it does not round-trip (the targets' own tests cover its rules).
fn derived_identifier(s: &str) -> bool {
    ["image_", "secgroup_", "template_"].iter().any(|p| s.starts_with(p))
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// What `EVERY_STRING`'s placeholders are filled with.
#[derive(Clone, Copy)]
struct Fill<'a> {
    /// `@P@`, and `@N@` as `tpl-TEXT-tpl` (a vm image name has no
    /// whitespace around it).
    text: &'a str,
    label: &'a str,
    host: &'a str,
    header: &'a str,
    image: &'a str,
}

/// Valid values for every placeholder with a syntax of its own.
const PLAIN: Fill<'static> = Fill {
    text: "registry.example.com/x:1",
    label: "plain",
    host: "shop.example.com",
    header: "x-hostile",
    image: "registry.example.com/x:1",
};

/// `EVERY_STRING` filled in.
fn program_with(f: Fill<'_>) -> String {
    EVERY_STRING
        .replace("@P@", &kdl_string(f.text))
        .replace("@N@", &kdl_string(&format!("tpl-{}-tpl", f.text)))
        .replace("@L@", &kdl_string(f.label))
        .replace("@H@", &kdl_string(f.host))
        .replace("@T@", &kdl_string(f.header))
        .replace("@I@", &kdl_string(f.image))
}

/// Builds `EVERY_STRING` with `payload` in every free-text string; `Ok(strings of
/// every output file)` or `Err(the run)` when the build was refused.
fn build_with(payload: &str) -> Result<BTreeMap<String, Vec<String>>, Run> {
    build_program(&program_with(Fill { text: payload, ..PLAIN }))
}

/// Builds `program`; `Ok(strings of every output file)` or `Err(the run)`
/// when the build was refused.
fn build_program(program: &str) -> Result<BTreeMap<String, Vec<String>>, Run> {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("p.hybrid"), program).unwrap();
    let run = hybridc(tmp.path(), &["build", "p.hybrid", "--out", "out", "--message-format", "json"]);
    if run.code != 0 {
        assert!(!tmp.path().join("out").exists(), "a refused build wrote OUT");
        return Err(run);
    }
    let mut files = BTreeMap::new();
    let out = tmp.path().join("out");
    for e in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&out).unwrap().to_string_lossy().to_string();
        let text = String::from_utf8(fs::read(e.path()).unwrap()).unwrap();
        assert_visible(&rel, &text);
        let strings = strings_of(&rel, &text).into_iter().filter(|s| !derived_identifier(s)).collect();
        // The manifest holds paths and hashes: it parses, and that is all
        // a payload can change in it.
        if rel != "hybrid-manifest.json" {
            files.insert(rel, strings);
        }
    }
    Ok(files)
}

/// The strings every payload must come back as: those of a build with a
/// harmless marker, the marker replaced by the payload.
fn expected_with(
    baseline: &BTreeMap<String, Vec<String>>,
    marker: &str,
    payload: &str,
) -> BTreeMap<String, Vec<String>> {
    baseline
        .iter()
        .map(|(path, strings)| {
            let mut v: Vec<String> = strings.iter().map(|s| s.replace(marker, payload)).collect();
            v.sort();
            (path.clone(), v)
        })
        .collect()
}

/// Strings that break YAML, JSON, HCL, templates or terminals, in every
/// free-text position of the language: each build either succeeds and
/// every output file parses back to exactly the program's strings (no
/// string split, truncated, interpolated or re-typed), or is refused with
/// diagnostics.
#[test]
fn strings_round_trip_through_every_output_format() {
    const MARKER: &str = "plain-marker-7f3a";
    let baseline =
        build_with(MARKER).unwrap_or_else(|r| panic!("the baseline does not build:\n{}{}", r.stdout, r.stderr));
    // Free text reaches output in about thirty places (values, descriptions,
    // vm image names); label values and the like are covered below.
    assert!(baseline.values().flatten().filter(|s| s.contains(MARKER)).count() >= 25);
    let payloads = [
        "a: b # c",
        "key: value\n- item\n# comment",
        "line one\nline two\n",
        "trailing newline\n",
        "\r\nwindows\r\n",
        "tab\there",
        "{{ .Values.secret }} {{- include \"x\" . }}",
        "${var.secret} ${file(\"/etc/passwd\")}",
        "%{ if true }x%{ endif }",
        "$${escaped} %%{escaped} $$ %% $ %",
        "'single' \"double\" `back`",
        "back\\slash \\n \\\\ \\u0041 \\\"",
        "nul\u{0}byte",
        "bell\u{7}esc\u{1b}[31mdel\u{7f}",
        "nel\u{85}ls\u{2028}ps\u{2029}",
        "\u{202E}evil\u{202C} \u{2066}isolate\u{2069}",
        "zero\u{200B}width\u{200D}joiner\u{FEFF}",
        "ünïcødé 日本語 🚀 \u{10FFFF}",
        "- leading dash",
        "? question",
        "*alias",
        "&anchor",
        "!tag",
        "!!str",
        "| literal",
        "> folded",
        "---",
        "...",
        "@at",
        "[flow, seq]",
        "{flow: map}",
        " leading and trailing space ",
        "yes",
        "off",
        "~",
        "null",
        "0x1F",
        "1e3",
        "1_000",
        "12:30",
        "2024-01-01",
        ".inf",
        "<<",
        "=",
        "\"",
        "\\",
        "#",
    ];
    let mut refused = Vec::new();
    for payload in payloads {
        match build_with(payload) {
            Ok(files) => {
                let expected = expected_with(&baseline, MARKER, payload);
                assert_eq!(files.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "{payload:?}");
                for (path, strings) in &files {
                    // Markdown for operators shows program text as code
                    // spans (control characters flattened, pipes escaped,
                    // the fence longer than any backtick run): it is not a
                    // data format, and `build_with` checked it holds no
                    // raw control or bidi character.
                    if path.ends_with(".md") {
                        continue;
                    }
                    let want = &expected[path];
                    if strings != want {
                        let missing: Vec<_> = want.iter().filter(|s| !strings.contains(s)).collect();
                        let extra: Vec<_> = strings.iter().filter(|s| !want.contains(s)).collect();
                        panic!(
                            "{payload:?} does not round-trip in {path}:\nmissing {missing:#?}\nunexpected {extra:#?}"
                        );
                    }
                }
            }
            Err(run) => {
                // Refused: every diagnostic has a code, and nothing was written.
                let d = diagnostics(&run);
                assert!(!d.is_empty(), "{payload:?}: refused without a diagnostic:\n{}", run.stderr);
                assert!(d.iter().all(|d| d["code"].as_str().is_some_and(|c| c.starts_with("HY"))), "{d:?}");
                refused.push((payload, d.iter().map(|d| d["code"].to_string()).collect::<Vec<_>>()));
            }
        }
    }
    assert!(refused.is_empty(), "refused: {refused:?}");
}

/// Values with a syntax of their own (label and taint values, exposed
/// hosts, header names, container images) that a YAML reader could take
/// for something else — a boolean, a number, a date, an alias, a tag —
/// are accepted and come back as the same strings.
#[test]
fn restricted_values_that_look_like_yaml_round_trip() {
    const MARKER: &str = "plain-marker-7f3a";
    type Set = fn(Fill<'_>, &str) -> String;
    let cases: [(&str, Set, &[&str]); 4] = [
        (
            "label",
            |f, v| program_with(Fill { label: v, ..f }),
            &[
                "",
                "yes",
                "No",
                "off",
                "TRUE",
                "null",
                "Y",
                "1e3",
                "0x1F",
                "0o17",
                "010",
                "1_000",
                "1.0",
                "2024-01-01",
                "nan",
                "inf",
            ],
        ),
        (
            "host",
            |f, v| program_with(Fill { host: v, ..f }),
            &["yes", "null", "off", "1e3", "0x1f", "2024-01-01", "nan", "*.example.com"],
        ),
        (
            "header",
            |f, v| program_with(Fill { header: v, ..f }),
            &[
                "*alias", "&anchor", "!tag", "!!str", "|", "%", "#", "'q'", "`b`", "~", "yes", "null", "1e3", "x^y",
                "$x", "-", ".",
            ],
        ),
        (
            "image",
            |f, v| program_with(Fill { image: v, ..f }),
            &["yes", "null", "off", "1e3", "0x1f", "2024-01-01", "nan", "registry.example.com:5000/x:010"],
        ),
    ];
    for (kind, set, values) in cases {
        let baseline = build_program(&set(PLAIN, MARKER))
            .unwrap_or_else(|r| panic!("{kind}: the baseline does not build:\n{}{}", r.stdout, r.stderr));
        for value in values {
            let files = build_program(&set(PLAIN, value))
                .unwrap_or_else(|r| panic!("{kind} {value:?} is refused:\n{}{}", r.stdout, r.stderr));
            assert_eq!(files, expected_with(&baseline, MARKER, value), "{kind} {value:?}");
            if kind == "header" {
                // A header name is a key of the VirtualService's match,
                // which the strings above leave out: read it back there.
                let tmp = tempfile::tempdir().unwrap();
                fs::write(tmp.path().join("p.hybrid"), set(PLAIN, value)).unwrap();
                let run = hybridc(tmp.path(), &["build", "p.hybrid", "--out", "out"]);
                assert_eq!(run.code, 0, "{}", run.stderr);
                let text = fs::read_to_string(tmp.path().join("out/dc-a/shop-a/kubernetes/shop/order.yaml")).unwrap();
                let keys: Vec<String> = yaml_serde::Deserializer::from_str(&text)
                    .map(|d| {
                        use serde::Deserialize;
                        yaml_serde::Value::deserialize(d).unwrap()
                    })
                    .filter(|d| d["kind"] == "VirtualService")
                    .flat_map(|d| {
                        d["spec"]["http"][0]["match"][0]["headers"]
                            .as_mapping()
                            .map(|m| m.keys().map(|k| k.as_str().unwrap().to_string()).collect::<Vec<_>>())
                            .unwrap_or_default()
                    })
                    .collect();
                assert_eq!(keys, vec![value.to_ascii_lowercase()], "{value:?}\n{text}");
            }
        }
    }
}

/// No generated file holds a raw control or invisible character (bidi
/// controls, zero-width): they are written as escapes a reviewer sees.
fn assert_visible(path: &str, text: &str) {
    let bad = text.chars().find(|&c| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{61C}')
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}')
    });
    assert!(bad.is_none(), "{path} holds a raw {bad:?}");
}

/// The program `EVERY_STRING` with harmless strings.
fn plain_program() -> String {
    program_with(PLAIN)
}

/// Runs `hybridc ARGS` in a fresh folder holding `p.hybrid`, and checks
/// that nothing in that folder changed but OUT (`out`).
fn refused_build(program: &str) -> (Run, String) {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("p.hybrid"), program).unwrap();
    let before = snapshot(tmp.path());
    let run = hybridc(tmp.path(), &["build", "p.hybrid", "--out", "deep/er/out", "--message-format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(snapshot(tmp.path()), before, "a refused build wrote something");
    (run, program.to_string())
}

/// Names end up in output paths (`SITE/CLUSTER/kubernetes/NAMESPACE/NAME.yaml`):
/// one that tries to leave OUT — `..`, `/`, `\`, absolute — is not a
/// DNS-1123 label, so it is HY0010 on its token, and nothing is written.
#[test]
fn names_that_try_to_leave_out_are_invalid_names() {
    let cases: &[(&str, &str, &str)] = &[
        ("service order {", "service \"../../etc/passwd\" {", "\"../../etc/passwd\""),
        ("service order {", "service \"/abs\" {", "\"/abs\""),
        ("  placement shop-a\n  image", "  namespace \"/abs\"\n  placement shop-a\n  image", "\"/abs\""),
        ("  placement shop-a\n  image", "  namespace \"..\"\n  placement shop-a\n  image", "\"..\""),
        ("site dc-a ", "site \"a/b\" ", "\"a/b\""),
        ("site dc-a ", "site \"..\" ", "\"..\""),
        ("kubernetes shop-a ", "kubernetes \"..\\\\x\" ", "\"..\\\\x\""),
        ("openstack cloud-a ", "openstack \"../cloud\" ", "\"../cloud\""),
        ("vsphere vs-a ", "vsphere \"/etc\" ", "\"/etc\""),
        ("vm os-vm {", "vm \"..\\\\..\\\\x\" {", "\"..\\\\..\\\\x\""),
        ("job batch-run {", "job \"a/../../b\" {", "\"a/../../b\""),
        ("network prod cidr", "network \"../prod\" cidr", "\"../prod\""),
    ];
    for (from, to, token) in cases {
        let program = plain_program().replacen(from, to, 1);
        assert_ne!(program, plain_program(), "{from}");
        let (run, text) = refused_build(&program);
        let d = assert_diagnostic(&run, "HY0010", "p.hybrid", &text, token, 0);
        assert!(d["message"].as_str().unwrap().contains("is not a valid name"), "{d}");
        assert!(d["help"].as_str().is_some_and(|h| h.contains("lowercase letters")), "{d}");
    }
}

/// A megabyte on one line — with `: `, `#`, `${` and a newline in the
/// middle — as a vm image name on OpenStack (Heat YAML and Terraform) and
/// vSphere (Terraform), and as an environment value (Kubernetes YAML):
/// written and read back whole, and the identifiers named after an image
/// stay short. (The short payloads above cover every position; a
/// megabyte in each would take a minute in a debug build.)
#[test]
fn a_one_megabyte_string_round_trips() {
    let long: String = "0123456789abcdef".repeat(1 << 15);
    let payload = format!("{long}: # ${{x}}\n{long}");
    assert!(payload.len() > 1 << 20);
    let marker = kdl_string(PLAIN.text);
    let mut program =
        plain_program().replace(&format!("env GREETING {marker}"), &format!("env GREETING {}", kdl_string(&payload)));
    let vm_image = kdl_string(&format!("tpl-{}-tpl", PLAIN.text));
    for head in ["vm os-vm {\n  placement cloud-a\n", "vm vs-vm {\n  placement vs-a\n"] {
        let from = format!("{head}  image {vm_image}");
        assert!(program.contains(&from), "{head}");
        program = program.replace(&from, &format!("{head}  image {}", kdl_string(&payload)));
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("p.hybrid"), &program).unwrap();
    let run = hybridc(tmp.path(), &["build", "p.hybrid", "--out", "out", "--message-format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = tmp.path().join("out");
    let mut found = BTreeMap::new();
    let mut total = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&out).unwrap().to_string_lossy().to_string();
        let text = fs::read_to_string(e.path()).unwrap();
        total += text.len();
        let n = strings_of(&rel, &text).iter().filter(|s| s.contains(&payload)).count();
        found.insert(rel, n);
    }
    for file in [
        "shop-a/kubernetes/shop/order.yaml",
        "cloud-a/heat/stack.yaml",
        "cloud-a/terraform/variables.tf",
        "vs-a/vsphere/variables.tf",
    ] {
        assert!(found.get(&format!("dc-a/{file}")).is_some_and(|&n| n > 0), "{file}: {found:?}");
    }
    // Each megabyte is written a few times (value, description), not once
    // per reference.
    assert!(total < 12 * payload.len(), "{total} bytes written");
}

/// KDL v2 forbids bidi controls (`U+202A`–`U+202E`, `U+2066`–`U+2069`),
/// `U+200E`/`U+200F`, NUL and other control characters anywhere in the
/// text, strings and comments included ("Trojan Source"): HY0001 on the
/// character itself.
#[test]
fn raw_bidi_and_control_characters_in_source_are_syntax_errors() {
    for c in ['\u{202E}', '\u{202A}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{0}', '\u{1B}', '\u{7F}'] {
        for (from, to) in [
            ("\"registry.example.com/x:1\"", format!("\"registry{c}.example.com/x:1\"")),
            ("topology shop {", format!("// admin{c} only\ntopology shop {{")),
        ] {
            let program = plain_program().replacen(from, &to, 1);
            let (run, text) = refused_build(&program);
            let d = assert_diagnostic(&run, "HY0001", "p.hybrid", &text, &c.to_string(), 0);
            assert_eq!(diagnostics(&run).len(), 1, "{d}");
        }
    }
}

/// A file that is not UTF-8 — the entry file, a file of the entry folder,
/// an import — is HY0001 on its first bad byte; `fmt` says the same.
#[test]
fn a_file_that_is_not_utf8_is_a_syntax_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut latin = b"service cafe {\n  placement shop-a\n  image \"caf".to_vec();
    latin.extend_from_slice(&[0xE9, b'"', b'\n', b'}', b'\n']);
    fs::create_dir(dir.join("prog")).unwrap();
    fs::write(dir.join("prog/main.hybrid"), plain_program()).unwrap();
    fs::write(dir.join("prog/latin.hybrid"), &latin).unwrap();
    fs::write(dir.join("latin.hybrid"), &latin).unwrap();
    fs::write(dir.join("imports.hybrid"), format!("import \"latin.hybrid\"\n{}", plain_program())).unwrap();
    let lossy = String::from_utf8_lossy(&latin).to_string();
    for (entry, file) in
        [("latin.hybrid", "latin.hybrid"), ("prog", "prog/latin.hybrid"), ("imports.hybrid", "latin.hybrid")]
    {
        let run = hybridc(dir, &["check", entry, "--message-format", "json"]);
        assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
        let d = assert_diagnostic(&run, "HY0001", file, &lossy, "\u{FFFD}", 0);
        assert_eq!(d["message"], "the file is not valid UTF-8");
        assert!(d["help"].as_str().unwrap().contains("UTF-8"));
        // The human renderer shows it too.
        let run = hybridc(dir, &["check", entry]);
        assert!(run.stderr.contains("HY0001") && run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    }
    let run = hybridc(dir, &["fmt", "--check", "latin.hybrid"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("HY0001") && run.stderr.contains("not valid UTF-8"), "{}", run.stderr);
    assert_eq!(fs::read(dir.join("latin.hybrid")).unwrap(), latin);
}

/// 100,000 levels of `a {`: the recursive-descent parser stops at 100
/// levels with HY0001 on the first `{` too many, for `check`, `build` and
/// `fmt` alike. 100 levels are parsed (and formatted).
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let nested = |n: usize| format!("{}{}", "a {\n".repeat(n), "}\n".repeat(n));
    let text = nested(100_000);
    fs::write(dir.join("deep.hybrid"), &text).unwrap();
    for args in [&["check", "deep.hybrid"][..], &["build", "deep.hybrid", "--out", "out"]] {
        let mut args = args.to_vec();
        args.extend(["--message-format", "json"]);
        let run = hybridc(dir, &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        // The 101st `{` of the file: after 100 lines `a {\n`.
        let d = assert_diagnostic(&run, "HY0001", "deep.hybrid", &text, "{", 100);
        assert_eq!(d["message"], "nesting deeper than 100 levels");
        assert!(d["help"].as_str().is_some_and(|h| !h.is_empty()));
    }
    assert!(!dir.join("out").exists());
    let run = hybridc(dir, &["fmt", "--check", "deep.hybrid"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nesting deeper than 100 levels"), "{}", run.stderr);

    let text = nested(100).replace("a {\n}", "a {\n  b 1\n}");
    fs::write(dir.join("ok.hybrid"), &text).unwrap();
    let run = hybridc(dir, &["check", "ok.hybrid", "--message-format", "json"]);
    assert!(diagnostics(&run).iter().all(|d| d["code"] != "HY0001"), "{}", run.stdout);
    let run = hybridc(dir, &["fmt", "ok.hybrid"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// A 100 MB file (a program and 100 MB of comments) is read and checked.
#[test]
fn a_100_mb_file_is_checked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = plain_program();
    let line = format!("// {}\n", "x".repeat(1021));
    text.reserve(100 << 20);
    while text.len() < 100 << 20 {
        text.push_str(&line);
    }
    text.push_str("service tail {\n  placement shop-a\n  image \"registry.example.com/tail:1\"\n}\n");
    fs::write(tmp.path().join("big.hybrid"), &text).unwrap();
    drop(text);
    let run = hybridc_in(tmp.path(), &["check", "big.hybrid"], Duration::from_secs(180));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("checked `shop`"), "{}", run.stderr);
}

/// 10,000 files imported in a chain (each imports the next) and 10,000
/// imported by one file (each importing it back): every file is read
/// once, no recursion, no hang.
#[test]
fn ten_thousand_imports_in_a_chain_and_a_fan() {
    const N: usize = 10_000;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir_all(dir.join("chain")).unwrap();
    fs::create_dir_all(dir.join("fan/sub")).unwrap();
    for i in 0..N {
        let next = if i + 1 < N { format!("import \"f{}.hybrid\"\n", i + 1) } else { plain_program() };
        fs::write(dir.join(format!("chain/f{i}.hybrid")), format!("{next}// file {i}\n")).unwrap();
        fs::write(dir.join(format!("fan/sub/f{i}.hybrid")), format!("import \"../main.hybrid\"\n// leaf {i}\n"))
            .unwrap();
    }
    let imports: String = (0..N).map(|i| format!("import \"sub/f{i}.hybrid\"\n")).collect();
    fs::write(dir.join("fan/main.hybrid"), format!("{imports}{}", plain_program())).unwrap();
    for entry in ["chain/f0.hybrid", "fan/main.hybrid", "fan"] {
        let run = hybridc(dir, &["check", entry]);
        assert_eq!(run.code, 0, "{entry}: {}", run.stderr);
        assert!(run.stderr.contains("checked `shop`"), "{}", run.stderr);
    }
}

/// An import of a folder, a FIFO (which would block a reader forever), a
/// device, a link to itself, two links to each other, a missing file:
/// each is HY0015 on the import string, at once. A link to a file is
/// followed, and a file reached through a link and by its name is loaded
/// once. A FIFO or device as the entry is refused (exit 2).
#[test]
fn imports_of_folders_fifos_devices_and_link_loops_are_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mkfifo = Command::new("mkfifo").arg(dir.join("fifo.hybrid")).status().unwrap();
    assert!(mkfifo.success());
    fs::create_dir(dir.join("folder.hybrid")).unwrap();
    symlink("self.hybrid", dir.join("self.hybrid")).unwrap();
    symlink("ping.hybrid", dir.join("pong.hybrid")).unwrap();
    symlink("pong.hybrid", dir.join("ping.hybrid")).unwrap();
    fs::write(
        dir.join("extra.hybrid"),
        "service extra {\n  placement shop-a\n  image \"registry.example.com/e:1\"\n}\n",
    )
    .unwrap();
    symlink("extra.hybrid", dir.join("alias.hybrid")).unwrap();
    let imports = [
        ("\"fifo.hybrid\"", "FIFO"),
        ("\"folder.hybrid\"", "folder"),
        ("\"/dev/zero\"", "device"),
        ("\"self.hybrid\"", "loop of symbolic links"),
        ("\"ping.hybrid\"", "loop of symbolic links"),
        ("\"missing.hybrid\"", "no such file"),
    ];
    let mut text: String = imports.iter().map(|(i, _)| format!("import {i}\n")).collect();
    text.push_str("import \"extra.hybrid\"\nimport \"alias.hybrid\"\nimport \"./sub/../extra.hybrid\"\n");
    text.push_str(&plain_program());
    fs::write(dir.join("main.hybrid"), &text).unwrap();
    let run = hybridc_in(dir, &["check", "main.hybrid", "--message-format", "json"], Duration::from_secs(20));
    assert_eq!(run.code, 1, "{}", run.stderr);
    for (token, why) in imports {
        let d = assert_diagnostic(&run, "HY0015", "main.hybrid", &text, token, 0);
        let said = format!("{} {}", d["message"], d["help"]);
        assert!(said.contains(why), "{token}: {said}");
    }
    // `extra` once: no duplicate declaration through the link or `..`.
    assert_eq!(diagnostics(&run).iter().filter(|d| d["severity"] == "error").count(), imports.len(), "{}", run.stdout);

    for entry in ["fifo.hybrid", "/dev/zero"] {
        let run = hybridc_in(dir, &["check", entry], Duration::from_secs(20));
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains("not a file"), "{}", run.stderr);
        let run = hybridc_in(dir, &["fmt", "--check", entry], Duration::from_secs(20));
        assert_eq!(run.code, 2, "{}", run.stderr);
    }
}

/// OUT as a file, a symbolic link, a read-only folder: refused before
/// anything is written (exit 2), and nothing changes anywhere.
#[test]
fn out_that_is_a_file_a_link_or_read_only_is_refused() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("p.hybrid"), plain_program()).unwrap();
    fs::write(dir.join("file"), "x").unwrap();
    fs::create_dir(dir.join("elsewhere")).unwrap();
    fs::write(dir.join("elsewhere/keep.txt"), "mine").unwrap();
    symlink("elsewhere", dir.join("link")).unwrap();
    symlink("nowhere", dir.join("dangling")).unwrap();
    // Read-only by its mode: refused for root too (root may write anyway,
    // but a build would replace the folder with a writable one), so the
    // test needs no non-root user.
    fs::create_dir(dir.join("ro")).unwrap();
    fs::set_permissions(dir.join("ro"), fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(dir);
    for (out, why) in [
        ("file", "is not a folder"),
        ("link", "is a symbolic link (to `elsewhere`); nothing was written\n  --> link\n  help: pass the folder itself as OUT"),
        ("dangling", "is a symbolic link"),
        ("ro", "is read-only"),
    ] {
        let run = hybridc(dir, &["build", "p.hybrid", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.stderr);
        assert!(run.stderr.contains(why) && run.stderr.contains("error[HY8002]"), "{out}: {}", run.stderr);
        assert_eq!(snapshot(dir), before, "{out}");
    }
    fs::set_permissions(dir.join("ro"), fs::Permissions::from_mode(0o755)).unwrap();
}

/// OUT inside the program's folder is fine: the folder walk never reads
/// OUT (a folder holding a `hybrid-manifest.json`) nor hybridc's staging
/// folders, so a second build sees the same program. OUT that is the
/// program's folder, or holds it, or the current folder, is refused.
#[test]
fn out_inside_the_program_is_not_input_and_out_holding_it_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::create_dir(dir.join("prog")).unwrap();
    fs::write(dir.join("prog/p.hybrid"), plain_program()).unwrap();
    let run = hybridc(dir, &["build", "prog", "--out", "prog/out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A `.hybrid` file in OUT, and in a staging folder a killed build
    // left: neither is part of the program (both would be duplicates).
    fs::write(dir.join("prog/out/copy.hybrid"), plain_program()).unwrap();
    fs::create_dir(dir.join("prog/.out.hybridc-new-999999999")).unwrap();
    fs::write(dir.join("prog/.out.hybridc-new-999999999/copy.hybrid"), plain_program()).unwrap();
    let run = hybridc(dir, &["check", "prog"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = hybridc(dir, &["build", "prog", "--out", "prog/out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no change"), "{}", run.stderr);
    // The stale staging folder is gone; the unmanaged file in OUT kept.
    assert!(!dir.join("prog/.out.hybridc-new-999999999").exists());
    assert!(dir.join("prog/out/copy.hybrid").exists());

    let before = snapshot(dir);
    for (cwd, program, out) in [
        ("prog", ".", "."),
        ("prog", "p.hybrid", "."),
        (".", "prog/p.hybrid", "prog"),
        ("prog", "../prog", ".."),
        ("prog/out", "../p.hybrid", "."),
    ] {
        let run = hybridc(&dir.join(cwd), &["build", program, "--out", out]);
        assert_eq!(run.code, 2, "{cwd} {program} {out}: {}", run.stderr);
        assert!(run.stderr.contains("holds") && run.stderr.contains("nothing was written"), "{}", run.stderr);
        assert_eq!(snapshot(dir), before);
    }
}

/// Diagnostics quote the program's text (names in messages, source lines
/// in snippets): its escape sequences, bidi controls and zero-width
/// characters are printed as `\u{…}`, never sent to the terminal raw.
#[test]
fn diagnostics_never_print_terminal_escapes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let named = plain_program().replacen(
        "service order {",
        "service \"evil\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{202E}x\\u{200B}\" {",
        1,
    );
    fs::write(dir.join("named.hybrid"), named).unwrap();
    let raw = plain_program().replacen("topology shop {", "// \u{1b}[2J\u{1b}]0;owned\u{7}\ntopology shop {", 1);
    fs::write(dir.join("raw.hybrid"), raw).unwrap();
    for file in ["named.hybrid", "raw.hybrid"] {
        for format in ["human", "short"] {
            let run = hybridc(dir, &["check", file, "--message-format", format]);
            assert_eq!(run.code, 1, "{}", run.stderr);
            let code = if file == "raw.hybrid" { "HY0001" } else { "HY0010" };
            assert!(run.stderr.contains(code), "{}", run.stderr);
            let bad =
                run.stderr.chars().find(|&c| (c.is_control() && c != '\n') || matches!(c, '\u{202E}' | '\u{200B}'));
            assert!(bad.is_none(), "{file} {format}: a raw {bad:?} in\n{}", run.stderr);
            if file == "named.hybrid" || format == "human" {
                assert!(run.stderr.contains("\\u{1b}"), "{}", run.stderr);
            }
        }
    }
}
