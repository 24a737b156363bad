//! "Did you mean" suggestions and the one way lists of names are written
//! into messages (never with `{:?}`).

/// The candidate closest to `name`: a case-insensitive exact match wins,
/// otherwise the smallest edit distance (a swap of two neighbours counts as
/// one edit) within about a third of the name's length (at least 1); ties
/// go to the candidate that sorts first. A unique candidate that starts
/// with `name` is preferred over an edit-distance match.
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let max = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    // A word that begins exactly one candidate (`ceph` → `ceph-rbd`).
    let mut prefix_match: Option<&'a str> = None;
    let mut prefixes = 0;
    for cand in candidates {
        if name.len() >= 3 && cand.to_lowercase().starts_with(&lower) && cand != name {
            prefixes += 1;
            prefix_match = if prefixes == 1 { Some(cand) } else { None };
        }
        if cand == name {
            continue;
        }
        let dist = if cand.to_lowercase() == lower { 0 } else { strsim::osa_distance(&lower, &cand.to_lowercase()) };
        if dist > max {
            continue;
        }
        best = match best {
            Some((d, c)) if d < dist || (d == dist && c <= cand) => Some((d, c)),
            _ => Some((dist, cand)),
        };
    }
    // Exact (up to case) wins; then the one candidate that starts with what
    // was typed (`nvidia-h100` → `nvidia-h100-80gb`); then the closest.
    match best {
        Some((0, c)) => Some(c),
        _ => prefix_match.or(best.map(|(_, c)| c)),
    }
}

/// `a`, `b` and `c` — names in backticks joined for a sentence.
pub fn join_quoted<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted.concat(),
        n => {
            let (head, last) = quoted.split_at(n - 1);
            format!("{} or {}", head.join(", "), last.concat())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_closest_within_a_third() {
        let c = ["replicas", "resources", "image"];
        assert_eq!(did_you_mean("replcas", c), Some("replicas"));
        assert_eq!(did_you_mean("IMAGE", c), Some("image"));
        assert_eq!(did_you_mean("zzz", c), None);
        assert_eq!(did_you_mean("grcp", ["http", "grpc", "tcp"]), Some("grpc"));
        assert_eq!(did_you_mean("ceph", ["ceph-rbd", "longhorn"]), Some("ceph-rbd"));
        assert_eq!(did_you_mean("nvidia-h100", ["nvidia-l40s", "nvidia-h100-80gb"]), Some("nvidia-h100-80gb"));
    }

    #[test]
    fn ties_break_by_sorted_order() {
        assert_eq!(did_you_mean("ab", ["ac", "aa"]), Some("aa"));
    }

    #[test]
    fn joins_for_a_sentence() {
        assert_eq!(join_quoted(&["a"]), "`a`");
        assert_eq!(join_quoted(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
