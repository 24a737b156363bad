//! `bench --instructions`: the instructions each stage executes, counted
//! by valgrind's callgrind — a figure that does not move with the other
//! work on the machine, where wall time does.
//!
//! The child `bench-one N --stages` runs every stage once, each in its own
//! never-inlined `stage_*` function, none calling another, on one thread
//! (rendering's pool is the measuring thread itself, so its work is under
//! `stage_render`'s frame). It runs under `valgrind --tool=callgrind`, and
//! `callgrind_annotate --inclusive=yes` gives each `stage_*` function's
//! inclusive instructions. `hybridc check` is counted whole. Callgrind
//! runs a program some fifty times slower: hence the flag.

use crate::synth::Shape;
use hybrid_emit::{yaml, EmitOptions, OutputTree};
use hybrid_model::Topology;
use std::hint::black_box;
use std::path::Path;
use std::process::Command;

/// The stages counted, in the order the child runs them.
pub const STAGES: &[&str] = &[
    "parse",
    "load",
    "decode + resolve",
    "rules",
    "failure analysis",
    "report (human)",
    "emit kubernetes",
    "emit istio",
    "emit openstack",
    "emit vsphere",
    "render",
    "serialize (floor)",
];

/// The text is shared with the tree, as the loader shares the source
/// map's: parsing copies none of it.
#[inline(never)]
fn stage_parse(text: &std::sync::Arc<str>) -> usize {
    let (doc, diags) = hybrid_syntax::parse(hybrid_diagnostics::FileId(0), text);
    black_box(&doc);
    diags.len()
}

#[inline(never)]
fn stage_load(fs: &hybrid_core::MemoryFs) -> Result<hybrid_core::Loaded, String> {
    hybrid_core::load::load(Path::new("synth.hybrid"), fs).map_err(|e| e.to_string())
}

/// The documents are handed over, as `hybridc check` does: freeing the
/// syntax tree, which `resolve` does once it is decoded, is counted here.
#[inline(never)]
fn stage_resolve(l: &mut hybrid_core::Loaded, diags: &mut Vec<hybrid_diagnostics::Diagnostic>) -> Topology {
    let documents = std::mem::take(&mut l.documents);
    hybrid_core::resolve::resolve(&l.sources, documents, true, &l.failed, diags).0
}

#[inline(never)]
fn stage_rules(t: &Topology) -> Vec<hybrid_diagnostics::Diagnostic> {
    hybrid_core::check::run(t)
}

#[inline(never)]
fn stage_analysis(t: &Topology) -> Vec<hybrid_diagnostics::Diagnostic> {
    hybrid_core::simulate::findings(t)
}

/// What `hybridc check` prints: the warnings, aggregated, for a person.
#[inline(never)]
fn stage_report(diags: &[hybrid_diagnostics::Diagnostic], l: &hybrid_core::Loaded) -> usize {
    let opts = hybrid_diagnostics::HumanOptions { color: false, ..Default::default() };
    hybrid_diagnostics::aggregate(diags)
        .iter()
        .map(|d| hybrid_diagnostics::render_human(d, &l.sources, opts).len())
        .sum()
}

/// Target `name`'s files, emitted into the tree the targets before it
/// wrote, as a build emits them (the Istio target appends to the
/// Kubernetes target's workload files).
fn emit(name: &str, t: &Topology, mut tree: OutputTree) -> OutputTree {
    for target in hybridc::TARGETS.iter().filter(|x| x.name() == name) {
        target.emit(t, &EmitOptions::default(), &mut tree);
    }
    tree
}

#[inline(never)]
fn stage_emit_kubernetes(t: &Topology, tree: OutputTree) -> OutputTree {
    emit("kubernetes", t, tree)
}

#[inline(never)]
fn stage_emit_istio(t: &Topology, tree: OutputTree) -> OutputTree {
    emit("istio", t, tree)
}

#[inline(never)]
fn stage_emit_openstack(t: &Topology, tree: OutputTree) -> OutputTree {
    emit("openstack", t, tree)
}

