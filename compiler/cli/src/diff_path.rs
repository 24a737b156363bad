//! The field paths a diff names (`spec.http[default].route[stable].weight`):
//! a value flattened into `path: scalar` pairs. A map's field is named by
//! its key; a list's element by its identifying key when the list has one
//! (see [`IDENTIFYING_KEYS`]), else by its index, so that a reordered list
//! or an inserted canary reads as what it is.

use indexmap::IndexMap;
use serde_json::Value;

/// The fields that name an element of a list, tried in this order: the
/// first that every element of the list holds as a text, each element a
/// different one, names the elements (`containers[api]`, `ports[http]`,
/// `http[default]`, and an Istio route destination by its subset:
/// `route[stable]`). A list where none does is named by index (`[0]`).
pub const IDENTIFYING_KEYS: &[&[&str]] = &[&["name"], &["destination", "subset"]];

/// `path: value` pairs of a value's scalars, in the value's order.
pub fn flatten(v: &Value, path: &str, out: &mut IndexMap<String, String>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, inner) in m {
                let p = if path.is_empty() && plain(k) {
                    k.clone()
                } else if plain(k) {
                    format!("{path}.{k}")
                } else {
                    format!("{path}[{}]", Value::from(k.clone()))
                };
                flatten(inner, &p, out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            let names = element_names(a);
            for (i, inner) in a.iter().enumerate() {
                let label = names.as_ref().and_then(|n| n.get(i)).cloned().unwrap_or_else(|| i.to_string());
                flatten(inner, &format!("{path}[{label}]"), out);
            }
        }
        other => {
            out.insert(path.to_string(), other.to_string());
        }
    }
}

/// A key written bare in a path; any other is quoted (`["app.kubernetes.io/name"]`).
fn plain(k: &str) -> bool {
    k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The label of each element of a list by the first identifying key that
/// names every element uniquely; `None` when no key does.
fn element_names(list: &[Value]) -> Option<Vec<String>> {
    IDENTIFYING_KEYS.iter().find_map(|key| {
        let names: Vec<String> = list.iter().map(|e| text_at(e, key)).collect::<Option<_>>()?;
        let mut seen = std::collections::BTreeSet::new();
        names.iter().all(|n| seen.insert(n.as_str())).then(|| names.iter().map(|n| label(n)).collect())
    })
}

/// The text at `key` (a path of fields) of an element.
fn text_at(element: &Value, key: &[&str]) -> Option<String> {
    key.iter().try_fold(element, |v, k| v.get(k))?.as_str().map(str::to_string)
}

/// An element's name as written in a path: bare when it is a word that
/// cannot be read as an index, else quoted.
fn label(name: &str) -> String {
    let bare = name.starts_with(|c: char| c.is_ascii_alphabetic()) && plain(name);
    if bare {
        name.to_string()
    } else {
        Value::from(name.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(v: &Value) -> Vec<String> {
        let mut out = IndexMap::new();
        flatten(v, "", &mut out);
        out.into_iter().map(|(p, v)| format!("{p}={v}")).collect()
    }

    #[test]
    fn routes_are_named_by_subset_and_lists_by_name() {
        let v = json!({"http": [{"name": "default", "route": [
            {"destination": {"host": "h", "subset": "stable"}, "weight": 90},
            {"destination": {"host": "h", "subset": "v2"}, "weight": 10}]}]});
        assert_eq!(
            paths(&v),
            [
                "http[default].name=\"default\"",
                "http[default].route[stable].destination.host=\"h\"",
                "http[default].route[stable].destination.subset=\"stable\"",
                "http[default].route[stable].weight=90",
                "http[default].route[v2].destination.host=\"h\"",
                "http[default].route[v2].destination.subset=\"v2\"",
                "http[default].route[v2].weight=10",
            ]
        );
    }

    #[test]
    fn a_reordered_list_by_name_is_no_change() {
        let a = json!({"containers": [{"name": "api", "image": "a"}, {"name": "log", "image": "b"}]});
        let b = json!({"containers": [{"name": "log", "image": "b"}, {"name": "api", "image": "a"}]});
        let (mut fa, mut fb) = (IndexMap::new(), IndexMap::new());
        flatten(&a, "", &mut fa);
        flatten(&b, "", &mut fb);
        fa.sort_keys();
        fb.sort_keys();
        assert_eq!(fa, fb);
    }

    #[test]
    fn missing_or_repeated_keys_fall_back_to_the_index() {
        let missing = json!({"l": [{"name": "a"}, {"other": 1}]});
        assert_eq!(paths(&missing), ["l[0].name=\"a\"", "l[1].other=1"]);
        let repeated = json!({"l": [{"name": "a", "x": 1}, {"name": "a", "x": 2}]});
        assert_eq!(paths(&repeated), ["l[0].name=\"a\"", "l[0].x=1", "l[1].name=\"a\"", "l[1].x=2"]);
        let numbers = json!({"l": [{"name": 1}]});
        assert_eq!(paths(&numbers), ["l[0].name=1"]);
        // A name that reads as an index, or holds other characters, is quoted.
        let odd = json!({"l": [{"name": "0"}, {"name": "a.b"}]});
        assert_eq!(paths(&odd), ["l[\"0\"].name=\"0\"", "l[\"a.b\"].name=\"a.b\""]);
    }
}
