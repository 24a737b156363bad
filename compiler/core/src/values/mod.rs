//! Parsing of the language's value types (§3 of the language contract):
//! sizes, cpu, percentages, durations, bandwidths, frequencies, CIDRs and versions
//! here; names, label values, port names, hostnames and header names in
//! `names.rs`; image references in `images.rs`; cron schedules in
//! `cron.rs`. Each parser returns the typed value or a short reason that
//! the decoder turns into a diagnostic naming the expected form.

mod cron;
mod images;
mod names;

pub use cron::cron;
pub use images::*;
pub use names::*;

use hybrid_model::{Bandwidth, Bytes, Frequency, IpNet, MilliCpu, Percent};
use std::time::Duration;

/// Splits `"12.5Gi"` into the number `12.5` and the unit `Gi`.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let end = s.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')).map(|(i, _)| i).unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') || num.matches('.').count() > 1 {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some((v, unit))
}

fn to_u64(v: f64) -> Option<u64> {
    (0.0..1.8e19).contains(&v).then(|| v.round() as u64)
}

pub fn size(s: &str) -> Option<Bytes> {
    let (v, unit) = split_number(s.trim())?;
    let factor: f64 = match unit {
        "" => 1.0,
        "Ki" => 1024.0,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "K" | "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        _ => return None,
    };
    to_u64(v * factor).map(Bytes)
}

pub fn cpu_str(s: &str) -> Option<MilliCpu> {
    let (v, unit) = split_number(s.trim())?;
    match unit {
        "" => to_u64(v * 1000.0).map(MilliCpu),
        "m" if v.fract() == 0.0 => to_u64(v).map(MilliCpu),
        _ => None,
    }
}

/// `Some(Ok(p))`, or `Some(Err(()))` when well formed but above 100.
pub fn percent(s: &str) -> Option<Result<Percent, f64>> {
    let (v, unit) = split_number(s.trim())?;
    if unit != "%" {
        return None;
    }
    Some(if v <= 100.0 { Ok(Percent(v)) } else { Err(v) })
}

pub fn duration(s: &str) -> Option<Duration> {
    let (v, unit) = split_number(s.trim())?;
    let secs: f64 = match unit {
        "ns" => 1e-9,
        "us" | "µs" => 1e-6,
        "ms" => 1e-3,
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => return None,
    };
    let total = v * secs;
    (total < 1e12).then(|| Duration::from_nanos((total * 1e9).round() as u64))
}

pub fn bandwidth(s: &str) -> Option<Bandwidth> {
    let (v, unit) = split_number(s.trim())?;
    let factor = match unit {
        "bps" => 1.0,
        "Kbps" | "kbps" => 1e3,
        "Mbps" => 1e6,
        "Gbps" => 1e9,
        "Tbps" => 1e12,
        _ => return None,
    };
    to_u64(v * factor).map(Bandwidth)
}

/// A clock frequency above zero: `"3.0GHz"`, `"2600MHz"` (a host's clock
/// of zero would reserve nothing).
pub fn frequency(s: &str) -> Option<Frequency> {
    let (v, unit) = split_number(s.trim())?;
    let factor = match unit {
        "Hz" => 1.0,
        "kHz" => 1e3,
        "MHz" => 1e6,
        "GHz" => 1e9,
        _ => return None,
    };
    to_u64(v * factor).filter(|hz| *hz > 0).map(Frequency)
}

/// A CIDR; `Err` carries the network it should have been when host bits are set.
pub fn cidr(s: &str) -> Option<Result<IpNet, IpNet>> {
    let net: IpNet = s.trim().parse().ok()?;
    Some(if net.trunc() == net { Ok(net) } else { Err(net.trunc()) })
}

