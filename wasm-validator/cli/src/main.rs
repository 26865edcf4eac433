//! `beian-check`: the filing form's rules on the command line, for support staff.
//!
//! ```text
//! beian-check [--json] KIND VALUE
//! beian-check id 44011320141005001x
//! beian-check filing --expect website "京ICP备10206937号"
//! beian-check homepage --domains example.com,example.net www.example.com
//! beian-check name --subject personal --owner 张三 张三读书笔记   # ✗ name.personal_name
//! beian-check form --ip-ranges 192.0.2.0/24 form.json
//! cut -f3 filings.tsv | beian-check --json id -     # one value per line, one JSON result per line
//! ```
//!
//! Exit status: 0 when every value is ok, 1 when any is not, 2 for a usage error. Input that is not
//! UTF-8 (arguments or standard input) is read with replacement characters, so it fails the check
//! instead of stopping the program.
//!
//! The text output never carries a typed control character, terminal escape sequence, invisible
//! character or bidirectional override raw: they are shown escaped, `\u{1b}` (issue 9.8). A form
//! file may start with a byte-order mark (UTF-8, or UTF-16 as Windows editors and PowerShell write
//! it); a form file larger than [`MAX_FORM_BYTES`] is refused with `form.too_large`, and the library
//! refuses a form of more than [`form::MAX_WEBSITES`] websites.

