//! HY0049 scale-down-window-too-long: `autoscale scale-down-window=` above
//! an hour, the longest stabilization window a HorizontalPodAutoscaler
//! accepts, so Kubernetes would refuse the autoscaler.

use crate::check::prelude::*;

pub fn check(_: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    let Some(window) = w.service().and_then(|s| s.autoscale.as_ref()).and_then(|a| a.scale_down_window.as_ref()) else {
        return;
    };
    if window.value > HPA_MAX_STABILIZATION_WINDOW {
        out.push(scale_down_window_too_long(w, window));
    }
}

/// HY0049
pub fn scale_down_window_too_long(w: &Workload, window: &Spanned<std::time::Duration>) -> Diagnostic {
    Diagnostic::new(
        &codes::SCALE_DOWN_WINDOW_TOO_LONG,
        format!(
            "the autoscaler of `{}` waits {} before scaling in, longer than the hour Kubernetes allows",
            w.name,
            format_duration(window.value)
        ),
        window.span,
        "longer than an hour",
    )
    .with_help("write at most an hour: `scale-down-window=\"1h\"`")
}
