//! The `site-builder` command line, built as part of the end-to-end tests' package: cargo builds a
//! package's binaries before its integration tests, so the tests run the current builder without
//! running cargo themselves. The same program as `site-builder/src/main.rs`, allocator included.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    site_builder::cli::main()
}
