//! The dialog's fields for an HPA's bounds (min, max) and a container's resources (name,
//! requests and limits of CPU and memory): made from the action's starting values, read back
//! into it. A quantity left as it was offered is not sent, so the command and the patch carry
//! only what the operator changed, as `kubectl set resources` would be typed.

use super::dialog::{Field, FieldKind};
use crate::actions::ActionKind;

/// The fields of `kind`, when it is one of these two.
pub(super) fn fields(kind: &ActionKind) -> Vec<Field> {
    match kind {
        ActionKind::HpaBounds { min, max, .. } => vec![
            Field::text(FieldKind::MinReplicas, &min.to_string()),
            Field::text(FieldKind::MaxReplicas, &max.to_string()),
        ],
        ActionKind::SetResources {
            container,
            requests_cpu,
            requests_memory,
            limits_cpu,
            limits_memory,
        } => {
            let q = |v: &Option<String>| v.clone().unwrap_or_default();
            vec![
                Field::text(FieldKind::Container, container),
                Field::text(FieldKind::RequestsCpu, &q(requests_cpu)),
                Field::text(FieldKind::RequestsMemory, &q(requests_memory)),
                Field::text(FieldKind::LimitsCpu, &q(limits_cpu)),
                Field::text(FieldKind::LimitsMemory, &q(limits_memory)),
            ]
        }
        _ => Vec::new(),
    }
}

/// Reads the fields into `kind`; what is wrong with them, if anything.
pub(super) fn apply(
    kind: &mut ActionKind,
    value: impl Fn(FieldKind) -> String,
    offered: &[(FieldKind, String)],
) -> Option<String> {
    match kind {
        ActionKind::HpaBounds { min, max, .. } => {
            let number = |k: FieldKind| value(k).trim().parse::<u32>().ok();
            match (
                number(FieldKind::MinReplicas),
                number(FieldKind::MaxReplicas),
            ) {
                (Some(lo), Some(hi)) if hi <= super::dialog::MAX_REPLICAS => {
                    (*min, *max) = (lo, hi);
                    None
                }
                (Some(_), Some(_)) => {
                    Some(format!("at most {} replicas", super::dialog::MAX_REPLICAS))
                }
                _ => Some("min and max: whole numbers, e.g. 2 and 10".into()),
            }
        }
        ActionKind::SetResources {
            container,
            requests_cpu,
            requests_memory,
            limits_cpu,
            limits_memory,
        } => {
            let was = |k: FieldKind| offered.iter().find(|(o, _)| *o == k).map(|(_, v)| v.trim());
            let name = value(FieldKind::Container).trim().to_string();
            if name.is_empty() {
                return Some("container: its name, e.g. the workload's own".into());
            }
            // Another container than the one offered: every quantity typed is sent.
            let same_container = was(FieldKind::Container) == Some(name.as_str());
            let read = |k: FieldKind| {
                let v = value(k).trim().to_string();
                let unchanged = same_container && was(k) == Some(v.as_str());
                (!v.is_empty() && !unchanged).then_some(v)
            };
            *requests_cpu = read(FieldKind::RequestsCpu);
            *requests_memory = read(FieldKind::RequestsMemory);
            *limits_cpu = read(FieldKind::LimitsCpu);
            *limits_memory = read(FieldKind::LimitsMemory);
            *container = name;
            None
        }
        _ => None,
    }
}
