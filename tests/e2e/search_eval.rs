//! The search evaluation as a test (issue 11): every question of tests/search-eval/questions.toml in
//! headless Chromium on the repository's site. A floor, not the goal: no question without results,
//! and the answer within the first three for at least [`TOP3_FLOOR`] of the questions. The goals
//! (top-1 85%, top-3 97%) are reported by `cargo run -p e2e --bin search-eval`.

/// Issue 11's floor: 95% (the engine measures 96.8%; the goal, 97%, is reported by the command).
const TOP3_FLOOR: f64 = 0.95;

use e2e::search_eval::{check_answers_exist, default_questions, evaluate, questions, repository_site};

#[tokio::test(flavor = "multi_thread")]
async fn the_evaluation_set_stays_above_its_floor() {
    let set = questions(&default_questions());
    assert!(set.len() >= 200, "at least 200 questions: {}", set.len());
    let site = repository_site();
    let report = evaluate(&site, &set, false).await;
    let missing = check_answers_exist(&site, &set);
    assert!(missing.is_empty(), "answers the site does not have: {missing:#?}");
    let zero: Vec<&str> = report.zero_results().iter().map(|o| o.question.q.as_str()).collect();
    assert!(zero.is_empty(), "questions without results: {zero:?}\n{}", report.summary());
    assert!(report.top3() >= TOP3_FLOOR, "top-3 below the floor:\n{}\n{}", report.summary(), report.misses());
}
