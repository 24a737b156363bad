//! What a build may and may not do to the filesystem, on the real binary:
//! it never writes, renames or removes through a symbolic link below OUT
//! (a folder link, a file link, a link planted between two builds, a link
//! named like a staging folder); after a build OUT holds exactly the
//! manifest's files, the folders they need and the user's own; a previous
//! tree that cannot be removed is a warning with exit 3; a build that runs
//! out of space leaves OUT as it was; two builds of one OUT take turns.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> String {
    root().join("examples").join(name).to_string_lossy().to_string()
}

/// Exit code, stdout and stderr.
fn hybridc(args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_hybridc")).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

fn build(program: &str, out: &Path) -> (i32, String) {
    let (code, _, err) = hybridc(&["build", program, "--out", &out.to_string_lossy()]);
    (code, err)
}

/// Every entry below `dir` (not following links): files with their bytes,
/// links with their target, folders.
fn tree(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string();
            let what = if e.file_type().is_symlink() {
                format!("link to {}", fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "folder".to_string()
            } else {
                String::from_utf8_lossy(&fs::read(e.path()).unwrap()).to_string()
            };
            (rel, what)
        })
        .collect()
}

/// A folder outside OUT with a file of its own, and a copy of what a link
/// would stand for.
fn elsewhere(tmp: &Path) -> PathBuf {
    let dir = tmp.join("elsewhere");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("precious.txt"), "not generated\n").unwrap();
    dir
}

#[test]
fn a_folder_link_planted_between_two_builds_is_never_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    let other = elsewhere(tmp.path());
    // `dc-a` replaced by a link to a folder elsewhere, holding a copy of
    // one generated file (that a build would otherwise overwrite).
    let kustomization = "shop-a/kubernetes/kustomization.yaml";
    fs::create_dir_all(other.join("shop-a/kubernetes")).unwrap();
    fs::write(other.join(kustomization), "mine\n").unwrap();
    fs::remove_dir_all(out.join("dc-a")).unwrap();
    std::os::unix::fs::symlink(&other, out.join("dc-a")).unwrap();
    let before_out = tree(&out);
    let before_other = tree(&other);
    let (code, err) = build(&example("shop"), &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[HY8004]") && err.contains("dc-a` is a symbolic link"), "{err}");
    assert_eq!(tree(&other), before_other, "written through the link");
    assert_eq!(tree(&out), before_out, "OUT changed");
    // `--check` and `diff` report it and do not read through it.
    let (code, _, err) = hybridc(&["build", &example("shop"), "--out", &out.to_string_lossy(), "--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("! dc-a: a symbolic link") && err.contains("HY8009"), "{err}");
    // The link removed, the build goes through.
    fs::remove_file(out.join("dc-a")).unwrap();
    assert_eq!(build(&example("shop"), &out).0, 0);
    assert_eq!(tree(&other), before_other);
}

#[test]
fn a_file_link_is_never_written_through_nor_carried_as_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    let other = elsewhere(tmp.path());
    let generated = out.join("dc-a/shop-a/kubernetes/kustomization.yaml");
    // Same bytes behind the link as the generated file: it must not count
    // as unchanged (it would be carried into the new OUT as a link).
    fs::copy(&generated, other.join("copy.yaml")).unwrap();
    fs::remove_file(&generated).unwrap();
    std::os::unix::fs::symlink(other.join("copy.yaml"), &generated).unwrap();
    let before_out = tree(&out);
    let before_other = tree(&other);
    let (code, err) = build(&example("shop"), &out);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("HY8004") && err.contains("kustomization.yaml` is a symbolic link"), "{err}");
    assert_eq!(tree(&out), before_out);
    assert_eq!(tree(&other), before_other);
    // A link to a file elsewhere with other bytes: the same.
    fs::write(other.join("copy.yaml"), "mine\n").unwrap();
    let before_other = tree(&other);
    assert_eq!(build(&example("shop"), &out).0, 2);
    assert_eq!(tree(&other), before_other);
}

#[test]
fn links_elsewhere_in_out_are_the_users_and_kept_as_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    let other = elsewhere(tmp.path());
    std::os::unix::fs::symlink(&other, out.join("docs")).unwrap();
    // A link named like a staging folder of a dead build, beside OUT: a
    // real staging folder is removed, a link is not followed.
    std::os::unix::fs::symlink(&other, tmp.path().join(".out.hybridc-new-4000000000")).unwrap();
    let before_other = tree(&other);
    let (code, err) = build(&example("trading"), &out);
    assert_eq!(code, 0, "{err}");
    assert_eq!(fs::read_link(out.join("docs")).unwrap(), other);
    assert_eq!(tree(&other), before_other);
    assert!(tmp.path().join(".out.hybridc-new-4000000000").is_symlink());
}

