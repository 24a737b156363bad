//! HY6002 unpinned-image: a container image without a tag, with
//! `:latest`, or without a registry host: what runs can change under you
//! and may come from an unexpected registry. Applies to every container
//! image (services and their traffic versions, jobs, KubeVirt container
//! disks), not to OpenStack or vSphere image names.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for w in &t.workloads {
        match &w.kind {
            WorkloadKind::Service(s) => {
                inspect(w, &s.image.value, s.image.span, out);
                if let Some(tr) = &s.traffic {
                    for c in &tr.canaries {
                        inspect(w, &c.image.value, c.image.span, out);
                    }
                    for v in &tr.variants {
                        inspect(w, &v.image.value, v.image.span, out);
                    }
                    if let Some(bg) = &tr.blue_green {
                        inspect(w, &bg.blue.value, bg.blue.span, out);
                        inspect(w, &bg.green.value, bg.green.span, out);
                    }
                    if let Some(i) = tr.mirror.as_ref().and_then(|m| m.image.as_ref()) {
                        inspect(w, &i.value, i.span, out);
                    }
                }
            }
            WorkloadKind::Job(j) => inspect(w, &j.image.value, j.image.span, out),
            WorkloadKind::Vm(vm) => {
                if t.cluster(vm.placement.value).kubernetes().is_some() {
                    inspect(w, &vm.image.value, vm.image.span, out);
                }
            }
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

fn inspect(w: &Workload, image: &str, span: Span, out: &mut Vec<Diagnostic>) {
    if let Some(why) = unpinned(image) {
        out.push(unpinned_image(w, image, span, why));
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
