//! Error-free programs → every target; every file parses (YAML, JSON,
//! HCL), no clash, safe paths, deterministic. See `src/props.rs`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_fuzz::build(data, &hybrid_fuzz::parse_tf));