use clap::{Parser, ValueEnum};
use std::borrow::Cow;
use std::ffi::OsString;
use std::io::{self, BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use beian_rules::date::Date;
use beian_rules::filing_number::Expect;
use beian_rules::form::{self, Form, FormOptions, SubjectKind};
use beian_rules::website_name::{self, WebsiteNameWords};
use beian_rules::normalise::is_invisible;
use beian_rules::{domain, filing_number, homepage, id_number, uscc, Checked, Finding, Rule, Severity};

/// A form file that is not a form.
const FORM_JSON: Rule = Rule::miit("form.json", 5001, Severity::Error, "/codes/5001/");

/// The largest form file read: 4 MiB, about 13,000 websites of the example form's size, ten times
/// what one check takes ([`form::MAX_WEBSITES`]).
pub const MAX_FORM_BYTES: u64 = 4 << 20;
/// The most a `--words` file may hold: a provider's own word lists, not a dictionary (`--words
/// /dev/zero` grew to 2 GB before).
pub const MAX_WORDS_BYTES: u64 = 1 << 20;
/// The longest line of standard input (`-`) taken as one value: a resident ID or a domain is tens of
/// bytes (a stream without a line end, `/dev/zero`, aborted at 2 GB before).
pub const MAX_LINE_BYTES: u64 = 64 << 10;

#[derive(Parser)]
#[command(name = "beian-check", version, about = "Check ICP filing form values (网站备案表单自查).")]
struct Cli {
    /// Print one JSON object per value: {"ok", "value", "findings"}.
    #[arg(long)]
    json: bool,
    /// What to check.
    #[arg(value_enum)]
    kind: KindArg,
    /// The value, a JSON file for `form`, or `-` to read one per line from standard input.
    value: OsString,
    /// For `filing`: which number the field asks for: `any` (subject, website or licence number),
    /// `subject` (主体备案号, without `-N`) or `website` (网站备案号, with `-N`).
    #[arg(long, default_value = "any", value_parser = serde_words::<Expect>(&["any", "subject", "website"]))]
    expect: Expect,
    /// For `homepage`: the website's domains, comma-separated.
    #[arg(long, value_delimiter = ',')]
    domains: Vec<String>,
    /// For `name`: who files.
    #[arg(long, default_value = "organisation", value_parser = serde_words::<SubjectKind>(&["personal", "organisation", "unit"]))]
    subject: SubjectKind,
    /// For `name` with `--subject personal`: the owner's and principals' names, comma-separated; a
    /// website name containing one is refused.
    #[arg(long, value_delimiter = ',')]
    owner: Vec<String>,
    /// For `name`: the subject is a national-level organisation.
    #[arg(long)]
    national_level: bool,
    /// For `name` and `form`: a word-list file replacing the built-in one.
    #[arg(long)]
    words: Option<PathBuf>,
    /// For `form`: the provider's address ranges (CIDR), comma-separated; none = no range check.
    #[arg(long, value_delimiter = ',')]
    ip_ranges: Vec<String>,
    /// The date to check against, YYYY-MM-DD (default: today, UTC).
    #[arg(long)]
    today: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Id,
    Uscc,
    Filing,
    Domain,
    Homepage,
    Name,
    Form,
}

/// A result with its value printable as text and as JSON.
enum Outcome {
    Field(Checked),
    Form(Box<Checked<Form>>),
}

impl Outcome {
    fn ok(&self) -> bool {
        match self {
            Outcome::Field(c) => c.ok,
            Outcome::Form(c) => c.ok,
        }
    }

    fn findings(&self) -> &[Finding] {
        match self {
            Outcome::Field(c) => &c.findings,
            Outcome::Form(c) => &c.findings,
        }
    }

    fn json(&self) -> String {
        let json = match self {
            Outcome::Field(c) => serde_json::to_string(c),
            Outcome::Form(c) => serde_json::to_string(c),
        };
        json.unwrap_or_else(|e| format!(r#"{{"ok":false,"error":"{e}"}}"#))
    }
}

/// A value of the rules crate's words (`--subject`, `--expect`) read through its serde names, as a
/// form spells them (`unit` is `organisation`), so the rules crate needs no clap.
fn serde_words<T>(words: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(words).map(|word| serde_json::from_value(serde_json::Value::String(word)).expect("each listed word is one of the type's"))
}

/// Everything a check needs besides the value, prepared once.
struct Checker {
    kind: KindArg,
    expect: Expect,
    domains: Vec<String>,
    subject: SubjectKind,
    national_level: bool,
    owners: Vec<String>,
    form_options: FormOptions,
}

impl Checker {
    fn from_cli(cli: &Cli) -> Result<Checker, String> {
        let today = match &cli.today {
            Some(text) => Date::parse(text).ok_or_else(|| format!("--today: expected YYYY-MM-DD, got {text:?}"))?,
            None => Date::today(),
        };
        if matches!(cli.kind, KindArg::Homepage) && cli.domains.is_empty() {
            return Err("homepage needs --domains a.com,b.com".to_owned());
        }
        let mut form_options = FormOptions::new(today).with_ip_ranges(&cli.ip_ranges).map_err(|e| format!("--ip-ranges: {e}"))?;
        if let Some(path) = &cli.words {
            let text = read_bounded(path, MAX_WORDS_BYTES).map_err(|e| format!("--words {}: {e}", path.display()))?;
            form_options = form_options.with_words(WebsiteNameWords::parse(&text).map_err(|e| format!("--words {}: {e}", path.display()))?);
        }
        Ok(Checker {
            kind: cli.kind,
            expect: cli.expect,
            domains: cli.domains.clone(),
            subject: cli.subject,
            national_level: cli.national_level,
            owners: cli.owner.clone(),
            form_options,
        })
    }

    /// Checks one value. `Err` only for a form file that cannot be read (a usage error).
    fn check(&self, value: &str) -> Result<Outcome, String> {
        let today = self.form_options.today;
        Ok(Outcome::Field(match self.kind {
            KindArg::Id => id_number::check(value, today),
            KindArg::Uscc => uscc::check(value),
            KindArg::Filing => filing_number::check(value, self.expect),
            KindArg::Domain => domain::check(value),
            KindArg::Homepage => {
                let domains: Vec<&str> = self.domains.iter().map(String::as_str).collect();
                homepage::check(value, &domains)
            }
            KindArg::Name => {
                let words = self.form_options.words.as_ref().unwrap_or(WebsiteNameWords::builtin());
                let mut checked = website_name::check_field(value, "website_name", self.subject, self.national_level, words);
                if self.subject == SubjectKind::Personal {
                    let owners: Vec<&str> = self.owners.iter().map(String::as_str).collect();
                    checked = Checked::new(checked.value, checked.findings.into_iter().chain(website_name::person_name(value, &owners, "website_name")).collect());
                }
                checked
            }
            KindArg::Form => return self.check_form(value),
        }))
    }

    fn check_form(&self, path: &str) -> Result<Outcome, String> {
        let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
        let mut bytes = Vec::new();
        file.take(MAX_FORM_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("{path}: {e}"))?;
        if bytes.len() as u64 > MAX_FORM_BYTES {
            let message = format!("{path} 超过 {} MB，不像是一份备案表单，没有检查。一次检查最多 {} 个网站，请分成几份再检查。", MAX_FORM_BYTES >> 20, form::MAX_WEBSITES);
            return Ok(Outcome::Field(Checked::new(path.to_owned(), vec![form::TOO_LARGE.finding("", message)])));
        }
        let text = without_bom(bytes);
        match serde_json::from_slice::<Form>(&text) {
            Ok(form) => Ok(Outcome::Form(Box::new(form::check(&form, &self.form_options)))),
            Err(e) => {
                let finding = FORM_JSON.finding("", format!("{path} 不是有效的备案表单 JSON：{e}"));
                Ok(Outcome::Field(Checked::new(path.to_owned(), vec![finding])))
            }
        }
    }
}

/// A file's text as UTF-8, without a byte-order mark: UTF-8's is dropped, UTF-16 (little- or
/// big-endian, as Notepad and PowerShell write) is decoded. Other bytes are left for the JSON
/// parser to judge.
fn without_bom(bytes: Vec<u8>) -> Vec<u8> {
    let utf16 = |rest: &[u8], read: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest.chunks(2).map(|c| read([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16_lossy(&units).into_bytes()
    };
    match bytes.as_slice() {
        [0xEF, 0xBB, 0xBF, rest @ ..] => rest.to_vec(),
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => bytes,
    }
}

/// Text for the terminal: control characters (escape sequences among them), invisible characters,
/// bidirectional controls and line separators are shown as `\u{1b}`, never raw, so a typed value
/// cannot recolour, move or reverse what follows it. With `ours`, the isolates the library puts
/// around quoted values (U+2068 … U+2069, for bidi-aware displays; a typed one never survives
/// `normalise::quote`) are dropped instead.
fn shown(text: &str, ours: bool) -> Cow<'_, str> {
    let bad = |c: char| c.is_control() || is_invisible(c) || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if ours && matches!(c, '\u{2068}' | '\u{2069}') {
            continue;
        }
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn print(out: &mut impl Write, input: &str, outcome: &Outcome, json: bool) -> io::Result<()> {
    if json {
        return writeln!(out, "{}", outcome.json());
    }
    let mark = if outcome.ok() { "✓" } else { "✗" };
    let shown_input = shown(input, false);
    match outcome {
        Outcome::Field(c) if c.value != input => writeln!(out, "{mark} {shown_input} → {}", shown(&c.value, false))?,
        _ => writeln!(out, "{mark} {shown_input}")?,
    }
    for finding in outcome.findings() {
        writeln!(out, "  {}", shown(&finding.to_string(), true))?;
    }
    Ok(())
}

fn run(cli: &Cli) -> Result<bool, String> {
    let checker = Checker::from_cli(cli)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut all_ok = true;
    let mut one = |value: &str| -> Result<(), String> {
        let outcome = checker.check(value)?;
        all_ok &= outcome.ok();
        print(&mut out, value, &outcome, cli.json).map_err(|e| e.to_string())
    };
    if cli.value == "-" {
        let mut input = io::stdin().lock();
        let mut line = Vec::new();
        for n in 0.. {
            line.clear();
            // At most one byte past the bound is read, so a line without an end costs no memory.
            let read = (&mut input).take(MAX_LINE_BYTES + 1).read_until(b'\n', &mut line).map_err(|e| format!("reading standard input: {e}"))?;
            if read == 0 {
                break;
            }
            let ended = line.last() == Some(&b'\n');
            if ended {
                line.pop();
            }
            if line.len() as u64 > MAX_LINE_BYTES {
                return Err(format!("standard input, line {}: longer than {} KB, so not one value to check (give one value a line)", n + 1, MAX_LINE_BYTES >> 10));
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.strip_suffix('\r').unwrap_or(&text);
            // A file saved with a byte-order mark: it belongs to the file, not to the first value.
            one(if n == 0 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text })?;
        }
    } else {
        one(&cli.value.to_string_lossy())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(all_ok)
}

/// The text of the file at `path`, refused when it holds more than `limit` bytes (only one byte
/// past the bound is read).
fn read_bounded(path: &std::path::Path, limit: u64) -> Result<String, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes)).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("more than {} KB: a provider's word lists are far smaller", limit >> 10));
    }
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            // A usage error echoes the caller's arguments (file names, --words, --ip-ranges): shown
            // escaped, so an argument holding terminal escapes cannot drive the terminal.
            eprintln!("beian-check: {}", shown(&message, false));
            ExitCode::from(2)
        }
    }
}
