//! A service's VirtualService and DestinationRule (when it has a `traffic`
//! block or an `expose`), and its Gateway for `expose host=… tls=#true`.
//!
//! Routes, in order: a canary's header match to the canary subset; each
//! variant's header match to its subset (header names in lowercase, as
//! Istio asks); then the default route — the
//! weighted split `100-w / w` for a canary, 100% to the active colour for
//! blue-green, otherwise 100% to the main version — carrying the mirror,
//! retries and timeout. The DestinationRule defines every version's subset
//! and the circuit breaker as `outlierDetection`; for a service placed in
//! several clusters of one mesh, the locality failover from each of their
//! regions to the nearest other (`emit::mesh::locality_failover`), and the
//! circuit breaker's limits as its `connectionPool`. A service Flagger
//! rolls out (`progressive`) gets its Canary instead (`progressive`).
//!
//! Every object here is written as it is described (`yaml!`, into the
//! workload file's `Documents`); the copies `remote` makes, and Flagger's
//! Canary, take the helpers as values.

use crate::{host, meta, Ctx};
use hybrid_emit::labels::VERSION;
use hybrid_emit::mesh::{self, INGRESS_GATEWAY_LABELS, ISTIO_SYSTEM};
use hybrid_emit::yaml::{Documents, Emit, Entries, Items, List, Obj};
use hybrid_emit::{key, yaml, Value};
use hybrid_model::{
    gateway_name, CircuitBreaker, ClusterId, HeaderMatch, MatchKind, Service, Topology, Traffic, Workload,
};

pub(crate) fn duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

fn header_match(m: &HeaderMatch) -> List<impl FnOnce(&mut Items<'_>) + '_> {
    let kind = match m.kind {
        MatchKind::Exact => key!("exact"),
        MatchKind::Prefix => key!("prefix"),
        MatchKind::Regex => key!("regex"),
    };
    // Istio asks for lowercase header keys; header names match regardless
    // of case, so lowercasing keeps the meaning of any name written.
    let header = m.header.to_ascii_lowercase();
    let value = &m.value;
    yaml!([{ "headers": { (header): { (kind): value } } }])
}

fn destination<'a>(h: &'a str, subset: &'a str) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    yaml!({ "host": h, "subset": subset })
}

/// Retries and timeout, added to every route (and to the service section of
/// a progressive service's Canary, which Flagger copies onto its routes).
pub(crate) fn resilience(e: &mut Entries<'_>, tr: Option<&Traffic>) {
    let Some(tr) = tr else { return };
    if let Some(r) = &tr.retry {
        let (attempts, per_try, on) = (r.attempts, r.per_try_timeout.map(duration), r.on.as_ref());
        e.entry(key!("retries"), yaml!({ "attempts": attempts, "perTryTimeout": per_try, "retryOn": on }));
    }
    if let Some(t) = &tr.timeout {
        e.entry(key!("timeout"), duration(t.value));
    }
}

/// The objects of one service, in this order: VirtualService,
/// DestinationRule, Gateway (when exposed); none without `traffic` or
/// `expose`. For a service Flagger rolls out, its Canary
/// (`progressive`) in place of the VirtualService and DestinationRule.
pub fn objects(ctx: &Ctx<'_>, w: &Workload, s: &Service, docs: &mut Documents) {
    if let Some(canary) = crate::progressive::canary(ctx, w, s) {
        docs.push(canary);
        docs.push(gateway(ctx.t, ctx.id, w, s));
        return;
    }
    if !has_subsets(s) {
        return;
    }
    let h = host(&w.name, &s.namespace);
    let failover = mesh::locality_failover(ctx.t, s);
    docs.push(virtual_service(ctx.t, w, s, &h));
    docs.push(destination_rule(meta(ctx.t, &w.name, &s.namespace, Some(&w.name)), s, &h, failover));
    docs.push(gateway(ctx.t, ctx.id, w, s));
}

/// The VirtualService: the in-mesh host (and the exposed host, through the
/// mesh and the service's Gateway) and its routes.
fn virtual_service<'a>(
    t: &'a Topology,
    w: &'a Workload,
    s: &'a Service,
    h: &'a str,
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let exposed = s.expose.as_ref();
    let gateways = exposed.map(|_| yaml!(["mesh", format!("{ISTIO_SYSTEM}/{}", gateway_name(&w.name))]));
    yaml!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "VirtualService",
        "metadata": meta(t, &w.name, &s.namespace, Some(&w.name)),
        "spec": { "hosts": [h, exposed.map(|e| &e.host)], "gateways": gateways, "http": http_routes(s, h) },
    })
}