pub fn version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    (1..=4).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size("512Mi"), Some(Bytes(512 << 20)));
        assert_eq!(size("1Ti"), Some(Bytes(1 << 40)));
        assert_eq!(size("500G"), Some(Bytes(500_000_000_000)));
        assert_eq!(size("1.5Gi"), Some(Bytes(1536 << 20)));
        assert_eq!(size("12GB"), None);
        assert_eq!(size("Gi"), None);
    }

    #[test]
    fn cpus() {
        assert_eq!(cpu_str("500m"), Some(MilliCpu(500)));
        assert_eq!(cpu_str("2.5"), Some(MilliCpu(2500)));
        assert_eq!(cpu_str("2 cores"), None);
    }

    #[test]
    fn durations_and_bandwidth() {
        assert_eq!(duration("1.2ms"), Some(Duration::from_micros(1200)));
        assert_eq!(duration("7d"), Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(duration("0s"), Some(Duration::ZERO));
        assert_eq!(duration("5"), None);
        assert_eq!(bandwidth("100Gbps"), Some(Bandwidth(100_000_000_000)));
        assert_eq!(bandwidth("1GB/s"), None);
        assert_eq!(frequency("3.0GHz"), Some(Frequency(3_000_000_000)));
        assert_eq!(frequency("2600MHz"), Some(Frequency(2_600_000_000)));
        assert_eq!(frequency("0GHz"), None);
        assert_eq!(frequency("3ghz"), None);
        assert_eq!(frequency("3"), None);
    }

    #[test]
    fn percents() {
        assert_eq!(percent("70%"), Some(Ok(Percent(70.0))));
        assert_eq!(percent("170%"), Some(Err(170.0)));
        assert_eq!(percent("70"), None);
    }

    #[test]
    fn cidrs() {
        assert!(matches!(cidr("10.10.0.0/16"), Some(Ok(_))));
        assert!(matches!(cidr("fd00::/64"), Some(Ok(_))));
        assert_eq!(cidr("10.10.0.1/16").map(|r| r.map_err(|n| n.to_string())), Some(Err("10.10.0.0/16".to_string())));
        assert!(cidr("10.10.0.0").is_none());
    }

    #[test]
    fn names() {
        assert!(is_dns_label("order-service"));
        assert!(!is_dns_label("Order_Service"));
        assert!(!is_dns_label("-a"));
        assert!(!is_dns_label("1a"));
        assert_eq!(fix_dns_label("Order_Service"), "order-service");
        assert_eq!(fix_dns_label("9lives"), "lives");
        assert!(is_env_name("LOG_LEVEL"));
        assert!(!is_env_name("1X"));
        assert!(is_label_key("nvidia.com/gpu"));
        assert!(is_label_key("workload"));
        assert!(!is_label_key("a/b/c"));
    }

    #[test]
    fn label_values() {
        assert_eq!(label_value_problem(""), None);
        assert_eq!(label_value_problem("platform-team"), None);
        assert_eq!(label_value_problem("v1.2_rc"), None);
        assert!(label_value_problem("platform team").is_some());
        assert!(label_value_problem("-x").is_some());
        assert!(label_value_problem(&"a".repeat(64)).is_some());
        assert_eq!(label_value_problem(&"a".repeat(63)), None);
        assert_eq!(fix_label_value("Platform Team!"), "Platform-Team");
        assert_eq!(fix_label_value("--x--"), "x");
        assert_eq!(fix_label_value(&"a".repeat(70)).len(), 63);
        assert_eq!(fix_label_value("!!"), "");
    }

    #[test]
    fn port_names() {
        for ok in ["http", "grpc-api", "h2c", "p8080", "8080-http"] {
            assert_eq!(port_name_problem(ok), None, "{ok}");
        }
        for bad in ["", "HTTP", "web_ui", "metrics-endpoint", "1234", "-api", "api-", "a--b"] {
            assert!(port_name_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(fix_port_name("Web_UI"), "web-ui");
        assert_eq!(fix_port_name("metrics-endpoint"), "metrics-endpoin");
        assert_eq!(fix_port_name("order-service-grpc"), "order-service-g");
        assert_eq!(fix_port_name("8080"), "p8080");
        assert_eq!(fix_port_name("--"), "");
        for s in ["Web_UI", "metrics-endpoint", "8080", "a--b", "x-----------------y"] {
            assert_eq!(port_name_problem(&fix_port_name(s)), None, "{s}");
        }
    }

    #[test]
    fn hostnames() {
        for ok in ["shop.example.com", "*.example.com", "localhost", "a-1.b2.io", "3com.example.com"] {
            assert_eq!(hostname_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Shop.Example.com",
            "shop_example.com",
            "shop.example.com.",
            ".example.com",
            "a..b",
            "-a.example.com",
            "a.*.example.com",
            "10.0.0.1",
            "*.",
            "https://shop.example.com",
        ] {
            assert!(hostname_problem(bad).is_some(), "{bad}");
        }
        assert!(hostname_problem(&format!("{}.com", "a".repeat(64))).is_some());
        assert!(hostname_problem(&format!("{}.com", "a.".repeat(126))).is_some());
        assert_eq!(fix_hostname("Shop.Example.com").as_deref(), Some("shop.example.com"));
        assert_eq!(fix_hostname("https://shop.example.com:8443/cart").as_deref(), Some("shop.example.com"));
        assert_eq!(fix_hostname("shop_a.example.com.").as_deref(), Some("shop-a.example.com"));
        assert_eq!(fix_hostname("*.Example.com").as_deref(), Some("*.example.com"));
        assert_eq!(fix_hostname("10.0.0.1"), None);
    }

    #[test]
    fn header_names() {
        assert_eq!(header_name_problem("x-user-type"), None);
        assert_eq!(header_name_problem("X-User-Type"), None);
        assert_eq!(header_name_problem("x~!#$%&'*+.^_`|"), None);
        assert!(header_name_problem("").is_some());
        assert!(header_name_problem("user type").is_some());
        assert!(header_name_problem(":authority").is_some());
        assert!(header_name_problem("x-user:").is_some());
        assert_eq!(fix_header_name("User Type").as_deref(), Some("user-type"));
        assert_eq!(fix_header_name("x-user: ").as_deref(), Some("x-user"));
        assert_eq!(fix_header_name(" : "), None);
        assert_eq!(fix_header_name(":authority"), None);
    }

    #[test]
    fn images() {
        let digest = format!("sha256:{}", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        for ok in [
            "nginx".to_string(),
            "nginx:1.27".to_string(),
            "library/nginx:1.27-alpine".to_string(),
            "registry.example.com/shop/order:1.8.2".to_string(),
            "registry.example.com:5000/shop/order_svc__x/a-b--c:v1".to_string(),
            "r.io/a.b_c__d---e9".to_string(),
            "localhost:5000/app".to_string(),
            "[fd00::1]:5000/app:1".to_string(),
            format!("registry.example.com/shop/order@{digest}"),
            format!("registry.example.com/shop/order:1.8.2@{digest}"),
            "Registry.Example.com/shop/order:1".to_string(),
            format!("r.io/app:{}", "t".repeat(128)),
        ] {
            assert_eq!(container_image_problem(&ok), None, "{ok}");
        }
        assert_eq!(container_image_problem(""), Some(ImageProblem::Empty));
        assert_eq!(container_image_problem("  "), Some(ImageProblem::Empty));
        assert_eq!(container_image_problem(" nginx:1 "), Some(ImageProblem::Whitespace("nginx:1".into())));
        let fixed = |s: &str| match container_image_problem(s) {
            Some(ImageProblem::Reference { fixed, .. }) => fixed,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(fixed("Nginx:1.27").as_deref(), Some("nginx:1.27"));
        assert_eq!(
            fixed("registry.example.com/Shop/Order:1.8.2").as_deref(),
            Some("registry.example.com/shop/order:1.8.2")
        );
        assert_eq!(fixed("nginx: 1.27"), None);
        assert_eq!(fixed(&format!("r.io/app:{}", "t".repeat(129))), Some(format!("r.io/app:{}", "t".repeat(128))));
        for bad in [
            "r.io/app:",
            "r.io/app:-1",
            "r.io/app:1/2x",
            "r.io//app",
            "r.io/app/",
            "r.io/-app",
            "r.io/a...b",
            "r.io/a___b",
            "r.io/a._b",
            "r.io/a-.b",
            "r.io/a\u{3000}b",
            "r.io/app@sha256:abc",
            "r.io/app@md5:9f86d081884c7d659a2feaa0c55ad015",
            "r.io:port/app",
            "-r.io/app",
            "r.io/app$",
            "shop/order:1.8.2 ",
        ] {
            assert!(container_image_problem(bad).is_some(), "{bad}");
        }
        assert!(container_image_problem(&format!("r.io/{}", "a".repeat(251))).is_some());
        assert_eq!(image_name_problem("rhel-9.4 template"), None);
        assert_eq!(image_name_problem("RHEL 9"), None);
        assert_eq!(image_name_problem(""), Some(ImageProblem::Empty));
        assert_eq!(image_name_problem("rhel-9 "), Some(ImageProblem::Whitespace("rhel-9".into())));
    }

    #[test]
    fn printable_strings() {
        assert_eq!(printable("a\nb\t"), "a\\nb\\t");
        assert_eq!(printable("a\u{7}"), "a\\u{7}");
    }

    #[test]
    fn crons() {
        let c = cron("0 2 * * *").unwrap();
        assert!(c.minute.contains(0) && !c.minute.contains(1));
        assert!(c.hour.contains(2));
        assert!(cron("*/15 * * * mon-fri").is_some());
        assert!(cron("0 2 * *").is_none());
        assert!(cron("61 2 * * *").is_none());
        assert!(cron("0 2 * * 7").unwrap().day_of_week.contains(0));
    }

    #[test]
    fn versions() {
        assert!(version("1.31"));
        assert!(version("8.0.3"));
        assert!(!version("v1.31"));
        assert!(!version("1..2"));
    }
}
