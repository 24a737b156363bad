//! The schema of the GPU catalogue that `std/gpu` (or a program) declares:
//! GPU models and their MIG profiles.

use super::*;

pub(super) static GPUS: &[NodeSchema] = &[
    // the GPU catalogue (std/gpu)
    decl(
        "gpu-model",
        "gpu-model",
        DeclKind::GpuModel,
        "a GPU model: memory and MIG support",
        &[NAME],
        &[
            req("memory", Ty::Size, "memory per GPU"),
            check_only(dflt(
                "mig",
                Ty::Bool,
                "#false",
                "supports Multi-Instance GPU: the checks refuse MIG sharing and MIG profiles of a model without it",
            )),
            opt("vendor", Ty::Str, "the vendor"),
        ],
        &[keyed("mig-profile")],
    ),
    decl(
        "mig-profile",
        "mig-profile",
        DeclKind::MigProfile,
        "a MIG profile and how many instances fit on one GPU",
        &[arg("NAME", Ty::Str)],
        &[
            req("instances", POSITIVE, "instances of this profile per GPU"),
            opt("memory", Ty::Size, "memory per instance"),
        ],
        &[],
    ),
];
