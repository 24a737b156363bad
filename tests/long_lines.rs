//! Diagnostics on very long lines, through `hybridc check` in every message
//! format: the human snippet shows a window of the line around the label
//! (miette panics past column 65,535 and draws every character it is
//! given), while every format gives the true line and column and the
//! offending token.

use hybridc::{check, Format, Reporter};
use std::cell::RefCell;
use std::io::Write;
use std::rc::Rc;

/// A writer whose bytes the test reads back.
#[derive(Clone, Default)]
struct Sink(Rc<RefCell<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn text(&self) -> String {
        String::from_utf8(self.0.borrow().clone()).unwrap()
    }
}

/// `hybridc check` of a file holding `text`, in `format`: the exit code,
/// stdout and stderr.
fn check_text(text: &str, format: Format) -> (u8, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.hybrid");
    std::fs::write(&path, text).unwrap();
    let (out, err) = (Sink::default(), Sink::default());
    let code = check(&path, &mut Reporter::to(format, Box::new(out.clone()), Box::new(err.clone())), false);
    let name = path.display().to_string();
    (code, out.text().replace(&name, "long.hybrid"), err.text().replace(&name, "long.hybrid"))
}

/// Checks `text` in the three formats and asserts that HY0002 on `bogus`
/// is reported at `line:column` in each, with the token in its snippet.
fn assert_reported_at(text: &str, line: usize, column: usize) {
    let at = format!("long.hybrid:{line}:{column}");

    let (code, _, human) = check_text(text, Format::Human);
    assert_eq!(code, 1, "{human}");
    assert!(human.contains(&format!("╭─[{at}]")), "{human}");
    assert!(human.contains("bogus 1"), "{human}");
    assert!(human.contains('…'), "{human}");
    // The snippet is a window: the whole report stays small.
    assert!(human.len() < 4_000, "{} bytes: {human}", human.len());

    let (code, _, short) = check_text(text, Format::Short);
    assert_eq!(code, 1, "{short}");
    assert!(
        short.lines().any(|l| l.starts_with(&format!("{at}: error[HY0002]: unknown top-level node `bogus`"))),
        "{short}"
    );

    let (code, json, _) = check_text(text, Format::Json);
    assert_eq!(code, 1, "{json}");
    let diags: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let d = diags.iter().find(|d| d["code"] == "HY0002").unwrap_or_else(|| panic!("{json}"));
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(line as u64), Some(column as u64)), "{json}");
    assert!(d["message"].as_str().unwrap().contains("`bogus`"), "{json}");
}

#[test]
fn a_node_after_65540_spaces() {
    assert_reported_at(&format!("{}bogus 1\n", " ".repeat(65_540)), 1, 65_541);
}

#[test]
fn a_node_at_the_end_of_a_one_megabyte_line() {
    // One line: the topology, a comment of half a million two-byte
    // characters, then the unknown node. Columns count characters.
    let prefix = format!("topology shop {{ owner \"team\" }}; /* {} */ ", "é".repeat(500_000));
    let text = format!("{prefix}bogus 1");
    assert!(text.len() > 1_000_000 && !text.contains('\n'));
    assert_reported_at(&text, 1, prefix.chars().count() + 1);
}
