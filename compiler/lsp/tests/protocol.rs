//! The server driven over JSON-RPC, feature by feature, on the shop
//! example (a folder program of two files) held in memory.

mod client;

use client::{pos, shop, text, uri, Client};
use serde_json::{json, Value};

const SITES: &str = "/shop/sites.hybrid";
const SERVICES: &str = "/shop/services.hybrid";

fn codes(list: &[Value]) -> Vec<&str> {
    list.iter().filter_map(|d| d["code"].as_str()).collect()
}

#[test]
fn diagnostics_are_published_on_open_and_change_and_cleared_when_fixed() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    // The folder is checked as a whole: every file is published, clean.
    assert!(c.diagnostics_until(&uri(SITES), |l| l.is_empty()).is_empty());
    let broken = services.replacen("  placement shop-a shop-b\n", "  placment shop-a shop-b\n", 1);
    c.open(SERVICES, &broken);
    let list = c.diagnostics_until(&uri(SERVICES), |l| !l.is_empty());
    // The unknown node, and the missing `placement` it was meant to be.
    assert_eq!(codes(&list), ["HY0005", "HY0002"]);
    let d = &list[1];
    let (line, col) = pos(&broken, "placment", 0);
    assert_eq!(d["range"]["start"], json!({ "line": line, "character": col }));
    assert_eq!(d["range"]["end"], json!({ "line": line, "character": col + 8 }));
    assert_eq!(d["severity"], 1);
    assert!(d["message"].as_str().unwrap().ends_with("help: did you mean `placement`?"), "{d}");
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/hybridc/hybridc/blob/main/book/src/reference/errors.md#hy0002-unknown-node"
    );
    c.change(SERVICES, 2, &services);
    assert!(c.diagnostics_until(&uri(SERVICES), |l| l.is_empty()).is_empty());
    c.stop();
}

#[test]
fn secondary_labels_are_related_information_in_the_other_file() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    // A site `dc-a` in services.hybrid, read first (files go by path):
    // the one in sites.hybrid is the duplicate.
    c.open(SERVICES, &format!("{services}\nsite dc-a region=x kind=on-prem provider=y\n"));
    let list = c.diagnostics_until(&uri(SITES), |l| codes(l).contains(&"HY0011"));
    let dup = list.iter().find(|d| d["code"] == "HY0011").unwrap();
    let related = &dup["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri(SERVICES).as_str());
    assert_eq!(related["message"], "first declared here, as a site");
    c.stop();
}

#[test]
fn positions_count_utf16_units_after_non_ascii_text() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    // `é` is one unit (two bytes), `𝄞` two (four bytes): `bogus` is at 26.
    let line = "  env GREETING \"héllo 𝄞\" bogus=1\n";
    let broken = services.replacen("  env LOG_LEVEL info\n", line, 1);
    c.open(SERVICES, &broken);
    let list = c.diagnostics_until(&uri(SERVICES), |l| !l.is_empty());
    let (l, col) = pos(&broken, "bogus", 0);
    assert_eq!(col, 26);
    assert_eq!(list[0]["range"]["start"], json!({ "line": l, "character": col }), "{list:#?}");
    c.stop();
}

#[test]
fn a_file_outside_the_folder_is_a_program_of_its_own() {
    let fs = shop().with("/elsewhere/one.hybrid", "topology x\nsevrice a\n");
    let mut c = Client::start(fs, Some("/shop"));
    c.open("/elsewhere/one.hybrid", "topology x\nsevrice a\n");
    let list = c.diagnostics_until(&uri("/elsewhere/one.hybrid"), |l| !l.is_empty());
    assert_eq!(codes(&list), ["HY0002"]);
    c.stop();
}

#[test]
fn definition_and_references_cross_files() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let sites = text(&fs, SITES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    // `placement shop-a` → the kubernetes cluster in sites.hybrid.
    let (l, col) = pos(&services, "placement shop-a", 11);
    let def = c.at("textDocument/definition", SERVICES, l, col, json!({}));
    assert_eq!(def["uri"], uri(SITES).as_str());
    let (dl, dc) = pos(&sites, "kubernetes shop-a", 11);
    assert_eq!(def["range"]["start"], json!({ "line": dl, "character": dc }));
    // `allow-from storefront` → the service; `use ha-critical` → std (no file).
    let (l, col) = pos(&services, "allow-from storefront", 12);
    let def = c.at("textDocument/definition", SERVICES, l, col, json!({}));
    let (dl, _) = pos(&services, "service storefront", 0);
    assert_eq!(def["range"]["start"]["line"], dl);
    // Every placement naming shop-a, and the declaration.
    let refs = c.at(
        "textDocument/references",
        SITES,
        dl_of(&sites, "kubernetes shop-a"),
        dc,
        json!({ "context": { "includeDeclaration": true } }),
    );
    let refs = refs.as_array().unwrap();
    // The declaration, six placements, the mesh's `member shop-a` and `backup … of=shop-a`.
    let members = sites.matches("member shop-a").count();
    assert_eq!(members, 1);
    assert_eq!(refs.len(), 1 + services.matches("placement shop-a").count() + members + 1, "{refs:#?}");
    assert!(refs.iter().any(|r| r["uri"] == uri(SITES).as_str()));
    c.stop();
}

