//! Bytes → load, parse, resolve, check, simulate; every diagnostic rendered
//! in every format. Must never panic. See `src/props.rs`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_fuzz::parse_check(data));
