//! "Did you mean" suggestions and the one way lists of names are written
//! into messages (never with `{:?}`).

/// The candidate closest to `name`: the first of [`close_matches`].
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    close_matches(name, candidates).first().copied()
}

/// A candidate name, lower-cased, with its edit distance to what was typed.
struct Candidate<'a> {
    distance: usize,
    name: &'a str,
    lower: String,
}

/// One step of [`close_matches`]: which candidates it keeps.
type Step<'s> = dyn Fn(&Candidate<'_>) -> bool + 's;

/// The most candidates a suggestion lists.
const MAX_MATCHES: usize = 4;

/// The candidates close to `name`, best first, at most four, from the first
/// of these that finds any:
///
/// 1. the same name up to case;
/// 2. the candidates that hold what was typed (at least 3 characters) as
///    whole words: `ceph` → `ceph-rbd`, `a100-80gb` → `nvidia-a100-80gb`;
/// 3. the one candidate that starts with it (`replica` → `replicas`);
/// 4. the candidates of the same family: sharing a word of the name that
///    starts with a letter and holds a digit, of 3 characters or more
///    (`nvidia-a100-24gb` → `nvidia-a100-40gb`, `nvidia-a100-80gb`);
/// 5. the one with the smallest edit distance (a swap of two neighbours
///    counts as one edit) within about a third of the name's length (at
///    least 1): `replcas` → `replicas`;
/// 6. the candidates sharing a shorter family word (`tesla-t4` →
///    `nvidia-t4`).
///
/// Within a step, the closest by edit distance first, then in sorted order.
pub fn close_matches<'a, I>(name: &str, candidates: I) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = name.to_lowercase();
    let mut cands: Vec<Candidate<'a>> = candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            let lower_c = c.to_lowercase();
            Candidate { distance: strsim::osa_distance(&lower, &lower_c), name: c, lower: lower_c }
        })
        .collect();
    cands.sort_by(|a, b| (a.distance, a.name).cmp(&(b.distance, b.name)));
    cands.dedup_by(|a, b| a.name == b.name);
    let max = (name.chars().count() / 3).max(1);
    let families = family_words(&lower);
    let long: Vec<&str> = families.iter().copied().filter(|w| w.len() >= 3).collect();
    let long_enough = name.chars().count() >= 3;
    let prefixed = cands.iter().filter(|c| c.lower.starts_with(&lower)).count();
    let steps: [&Step; 6] = [
        &|c| c.lower == lower,
        &|c| long_enough && holds_words(&c.lower, &lower),
        &|c| long_enough && prefixed == 1 && c.lower.starts_with(&lower),
        &|c| words(&c.lower).any(|w| long.contains(&w)),
        &|c| c.distance <= max,
        &|c| words(&c.lower).any(|w| families.contains(&w)),
    ];
    for (i, step) in steps.iter().enumerate() {
        // An edit-distance match: only the closest (the nearest few would
        // read as a guess).
        let most = if i == 4 { 1 } else { MAX_MATCHES };
        let found: Vec<&'a str> = cands.iter().filter(|c| step(c)).map(|c| c.name).take(most).collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

/// Whether `name` holds `part` as whole words: `nvidia-a100-80gb` holds
/// `a100-80gb`, `hy0020` does not hold `hy002`.
fn holds_words(name: &str, part: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| matches!(c, '-' | '_' | '.' | '/'));
    name.match_indices(part).any(|(i, _)| {
        let before = name.get(..i).and_then(|s| s.chars().next_back());
        let after = name.get(i + part.len()..).and_then(|s| s.chars().next());
        boundary(before) && boundary(after)
    })
}

/// The words of a name, split at `-`, `_`, `.` and `/`.
fn words(name: &str) -> impl Iterator<Item = &str> {
    name.split(['-', '_', '.', '/']).filter(|w| !w.is_empty())
}

/// The words of a name that name a family: a letter, then a digit
/// somewhere (`a100`, `h100`, `l40s`), not a size (`80gb`).
fn family_words(name: &str) -> Vec<&str> {
    words(name)
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic()) && w.contains(|c: char| c.is_ascii_digit()))
        .collect()
}

/// `did you mean `a`?`, or `did you mean `a` or `b`?` — the help of a
/// suggestion, or `None` when there is none.
pub fn did_you_mean_help<S: AsRef<str>>(matches: &[S]) -> Option<String> {
    (!matches.is_empty()).then(|| format!("did you mean {}?", join_quoted(matches)))
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

    const GPUS: [&str; 5] = ["nvidia-a100-40gb", "nvidia-a100-80gb", "nvidia-h100-80gb", "nvidia-l40s", "nvidia-t4"];

    #[test]
    fn every_candidate_holding_the_name_before_edit_distance() {
        assert_eq!(close_matches("nvidia-a100", GPUS), ["nvidia-a100-40gb", "nvidia-a100-80gb"]);
        assert_eq!(close_matches("a100-80gb", GPUS), ["nvidia-a100-80gb"]);
        assert_eq!(close_matches("rbd", ["ceph-rbd", "longhorn"]), ["ceph-rbd"]);
        assert_eq!(close_matches("shop", ["shop-b", "shop-a", "web"]), ["shop-a", "shop-b"]);
        // Not inside a word: `HY002` is closer to `HY0002` than to `HY0020`.
        assert_eq!(close_matches("HY002", ["HY0020", "HY0021", "HY0002"]), ["HY0002"]);
    }

    #[test]
    fn the_family_word_when_nothing_else_is_close() {
        assert_eq!(close_matches("nvidia-a100-24gb", GPUS), ["nvidia-a100-40gb", "nvidia-a100-80gb"]);
        assert_eq!(close_matches("tesla-t4", GPUS), ["nvidia-t4"]);
        // A size is no family: nothing shares `rtx` or a letter-first word.
        assert!(close_matches("nvidia-rtx-a6000", GPUS).is_empty());
    }

    #[test]
    fn edit_distance_gives_only_the_closest() {
        assert_eq!(close_matches("replcas", ["replicas", "replicaz", "resources"]), ["replicas"]);
        assert_eq!(close_matches("ab", ["ac", "aa"]), ["aa"]);
        assert_eq!(did_you_mean_help(&close_matches("zzz", ["a"])), None);
        assert_eq!(did_you_mean_help(&["a", "b"]), Some("did you mean `a` or `b`?".to_string()));
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
