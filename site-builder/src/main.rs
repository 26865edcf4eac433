//! `site-builder build | serve | check`: the command line over the library.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

// Indexing allocates millions of small word and position records on both cores; glibc's allocator
// spent about 15% of a 2,000-page build in malloc and free (perf), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "site-builder", version, about = "Builds, serves and checks the ICP filing help site")]
struct Cli {
    /// The site's folder: content/, templates/ (optional) and site.toml (optional).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into --output (default: ROOT/public).
    Build {
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages.
    Serve {
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Do not add the live-reload script (to measure pages as they will be published).
        #[arg(long)]
        no_reload: bool,
    },
    /// Check everything a build checks (content, links, templates) without writing.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = |o: Option<PathBuf>| o.unwrap_or_else(|| cli.root.join("public"));
    match cli.command {
        Command::Build { output: ref o } => match site_builder::build(&cli.root, &output(o.clone()), false) {
            Ok(report) => {
                println!("built {}: {report}", output(o.clone()).display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}\nbuild failed: {} was left as it was", output(o.clone()).display());
                ExitCode::FAILURE
            }
        },
        Command::Serve { port, output: ref o, no_reload } => match site_builder::serve::serve(&cli.root, &output(o.clone()), port, !no_reload) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
        Command::Check => match site_builder::check(&cli.root) {
            Ok(pages) => {
                println!("ok: {pages} pages, every link and anchor checked");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
    }
}
