//! The standard library: `.hybrid` modules embedded in the binary so the
//! compiler works from any directory. They are data, loaded like any
//! program file when imported as `std/NAME`.

/// `(import path, text)` of every module.
pub const MODULES: &[(&str, &str)] = &[
    ("std/gpu", include_str!("../../../stdlib/gpu.hybrid")),
    ("std/profiles", include_str!("../../../stdlib/profiles.hybrid")),
];

/// The module imported as `std/NAME`.
pub fn module(name: &str) -> Option<(&'static str, &'static str)> {
    MODULES.iter().copied().find(|(n, _)| n.strip_prefix("std/") == Some(name))
}
