//! Typed quantities: sizes in bytes, cpu in millicores, percentages,
//! bandwidth in bits per second, clock frequencies in hertz, and parsed
//! cron schedules. Parsing lives in
//! the compiler; these are the values targets read. Durations are
//! `std::time::Duration`; [`format_duration`] writes one for people.

use std::fmt;
use std::time::Duration;

/// A size in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(pub u64);

/// CPU in millicores.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MilliCpu(pub u64);

/// A percentage, 0 to 100.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Default)]
pub struct Percent(pub f64);

/// Bits per second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bandwidth(pub u64);

/// A clock frequency in hertz (`"3.0GHz"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Frequency(pub u64);

impl Frequency {
    /// Whole megahertz, rounded down (what vSphere reserves cpu in: a
    /// reservation is never more than the clock gives).
    pub fn mhz_floor(self) -> u64 {
        self.0 / 1_000_000
    }
}

/// `3GHz`, `2.45GHz`, `800MHz`: the largest unit with at least one whole,
/// up to three decimals.
impl fmt::Display for Frequency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [("GHz", 1e9), ("MHz", 1e6), ("kHz", 1e3)];
        let v = self.0 as f64;
        let (suffix, factor) = units.iter().copied().find(|(_, n)| v >= *n).unwrap_or(("Hz", 1.0));
        let text = format!("{:.3}", v / factor);
        write!(f, "{}{suffix}", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

const KI: u64 = 1024;

/// `n` then `suffix` (a quantity is written for every container: no
/// formatting machinery).
fn number_with(n: impl itoa::Integer, suffix: &str) -> String {
    [itoa::Buffer::new().format(n), suffix].concat()
}

impl Bytes {
    /// The Kubernetes quantity with the largest exact binary unit (`16Gi`).
    pub fn to_quantity(self) -> String {
        let units = [("Pi", KI.pow(5)), ("Ti", KI.pow(4)), ("Gi", KI.pow(3)), ("Mi", KI.pow(2)), ("Ki", KI)];
        let (n, suffix) = units
            .into_iter()
            .find(|&(_, f)| self.0 >= f && self.0.is_multiple_of(f))
            .map_or((self.0, ""), |(s, f)| (self.0 / f, s));
        number_with(n, suffix)
    }

    /// Whole mebibytes, rounded up (what vSphere and Nova count in).
    pub fn mib_ceil(self) -> u64 {
        self.0.div_ceil(KI * KI)
    }

    /// Whole gibibytes, rounded up (what Cinder counts in).
    pub fn gib_ceil(self) -> u64 {
        self.0.div_ceil(KI * KI * KI)
    }
}

/// For messages: the exact quantity when it is a whole unit, otherwise the
/// largest binary unit with two decimals (`1013.76Gi`).
impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exact = self.to_quantity();
        if exact.ends_with('i') || self.0 < KI {
            return f.write_str(&exact);
        }
        let units = [("Pi", KI.pow(5)), ("Ti", KI.pow(4)), ("Gi", KI.pow(3)), ("Mi", KI.pow(2)), ("Ki", KI)];
        let (suffix, factor) = units.iter().copied().find(|(_, n)| self.0 >= *n).unwrap_or(("Ki", KI));
        let text = format!("{:.2}", self.0 as f64 / factor as f64);
        write!(f, "{}{suffix}", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

impl MilliCpu {
    /// `4`, `2.5` or `500m` as Kubernetes writes it.
    pub fn to_quantity(self) -> String {
        if self.0.is_multiple_of(1000) {
            number_with(self.0 / 1000, "")
        } else {
            number_with(self.0, "m")
        }
    }

    /// Whole cores, rounded up.
    pub fn cores_ceil(self) -> u64 {
        self.0.div_ceil(1000)
    }
}

/// For messages: cores, with decimals when needed (`95.04`).
impl fmt::Display for MilliCpu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.3}", self.0 as f64 / 1000.0);
        f.write_str(text.trim_end_matches('0').trim_end_matches('.'))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.0)
    }
}

impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = [("Tbps", 1_000_000_000_000u64), ("Gbps", 1_000_000_000), ("Mbps", 1_000_000), ("Kbps", 1_000)];
        for (suffix, factor) in units {
            if self.0 >= factor && self.0.is_multiple_of(factor) {
                return write!(f, "{}{suffix}", self.0 / factor);
            }
        }
        write!(f, "{}bps", self.0)
    }
}

