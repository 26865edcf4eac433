//! Punycode (RFC 3492), for IDN labels such as `中国` ↔ `xn--fiqs8s`.
//!
//! The `idna` crate with its Unicode tables is too big for a page; the PSL and the filing form only
//! need label conversion, not full UTS #46 mapping. Callers lower-case labels first.
//!
//! ```
//! use beian_rules::punycode::{decode, encode};
//! assert_eq!(encode("中国").as_deref(), Some("fiqs8s"));
//! assert_eq!(decode("fiqs8s").as_deref(), Some("中国"));
//! assert_eq!(encode("bücher").as_deref(), Some("bcher-kva"));
//! assert_eq!(decode("99999999999"), None); // overflow is an error, not a panic
//! ```

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;
/// Labels are at most 63 bytes; anything longer is not a domain label, so stop early.
const MAX_INPUT: usize = 256;

fn adapt(mut delta: u32, points: u32, first: bool) -> u32 {
    delta /= if first { DAMP } else { 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit_value(b: u8) -> Option<u32> {
    match b {
        b'a'..=b'z' => Some(u32::from(b - b'a')),
        b'A'..=b'Z' => Some(u32::from(b - b'A')),
        b'0'..=b'9' => Some(u32::from(b - b'0') + 26),
        _ => None,
    }
}

fn digit_char(d: u32) -> char {
    char::from(if d < 26 { b'a' + d as u8 } else { b'0' + (d - 26) as u8 })
}

fn threshold(k: u32, bias: u32) -> u32 {
    if k <= bias {
        T_MIN
    } else if k >= bias + T_MAX {
        T_MAX
    } else {
        k - bias
    }
}

/// Decodes the part after `xn--`; `None` if it is not valid Punycode.
pub fn decode(input: &str) -> Option<String> {
    if input.len() > MAX_INPUT || !input.is_ascii() {
        return None;
    }
    let (basic, extended) = match input.rfind('-') {
        Some(i) => (&input[..i], &input[i + 1..]),
        None => ("", input),
    };
    let mut output: Vec<char> = basic.chars().collect();
    let (mut n, mut i, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    let mut bytes = extended.bytes().peekable();
    while bytes.peek().is_some() {
        let old_i = i;
        let mut w = 1u32;
        let mut k = BASE;
        loop {
            let digit = digit_value(bytes.next()?)?;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = threshold(k, bias);
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = output.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

/// Encodes a Unicode label (without `xn--`); `None` on overflow or an over-long label.
pub fn encode(input: &str) -> Option<String> {
    let chars: Vec<u32> = input.chars().map(u32::from).collect();
    if chars.len() > MAX_INPUT {
        return None;
    }
    let mut output: String = input.chars().filter(char::is_ascii).collect();
    let basic = output.len() as u32;
    let mut handled = basic;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias) = (INITIAL_N, 0u32, INITIAL_BIAS);
    while (handled as usize) < chars.len() {
        let m = chars.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &chars {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = threshold(k, bias);
                    if q < t {
                        break;
                    }
                    output.push(digit_char(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit_char(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta += 1;
        n += 1;
    }
    Some(output)
}

/// A label in Unicode: `xn--` labels decoded (`None` if undecodable), others unchanged.
pub fn label_to_unicode(label: &str) -> Option<String> {
    match label.strip_prefix("xn--") {
        Some(rest) => decode(rest),
        None => Some(label.to_owned()),
    }
}

/// A label in ASCII: non-ASCII labels encoded with `xn--`, ASCII ones unchanged.
pub fn label_to_ascii(label: &str) -> Option<String> {
    if label.is_ascii() {
        Some(label.to_owned())
    } else {
        encode(label).map(|e| format!("xn--{e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3492_samples() {
        // (A) Arabic (Egyptian), (B) Chinese (simplified), (L) 3年B組金八先生.
        let samples = [
            ("ليهمابتكلموشعربي؟", "egbpdaj6bu4bxfgehfvwxn"),
            ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
            ("3年b組金八先生", "3b-ww4c5e180e575a65lsy2b"),
            ("食狮", "85x722f"),
            ("公司", "55qx5d"),
            ("网络", "io0a7i"),
        ];
        for (unicode, puny) in samples {
            assert_eq!(encode(unicode).as_deref(), Some(puny), "{unicode}");
            assert_eq!(decode(puny).as_deref(), Some(unicode), "{puny}");
        }
    }

    #[test]
    fn junk_is_refused_not_panicked() {
        for junk in ["-", "--", "zzzzzzzzzzzzzzzzzzzzzzzz", "a-!", "中", "9".repeat(300).as_str()] {
            let _ = decode(junk);
        }
        assert_eq!(decode("ab-!"), None);
    }
}
