//! HY3008 backup-retention-gap: a backup kept for less time than the
//! longest gap between two consecutive runs of its schedule: for part of
//! every cycle no backup exists at all.

use crate::check::prelude::*;
use std::time::Duration;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for b in &t.backups {
        match longest_gap(&b.schedule.value) {
            Some(gap) if b.retain.value < gap => out.push(backup_retention_gap(b, gap)),
            Some(_) => {}
            None => out.push(backup_never_runs(b)),
        }
    }
}

/// Days since 1970-01-01 → (year, month 1-12, day 1-31), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The longest time between two consecutive runs, over eight years (two
/// leap cycles, so `29 2` schedules are seen twice). `None` if it never runs.
pub fn longest_gap(c: &Cron) -> Option<Duration> {
    const START: i64 = 19_723; // 2024-01-01, a Monday
    const DAYS: i64 = 8 * 365 + 2;
    let minutes: Vec<u32> = (0..60).filter(|m| c.minute.contains(*m)).collect();
    let hours: Vec<u32> = (0..24).filter(|h| c.hour.contains(*h)).collect();
    let mut prev: Option<i64> = None;
    let mut longest: i64 = 0;
    for day in START..START + DAYS {
        let (_, month, dom) = civil(day);
        let dow = u32::try_from((day + 4).rem_euclid(7)).unwrap_or(0); // 1970-01-01 was a Thursday
        if !c.month.contains(month) {
            continue;
        }
        let dom_ok = c.day_of_month.contains(dom);
        let dow_ok = c.day_of_week.contains(dow);
        let runs = match (c.dom_restricted, c.dow_restricted) {
            (true, true) => dom_ok || dow_ok,
            (true, false) => dom_ok,
            (false, true) => dow_ok,
            (false, false) => true,
        };
        if !runs {
            continue;
        }
        for h in &hours {
            for m in &minutes {
                let at = day * 1440 + i64::from(*h) * 60 + i64::from(*m);
                if let Some(p) = prev {
                    longest = longest.max(at - p);
                }
                prev = Some(at);
            }
        }
    }
    prev.map(|_| Duration::from_secs(u64::try_from(longest).unwrap_or(0) * 60))
}

/// HY3008 for a schedule that matches no date (`0 2 30 2 *`).
pub fn backup_never_runs(b: &Backup) -> Diagnostic {
    Diagnostic::new(
        &codes::BACKUP_RETENTION_GAP,
        format!("backup `{}` never runs: no date matches `{}`", b.name, b.schedule.value),
        b.schedule.span,
        "matches no date",
    )
    .with_help("fix the day of month and month so the schedule matches a real date, e.g. \"0 2 * * *\"")
}

/// HY3008
pub fn backup_retention_gap(b: &Backup, gap: Duration) -> Diagnostic {
    Diagnostic::new(
        &codes::BACKUP_RETENTION_GAP,
        format!(
            "backup `{}` is kept {} but its schedule leaves up to {} between runs",
            b.name,
            format_duration(b.retain.value),
            format_duration(gap)
        ),
        b.retain.span,
        "expires before the next run",
    )
    .with_label(b.schedule.span, format!("runs at most every {}", format_duration(gap)))
    .with_help(format!("keep backups at least as long as the gap: `retain=\"{}\"`", format_duration(gap)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::cron;

    #[test]
    fn gaps() {
        assert_eq!(longest_gap(&cron("0 2 * * *").unwrap()), Some(Duration::from_secs(86_400)));
        assert_eq!(longest_gap(&cron("*/15 * * * *").unwrap()), Some(Duration::from_secs(900)));
        assert_eq!(longest_gap(&cron("0 3 * * 0").unwrap()), Some(Duration::from_secs(7 * 86_400)));
        // Weekdays only: Friday 02:00 to Monday 02:00.
        assert_eq!(longest_gap(&cron("0 2 * * 1-5").unwrap()), Some(Duration::from_secs(3 * 86_400)));
        assert_eq!(civil(19_723), (2024, 1, 1));
        assert_eq!(longest_gap(&cron("0 2 30 2 *").unwrap()), None);
        // The 29th of February: once in four years.
        assert_eq!(longest_gap(&cron("0 0 29 2 *").unwrap()), Some(Duration::from_secs((4 * 365 + 1) * 86_400)));
    }
}