/// A duration for people (messages, tables, graph labels, READMEs), as the
/// language writes it — one number and one unit, so it can be pasted back
/// into a program: the largest unit of `d`, `h`, `m` that is exact, else
/// seconds (`7d`, `90m`, `30s`, `0s`); with a fraction of a second,
/// milliseconds with up to six decimals (`0.6ms`, `1.2ms`, `1500ms`), so a
/// duration that is not zero never reads as zero.
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    if d.subsec_nanos() == 0 {
        for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
            if s >= n && s.is_multiple_of(n) {
                return format!("{}{unit}", s / n);
            }
        }
        return format!("{s}s");
    }
    // Whole nanoseconds are six decimals of a millisecond, counted exactly.
    let nanos = d.as_nanos();
    let text = format!("{}.{:06}", nanos / 1_000_000, nanos % 1_000_000);
    format!("{}ms", text.trim_end_matches('0').trim_end_matches('.'))
}

/// One cron field: the set of values it matches, as a bit set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CronField(pub u64);

impl CronField {
    pub fn contains(self, v: u32) -> bool {
        v < 64 && self.0 & (1u64 << v) != 0
    }
}

/// A five-field cron schedule: minute, hour, day of month, month, day of
/// week (0 and 7 are Sunday).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cron {
    pub text: String,
    pub minute: CronField,
    pub hour: CronField,
    pub day_of_month: CronField,
    pub month: CronField,
    pub day_of_week: CronField,
    /// Whether the day-of-month and day-of-week fields were restricted (cron
    /// matches either one when both are).
    pub dom_restricted: bool,
    pub dow_restricted: bool,
}

impl fmt::Display for Cron {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities() {
        assert_eq!(Bytes(16 * KI.pow(3)).to_quantity(), "16Gi");
        assert_eq!(Bytes(1536 * KI.pow(2)).to_quantity(), "1536Mi");
        assert_eq!(Bytes(1000).to_quantity(), "1000");
        assert_eq!(MilliCpu(500).to_quantity(), "500m");
        assert_eq!(MilliCpu(4000).to_quantity(), "4");
        assert_eq!(Bandwidth(10_000_000_000).to_string(), "10Gbps");
        assert_eq!(Bytes(1_088_516_511_498).to_string(), "1013.76Gi");
        assert_eq!(Bytes(16 * KI.pow(3)).to_string(), "16Gi");
        assert_eq!(MilliCpu(95_040).to_string(), "95.04");
        assert_eq!(MilliCpu(500).to_string(), "0.5");
    }

    #[test]
    fn durations_as_the_language_writes_them() {
        assert_eq!(format_duration(Duration::ZERO), "0s");
        assert_eq!(format_duration(Duration::from_secs(30)), "30s");
        assert_eq!(format_duration(Duration::from_secs(90)), "90s");
        assert_eq!(format_duration(Duration::from_secs(300)), "5m");
        assert_eq!(format_duration(Duration::from_secs(5_400)), "90m");
        assert_eq!(format_duration(Duration::from_secs(4 * 3_600)), "4h");
        assert_eq!(format_duration(Duration::from_secs(35 * 86_400)), "35d");
        assert_eq!(format_duration(Duration::from_millis(250)), "250ms");
        assert_eq!(format_duration(Duration::from_millis(1_500)), "1500ms");
        assert_eq!(format_duration(Duration::from_micros(1_200)), "1.2ms");
        assert_eq!(format_duration(Duration::from_micros(5)), "0.005ms");
        // A sub-millisecond link round trip, and less than a microsecond.
        assert_eq!(format_duration(Duration::from_micros(600)), "0.6ms");
        assert_eq!(format_duration(Duration::from_nanos(400)), "0.0004ms");
        assert_eq!(format_duration(Duration::from_nanos(1)), "0.000001ms");
    }

    #[test]
    fn frequencies() {
        assert_eq!(Frequency(3_000_000_000).to_string(), "3GHz");
        assert_eq!(Frequency(2_450_000_000).to_string(), "2.45GHz");
        assert_eq!(Frequency(800_000_000).to_string(), "800MHz");
        assert_eq!(Frequency(2_999_999_999).mhz_floor(), 2_999);
    }
}
