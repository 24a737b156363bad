//! A structured HCL writer for Terraform files, formatted as `terraform
//! fmt` formats them: two-space indentation, one space around `=`, the `=`
//! of consecutive single-line attributes aligned, a blank line between
//! top-level blocks. Strings are escaped so that a program's text can never
//! break or inject HCL: `"` and `\` are escaped, `${` becomes `$${` and
//! `%{` becomes `%%{` (no interpolation or template directive), control
//! characters and invisible ones (bidi controls, zero-width) become escapes.
//!
//! Also the names of what a Terraform (or Heat) file declares: [`identifier`]
//! and [`sanitise`] make identifiers of the program's names and texts,
//! [`Names`] keeps them unique within one namespace.

use std::collections::BTreeSet;

/// An HCL value or expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A quoted string (escaped).
    Str(String),
    /// An expression written as is: `var.image`, `openstack_x.y.id`.
    Raw(String),
    Int(i64),
    Num(f64),
    Bool(bool),
    List(Vec<Expr>),
    /// An object constructor `{ key = value, … }`, kept on one line.
    Map(Vec<(String, Expr)>),
}

/// An item of a block body.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Attr(String, Expr),
    Block(Block),
    /// A blank line (ends an alignment run).
    Blank,
}

/// `TYPE "LABEL" … { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub kind: String,
    pub labels: Vec<String>,
    pub body: Vec<Item>,
}

impl Block {
    pub fn new(kind: &str, labels: &[&str]) -> Block {
        Block { kind: kind.to_string(), labels: labels.iter().map(|l| l.to_string()).collect(), body: Vec::new() }
    }
    pub fn attr(mut self, key: &str, value: Expr) -> Block {
        self.body.push(Item::Attr(key.to_string(), value));
        self
    }
    pub fn attr_opt(self, key: &str, value: Option<Expr>) -> Block {
        match value {
            Some(v) => self.attr(key, v),
            None => self,
        }
    }
    pub fn block(mut self, b: Block) -> Block {
        self.body.push(Item::Block(b));
        self
    }
    pub fn blank(mut self) -> Block {
        self.body.push(Item::Blank);
        self
    }
    pub fn push(&mut self, item: Item) {
        self.body.push(item);
    }
}

pub fn string(v: impl Into<String>) -> Expr {
    Expr::Str(v.into())
}
pub fn raw(v: impl Into<String>) -> Expr {
    Expr::Raw(v.into())
}

/// The longest identifier [`sanitise`] makes (before a leading `_`): an
/// identifier is named after a string, not a copy of it (a megabyte of
/// image name would be repeated at every reference).
pub const MAX_IDENTIFIER: usize = 64;

