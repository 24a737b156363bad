//! HY0029 invalid-image: an image that no platform can use. Every image
//! must be something other than whitespace, with no whitespace around it;
//! a container image (services and their traffic versions, jobs, KubeVirt
//! container disks) must also be a valid image reference — lowercase
//! repository path, optional registry host and port, a tag of at most 128
//! characters, a well-formed digest. Glance images and vSphere templates
//! are names: any other text is theirs to judge.

use crate::check::prelude::*;
use crate::values::{container_image_problem, image_name_problem, printable, ImageProblem};

pub fn check(t: &Topology, w: &Workload, out: &mut Vec<Diagnostic>) {
    for i in images(t, w) {
        let problem = match i.kind {
            ImageKind::Container => container_image_problem(i.value),
            ImageKind::Glance | ImageKind::Template => image_name_problem(i.value),
        };
        if let Some(p) = problem {
            out.push(invalid_image(&i, &p));
        }
    }
}

/// HY0029
pub fn invalid_image(i: &Image<'_>, problem: &ImageProblem) -> Diagnostic {
    let of = &i.workload.name;
    let shown = printable(i.value);
    match problem {
        ImageProblem::Empty => {
            let help = match i.kind {
                ImageKind::Container => "write an image reference such as \"registry.example.com/team/app:1.4.2\"",
                ImageKind::Glance => "write the name of the Glance image the vm boots from",
                ImageKind::Template => "write the name of the vSphere template the vm is cloned from",
            };
            Diagnostic::new(&codes::INVALID_IMAGE, format!("the image of `{of}` is empty"), i.span, "empty image")
                .with_help(help)
        }
        ImageProblem::Whitespace(trimmed) => Diagnostic::new(
            &codes::INVALID_IMAGE,
            format!("image `{shown}` of `{of}` has whitespace around it"),
            i.span,
            "whitespace around the image",
        )
        .with_help(format!("remove the whitespace: \"{}\"", printable(trimmed))),
        ImageProblem::Reference { why, fixed } => {
            let d = Diagnostic::new(
                &codes::INVALID_IMAGE,
                format!("image `{shown}` of `{of}` is not a valid image reference: {why}"),
                i.span,
                "invalid image reference",
            );
            match fixed {
                Some(f) => d.with_help(format!("write \"{f}\"")),
                None => d.with_help(
                    "write a reference of the form `[HOST[:PORT]/]PATH[:TAG][@sha256:DIGEST]` with a lowercase path, \
                     such as \"registry.example.com/team/app:1.4.2\"",
                ),
            }
        }
    }
}
