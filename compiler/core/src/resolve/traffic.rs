//! Traffic: a service's traffic policies (canary, variants, mirror,
//! blue-green, circuit breaker, retries, timeout, progressive canary, rate
//! limit) and the migrations of
//! traffic from a vm to a service.

use super::read::{prop_string, prop_u32, prop_word, reported, spanned, spanned_string};
use super::Resolver;
use crate::decode::{DNode, DVal};
use crate::diags;
use hybrid_diagnostics::{Diagnostic, Span};
use hybrid_model::*;

impl Resolver<'_> {
    pub(super) fn build_traffic(&mut self, w: &DNode, tr: &DNode) -> Traffic {
        let mut versions = Versions { service: w.name(), seen: Vec::new() };
        let mut out = Traffic { span: tr.name_span, ..Traffic::default() };
        for c in tr.children_named("canary") {
            versions.declare(self.diags, c);
            out.canaries.push(Canary {
                name: c.name().to_string(),
                span: c.name_arg_span(),
                image: spanned_string(c, "image"),
                weight: spanned(c, "weight", DVal::int).unwrap_or_else(|| Spanned::new(0, c.name_span)),
                matches: c.child("match").map(header_match),
            });
        }
        for v in tr.children_named("variant") {
            versions.declare(self.diags, v);
            out.variants.push(Variant {
                name: v.name().to_string(),
                span: v.name_arg_span(),
                image: spanned_string(v, "image"),
                matches: v.child("match").map(header_match).unwrap_or(HeaderMatch {
                    header: String::new(),
                    kind: MatchKind::Exact,
                    value: String::new(),
                }),
            });
        }
        if let Some(m) = tr.child("mirror") {
            versions.declare(self.diags, m);
            out.mirror = m.prop("percent").and_then(DVal::percent).map(|percent| Mirror {
                name: m.name().to_string(),
                span: m.name_arg_span(),
                image: spanned(m, "image", |v| v.str().map(str::to_string)),
                percent,
            });
        }
        out.blue_green = tr.child("blue-green").map(|bg| BlueGreen {
            span: bg.name_span,
            active: reported(prop_word(bg, "active")),
            blue: spanned_string(bg, "blue"),
            green: spanned_string(bg, "green"),
        });
        out.circuit_breaker = tr.child("circuit-breaker").map(|cb| CircuitBreaker {
            consecutive_errors: prop_u32(cb, "consecutive-errors"),
            interval: cb.prop("interval").and_then(DVal::duration),
            ejection: cb.prop("ejection").and_then(DVal::duration),
            max_ejection: cb.prop("max-ejection").and_then(DVal::percent),
            max_connections: spanned(cb, "max-connections", DVal::u32),
            max_pending: prop_u32(cb, "max-pending"),
            max_requests: prop_u32(cb, "max-requests"),
            max_requests_per_connection: prop_u32(cb, "max-requests-per-connection"),
        });
        out.progressive = tr.child("progressive").and_then(|p| {
            Some(Progressive {
                span: p.name_span,
                step: spanned(p, "step", DVal::int)?,
                max: spanned(p, "max", DVal::int)?,
                interval: p.prop("interval").and_then(DVal::duration)?,
                threshold: prop_u32(p, "threshold")?,
                success_rate: p.prop("success-rate").and_then(DVal::percent)?,
                latency: spanned(p, "latency", DVal::duration)?,
            })
        });
        out.rate_limit = tr.child("rate-limit").and_then(|r| {
            Some(RateLimit {
                span: r.name_span,
                requests: prop_u32(r, "requests")?,
                per: spanned(r, "per", DVal::duration)?,
                burst: prop_u32(r, "burst"),
            })
        });
        out.retry = tr.child("retry").map(|r| Retry {
            span: r.name_span,
            attempts: prop_u32(r, "attempts"),
            per_try_timeout: r.prop("per-try-timeout").and_then(DVal::duration),
            on: prop_string(r, "on"),
        });
        out.timeout = tr.child("timeout").and_then(|tm| {
            let a = tm.arg(0)?;
            Some(Spanned::new(a.duration()?, a.span))
        });
        out
    }

    pub(super) fn build_migration(&mut self, m: &DNode) -> Option<Migration> {
        let from = m.prop("from").and_then(|v| self.workload_ref(v));
        let to = m.prop("to").and_then(|v| self.workload_ref(v));
        let weight = spanned(m, "weight", DVal::int);
        Some(Migration { name: m.name().to_string(), span: m.name_arg_span(), from: from?, to: to?, weight: weight? })
    }
}

/// The version names of one service's traffic (canaries, variants, the
/// mirror), unique within it.
struct Versions<'a> {
    service: &'a str,
    seen: Vec<(String, Span)>,
}

impl Versions<'_> {
    fn declare(&mut self, diags: &mut Vec<Diagnostic>, n: &DNode) {
        let name = n.name().to_string();
        if let Some((_, first)) = self.seen.iter().find(|(v, _)| *v == name) {
            let scope = format!("service `{}`", self.service);
            diags.push(diags::duplicate_declaration_named("traffic version", &name, n.name_arg_span(), *first, &scope));
        } else {
            self.seen.push((name, n.name_arg_span()));
        }
    }
}

/// `match header=… exact=…|prefix=…|regex=…`: the one property of the
/// match kinds that is written.
fn header_match(m: &DNode) -> HeaderMatch {
    let written = MatchKind::ALL.iter().find_map(|k| Some((*k, prop_string(m, k.as_str())?)));
    let (kind, value) = written.unwrap_or((MatchKind::PLACEHOLDER, String::new()));
    HeaderMatch { header: prop_string(m, "header").unwrap_or_default(), kind, value }
}
