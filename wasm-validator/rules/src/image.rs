//! Uploaded scans (证件扫描件): is a file a PNG, JPEG or GIF within the provider's limits?
//!
//! The filing system refuses scans that are too small in pixels or too large in bytes (seed 002:
//! "像素不要低于 800*600", "文件大小不超过 100K"). Those numbers vary by provider, so they are
//! [`Limits`], defaulting to the source documents' values. Only the file's header is read, from the
//! bytes the browser already has: nothing is decoded and nothing is uploaded.
//!
//! Two readings where the source is silent, on purpose:
//! - 800×600 is a size, not an orientation: a portrait scan passes when its long side is at least
//!   the larger limit and its short side at least the smaller one (600×800 is as good as 800×600);
//! - a KB is 1024 bytes, the unit the customer's file manager shows.
//!
//! ```
//! use beian_rules::image::{self, Format, Limits};
//! // A 1×1 GIF header: readable, far too small.
//! let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00";
//! let r = image::check(gif, &Limits::default());
//! assert_eq!(r.value.unwrap().format, Format::Gif);
//! assert_eq!(r.findings[0].rule, "image.too_small");
//! assert_eq!(image::check(b"%PDF-1.7", &Limits::default()).findings[0].rule, "image.format");
//! ```

use crate::finding::{Checked, Findings, Rule, Severity::*};
use serde::{Deserialize, Serialize};

const HELP: &str = "/guides/first-filing/#steps-online";

/// Not a PNG, JPEG or GIF, or its header cannot be read.
pub const FORMAT: Rule = Rule::new("image.format", Error, HELP);
/// Fewer pixels than the limit.
pub const TOO_SMALL: Rule = Rule::new("image.too_small", Error, HELP);
/// More bytes than the limit.
pub const TOO_LARGE: Rule = Rule::new("image.too_large", Error, HELP);

/// The provider's upload limits (site.toml `[provider.uploads]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Smallest width in pixels (of a landscape scan).
    pub min_width: u32,
    /// Smallest height in pixels (of a landscape scan).
    pub min_height: u32,
    /// Largest file size in KB (1024 bytes).
    pub max_kb: u32,
}

impl Default for Limits {
    /// The source documents' limits: at least 800×600 pixels, at most 100 KB.
    fn default() -> Limits {
        Limits { min_width: 800, min_height: 600, max_kb: 100 }
    }
}

/// The image formats the filing system takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Png,
    Jpeg,
    Gif,
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Image {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The file's size in bytes.
    pub bytes: u64,
}

/// Reads the format and pixel size from the first bytes of a file.
pub fn read_header(data: &[u8]) -> Option<(Format, u32, u32)> {
    let be16 = |i: usize| Some(u16::from_be_bytes([*data.get(i)?, *data.get(i + 1)?]) as u32);
    if data.starts_with(b"\x89PNG\r\n\x1a\n") && data.get(12..16) == Some(b"IHDR") {
        let be32 = |i: usize| Some(u32::from_be_bytes(data.get(i..i + 4)?.try_into().ok()?));
        return Some((Format::Png, be32(16)?, be32(20)?));
    }
    if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        let le16 = |i: usize| Some(u16::from_le_bytes([*data.get(i)?, *data.get(i + 1)?]) as u32);
        return Some((Format::Gif, le16(6)?, le16(8)?));
    }
    if data.starts_with(b"\xFF\xD8") {
        // Walk the segments to the first start-of-frame marker, which holds the size.
        let mut i = 2;
        loop {
            while *data.get(i)? != 0xFF {
                i += 1;
            }
            while *data.get(i)? == 0xFF {
                i += 1;
            }
            let marker = *data.get(i)?;
            i += 1;
            match marker {
                0xD8 | 0x01 | 0xD0..=0xD7 => continue,
                0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                    return Some((Format::Jpeg, be16(i + 5)?, be16(i + 3)?));
                }
                0xD9 | 0xDA => return None,
                _ => i += be16(i)? as usize,
            }
        }
    }
    None
}

