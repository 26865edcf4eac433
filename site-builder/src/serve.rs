//! `serve`: builds, serves the output on 127.0.0.1 only, rebuilds when a source changes and tells open
//! pages to reload. A failed rebuild prints its errors and keeps serving the last good output.
//! Request paths are decoded and refused if they could leave the output folder (`..`, encoded or not,
//! backslashes, NUL, symlinks out).

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::pipeline;

/// The Content-Security-Policy every page carries (also as a `<meta>` in the templates).
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// It tried to leave the output folder.
    Outside,
    /// No such file.
    NotFound,
}

/// Maps a request path (`/faq/x/?q=1`) to a file under `root`, refusing anything outside it.
pub fn resolve(root: &Path, request_path: &str) -> Result<PathBuf, Refused> {
    let path = request_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().map_err(|_| Refused::Outside)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return Err(Refused::Outside);
    }
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return Err(Refused::Outside),
        }
    }
    if decoded.split('/').any(|s| s == "..") {
        return Err(Refused::Outside);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let real = file.canonicalize().map_err(|_| Refused::NotFound)?;
    let real_root = root.canonicalize().map_err(|_| Refused::NotFound)?;
    if !real.starts_with(&real_root) {
        return Err(Refused::Outside);
    }
    Ok(real)
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Builds, then serves `output` on `127.0.0.1:port` until interrupted, rebuilding on change.
pub fn serve(root: &Path, output: &Path, port: u16, live_reload: bool) -> anyhow::Result<()> {
    let version = Arc::new(AtomicU64::new(0));
    rebuild(root, output, &version, live_reload);
    let server = tiny_http::Server::http(("127.0.0.1", port)).map_err(|e| anyhow::anyhow!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = server.server_addr().to_ip().map(|a| a.to_string()).unwrap_or_default();
    println!("serving http://{addr}/ (Ctrl-C to stop); watching {} for changes", root.display());

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    for dir in ["content", "templates"] {
        let d = root.join(dir);
        if d.is_dir() {
            watcher.watch(&d, RecursiveMode::Recursive)?;
        }
    }
    if root.join("site.toml").is_file() {
        watcher.watch(&root.join("site.toml"), RecursiveMode::NonRecursive)?;
    }
    {
        let (root, output, version) = (root.to_path_buf(), output.to_path_buf(), Arc::clone(&version));
        std::thread::spawn(move || {
            while let Ok(event) = rx.recv() {
                if !is_change(&event) {
                    continue;
                }
                // Let a burst of saves settle, then rebuild once.
                while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
                rebuild(&root, &output, &version, live_reload);
            }
        });
    }

    let output = output.to_path_buf();
    for request in server.incoming_requests() {
        let (output, version) = (output.clone(), Arc::clone(&version));
        std::thread::spawn(move || respond(request, &output, &version));
    }
    drop(watcher);
    Ok(())
}

/// Only writes, creations, removals and renames rebuild: a rebuild reads every source, and counting
/// those reads (inotify reports opens) as changes would rebuild for ever.
fn is_change(event: &notify::Result<notify::Event>) -> bool {
    use notify::EventKind;
    matches!(event, Ok(e) if matches!(e.kind, EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_)))
}

fn rebuild(root: &Path, output: &Path, version: &AtomicU64, live_reload: bool) {
    match pipeline::build(root, output, live_reload) {
        Ok(report) => {
            version.fetch_add(1, Ordering::SeqCst);
            println!("built: {report}");
        }
        Err(e) => eprintln!("{e}\nbuild failed: the site keeps serving the last good build"),
    }
}

fn respond(request: tiny_http::Request, output: &Path, version: &AtomicU64) {
    let url = request.url().to_string();
    if url.split('?').next() == Some("/__livereload") {
        let r = tiny_http::Response::from_string(version.load(Ordering::SeqCst).to_string())
            .with_header(header("Content-Type", "text/plain"))
            .with_header(header("Cache-Control", "no-store"));
        let _ = request.respond(r);
        return;
    }
    let (status, file) = match resolve(output, &url) {
        Ok(f) => (200, Some(f)),
        Err(Refused::Outside) => (403, None),
        Err(Refused::NotFound) => (404, output.join("404.html").is_file().then(|| output.join("404.html"))),
    };
    let gzip_ok = request
        .headers()
        .iter()
        .any(|h| h.field.equiv("Accept-Encoding") && h.value.as_str().contains("gzip"));
    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, bytes)) => {
            let kind = content_type(&f);
            let compress = gzip_ok && bytes.len() > 1024 && (kind.starts_with("text/") || kind.starts_with("application/"));
            match compress.then(|| gzip(&bytes)).flatten() {
                Some(packed) => tiny_http::Response::from_data(packed).with_header(header("Content-Encoding", "gzip")),
                None => tiny_http::Response::from_data(bytes),
            }
            .with_header(header("Content-Type", kind))
            .with_header(header("Vary", "Accept-Encoding"))
        }
        None => tiny_http::Response::from_string(if status == 403 { "forbidden" } else { "not found" })
            .with_header(header("Content-Type", "text/plain; charset=utf-8")),
    };
    let response = response
        .with_status_code(status)
        .with_header(header("Content-Security-Policy", CSP))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-cache"));
    let _ = request.respond(response);
}

/// Text compresses to a quarter or less: a phone on a slow network gets the page sooner.
fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_and_refuses_escapes() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(root.join("faq")).unwrap();
        std::fs::write(root.join("faq/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        assert!(resolve(&root, "/faq/").unwrap().ends_with("faq/index.html"));
        assert!(resolve(&root, "/faq/?q=1").is_ok());
        for bad in ["/../secret.txt", "/%2e%2e/secret.txt", "/faq/%2E%2E/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%5c..%5csecret.txt", "/a%00b"] {
            assert_eq!(resolve(&root, bad), Err(Refused::Outside), "{bad}");
        }
        assert_eq!(resolve(&root, "/nope/"), Err(Refused::NotFound));
    }

    #[test]
    fn reading_a_source_does_not_count_as_a_change_regression() {
        use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
        use notify::{Event, EventKind};
        assert!(!is_change(&Ok(Event::new(EventKind::Access(AccessKind::Open(AccessMode::Any))))));
        assert!(!is_change(&Ok(Event::new(EventKind::Access(AccessKind::Close(AccessMode::Read))))));
        assert!(is_change(&Ok(Event::new(EventKind::Modify(ModifyKind::Any)))));
        assert!(is_change(&Ok(Event::new(EventKind::Create(CreateKind::File)))));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_output_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("public");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Err(Refused::Outside));
    }
}
