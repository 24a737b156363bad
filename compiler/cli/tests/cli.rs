//! CLI transcripts: each `cmd/*.toml` runs the real `hybridc` binary and
//! compares its exit code, stdout and stderr with the `.stdout` / `.stderr`
//! files beside it. Regenerate with `TRYCMD=overwrite cargo test -p hybridc`
//! and read the diff before committing.

#[test]
fn cli_transcripts() {
    trycmd::TestCases::new()
        .register_bin("hybridc", std::path::Path::new(env!("CARGO_BIN_EXE_hybridc")))
        .case("tests/cmd/*.toml");
}

/// `--message-format json` prints one object per line on stdout with the
/// contract's fields, pointing at the offending tokens; exit code 1.
#[test]
fn json_lines_point_at_the_offending_tokens() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(["check", "tests/cmd/broken.hybrid", "--message-format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stderr.is_empty(), "json mode prints nothing else");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let got: Vec<(String, u64, u64)> = lines
        .iter()
        .map(|v| (v["code"].as_str().unwrap().to_string(), v["line"].as_u64().unwrap(), v["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![("HY0009".into(), 3, 33), ("HY0018".into(), 4, 29), ("HY0012".into(), 10, 13), ("HY0002".into(), 12, 3)]
    );
    for v in &lines {
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        let mut want = ["severity", "code", "message", "file", "line", "column", "labels", "help"];
        want.sort();
        let mut have: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        have.sort();
        assert_eq!(have, want);
        assert_eq!(v["file"], "tests/cmd/broken.hybrid");
    }
    assert_eq!(lines[1]["help"], "quote it so no digit is lost: version=\"1.30\"");
}

/// Colour never appears when `NO_COLOR` is set or output is not a terminal.
#[test]
fn no_colour_off_a_terminal() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(["check", "tests/cmd/broken.hybrid"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\u{1b}'));
}
