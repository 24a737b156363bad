//! The command-line conventions on the real binary: `--version` names the
//! commit it was built from, `completions` covers every command and value
//! of the CLI definition in each shell, and output off a terminal carries
//! no colour and no progress line unless `--color always` asks.

use clap::CommandFactory;
use std::process::{Command, Output};

fn hybridc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}

/// `hybridc 0.1.0`, then ` (HASH DATE)` when built from a git checkout:
/// twelve hex digits and the commit's date, never a build time.
fn assert_version_line(line: &str) {
    let rest =
        line.strip_prefix(&format!("hybridc {}", env!("CARGO_PKG_VERSION"))).unwrap_or_else(|| panic!("{line:?}"));
    if rest.is_empty() {
        return;
    }
    let inner = rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')')).unwrap_or_else(|| panic!("{line:?}"));
    let (hash, date) = inner.split_once(' ').unwrap_or_else(|| panic!("{line:?}"));
    assert!(hash.len() == 12 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{line:?}");
    let parts: Vec<&str> = date.split('-').collect();
    assert!(
        parts.len() == 3
            && [4, 2, 2].iter().zip(&parts).all(|(n, p)| p.len() == *n && p.chars().all(|c| c.is_ascii_digit())),
        "{line:?}"
    );
}

#[test]
fn version_names_the_version_and_the_commit_when_known() {
    assert_version_line(&format!("hybridc {}", hybridc::VERSION));
    for flag in ["--version", "-V"] {
        let out = hybridc(&[flag]);
        assert!(out.status.success());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_version_line(stdout.strip_suffix('\n').unwrap());
    }
    // This test runs from a git checkout; a tarball build says only the version.
    let in_git = Command::new("git").args(["rev-parse", "--git-dir"]).output().is_ok_and(|o| o.status.success());
    if in_git {
        assert!(hybridc::VERSION.contains(" ("), "built in a checkout, yet no commit: {}", hybridc::VERSION);
    }
}

#[test]
fn the_version_check_rejects_what_it_should() {
    for bad in
        ["hybridc", "hybridc 0.1.0 ()", "hybridc 0.1.0 (abc 2026-12-04)", "hybridc 0.1.0 (1dc095a762d1 20261204)"]
    {
        let bad = bad.replace("0.1.0", env!("CARGO_PKG_VERSION"));
        assert!(std::panic::catch_unwind(|| assert_version_line(&bad)).is_err(), "{bad:?} passed");
    }
}

/// Each shell's script names every command, every long option of each,
/// and the values of the options that take a fixed set. The commands and
/// options come from the CLI definition; the list of known commands keeps
/// that from passing on an empty definition.
#[test]
fn completions_cover_every_command_option_and_value() {
    let cli = hybridc::Cli::command();
    let commands: Vec<&clap::Command> = cli.get_subcommands().collect();
    for known in ["check", "build", "diff", "simulate", "graph", "fmt", "explain", "completions"] {
        assert!(commands.iter().any(|c| c.get_name() == known), "the CLI lost `{known}`");
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let values_completed = matches!(shell, "bash" | "zsh" | "fish");
        let out = hybridc(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", String::from_utf8_lossy(&out.stderr));
        let script = String::from_utf8(out.stdout).unwrap();
        let mut missing = Vec::new();
        for c in &commands {
            if !script.contains(c.get_name()) {
                missing.push(c.get_name().to_string());
            }
            for a in c.get_arguments().chain(cli.get_arguments()) {
                if let Some(long) = a.get_long() {
                    if !script.contains(long) {
                        missing.push(format!("{} --{long}", c.get_name()));
                    }
                }
                // Options only: fish's script completes no positional value,
                // and PowerShell's and Elvish's no value at all.
                let option = a.get_long().is_some() && a.get_action().takes_values() && values_completed;
                let values = if option { a.get_possible_values() } else { Vec::new() };
                for v in values {
                    if !script.contains(v.get_name()) {
                        missing.push(format!("{} {:?} {}", c.get_name(), a.get_long(), v.get_name()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "{shell} completions lack: {missing:?}");
        let words: &[&str] = if !values_completed {
            &["message-format", "--color"]
        } else {
            &["message-format", "human", "short", "json", "--color", "always", "never"]
        };
        for word in words {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
}

/// Off a terminal: no escape code and no progress line, in any command
/// that colours, unless `--color always`.
#[test]
fn off_a_terminal_output_is_plain_unless_asked() {
    let broken = "tests/cmd/broken.hybrid";
    let plain = hybridc(&["check", broken]);
    assert!(!plain.stderr.contains(&0x1b));
    let never = hybridc(&["--color", "never", "check", broken]);
    assert_eq!(never.stderr, plain.stderr);
    let always = hybridc(&["check", broken, "--color=always"]);
    assert!(always.stderr.contains(&0x1b));
    let stripped = String::from_utf8(always.stderr).unwrap();
    let mut without = String::new();
    let mut chars = stripped.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            without.push(c);
        }
    }
    assert_eq!(without.as_bytes(), plain.stderr.as_slice(), "colour changes nothing but the escape codes");
}
