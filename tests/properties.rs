//! Properties of the front end over seeded mutations of every example and
//! fixture (deleted lines, swapped and truncated text, random bytes,
//! duplicated lines, values replaced, a run of tens of thousands of
//! characters inserted): compiling and rendering never panic, and every
//! diagnostic has a registered code and a primary span inside its file.

use hybrid_core::{compile, MemoryFs};
use hybrid_diagnostics::{render_human, render_json_line, render_short, Code, HumanOptions};
use hybrid_tests::{root, Rng};
use proptest::prelude::*;
use std::path::PathBuf;

fn corpus() -> &'static [String] {
    static CORPUS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(read_corpus)
}

fn read_corpus() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["examples", "tests/diagnostics", "tests/programs", "tests/constructs", "stdlib"] {
        for entry in walkdir::WalkDir::new(root().join(dir)).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "hybrid") {
                out.push(std::fs::read_to_string(entry.path()).unwrap());
            }
        }
    }
    assert!(out.len() > 5);
    out
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(text: &str, seed: u64) -> String {
    let mut rng = Rng(seed | 1);
    let mut s = text.to_string();
    for _ in 0..1 + rng.below(3) {
        let lines: Vec<&str> = s.lines().collect();
        s = match rng.below(8) {
            0 if !lines.is_empty() => {
                let k = rng.below(lines.len());
                lines.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, l)| *l).collect::<Vec<_>>().join("\n")
            }
            1 if !lines.is_empty() => {
                let k = rng.below(lines.len());
                let mut v: Vec<&str> = lines.clone();
                v.insert(k, lines[k]);
                v.join("\n")
            }
            2 => {
                let cut = floor_char(&s, rng.below(s.len() + 1));
                s[..cut].to_string()
            }
            3 => {
                let at = floor_char(&s, rng.below(s.len() + 1));
                let junk: String = (0..1 + rng.below(4))
                    .map(|_| {
                        ['{', '}', '"', '=', '#', '/', '\\', 'x', '9', '\n', ';', '(', 'é', '\u{202e}'][rng.below(14)]
                    })
                    .collect();
                format!("{}{}{}", &s[..at], junk, &s[at..])
            }
            4 => {
                // Swap two words.
                let words: Vec<&str> = s.split(' ').collect();
                if words.len() < 2 {
                    s.clone()
                } else {
                    let (a, b) = (rng.below(words.len()), rng.below(words.len()));
                    let mut w = words.clone();
                    w.swap(a, b);
                    w.join(" ")
                }
            }
            5 => {
                // Replace a value after `=`.
                let eqs: Vec<usize> = s.match_indices('=').map(|(i, _)| i).collect();
                if eqs.is_empty() {
                    s.clone()
                } else {
                    let at = eqs[rng.below(eqs.len())] + 1;
                    let end = s[at..].find([' ', '\n', '}']).map(|e| at + e).unwrap_or(s.len());
                    let v = ["0", "-1", "\"\"", "#true", "\"999999999999Ti\"", "x.y.z", "\"1.2.3.4/99\"", "#null"]
                        [rng.below(8)];
                    format!("{}{}{}", &s[..at], v, &s[end..])
                }
            }
            6 => {
                // A run of tens of thousands of characters: miette panics
                // past column 65,535 when given the whole line.
                let at = floor_char(&s, rng.below(s.len() + 1));
                let run = [" ", "é", "漢", "\t", "x", "\u{301}"][rng.below(6)].repeat(60_000 + rng.below(20_000));
                format!("{}{}{}", &s[..at], run, &s[at..])
            }
            _ => {
                // Delete a node's closing brace.
                match s.rfind('}') {
                    Some(i) if rng.below(2) == 0 => format!("{}{}", &s[..i], &s[i + 1..]),
                    _ => s.clone(),
                }
            }
        };
    }
    s
}

fn check_invariants(text: &str) {
    let fs = MemoryFs::new().with("m.hybrid", text);
    let c = compile(&PathBuf::from("m.hybrid"), &fs).expect("an in-memory file always loads");
    for d in &c.diagnostics {
        assert!(Code::find(d.code.id).is_some_and(|k| std::ptr::eq(k, d.code)), "unregistered code {}", d.code.id);
        let span = d.span();
        let file = c.sources.get(span.file).expect("the span's file exists");
        assert!(
            span.start <= span.end && (span.end as usize) <= file.text.len(),
            "span {span:?} outside {}",
            file.name
        );
        assert!(file.text.is_char_boundary(span.start as usize) && file.text.is_char_boundary(span.end as usize));
        assert!(!d.message.is_empty());
        assert!(d.labels.iter().filter(|l| l.primary).count() == 1, "one primary label: {}", d.message);
        let short = render_short(d, &c.sources);
        let json: serde_json::Value = serde_json::from_str(&render_json_line(d, &c.sources)).expect("one JSON object");
        let human = render_human(d, &c.sources, HumanOptions::default());
        // The human header shows the location the other formats give.
        let at = format!("{}:{}:{}", json["file"].as_str().unwrap_or(""), json["line"], json["column"]);
        assert!(short.starts_with(&format!("{at}: ")), "{short}");
        assert!(human.contains(&format!("[{at}]")), "{at}: {human}");
    }
    if c.errors() > 0 {
        assert!(c.topology.is_none());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_programs_never_panic_and_diagnostics_are_well_formed(pick in any::<usize>(), seed in any::<u64>()) {
        let corpus = corpus();
        let text = &corpus[pick % corpus.len()];
        check_invariants(&mutate(text, seed));
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check_invariants(&String::from_utf8_lossy(&bytes));
    }
}
