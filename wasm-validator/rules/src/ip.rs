//! Access IP addresses (接入信息 → IP 地址) and the provider's address ranges.
//!
//! The IP entered in the access details must be one of the provider's addresses (seed 003): the
//! server the website will really run on. An address that is not public (private, loopback,
//! link-local, multicast) is always wrong. Whether it lies inside the provider's ranges is checked
//! only when the site settings list them (`[provider.network] ip_ranges` in site.toml), and is a
//! warning: a provider's ranges change, and the provider checks again before submitting.
//!
//! ```
//! use beian_rules::ip::{self, IpRange};
//! let ranges = vec![IpRange::parse("192.0.2.0/24").unwrap()];
//! assert!(ip::check("192.0.2.10", "ip", &ranges).findings.is_empty());
//! assert_eq!(ip::check("198.51.100.7", "ip", &ranges).findings[0].rule, "ip.outside_ranges");
//! assert_eq!(ip::check("192.168.1.1", "ip", &[]).findings[0].rule, "ip.not_public");
//! assert_eq!(ip::check("300.1.1.1", "ip", &[]).findings[0].rule, "ip.invalid");
//! assert!(IpRange::parse("2001:db8::/32").unwrap().contains("2001:db8::1".parse().unwrap()));
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use crate::normalise::{fold, quote, invisible_finding};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Empty field.
pub const EMPTY: Rule = Rule::miit("ip.empty", 5001, Error, "/codes/5001/");
/// Not an IPv4 or IPv6 address.
pub const INVALID: Rule = Rule::miit("ip.invalid", 5001, Error, "/codes/5001/");
/// A private, loopback, link-local or multicast address.
pub const NOT_PUBLIC: Rule = Rule::new("ip.not_public", Error, "/faq/what-is-provider/");
/// Outside the provider's ranges.
pub const OUTSIDE_RANGES: Rule = Rule::new("ip.outside_ranges", Warning, "/faq/what-is-provider/");

/// An address range in CIDR notation (`192.0.2.0/24`, `2001:db8::/32`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// Parses CIDR notation; a bare address is a range of one. `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<IpRange, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network = parse_ip(addr).ok_or_else(|| format!("not an IP address: `{text}`"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(p) => p.parse::<u8>().ok().filter(|&p| p <= max).ok_or_else(|| format!("bad prefix length in `{text}`"))?,
            None => max,
        };
        Ok(IpRange { network, prefix })
    }

    /// Parses a list of ranges (the site settings' `ip_ranges`).
    pub fn parse_all<S: AsRef<str>>(texts: &[S]) -> Result<Vec<IpRange>, String> {
        texts.iter().map(|t| IpRange::parse(t.as_ref())).collect()
    }

    /// Is `ip` inside the range?
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => same_prefix(u32::from(n).into(), u32::from(a).into(), self.prefix, 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => same_prefix(u128::from(n), u128::from(a), self.prefix, 128),
            _ => false,
        }
    }
}

/// `text` as an address, read exactly as `text.parse::<IpAddr>()` reads it (a test compares the
/// two), but by hand: the standard parser cost the browser module 1.3 KB gzipped (issue 22).
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    let b = text.as_bytes();
    // As the standard parser: an address that starts as IPv4 is IPv4 or nothing.
    let (ip, end) = match v4(b, 0) {
        Some((octets, end)) => (IpAddr::V4(octets.into()), end),
        None => v6(b).map(|(groups, end)| (IpAddr::V6(groups.into()), end))?,
    };
    (end == b.len()).then_some(ip)
}

/// A number of at most `max` digits in `radix` at `b[at..]`, and where it ends.
fn number(b: &[u8], at: usize, radix: u32, max: usize, zero_prefix: bool) -> Option<(u32, usize)> {
    let digits = b[at.min(b.len())..].iter().take_while(|c| char::from(**c).is_digit(radix)).count();
    if digits == 0 || digits > max || (!zero_prefix && digits > 1 && b[at] == b'0') {
        return None;
    }
    let value = b[at..at + digits].iter().fold(0, |n, c| n * radix + char::from(*c).to_digit(radix).unwrap_or(0));
    Some((value, at + digits))
}

/// `sep` at `at` unless this is the first item (`i` = 0): where the item starts.
fn after(b: &[u8], at: usize, i: usize, sep: u8) -> Option<usize> {
    if i == 0 {
        Some(at)
    } else {
        (b.get(at) == Some(&sep)).then_some(at + 1)
    }
}

/// Four decimal numbers up to 255 joined by dots (no leading zeros) at `b[at..]`.
fn v4(b: &[u8], mut at: usize) -> Option<([u8; 4], usize)> {
    let mut out = [0; 4];
    for (i, slot) in out.iter_mut().enumerate() {
        let (n, end) = number(b, after(b, at, i, b'.')?, 10, 3, false)?;
        *slot = u8::try_from(n).ok()?;
        at = end;
    }
    Some((out, at))
}

/// Groups of an IPv6 address from `*at` into `out`: how many, and whether the last two were an
/// embedded IPv4 address.
fn v6_groups(b: &[u8], at: &mut usize, out: &mut [u16]) -> (usize, bool) {
    let limit = out.len();
    for i in 0..limit {
        let Some(start) = after(b, *at, i, b':') else { return (i, false) };
        if i + 1 < limit {
            if let Some(([o0, o1, o2, o3], end)) = v4(b, start) {
                out[i] = u16::from_be_bytes([o0, o1]);
                out[i + 1] = u16::from_be_bytes([o2, o3]);
                *at = end;
                return (i + 2, true);
            }
        }
        match number(b, start, 16, 4, true) {
            Some((g, end)) => {
                out[i] = g as u16;
                *at = end;
            }
            None => return (i, false),
        }
    }
    (limit, false)
}

