//! Preflight of a ConfigMap key's edit: the ConfigMap and the key are there, the value read is
//! still the stored one (its resourceVersion unchanged: else it was changed by someone else
//! since the editor opened), the value differs; the change line names the key and the sizes,
//! and the diff is the value's lines, old → new.

use super::preflight::Refusal;
use super::{Action, ActionKind, Target};
use crate::domain::{ConfigKind, Estate};

/// What the dialog and the executor say when the ConfigMap changed under the edit.
pub const CHANGED_SINCE: &str = "changed by someone else since you opened it";

/// The change line and warnings of a ConfigMap edit, or why it cannot be done.
pub(super) fn describe(action: &Action, estate: &Estate) -> Result<(String, Vec<String>), Refusal> {
    let (
        ActionKind::EditConfigMap {
            key,
            resource_version,
            old,
            value,
            ..
        },
        Target::ConfigMap { namespace, name },
    ) = (&action.kind, &action.target)
    else {
        return Err(Refusal::Invalid("not an edit of a ConfigMap".into()));
    };
    let config = estate
        .configs
        .iter()
        .find(|c| {
            *c.context == *action.context
                && c.kind == ConfigKind::ConfigMap
                && c.namespace == *namespace
                && c.name == *name
        })
        .ok_or_else(|| Refusal::TargetGone(action.target.key()))?;
    if config.resource_version != *resource_version {
        return Err(Refusal::Invalid(format!(
            "{name}: {CHANGED_SINCE} (resourceVersion {resource_version} → {}); open it again",
            config.resource_version
        )));
    }
    if value == old {
        return Err(Refusal::Invalid(format!("{key}: the value is unchanged")));
    }
    let warnings = vec![
        "Pods read a ConfigMap when they start: running pods keep the old value until restarted \
         (R offers a rollout restart of its workloads after the change)."
            .to_string(),
    ];
    let verb = if config.key(key).is_some() {
        "changed"
    } else {
        "added"
    };
    Ok((
        format!(
            "data.{key} {verb}: {} → {} bytes (resourceVersion {resource_version})",
            old.len(),
            value.len()
        ),
        warnings,
    ))
}

/// The value's lines, old → new: `- ` a line removed, `+ ` a line added, `  ` kept. A plain
/// line-by-line diff (longest common subsequence), enough for a key's value.
pub fn diff_lines(old: &str, new: &str) -> Vec<String> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(format!("  {}", a[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j]) {
            out.push(format!("+ {}", b[j]));
            j += 1;
        } else {
            out.push(format!("- {}", a[i]));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ConfigKey, ConfigObject, UnixTime};

    fn estate(rv: &str) -> Estate {
        Estate {
            configs: vec![ConfigObject {
                context: "demo".into(),
                kind: ConfigKind::ConfigMap,
                namespace: "agents".into(),
                name: "wac".into(),
                secret_type: None,
                keys: vec![ConfigKey {
                    name: "cache.enabled".into(),
                    size: 4,
                    value: Some("true".into()),
                }],
                resource_version: rv.into(),
                created: UnixTime(0),
            }],
            ..Estate::default()
        }
    }

    fn edit(rv: &str, value: &str) -> Action {
        Action {
            kind: ActionKind::EditConfigMap {
                key: "cache.enabled".into(),
                resource_version: rv.into(),
                old_size: 4,
                new_size: value.len(),
                old: "true".into(),
                value: value.into(),
            },
            target: Target::ConfigMap {
                namespace: "agents".into(),
                name: "wac".into(),
            },
            context: "demo".into(),
        }
    }

    #[test]
    fn an_edit_is_refused_once_the_configmap_changed_since_it_was_read() {
        let (change, warnings) = describe(&edit("7", "false"), &estate("7")).expect("allowed");
        assert_eq!(
            change,
            "data.cache.enabled changed: 4 → 5 bytes (resourceVersion 7)"
        );
        assert!(warnings[0].contains("rollout restart"));
        let refused = describe(&edit("7", "false"), &estate("9")).unwrap_err();
        assert!(refused.to_string().contains(CHANGED_SINCE), "{refused}");
        let same = describe(&edit("7", "true"), &estate("7")).unwrap_err();
        assert!(same.to_string().contains("unchanged"));
    }

    #[test]
    fn the_diff_keeps_common_lines_and_marks_the_others() {
        assert_eq!(diff_lines("true", "false"), ["- true", "+ false"]);
        assert_eq!(
            diff_lines("a\nb\nc", "a\nB\nc\nd"),
            ["  a", "- b", "+ B", "  c", "+ d"]
        );
    }
}
