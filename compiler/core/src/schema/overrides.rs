//! The schema of overrides: `override TARGET kind= name=` and its `set` and
//! `remove` edits, the escape hatch that edits a generated object.

use super::*;

pub(super) static OVERRIDES: &[NodeSchema] = &[
    plain(
        "override",
        "override",
        "edits a generated object after the targets emit it: the escape hatch for what the language cannot say",
        &[arg("TARGET", Ty::Enum(OverrideTarget::WORDS))],
        &[
            req(
                "kind",
                Ty::Str,
                "the object's kind (`Deployment`), or the Heat or Terraform resource's type (`OS::Nova::Server`, `openstack_compute_instance_v2`)",
            ),
            req("name", Ty::Str, "the object's `metadata.name`, or the Heat or Terraform resource's name"),
            opt("namespace", Ty::Str, "the Kubernetes object's namespace, when one name is in several"),
        ],
        &[union("override.set"), union("override.remove")],
    ),
    plain(
        "override.set",
        "set",
        "sets the field at PATH (`spec.template.spec.containers[name=web].image`) to VALUE; its parent must exist",
        &[arg("PATH", Ty::Str), arg("VALUE", Ty::Scalar)],
        &[],
        &[],
    ),
    plain(
        "override.remove",
        "remove",
        "removes the field or list item at PATH, which must exist",
        &[arg("PATH", Ty::Str)],
        &[],
        &[],
    ),
];