/// The VirtualService of a service a cluster's callers reach in other
/// members of its mesh: the same routes, for the in-mesh host alone.
pub(crate) fn remote_virtual_service<'a>(
    metadata: impl Emit + 'a,
    s: &'a Service,
    h: &'a str,
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    yaml!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "VirtualService",
        "metadata": metadata,
        "spec": { "hosts": [h], "http": http_routes(s, h) },
    })
}

/// The HTTP routes, in the order of the module doc: the header matches,
/// then the default route.
fn http_routes<'a>(s: &'a Service, h: &'a str) -> List<impl FnOnce(&mut Items<'_>) + 'a> {
    List(move |l: &mut Items<'_>| {
        if let Some(tr) = s.traffic.as_deref() {
            for c in &tr.canaries {
                if let Some(m) = &c.matches {
                    l.item(header_route(tr, format!("{}-match", c.name), m, destination(h, &c.name)));
                }
            }
            for v in &tr.variants {
                l.item(header_route(tr, &v.name, &v.matches, destination(h, &v.name)));
            }
        }
        l.item(default_route(s, h));
    })
}

/// A route named `name` sending the requests that match `m` to `to`.
fn header_route<'a>(
    tr: &'a Traffic,
    name: impl Emit + 'a,
    m: &'a HeaderMatch,
    to: impl Emit + 'a,
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    Obj(move |e: &mut Entries<'_>| {
        e.entry(key!("name"), name);
        e.entry(key!("match"), header_match(m));
        e.entry(key!("route"), yaml!([{ "destination": to }]));
        resilience(e, Some(tr));
    })
}

/// The default route: the weighted split, the mirror, retries and timeout.
fn default_route<'a>(s: &'a Service, h: &'a str) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let tr = s.traffic.as_deref();
    Obj(move |e: &mut Entries<'_>| {
        e.entry(key!("name"), yaml!("default"));
        e.entry(key!("route"), weighted(s, h));
        if let Some(m) = tr.and_then(|t| t.mirror.as_ref()) {
            e.entry(key!("mirror"), destination(h, &m.name));
            e.entry(key!("mirrorPercentage"), yaml!({ "value": Value::from(m.percent.0) }));
        }
        resilience(e, tr);
    })
}

/// The default route's destinations: `100-w / w` between the default
/// version and the first canary, else all to the default version.
fn weighted<'a>(s: &'a Service, h: &'a str) -> List<impl FnOnce(&mut Items<'_>) + 'a> {
    yaml::list(
        split(s)
            .into_iter()
            .map(move |(subset, weight)| yaml!({ "destination": destination(h, subset), "weight": weight })),
    )
}

/// How the service shares the traffic no header sends elsewhere between
/// its versions, in percent: `(subset, weight)` for the default version
/// and the first canary (`100-w / w`), else all to the default version.
/// The default route and every `migrate` into the service split by it.
pub fn split(s: &Service) -> Vec<(&str, i64)> {
    let default_subset = s.default_version();
    match s.traffic.as_ref().and_then(|t| t.canaries.first()) {
        Some(c) => {
            let w8 = c.weight.value.clamp(0, 100);
            vec![(default_subset, 100 - w8), (c.name.as_str(), w8)]
        }
        None => vec![(default_subset, 100)],
    }
}

/// Whether the service's host has a DestinationRule with a subset per
/// version (it has a `traffic` block or an `expose`, and Flagger does not
/// own its routing): then every route to it names a subset.
pub fn has_subsets(s: &Service) -> bool {
    (s.traffic.is_some() || s.expose.is_some()) && s.progressive().is_none()
}

/// The DestinationRule: mutual TLS, the circuit breaker with the locality
/// `failover` (`(from, to)` regions) and a subset per version.
pub(crate) fn destination_rule<'a>(
    metadata: impl Emit + 'a,
    s: &'a Service,
    h: &'a str,
    failover: Vec<(String, String)>,
) -> Obj<impl FnOnce(&mut Entries<'_>) + 'a> {
    let cb = s.traffic.as_ref().and_then(|t| t.circuit_breaker.as_ref());
    let subsets = s.versions().into_iter().map(|v| yaml!({ "name": v.label, "labels": { (VERSION): v.label } }));
    yaml!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": metadata,
        "spec": { "host": h, "trafficPolicy": traffic_policy(cb, failover), "subsets": yaml::list(subsets) },
    })
}