fn dl_of(text: &str, needle: &str) -> u32 {
    pos(text, needle, 0).0
}

#[test]
fn definition_of_an_import_opens_the_file() {
    let fs = hybrid_core::MemoryFs::new()
        .with("/p/main.hybrid", "import \"net/sites.hybrid\"\ntopology t\n")
        .with("/p/net/sites.hybrid", "site a region=r kind=on-prem provider=x\n");
    let mut c = Client::start(fs, Some("/p"));
    c.diagnostics_until(&uri("/p/main.hybrid"), |_| true);
    let def = c.at("textDocument/definition", "/p/main.hybrid", 0, 10, json!({}));
    assert_eq!(def["uri"], uri("/p/net/sites.hybrid").as_str());
    c.stop();
}

#[test]
fn the_standard_library_opens_as_a_read_only_copy() {
    let fs = shop();
    let (services, sites) = (text(&fs, SERVICES), text(&fs, SITES));
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    let (l, col) = pos(&sites, "import \"std/profiles\"", 9);
    let def = c.at("textDocument/definition", SITES, l, col, json!({}));
    let path = url_path(&def["uri"]);
    assert!(path.ends_with("profiles.hybrid") && path.parent().unwrap().to_string_lossy().ends_with("-std"), "{def}");
    let copy = std::fs::read_to_string(&path).unwrap();
    assert_eq!(copy, hybrid_core::stdlib::MODULES[1].1);
    assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
    // `use ha-critical` lands on the profile's name in that copy.
    let (l, col) = pos(&services, "use ha-critical", 5);
    let def = c.at("textDocument/definition", SERVICES, l, col, json!({}));
    assert_eq!(url_path(&def["uri"]), path);
    let (dl, dc) = pos(&copy, "profile ha-critical", 8);
    assert_eq!(def["range"]["start"], json!({ "line": dl, "character": dc }));
    c.stop();
}

fn url_path(v: &Value) -> std::path::PathBuf {
    lsp_types::Url::parse(v.as_str().unwrap()).unwrap().to_file_path().unwrap()
}

#[test]
fn hover_shows_schema_docs_and_what_a_reference_names() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    let (l, col) = pos(&services, "autoscale min=3", 2);
    let h = c.at("textDocument/hover", SERVICES, l, col, json!({}));
    let v = h["contents"]["value"].as_str().unwrap();
    assert!(v.starts_with("## `autoscale`"), "{v}");
    assert!(v.contains("| `min` |"), "{v}");
    let (l, col) = pos(&services, "autoscale min=3", 11);
    let v = c.at("textDocument/hover", SERVICES, l, col, json!({}))["contents"]["value"].as_str().unwrap().to_string();
    assert!(v.starts_with("`min` property of `autoscale`"), "{v}");
    let (l, col) = pos(&services, "placement shop-a", 12);
    let v = c.at("textDocument/hover", SERVICES, l, col, json!({}))["contents"]["value"].as_str().unwrap().to_string();
    assert!(v.starts_with("kubernetes cluster `shop-a`"), "{v}");
    assert!(v.contains("/shop/sites.hybrid:15"), "{v}");
    c.stop();
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
}

#[test]
fn names_complete_from_the_last_parse_while_a_line_is_half_typed() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    // `protocol=` with no value yet: the file is not valid KDL, so this
    // analysis declares nothing in it.
    let t = services.replacen(
        "  image \"registry.example.com/shop/catalog",
        "  port 80 protocol=\n  allow-from \n  image \"registry.example.com/shop/catalog",
        1,
    );
    c.change(SERVICES, 2, &t);
    let list = c.diagnostics_until(&uri(SERVICES), |l| codes(l).contains(&"HY0001"));
    assert!(codes(&list).contains(&"HY0001"), "{list:?}");
    let (l, col) = pos(&t, "  allow-from ", "  allow-from ".len());
    let items = c.at("textDocument/completion", SERVICES, l, col, json!({}));
    let labels: Vec<&str> = items.as_array().into_iter().flatten().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"order-service"), "{labels:?}");
    c.stop();
}

