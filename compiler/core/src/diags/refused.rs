//! Constructors for the diagnostics of values that parse but that
//! Kubernetes or Istio would refuse (label values, port names, hostnames,
//! header names, a vm's address), of CIDRs, and of a job's pool.

use crate::values;
use hybrid_diagnostics::{codes, did_you_mean, join_quoted, Diagnostic, Span};
use hybrid_model::IpNet;
use hybrid_syntax::Entry;

/// `key=` in front of a property's value, nothing for an argument.
fn key_prefix(entry: &Entry) -> String {
    entry.key().map(|k| format!("{k}=")).unwrap_or_default()
}

/// HY0026: a label value (of `label`, or a taint's `value=`, which
/// Kubernetes checks the same way) that Kubernetes rejects.
pub fn invalid_label_value(entry: &Entry, value: &str, why: &str) -> Diagnostic {
    let what = if entry.key().is_some() { "taint value" } else { "label value" };
    let fixed = values::fix_label_value(value);
    Diagnostic::new(
        &codes::INVALID_LABEL_VALUE,
        format!("{what} `{}` {why}", values::printable(value)),
        entry.value_span(),
        "not a Kubernetes label value",
    )
    .with_help(format!(
        "write {}\"{fixed}\"; a label value is at most 63 letters, digits, `-`, `_` and `.`, beginning and ending with a letter or digit",
        key_prefix(entry)
    ))
}

/// HY0027
pub fn invalid_port_name(entry: &Entry, name: &str, why: &str) -> Diagnostic {
    let fixed = values::fix_port_name(name);
    let rule = "a port name is at most 15 lowercase letters, digits and `-`, with a letter, without `-` at either end or twice in a row";
    let help = if fixed.is_empty() {
        format!("remove `name=` to name the port `PROTOCOL-NUMBER`; {rule}")
    } else {
        format!("write name=\"{fixed}\"; {rule}")
    };
    Diagnostic::new(
        &codes::INVALID_PORT_NAME,
        format!("port name `{}` {why}", values::printable(name)),
        entry.value_span(),
        "not a Kubernetes port name",
    )
    .with_help(help)
}

/// HY0008, for a vm's `address=`: neither an IP address a machine can
/// have nor a DNS name, with the reason.
pub fn invalid_address(entry: &Entry, address: &str, why: &str) -> Diagnostic {
    let key = entry.key().unwrap_or("address");
    let help = match values::fix_address(address) {
        Some(fixed) => format!("write {key}=\"{fixed}\": one machine's IP address or DNS name"),
        None => format!(
            "write the vm's IP address or a DNS name that resolves to it, such as {key}=\"10.70.16.20\" or {key}=\"erp.example.com\""
        ),
    };
    Diagnostic::new(
        &codes::WRONG_TYPE,
        format!("`{key}` expects an IP address or a DNS name, but `{}` {why}", values::printable(address)),
        entry.value_span(),
        "not an address",
    )
    .with_help(help)
}

/// HY0030
pub fn invalid_hostname(entry: &Entry, host: &str, why: &str) -> Diagnostic {
    // The property as written (`host=` of `expose`, `manager=` of `nsx`).
    let prop = entry.key().unwrap_or("host");
    let help = match values::fix_hostname(host) {
        Some(fixed) => format!("write {prop}=\"{fixed}\": the host name alone, in lowercase"),
        None => format!("write a DNS name of lowercase letters, digits, `-` and `.`, such as {prop}=\"shop.example.com\" or {prop}=\"*.example.com\""),
    };
    Diagnostic::new(
        &codes::INVALID_HOSTNAME,
        format!("host name `{}` {why}", values::printable(host)),
        entry.value_span(),
        "not a DNS name",
    )
    .with_help(help)
}

/// HY0031
pub fn invalid_header_name(entry: &Entry, header: &str, why: &str) -> Diagnostic {
    let help = match values::fix_header_name(header) {
        Some(fixed) => format!("write header=\"{fixed}\"; a header name is letters, digits and ``!#$%&'*+-.^_`|~``"),
        None => {
            "write a header name of letters, digits and ``!#$%&'*+-.^_`|~``, such as header=\"x-user-type\"".to_string()
        }
    };
    Diagnostic::new(
        &codes::INVALID_HEADER_NAME,
        format!("header name `{}` {why}", values::printable(header)),
        entry.value_span(),
        "not an HTTP header name",
    )
    .with_help(help)
}

/// HY7003: a job or service pinned to a pool its kubernetes cluster does
/// not have.
pub fn job_pool_not_found(cluster: &str, pool: &str, span: Span, pools: &[&str]) -> Diagnostic {
    let d = Diagnostic::new(
        &codes::JOB_POOL_NOT_FOUND,
        format!("cluster `{cluster}` has no pool `{pool}`"),
        span,
        format!("no pool `{pool}` in `{cluster}`"),
    );
    match did_you_mean(pool, pools.iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{cluster}.{s}`?")),
        None if pools.is_empty() => {
            d.with_help(format!("`{cluster}` declares no pools; pin the workload to a cluster with one"))
        }
        None => d.with_help(format!("`{cluster}` has the pools {}", join_quoted(pools))),
    }
}

/// HY1001
pub fn invalid_cidr(entry: &Entry, fixed: Option<IpNet>) -> Diagnostic {
    let raw = entry.raw();
    match fixed {
        Some(net) => Diagnostic::new(
            &codes::INVALID_CIDR,
            format!("CIDR {raw} has host bits set"),
            entry.value_span(),
            "host bits set",
        )
        .with_help(format!("write the network address: \"{net}\"")),
        None => {
            Diagnostic::new(&codes::INVALID_CIDR, format!("{raw} is not a CIDR"), entry.value_span(), "malformed CIDR")
                .with_help("write an address and prefix length, e.g. \"10.10.0.0/16\" or \"fd00::/64\"")
        }
    }
}