/// Mutual TLS, and the circuit breaker: its connection limits, outlier
/// detection and the locality failover.
fn traffic_policy(
    cb: Option<&CircuitBreaker>,
    failover: Vec<(String, String)>,
) -> Obj<impl FnOnce(&mut Entries<'_>) + '_> {
    Obj(move |e: &mut Entries<'_>| {
        e.entry(key!("tls"), yaml!({ "mode": "ISTIO_MUTUAL" }));
        let Some(cb) = cb else { return };
        let tcp = cb.max_connections.as_ref().map(|n| yaml!({ "maxConnections": n.value }));
        let http = has_http_connection_pool(cb).then(|| http_connection_pool(cb));
        if tcp.is_some() || http.is_some() {
            e.entry(key!("connectionPool"), yaml!({ "tcp": tcp, "http": http }));
        }
        e.entry(key!("outlierDetection"), outlier_detection(cb));
        // Locality failover moves traffic only away from endpoints outlier
        // detection ejected (HY5016 holds every failing-over service to a
        // circuit breaker).
        if !failover.is_empty() {
            let failover = failover.into_iter().map(|(from, to)| yaml!({ "from": from, "to": to }));
            let failover = yaml::list(failover);
            e.entry(key!("loadBalancer"), yaml!({ "localityLbSetting": { "enabled": true, "failover": failover } }));
        }
    })
}

/// The circuit breaker as `outlierDetection` (the schema gives every
/// field its default).
pub(crate) fn outlier_detection(cb: &CircuitBreaker) -> Obj<impl FnOnce(&mut Entries<'_>)> {
    let errors = cb.consecutive_errors;
    let interval = cb.interval.map(duration);
    let ejection = cb.ejection.map(duration);
    let max_ejection = cb.max_ejection.map(|p| p.0.round() as i64);
    yaml!({
        "consecutive5xxErrors": errors,
        "interval": interval,
        "baseEjectionTime": ejection,
        "maxEjectionPercent": max_ejection,
    })
}

/// Whether the circuit breaker limits HTTP connections at all.
pub(crate) fn has_http_connection_pool(cb: &CircuitBreaker) -> bool {
    cb.max_pending.is_some() || cb.max_requests.is_some() || cb.max_requests_per_connection.is_some()
}

/// The circuit breaker's HTTP connection pool limits, each when written
/// (`connectionPool.http`).
pub(crate) fn http_connection_pool(cb: &CircuitBreaker) -> Obj<impl FnOnce(&mut Entries<'_>)> {
    let (pending, requests, per_connection) = (cb.max_pending, cb.max_requests, cb.max_requests_per_connection);
    yaml!({
        "http1MaxPendingRequests": pending,
        "http2MaxRequests": requests,
        "maxRequestsPerConnection": per_connection,
    })
}

/// The Secret holding an exposed service's certificate, in the ingress
/// gateway's namespace (a prerequisite: never generated).
pub fn credential_name(workload: &str) -> String {
    format!("{workload}-tls")
}

/// The Gateway of `expose`, in the ingress gateway's namespace (none
/// without `expose`); for a host served from several sites, with the
/// external-dns annotations of its global entry (`emit::mesh::global_entry`).
fn gateway<'a>(
    t: &'a Topology,
    cluster: ClusterId,
    w: &'a Workload,
    s: &'a Service,
) -> Option<Obj<impl FnOnce(&mut Entries<'_>) + 'a>> {
    let e = s.expose.as_ref()?;
    // The checker makes `tls=#true` mandatory; the certificate is a
    // Secret the operator provides, referenced by name only.
    let name = gateway_name(&w.name);
    // One record per cluster, so every site's external-dns keeps its own.
    let annotations = mesh::global_entry(t, s).then(|| {
        let cluster = &t.cluster(cluster).name;
        let ttl = mesh::GLOBAL_ENTRY_TTL_SECONDS.to_string();
        yaml!({ (mesh::EXTERNAL_DNS_SET_IDENTIFIER): cluster, (mesh::EXTERNAL_DNS_TTL): ttl })
    });
    let metadata = Obj(move |m: &mut Entries<'_>| {
        meta(t, &name, ISTIO_SYSTEM, Some(&w.name)).splice_into(m);
        m.entry(key!("annotations"), annotations);
    });
    let host = &e.host;
    Some(yaml!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "Gateway",
        "metadata": metadata,
        "spec": {
            "selector": yaml::object(INGRESS_GATEWAY_LABELS.iter().copied()),
            "servers": [{
                "port": { "number": 443, "name": "https", "protocol": "HTTPS" },
                "hosts": [host],
                "tls": { "mode": "SIMPLE", "credentialName": credential_name(&w.name) },
            }],
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::{duration, header_match};
    use hybrid_emit::{json, Value};
    use hybrid_model::{HeaderMatch, MatchKind};
    use std::time::Duration;

    #[test]
    fn header_names_are_lowercased() {
        let m = HeaderMatch { header: "X-User-Type".into(), kind: MatchKind::Prefix, value: "Internal".into() };
        let written = Value::from(header_match(&m));
        assert_eq!(written, json!([{ "headers": { "x-user-type": { "prefix": "Internal" } } }]));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(Duration::from_secs(30)), "30s");
        assert_eq!(duration(Duration::from_millis(1500)), "1500ms");
    }
}