#[test]
fn completion_offers_nodes_properties_words_references_and_modules() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    let mut edit = |before: &str, typed: &str| -> Vec<String> {
        let t = services.replacen(before, &format!("{typed}\n{before}"), 1);
        c.change(SERVICES, 2, &t);
        let (l, col) = pos(&t, typed, typed.len());
        labels(&c.at("textDocument/completion", SERVICES, l, col, json!({})))
    };
    let nodes = edit("  use ha-critical\n  placement shop-a", "  pro");
    assert!(nodes.contains(&"probe".to_string()) && nodes.contains(&"placement".to_string()), "{nodes:?}");
    let props = edit("  image \"registry.example.com/shop/catalog", "  port 80 pro");
    assert!(props.contains(&"protocol=".to_string()), "{props:?}");
    let words = edit("  image \"registry.example.com/shop/catalog", "  port 80 protocol=");
    assert!(words.contains(&"grpc".to_string()), "{words:?}");
    let refs = edit("  image \"registry.example.com/shop/catalog", "  placement ");
    let names: Vec<&str> = refs.iter().map(String::as_str).filter(|l| !l.ends_with('=')).collect();
    assert_eq!(names, ["shop-a", "shop-a.general", "shop-a.virt", "shop-b", "shop-b.general"]);
    let froms = edit("  image \"registry.example.com/shop/catalog", "  allow-from ");
    assert!(froms.contains(&"order-service".to_string()), "{froms:?}");
    let top = edit("service storefront", "imp");
    assert!(top.contains(&"import".to_string()) && top.contains(&"site".to_string()));
    let modules = edit("service storefront", "import ");
    assert!(modules.contains(&"std/profiles".to_string()), "{modules:?}");
    let profiles = edit("  image \"registry.example.com/shop/catalog", "  use ");
    assert!(profiles.contains(&"ha-critical".to_string()), "{profiles:?}");
    c.stop();
}

#[test]
fn rename_edits_every_reference_and_refuses_bad_names() {
    let fs = shop();
    let sites = text(&fs, SITES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    let (l, col) = pos(&sites, "kubernetes shop-a", 12);
    let prep = c.at("textDocument/prepareRename", SITES, l, col, json!({}));
    assert_eq!(prep["placeholder"], "shop-a");
    let edit = c.at("textDocument/rename", SITES, l, col, json!({ "newName": "eu-a" }));
    let changes = edit["documentChanges"].as_array().unwrap();
    let count: usize = changes.iter().map(|c| c["edits"].as_array().unwrap().len()).sum();
    // The declaration, six placements, `member shop-a`, `of=shop-a`; not the
    // comments, not `shop-a-nightly`.
    assert_eq!(count, 9);
    assert!(changes.iter().all(|c| c["edits"].as_array().unwrap().iter().all(|e| e["newText"] == "eu-a")));
    let bad = c.at("textDocument/rename", SITES, l, col, json!({ "newName": "Not Valid" }));
    assert!(bad["error"]["message"].as_str().unwrap().contains("not a valid name"), "{bad}");
    let taken = c.at("textDocument/rename", SITES, l, col, json!({ "newName": "shop-b" }));
    assert!(taken["error"]["message"].as_str().unwrap().contains("already declared"), "{taken}");
    c.stop();
}

#[test]
fn outline_formatting_and_quick_fixes() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let sites = text(&fs, SITES);
    let mut c = Client::start(fs, Some("/shop"));
    c.diagnostics_until(&uri(SERVICES), |_| true);
    let symbols = c.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(SITES) } }));
    let site = &symbols.as_array().unwrap().iter().find(|s| s["name"] == "dc-a").unwrap();
    let children: Vec<&str> =
        site["children"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(children.contains(&"shop-a") && children.contains(&"prod"), "{children:?}");
    let cluster = site["children"].as_array().unwrap().iter().find(|s| s["name"] == "shop-a").unwrap();
    assert!(cluster["children"].as_array().unwrap().iter().any(|s| s["name"] == "general"));

    let messy = sites.replacen("topology shop {", "topology   shop {", 1);
    c.open(SITES, &messy);
    let edits = c.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri(SITES) }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(edits[0]["newText"], sites);

    let broken = services.replacen("allow-from storefront order-service", "allow-from storefront order-servce", 1);
    c.open(SERVICES, &broken);
    let list = c.diagnostics_until(&uri(SERVICES), |l| !l.is_empty());
    let range = list[0]["range"].clone();
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": uri(SERVICES) }, "range": range, "context": { "diagnostics": [] } }),
    );
    let action = &actions[0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][uri(SERVICES).as_str()][0];
    assert_eq!(edit["newText"], "order-service");
    assert_eq!(edit["range"], range);
    c.stop();
}

