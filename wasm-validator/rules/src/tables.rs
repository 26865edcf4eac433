//! Where the two big data tables come from: compiled in (feature `builtin-tables`, on by default:
//! the command line, the site builder, the tests), or given at run time by whoever embeds the rules
//! ([`crate::regions::provide`], [`crate::public_suffix::provide`]). The browser module leaves them
//! out — 50 of its 130 KB gzipped — and fetches them beside the wasm once the module has started, so
//! the first field is checked before they arrive (issue 22).
//!
//! A check that needs a table that was not given finds nothing in it, so the bindings make sure it
//! is there first ([`crate::regions::available`], [`crate::public_suffix::available`]). ID numbers
//! are the exception: without the regions their region code is not checked (and gives no finding),
//! the rest is, so the first ID number typed is answered before the table arrives.

use std::sync::OnceLock;

/// One table's text.
pub(crate) struct Table {
    builtin: Option<&'static str>,
    provided: OnceLock<&'static str>,
}

impl Table {
    pub(crate) const fn new(builtin: Option<&'static str>) -> Table {
        Table { builtin, provided: OnceLock::new() }
    }

    /// Gives the text at run time; false if it was compiled in or given before (then nothing changes).
    pub(crate) fn provide(&self, text: &'static str) -> bool {
        self.builtin.is_none() && self.provided.set(text).is_ok()
    }

    pub(crate) fn text(&self) -> Option<&'static str> {
        self.builtin.or_else(|| self.provided.get().copied())
    }
}