/// Checks a whole file against `limits`. The value is what the header says, if it could be read.
pub fn check(data: &[u8], limits: &Limits) -> Checked<Option<Image>> {
    let mut out = Findings::new("image");
    let Some((format, width, height)) = read_header(data) else {
        out.add(&FORMAT, "无法识别这个文件：请上传 JPG、PNG 或 GIF 格式的图片（扫描件或照片），不要上传 PDF 或 Word 文件。");
        return Checked::new(None, out.list);
    };
    let image = Image { format, width, height, bytes: data.len() as u64 };
    let (long, short) = (width.max(height), width.min(height));
    let (min_long, min_short) = (limits.min_width.max(limits.min_height), limits.min_width.min(limits.min_height));
    if long < min_long || short < min_short {
        out.add(&TOO_SMALL, format!(
            "图片只有 {width}×{height} 像素，要求不小于 {}×{} 像素：请用更高的分辨率重新扫描，不要把小图放大。",
            limits.min_width, limits.min_height
        ));
    }
    let max_bytes = u64::from(limits.max_kb) * 1024;
    if image.bytes > max_bytes {
        out.add(&TOO_LARGE, format!(
            "文件有 {} KB，要求不大于 {} KB：请把图片另存为 JPG 并降低质量，或把尺寸缩小到 {}×{} 像素左右。",
            image.bytes.div_ceil(1024),
            limits.max_kb,
            limits.min_width,
            limits.min_height
        ));
    }
    Checked::new(Some(image), out.list)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        v.extend(w.to_be_bytes());
        v.extend(h.to_be_bytes());
        v.extend([8, 2, 0, 0, 0]);
        v
    }

    /// SOI, an APP0 segment, then a baseline SOF0 with the size.
    fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16];
        v.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        v.extend([0xFF, 0xC0, 0, 17, 8]);
        v.extend(h.to_be_bytes());
        v.extend(w.to_be_bytes());
        v.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        v
    }

    fn rules(data: &[u8], limits: &Limits) -> Vec<&'static str> {
        check(data, limits).findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn reads_png_jpeg_gif_headers() {
        assert_eq!(read_header(&png(1024, 768)), Some((Format::Png, 1024, 768)));
        assert_eq!(read_header(&jpeg(1240, 1754)), Some((Format::Jpeg, 1240, 1754)));
        assert_eq!(read_header(b"GIF87a\x20\x03\x58\x02"), Some((Format::Gif, 800, 600)));
        assert_eq!(read_header(b"\xFF\xD8\xFF\xE0\x00"), None, "truncated JPEG");
        assert_eq!(read_header(&png(1, 1)[..20]), None, "truncated PNG");
        assert_eq!(read_header(b""), None);
    }

    #[test]
    fn limits_in_either_orientation() {
        let limits = Limits::default();
        let none: Vec<&str> = vec![];
        assert_eq!(rules(&png(800, 600), &limits), none);
        assert_eq!(rules(&jpeg(600, 800), &limits), none);
        assert_eq!(rules(&png(799, 600), &limits), ["image.too_small"]);
        assert_eq!(rules(&png(700, 700), &limits), ["image.too_small"]);
        let mut big = jpeg(1000, 800);
        big.resize(100 * 1024 + 1, 0);
        assert_eq!(rules(&big, &limits), ["image.too_large"]);
        big.truncate(100 * 1024);
        assert_eq!(rules(&big, &limits), none);
        assert_eq!(rules(&png(640, 480), &Limits { min_width: 640, min_height: 480, max_kb: 50 }), none);
    }

    #[test]
    fn other_files_are_refused() {
        let r = check(b"%PDF-1.7\n", &Limits::default());
        assert!(!r.ok);
        assert_eq!(r.value, None);
        assert_eq!(r.findings[0].rule, "image.format");
    }
}
