//! HY5021 progressive-setting-not-carried: what Flagger's Canary cannot
//! carry for a service it rolls out. Flagger routes to the Services it
//! writes on the Canary's `service.port`, so a service without a port has
//! nothing to route; and its DestinationRules take the Canary's
//! `trafficPolicy`, whose connection pool has HTTP limits only, so a
//! circuit breaker's `max-connections` (Istio's `tcp.maxConnections`)
//! would be dropped. And an `active-passive` service fails over by
//! scaling up its Deployment in a passive cluster, while Flagger sends the
//! traffic to `NAME-primary`, which it scales after the Deployment only
//! once it has analysed a change: the failover would reach no pod.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(s) = w.service() else { return };
    let Some(p) = s.progressive() else { return };
    if s.ports.is_empty() {
        out.push(progressive_setting_not_carried(
            w,
            p.span,
            None,
            format!("`{}` has no port for Flagger to route its canary on", w.name),
            format!("add the port `{}` listens on, e.g. `port 8080`", w.name),
        ));
    }
    if s.mode == PlacementMode::ActivePassive {
        out.push(progressive_setting_not_carried(
            w,
            s.placement_span,
            Some(p.span),
            format!(
                "`{}` fails over by scaling up a passive copy, but Flagger sends its traffic to `{}-primary`",
                w.name, w.name
            ),
            "remove `mode=active-passive`, or remove `progressive`".to_string(),
        ));
    }
    let cb = s.traffic.as_ref().and_then(|tr| tr.circuit_breaker.as_ref());
    if let Some(n) = cb.and_then(|cb| cb.max_connections.as_ref()) {
        out.push(progressive_setting_not_carried(
            w,
            n.span,
            Some(p.span),
            format!(
                "`max-connections` of `{}` cannot be kept: Flagger's Canary carries no TCP connection pool",
                w.name
            ),
            "remove `max-connections`, and limit requests with `max-requests` and `max-pending`".to_string(),
        ));
    }
}

/// HY5021
pub fn progressive_setting_not_carried(
    w: &Workload,
    span: Span,
    progressive: Option<Span>,
    message: String,
    help: String,
) -> Diagnostic {
    let mut d = Diagnostic::new(&codes::PROGRESSIVE_SETTING_NOT_CARRIED, message, span, "not carried by Flagger");
    if let Some(p) = progressive {
        d = d.with_label(p, format!("Flagger rolls `{}` out", w.name));
    }
    d.with_help(help)
}
