//! Decoding: a syntax node checked against its [`NodeSchema`] becomes a
//! [`DNode`] whose arguments and properties are typed values (units parsed,
//! defaults filled in). Every mismatch is an HY0xxx diagnostic on the exact
//! token: unknown nodes and properties with "did you mean", missing required
//! entries, wrong types, enums, names, ranges.

use crate::diags;
use crate::schema::{self, ArgSchema, NodeSchema, PropSchema, Repeat, Ty};
use crate::values;
use hybrid_diagnostics::{Diagnostic, Span};
use hybrid_model::{Address, Bandwidth, Bytes, Cron, Frequency, IpNet, MilliCpu, Percent};
use hybrid_syntax::{Entry, Node, Text, Value};
use std::time::Duration;

/// A typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    Int(i64),
    Bool(bool),
    /// Strings, versions, names, enum words, label keys, variable names
    /// (up to 24 bytes inline, as the syntax tree holds them).
    Str(Text),
    /// A reference as written (`shop-a`, `dc-a.ssd`).
    Ref(Text),
    Size(Bytes),
    Cpu(MilliCpu),
    Percent(Percent),
    Duration(Duration),
    Bandwidth(Bandwidth),
    Frequency(Frequency),
    Cidr(IpNet),
    /// Boxed, as the address: the two largest values would otherwise
    /// size every value (72 bytes instead of 32).
    Cron(Box<Cron>),
    Address(Box<Address>),
    /// A scalar of any type (`Ty::Scalar`), as written.
    Float(f64),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DVal {
    pub v: V,
    pub span: Span,
}

/// A decoded node: typed entries, decoded children.
#[derive(Debug, Clone)]
pub struct DNode {
    pub schema: &'static NodeSchema,
    /// The span of the node's name.
    pub name_span: Span,
    pub span: Span,
    pub args: Vec<DVal>,
    pub props: Vec<(&'static str, DVal)>,
    pub children: Vec<DNode>,
}

impl DNode {
    pub fn prop(&self, name: &str) -> Option<&DVal> {
        self.props.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    pub fn arg(&self, i: usize) -> Option<&DVal> {
        self.args.get(i)
    }
    pub fn child(&self, name: &str) -> Option<&DNode> {
        self.children.iter().find(|c| c.schema.name == name)
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a DNode> + 'a {
        self.children.iter().filter(move |c| c.schema.name == name)
    }
    /// The declared name (first argument), or "" when it is missing.
    pub fn name(&self) -> &str {
        match self.args.first().map(|a| &a.v) {
            Some(V::Str(s)) | Some(V::Ref(s)) => s,
            _ => "",
        }
    }
    /// The span of the declared name, or of the node name when missing.
    pub fn name_arg_span(&self) -> Span {
        self.args.first().map(|a| a.span).unwrap_or(self.name_span)
    }
}

impl DVal {
    pub fn str(&self) -> Option<&str> {
        match &self.v {
            V::Str(s) | V::Ref(s) => Some(s),
            _ => None,
        }
    }
    pub fn int(&self) -> Option<i64> {
        match self.v {
            V::Int(i) => Some(i),
            _ => None,
        }
    }
    pub fn u32(&self) -> Option<u32> {
        self.int().and_then(|i| u32::try_from(i).ok())
    }
    pub fn bool(&self) -> Option<bool> {
        match self.v {
            V::Bool(b) => Some(b),
            _ => None,
        }
    }
    pub fn size(&self) -> Option<Bytes> {
        match self.v {
            V::Size(b) => Some(b),
            _ => None,
        }
    }
    pub fn cpu(&self) -> Option<MilliCpu> {
        match self.v {
            V::Cpu(c) => Some(c),
            _ => None,
        }
    }
    pub fn percent(&self) -> Option<Percent> {
        match self.v {
            V::Percent(p) => Some(p),
            _ => None,
        }
    }
    pub fn duration(&self) -> Option<Duration> {
        match self.v {
            V::Duration(d) => Some(d),
            _ => None,
        }
    }
    pub fn bandwidth(&self) -> Option<Bandwidth> {
        match self.v {
            V::Bandwidth(b) => Some(b),
            _ => None,
        }
    }
    pub fn frequency(&self) -> Option<Frequency> {
        match self.v {
            V::Frequency(f) => Some(f),
            _ => None,
        }
    }
    pub fn cidr(&self) -> Option<IpNet> {
        match self.v {
            V::Cidr(c) => Some(c),
            _ => None,
        }
    }
    pub fn address(&self) -> Option<&Address> {
        match &self.v {
            V::Address(a) => Some(a),
            _ => None,
        }
    }
    pub fn cron(&self) -> Option<&Cron> {
        match &self.v {
            V::Cron(c) => Some(c),
            _ => None,
        }
    }
}

/// Where a child node came from, for profile diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Written,
    /// Merged from a profile by the `use` at this span.
    Profile(Span),
}

/// Decodes `node` against `schema`. `origins` gives, for each direct child
/// of `node`, where it came from (empty = all written).
pub fn decode(
    node: &Node,
    children: &[(Node, Origin)],
    schema: &'static NodeSchema,
    diags: &mut Vec<Diagnostic>,
) -> DNode {
    if let Some(t) = node.type_annotation() {
        diags.push(diags::type_annotation(t, true));
    }
    let args = decode_args(node, schema, diags);
    let props = decode_props(node, schema, diags);
    // Sized once: a decoded program holds these lists for every node.
    let mut out = Vec::with_capacity(children.len());
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for (child, origin) in children {
        let name = child.name();
        let Some((cs, child_schema)) = schema.child(name) else {
            match origin {
                Origin::Profile(use_span) => {
                    diags.push(diags::profile_node_not_accepted(child, schema.name, *use_span))
                }
                Origin::Written => diags.push(diags::unknown_node(child, schema)),
            }
            continue;
        };
        if cs.repeat == Repeat::Once {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                diags.push(diags::duplicate_entry(name, child.name_span(), *first, true));
                continue;
            }
            seen.push((name, child.name_span()));
        }
        let grand: Vec<(Node, Origin)> = child.children().map(|c| (c, Origin::Written)).collect();
        out.push(decode(child, &grand, child_schema, diags));
    }
    for cs in schema.children.iter().filter(|c| c.required) {
        if let Some(req) = schema::node(cs.key) {
            if !out.iter().any(|c| c.schema.key == cs.key) {
                diags.push(diags::missing_node(node, req));
            }
        }
    }
    DNode { schema, name_span: node.name_span(), span: node.span(), args, props, children: out }
}

