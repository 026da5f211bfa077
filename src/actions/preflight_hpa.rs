//! Preflight of an autoscaled workload's actions: the warning a manual scale gets (the HPA
//! will set the replicas back), and the change of the HPA's bounds instead.

use super::preflight::Refusal;
use crate::domain::{Estate, Hpa, Workload};

/// What the scale dialog says when an HPA owns the workload's replicas.
pub(super) fn scale_warning(h: &Hpa) -> String {
    format!(
        "HPA {} (min {}, max {}) will set the replicas back; change its bounds instead (A).",
        h.name, h.min, h.max
    )
}

pub(super) fn describe(
    w: &Workload,
    hpa: &str,
    min: u32,
    max: u32,
    estate: &Estate,
    warnings: &mut Vec<String>,
) -> Result<String, Refusal> {
    let h = estate
        .hpas
        .iter()
        .find(|h| h.namespace == w.namespace && h.name == hpa && h.scales(w))
        .ok_or_else(|| {
            Refusal::Invalid(format!(
                "no HorizontalPodAutoscaler scales {}/{}",
                w.namespace, w.name
            ))
        })?;
    if min == 0 {
        return Err(Refusal::Invalid("min: at least 1".into()));
    }
    if max < min {
        return Err(Refusal::Invalid(format!(
            "max ({max}) must be at least min ({min})"
        )));
    }
    if (min, max) == (h.min, h.max) {
        return Err(Refusal::Invalid(format!(
            "{hpa} already has min {min}, max {max}"
        )));
    }
    let now = w.desired;
    if now < min {
        warnings.push(format!(
            "{} has {now} replicas: the HPA scales it up to {min}.",
            w.name
        ));
    } else if now > max {
        warnings.push(format!(
            "{} has {now} replicas: the HPA scales it down to {max}.",
            w.name
        ));
    }
    Ok(format!(
        "HPA {hpa}: min {} → {min}, max {} → {max}",
        h.min, h.max
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::preflight::preflight;
    use crate::actions::{Action, ActionKind, Target, WorkloadKindName};
    use crate::domain::{UnixTime, WorkloadKind};

    fn estate() -> Estate {
        let mut w = crate::domain::workload::fixtures::workload("pos", "pos-catalog");
        w.desired = 3;
        let mut estate = Estate::default();
        estate.workloads.push(w);
        estate.hpas.push(Hpa {
            context: "demo".into(),
            namespace: "pos".into(),
            name: "pos-catalog".into(),
            target_kind: WorkloadKind::Deployment,
            target_name: "pos-catalog".into(),
            min: 2,
            max: 10,
            current: 3,
            desired: 3,
            cpu_target_pct: Some(80),
            cpu_current_pct: Some(71),
            created: UnixTime(0),
        });
        estate
    }

    fn action(kind: ActionKind) -> Action {
        Action {
            kind,
            target: Target::Workload {
                namespace: "pos".into(),
                kind: WorkloadKindName::Deployment,
                name: "pos-catalog".into(),
            },
            context: "demo".into(),
        }
    }

    fn run(kind: ActionKind) -> Result<crate::actions::preflight::Preview, Refusal> {
        preflight(
            &action(kind),
            &estate(),
            UnixTime(0),
            false,
            &Default::default(),
        )
    }

    #[test]
    fn scaling_an_autoscaled_workload_warns_that_the_hpa_sets_it_back() {
        let p = run(ActionKind::Scale { replicas: 6 }).unwrap();
        assert!(
            p.warnings
                .contains(&"HPA pos-catalog (min 2, max 10) will set the replicas back; change its bounds instead (A).".to_string()),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn bounds_are_checked_and_their_change_said() {
        let bounds = |min, max| ActionKind::HpaBounds {
            hpa: "pos-catalog".into(),
            min,
            max,
        };
        let p = run(bounds(4, 12)).unwrap();
        assert_eq!(p.change, "HPA pos-catalog: min 2 → 4, max 10 → 12");
        assert_eq!(
            p.warnings,
            ["pos-catalog has 3 replicas: the HPA scales it up to 4."]
        );
        assert_eq!(
            p.cli,
            r#"kubectl -n pos patch hpa pos-catalog -p '{"spec":{"minReplicas":4,"maxReplicas":12}}'"#
        );
        assert!(matches!(run(bounds(2, 10)), Err(Refusal::Invalid(e)) if e.contains("already")));
        assert!(
            matches!(run(bounds(5, 4)), Err(Refusal::Invalid(e)) if e.contains("at least min"))
        );
        assert!(matches!(run(bounds(0, 4)), Err(Refusal::Invalid(_))));
        let other = ActionKind::HpaBounds {
            hpa: "other".into(),
            min: 1,
            max: 2,
        };
        assert!(
            matches!(run(other), Err(Refusal::Invalid(e)) if e.contains("no HorizontalPodAutoscaler"))
        );
    }
}
