//! Finds `{{ name(arg="value", n=3) }}` calls in Markdown and replaces each with the output of the
//! template `shortcodes/NAME.html`. The output is folded onto one line so the body keeps its line
//! numbers (errors and link checks point at the author's lines), and a block shortcode that stands on
//! its own line stays one HTML block.
//!
//! Code is left alone: where code is, pulldown-cmark says (fenced blocks of any fence length,
//! indented blocks, code spans of any number of backticks), so `{{` inside code is never read as a
//! call and a call after an unusual fence is still expanded.

use pulldown_cmark::{Event, Parser, Tag};
use serde_json::{Map, Value};
use std::ops::Range;

/// One call found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Map<String, Value>,
    /// Byte range of the whole `{{ … }}` in the body.
    pub start: usize,
    pub end: usize,
}

/// A call written in a way that cannot be parsed, with its byte offset.
#[derive(Debug, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Every shortcode call in `body`, in order.
pub fn find_calls(body: &str) -> Result<Vec<Call>, SyntaxError> {
    if !body.contains("{{") {
        return Ok(Vec::new());
    }
    let code = code_ranges(body);
    let mut calls = Vec::new();
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        scan_line(line, line_start, &code, &mut calls)?;
        line_start += line.len();
    }
    Ok(calls)
}

/// Byte ranges of code blocks and code spans, in order, as pulldown-cmark reads them.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        if matches!(event, Event::Start(Tag::CodeBlock(_)) | Event::Code(_)) {
            // A code block's start event spans the whole block, fences included.
            if ranges.last().is_none_or(|last| range.start >= last.end) {
                ranges.push(range);
            }
        }
    }
    ranges
}

fn scan_line(line: &str, base: usize, code: &[Range<usize>], calls: &mut Vec<Call>) -> Result<(), SyntaxError> {
    let mut i = 0;
    while let Some(found) = line[i..].find("{{") {
        let at = i + found;
        let offset = base + at;
        let in_code = code.get(code.partition_point(|r| r.end <= offset)).is_some_and(|r| r.start <= offset);
        if in_code {
            i = at + 2;
            continue;
        }
        let (call, len) = parse_call(&line[at..]).map_err(|message| SyntaxError { offset, message })?;
        calls.push(Call { start: offset, end: offset + len, ..call });
        i = at + len;
    }
    Ok(())
}

/// Parses `{{ name(args) }}` at the start of `s`; returns the call and its length.
fn parse_call(s: &str) -> Result<(Call, usize), String> {
    let close = s.find("}}").ok_or("shortcode `{{` is never closed with `}}`")?;
    let inner = s[2..close].trim();
    let open = inner.find('(').ok_or_else(|| format!("`{{{{ {inner} }}}}` is not a shortcode call: write `{{{{ name(arg=\"value\") }}}}`"))?;
    let name = inner[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{name}` is not a valid shortcode name"));
    }
    let args_text = inner[open + 1..].strip_suffix(')').ok_or_else(|| format!("shortcode `{name}`: missing `)`"))?;
    let args = parse_args(args_text).map_err(|e| format!("shortcode `{name}`: {e}"))?;
    Ok((Call { name: name.to_string(), args, start: 0, end: 0 }, close + 2))
}

fn parse_args(mut s: &str) -> Result<Map<String, Value>, String> {
    let mut args = Map::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(args);
        }
        let eq = s.find('=').ok_or_else(|| format!("argument `{s}` needs a value: `name=\"value\"`"))?;
        let key = s[..eq].trim();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{key}` is not a valid argument name"));
        }
        s = s[eq + 1..].trim_start();
        let (value, rest) = parse_value(s)?;
        args.insert(key.to_string(), value);
        s = rest.trim_start();
        s = match s.strip_prefix(',') {
            Some(r) => r,
            None if s.is_empty() => s,
            None => return Err(format!("expected `,` between arguments, found `{s}`")),
        };
    }
}

fn parse_value(s: &str) -> Result<(Value, &str), String> {
    if let Some(rest) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((Value::String(out), &rest[i + 1..])),
                '\\' => match chars.next() {
                    Some((_, e)) => out.push(e),
                    None => break,
                },
                c => out.push(c),
            }
        }
        return Err("string argument is never closed with `\"`".into());
    }
    let end = s.find(|c: char| c == ',' || c.is_whitespace()).unwrap_or(s.len());
    let word = &s[..end];
    let value = match word {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => word
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| word.parse::<f64>().map(Value::from))
            .map_err(|_| format!("`{word}` is not a value: quote strings, e.g. \"{word}\""))?,
    };
    Ok((value, &s[end..]))
}

/// A body with its shortcodes expanded, and the byte ranges their output took in it.
#[derive(Debug, PartialEq)]
pub struct Expanded {
    pub text: String,
    pub generated: Vec<Range<usize>>,
}

/// The most a page's body may hold once its shortcodes are written out: a shortcode's output is
/// written again for every use, so a long fact used thousands of times made gigabytes of one page.
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;

/// What all pages together may hold once their shortcodes are written out: the per-page limit
/// alone let 100 small pages that each use a long fact thousands of times take gigabytes. The
/// budget is [`SITE_EXPANSION_FLOOR`] plus [`SITE_EXPANSION_FACTOR`] times the pages' sources.
#[derive(Debug)]
pub struct ExpansionBudget {
    limit: usize,
    used: std::sync::atomic::AtomicUsize,
}

