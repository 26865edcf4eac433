//! The `beian-check` binary: exit codes, text and JSON Lines output, standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn beian_check(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_beian-check"))
        .args(["--today", "2026-11-23"])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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
