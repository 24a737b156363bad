//! HY3017 encryption-unsupported: a `storage-class` with `encrypted=#true`
//! that the Kubernetes target cannot encrypt — its backend is not
//! `ceph-rbd` (the only one whose CSI driver, ceph-csi, encrypts a volume
//! from a StorageClass parameter), or it names no `kms`, the entry of
//! ceph-csi's `csi-kms-connection-details` that keeps the passphrases
//! (without one ceph-csi reads a passphrase from the node-stage Secret,
//! which Rook writes without it).

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for sc in &k.storage_classes {
            let Some(asked) = sc.encrypted else { continue };
            if sc.backend != StorageBackend::CephRbd {
                out.push(encryption_unsupported(&sc.name, sc.span, asked, Some(sc.backend)));
            } else if sc.kms.is_none() {
                out.push(encryption_unsupported(&sc.name, sc.span, asked, None));
            }
        }
    }
}

/// HY3017: `backend` is the class's backend when it cannot encrypt, `None`
/// when a ceph-rbd class names no `kms`.
pub fn encryption_unsupported(
    class: &str,
    class_span: Span,
    asked: Span,
    backend: Option<StorageBackend>,
) -> Diagnostic {
    match backend {
        Some(b) => Diagnostic::new(
            &codes::ENCRYPTION_UNSUPPORTED,
            format!("storage class `{class}` asks for encryption, which its backend `{}` cannot give", b.as_str()),
            asked,
            "no CSI parameter of this backend encrypts a volume",
        )
        .with_label(class_span, format!("backed by `{}`", b.as_str()))
        .with_help(format!(
            "back storage class `{class}` by ceph: `backend=ceph-rbd pool=POOL encrypted=#true kms=\"KMS-ID\"`"
        )),
        None => Diagnostic::new(
            &codes::ENCRYPTION_UNSUPPORTED,
            format!("encrypted storage class `{class}` names no key management system"),
            asked,
            "ceph-csi needs a KMS ID to keep each volume's passphrase",
        )
        .with_label(class_span, "has no `kms=`")
        .with_help(format!(
            "name the entry of ceph-csi's `csi-kms-connection-details` ConfigMap that keeps the passphrases: add `kms=\"KMS-ID\"` to storage class `{class}`"
        )),
    }
}
