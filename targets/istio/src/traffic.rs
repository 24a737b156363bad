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

use crate::{host, meta, Ctx};
use hybrid_emit::labels::VERSION;
use hybrid_emit::mesh::{self, INGRESS_GATEWAY_LABELS, ISTIO_SYSTEM};
use hybrid_emit::{json, key, Map, Value};
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

fn header_match(m: &HeaderMatch) -> Value {
    let kind = match m.kind {
        MatchKind::Exact => "exact",
        MatchKind::Prefix => "prefix",
        MatchKind::Regex => "regex",
    };
    let mut value = Map::new();
    value.insert(kind, Value::from(m.value.clone()));
    // Istio asks for lowercase header keys; header names match regardless
    // of case, so lowercasing keeps the meaning of any name written.
    let mut headers = Map::new();
    headers.insert(m.header.to_ascii_lowercase(), Value::Object(value));
    json!([{ "headers": headers }])
}

fn destination(h: &str, subset: &str) -> Value {
    json!({ "host": h, "subset": subset })
}

/// Retries and timeout, added to every route (and to the service section of
/// a progressive service's Canary, which Flagger copies onto its routes).
pub(crate) fn resilience(route: &mut Map, tr: Option<&Traffic>) {
    let Some(tr) = tr else { return };
    if let Some(r) = &tr.retry {
        let mut retries = Map::new();
        if let Some(attempts) = r.attempts {
            retries.insert(key!("attempts"), Value::from(attempts));
        }
        if let Some(p) = r.per_try_timeout {
            retries.insert(key!("perTryTimeout"), Value::from(duration(p)));
        }
        if let Some(on) = &r.on {
            retries.insert(key!("retryOn"), Value::from(on.clone()));
        }
        route.insert(key!("retries"), Value::Object(retries));
    }
    if let Some(t) = &tr.timeout {
        route.insert(key!("timeout"), Value::from(duration(t.value)));
    }
}

/// The objects of one service, in this order: VirtualService,
/// DestinationRule, Gateway (when exposed); none without `traffic` or
/// `expose`. For a service Flagger rolls out, its Canary
/// (`progressive`) in place of the VirtualService and DestinationRule.
pub fn objects(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Vec<Value> {
    if let Some(canary) = crate::progressive::canary(ctx, w, s) {
        let mut out = vec![canary];
        out.extend(gateway(ctx.t, ctx.id, w, s));
        return out;
    }
    if !has_subsets(s) {
        return Vec::new();
    }
    let h = host(&w.name, &s.namespace);
    let dr_meta = meta(ctx.t, &w.name, &s.namespace, Some(&w.name));
    let failover = mesh::locality_failover(ctx.t, s);
    let mut out = vec![virtual_service(ctx.t, w, s, &h), destination_rule(dr_meta, s, &h, failover)];
    out.extend(gateway(ctx.t, ctx.id, w, s));
    out
}

/// The VirtualService: the in-mesh host (and the exposed host, through the
/// mesh and the service's Gateway) and its routes.
fn virtual_service(t: &Topology, w: &Workload, s: &Service, h: &str) -> Value {
    let mut hosts = vec![Value::from(h)];
    let mut gateways = Vec::new();
    if let Some(e) = &s.expose {
        hosts.push(Value::from(e.host.clone()));
        gateways.push(json!("mesh"));
        gateways.push(Value::from(format!("{ISTIO_SYSTEM}/{}", gateway_name(&w.name))));
    }
    let mut vs_spec = Map::new();
    vs_spec.insert(key!("hosts"), Value::Array(hosts));
    if !gateways.is_empty() {
        vs_spec.insert(key!("gateways"), Value::Array(gateways));
    }
    vs_spec.insert(key!("http"), Value::Array(http_routes(s, h)));
    json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "VirtualService",
        "metadata": meta(t, &w.name, &s.namespace, Some(&w.name)),
        "spec": Value::Object(vs_spec),
    })
}

