//! The Pods tile's summary: counts by phase and state, per namespace and per cluster, and the
//! worst pods, over the namespace and clusters shown.

use super::summary::{PodSummary, WORST_PODS, WorstPod};
use crate::domain::{Estate, Level, PodPhase, UnixTime};

/// Whether a row of `context` counts, with the clusters `:ctx` chose.
pub(super) fn counted(contexts: Option<&Contexts>, context: &str) -> bool {
    contexts.is_none_or(|c| c.contains(context))
}

pub(super) type Contexts = std::collections::BTreeSet<String>;

pub(super) fn pods(
    estate: &Estate,
    now: UnixTime,
    namespace: Option<&str>,
    contexts: Option<&Contexts>,
) -> PodSummary {
    let mut s = PodSummary::default();
    let mut by_namespace: std::collections::BTreeMap<&str, (usize, Level)> =
        std::collections::BTreeMap::new();
    let mut by_cluster: std::collections::BTreeMap<&str, (usize, Level)> =
        std::collections::BTreeMap::new();
    let shown = estate
        .pods
        .iter()
        .filter(|p| counted(contexts, &p.key.context))
        .filter(|p| namespace.is_none_or(|ns| *p.key.namespace == *ns));
    for pod in shown {
        s.total += 1;
        let cluster = by_cluster.entry(&pod.key.context).or_insert((0, Level::Ok));
        cluster.0 += 1;
        cluster.1 = cluster.1.max(pod.level());
        let entry = by_namespace
            .entry(&pod.key.namespace)
            .or_insert((0, Level::Ok));
        entry.0 += 1;
        entry.1 = entry.1.max(pod.level());
        match pod.phase {
            PodPhase::Running => s.running += 1,
            PodPhase::Pending => s.pending += 1,
            PodPhase::Failed => s.failed += 1,
            _ => {}
        }
        if pod.is_crash_looping() || &*pod.status == "Error" {
            s.crash_looping += 1;
        }
        if pod.phase == PodPhase::Running && pod.ready_containers < pod.total_containers {
            s.not_ready += 1;
        }
        if pod
            .last_restart
            .is_some_and(|t| t.age_at(now) < crate::domain::pod::RECENT_RESTART_SECS)
        {
            s.restarted_recently += 1;
        }
        if pod.level() > Level::Ok {
            s.worst_pods.push(WorstPod {
                namespace: pod.key.namespace.to_string(),
                name: pod.key.name.to_string(),
                status: pod.status.to_string(),
                ready: (pod.ready_containers, pod.total_containers),
                restarts: pod.restarts,
                level: pod.level(),
            });
            // Kept small while counting 100,000 pods: sorted and cut every few dozen.
            if s.worst_pods.len() >= 4 * WORST_PODS {
                keep_worst(&mut s.worst_pods);
            }
        }
    }
    keep_worst(&mut s.worst_pods);
    s.by_cluster = by_cluster
        .into_iter()
        .map(|(c, (n, level))| (c.to_string(), n, level))
        .collect();
    s.by_namespace = by_namespace
        .into_iter()
        .map(|(ns, (n, level))| (ns.to_string(), n, level))
        .collect();
    // Worst first: on a small screen the tile shows the namespaces that need attention.
    s.by_namespace
        .sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    s.level = if s.crash_looping + s.failed > 0 {
        Level::Crit
    } else if s.pending + s.not_ready > 0 {
        Level::Warn
    } else {
        Level::Ok
    };
    s
}

fn keep_worst(pods: &mut Vec<WorstPod>) {
    pods.sort_by(|a, b| {
        (b.level, b.restarts)
            .cmp(&(a.level, a.restarts))
            .then_with(|| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)))
    });
    pods.truncate(WORST_PODS);
}
