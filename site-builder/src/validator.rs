//! The form validator in the browser: `build` compiles the `wasm-validator` crate to WebAssembly,
//! generates its JavaScript bindings and puts them at `/assets/validator/`, so a page with field
//! checks (and a provider's own portal) can import `validator.js`. The wizard and the materials
//! checklist use the same crate's rules through a second module, `guide.js`.
//!
//! No `wasm-opt`: binaryen 132 took 0.5% off the gzipped module (rustc's `opt-level = "z"` with LTO
//! leaves little), and Debian's binaryen 108 cannot read what rustc emits.
//!
//! It runs the real toolchain as subprocesses — `cargo rustc` for `wasm32-unknown-unknown` in the
//! workspace's `wasm` profile, then `wasm-bindgen --target web` — in its own target folder
//! (`target/validator`), so it never waits on the workspace's own build lock. A content-only
//! rebuild costs a cargo no-op: the generated files are kept in
//! `target/validator/pkg/<module>-<hash>/`, keyed by the hash of the `.wasm` they came from, and
//! reused while it is the same. The source is the workspace this builder was compiled from, or
//! `$SITE_BUILDER_VALIDATOR`; a provider's root without it still builds, with plain inputs instead
//! of checked ones.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::site::OutputFile;

/// Overrides where the `wasm-validator` crate is.
pub const SOURCE_ENV: &str = "SITE_BUILDER_VALIDATOR";
/// The wasm-bindgen version the crate depends on; the command-line tool must be the same.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Where the files go in the site.
pub const OUTPUT_DIR: &str = "assets/validator";
const TARGET: &str = "wasm32-unknown-unknown";
/// The tiny module that pages with fields load: init, then attach the checks.
const FIELD_CHECKS_JS: &str = include_str!("../../templates/assets/validator/field-checks.js");
/// One browser module built from the crate: the cargo feature that selects its glue, and its name
/// (`<name>.js`, `<name>_bg.wasm`, `<name>.d.ts`).
struct Module {
    feature: &'static str,
    name: &'static str,
}

/// The form checks, loaded by pages with fields; the guide tools, loaded by `/wizard/` and
/// `/materials/`. Apart, so that neither page downloads the other's code (17 KB gzipped).
const MODULES: &[Module] = &[
    Module { feature: "checks-bindings", name: "validator" },
    Module { feature: "guide-bindings", name: "guide" },
];

/// The validator crate to build, if there is one.
#[derive(Debug, Clone)]
pub struct Validator {
    /// The `wasm-validator` folder.
    pub source: PathBuf,
    /// Its own target folder, under the workspace's `target/`.
    pub target_dir: PathBuf,
}

impl Validator {
    /// The source named by `$SITE_BUILDER_VALIDATOR`, else the one beside this builder's crate.
    /// `Err` names the folder looked at, for the warning.
    pub fn locate() -> Result<Validator, PathBuf> {
        let source = match std::env::var_os(SOURCE_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../wasm-validator"),
        };
        if !source.join("Cargo.toml").is_file() {
            return Err(source);
        }
        let source = source.canonicalize().unwrap_or(source);
        let workspace = source
            .ancestors()
            .find(|d| std::fs::read_to_string(d.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]")))
            .unwrap_or(&source)
            .to_path_buf();
        Ok(Validator { target_dir: workspace.join("target/validator"), source })
    }

    /// The warning printed when there is no source.
    pub fn absent_warning(looked_at: &Path) -> String {
        format!(
            "warning: no validator source at {} (set {SOURCE_ENV} to the wasm-validator folder): \
             pages with field checks get plain inputs, checked by nobody",
            looked_at.display()
        )
    }

    /// Compiles (or reuses) both modules and returns the files for `/assets/validator/`.
    pub fn build(&self) -> anyhow::Result<Vec<OutputFile>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        check_wasm_target()?;
        let bindgen = find_tool("wasm-bindgen").filter(|t| version_of(t).is_some_and(|v| v.contains(WASM_BINDGEN_VERSION))).ok_or_else(|| {
            anyhow::anyhow!(
                "wasm-bindgen {WASM_BINDGEN_VERSION} is not installed (the validator's bindings must be made by the same version): \
                 run `cargo install wasm-bindgen-cli --version {WASM_BINDGEN_VERSION}`"
            )
        })?;
        let mut files = Vec::new();
        for module in MODULES {
            let wasm = self.compile(Path::new(&cargo), module)?;
            let pkg = self.target_dir.join("pkg").join(format!("{}-{:016x}", module.name, fnv1a(&wasm)));
            if !pkg.is_dir() {
                self.generate(&bindgen, module, &wasm, &pkg)?;
            }
            for suffix in [".js", "_bg.wasm", ".d.ts"] {
                let name = format!("{}{suffix}", module.name);
                let bytes = std::fs::read(pkg.join(&name))?;
                files.push(OutputFile { path: format!("{OUTPUT_DIR}/{name}"), bytes });
            }
        }
        files.push(OutputFile { path: format!("{OUTPUT_DIR}/field-checks.js"), bytes: FIELD_CHECKS_JS.as_bytes().to_vec() });
        Ok(files)
    }