/// Decodes a node that has no profile merging: its children as written.
pub fn decode_plain(node: &Node, schema: &'static NodeSchema, diags: &mut Vec<Diagnostic>) -> DNode {
    let children: Vec<(Node, Origin)> = node.children().map(|c| (c, Origin::Written)).collect();
    decode(node, &children, schema, diags)
}

fn decode_args(node: &Node, schema: &NodeSchema, diags: &mut Vec<Diagnostic>) -> Vec<DVal> {
    // Messages about an argument name the node (`spread`), not the
    // reference's placeholder (`OVER`).
    let what = node.name();
    let positional: Vec<Entry> = node.args().collect();
    let mut out = Vec::with_capacity(schema.args.len().max(positional.len()));
    let mut i = 0;
    for (k, a) in schema.args.iter().enumerate() {
        if a.variadic {
            if positional.len() <= i && a.required {
                diags.push(diags::missing_argument(node, a, k));
            }
            while let Some(e) = positional.get(i) {
                if let Some(v) = typed(e, &a.ty, what, diags) {
                    out.push(v);
                }
                i += 1;
            }
            continue;
        }
        match positional.get(i) {
            Some(e) => {
                i += 1;
                if let Some(v) = typed(e, &a.ty, what, diags) {
                    out.push(v);
                } else {
                    return out;
                }
            }
            None if a.required => {
                diags.push(diags::missing_argument(node, a, k));
                return out;
            }
            None => {
                if let Some(v) = default_arg(a, node.name_span()) {
                    out.push(v);
                }
            }
        }
    }
    for e in positional.iter().skip(i) {
        diags.push(diags::unexpected_argument(node, e, schema.args.len(), !schema.props.is_empty()));
    }
    out
}

fn default_arg(a: &ArgSchema, span: Span) -> Option<DVal> {
    default_value(a.default?, &a.ty, span)
}

/// Parses a default written in the schema (language syntax) into a value.
pub fn default_value(text: &str, ty: &Ty, span: Span) -> Option<DVal> {
    let value = match text {
        "#true" => Value::Bool(true),
        "#false" => Value::Bool(false),
        t if t.starts_with('"') => Value::String(t.trim_matches('"')),
        t => match t.parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => Value::String(t),
        },
    };
    // An entry no file holds: the default, as if written at `span`.
    let entry = Entry::new(value, text, span);
    let mut sink = Vec::new();
    typed(&entry, ty, "", &mut sink)
}

