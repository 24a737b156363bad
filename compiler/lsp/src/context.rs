//! What the cursor is on, read from the buffer's text alone, so that it
//! works on half-typed nodes the parser rejects: the names of the enclosing
//! nodes (from the `{`/`}` before the cursor, skipping strings and
//! comments), and whether the cursor is on a node name, an argument or
//! property key, or a property's value. Then the schema of a node path.

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
    let before = text.get(..offset).unwrap_or("");
    let mut scan = Scan::default();
    let mut chars = before.chars().peekable();
    while let Some(c) = chars.next() {
        scan.step(c, &mut chars);
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
    /// Inside a quoted string.
    quoted: bool,
}

impl Scan {
    fn step(&mut self, c: char, rest: &mut std::iter::Peekable<std::str::Chars<'_>>) {
        if self.quoted {
            match c {
                '\\' => {
                    rest.next();
                }
                '"' => self.quoted = false,
                _ => self.current.push(c),
            }
            return;
        }
        match c {
            '"' => self.quoted = true,
            '/' if rest.peek() == Some(&'/') => {
                for n in rest.by_ref() {
                    if n == '\n' {
                        self.end_statement();
                        break;
                    }
                }
            }
            '/' if rest.peek() == Some(&'*') => {
                let mut last = ' ';
                for n in rest.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            '{' => {
                self.end_token();
                let name = self.tokens.first().cloned().unwrap_or_default();
                self.path.push(name);
                self.tokens.clear();
            }
            '}' => {
                self.path.pop();
                self.end_statement();
            }
            '\n' | ';' => self.end_statement(),
            c if c.is_whitespace() => self.end_token(),
            c => self.current.push(c),
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
    fn finds_schemas_by_path() {
        assert_eq!(schema_of(&["site".into()], "kubernetes").map(|s| s.key), Some("kubernetes"));
        assert!(schema_of(&[], "nonsense").is_none());
        assert!(child_names(&["profile".into()]).contains(&"placement"));
        assert!(child_names(&[]).contains(&"service"));
    }
}
