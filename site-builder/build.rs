//! Rebuilds the builder when a file is added to or removed from `templates/` (embedded with
//! include_dir, which cargo tracks file by file only for the files it saw).
fn main() {
    println!("cargo:rerun-if-changed=../templates");
}