fn decode_props(node: &Node, schema: &NodeSchema, diags: &mut Vec<Diagnostic>) -> Vec<(&'static str, DVal)> {
    let defaults = schema.props.iter().filter(|p| p.default.is_some()).count();
    let mut out: Vec<(&'static str, DVal)> = Vec::with_capacity(node.props().count() + defaults);
    // The properties written, in order; and where each of the schema's
    // was first written, by its index (a lookup, not a scan, per property).
    let mut seen: Vec<(&str, Span)> = Vec::new();
    let mut first: Vec<Option<Span>> = vec![None; schema.props.len()];
    for e in node.props() {
        let (Some(key), Some(key_span)) = (e.key(), e.key_span()) else { continue };
        let Some((i, ps)) = schema.props.iter().enumerate().find(|(_, p)| p.name == key) else {
            diags.push(diags::unknown_property(node, &e, schema));
            continue;
        };
        match first.get_mut(i) {
            Some(Some(at)) => {
                diags.push(diags::duplicate_entry(key, key_span, *at, false));
                continue;
            }
            Some(slot) => *slot = Some(key_span),
            None => continue,
        }
        seen.push((key, key_span));
        if let Some(v) = typed(&e, &ps.ty, ps.name, diags) {
            out.push((ps.name, v));
        }
    }
    if let Some(choice) = schema.one_of {
        let written: Vec<&(&str, Span)> = seen.iter().filter(|(n, _)| choice.contains(n)).collect();
        match written.as_slice() {
            [] => diags.push(diags::missing_one_of(node, choice)),
            [(first, first_span), rest @ ..] => {
                for (other, span) in rest {
                    diags.push(diags::conflicting_properties(node.name(), first, *first_span, other, *span));
                }
            }
        }
    }
    for (ps, written) in schema.props.iter().zip(&first) {
        if written.is_some() {
            continue;
        }
        if ps.required {
            diags.push(diags::missing_property(node, ps));
        } else if let Some(v) = prop_default(ps, node.name_span()) {
            out.push((ps.name, v));
        }
    }
    out
}

fn prop_default(p: &PropSchema, span: Span) -> Option<DVal> {
    default_value(p.default?, &p.ty, span)
}

/// Converts one entry's value to the type `ty`, or reports why it cannot.
fn typed(e: &Entry, ty: &Ty, what: &str, diags: &mut Vec<Diagnostic>) -> Option<DVal> {
    if let Some(t) = e.type_annotation() {
        diags.push(diags::type_annotation(t, false));
    }
    let span = e.value_span();
    fn wrong<T>(e: &Entry, ty: &Ty, diags: &mut Vec<Diagnostic>) -> Option<T> {
        diags.push(diags::wrong_type(e, ty));
        None
    }
    let v = match (ty, e.value()) {
        (Ty::Int { min, max }, Value::Int(i)) => {
            if i < *min || i > *max {
                diags.push(diags::value_out_of_range(e, what, *min, *max, false));
                return None;
            }
            V::Int(i)
        }
        (Ty::Bool, Value::Bool(b)) => V::Bool(b),
        (Ty::Scalar, Value::Int(i)) => V::Int(i),
        (Ty::Scalar, Value::Float(f)) if f.is_finite() => V::Float(f),
        (Ty::Scalar, Value::Bool(b)) => V::Bool(b),
        (Ty::Scalar, Value::String(s)) => V::Str(Text::from(s)),
        (Ty::Scalar, Value::Null) => V::Null,
        (Ty::Str, Value::String(s)) => V::Str(Text::from(s)),
        (Ty::Version, Value::String(s)) if values::version(s) => V::Str(Text::from(s)),
        (Ty::Version, Value::Int(_) | Value::Float(_)) => {
            diags.push(diags::version_as_number(e));
            return None;
        }
        (Ty::Cpu, Value::Int(i)) if i >= 0 => {
            V::Cpu(MilliCpu(u64::try_from(i).unwrap_or(u64::MAX / 1000).saturating_mul(1000)))
        }
        (Ty::Cpu, Value::Float(f)) if f >= 0.0 && f.is_finite() => V::Cpu(MilliCpu((f * 1000.0).round() as u64)),
        (Ty::Seconds { min }, Value::String(s)) => match values::duration(s) {
            Some(d)
                if d.subsec_nanos() == 0 && d.as_secs() >= u64::from(*min) && d.as_secs() <= u64::from(u32::MAX) =>
            {
                V::Duration(d)
            }
            Some(d) if d.subsec_nanos() == 0 => {
                diags.push(diags::value_out_of_range(e, what, i64::from(*min), i64::from(u32::MAX), false));
                return None;
            }
            _ => return wrong(e, ty, diags),
        },
        (
            Ty::Size | Ty::Cpu | Ty::Percent | Ty::Duration | Ty::Bandwidth | Ty::Frequency | Ty::Cidr | Ty::Cron,
            Value::String(s),
        ) => quantity(e, ty, s, what, diags)?,
        (Ty::Name, Value::String(s)) => {
            if !values::is_dns_label(s) {
                diags.push(diags::invalid_name(e, s));
                return None;
            }
            V::Str(Text::from(s))
        }
        (Ty::Name, _) => {
            diags.push(diags::invalid_name(e, e.raw()));
            return None;
        }
        (Ty::EnvName, Value::String(s)) if values::is_env_name(s) => V::Str(Text::from(s)),
        (Ty::LabelKey, Value::String(s)) if values::is_label_key(s) => V::Str(Text::from(s)),
        (Ty::LabelValue | Ty::PortName | Ty::Hostname | Ty::HeaderName, Value::String(s)) => checked(e, ty, s, diags),
        (Ty::Address, Value::String(s)) => match values::address(s) {
            Ok(a) => V::Address(Box::new(a)),
            Err(why) => {
                diags.push(diags::invalid_address(e, s, &why));
                return None;
            }
        },
        (Ty::Ref(_), Value::String(s)) if !s.is_empty() && !s.split('.').any(str::is_empty) => V::Ref(Text::from(s)),
        (Ty::Enum(words), Value::String(s)) => match words.iter().find(|w| **w == s) {
            Some(w) => V::Str(Text::const_new(w)),
            None => {
                diags.push(diags::unknown_enum_value(e, s, words, e.key().unwrap_or(what)));
                return None;
            }
        },
        (Ty::Enum(words), _) => {
            diags.push(diags::unknown_enum_value(e, e.raw(), words, e.key().unwrap_or(what)));
            return None;
        }
        _ => return wrong(e, ty, diags),
    };
    Some(DVal { v, span })
}

/// A quantity, a CIDR or a cron schedule written as a string.
fn quantity(e: &Entry, ty: &Ty, s: &str, what: &str, diags: &mut Vec<Diagnostic>) -> Option<V> {
    let parsed = match ty {
        Ty::Size => values::size(s).map(V::Size),
        Ty::Cpu => values::cpu_str(s).map(V::Cpu),
        Ty::Percent => match values::percent(s) {
            Some(Ok(p)) => Some(V::Percent(p)),
            Some(Err(_)) => {
                diags.push(diags::value_out_of_range(e, what, 0, 100, true));
                return None;
            }
            None => None,
        },
        Ty::Duration => values::duration(s).map(V::Duration),
        Ty::Bandwidth => values::bandwidth(s).map(V::Bandwidth),
        Ty::Frequency => values::frequency(s).map(V::Frequency),
        Ty::Cidr => {
            return match values::cidr(s) {
                Some(Ok(n)) => Some(V::Cidr(n)),
                Some(Err(fixed)) => {
                    diags.push(diags::invalid_cidr(e, Some(fixed)));
                    None
                }
                None => {
                    diags.push(diags::invalid_cidr(e, None));
                    None
                }
            };
        }
        Ty::Cron => values::cron(s).map(|c| V::Cron(Box::new(c))),
        _ => None,
    };
    if parsed.is_none() {
        diags.push(diags::wrong_type(e, ty));
    }
    parsed
}

/// A string Kubernetes or Istio validates (a label value, a port name, a
/// hostname, a header name). The value is kept when it breaks its rule:
/// the error alone stops the build, and the rest of the program is still
/// checked.
fn checked(e: &Entry, ty: &Ty, s: &str, diags: &mut Vec<Diagnostic>) -> V {
    let problem = match ty {
        Ty::LabelValue => values::label_value_problem(s).map(|why| diags::invalid_label_value(e, s, &why)),
        Ty::PortName => values::port_name_problem(s).map(|why| diags::invalid_port_name(e, s, &why)),
        Ty::Hostname => values::hostname_problem(s).map(|why| diags::invalid_hostname(e, s, &why)),
        Ty::HeaderName => values::header_name_problem(s).map(|why| diags::invalid_header_name(e, s, &why)),
        _ => None,
    };
    diags.extend(problem);
    V::Str(Text::from(s))
}
