//! Terraform names derived from the model's names: identifiers for the
//! second label of `resource`/`data` blocks and for `variable`s ([`ident`],
//! made unique within one namespace by [`Names`], both from `emit::hcl`),
//! plus the small text helpers shared by the `.tf` files and the README
//! (image names, percentages, Markdown code).

use hybrid_model::Percent;

pub use hybrid_emit::hcl::{identifier as ident, Names};

/// The last path segment of an image reference (`reg/x/postgres:16` →
/// `postgres:16`), what a template variable is named after.
pub fn image_basename(image: &str) -> &str {
    match image.trim_end_matches('/').rsplit('/').next() {
        Some(last) if !last.is_empty() => last,
        _ => "image",
    }
}

/// A percentage as a whole number 0..=100, rounded up (a reserve is never
/// smaller than asked).
pub fn percent_ceil(p: Percent) -> i64 {
    let v = p.0.clamp(0.0, 100.0).ceil();
    if v.is_nan() {
        0
    } else {
        v as i64
    }
}

/// `part` percent of `whole`, rounded up.
pub fn share_ceil(whole: u64, p: Percent) -> i64 {
    let pct = p.0.clamp(0.0, 100.0);
    let v = (whole as f64 * pct / 100.0).ceil();
    if v.is_nan() {
        0
    } else {
        v as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_basenames() {
        assert_eq!(image_basename("templates.example.com/trading/postgres:16.4"), "postgres:16.4");
        assert_eq!(image_basename("ubuntu-22.04"), "ubuntu-22.04");
        assert_eq!(image_basename("x/"), "x");
        assert_eq!(image_basename(""), "image");
    }

    #[test]
    fn percentages_round_up() {
        assert_eq!(percent_ceil(Percent(25.0)), 25);
        assert_eq!(percent_ceil(Percent(12.5)), 13);
        assert_eq!(percent_ceil(Percent(150.0)), 100);
        assert_eq!(share_ceil(262_144, Percent(100.0)), 262_144);
        assert_eq!(share_ceil(32_000, Percent(50.0)), 16_000);
        assert_eq!(share_ceil(3, Percent(50.0)), 2);
        assert_eq!(share_ceil(1000, Percent(f64::NAN)), 0);
    }
}
