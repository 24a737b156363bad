//! The fuzz targets' properties (`props.rs`, shared with the regression
//! test in `tests/fuzz_regressions.rs`) and what only the fuzz crate has: a
//! real Terraform (HCL) parser.

mod props;

pub use props::{build, check_diagnostics, compile, fmt, parse_check, program};

/// A `.tf` file parses as HCL.
pub fn parse_tf(text: &str) -> Result<(), String> {
    hcl::from_str::<hcl::Body>(text).map(|_| ()).map_err(|e| e.to_string())
}