#[test]
fn any_buffer_and_any_position_get_an_answer() {
    let fs = shop();
    let mut c = Client::start(fs, Some("/shop"));
    let buffers = [
        "",
        "{{{{",
        "service",
        "service a {\n  placement ",
        "\u{feff}é𝄞\"unterminated",
        "site a {\n  network x=",
        "}}}}",
    ];
    let methods = [
        "textDocument/hover",
        "textDocument/definition",
        "textDocument/completion",
        "textDocument/references",
        "textDocument/prepareRename",
        "textDocument/rename",
    ];
    for (v, b) in buffers.iter().enumerate() {
        c.change(SERVICES, v as i32 + 2, b);
        for m in methods {
            for (line, ch) in [(0, 0), (0, 3), (1, 12), (99, 99), (u32::MAX, u32::MAX)] {
                let extra = json!({ "newName": "x", "context": { "includeDeclaration": true } });
                let _ = c.at(m, SERVICES, line, ch, extra);
            }
        }
        let doc = json!({ "textDocument": { "uri": uri(SERVICES) } });
        c.request("textDocument/documentSymbol", doc.clone());
        c.request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri(SERVICES) }, "options": { "tabSize": 2, "insertSpaces": true } }),
        );
    }
    // Unknown files, methods and malformed parameters: errors, not crashes.
    let r = c.at("textDocument/hover", "/nowhere.hybrid", 0, 0, json!({}));
    assert_eq!(r, Value::Null);
    assert_eq!(c.request("no/such/method", json!({}))["error"]["code"], -32601);
    assert_eq!(c.request("textDocument/hover", json!({ "nonsense": 1 }))["error"]["code"], -32602);
    c.stop();
}

/// The compiler, slowed down: edits arrive faster than they are checked.
fn slow(
    entry: &std::path::Path,
    fs: &dyn hybrid_core::FileSystem,
) -> Result<hybrid_core::Compilation, hybrid_core::LoadError> {
    std::thread::sleep(std::time::Duration::from_millis(200));
    hybrid_core::compile_with_names(entry, fs)
}

#[test]
fn queued_changes_are_coalesced_and_stale_results_dropped() {
    let fs = shop();
    let services = text(&fs, SERVICES);
    let mut c = Client::start_with(fs, Some("/shop"), slow);
    c.open(SERVICES, &services);
    // The open's own check (the one before it, of the disk alone, is
    // dropped: it was stale when it finished). Then 30 edits at once.
    c.wait_version(SERVICES, 1);
    let before = c.published.len();
    for v in 2..32 {
        c.change(SERVICES, v, &services.replacen("placement", &format!("placement{v}x"), 1));
    }
    c.change(SERVICES, 40, &services);
    c.diagnostics_until(&uri(SERVICES), |l| l.is_empty());
    // A request is answered at once, while the check runs.
    let t = std::time::Instant::now();
    c.change(SERVICES, 41, &services);
    c.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(SERVICES) } }));
    assert!(t.elapsed() < std::time::Duration::from_millis(150), "a request waited {:?}", t.elapsed());
    c.wait_version(SERVICES, 41);
    // Only the newest text was published, once per file, with its version.
    let after: Vec<&(String, Value)> =
        c.published[before..].iter().filter(|(u, _)| u == uri(SERVICES).as_str()).collect();
    assert_eq!(after.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(), [json!(40), json!(41)], "{after:?}");
    c.stop();
}

fn panicking(
    _: &std::path::Path,
    _: &dyn hybrid_core::FileSystem,
) -> Result<hybrid_core::Compilation, hybrid_core::LoadError> {
    panic!("a bug in the compiler")
}

#[test]
fn a_compiler_bug_loses_an_analysis_not_the_server() {
    let mut c = Client::start_with(shop(), Some("/shop"), panicking);
    c.open(SERVICES, "service a {}\n");
    // Still answering, from text alone where it can.
    let symbols = c.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri(SERVICES) } }));
    assert_eq!(symbols[0]["name"], "a");
    c.stop();
}

#[test]
fn a_file_changed_on_disk_is_read_again_when_the_editor_says_so() {
    let disk = client::Disk::default();
    *disk.0.lock().unwrap() = shop();
    let services = text(&shop(), SERVICES);
    let mut c = Client::start_on(std::sync::Arc::new(disk.clone()), Some("/shop"), hybrid_core::compile_with_names);
    assert!(c.diagnostics_until(&uri(SERVICES), |_| true).is_empty());
    let broken = services.replacen("placement shop-a shop-b", "placement shop-z", 1);
    disk.0.lock().unwrap().files.insert(SERVICES.into(), broken.into());
    let changes = json!({ "changes": [{ "uri": uri(SERVICES), "type": 2 }] });
    c.notify("workspace/didChangeWatchedFiles", changes);
    let list = c.diagnostics_until(&uri(SERVICES), |l| !l.is_empty());
    assert_eq!(codes(&list), ["HY0012"]);
    c.stop();
}
