//! A service's `rate-limit`: Istio's local rate limiting, an `EnvoyFilter`
//! (`networking.istio.io/v1alpha3`) in the service's namespace, selecting
//! its pods (`emit::labels::pod_selector`), that inserts Envoy's
//! `envoy.filters.http.local_ratelimit` into their sidecars' inbound HTTP
//! filters (SIDECAR_INBOUND): a token bucket per pod of `burst` tokens,
//! `requests` added every `per`; a request finding it empty is answered
//! 429. Envoy refuses a `fill_interval` under 50ms (HY5020).

use crate::{meta, Ctx};
use hybrid_emit::labels;
use hybrid_emit::{json, Value};
use hybrid_model::{Service, Workload};

/// The filter Envoy's HTTP connection manager runs the HTTP filters of.
const HTTP_CONNECTION_MANAGER: &str = "envoy.filters.network.http_connection_manager";
/// Envoy's local rate limit filter and its configuration's type.
const LOCAL_RATE_LIMIT: &str = "envoy.filters.http.local_ratelimit";
const LOCAL_RATE_LIMIT_TYPE: &str =
    "type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit";

/// The name of a service's rate limit EnvoyFilter.
pub fn filter_name(service: &str) -> String {
    format!("{service}-rate-limit")
}

/// A duration as protobuf's JSON mapping writes it: seconds with up to
/// nine fractional digits and an `s`.
fn proto_duration(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms.is_multiple_of(1000) {
        format!("{}s", ms / 1000)
    } else {
        format!("{}.{:03}s", ms / 1000, ms % 1000)
    }
}

/// The EnvoyFilter of the service's rate limit (none without one).
pub fn envoy_filter(ctx: &Ctx<'_>, w: &Workload, s: &Service) -> Option<Value> {
    let r = s.traffic.as_ref()?.rate_limit.as_ref()?;
    // Enabled and enforced for every request (100%).
    let all =
        |key: &str| json!({ "runtime_key": key, "default_value": { "numerator": 100, "denominator": "HUNDRED" } });
    Some(json!({
        "apiVersion": "networking.istio.io/v1alpha3",
        "kind": "EnvoyFilter",
        "metadata": meta(ctx.t, &filter_name(&w.name), &s.namespace, Some(&w.name)),
        "spec": {
            "workloadSelector": { "labels": labels::pod_selector(w) },
            "configPatches": [{
                "applyTo": "HTTP_FILTER",
                "match": {
                    "context": "SIDECAR_INBOUND",
                    "listener": { "filterChain": { "filter": { "name": HTTP_CONNECTION_MANAGER } } },
                },
                "patch": {
                    "operation": "INSERT_BEFORE",
                    "value": {
                        "name": LOCAL_RATE_LIMIT,
                        "typed_config": {
                            "@type": LOCAL_RATE_LIMIT_TYPE,
                            "stat_prefix": "http_local_rate_limiter",
                            "token_bucket": {
                                "max_tokens": r.burst.unwrap_or(r.requests),
                                "tokens_per_fill": r.requests,
                                "fill_interval": proto_duration(r.per.value),
                            },
                            "filter_enabled": all("local_rate_limit_enabled"),
                            "filter_enforced": all("local_rate_limit_enforced"),
                        },
                    },
                },
            }],
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::proto_duration;
    use std::time::Duration;

    #[test]
    fn durations_in_seconds() {
        assert_eq!(proto_duration(Duration::from_secs(1)), "1s");
        assert_eq!(proto_duration(Duration::from_millis(50)), "0.050s");
        assert_eq!(proto_duration(Duration::from_millis(1500)), "1.500s");
    }
}
