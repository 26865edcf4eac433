//! The last commit date of every content file, read from one `git log` over `content/` (one process,
//! not one per file: a 10,000-page site would otherwise spend seconds starting git).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Path relative to `content/` → `YYYY-MM-DD` of its last commit. Empty outside a git checkout.
pub fn last_commit_dates(root: &Path) -> HashMap<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "--format=%x00%cs", "--name-only", "--relative", "--no-renames", "--", "content"])
        .output();
    match output {
        Ok(o) if o.status.success() => parse(&String::from_utf8_lossy(&o.stdout)),
        _ => HashMap::new(),
    }
}

/// Parses `git log --format=%x00%cs --name-only` (newest first): the first date seen for a path wins.
fn parse(log: &str) -> HashMap<String, String> {
    let mut dates = HashMap::new();
    let mut current = "";
    for line in log.lines() {
        if let Some(date) = line.strip_prefix('\0') {
            current = date;
        } else if let Some(path) = line.strip_prefix("content/") {
            dates.entry(path.to_string()).or_insert_with(|| current.to_string());
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_commit_wins() {
        let log = "\u{0}2026-11-23\n\ncontent/faq/a.md\n\u{0}2026-01-02\n\ncontent/faq/a.md\ncontent/faq/b.md\n";
        let d = parse(log);
        assert_eq!(d["faq/a.md"], "2026-11-23");
        assert_eq!(d["faq/b.md"], "2026-01-02");
    }
}