/// The VirtualService of a service a cluster's callers reach in other
/// members of its mesh: the same routes, for the in-mesh host alone.
pub(crate) fn remote_virtual_service(metadata: impl Into<Value>, s: &Service, h: &str) -> Value {
    let metadata: Value = metadata.into();
    json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "VirtualService",
        "metadata": metadata,
        "spec": { "hosts": [h], "http": http_routes(s, h) },
    })
}

/// The HTTP routes, in the order of the module doc: the header matches,
/// then the default route.
fn http_routes(s: &Service, h: &str) -> Vec<Value> {
    let mut http: Vec<Value> = Vec::new();
    if let Some(tr) = &s.traffic {
        for c in &tr.canaries {
            if let Some(m) = &c.matches {
                http.push(header_route(tr, format!("{}-match", c.name), m, destination(h, &c.name)));
            }
        }
        for v in &tr.variants {
            http.push(header_route(tr, v.name.clone(), &v.matches, destination(h, &v.name)));
        }
    }
    http.push(default_route(s, h));
    http
}

/// A route named `name` sending the requests that match `m` to `to`.
fn header_route(tr: &Traffic, name: String, m: &HeaderMatch, to: Value) -> Value {
    let mut route = Map::new();
    route.insert(key!("name"), Value::from(name));
    route.insert(key!("match"), header_match(m));
    route.insert(key!("route"), json!([{ "destination": to }]));
    resilience(&mut route, Some(tr));
    Value::Object(route)
}

/// The default route: the weighted split, the mirror, retries and timeout.
fn default_route(s: &Service, h: &str) -> Value {
    let tr = s.traffic.as_deref();
    let mut default = Map::new();
    default.insert(key!("name"), json!("default"));
    default.insert(key!("route"), weighted(s, h));
    if let Some(m) = tr.and_then(|t| t.mirror.as_ref()) {
        default.insert(key!("mirror"), destination(h, &m.name));
        default.insert(key!("mirrorPercentage"), json!({ "value": m.percent.0 }));
    }
    resilience(&mut default, tr);
    Value::Object(default)
}

/// The default route's destinations: `100-w / w` between the default
/// version and the first canary, else all to the default version.
fn weighted(s: &Service, h: &str) -> Value {
    let routes: Vec<Value> = split(s)
        .into_iter()
        .map(|(subset, weight)| json!({ "destination": destination(h, subset), "weight": weight }))
        .collect();
    Value::Array(routes)
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
pub(crate) fn destination_rule(
    metadata: impl Into<Value>,
    s: &Service,
    h: &str,
    failover: Vec<(String, String)>,
) -> Value {
    let metadata: Value = metadata.into();
    let subsets: Vec<Value> =
        s.versions().iter().map(|v| json!({ "name": v.label, "labels": { VERSION: v.label } })).collect();
    let mut policy = Map::new();
    policy.insert(key!("tls"), json!({ "mode": "ISTIO_MUTUAL" }));
    if let Some(cb) = s.traffic.as_ref().and_then(|t| t.circuit_breaker.as_ref()) {
        let mut pool = Map::new();
        if let Some(n) = &cb.max_connections {
            pool.insert(key!("tcp"), json!({ "maxConnections": n.value }));
        }
        let http = http_connection_pool(cb);
        if !http.is_empty() {
            pool.insert(key!("http"), Value::Object(http));
        }
        if !pool.is_empty() {
            policy.insert(key!("connectionPool"), Value::Object(pool));
        }
        policy.insert(key!("outlierDetection"), Value::Object(outlier_detection(cb)));
        // Locality failover moves traffic only away from endpoints outlier
        // detection ejected (HY5016 holds every failing-over service to a
        // circuit breaker).
        let failover: Vec<Value> = failover.into_iter().map(|(from, to)| json!({ "from": from, "to": to })).collect();
        if !failover.is_empty() {
            policy.insert(
                key!("loadBalancer"),
                json!({ "localityLbSetting": { "enabled": true, "failover": failover } }),
            );
        }
    }
    json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "DestinationRule",
        "metadata": metadata,
        "spec": { "host": h, "trafficPolicy": Value::Object(policy), "subsets": subsets },
    })
}