#[test]
fn out_holds_exactly_the_manifest_files_their_folders_and_the_users() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    fs::create_dir_all(out.join("notes/empty")).unwrap();
    fs::write(out.join("dc-b/mine.txt"), "mine\n").unwrap();
    // Another program into the same OUT: the folders of the first go.
    let (code, err) = build(&example("trading"), &out);
    assert_eq!(code, 0, "{err}");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("hybrid-manifest.json")).unwrap()).unwrap();
    let mut expected: Vec<String> = vec![
        "hybrid-manifest.json".into(),
        "notes".into(),
        "notes/empty".into(),
        "dc-b".into(),
        "dc-b/mine.txt".into(),
    ];
    for f in manifest["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        expected.push(path.to_string());
        let mut at = 0;
        while let Some(i) = path[at..].find('/') {
            expected.push(path[..at + i].to_string());
            at += i + 1;
        }
    }
    expected.sort();
    expected.dedup();
    let got: Vec<String> = tree(&out).into_iter().map(|(p, _)| p).collect();
    assert_eq!(got, expected);
    assert!(!out.join("dc-a").exists(), "an empty folder of the first program survived");
}

/// Makes `file` impossible to remove: immutable for root (who ignores
/// permissions), its folder read-only for anyone else. Returns the undo.
fn pin(file: &Path) -> Box<dyn Fn(&Path)> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // A file this process made belongs to its effective user.
    if fs::metadata(file).unwrap().uid() == 0 {
        let set = |p: &Path, on: bool| {
            let f = fs::File::open(p).unwrap();
            let flags = rustix::fs::ioctl_getflags(&f).unwrap();
            let flags = if on { flags | rustix::fs::IFlags::IMMUTABLE } else { flags - rustix::fs::IFlags::IMMUTABLE };
            rustix::fs::ioctl_setflags(&f, flags).unwrap();
        };
        set(file, true);
        Box::new(move |p| set(p, false))
    } else {
        let dir = file.parent().unwrap();
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).unwrap();
        Box::new(|p| fs::set_permissions(p.parent().unwrap(), fs::Permissions::from_mode(0o755)).unwrap())
    }
}

#[test]
fn a_previous_tree_that_cannot_be_removed_is_a_warning_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    fs::create_dir(out.join("pinned")).unwrap();
    fs::write(out.join("pinned/file.txt"), "x\n").unwrap();
    let undo = pin(&out.join("pinned/file.txt"));
    let (code, err) = build(&example("trading"), &out);
    let left: Vec<PathBuf> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".out.hybridc-new-"))
        .collect();
    assert_eq!(left.len(), 1, "{err}");
    let left = &left[0];
    // OUT is the new tree; the warning names the folder left behind.
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("warning[HY8007]") && err.contains(&*left.file_name().unwrap().to_string_lossy()), "{err}");
    assert!(out.join("dc-1").is_dir() && !out.join("dc-a").exists());
    // The next build says so again, until it is cleaned up.
    let (code, err) = build(&example("trading"), &out);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("HY8007") && err.contains("no change"), "{err}");
    undo(&left.join("pinned/file.txt"));
    let (code, err) = build(&example("trading"), &out);
    assert_eq!(code, 0, "{err}");
    assert!(!left.exists());
    undo(&out.join("pinned/file.txt"));
}

#[test]
fn a_build_out_of_space_leaves_out_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    let before = tree(&out);
    // Files may not grow past 1 KiB (`ulimit -f`), as on a full disk: the
    // first large write fails with EFBIG.
    let script = format!(
        "trap '' XFSZ; ulimit -f 2; exec '{}' build '{}' --out '{}'",
        env!("CARGO_BIN_EXE_hybridc"),
        example("trading"),
        out.display()
    );
    let o = Command::new("sh").arg("-c").arg(script).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("error[HY8006]") && err.contains("nothing was written"), "{err}");
    assert_eq!(tree(&out), before);
    let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("out")], "staging or lock left beside OUT");
}

#[test]
fn a_second_build_of_one_out_waits_or_fails_with_no_wait() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&example("shop"), &out).0, 0);
    let before = tree(&out);
    // This test holds OUT's lock, as a build in progress would.
    let lock = hybridc::write::lock(&out, false, &mut |_| panic!("free")).unwrap();
    let (code, _, err) = hybridc(&["build", &example("trading"), "--out", &out.to_string_lossy(), "--no-wait"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[HY8005]") && err.contains(&format!("process {}", std::process::id())), "{err}");
    assert_eq!(tree(&out), before);
    // Without `--no-wait` it says for whom it waits, then builds.
    let mut child = Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(["build", &example("trading"), "--out", &out.to_string_lossy()])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.contains(&format!("waiting for the build of {} by process {}", out.display(), std::process::id())),
        "{first}"
    );
    assert_eq!(tree(&out), before, "built while the lock was held");
    drop(lock);
    let rest: Vec<String> = lines.map(|l| l.unwrap()).collect();
    assert_eq!(child.wait().unwrap().code(), Some(0), "{rest:?}");
    assert!(out.join("dc-1").is_dir());
    // The lock file goes with the build.
    let beside: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(beside, vec![std::ffi::OsString::from("out")]);
}
