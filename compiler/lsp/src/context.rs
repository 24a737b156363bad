//! What the cursor is on, read from the buffer's text alone, so that it
//! works on half-typed nodes the parser rejects: the names of the enclosing
//! nodes (from the `{`/`}` before the cursor, skipping strings — quoted,
//! multi-line and raw — and comments, nested block comments included, and
//! reading a `\` continuation as KDL does), and whether the cursor is on a
//! node name, an argument or property key, or a property's value. Then the
//! schema of a node path.

use hybrid_core::schema::{self, NodeSchema};

/// The cursor's place in a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// Writing a node's name; `prefix` is what is typed of it.
    NodeName { prefix: String },
    /// After the node name: argument `index` (0-based) or a property key.
    Entry { node: String, index: usize, prefix: String },
    /// After `key=`.
    Value { node: String, key: String, prefix: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The enclosing nodes' names, outermost first.
    pub path: Vec<String>,
    pub at: At,
}

/// A character that may be part of a bare word.
pub fn word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '#')
}

/// Reads `text` up to byte `offset`.
pub fn at(text: &str, offset: usize) -> Context {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let mut rest = text.get(..offset).unwrap_or("");
    let mut scan = Scan::default();
    while !rest.is_empty() {
        rest = scan.step(rest);
    }
    scan.context()
}

#[derive(Default)]
struct Scan {
    path: Vec<String>,
    /// The finished tokens of the current statement.
    tokens: Vec<String>,
    /// The token being read.
    current: String,
    /// After a `\` line continuation: the next newline does not end the
    /// statement.
    continued: bool,
}

impl Scan {
    /// Consumes one character or one whole string or comment at the start
    /// of `s`; returns what is left.
    fn step<'a>(&mut self, s: &'a str) -> &'a str {
        let Some(c) = s.chars().next() else { return s };
        let tail = s.get(c.len_utf8()..).unwrap_or("");
        match c {
            '/' if tail.starts_with('/') => {
                // A line comment ends the statement with its newline,
                // unless a continuation came before it.
                match tail.find('\n') {
                    Some(i) => tail.get(i..).unwrap_or(""),
                    None => "",
                }
            }
            '/' if tail.starts_with('*') => self.block_comment(tail.get(1..).unwrap_or("")),
            // Slashdash: what follows is parsed as usual, then ignored; for
            // the cursor's place it is as good as written.
            '/' if tail.starts_with('-') => {
                self.end_token();
                tail.get(1..).unwrap_or("")
            }
            '#' if tail.trim_start_matches('#').starts_with('"') => self.raw_string(s),
            '"' if tail.starts_with("\"\"") => self.quoted(tail.get(2..).unwrap_or(""), "\"\"\""),
            '"' => self.quoted(tail, "\""),
            '\\' => {
                self.end_token();
                self.continued = true;
                tail
            }
            '{' => {
                self.end_token();
                let name = self.tokens.first().cloned().unwrap_or_default();
                self.path.push(name);
                self.tokens.clear();
                tail
            }
            '}' => {
                self.path.pop();
                self.end_statement();
                tail
            }
            '\n' if std::mem::take(&mut self.continued) => {
                self.end_token();
                tail
            }
            '\n' | ';' => {
                self.end_statement();
                tail
            }
            c if c.is_whitespace() => {
                self.end_token();
                tail
            }
            c => {
                self.current.push(c);
                tail
            }
        }
    }

    /// After `/*`: nested block comments, up to the matching `*/`.
    fn block_comment<'a>(&mut self, mut s: &'a str) -> &'a str {
        let mut depth = 1usize;
        while depth > 0 {
            let (open, close) = (s.find("/*"), s.find("*/"));
            s = match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    s.get(o + 2..).unwrap_or("")
                }
                (_, Some(c)) => {
                    depth -= 1;
                    s.get(c + 2..).unwrap_or("")
                }
                (_, None) => return "",
            };
        }
        s
    }

    /// After an opening quote: the string's text up to `end`, backslash
    /// escapes skipped. Unterminated (the cursor is inside it), its text
    /// so far is the token being typed.
    fn quoted<'a>(&mut self, s: &'a str, end: &str) -> &'a str {
        let mut chars = s.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            } else if s.get(i..).is_some_and(|r| r.starts_with(end)) {
                return s.get(i + end.len()..).unwrap_or("");
            } else {
                self.current.push(c);
            }
        }
        ""
    }

    /// A raw string `#"…"#` or `#"""…"""#` (any number of `#`), at its
    /// first `#`: no escapes; it ends at the quote followed by as many `#`.
    fn raw_string<'a>(&mut self, s: &'a str) -> &'a str {
        let hashes = s.len() - s.trim_start_matches('#').len();
        let body = s.get(hashes..).unwrap_or("");
        let (quotes, body) = match body.strip_prefix("\"\"\"") {
            Some(b) => ("\"\"\"", b),
            None => ("\"", body.get(1..).unwrap_or("")),
        };
        let end = format!("{quotes}{}", "#".repeat(hashes));
        match body.find(&end) {
            Some(i) => {
                self.current.push_str(body.get(..i).unwrap_or(""));
                body.get(i + end.len()..).unwrap_or("")
            }
            None => {
                self.current.push_str(body);
                ""
            }
        }
    }

    fn end_token(&mut self) {
        if !self.current.is_empty() {
            self.tokens.push(std::mem::take(&mut self.current));
        }
    }

    fn end_statement(&mut self) {
        self.current.clear();
        self.tokens.clear();
    }

    fn context(self) -> Context {
        let Scan { path, tokens, current, .. } = self;
        let at = match tokens.split_first() {
            None => At::NodeName { prefix: current },
            Some((node, entries)) => match current.split_once('=') {
                Some((key, prefix)) => {
                    At::Value { node: node.clone(), key: key.to_string(), prefix: prefix.to_string() }
                }
                None => At::Entry {
                    node: node.clone(),
                    index: entries.iter().filter(|e| !e.contains('=')).count(),
                    prefix: current,
                },
            },
        };
        Context { path, at }
    }
}

