//! A problem found in a data file, with where in the file's data it is: the keys and array positions
//! that lead to the value (`questions`, 3, `answers`, 1, `next`). The guide knows which value is
//! wrong but not the file's text; the program that read the file turns the path into a line and
//! column (the site builder does, from the TOML's spans), so no message is searched for its place.

use std::fmt;

/// One step of a path into the data: a table's key or an array's position (from 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl From<&str> for Step {
    fn from(key: &str) -> Step {
        Step::Key(key.to_string())
    }
}

impl From<usize> for Step {
    fn from(index: usize) -> Step {
        Step::Index(index)
    }
}

/// What is wrong, and where: `at` is empty for a problem of the file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: Vec<Step>,
    pub message: String,
}

impl Problem {
    pub fn new(at: Vec<Step>, message: impl Into<String>) -> Problem {
        Problem { at, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A path from its steps: `at!["questions", 3, "answers", 1, "next"]`.
#[macro_export]
macro_rules! at {
    ($($step:expr),* $(,)?) => { vec![$($crate::problem::Step::from($step)),*] };
}
