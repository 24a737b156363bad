//! Crash safety of `hybridc build`: killed (SIGKILL) at any moment, a
//! build leaves OUT exactly the previous tree or exactly the new one —
//! every file the manifest lists is there with its sha256, nothing else —
//! and the next build removes what the killed one left beside OUT.
//!
//! Two programs of 100 services (over 200 files), A and B, differ in
//! changed, added and removed files. Each round builds the other program
//! than the one OUT holds and kills it after a delay (deterministic,
//! seeded): a third spread over the duration of a whole build, two thirds
//! over the time it writes, counted from the moment its staging folder
//! appears — both measured first on an undisturbed build.

use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ROUNDS: usize = 30;

/// A valid program of `services` services on two sites (Kubernetes and
/// Istio); `variant` changes replicas and images, and which services exist.
fn program(services: usize, variant: u32) -> String {
    let mut s = String::from("topology crash { owner platform-team }\n\n");
    for i in 0..2 {
        let _ = writeln!(
            s,
            "site dc-{i} region=region-{i} kind=on-prem {{
  network prod cidr=\"10.{i}.0.0/16\" vlan={v} zone=trusted
  kubernetes k8s-{i} version=\"1.31\" {{
    network prod
    mesh istio mtls=strict
    pool general nodes=64 cpu=64 memory=\"256Gi\"
  }}
}}",
            v = 100 + i
        );
    }
    s.push_str("link dc-0 dc-1 latency=\"2ms\" bandwidth=\"100Gbps\" kind=dark-fiber encrypted=#true\n\n");
    // B drops every seventh service of A and adds some of its own.
    let names: Vec<usize> = match variant {
        0 => (0..services).collect(),
        _ => (0..services).filter(|n| n % 7 != 3).chain(services..services + services / 10).collect(),
    };
    for n in names {
        let replicas = if variant == 1 && n % 3 == 0 { 3 } else { 2 };
        let _ = writeln!(
            s,
            "service svc-{n} {{
  placement k8s-0 k8s-1
  namespace team-{team}
  image \"registry.example.com/crash/svc-{n}:1.{minor}.0\"
  replicas {replicas}
  port 8080 protocol=http
  resources cpu=\"100m\" memory=\"128Mi\"
  env LOG_LEVEL info
}}",
            team = n % 20,
            minor = (n as u32 + variant) % 10,
        );
    }
    s
}

fn hybridc(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_hybridc")).args(args).output().unwrap()
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string(), fs::read(e.path()).unwrap()))
        .collect()
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// OUT's manifest agrees with OUT: every listed file is there with the
/// listed sha256, and OUT holds nothing else.
fn assert_consistent(out: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let manifest: serde_json::Value = serde_json::from_slice(&files["hybrid-manifest.json"]).unwrap();
    let listed: BTreeMap<&str, &str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["sha256"].as_str().unwrap()))
        .collect();
    for (path, hash) in &listed {
        let bytes = files.get(*path).unwrap_or_else(|| panic!("{} lists `{path}`, which is missing", out.display()));
        assert_eq!(sha256(bytes), *hash, "{path}");
    }
    assert_eq!(files.len(), listed.len() + 1, "OUT holds files its manifest does not list");
}

/// hybridc's staging folders beside OUT (`.out.hybridc-…`).
fn staging(parent: &Path) -> Vec<PathBuf> {
    fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".out.hybridc-"))
        .collect()
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Starts `hybridc build PROGRAM --out OUT`.
fn spawn_build(program: &str, out: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_hybridc"))
        .args(["build", program, "--out", out])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `child` creates its staging folder beside OUT (it starts
/// writing) or exits; `true` when it started writing.
fn wait_for_writing(child: &mut Child, parent: &Path) -> bool {
    let staging = parent.join(format!(".out.hybridc-new-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if staging.exists() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        assert!(Instant::now() < deadline, "the build neither wrote nor finished");
        std::thread::sleep(Duration::from_micros(200));
    }
}

#[test]
fn a_killed_build_leaves_the_previous_tree_or_the_new_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let services = 100;
    for (name, variant) in [("a.hybrid", 0), ("b.hybrid", 1)] {
        fs::write(dir.join(name), program(services, variant)).unwrap();
    }
    let path = |p: &str| dir.join(p).to_string_lossy().to_string();
    let programs = [path("a.hybrid"), path("b.hybrid")];
    let out = dir.join("work/out");
    let parent = dir.join("work");
    let out_s = out.to_string_lossy().to_string();
    // The two complete trees, built undisturbed. The second build (which
    // changes, adds and removes files) measures how long a build takes,
    // and how long it writes: from its staging folder to its exit.
    let o = hybridc(&["build", &programs[0], "--out", &out_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut expected = vec![tree(&out)];
    let start = Instant::now();
    let mut child = spawn_build(&programs[1], &out_s);
    assert!(wait_for_writing(&mut child, &parent));
    let writing = Instant::now();
    assert!(child.wait().unwrap().success());
    let (duration, write) = (start.elapsed(), writing.elapsed());
    expected.push(tree(&out));
    for t in &expected {
        assert_consistent(&out, t);
    }
    assert_ne!(expected[0], expected[1]);

    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut state = 1usize; // OUT holds the tree of program `state`.
    let (mut before_swap, mut after_swap) = (0, 0);
    for round in 0..ROUNDS {
        let f = (rng.next() % 1000) as f64 / 1000.0;
        let target = 1 - state;
        let mut child = spawn_build(&programs[target], &out_s);
        // A third of the kills anywhere in the build; two thirds while it
        // writes the tree beside OUT and swaps it in.
        let delay = if round % 3 == 0 {
            std::thread::sleep(duration.mul_f64(f * 1.05));
            duration.mul_f64(f * 1.05)
        } else {
            wait_for_writing(&mut child, &parent);
            std::thread::sleep(write.mul_f64(f * 1.1));
            write.mul_f64(f * 1.1)
        };
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = tree(&out);
        assert_consistent(&out, &now);
        if now == expected[target] {
            after_swap += 1;
            state = target;
        } else {
            assert!(now == expected[state], "round {round} (killed after {delay:?}): OUT is neither tree");
            before_swap += 1;
        }
        // What the killed build left beside OUT: at most its own staging
        // folder (the build before removed the one left before it) and its
        // lock file (whose lock went with the process).
        let left = staging(&parent);
        let folders = left.iter().filter(|p| !p.to_string_lossy().ends_with(".hybridc-lock")).count();
        assert!(folders <= 1 && left.len() <= 2, "{left:?}");
    }
    eprintln!(
        "{ROUNDS} builds of {duration:?} ({write:?} writing) killed: {before_swap} before the swap, {after_swap} after"
    );

    // A normal build succeeds, and nothing is left beside OUT.
    let o = hybridc(&["build", &programs[1 - state], "--out", &out_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(tree(&out), expected[1 - state]);
    assert_eq!(staging(&parent), Vec::<PathBuf>::new());
    let o = hybridc(&["build", &programs[1 - state], "--out", &out_s]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no change"));
}