#[inline(never)]
fn stage_emit_vsphere(t: &Topology, tree: OutputTree) -> OutputTree {
    emit("vsphere", t, tree)
}

#[inline(never)]
fn stage_render(t: &Topology) -> OutputTree {
    hybridc::render(t, hybridc::TARGETS, &EmitOptions::default())
}

#[inline(never)]
fn stage_floor(docs: &[Vec<hybrid_emit::Value>], others: &[&[u8]]) -> usize {
    docs.iter().map(|d| yaml::documents(d).len()).sum::<usize>()
        + others.iter().map(|b| b.to_vec().len()).sum::<usize>()
}

/// `bench-one N --stages`: every stage once, for callgrind; prints the
/// program's and the output's bytes.
pub fn stages(n: usize, shape: Shape) -> Result<(), String> {
    rayon::ThreadPoolBuilder::new().num_threads(1).use_current_thread().build_global().map_err(|e| e.to_string())?;
    let text = shape.program(n);
    black_box(stage_parse(&std::sync::Arc::from(text.as_str())));
    let fs = hybrid_core::MemoryFs::new().with("synth.hybrid", text.as_str());
    let mut loaded = stage_load(&fs)?;
    let mut diags = loaded.diagnostics.clone();
    let t = stage_resolve(&mut loaded, &mut diags);
    diags.extend(stage_rules(&t));
    diags.extend(stage_analysis(&t));
    if diags.iter().any(|d| d.is_error()) {
        return Err("the synthetic program has errors".into());
    }
    black_box(stage_report(&diags, &loaded));
    let emitted = stage_emit_kubernetes(&t, OutputTree::new());
    let emitted = stage_emit_istio(&t, emitted);
    let emitted = stage_emit_openstack(&t, emitted);
    drop(black_box(stage_emit_vsphere(&t, emitted)));
    let full = stage_render(&t);
    let mut docs = Vec::new();
    let mut others: Vec<&[u8]> = Vec::new();
    for (path, b) in full.files() {
        match std::str::from_utf8(b) {
            Ok(text) if path.ends_with(".yaml") => docs.push(yaml::read_values(text).map_err(|e| e.to_string())?),
            _ => others.push(b),
        }
    }
    black_box(stage_floor(&docs, &others));
    println!("program\t{}", text.len());
    println!("output\t{}", full.files().map(|(_, b)| b.len()).sum::<usize>());
    Ok(())
}

/// The instructions of a whole callgrind profile (its `totals:` or
/// `summary:` line).
fn total(profile: &Path) -> Result<u128, String> {
    let text = std::fs::read_to_string(profile).map_err(|e| format!("{}: {e}", profile.display()))?;
    text.lines()
        .find_map(|l| l.strip_prefix("totals:").or_else(|| l.strip_prefix("summary:")))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("{}: no totals", profile.display()))
}

/// The inclusive instructions of every `stage_*` function of a profile,
/// in [`STAGES`] order, from `callgrind_annotate --inclusive=yes`, whose
/// lines read `1,234,567 (12.34%)  ???:xtask::instructions::stage_parse […]`;
/// and those of SHA-256, which only rendering calls (the manifest's file
/// hashes).
fn stage_totals(profile: &Path) -> Result<(Vec<u128>, u128), String> {
    let o = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100"])
        .arg(profile)
        .output()
        .map_err(|e| format!("callgrind_annotate: {e} (it comes with valgrind)"))?;
    if !o.status.success() {
        return Err(format!("callgrind_annotate: {}", String::from_utf8_lossy(&o.stderr)));
    }
    let found = inclusive_counts(&String::from_utf8_lossy(&o.stdout));
    let stages = FUNCTIONS
        .iter()
        .map(|f| found.get(*f).copied().ok_or_else(|| format!("{}: no `{f}` in the profile", profile.display())))
        .collect::<Result<_, _>>()?;
    Ok((stages, found.get(SHA256).copied().unwrap_or(0)))
}

/// The function every SHA-256 block goes through. Under callgrind it runs
/// in software: valgrind does not offer the CPU's SHA extensions, which the
/// `sha2` crate uses natively, so its count is reported apart.
const SHA256: &str = "sha2::sha256::compress256";

