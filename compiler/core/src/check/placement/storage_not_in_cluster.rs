//! HY7004 storage-not-in-cluster: a service volume's storage class must
//! exist in every kubernetes cluster the service is placed on, a job
//! volume's in the job's cluster; a vm disk's
//! storage class / volume type / vSAN must be in the vm's cluster.

use crate::check::prelude::*;

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    match &w.kind {
        WorkloadKind::Service(s) => {
            for v in &s.volumes {
                let Some(class) = &v.storage_class else { continue };
                for p in &s.placement {
                    let c = t.cluster(p.value);
                    if c.kubernetes().is_some_and(|k| k.storage_class(&class.value).is_none()) {
                        out.push(storage_not_in_cluster(w, &class.value, class.span, c, "storage class"));
                    }
                }
            }
        }
        WorkloadKind::Vm(vm) => {
            let c = t.cluster(vm.placement.value);
            for d in &vm.disks {
                if let (Some(r), None) = (&d.storage_ref, &d.storage) {
                    let what = match &c.kind {
                        ClusterKind::Kubernetes(_) => "storage class",
                        ClusterKind::OpenStack(_) => "volume type",
                        ClusterKind::VSphere(_) => "vsan datastore",
                    };
                    let d = match r.value.split_once('.') {
                        Some((owner, _)) if owner != c.name => Diagnostic::new(
                            &codes::STORAGE_NOT_IN_CLUSTER,
                            format!(
                                "disk storage `{}` of `{}` belongs to `{owner}`, not to the vm's cluster `{}`",
                                r.value, w.name, c.name
                            ),
                            r.span,
                            format!("not in `{}`", c.name),
                        )
                        .with_label(c.span, "the vm's cluster")
                        .with_help(format!(
                            "a disk uses storage of its own cluster: name {} of `{}`",
                            crate::diags::a_or_an(what),
                            c.name
                        )),
                        _ => storage_not_in_cluster(w, &r.value, r.span, c, what),
                    };
                    out.push(d);
                }
            }
        }
        WorkloadKind::Job(j) => {
            let c = t.cluster(j.placement.value);
            for class in j.volumes.iter().filter_map(|v| v.storage_class.as_ref()) {
                if c.kubernetes().is_some_and(|k| k.storage_class(&class.value).is_none()) {
                    out.push(storage_not_in_cluster(w, &class.value, class.span, c, "storage class"));
                }
            }
        }
    }
}

/// HY7004
pub fn storage_not_in_cluster(w: &Workload, name: &str, span: Span, c: &Cluster, what: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::STORAGE_NOT_IN_CLUSTER,
        format!("{what} `{name}` of `{}` does not exist in cluster `{}`", w.name, c.name),
        span,
        format!("not in `{}`", c.name),
    )
    .with_label(c.span, "cluster declared here")
    .with_help(format!("declare the {what} `{name}` in `{}`, or use one it has", c.name))
}
