//! The vsphere target: lowers the model into this platform's objects.
//! Its objects arrive with its own issue; the crate exists so that the
//! dependency rule (targets see only `model` and `emit`) holds from day one.
