//! Finds `{{ name(arg="value", n=3) }}` calls in Markdown and replaces each with the output of the
//! template `shortcodes/NAME.html`. The output is folded onto one line so the body keeps its line
//! numbers (errors and link checks point at the author's lines), and a block shortcode that stands on
//! its own line stays one HTML block. Calls inside fenced code blocks and code spans are left alone.

use serde_json::{Map, Value};

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
    let mut calls = Vec::new();
    let mut in_fence: Option<&str> = None;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let fence = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f));
        match (in_fence, fence) {
            (None, Some(f)) => in_fence = Some(f),
            (Some(open), Some(f)) if open == f => in_fence = None,
            (None, None) => scan_line(line, line_start, &mut calls)?,
            _ => {}
        }
        line_start += line.len();
    }
    Ok(calls)
}

fn scan_line(line: &str, base: usize, calls: &mut Vec<Call>) -> Result<(), SyntaxError> {
    let mut i = 0;
    let mut in_code_span = false;
    let bytes = line.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'`' {
            in_code_span = !in_code_span;
            i += 1;
        } else if !in_code_span && bytes[i..].starts_with(b"{{") {
            let (call, len) = parse_call(&line[i..]).map_err(|message| SyntaxError { offset: base + i, message })?;
            calls.push(Call { start: base + i, end: base + i + len, ..call });
            i += len;
        } else {
            i += 1;
        }
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

/// Replaces each call with `render(call)`, folded onto one line. Errors carry the call's offset.
pub fn expand(
    body: &str,
    calls: &[Call],
    mut render: impl FnMut(&Call) -> Result<String, String>,
) -> Result<String, Vec<SyntaxError>> {
    let mut out = String::with_capacity(body.len());
    let mut errors = Vec::new();
    let mut last = 0;
    for call in calls {
        out.push_str(&body[last..call.start]);
        match render(call) {
            Ok(html) => out.push_str(&fold_lines(&html)),
            Err(message) => errors.push(SyntaxError { offset: call.start, message }),
        }
        last = call.end;
    }
    out.push_str(&body[last..]);
    if errors.is_empty() {
        Ok(out)
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
        assert_eq!(out, "a\n<div> <p>x</p> </div>\nb\n");
    }
}
