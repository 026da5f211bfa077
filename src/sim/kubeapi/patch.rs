//! The patch formats the API server takes, for the shapes kubectl and opsdeck send: JSON merge
//! patch (RFC 7386), strategic merge patch (merge patch where lists of named objects merge by
//! `name`, as containers do), and JSON patch (RFC 6902: add, replace, remove, test).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    StrategicMerge,
    Json,
}

impl PatchType {
    /// From the request's Content-Type; `None` for one the simulator does not take (apply).
    pub fn from_content_type(content_type: &str) -> Option<PatchType> {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        match essence {
            "application/merge-patch+json" => Some(PatchType::Merge),
            "application/strategic-merge-patch+json" => Some(PatchType::StrategicMerge),
            "application/json-patch+json" => Some(PatchType::Json),
            _ => None,
        }
    }
}

pub fn apply(kind: PatchType, target: &Value, patch: &Value) -> Result<Value, String> {
    let mut out = target.clone();
    match kind {
        PatchType::Merge => merge(&mut out, patch, false),
        PatchType::StrategicMerge => merge(&mut out, patch, true),
        PatchType::Json => json_patch(&mut out, patch)?,
    }
    Ok(out)
}

fn merge(target: &mut Value, patch: &Value, strategic: bool) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let map = target.as_object_mut().expect("just made an object");
    for (key, value) in patch {
        if key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                map.remove(key);
            }
            Value::Array(items) if strategic && items.iter().all(has_name) => {
                let existing = map.entry(key.clone()).or_insert(Value::Array(vec![]));
                merge_named(existing, items);
            }
            _ => merge(
                map.entry(key.clone()).or_insert(Value::Null),
                value,
                strategic,
            ),
        }
    }
}

fn has_name(v: &Value) -> bool {
    v.get("name").is_some_and(Value::is_string)
}

/// Lists of objects with a `name` (containers, env) merge element by element.
fn merge_named(existing: &mut Value, items: &[Value]) {
    let Value::Array(list) = existing else {
        *existing = Value::Array(items.to_vec());
        return;
    };
    for item in items {
        match list.iter_mut().find(|e| e.get("name") == item.get("name")) {
            Some(e) => merge(e, item, true),
            None => list.push(item.clone()),
        }
    }
}

fn json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let ops = patch
        .as_array()
        .ok_or("a JSON patch is an array of operations")?;
    for op in ops {
        let path = op["path"].as_str().ok_or("operation without a path")?;
        match op["op"].as_str() {
            Some("add" | "replace") => {
                let value = op.get("value").ok_or("add/replace without a value")?;
                set(target, path, value.clone())?;
            }
            Some("remove") => {
                let (parent, last) = split(path)?;
                let parent = target.pointer_mut(&parent).ok_or(format!("no {path}"))?;
                parent
                    .as_object_mut()
                    .and_then(|m| m.remove(&last))
                    .ok_or(format!("no {path}"))?;
            }
            Some("test") => {
                if target.pointer(path) != op.get("value") {
                    return Err(format!("test failed at {path}"));
                }
            }
            other => return Err(format!("unsupported JSON patch operation {other:?}")),
        }
    }
    Ok(())
}

fn split(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path.rsplit_once('/').ok_or(format!("bad path {path}"))?;
    Ok((parent.into(), last.replace("~1", "/").replace("~0", "~")))
}

fn set(target: &mut Value, path: &str, value: Value) -> Result<(), String> {
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (parent, last) = split(path)?;
    let parent = target
        .pointer_mut(&parent)
        .ok_or(format!("no parent for {path}"))?;
    match parent {
        Value::Object(map) => {
            map.insert(last, value);
        }
        Value::Array(list) if last == "-" => list.push(value),
        Value::Array(list) => {
            let i: usize = last.parse().map_err(|_| format!("bad index in {path}"))?;
            if i < list.len() {
                list[i] = value;
            } else if i == list.len() {
                list.push(value);
            } else {
                return Err(format!("index out of range in {path}"));
            }
        }
        _ => return Err(format!("{path} is not inside an object or list")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name_and_merge_patch_replaces_lists() {
        let target = json!({"spec": {"replicas": 2, "template": {"spec": {"containers": [
            {"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1"}]}}}});
        let patch = json!({"spec": {"template": {"metadata": {"annotations": {"x": "1"}},
            "spec": {"containers": [{"name": "b", "image": "b:2"}]}}}});
        let out = apply(PatchType::StrategicMerge, &target, &patch).unwrap();
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"][0]["image"],
            "a:1"
        );
        assert_eq!(
            out["spec"]["template"]["spec"]["containers"][1]["image"],
            "b:2"
        );
        assert_eq!(out["spec"]["template"]["metadata"]["annotations"]["x"], "1");
        assert_eq!(out["spec"]["replicas"], 2);
        let merged = apply(PatchType::Merge, &target, &patch).unwrap();
        assert_eq!(
            merged["spec"]["template"]["spec"]["containers"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let nulled = apply(
            PatchType::Merge,
            &target,
            &json!({"spec": {"replicas": null}}),
        )
        .unwrap();
        assert!(nulled["spec"].get("replicas").is_none());
    }

    #[test]
    fn json_patch_replaces_adds_removes_and_tests() {
        let target = json!({"metadata": {"annotations": {"a": "1"}}, "spec": {"template": {}}});
        let patch = json!([
            {"op": "replace", "path": "/spec/template", "value": {"spec": {"x": 1}}},
            {"op": "add", "path": "/metadata/annotations/kubernetes.io~1change-cause", "value": "c"},
            {"op": "remove", "path": "/metadata/annotations/a"},
            {"op": "test", "path": "/spec/template/spec/x", "value": 1},
        ]);
        let out = apply(PatchType::Json, &target, &patch).unwrap();
        assert_eq!(out["spec"]["template"]["spec"]["x"], 1);
        assert_eq!(
            out["metadata"]["annotations"],
            json!({"kubernetes.io/change-cause": "c"})
        );
        let failing = json!([{"op": "test", "path": "/spec/template", "value": 2}]);
        assert!(
            apply(PatchType::Json, &target, &failing)
                .unwrap_err()
                .contains("test failed")
        );
        assert_eq!(
            PatchType::from_content_type("application/apply-patch+yaml"),
            None
        );
    }
}
