//! `cargo run -p e2e --bin search-eval -- [QUESTIONS.toml] [--misses]`: builds the repository's site,
//! runs every question in headless Chromium and prints top-1, top-3, MRR, zero-result questions and
//! bytes per query. `--misses` lists the questions whose answer was not first.

use e2e::search_eval::{check_answers_exist, default_questions, evaluate, questions, repository_site};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = args.iter().find(|a| !a.starts_with("--")).map(Into::into).unwrap_or_else(default_questions);
    e2e::build_site_builder();
    let set = questions(&file);
    let site = repository_site();
    let report = evaluate(&site, &set, !args.iter().any(|a| a == "--cold-only")).await;
    let missing = check_answers_exist(&site, &set);
    for m in &missing {
        eprintln!("answer not on the site: {m}");
    }
    if args.iter().any(|a| a == "--misses") {
        print!("{}", report.misses());
    }
    print!("{}", report.summary());
    if !missing.is_empty() {
        std::process::exit(1);
    }
}