pub const SITE_EXPANSION_FLOOR: usize = 64 * 1024 * 1024;
pub const SITE_EXPANSION_FACTOR: usize = 16;

impl ExpansionBudget {
    /// The budget of a site whose pages' sources hold `source_bytes`.
    pub fn for_sources(source_bytes: usize) -> Self {
        ExpansionBudget { limit: SITE_EXPANSION_FLOOR + SITE_EXPANSION_FACTOR * source_bytes, used: 0.into() }
    }

    /// Takes a page's written-out body from the budget: the error when the site passes it.
    pub fn take(&self, bytes: usize) -> Result<(), String> {
        let used = self.used.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed) + bytes;
        if used > self.limit {
            return Err(format!(
                "with their shortcodes written out, the site's pages pass {} MB ({SITE_EXPANSION_FACTOR} times their sources, plus {} MB) at this page: a shortcode's words are written again at every use, so use long facts less often",
                self.limit >> 20,
                SITE_EXPANSION_FLOOR >> 20
            ));
        }
        Ok(())
    }
}

/// Replaces each call with `render(call)`, folded onto one line. Errors carry the call's offset; a
/// body that would pass [`MAX_EXPANDED_BYTES`] stops at the call that passes it.
pub fn expand(
    body: &str,
    calls: &[Call],
    mut render: impl FnMut(&Call) -> Result<String, String>,
) -> Result<Expanded, Vec<SyntaxError>> {
    let mut out = String::with_capacity(body.len());
    let mut generated = Vec::with_capacity(calls.len());
    let mut errors = Vec::new();
    let mut last = 0;
    for call in calls {
        out.push_str(&body[last..call.start]);
        match render(call) {
            Ok(html) => {
                let html = fold_lines(&html);
                if out.len() + html.len() + (body.len() - call.end) > MAX_EXPANDED_BYTES {
                    errors.push(SyntaxError {
                        offset: call.start,
                        message: format!(
                            "with its shortcodes written out, the page passes {} MB here: a shortcode's words are written again at every use, so split the page or use the shortcode less often",
                            MAX_EXPANDED_BYTES / (1024 * 1024)
                        ),
                    });
                    return Err(errors);
                }
                let start = out.len();
                out.push_str(&html);
                generated.push(start..out.len());
            }
            Err(message) => errors.push(SyntaxError { offset: call.start, message }),
        }
        last = call.end;
    }
    out.push_str(&body[last..]);
    if errors.is_empty() {
        Ok(Expanded { text: out, generated })
    } else {
        Err(errors)
    }
}

fn fold_lines(html: &str) -> String {
    html.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The attack review's 900 KB fact used 3,000 times in a 69 KB page asked for 2.7 GB.
    #[test]
    fn a_shortcode_written_out_past_the_page_limit_is_an_error_at_its_call_regression() {
        let body = "{{ fact(key=\"big\") }}\n".repeat(3000);
        let calls = find_calls(&body).unwrap();
        let big = "备".repeat(300_000);
        let errors = expand(&body, &calls, |_| Ok(big.clone())).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].offset > 0 && errors[0].message.contains("16 MB"), "{:?}", errors[0]);
        let few = "{{ fact(key=\"big\") }}\n".repeat(5);
        assert!(expand(&few, &find_calls(&few).unwrap(), |_| Ok(big.clone())).is_ok(), "a few uses are fine");
    }

    #[test]
    fn finds_calls_with_typed_args() {
        let calls = find_calls("联系 {{ provider(key=\"email\") }} 或 {{ x(n=3, ok=true) }}").unwrap();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "provider");
        assert_eq!(calls[0].args["key"], "email");
        assert_eq!(calls[1].args["n"], 3);
        assert_eq!(calls[1].args["ok"], true);
    }

    #[test]
    fn ignores_code_blocks_and_spans() {
        let body = "```\n{{ a() }}\n```\n`{{ b() }}` {{ c() }}";
        let calls = find_calls(body).unwrap();
        assert_eq!(calls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["c"]);
    }

    #[test]
    fn multibyte_text_before_a_call_regression() {
        let calls = find_calls("请联系我们：{{ provider(key=\"phone\") }}。").unwrap();
        assert_eq!(calls[0].args["key"], "phone");
    }

    #[test]
    fn unclosed_string_is_an_error() {
        assert!(find_calls("{{ provider(key=\"email) }}").is_err());
    }

    #[test]
    fn expansion_keeps_line_count() {
        let body = "a\n{{ t() }}\nb\n";
        let calls = find_calls(body).unwrap();
        let out = expand(body, &calls, |_| Ok("<div>\n  <p>x</p>\n</div>\n".into())).unwrap();
        assert_eq!(out.text, "a\n<div> <p>x</p> </div>\nb\n");
        assert_eq!(out.generated, [2..23]);
    }

    #[test]
    fn a_call_after_a_four_backtick_fence_is_expanded_regression() {
        let body = "````\n```\n{{ in_code() }}\n```\n````\n\n{{ after() }}\n";
        let names: Vec<_> = find_calls(body).unwrap().into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["after"]);
    }

    #[test]
    fn braces_in_any_code_are_left_alone_regression() {
        for body in [
            "    indented {{ code\n",
            "~~~~\n{{ not closed\n~~~~\n",
            "``double {{ ` span``\n",
            "```\n{{ a }}\n```\n",
        ] {
            assert_eq!(find_calls(body), Ok(vec![]), "{body}");
        }
    }
}
