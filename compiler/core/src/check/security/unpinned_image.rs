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

/// Why an image reference is unpinned, if it is.
pub fn unpinned(image: &str) -> Option<&'static str> {
    let (path, digest) = match image.split_once('@') {
        Some((p, d)) => (p, Some(d)),
        None => (image, None),
    };
    let first = path.split('/').next().unwrap_or("");
    let has_host = path.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let last = path.rsplit('/').next().unwrap_or(path);
    let tag = last.split_once(':').map(|(_, t)| t);
    let digest_ok = |d: &str| d.split_once(':').is_some_and(|(alg, hex)| !alg.is_empty() && !hex.is_empty());
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
    }
}
