//! Rebuild when the embedded default theme or the `init` skeleton changes (include_dir
//! does not track new files).
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=skeleton");
}
