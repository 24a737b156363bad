//! A service's progressive canary (`progressive`): Flagger's `Canary`
//! (`flagger.app/v1beta1`, provider `istio`) for its Deployment, in place
//! of the VirtualService and DestinationRule of `traffic`. Flagger copies
//! the Deployment to `NAME-primary`, writes the Services `NAME`,
//! `NAME-primary` and `NAME-canary`, the VirtualService `NAME` and the
//! DestinationRules of primary and canary, and moves `step`% of the
//! traffic to each new pod template every `interval` up to `max`%, checking
//! its built-in `request-success-rate` and `request-duration` (Istio's
//! telemetry, read from the Prometheus Flagger is given) and rolling back
//! after `threshold` failed checks.
//!
//! What `traffic` sets on the routes and the DestinationRule goes into the
//! Canary's `service`: mutual TLS, the circuit breaker and its HTTP
//! connection pool, the locality failover, retries and timeout, and for an
//! exposed service its host and Gateway.

use crate::traffic::{has_http_connection_pool, http_connection_pool, outlier_detection, resilience};
use crate::{meta, Ctx};
use hybrid_emit::mesh::{self, ISTIO_SYSTEM};
use hybrid_emit::yaml::{Entries, Obj};
use hybrid_emit::{json, key, Map, Value};
use hybrid_model::{gateway_name, Progressive, Service, Workload};

/// Flagger's built-in metric of the share of requests answered without a
/// 5xx, in percent.
pub const SUCCESS_RATE_METRIC: &str = "request-success-rate";
/// Flagger's built-in metric of the 99th percentile of request duration,
/// in milliseconds.
pub const LATENCY_METRIC: &str = "request-duration";

/// Flagger's intervals: whole minutes, else whole seconds (its pattern
/// `^[0-9]+(m|s)`).
fn interval(d: std::time::Duration) -> String {
    let s = d.as_secs().max(1);
    if s.is_multiple_of(60) {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// The Canary of `w` in this cluster (none without `progressive`).
pub fn canary(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Option<Value> {
    let p = s.progressive()?;
    let mut spec = Map::new();
    spec.insert(key!("provider"), json!("istio"));
    spec.insert(key!("targetRef"), json!({ "apiVersion": "apps/v1", "kind": "Deployment", "name": &w.name }));
    if s.autoscale.is_some() && !s.is_passive_in(ctx.id) {
        spec.insert(
            "autoscalerRef",
            json!({ "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "name": &w.name }),
        );
    }
    spec.insert(key!("service"), Value::Object(service(ctx, w, s)));
    spec.insert(key!("analysis"), analysis(p));
    Some(json!({
        "apiVersion": "flagger.app/v1beta1",
        "kind": "Canary",
        "metadata": meta(ctx.t, &w.name, &s.namespace, Some(&w.name)),
        "spec": Value::Object(spec),
    }))
}

/// `spec.service`: the first port (the others discovered from the
/// Deployment), the hosts and gateways of `expose`, the traffic policy,
/// retries and timeout.
fn service(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Map {
    let mut out = Map::new();
    if let Some(port) = s.ports.first() {
        out.insert(key!("port"), Value::from(port.service_number()));
        out.insert(key!("targetPort"), Value::from(port.number));
        out.insert(key!("portName"), Value::from(port.service_name()));
        out.insert(key!("appProtocol"), Value::from(port.protocol.as_str()));
    }
    if s.ports.len() > 1 {
        out.insert(key!("portDiscovery"), Value::from(true));
    }
    if let Some(e) = &s.expose {
        out.insert(key!("hosts"), json!([&e.host]));
        out.insert(key!("gateways"), json!(["mesh", format!("{ISTIO_SYSTEM}/{}", gateway_name(&w.name))]));
    }
    out.insert(key!("trafficPolicy"), Value::Object(traffic_policy(ctx, s)));
    let tr = s.traffic.as_deref();
    // Retries and timeout, the entries a VirtualService's routes carry.
    if let Value::Object(entries) = Value::from(Obj(|e: &mut Entries<'_>| resilience(e, tr))) {
        out.extend(entries);
    }
    out
}

/// The traffic policy of Flagger's DestinationRules: mutual TLS, and the
/// circuit breaker with its HTTP connection pool and the locality failover
/// (Flagger's Canary has no TCP pool: HY5021 refuses `max-connections`).
fn traffic_policy(ctx: &Ctx<'_>, s: &Service) -> Map {
    let mut policy = Map::new();
    policy.insert(key!("tls"), json!({ "mode": "ISTIO_MUTUAL" }));
    let Some(cb) = s.traffic.as_ref().and_then(|t| t.circuit_breaker.as_ref()) else { return policy };
    if has_http_connection_pool(cb) {
        policy.insert(key!("connectionPool"), json!({ "http": Value::from(http_connection_pool(cb)) }));
    }
    policy.insert(key!("outlierDetection"), Value::from(outlier_detection(cb)));
    let failover: Vec<Value> =
        mesh::locality_failover(ctx.t, s).into_iter().map(|(from, to)| json!({ "from": from, "to": to })).collect();
    if !failover.is_empty() {
        // Flagger's schema asks for `simple` or `consistentHash` beside the
        // locality setting: `LEAST_REQUEST` is Istio's default.
        policy.insert(
            "loadBalancer",
            json!({ "simple": "LEAST_REQUEST", "localityLbSetting": { "enabled": true, "failover": failover } }),
        );
    }
    policy
}

/// `spec.analysis`: the schedule, the weights and the two metrics, each
/// over one interval.
fn analysis(p: &Progressive) -> Value {
    let every = interval(p.interval);
    json!({
        "interval": &every,
        "threshold": p.threshold,
        "maxWeight": p.max.value,
        "stepWeight": p.step.value,
        "metrics": [
            { "name": SUCCESS_RATE_METRIC, "thresholdRange": { "min": number(p.success_rate.0) }, "interval": &every },
            { "name": LATENCY_METRIC, "thresholdRange": { "max": latency_ms(p.latency.value) }, "interval": &every },
        ],
    })
}

/// The latency bound in whole milliseconds, Flagger's unit for
/// `request-duration`, rounded up (a bound under 1ms stays above zero).
fn latency_ms(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_micros().div_ceil(1000)).unwrap_or(u64::MAX)
}

/// A number as an integer when it is whole.
fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        Value::from(x as i64)
    } else {
        Value::from(x)
    }
}

#[cfg(test)]
mod tests {
    use super::{interval, latency_ms};
    use std::time::Duration;

    #[test]
    fn intervals_are_minutes_or_seconds() {
        assert_eq!(interval(Duration::from_secs(60)), "1m");
        assert_eq!(interval(Duration::from_secs(90)), "90s");
        assert_eq!(interval(Duration::from_secs(30)), "30s");
    }

    #[test]
    fn latency_in_whole_milliseconds_rounded_up() {
        assert_eq!(latency_ms(Duration::from_millis(500)), 500);
        assert_eq!(latency_ms(Duration::from_micros(1200)), 2);
        assert_eq!(latency_ms(Duration::from_micros(300)), 1);
    }
}
