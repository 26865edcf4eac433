//! The browser modules, embedded: the form checks (`validator.js` and its wasm, loaded by pages with
//! fields and by `/check/`) and the guide tools (`guide.js`, for `/wizard/` and `/materials/`). They
//! are built from the binding crates in `wasm-validator/` by `scripts/build-browser-modules.sh` and committed in
//! `site-builder/browser-modules/`, so a site build needs only this binary: no cargo, no wasm target,
//! no wasm-bindgen, and a binary copied to another machine builds the same site with its checks.
//! The test command rebuilds them and fails if the committed files are stale.
//!
//! Everything a provider edits (IP ranges, upload limits) reaches the modules at run time from the
//! page, so one build of the modules serves every provider.

use crate::output::OutputFile;

/// Where the files go in the site.
pub const OUTPUT_DIR: &str = "assets/validator";

/// The tiny module that pages with fields load: init, then attach the checks.
const FIELD_CHECKS_JS: &[u8] = include_bytes!("../../templates/assets/validator/field-checks.js");

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../browser-modules/", $name)))),*]
    };
}

/// The generated files, by name.
const MODULE_FILES: &[(&str, &[u8])] = embedded![
    "validator.js",
    "validator_bg.wasm",
    "validator.d.ts",
    // The tables the validator fetches after it starts (loadTables), not compiled into its wasm.
    "regions.txt",
    "public-suffixes.txt",
    "guide.js",
    "guide_bg.wasm",
    "guide.d.ts",
];

/// The SHA-256 of the sources the committed modules were built from (see
/// `scripts/browser-modules-source-hash.sh`).
pub const SOURCE_HASH: &str = include_str!("../browser-modules/SOURCE-HASH");

/// The files for `/assets/validator/`.
pub fn files() -> Vec<OutputFile> {
    MODULE_FILES
        .iter()
        .map(|(name, bytes)| (*name, *bytes))
        .chain(std::iter::once(("field-checks.js", FIELD_CHECKS_JS)))
        .map(|(name, bytes)| OutputFile { path: format!("{OUTPUT_DIR}/{name}"), bytes: bytes.to_vec() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};
    use std::path::{Path, PathBuf};

    fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                files_below(&entry.path(), out);
            } else {
                out.push(entry.path());
            }
        }
    }

    /// The same hash as `scripts/browser-modules-source-hash.sh`.
    fn source_hash(workspace: &Path) -> String {
        let mut files = vec![workspace.join("Cargo.toml")];
        for krate in ["rules", "guide", "browser-glue", "browser-checks", "browser-guide"] {
            files.push(workspace.join("wasm-validator").join(krate).join("Cargo.toml"));
            files_below(&workspace.join("wasm-validator").join(krate).join("src"), &mut files);
        }
        files_below(&workspace.join("wasm-validator/rules/data"), &mut files);
        let mut named: Vec<(String, PathBuf)> =
            files.into_iter().map(|f| (f.strip_prefix(workspace).unwrap().to_string_lossy().into_owned(), f)).collect();
        named.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut hasher = Sha256::new();
        for (name, file) in named {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(std::fs::read(file).unwrap());
            hasher.update([0]);
        }
        hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn the_embedded_modules_were_built_from_the_current_rules() {
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(
            source_hash(workspace),
            SOURCE_HASH.trim(),
            "wasm-validator changed since the browser modules were built: run `bash scripts/build-browser-modules.sh` and commit site-builder/browser-modules/"
        );
    }

    #[test]
    fn every_module_file_is_in_the_site() {
        let names: Vec<String> = files().into_iter().map(|f| f.path).collect();
        for name in ["validator.js", "validator_bg.wasm", "regions.txt", "public-suffixes.txt", "guide.js", "guide_bg.wasm", "field-checks.js"] {
            assert!(names.contains(&format!("{OUTPUT_DIR}/{name}")), "{name}");
        }
        assert!(files().iter().all(|f| !f.bytes.is_empty()));
    }
}
