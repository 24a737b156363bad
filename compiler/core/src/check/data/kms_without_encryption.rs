//! HY3018 kms-without-encryption: a `storage-class` that names a `kms`
//! without `encrypted=#true`. ceph-csi reads `encryptionKMSID` only for an
//! encrypted class, so the Kubernetes target writes none and the volumes
//! are not encrypted: the KMS is a promise the class does not keep.

use crate::check::prelude::*;

pub fn check(t: &Topology, out: &mut Vec<Diagnostic>) {
    for c in &t.clusters {
        let Some(k) = c.kubernetes() else { continue };
        for sc in k.storage_classes.iter().filter(|sc| sc.encrypted.is_none()) {
            if let Some(kms) = &sc.kms {
                out.push(kms_without_encryption(&sc.name, sc.span, kms.span));
            }
        }
    }
}

/// HY3018
pub fn kms_without_encryption(class: &str, class_span: Span, kms: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::KMS_WITHOUT_ENCRYPTION,
        format!("storage class `{class}` names a key management system but does not encrypt"),
        kms,
        "read only by an encrypted class",
    )
    .with_label(class_span, "has no `encrypted=#true`: its volumes are not encrypted")
    .with_help(format!("encrypt storage class `{class}`: add `encrypted=#true` to it (or remove `kms`)"))
}
