//! HY6002 unpinned-image: a container image without a tag, with
//! `:latest`, or without a registry host: what runs can change under you
//! and may come from an unexpected registry. Applies to every container
//! image (services and their traffic versions, jobs, KubeVirt container
//! disks), not to OpenStack or vSphere image names, and not to a reference
//! that is invalid altogether (HY0029).

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    for i in images(t, w).into_iter().filter(|i| i.kind == ImageKind::Container) {
        // A reference that is not valid at all is HY0029's to report.
        if crate::values::container_image_problem(i.value).is_some() {
            continue;
        }
        if let Some(why) = unpinned(i.value) {
            out.push(unpinned_image(i.workload, i.value, i.span, why));
        }
    }
}

/// Why an image reference is unpinned, if it is. Its parts are found at
/// their ASCII separators, byte by byte (this runs on every image).
pub fn unpinned(image: &str) -> Option<&'static str> {
    let at = |s: &str, sep: u8| s.bytes().position(|b| b == sep);
    let (path, digest) = match at(image, b'@') {
        Some(i) => (image.get(..i).unwrap_or(image), image.get(i + 1..)),
        None => (image, None),
    };
    let slash = at(path, b'/');
    let first = slash.and_then(|i| path.get(..i)).unwrap_or(path);
    let has_host = slash.is_some() && (first.bytes().any(|b| b == b'.' || b == b':') || first == "localhost");
    let last = match path.bytes().rposition(|b| b == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or(path),
        None => path,
    };
    let tag = at(last, b':').and_then(|i| last.get(i + 1..));
    let digest_ok = |d: &str| at(d, b':').is_some_and(|i| i > 0 && i + 1 < d.len());
    if !has_host {
        Some("has no registry host")
    } else if let Some(d) = digest {
        (!digest_ok(d)).then_some("has an empty or malformed digest")
    } else {
        match tag {
            None => Some("has no tag"),
            Some("") => Some("has an empty tag"),
            Some("latest") => Some("uses `:latest`"),
            Some(_) => None,
        }
    }
}

/// HY6002
pub fn unpinned_image(w: &Workload, image: &str, span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(&codes::UNPINNED_IMAGE, format!("image `{image}` of `{}` {why}", w.name), span, "unpinned image")
        .with_help("name the registry and a fixed version, e.g. \"registry.example.com/team/app:1.4.2\"")
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn pinning() {
        assert_eq!(unpinned("registry.example.com/shop/order:1.8.2"), None);
        assert_eq!(unpinned("registry.example.com:5000/order:1.8.2"), None);
        assert_eq!(unpinned("registry.example.com/order@sha256:abc"), None);
        assert_eq!(unpinned("registry.example.com/order"), Some("has no tag"));
        assert_eq!(unpinned("registry.example.com/order:latest"), Some("uses `:latest`"));
        assert_eq!(unpinned("nginx:1.27"), Some("has no registry host"));
        assert_eq!(unpinned("registry.example.com/order:"), Some("has an empty tag"));
        assert_eq!(unpinned("registry.example.com/order@sha256:"), Some("has an empty or malformed digest"));
        assert_eq!(unpinned("registry.example.com/order@:abc"), Some("has an empty or malformed digest"));
        assert_eq!(unpinned("registry.example.com/order@sha256"), Some("has an empty or malformed digest"));
        assert_eq!(unpinned("localhost/order:1"), None);
        assert_eq!(unpinned("localhost:5000/order"), Some("has no tag"));
        assert_eq!(unpinned("team/order:1"), Some("has no registry host"));
        assert_eq!(unpinned("r.io/a:b/c"), Some("has no tag"));
    }
}
