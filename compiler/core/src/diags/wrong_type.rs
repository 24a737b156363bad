//! HY0008, a value of the wrong type, and its help: the literal fix when
//! the value converts to the type expected (`weight="10%"` → `weight=10`,
//! `replicas "3"` → `3`, `tls=1` → `tls=#true`, `cpu="70"` → `cpu="70%"`),
//! otherwise how the type is written.

use crate::schema::Ty;
use crate::values;
use hybrid_diagnostics::{codes, Diagnostic};
use hybrid_syntax::{Entry, Value};

/// HY0008
pub fn wrong_type(entry: &Entry, ty: &Ty) -> Diagnostic {
    let what = entry.key().map(|k| format!("`{k}`")).unwrap_or_else(|| "this argument".into());
    let d = Diagnostic::new(
        &codes::WRONG_TYPE,
        format!("{what} expects {}", ty.expected()),
        entry.value_span(),
        format!("{} here", entry.value().describe()),
    );
    let prefix = entry.key().map(|k| format!("{k}=")).unwrap_or_default();
    let help = match (ty, entry.value()) {
        (Ty::Int { min, max }, v) => int_fix(&v, *min, *max).map(|(how, i)| format!("{how}: {prefix}{i}")),
        (Ty::Bool, v) => bool_fix(&v).map(|b| format!("write {prefix}#{b}")),
        (Ty::Str | Ty::LabelValue | Ty::PortName | Ty::Hostname | Ty::Address | Ty::HeaderName, v) => match v {
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(format!("quote it: {prefix}\"{}\"", entry.raw())),
            _ => None,
        },
        (_, Value::String(s)) => quantity_fix(ty, s).map(|(how, f)| format!("{how}: {prefix}\"{f}\"")),
        (_, Value::Int(i)) => number_fix(ty, i, &prefix),
        _ => None,
    };
    let help = help.or_else(|| match (ty, entry.value()) {
        (Ty::Size, Value::Float(_)) => Some(format!("write a quoted size with its unit, such as {prefix}\"16Gi\"")),
        (Ty::Frequency, Value::Float(_)) => {
            Some(format!("write a quoted frequency with its unit, such as {prefix}\"3.0GHz\""))
        }
        (Ty::Frequency, Value::String(s)) if s.to_ascii_lowercase().ends_with("hz") => Some(format!(
            "write the unit as `Hz`, `kHz`, `MHz` or `GHz` and the value above zero, such as {prefix}\"3.0GHz\""
        )),
        (_, Value::String(_)) => None,
        _ => Some(format!("write {}", ty.expected())),
    });
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// The integer a value converts to, with how: `"3"`, `"10%"`, `3.0`, when
/// it is within `min..=max`.
fn int_fix(v: &Value, min: i64, max: i64) -> Option<(&'static str, i64)> {
    let (how, i) = match v {
        Value::String(s) => {
            let s = s.trim();
            if let Ok(i) = s.parse::<i64>() {
                ("remove the quotes", i)
            } else if let Some(i) = s.strip_suffix('%').and_then(|n| n.trim().parse::<i64>().ok()) {
                ("write the number alone, without quotes or `%`", i)
            } else {
                ("write it as an integer", whole(s.parse::<f64>().ok()?)?)
            }
        }
        Value::Float(f) => ("write it as an integer", whole(*f)?),
        _ => return None,
    };
    (min..=max).contains(&i).then_some((how, i))
}

/// `3.0` → `3`; `2.5` → nothing.
fn whole(f: f64) -> Option<i64> {
    // Exactly representable integers only; the cast is exact below 2^53.
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

/// The boolean a value converts to: `"true"`, `"yes"`, `1`, `"#false"`.
fn bool_fix(v: &Value) -> Option<bool> {
    match v {
        Value::String(s) => match s.trim().trim_start_matches('#').to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" => Some(true),
            "false" | "no" | "off" => Some(false),
            _ => None,
        },
        Value::Int(1) => Some(true),
        Value::Int(0) => Some(false),
        _ => None,
    }
}

/// A quoted quantity that is nearly right: spaces inside (`"30 s"`), a
/// bare number (`"70"` for a percentage, `"30"` for a duration), a `B`
/// after a size (`"1GB"`).
fn quantity_fix(ty: &Ty, s: &str) -> Option<(&'static str, String)> {
    let parses = |t: &str| match ty {
        Ty::Size => values::size(t).is_some(),
        Ty::Cpu => values::cpu_str(t).is_some(),
        Ty::Percent => matches!(values::percent(t), Some(Ok(_))),
        Ty::Duration | Ty::Seconds { .. } => values::duration(t).is_some(),
        Ty::Bandwidth => values::bandwidth(t).is_some(),
        Ty::Frequency => values::frequency(t).is_some(),
        _ => false,
    };
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if compact != s && parses(&compact) {
        return Some(("remove the spaces", compact));
    }
    if compact.parse::<f64>().is_ok() {
        let unit = match ty {
            Ty::Percent => Some(("add `%`", "%")),
            Ty::Duration | Ty::Seconds { .. } => Some(("add a unit", "s")),
            _ => None,
        };
        if let Some((how, u)) = unit.filter(|(_, u)| parses(&format!("{compact}{u}"))) {
            return Some((how, format!("{compact}{u}")));
        }
    }
    match ty {
        Ty::Size if compact.to_ascii_lowercase().ends_with('b') => {
            let fixed = compact.trim_end_matches(['B', 'b']).replace('k', "Ki");
            let fixed = if fixed.ends_with(['K', 'M', 'G', 'T', 'P']) { format!("{fixed}i") } else { fixed };
            parses(&fixed).then_some(("Kubernetes units have no `B`", fixed))
        }
        Ty::Frequency if compact.to_ascii_lowercase().ends_with("hz") => {
            let digits = compact.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let unit = compact.get(digits.len()..).unwrap_or_default().to_ascii_lowercase();
            let unit = match unit.as_str() {
                "hz" => "Hz",
                "khz" => "kHz",
                "mhz" => "MHz",
                "ghz" => "GHz",
                _ => return None,
            };
            let fixed = format!("{digits}{unit}");
            parses(&fixed).then_some(("write the unit as `Hz`, `kHz`, `MHz` or `GHz`", fixed))
        }
        _ => None,
    }
}

/// An unquoted number where a quantity is expected.
fn number_fix(ty: &Ty, i: i64, prefix: &str) -> Option<String> {
    match ty {
        Ty::Percent => Some(format!("write a quoted percentage: {prefix}\"{i}%\"")),
        Ty::Duration | Ty::Seconds { .. } => Some(format!("add a unit and quote it, e.g. {prefix}\"{i}s\"")),
        Ty::Size => Some(format!("write a quoted size with its unit, such as {prefix}\"16Gi\" or {prefix}\"512Mi\"")),
        Ty::Frequency => Some(format!("write a quoted frequency with its unit, such as {prefix}\"3.0GHz\"")),
        _ => None,
    }
}
