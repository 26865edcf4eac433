//! The command line, `site-builder build | serve | check`, over the library: here so that the
//! `site-builder` binary and the end-to-end tests' copy of it (built by cargo with the tests, so a
//! test never runs a stale binary and never runs cargo itself) are one program.

use clap::{Parser, Subcommand};
use crate::BuildOptions;
use std::path::PathBuf;
use std::process::ExitCode;

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
        /// Replace an output folder that holds files the builder did not write. Never allowed for the
        /// site's own folder, its sources, your home folder, a project or a shared system folder.
        #[arg(long)]
        force: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload open pages.
    Serve {
        /// The port on 127.0.0.1; 0 takes any free one (the `serving …` line says which).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Do not add the live-reload script (to measure pages as they will be published).
        #[arg(long)]
        no_reload: bool,
        /// As for build: replace an output folder the builder did not write.
        #[arg(long)]
        force: bool,
    },
    /// Check everything a build checks (content, links, templates) without writing.
    Check,
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = |o: Option<PathBuf>| o.unwrap_or_else(|| cli.root.join("public"));
    match cli.command {
        Command::Build { output: ref o, force } => {
            let output = output(o.clone());
            let existed = output.exists();
            match crate::build(&cli.root, &output, BuildOptions { live_reload: false, force }) {
                Ok(report) => {
                    println!("built {}: {report}", output.display());
                    for w in &report.warnings {
                        eprintln!("warning: {w}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e @ crate::BuildError::Refused(_)) => {
                    eprintln!("{e}\nnothing was built, and nothing was changed");
                    ExitCode::FAILURE
                }
                Err(e) => {
                    eprintln!("{e}\nbuild failed: {}", crate::pipeline::untouched(&output, existed));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { port, output: ref o, no_reload, force } => {
            match crate::serve::serve(&cli.root, &output(o.clone()), port, BuildOptions { live_reload: !no_reload, force }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check => match crate::check(&cli.root) {
            Ok((pages, warnings)) => {
                for w in &warnings {
                    eprintln!("warning: {w}");
                }
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
