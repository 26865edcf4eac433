//! What a form check needs from outside the form: today's date, the provider's address ranges and
//! word lists, and the size limit.

use crate::date::Date;
use crate::ip::IpRange;
use crate::website_name::WebsiteNameWords;

/// The most websites one form check takes (the default of [`FormOptions::max_websites`]). A real
/// filing lists a few; a form with more is refused with [`TOO_LARGE`] before its websites are
/// checked, so a pasted or generated monster costs no time. Every check is linear in the form's
/// size (100,000 websites: 0.45 s natively, 14.7 s before the duplicate-domain check used a set), so the limit is about use, not speed.
pub const MAX_WEBSITES: usize = 1_000;

/// What the form check needs from outside the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOptions {
    /// Today's date (birth dates after it are errors; ages are counted to it).
    pub today: Date,
    /// The provider's address ranges; empty = do not check.
    pub ip_ranges: Vec<IpRange>,
    /// Website-name word lists; `None` = the built-in ones.
    pub words: Option<WebsiteNameWords>,
    /// A form with more websites is refused ([`TOO_LARGE`]); default [`MAX_WEBSITES`].
    pub max_websites: usize,
}

impl FormOptions {
    /// Options with no IP ranges and the built-in word lists.
    pub fn new(today: Date) -> FormOptions {
        FormOptions { today, ip_ranges: Vec::new(), words: None, max_websites: MAX_WEBSITES }
    }

    /// With another limit on the number of websites (`usize::MAX`: none).
    pub fn with_max_websites(mut self, max: usize) -> FormOptions {
        self.max_websites = max;
        self
    }

    /// With the provider's ranges in CIDR notation (site.toml `[provider.network] ip_ranges`).
    pub fn with_ip_ranges<S: AsRef<str>>(mut self, ranges: &[S]) -> Result<FormOptions, String> {
        self.ip_ranges = IpRange::parse_all(ranges)?;
        Ok(self)
    }

    /// With a provider's own website-name word lists.
    pub fn with_words(mut self, words: WebsiteNameWords) -> FormOptions {
        self.words = Some(words);
        self
    }
}
