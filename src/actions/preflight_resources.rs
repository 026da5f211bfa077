//! Preflight of `SetResources`: the container exists, every quantity given is one, something
//! changes; the change is said as `old → new` per quantity, and the pods' replacement warned.

use super::ActionKind;
use super::preflight::Refusal;
use crate::domain::resources::is_quantity;
use crate::domain::{ContainerResources, Workload};

pub(super) fn describe(
    w: &Workload,
    kind: &ActionKind,
    warnings: &mut Vec<String>,
) -> Result<String, Refusal> {
    let ActionKind::SetResources {
        container,
        requests_cpu,
        requests_memory,
        limits_cpu,
        limits_memory,
    } = kind
    else {
        return Err(Refusal::Invalid("not a change of resources".into()));
    };
    let c: &ContainerResources = w
        .containers
        .iter()
        .find(|c| &c.name == container)
        .ok_or_else(|| {
            let names: Vec<&str> = w.containers.iter().map(|c| c.name.as_str()).collect();
            Refusal::Invalid(format!(
                "{} has no container {container} (it has {})",
                w.name,
                names.join(", ")
            ))
        })?;
    let wanted = [
        ("requests.cpu", requests_cpu, &c.requests.cpu),
        ("requests.memory", requests_memory, &c.requests.memory),
        ("limits.cpu", limits_cpu, &c.limits.cpu),
        ("limits.memory", limits_memory, &c.limits.memory),
    ];
    let mut changes = Vec::new();
    for (what, new, old) in wanted {
        let Some(new) = new else { continue };
        if !is_quantity(new) {
            return Err(Refusal::Invalid(format!(
                "{what}: `{new}` is not a quantity (e.g. 250m, 1, 512Mi, 4Gi)"
            )));
        }
        if old.as_ref() != Some(new) {
            let old = old.as_deref().unwrap_or("none");
            changes.push(format!("{what} {old} → {new}"));
        }
    }
    if changes.is_empty() {
        return Err(Refusal::Invalid(format!(
            "change a quantity of {container}: these are its current values"
        )));
    }
    warnings.push(format!(
        "The pod template changes: every pod of {} is replaced, a few at a time.",
        w.name
    ));
    Ok(format!("{container}: {}", changes.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Quantities;

    fn workload() -> Workload {
        let mut w = crate::domain::workload::fixtures::workload("workflow", "pdf-recognizer");
        w.containers = vec![ContainerResources {
            name: "pdf-recognizer".into(),
            requests: Quantities {
                cpu: Some("100m".into()),
                memory: Some("256Mi".into()),
            },
            limits: Quantities {
                cpu: None,
                memory: Some("512Mi".into()),
            },
        }];
        w
    }

    fn set(container: &str, limits_memory: Option<&str>, requests_cpu: Option<&str>) -> ActionKind {
        ActionKind::SetResources {
            container: container.into(),
            requests_cpu: requests_cpu.map(Into::into),
            requests_memory: None,
            limits_cpu: None,
            limits_memory: limits_memory.map(Into::into),
        }
    }

    #[test]
    fn the_change_is_each_quantity_old_to_new_and_the_pods_are_said_to_roll() {
        let mut warnings = Vec::new();
        let kind = set("pdf-recognizer", Some("4Gi"), Some("200m"));
        let change = describe(&workload(), &kind, &mut warnings).unwrap();
        assert_eq!(
            change,
            "pdf-recognizer: requests.cpu 100m → 200m, limits.memory 512Mi → 4Gi"
        );
        assert!(warnings[0].contains("every pod of pdf-recognizer is replaced"));
        let action = crate::actions::Action {
            kind,
            target: crate::actions::Target::Workload {
                namespace: "workflow".into(),
                kind: crate::actions::WorkloadKindName::Deployment,
                name: "pdf-recognizer".into(),
            },
            context: "demo".into(),
        };
        assert_eq!(
            action.cli(),
            "kubectl -n workflow set resources deployment/pdf-recognizer -c pdf-recognizer --limits=memory=4Gi --requests=cpu=200m"
        );
    }

    #[test]
    fn a_missing_container_a_bad_quantity_or_no_change_is_refused() {
        let w = workload();
        let refused = |kind: ActionKind| describe(&w, &kind, &mut Vec::new()).unwrap_err();
        assert!(
            refused(set("envoy", Some("1Gi"), None))
                .to_string()
                .contains("no container envoy")
        );
        assert!(
            refused(set("pdf-recognizer", Some("4GB"), None))
                .to_string()
                .contains("not a quantity")
        );
        assert!(
            refused(set("pdf-recognizer", Some("512Mi"), None))
                .to_string()
                .contains("current values")
        );
    }
}