/// The circuit breaker as `outlierDetection` (the schema gives every
/// field its default).
pub(crate) fn outlier_detection(cb: &CircuitBreaker) -> Map {
    let mut od = Map::new();
    let fields = [
        ("consecutive5xxErrors", cb.consecutive_errors.map(Value::from)),
        ("interval", cb.interval.map(|d| Value::from(duration(d)))),
        ("baseEjectionTime", cb.ejection.map(|d| Value::from(duration(d)))),
        ("maxEjectionPercent", cb.max_ejection.map(|p| Value::from(p.0.round() as i64))),
    ];
    od.extend(fields.into_iter().filter_map(|(k, v)| Some((k.to_string(), v?))));
    od
}

/// The circuit breaker's HTTP connection pool limits, each when written
/// (`connectionPool.http`).
pub(crate) fn http_connection_pool(cb: &CircuitBreaker) -> Map {
    let fields = [
        ("http1MaxPendingRequests", cb.max_pending),
        ("http2MaxRequests", cb.max_requests),
        ("maxRequestsPerConnection", cb.max_requests_per_connection),
    ];
    fields.into_iter().filter_map(|(k, v)| Some((k.to_string(), Value::from(v?)))).collect()
}

/// The Secret holding an exposed service's certificate, in the ingress
/// gateway's namespace (a prerequisite: never generated).
pub fn credential_name(workload: &str) -> String {
    format!("{workload}-tls")
}

/// The Gateway of `expose`, in the ingress gateway's namespace (none
/// without `expose`); for a host served from several sites, with the
/// external-dns annotations of its global entry (`emit::mesh::global_entry`).
fn gateway(t: &Topology, cluster: ClusterId, w: &Workload, s: &Service) -> Option<Value> {
    let e = s.expose.as_ref()?;
    // The checker makes `tls=#true` mandatory; the certificate is a
    // Secret the operator provides, referenced by name only.
    let selector: Map = INGRESS_GATEWAY_LABELS.iter().map(|(k, v)| ((*k).to_string(), Value::from(*v))).collect();
    let name = gateway_name(&w.name);
    let mut metadata = Value::from(meta(t, &name, ISTIO_SYSTEM, Some(&w.name)));
    if mesh::global_entry(t, s) {
        // One record per cluster, so every site's external-dns keeps its own.
        if let Some(m) = metadata.as_object_mut() {
            m.insert(
                "annotations",
                json!({
                    mesh::EXTERNAL_DNS_SET_IDENTIFIER: &t.cluster(cluster).name,
                    mesh::EXTERNAL_DNS_TTL: mesh::GLOBAL_ENTRY_TTL_SECONDS.to_string(),
                }),
            );
        }
    }
    Some(json!({
        "apiVersion": "networking.istio.io/v1",
        "kind": "Gateway",
        "metadata": metadata,
        "spec": {
            "selector": selector,
            "servers": [{
                "port": { "number": 443, "name": "https", "protocol": "HTTPS" },
                "hosts": [&e.host],
                "tls": { "mode": "SIMPLE", "credentialName": credential_name(&w.name) },
            }],
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::{duration, header_match};
    use hybrid_emit::json;
    use hybrid_model::{HeaderMatch, MatchKind};
    use std::time::Duration;

    #[test]
    fn header_names_are_lowercased() {
        let m = HeaderMatch { header: "X-User-Type".into(), kind: MatchKind::Prefix, value: "Internal".into() };
        assert_eq!(header_match(&m), json!([{ "headers": { "x-user-type": { "prefix": "Internal" } } }]));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(Duration::from_secs(30)), "30s");
        assert_eq!(duration(Duration::from_millis(1500)), "1500ms");
    }
}