/// The schema of a node inside `path` (outermost first), or of the top
/// level node when `path` is empty. A profile's children are those of a
/// service, vm or job.
pub fn schema_of(path: &[String], name: &str) -> Option<&'static NodeSchema> {
    let mut parent: Option<&'static NodeSchema> = None;
    for n in path.iter().map(String::as_str).chain([name]) {
        parent = Some(match parent {
            None => schema::top_level(n)?,
            Some(p) if p.key == "profile" => {
                schema::WORKLOAD_KEYS.iter().filter_map(|k| schema::node(k)).find_map(|w| w.child(n))?.1
            }
            Some(p) => p.child(n)?.1,
        });
    }
    parent
}

/// The node names accepted inside `path` (top-level ones when it is empty).
pub fn child_names(path: &[String]) -> Vec<&'static str> {
    match path.split_last() {
        None => schema::TOP_LEVEL.to_vec(),
        Some((last, outer)) => match schema_of(outer, last) {
            Some(p) if p.key == "profile" => schema::profile_child_names(),
            Some(p) => p.child_names(),
            None => Vec::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        at(text, text.len())
    }

    #[test]
    fn reads_the_enclosing_nodes_and_the_place() {
        let c = ctx("site a {\n  kubernetes k {\n    po");
        assert_eq!(c.path, ["site", "kubernetes"]);
        assert_eq!(c.at, At::NodeName { prefix: "po".into() });
        let c = ctx("service web {\n  volume data storage-class=fa");
        assert_eq!(c.at, At::Value { node: "volume".into(), key: "storage-class".into(), prefix: "fa".into() });
        let c = ctx("site a { network \"x {\" vl");
        assert_eq!(c.path, ["site"]);
        assert_eq!(c.at, At::Entry { node: "network".into(), index: 1, prefix: "vl".into() });
        let c = ctx("site a {\n  // x {\n  /* { */ }\n");
        assert!(c.path.is_empty());
    }

    #[test]
    fn strings_comments_and_continuations_are_read_as_kdl_does() {
        // A raw string holds quotes and braces, and no escapes.
        let c = ctx("site a { network #\"x \"{\" \\\"# vl");
        assert_eq!(c.path, ["site"]);
        assert_eq!(c.at, At::Entry { node: "network".into(), index: 1, prefix: "vl".into() });
        let c = ctx("site a { network ##\"\"\"\n{ \"# }\n\"\"\"## vl");
        assert_eq!(c.path, ["site"]);
        assert_eq!(c.at, At::Entry { node: "network".into(), index: 1, prefix: "vl".into() });
        // A multi-line string holds quotes and newlines.
        let c = ctx("site a { network \"\"\"\n say \"}\"\n \"\"\" vl");
        assert_eq!(c.path, ["site"]);
        assert_eq!(c.at, At::Entry { node: "network".into(), index: 1, prefix: "vl".into() });
        // Block comments nest.
        let c = ctx("site a {\n /* /* } */ } */ ne");
        assert_eq!(c.path, ["site"]);
        assert_eq!(c.at, At::NodeName { prefix: "ne".into() });
        // A continuation carries the statement to the next line.
        let c = ctx("service web {\n  port 80 \\ // more\n    proto");
        assert_eq!(c.at, At::Entry { node: "port".into(), index: 1, prefix: "proto".into() });
        // Slashdash: the node after it is read as written.
        let c = ctx("site a {\n  /-kubernetes k {\n    po");
        assert_eq!(c.path, ["site", "kubernetes"]);
        // Inside a string being typed, its text is the prefix.
        let c = ctx("service web {\n  volume data storage-class=\"fa");
        assert_eq!(c.at, At::Value { node: "volume".into(), key: "storage-class".into(), prefix: "fa".into() });
        // `#true` is a keyword, not a raw string.
        let c = ctx("service web {\n  expose host=\"a\" tls=#tr");
        assert_eq!(c.at, At::Value { node: "expose".into(), key: "tls".into(), prefix: "#tr".into() });
    }

    #[test]
    fn finds_schemas_by_path() {
        assert_eq!(schema_of(&["site".into()], "kubernetes").map(|s| s.key), Some("kubernetes"));
        assert!(schema_of(&[], "nonsense").is_none());
        assert!(child_names(&["profile".into()]).contains(&"placement"));
        assert!(child_names(&[]).contains(&"service"));
    }
}
