#![no_main]
// See ../src/lib.rs for what this target checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| acta_fuzz::note(data));
