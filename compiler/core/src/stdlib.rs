//! The standard library: `.hybrid` modules embedded in the binary so the
//! compiler works from any directory. They are data, loaded like any
//! program file when imported as `std/NAME`.

use crate::schema::DeclKind;

/// `(import path, text)` of every module.
pub const MODULES: &[(&str, &str)] = &[
    ("std/gpu", include_str!("../../../stdlib/gpu.hybrid")),
    ("std/profiles", include_str!("../../../stdlib/profiles.hybrid")),
];

/// The module imported as `std/NAME`.
pub fn module(name: &str) -> Option<(&'static str, &'static str)> {
    MODULES.iter().copied().find(|(n, _)| n.strip_prefix("std/") == Some(name))
}

/// A named top-level declaration of a module: `(module, kind, name)`, such
/// as `("std/gpu", DeclKind::GpuModel, "nvidia-a100-80gb")`.
pub type Declared = (&'static str, DeclKind, String);

/// The named declarations of every module, parsed once per process (a
/// language server resolves many times): what a program that does not
/// import a module may be told to import.
pub fn declared() -> &'static [Declared] {
    static DECLARED: std::sync::OnceLock<Vec<Declared>> = std::sync::OnceLock::new();
    DECLARED.get_or_init(|| {
        let mut out = Vec::new();
        for (module, text) in MODULES {
            let (doc, _) = hybrid_syntax::parse(hybrid_diagnostics::FileId(u32::MAX), *text);
            for n in doc.nodes() {
                let kind = match n.name() {
                    "gpu-model" => DeclKind::GpuModel,
                    "profile" => DeclKind::Profile,
                    _ => continue,
                };
                if let Some(hybrid_syntax::Value::String(name)) = n.args().next().map(|a| a.value()) {
                    out.push((*module, kind, name.to_string()));
                }
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use crate::schema::DeclKind;

    /// Every module's GPU models and profiles are found, each once.
    #[test]
    fn the_modules_declarations_are_listed() {
        let d = super::declared();
        let gpu = d.iter().any(|(m, k, n)| *m == "std/gpu" && *k == DeclKind::GpuModel && n == "nvidia-a100-80gb");
        assert!(gpu, "{d:?}");
        assert!(d.iter().any(|(m, k, _)| *m == "std/profiles" && *k == DeclKind::Profile), "{d:?}");
        let mut names: Vec<_> = d.iter().map(|(_, k, n)| (k.word(), n)).collect();
        names.sort();
        let len = names.len();
        names.dedup();
        assert_eq!(names.len(), len);
    }
}