fn v6(b: &[u8]) -> Option<([u16; 8], usize)> {
    let mut at = 0;
    let mut head = [0; 8];
    let (head_size, head_v4) = v6_groups(b, &mut at, &mut head);
    if head_size == 8 {
        return Some((head, at));
    }
    if head_v4 || b.get(at..at + 2) != Some(b"::") {
        return None;
    }
    at += 2;
    let mut tail = [0; 7];
    let (tail_size, _) = v6_groups(b, &mut at, &mut tail[..7 - head_size]);
    head[8 - tail_size..].copy_from_slice(&tail[..tail_size]);
    Some((head, at))
}

fn same_prefix(a: u128, b: u128, prefix: u8, bits: u32) -> bool {
    let shift = bits - u32::from(prefix);
    shift >= bits || (a >> shift) == (b >> shift)
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => {
            let [b0, b1, ..] = a.octets();
            !(a.is_private() || a.is_loopback() || a.is_link_local() || a.is_multicast() || a.is_broadcast() || a.is_unspecified()
                || b0 == 0 || b0 >= 240 || (b0 == 100 && (64..128).contains(&b1)))
        }
        IpAddr::V6(a) => {
            let first = a.segments()[0];
            !(a.is_loopback() || a.is_unspecified() || a.is_multicast() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
                || a.to_ipv4_mapped().is_some_and(|v4: Ipv4Addr| !is_public(IpAddr::V4(v4))) || a == Ipv6Addr::UNSPECIFIED)
        }
    }
}

/// Checks one access IP against the provider's `ranges` (empty = no range check).
pub fn check(input: &str, field: &str, ranges: &[IpRange]) -> Checked {
    let mut out = Findings::new(field);
    out.extend(invisible_finding(input, out.field()));
    let text = fold(input, &[' ']).text;
    if text.is_empty() {
        out.add(&EMPTY, "请填写网站所在服务器的 IP 地址。");
        return out.done(text);
    }
    let Some(ip) = parse_ip(&text) else {
        out.add(&INVALID, format!("“{}”不是有效的 IP 地址，应写作 203.0.113.10 这样的四段数字。", quote(&text, 50)));
        return out.done(text);
    };
    // The address as typed: the parser accepts only canonical IPv4 (no leading zeros), and IPv6 is
    // only lower-cased. Not `ip.to_string()`: IPv6's formatter costs the browser module 1.7 KB.
    let value = text.to_ascii_lowercase();
    if !is_public(ip) {
        out.add(&NOT_PUBLIC, format!("{value} 是内网或保留地址，不能用于备案。请填写服务器的公网 IP（在接入商控制台可以查到）。"));
    } else if !ranges.is_empty() && !ranges.iter().any(|r| r.contains(ip)) {
        out.add(&OUTSIDE_RANGES, format!("{value} 不是本接入商的 IP 地址。接入信息要填写网站实际所在的、本接入商的服务器 IP，请在控制台核对。"));
    }
    out.done(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_addresses_as_the_standard_parser_does() {
        let fixed = [
            "1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "0.0.0.0", "1.2.3", "1.2.3.4.", "1.2.3.4:5", "1234.1.1.1",
            "::", "::1", "1::", "1::2", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "12345::", "0000:0:0:0:0:0:0:1", ":::", "1:::2", ":1", "1:", "",
            "::1.2.3", "::01.2.3.4", "fe80::1%eth0", "FFFF::", "::ffff:255.255.255.256",
        ];
        let mut seed = 7u32;
        let mut random = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 8) as usize
        };
        const PIECES: [&str; 12] = ["0", "1", "00", "255", "256", "ffff", "12345", "a", ":", "::", ".", "1.2.3.4"];
        let generated: Vec<String> = (0..200_000).map(|_| (0..random() % 12).map(|_| PIECES[random() % PIECES.len()]).collect()).collect();
        let mut valid = 0;
        for text in fixed.iter().copied().chain(generated.iter().map(String::as_str)) {
            let expected = text.parse::<IpAddr>().ok();
            valid += usize::from(expected.is_some());
            assert_eq!(parse_ip(text), expected, "{text:?}");
        }
        assert!(valid > 1000, "the generated strings should include many addresses: {valid}");
    }

    #[test]
    fn ranges() {
        let r = IpRange::parse("198.51.100.0/24").unwrap();
        assert!(r.contains("198.51.100.255".parse().unwrap()));
        assert!(!r.contains("198.51.101.0".parse().unwrap()));
        assert!(IpRange::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert!(IpRange::parse("1.2.3.4").unwrap().contains("1.2.3.4".parse().unwrap()));
        assert!(IpRange::parse("1.2.3.4/33").is_err());
        assert!(IpRange::parse("nonsense/8").is_err());
    }

    #[test]
    fn public_addresses() {
        for bad in ["10.0.0.1", "172.16.5.4", "127.0.0.1", "169.254.1.1", "100.64.0.1", "224.0.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:192.168.0.1"] {
            assert_eq!(check(bad, "ip", &[]).findings[0].rule, "ip.not_public", "{bad}");
        }
        assert!(check("203.0.113.9", "ip", &[]).findings.is_empty());
        assert!(check("2001:db8::1", "ip", &[]).findings.is_empty());
    }
}
