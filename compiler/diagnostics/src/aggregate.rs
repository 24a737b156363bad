//! Identical warnings aggregated: warnings of one code and one cause (the
//! code's message with its subject's name taken out) become one diagnostic
//! naming the first few subjects, with a count and every location. Which
//! codes aggregate, and how their message reads for many, is said here and
//! only here ([`AGGREGATED`]).

use crate::{Diagnostic, Severity, Span};
use std::collections::HashMap;

/// How many subjects an aggregated message names before "and N more".
const NAMED: usize = 3;
/// How many of the other locations get a secondary label (those named
/// after the first).
const LABELLED: usize = 2;

/// The codes whose warnings aggregate, with the verb of their message for
/// one subject and for many. Their message reads ``KIND `NAME` VERB REST``;
/// the cause is the code, KIND, REST, the help and the other labels — the
/// message with the subject's name taken out — and the many read
/// ``KINDs `A`, `B`, `C` and N more VERB' REST``.
pub const AGGREGATED: &[(&str, &str, &str)] = &[("HY2101", " has ", " have ")];

/// A diagnostic's subject and cause, when its code aggregates.
struct Cause<'a> {
    kind: &'a str,
    name: &'a str,
    rest: &'a str,
    many: &'static str,
}

fn cause(d: &Diagnostic) -> Option<Cause<'_>> {
    if d.severity != Severity::Warning {
        return None;
    }
    let (_, one, many) = AGGREGATED.iter().find(|(code, _, _)| *code == d.code.id)?;
    let (kind, after) = d.message.split_once(" `")?;
    let (name, after) = after.split_once('`')?;
    let rest = after.strip_prefix(one)?;
    (!kind.is_empty() && !kind.contains(' ')).then_some(Cause { kind, name, rest, many })
}

/// What makes two warnings the same but for their subject.
type Key<'a> = (&'static str, &'a str, &'a str, Option<&'a str>, Vec<(Span, &'a str)>);

fn key<'a>(d: &'a Diagnostic, c: &Cause<'a>) -> Key<'a> {
    let others = d.labels.iter().filter(|l| !l.primary).map(|l| (l.span, &*l.message)).collect();
    (d.code.id, c.kind, c.rest, d.help.as_deref(), others)
}

/// The diagnostics with every set of same-cause warnings made one, at the
/// place of the first, in the given order otherwise.
pub fn aggregate(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    // Each output slot: a diagnostic and, for a group, the index of every
    // member in `diagnostics` (a program can have a warning per service:
    // four bytes each, read again only for the few the message names).
    let mut slots: Vec<(&Diagnostic, Vec<u32>)> = Vec::new();
    let mut groups: HashMap<Key<'_>, usize> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let (Some(c), Ok(i)) = (cause(d), u32::try_from(i)) else {
            slots.push((d, Vec::new()));
            continue;
        };
        match groups.get(&key(d, &c)).and_then(|&slot| slots.get_mut(slot)) {
            Some((_, members)) => members.push(i),
            None => {
                groups.insert(key(d, &c), slots.len());
                slots.push((d, vec![i]));
            }
        }
    }
    slots.into_iter().map(|(d, members)| merged(d, diagnostics, &members)).collect()
}

/// A member's subject: its name and where it is.
fn subject(d: &Diagnostic) -> (&str, Span) {
    (cause(d).map_or("", |c| c.name), d.span())
}

/// `first` alone, or with the other `members` of its group (indices into
/// `all`, `first` among them) folded in.
fn merged(first: &Diagnostic, all: &[Diagnostic], members: &[u32]) -> Diagnostic {
    let mut d = first.clone();
    let (Some(c), true) = (cause(first), members.len() > 1) else { return d };
    let member = |i: &u32| all.get(*i as usize);
    let named: Vec<(&str, Span)> =
        members.iter().filter_map(member).take(NAMED.max(LABELLED + 1)).map(subject).collect();
    let names: Vec<String> = named.iter().take(NAMED).map(|(n, _)| format!("`{n}`")).collect();
    let listed = match members.len().saturating_sub(NAMED) {
        0 => match names.split_last() {
            Some((last, head)) if !head.is_empty() => format!("{} and {last}", head.join(", ")),
            _ => names.concat(),
        },
        more => format!("{} and {more} more", names.join(", ")),
    };
    d.message = format!("{}s {listed}{}{}", c.kind, c.many, c.rest);
    let at = d.labels.iter().position(|l| l.primary).map_or(1, |i| i + 1);
    let extra = named.iter().skip(1).take(LABELLED).map(|(n, s)| crate::Label {
        span: *s,
        message: format!("and `{n}`").into(),
        primary: false,
    });
    d.labels.splice(at..at, extra);
    d.others = members.iter().skip(1).filter_map(member).map(Diagnostic::span).collect();
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes;
    use crate::FileId;

    fn lost(name: &str, at: usize, cluster: &str) -> Diagnostic {
        Diagnostic::new(
            &codes::LOST_IN_FAILURE,
            format!("service `{name}` has no surviving placement if cluster `{cluster}` fails"),
            Span::new(FileId(0), at, at + 2),
            "every placement is in the failure",
        )
        .with_label(Span::new(FileId(0), 0, 1), "if this cluster fails")
        .with_help("place it on a second cluster in another site: `placement A B`")
    }

    #[test]
    fn fifty_same_cause_warnings_are_one_with_a_count_of_fifty() {
        let all: Vec<Diagnostic> = (0..50).map(|i| lost(&format!("s{i}"), 10 + i * 10, "k1")).collect();
        let out = aggregate(&all);
        assert_eq!(out.len(), 1);
        let d = &out[0];
        assert_eq!(d.count(), 50);
        assert_eq!(
            d.message,
            "services `s0`, `s1`, `s2` and 47 more have no surviving placement if cluster `k1` fails"
        );
        assert_eq!(d.span(), all[0].span());
        assert_eq!(d.labels.iter().filter(|l| l.message.starts_with("and `")).count(), LABELLED);
        assert_eq!(d.others.len(), 49);
    }

    #[test]
    fn another_cause_another_code_or_an_error_stays_apart() {
        let mut critical = lost("c", 500, "k1");
        critical.severity = Severity::Error;
        let all = vec![lost("a", 10, "k1"), lost("b", 20, "k2"), critical, lost("d", 600, "k1")];
        let out = aggregate(&all);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].message, "services `a` and `d` have no surviving placement if cluster `k1` fails");
        assert_eq!(out[1], all[1]);
        assert_eq!(out[2], all[2]);
    }
}
