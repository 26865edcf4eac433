//! `site-builder build | serve | check`: the command line over the library (see `cli`).

use std::process::ExitCode;

// Indexing allocates millions of small word and position records on both cores; glibc's allocator
// spent about 15% of a 2,000-page build in malloc and free (perf), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    site_builder::cli::main()
}