/// Text as an identifier: ASCII letters and digits lowercased, every run of
/// anything else one `_`, no leading or trailing `_`, at most
/// [`MAX_IDENTIFIER`] characters (callers make identifiers unique); `x`
/// when nothing is left, and a leading `_` before a digit (identifiers
/// start with a letter or `_`).
pub fn sanitise(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_IDENTIFIER));
    for c in text.chars() {
        if out.len() >= MAX_IDENTIFIER {
            break;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        return "x".to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A DNS-1123 name as an identifier: `-` becomes `_` (one to one, since a
/// DNS label has no `_`); anything else is [`sanitise`]d.
pub fn identifier(name: &str) -> String {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        name.replace('-', "_")
    } else {
        sanitise(name)
    }
}

/// Unique names within one namespace (one Terraform resource type, a
/// module's variables, a Heat template's resources, the Neutron names of a
/// stack): the first taker of a name gets it as is, later ones get
/// `NAME_2`, `NAME_3`, … (or with another separator) in call order, so the
/// result is deterministic. Identifiers come from [`identifier`] or
/// [`sanitise`], which make different texts alike.
#[derive(Debug, Default, Clone)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A namespace where `reserved` are already taken.
    pub fn with(reserved: &[&str]) -> Names {
        Names { taken: reserved.iter().map(|s| s.to_string()).collect() }
    }

    /// `base` when it is free, else `base`, `sep` and the first free
    /// number from 2.
    pub fn take(&mut self, base: &str, sep: char) -> String {
        let mut name = base.to_string();
        let mut n = 2u64;
        while self.taken.contains(&name) {
            name = format!("{base}{sep}{n}");
            n = n.saturating_add(1);
        }
        self.taken.insert(name.clone());
        name
    }

    /// The [`identifier`] of `name`, made unique with `_2`, `_3`, ….
    pub fn identifier(&mut self, name: &str) -> String {
        self.take(&identifier(name), '_')
    }
}

/// Escapes a string for a quoted HCL template.
pub fn escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len() + 2);
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("$$"),
            '%' if chars.peek() == Some(&'{') => out.push_str("%%"),
            c if crate::yaml::needs_escape(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// An expression as it is written in a file.
pub fn expr(e: &Expr) -> String {
    match e {
        Expr::Str(v) => format!("\"{}\"", escape(v)),
        Expr::Raw(v) => v.clone(),
        Expr::Int(i) => i.to_string(),
        Expr::Num(n) => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                format!("{}", *n as i64)
            } else {
                n.to_string()
            }
        }
        Expr::Bool(b) => b.to_string(),
        Expr::List(items) => format!("[{}]", items.iter().map(expr).collect::<Vec<_>>().join(", ")),
        Expr::Map(entries) if entries.is_empty() => "{}".to_string(),
        Expr::Map(entries) => format!(
            "{{ {} }}",
            entries.iter().map(|(k, v)| format!("{} = {}", key(k), expr(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// A map key: bare when it is an identifier, quoted otherwise.
fn key(k: &str) -> String {
    let ident = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        k.to_string()
    } else {
        format!("\"{}\"", escape(k))
    }
}

fn body(out: &mut String, items: &[Item], indent: usize) {
    let pad = " ".repeat(indent);
    let mut i = 0;
    while i < items.len() {
        match items.get(i) {
            Some(Item::Attr(..)) => {
                // A run of consecutive attributes, aligned on `=`.
                let run: Vec<(&String, &Expr)> = items
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .map_while(|it| match it {
                        Item::Attr(k, v) => Some((k, v)),
                        _ => None,
                    })
                    .collect();
                let width = run.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                for (k, v) in &run {
                    let fill = " ".repeat(width - k.chars().count());
                    out.push_str(&format!("{pad}{k}{fill} = {}\n", expr(v)));
                }
                i += run.len();
            }
            Some(Item::Block(b)) => {
                block(out, b, indent);
                i += 1;
            }
            Some(Item::Blank) => {
                out.push('\n');
                i += 1;
            }
            None => break,
        }
    }
}

fn block(out: &mut String, b: &Block, indent: usize) {
    let pad = " ".repeat(indent);
    out.push_str(&pad);
    out.push_str(&b.kind);
    for l in &b.labels {
        out.push_str(&format!(" \"{}\"", escape(l)));
    }
    if b.body.is_empty() {
        out.push_str(" {\n");
        out.push_str(&pad);
        out.push_str("}\n");
        return;
    }
    out.push_str(" {\n");
    body(out, &b.body, indent + 2);
    out.push_str(&pad);
    out.push_str("}\n");
}

/// A whole file: top-level blocks separated by blank lines.
pub fn file(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        block(&mut out, b, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_terraform_fmt() {
        let b = Block::new("resource", &["openstack_compute_instance_v2", "db"])
            .attr("name", string("db-1"))
            .attr("flavor_name", string("m1-large"))
            .attr("security_groups", Expr::List(vec![string("a"), string("b")]))
            .block(Block::new("network", &[]).attr("name", raw("openstack_networking_network_v2.prod.name")))
            .attr("tags", Expr::List(vec![]))
            .attr(
                "metadata",
                Expr::Map(vec![("managed-by".into(), string("hybridc")), ("hybrid.dev/topology".into(), string("x"))]),
            );
        let text = file(&[b.clone(), Block::new("terraform", &[])]);
        assert_eq!(
            text,
            "resource \"openstack_compute_instance_v2\" \"db\" {\n  name            = \"db-1\"\n  flavor_name     = \"m1-large\"\n  security_groups = [\"a\", \"b\"]\n  network {\n    name = openstack_networking_network_v2.prod.name\n  }\n  tags     = []\n  metadata = { managed-by = \"hybridc\", \"hybrid.dev/topology\" = \"x\" }\n}\n\nterraform {\n}\n"
        );
    }

    #[test]
    fn identifiers() {
        // DNS labels map one to one.
        assert_eq!(identifier("ehr-db-1"), "ehr_db_1");
        assert_eq!(identifier("a--b"), "a__b");
        assert_eq!(identifier("1st-pool"), "_1st_pool");
        // Anything else is sanitised.
        assert_eq!(identifier("Not A Label"), "not_a_label");
        assert_eq!(identifier("matching-engine:7.3.1"), "matching_engine_7_3_1");
        assert_eq!(identifier(""), "x");
        assert_eq!(sanitise("insurance-private"), "insurance_private");
        assert_eq!(sanitise("Ubuntu 22.04 (LTS)"), "ubuntu_22_04_lts");
        assert_eq!(sanitise("--a--b--"), "a_b");
        assert_eq!(sanitise("ünï"), "n");
        assert_eq!(sanitise("${}"), "x");
        assert_eq!(sanitise(""), "x");
        assert_eq!(sanitise("2024.3"), "_2024_3");
        // A megabyte of image name is not a megabyte of identifier.
        assert_eq!(sanitise(&"ab-".repeat(1 << 18)), "ab_".repeat(21) + "a");
    }

    #[test]
    fn names_stay_unique_in_call_order() {
        let mut n = Names::default();
        assert_eq!(n.take("a_b_c", '_'), "a_b_c");
        assert_eq!(n.take("a_b_c", '_'), "a_b_c_2");
        assert_eq!(n.take("a_b_c", '_'), "a_b_c_3");
        assert_eq!(n.take("x", '-'), "x");
        assert_eq!(n.take("x", '-'), "x-2");
        // A numbered name taken as a base pushes the next one on.
        assert_eq!(n.take("a_b_c_4", '_'), "a_b_c_4");
        assert_eq!(n.take("a_b_c", '_'), "a_b_c_5");
    }

    #[test]
    fn reserved_names_and_identifiers() {
        let mut n = Names::with(&["esxi_hosts"]);
        assert_eq!(n.identifier("esxi-hosts"), "esxi_hosts_2");
        assert_eq!(n.identifier("a-b"), "a_b");
        assert_eq!(n.identifier("a_b"), "a_b_2");
        assert_eq!(n.identifier("a.b"), "a_b_3");
        assert_eq!(n.identifier("1st-pool"), "_1st_pool");
        // Namespaces are independent.
        assert_eq!(Names::default().identifier("a-b"), "a_b");
    }

    #[test]
    fn strings_cannot_inject() {
        assert_eq!(escape(r#"a"b\c${x}%{if}$y%z"#), r#"a\"b\\c$${x}%%{if}$y%z"#);
        assert_eq!(escape("l1\nl2\u{0}"), "l1\\nl2\\u0000");
        assert_eq!(escape("a\u{202E}b\u{200B}"), "a\\u202Eb\\u200B");
    }
}