    /// `cargo rustc` for one module; returns the `.wasm` it wrote. Each module has its own target
    /// folder: a cdylib's file name carries no hash of its features, so in a shared folder each
    /// build would overwrite the other's and recompile every time. `strip = debuginfo` instead of
    /// the profile's full strip: wasm-bindgen reads the target_features section that a full strip
    /// removes; it drops the names itself.
    fn compile(&self, cargo: &Path, module: &Module) -> anyhow::Result<Vec<u8>> {
        let out = Command::new(cargo)
            .args(["rustc", "--quiet", "--lib", "--no-default-features", "--features", module.feature])
            .args(["--profile", "wasm", "--target", TARGET, "--crate-type", "cdylib"])
            .arg("--manifest-path")
            .arg(self.source.join("Cargo.toml"))
            .arg("--target-dir")
            .arg(self.target_dir.join(module.name))
            .env("CARGO_PROFILE_WASM_STRIP", "debuginfo")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_TARGET_DIR")
            .output()
            .map_err(|e| anyhow::anyhow!("cannot run cargo ({}): {e}", cargo.display()))?;
        if !out.status.success() {
            anyhow::bail!("compiling the validator's {} module for {TARGET} failed:\n{}", module.name, String::from_utf8_lossy(&out.stderr).trim_end());
        }
        let wasm = self.target_dir.join(module.name).join(TARGET).join("wasm/wasm_validator.wasm");
        std::fs::read(&wasm).map_err(|e| anyhow::anyhow!("cargo wrote no {}: {e}", wasm.display()))
    }

    /// Runs wasm-bindgen into a fresh folder, then renames it to `pkg`: two builds at once (two
    /// `serve`s, parallel tests) never see a half-written folder. The module's older keys are removed.
    fn generate(&self, bindgen: &Path, module: &Module, wasm: &[u8], pkg: &Path) -> anyhow::Result<()> {
        let tmp = pkg.with_extension(format!("tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        let input = tmp.join("input.wasm");
        std::fs::write(&input, wasm)?;
        run(
            Command::new(bindgen)
                .args(["--target", "web", "--out-name", module.name, "--remove-name-section", "--remove-producers-section", "--out-dir"])
                .arg(&tmp)
                .arg(&input),
            "wasm-bindgen",
        )?;
        std::fs::remove_file(&input)?;
        if std::fs::rename(&tmp, pkg).is_err() {
            // Another build got there first with the same files.
            let _ = std::fs::remove_dir_all(&tmp);
        }
        let parent = pkg.parent().expect("pkg has a parent");
        let prefix = format!("{}-", module.name);
        for old in std::fs::read_dir(parent)?.filter_map(Result::ok) {
            let name = old.file_name().to_string_lossy().into_owned();
            if old.path() != pkg && name.starts_with(&prefix) && !name.contains(".tmp-") {
                let _ = std::fs::remove_dir_all(old.path());
            }
        }
        Ok(())
    }
}

fn run(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().map_err(|e| anyhow::anyhow!("cannot run {what}: {e}"))?;
    if !out.status.success() {
        anyhow::bail!("{what} failed:\n{}", String::from_utf8_lossy(&out.stderr).trim_end());
    }
    Ok(())
}

/// The standard library for wasm32 must be installed (rustup keeps one per target).
fn check_wasm_target() -> anyhow::Result<()> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let libdir = Command::new(rustc).args(["--print", "target-libdir", "--target", TARGET]).output().ok().filter(|o| o.status.success());
    let installed = libdir.is_some_and(|o| Path::new(String::from_utf8_lossy(&o.stdout).trim()).is_dir());
    if !installed {
        anyhow::bail!("the Rust target {TARGET} is not installed: run `rustup target add {TARGET}`");
    }
    Ok(())
}

/// A tool on PATH, or in cargo's bin folder (where `cargo install` puts it even when PATH lacks it).
fn find_tool(name: &str) -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|d| d.join("bin"));
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .chain(cargo_bin)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn version_of(tool: &Path) -> Option<String> {
    let out = Command::new(tool).arg("--version").output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// FNV-1a, 64 bits: a stable fingerprint of the compiled module, to key the generated files.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_beside_the_builder_is_found_and_an_override_can_hide_it() {
        let v = Validator::locate().expect("this workspace has wasm-validator");
        assert!(v.source.ends_with("wasm-validator"));
        assert!(v.target_dir.ends_with("target/validator"));
        assert!(Validator::absent_warning(Path::new("/nowhere")).contains(SOURCE_ENV));
    }

    #[test]
    fn fingerprint_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(fnv1a(b"ab"), fnv1a(b"ba"));
    }
}
