//! `hybrid_syntax::format`: the result parses to the same tree and
//! formatting it again changes nothing. See `src/props.rs`.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| hybrid_fuzz::fmt(data));
