//! The `markdown` fuzz target: [`communique_fuzz::markdown`] says what it runs and checks. The
//! test suite replays its corpus through the same function (tests/testsuite/fuzz_corpus.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| communique_fuzz::markdown::run(bytes));
