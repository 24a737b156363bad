//! `hybridc build` on the real binary: a failing build leaves OUT
//! untouched, a build that changes nothing writes nothing (same inodes),
//! unmanaged files are kept and never overwritten, removed workloads lose
//! their files, an OUT that is a file is refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn hybridc(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_hybridc")).args(args).output();
    match out {
        Ok(o) => (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).to_string()),
        Err(e) => panic!("{e}"),
    }
}

/// Every file below `dir` with its bytes and inode.
fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut v: Vec<(String, Vec<u8>, u64)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string();
            (rel, fs::read(e.path()).unwrap(), e.metadata().unwrap().ino())
        })
        .collect();
    v.sort();
    v
}

fn shop() -> String {
    root().join("examples/shop").to_string_lossy().to_string()
}

/// The shop example built into `out` in a fresh folder: the folder (kept
/// alive by the caller), OUT, and OUT as an argument.
fn shop_built() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out_s = out.to_string_lossy().to_string();
    assert_eq!(hybridc(&["build", &shop(), "--out", &out_s]).0, 0);
    (tmp, out, out_s)
}

#[test]
fn a_failing_build_leaves_out_untouched() {
    let (tmp, out, out_s) = shop_built();
    let before = snapshot_dir(&out);
    let broken = tmp.path().join("broken.hybrid");
    fs::write(&broken, "topology shop { owner x }\nsite a region=r kind=moon\n").unwrap();
    let (code, err) = hybridc(&["build", &broken.to_string_lossy(), "--out", &out_s]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(snapshot_dir(&out), before);
    // No temporary folder is left beside OUT.
    let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "{leftovers:?}");
}

#[test]
fn a_build_that_changes_nothing_writes_nothing() {
    let (_tmp, out, out_s) = shop_built();
    let before = snapshot_dir(&out);
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s]);
    assert_eq!(code, 0);
    assert!(err.contains("no change"), "{err}");
    // Same bytes and same inodes: nothing was rewritten.
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn unmanaged_files_are_kept_and_never_overwritten() {
    let (tmp, out, out_s) = shop_built();
    fs::write(out.join("NOTES.md"), "ours\n").unwrap();
    fs::write(out.join("dc-a/extra.yaml"), "kind: Mine\n").unwrap();
    // A change to the program: one service fewer.
    let prog = tmp.path().join("prog");
    fs::create_dir(&prog).unwrap();
    fs::copy(root().join("examples/shop/sites.hybrid"), prog.join("sites.hybrid")).unwrap();
    let services = fs::read_to_string(root().join("examples/shop/services.hybrid")).unwrap();
    let start = services.find("service catalog").unwrap();
    let end = start + services[start..].find("\n}\n").unwrap() + 3;
    fs::write(prog.join("services.hybrid"), format!("{}{}", &services[..start], &services[end..])).unwrap();
    let (code, err) = hybridc(&["build", &prog.to_string_lossy(), "--out", &out_s]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("- Deployment shop/catalog  (dc-a/shop-a/kubernetes/shop/catalog.yaml)"), "{err}");
    assert!(!out.join("dc-a/shop-a/kubernetes/shop/catalog.yaml").exists());
    assert_eq!(fs::read_to_string(out.join("NOTES.md")).unwrap(), "ours\n");
    assert_eq!(fs::read_to_string(out.join("dc-a/extra.yaml")).unwrap(), "kind: Mine\n");
    // An unmanaged file where a generated one goes: refused, nothing written.
    fs::write(out.join("dc-a/shop-a/kubernetes/shop/catalog.yaml"), "hand-written\n").unwrap();
    let before = snapshot_dir(&out);
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s]);
    assert_eq!(code, 2);
    assert!(err.contains("not generate") && err.contains("catalog.yaml"), "{err}");
    assert_eq!(snapshot_dir(&out), before);
}

#[test]
fn out_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::write(&out, "x").unwrap();
    let (code, err) = hybridc(&["build", &shop(), "--out", &out.to_string_lossy()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a folder"), "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "x");
}

#[test]
fn check_and_diff_of_an_unchanged_input_agree_with_a_full_comparison() {
    let (_tmp, out, out_s) = shop_built();
    // The manifest is not counted.
    let files = snapshot_dir(&out).len() - 1;
    // Up to date by the manifest's input and hashes: the same verdict and
    // count as comparing every file, and a foreign file is still named.
    fs::write(out.join("NOTES.md"), "ours\n").unwrap();
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s, "--check"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("is up to date ({files} files)")), "{err}");
    assert!(err.contains("? NOTES.md: not generated by hybridc"), "{err}");
    assert_eq!(hybridc(&["diff", &shop(), "--out", &out_s]).0, 0);
    // A hand edit is found, by the file's hash, without a second input.
    let edited = snapshot_dir(&out).iter().find(|(p, _, _)| p.ends_with(".yaml")).map(|(p, _, _)| out.join(p)).unwrap();
    fs::write(&edited, b"edited: by hand\n").unwrap();
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s, "--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("is not what"), "{err}");
    assert_eq!(hybridc(&["diff", &shop(), "--out", &out_s]).0, 1);
}

#[test]
fn an_unchanged_input_skips_rendering_but_restores_hand_edits() {
    let (_tmp, out, out_s) = shop_built();
    let manifest = fs::read_to_string(out.join("hybrid-manifest.json")).unwrap();
    assert!(manifest.contains("\"input\": \""), "{manifest}");
    let before = snapshot_dir(&out);
    // The same input: nothing is read but OUT's files, nothing is written.
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("no change"), "{err}");
    assert_eq!(snapshot_dir(&out), before);
    // A hand-edited file breaks the shortcut: the full build puts it back.
    let edited = before.iter().find(|(p, _, _)| p.ends_with(".yaml")).map(|(p, _, _)| out.join(p)).unwrap();
    let original = fs::read(&edited).unwrap();
    fs::write(&edited, b"edited: by hand\n").unwrap();
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 changed"), "{err}");
    assert_eq!(fs::read(&edited).unwrap(), original);
    // Another target selection is another input: the shortcut does not apply.
    let (code, err) = hybridc(&["build", &shop(), "--out", &out_s, "--target", "kubernetes"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("no change"), "{err}");
}
