//! The `beian-check` binary: exit codes, text and JSON Lines output, standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn beian_check(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beian-check"))
        .args(["--today", "2026-11-23"])
        .args(args)
        // The example forms are the rules crate's.
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("beian-check runs");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or_default()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(output.stdout.clone()).unwrap().lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

#[test]
fn ok_value_exits_0() {
    let out = beian_check(&["id", "11010519491231002X"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("✓ 11010519491231002X"));
}

#[test]
fn bad_value_exits_1_and_explains() {
    let out = beian_check(&["id", "11010519491231002x"], None);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("→ 11010519491231002X") && text.contains("id.lowercase_x") && text.contains("/codes/1015/"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(beian_check(&["nonsense", "x"], None).status.code(), Some(2));
    assert_eq!(beian_check(&["id"], None).status.code(), Some(2));
    assert_eq!(beian_check(&["homepage", "www.example.com"], None).status.code(), Some(2));
    assert_eq!(beian_check(&["form", "no/such/file.json"], None).status.code(), Some(2));
    assert_eq!(beian_check(&["filing", "--expect", "neither", "x"], None).status.code(), Some(2));
}

#[test]
fn usage_errors_do_not_echo_terminal_escapes() {
    for args in [
        vec!["form", "no/such/\u{1b}[2J\u{1b}]0;title\u{7}.json"],
        vec!["--words", "\u{1b}[2Jwords.txt", "name", "示例网站"],
        vec!["--ip-ranges", "\u{1b}]0;title\u{7}", "id", "11010519491231002X"],
    ] {
        let out = beian_check(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{args:?} echoed raw: {err:?}");
        assert!(err.contains("\\u{1b}"), "the escape is shown escaped: {err}");
    }
}

#[test]
fn json_lines_from_stdin() {
    let input = "11010519491231002X\n610104620927690\r\n\u{ff}\n".as_bytes();
    let out = beian_check(&["--json", "id", "-"], Some(input));
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[1]["value"], "610104196209276908");
    assert_eq!(lines[1]["findings"][0]["rule"], "id.fifteen_digits");
    assert_eq!(lines[1]["findings"][0]["miit_code"], 1015);
    assert_eq!(lines[2]["ok"], false);
}

#[test]
fn invalid_utf8_does_not_panic() {
    let out = beian_check(&["--json", "domain", "-"], Some(b"\xff\xfe\xfd\nexample.com\n"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out).len(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let out = Command::new(env!("CARGO_BIN_EXE_beian-check")).arg("id").arg(std::ffi::OsStr::from_bytes(b"\xff1")).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
    }
}

#[test]
fn every_kind() {
    let cases: [(&[&str], i32); 9] = [
        (&["uscc", "91110000600037341L"], 0),
        (&["filing", "--expect", "subject", "京ICP备10206937号-1"], 1),
        (&["filing", "京 ICP 备 10206937 号-1"], 0),
        (&["domain", "www.example.com"], 1),
        (&["homepage", "--domains", "example.com,example.net", "www.example.net"], 0),
        (&["name", "--subject", "personal", "张三企业网"], 1),
        (&["name", "--subject", "unit", "示例科技官方网站"], 0),
        (&["form", "examples/form-clean.json"], 0),
        (&["form", "--ip-ranges", "203.0.113.0/24", "examples/form-access-ip.json"], 1),
    ];
    for (args, code) in cases {
        assert_eq!(beian_check(args, None).status.code(), Some(code), "{args:?}");
    }
}

#[test]
fn form_json_has_field_paths() {
    let out = beian_check(&["--json", "form", "examples/form-homepage-not-under-domain.json"], None);
    let lines = json_lines(&out);
    assert_eq!(lines[0]["findings"][0]["field"], "websites[0].homepage");
    assert_eq!(lines[0]["findings"][0]["miit_code"], 1041);
    assert_eq!(lines[0]["value"]["subject"]["type"], "personal");
}

#[test]
fn broken_json_file_is_a_finding() {
    let dir = std::env::temp_dir().join(format!("beian-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.json");
    std::fs::write(&path, b"{\"subject\": [").unwrap();
    let out = beian_check(&["--json", "form", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_lines(&out)[0]["findings"][0]["rule"], "form.json");
    std::fs::remove_dir_all(dir).ok();
}

/// A file of its own in the temporary folder, removed when dropped.
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn new(name: &str, bytes: &[u8]) -> TempFile {
        let path = std::env::temp_dir().join(format!("beian-check-{}-{name}", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn terminal_escapes_and_bidi_overrides_in_values_are_shown_escaped() {
    for (value, escaped) in [("\u{1b}[2J\u{1b}[31mexample.com", "\\u{1b}[2J\\u{1b}[31mexample.com"), ("a\u{202e}moc.elpmaxe", "a\\u{202e}moc.elpmaxe"), ("exa\u{9b}31mmple.com", "exa\\u{9b}31mmple.com")] {
        for kind in ["domain", "id", "filing", "name"] {
            let out = beian_check(&[kind, value], None);
            let text = String::from_utf8(out.stdout).unwrap();
            assert!(!text.contains(['\u{1b}', '\u{202e}', '\u{9b}', '\u{2068}', '\u{2069}']), "{kind} {value:?}: {text:?}");
            assert!(text.starts_with(&format!("✗ {escaped}")), "{kind}: {text}");
        }
    }
    // Read from standard input too, and inside the messages that quote the value.
    let out = beian_check(&["filing", "-"], Some("\u{1b}]0;title\u{7}京ICP备\u{1b}[8m\n".as_bytes()));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && text.contains("\\u{1b}]0;title\\u{7}"), "{text}");
}

#[test]
fn form_json_with_a_byte_order_mark_is_read() {
    let clean = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/examples/form-clean.json")).unwrap();
    let utf8 = [b"\xEF\xBB\xBF".as_slice(), clean.as_bytes()].concat();
    let utf16le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(clean.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let utf16be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(clean.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    for (name, bytes) in [("utf8-bom.json", utf8), ("utf16le.json", utf16le), ("utf16be.json", utf16be)] {
        let file = TempFile::new(name, &bytes);
        let out = beian_check(&["form", "--ip-ranges", "192.0.2.0/24", file.path()], None);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn a_form_file_over_the_size_limit_is_refused_with_a_clear_error() {
    let file = TempFile::new("huge.json", &vec![b' '; (4 << 20) + 1]);
    let out = beian_check(&["--json", "form", file.path()], None);
    assert_eq!(out.status.code(), Some(1));
    let result = &json_lines(&out)[0];
    assert_eq!(result["findings"][0]["rule"], "form.too_large");
    assert!(result["findings"][0]["message"].as_str().unwrap().contains("超过 4 MB"), "{result}");
    // Just under the limit it is read (and is not a form: a parse error, not a size error).
    let file = TempFile::new("big.json", &vec![b' '; 4 << 20]);
    assert_eq!(json_lines(&beian_check(&["--json", "form", file.path()], None))[0]["findings"][0]["rule"], "form.json");
}

#[test]
fn a_personal_website_name_with_the_owners_name_is_refused() {
    let out = beian_check(&["name", "--subject", "personal", "--owner", "张三,李四", "李四读书笔记"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("name.personal_name"));
    assert_eq!(beian_check(&["name", "--subject", "personal", "--owner", "张三", "读书笔记分享"], None).status.code(), Some(0));
    let form = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../rules/examples/form-clean.json")).unwrap();
    let file = TempFile::new("owner-name.json", form.replace("读书笔记分享", "张三读书笔记").as_bytes());
    let out = beian_check(&["--json", "form", "--ip-ranges", "192.0.2.0/24", file.path()], None);
    assert_eq!(json_lines(&out)[0]["findings"][0]["rule"], "name.personal_name");
}

/// Red-team 6, F3: `--words` and standard input were read whole, whatever their size: `--words
/// /dev/zero` grew to 2 GB, and `name -` fed from /dev/zero aborted at 2 GB.
#[test]
fn a_words_file_or_an_input_line_past_its_bound_is_refused_without_reading_it_all_regression() {
    let out = Command::new(env!("CARGO_BIN_EXE_beian-check")).args(["--words", "/dev/zero", "name", "示例网站"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--words /dev/zero: more than 1024 KB"), "{out:?}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_beian-check"))
        .args(["name", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    // Ten times the bound, with no line end; the check stops reading at the bound (so the rest of
    // the write may find the pipe closed).
    let _ = pipe.write_all(&b"a".repeat(640 << 10));
    drop(pipe);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input, line 1: longer than 64 KB"), "{out:?}");
}
