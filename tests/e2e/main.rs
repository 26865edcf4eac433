//! Every end-to-end test, one module per subject, in one binary (see tests/Cargo.toml).

mod browser_guide;
mod browser_search;
mod browser_search_box;
mod browser_validator;
mod build;
mod content;
mod deploy_nginx;
mod embedding;
mod hosting;
mod hostile;
mod ownership;
mod package;
mod search_eval;
mod serve;
