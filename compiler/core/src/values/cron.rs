//! Cron schedules: five fields, with month and day names.

use hybrid_model::{Cron, CronField};

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

fn cron_value(s: &str, names: &[&str], first: u32) -> Option<u32> {
    if let Ok(v) = s.parse::<u32>() {
        return Some(v);
    }
    let lower = s.to_ascii_lowercase();
    names.iter().position(|n| *n == lower).map(|i| i as u32 + first)
}

fn cron_field(s: &str, min: u32, max: u32, names: &[&str]) -> Option<CronField> {
    let mut bits = 0u64;
    for part in s.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, st)) => (r, st.parse::<u32>().ok().filter(|v| *v > 0)?),
            None => (part, 1),
        };
        let (lo, hi) = if range == "*" {
            (min, max)
        } else if let Some((a, b)) = range.split_once('-') {
            (cron_value(a, names, min)?, cron_value(b, names, min)?)
        } else {
            let v = cron_value(range, names, min)?;
            (v, if part.contains('/') { max } else { v })
        };
        if lo < min || hi > max || lo > hi {
            return None;
        }
        let mut v = lo;
        while v <= hi {
            bits |= 1u64 << v;
            v += step;
        }
    }
    Some(CronField(bits))
}

pub fn cron(s: &str) -> Option<Cron> {
    let fields: Vec<&str> = s.split_whitespace().collect();
    let [m, h, dom, mon, dow] = fields.as_slice() else {
        return None;
    };
    let mut day_of_week = cron_field(dow, 0, 7, &DAYS)?;
    if day_of_week.contains(7) {
        day_of_week.0 |= 1;
    }
    Some(Cron {
        text: fields.join(" "),
        minute: cron_field(m, 0, 59, &[])?,
        hour: cron_field(h, 0, 23, &[])?,
        day_of_month: cron_field(dom, 1, 31, &[])?,
        month: cron_field(mon, 1, 12, &MONTHS)?,
        day_of_week,
        dom_restricted: *dom != "*",
        dow_restricted: *dow != "*",
    })
}