/// The inclusive count of each `stage_*` function and of [`SHA256`] in
/// `callgrind_annotate --inclusive=yes` output, by function name.
fn inclusive_counts(text: &str) -> std::collections::BTreeMap<String, u128> {
    let mut found = std::collections::BTreeMap::new();
    for line in text.lines() {
        let name: String = if line.contains(&format!(":{SHA256} ")) {
            SHA256.to_string()
        } else if let Some(rest) =
            line.find("instructions::stage_").and_then(|at| line.get(at + "instructions::".len()..))
        {
            rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        } else {
            continue;
        };
        let count = line.split_whitespace().next().unwrap_or("").replace(',', "");
        if let Ok(count) = count.parse::<u128>() {
            *found.entry(name).or_insert(0) += count;
        }
    }
    found
}

/// The `stage_*` function of each of [`STAGES`].
const FUNCTIONS: &[&str] = &[
    "stage_parse",
    "stage_load",
    "stage_resolve",
    "stage_rules",
    "stage_analysis",
    "stage_report",
    "stage_emit_kubernetes",
    "stage_emit_istio",
    "stage_emit_openstack",
    "stage_emit_vsphere",
    "stage_render",
    "stage_floor",
];

fn valgrind(args: &[String], dir: &Path) -> Result<(), String> {
    let o = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", dir.join("callgrind.out").display()))
        .args(args)
        .output()
        .map_err(|e| format!("valgrind: {e} (install valgrind for --instructions)"))?;
    if !o.status.success() {
        return Err(format!("valgrind: {}", String::from_utf8_lossy(&o.stderr)));
    }
    Ok(())
}

/// Instructions of every stage for one size (`ir STAGE` fields), the
/// program's and the output's bytes, and the instructions of `hybridc
/// check` when the binary is given.
pub fn measure(exe: &Path, n: usize, shape: Shape, hybridc: Option<&Path>) -> Result<crate::bench::Fields, String> {
    let dir = crate::bench::scratch(&format!("callgrind-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let args = [
        exe.display().to_string(),
        "bench-one".into(),
        n.to_string(),
        "--stages".into(),
        "--shape".into(),
        shape.name().into(),
    ];
    valgrind(&args, &dir)?;
    let (stages, sha256) = stage_totals(&dir.join("callgrind.out"))?;
    let mut fields: crate::bench::Fields =
        STAGES.iter().zip(stages).map(|(name, count)| (format!("ir {name}"), vec![count])).collect();
    fields.push(("ir sha256".into(), vec![sha256]));
    if let Some(hybridc) = hybridc {
        let program = dir.join("synth.hybrid");
        std::fs::write(&program, shape.program(n)).map_err(|e| e.to_string())?;
        valgrind(
            &[hybridc.display().to_string(), "-j".into(), "1".into(), "check".into(), program.display().to_string()],
            &dir,
        )?;
        fields.push(("ir cli check".into(), vec![total(&dir.join("callgrind.out"))?]));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    #[test]
    fn inclusive_counts_are_read_per_stage_function() {
        let text = "\
--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
4,445,090,275 (100.0%)  PROGRAM TOTALS
177,840,177 (38.50%)  ???:xtask::instructions::stage_floor [/x/xtask]
 50,138,421 (10.85%)  ???:xtask::instructions::stage_parse [/x/xtask]
 21,886,619 ( 4.74%)  ???:hybrid_syntax::parse [/x/xtask]
421,826,871 ( 9.49%)  ???:sha2::sha256::compress256 [/x/xtask]
421,800,456 ( 9.49%)  ???:sha2::sha256::soft::unroll::compress [/x/xtask]
";
        let found = super::inclusive_counts(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[super::SHA256], 421_826_871);
        assert_eq!(found["stage_floor"], 177_840_177);
        assert_eq!(found["stage_parse"], 50_138_421);
    }

    #[test]
    fn every_stage_has_its_function() {
        assert_eq!(super::STAGES.len(), super::FUNCTIONS.len());
    }
}
