//! Writes a synthetic site of N Chinese pages (about 4 KB of text each, in 20 sections) for the build
//! benchmark: `synth-site --pages 10000 --out /tmp/bench-site`. Deterministic: the same N gives the
//! same site, so runs compare.

use std::fmt::Write as _;
use std::path::PathBuf;

const WORDS: &[&str] = &[
    "网站", "备案", "主体", "接入商", "管局", "审核", "域名", "服务器", "负责人", "身份证", "营业执照", "核验单",
    "信息安全", "协议书", "授权书", "前置审批", "经营性", "非经营性", "变更", "注销", "新增", "接入", "密码", "提交",
    "材料", "扫描件", "照片", "幕布", "邮寄", "原件", "复印件", "盖章", "签字", "工作日", "短信", "邮箱", "验证码",
    "首页", "地址", "手机", "号码", "省份", "通信管理局", "返回", "修改", "重新", "填写", "上传", "下载", "打印",
];

fn main() {
    let mut pages = 100usize;
    let mut out = PathBuf::from("bench-site");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--pages" => pages = args.next().and_then(|v| v.parse().ok()).expect("--pages N"),
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            _ => {
                eprintln!("usage: synth-site --pages N --out DIR");
                std::process::exit(2);
            }
        }
    }
    // Replaces only a site it wrote itself (marked), never a folder of someone's files.
    let marker = out.join(".synth-site");
    let content = out.join("content");
    let is_empty = std::fs::read_dir(&out).map(|mut d| d.next().is_none()).unwrap_or(true);
    if !is_empty && !marker.is_file() {
        eprintln!("synth-site: {} is not empty and was not written by synth-site: choose a new folder", out.display());
        std::process::exit(2);
    }
    if content.exists() {
        std::fs::remove_dir_all(&content).expect("remove the content synth-site wrote before");
    }
    std::fs::create_dir_all(&out).expect("create the output folder");
    std::fs::write(&marker, "written by synth-site; the next run replaces content/\n").expect("write the marker");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for s in 0..20 {
        let dir = content.join(format!("section-{s:02}"));
        std::fs::create_dir_all(&dir).expect("create section");
        std::fs::write(dir.join("_index.md"), format!("+++\ntitle = \"第 {s} 部分\"\nweight = {s}\n+++\n这一部分的页面。\n")).unwrap();
    }
    std::fs::write(content.join("_index.md"), "+++\ntitle = \"基准站点\"\n+++\n合成的中文页面，用于构建基准。\n").unwrap();
    for i in 0..pages {
        let mut body = format!("+++\ntitle = \"页面 {i}：{}{}\"\nweight = {i}\n+++\n", WORDS[i % WORDS.len()], WORDS[(i / 7) % WORDS.len()]);
        let mut bytes = 0;
        let mut h = 0;
        while bytes < 4000 {
            if bytes % 1000 < 40 {
                let _ = write!(body, "\n## 第 {h} 节 {{#part-{h}}}\n\n");
                h += 1;
            }
            let mut para = String::new();
            for _ in 0..40 {
                para.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
                if next() % 6 == 0 {
                    para.push('，');
                }
            }
            para.push_str("。\n\n");
            bytes += para.len();
            body.push_str(&para);
        }
        let _ = writeln!(body, "[下一页](/section-{:02}/page-{}/)", ((i + 1) % pages) % 20, (i + 1) % pages);
        std::fs::write(content.join(format!("section-{:02}", i % 20)).join(format!("page-{i}.md")), body).unwrap();
    }
    println!("wrote {pages} pages to {}", content.display());
}
