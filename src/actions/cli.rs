//! `Action::cli`: the command an operator would run by hand to do what the action does, shown
//! in the dialog and kept in the audit.

use super::{Action, ActionKind, LOCKDOWN_POLICY, Target, quoted, team};

impl Action {
    /// The command an operator would run by hand to do the same.
    pub fn cli(&self) -> String {
        use ActionKind as K;
        match (&self.kind, &self.target) {
            (K::Scale { replicas }, Target::Workload { namespace, kind, name }) => {
                format!("kubectl -n {namespace} scale {}/{name} --replicas={replicas}", kind.resource())
            }
            (K::RolloutRestart, Target::Workload { namespace, kind, name }) => {
                format!("kubectl -n {namespace} rollout restart {}/{name}", kind.resource())
            }
            (K::Rollback { to_revision }, Target::Workload { namespace, kind, name }) => {
                format!("kubectl -n {namespace} rollout undo {}/{name} --to-revision={to_revision}", kind.resource())
            }
            (K::Lockdown, Target::Namespace { namespace }) => format!(
                "kubectl -n {namespace} apply -f - <<< '{{\"apiVersion\":\"networking.k8s.io/v1\",\"kind\":\"NetworkPolicy\",\
                 \"metadata\":{{\"name\":\"{LOCKDOWN_POLICY}\",\"labels\":{{\"app.kubernetes.io/managed-by\":\"opsdeck\"}}}},\
                 \"spec\":{{\"podSelector\":{{}},\"policyTypes\":[\"Ingress\",\"Egress\"]}}}}'"
            ),
            (K::LiftLockdown, Target::Namespace { namespace }) => {
                format!("kubectl -n {namespace} delete networkpolicy {LOCKDOWN_POLICY}")
            }
            (K::RestartPod, Target::Pod { namespace, name }) => format!("kubectl -n {namespace} delete pod {name}"),
            (K::Cordon, Target::Node { name }) => format!("kubectl cordon {name}"),
            (K::Uncordon, Target::Node { name }) => format!("kubectl uncordon {name}"),
            (K::Drain, Target::Node { name }) => {
                format!("kubectl drain {name} --ignore-daemonsets --delete-emptydir-data")
            }
            (K::Silence { matchers, duration_secs, comment }, Target::Alert { .. }) => {
                let m: Vec<String> = matchers.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
                format!(
                    "amtool silence add {} --duration={} --comment={:?}",
                    m.join(" "),
                    humantime::format_duration(std::time::Duration::from_secs(*duration_secs)),
                    comment
                )
            }
            (K::ExpireSilence { silence }, Target::Alert { .. }) => {
                format!("amtool silence expire {silence}")
            }
            (K::ExtendSilence { silence, duration_secs, comment }, Target::Alert { .. }) => {
                // amtool's --duration counts from the silence's start; the end is from now.
                format!(
                    "amtool silence update {silence} --end=\"$(date -u -d '+{duration_secs} seconds' +%FT%TZ)\" --comment={comment:?}"
                )
            }
            (K::CancelQuery, Target::PgBackend { pid, .. }) => format!("SELECT pg_cancel_backend({pid});"),
            (K::TerminateBackend, Target::PgBackend { pid, .. }) => format!("SELECT pg_terminate_backend({pid});"),
            (K::TakeBackup, Target::BackupSet { name }) => format!("(the set's backup command for \"{name}\")"),
            (K::VerifyBackup, Target::BackupSet { .. }) => "gzip -t FILE && pg_restore --list FILE".into(),
            (K::TestRestore, Target::BackupSet { .. }) => {
                "createdb opsdeck_restore_X && pg_restore -d opsdeck_restore_X FILE && dropdb opsdeck_restore_X".into()
            }
            (K::Exec { container, command, .. }, Target::Pod { namespace, name }) => {
                let container = container.as_ref().map_or(String::new(), |c| format!(" -c {}", quoted(c)));
                let words: Vec<String> = command.iter().map(|w| quoted(w)).collect();
                format!("kubectl -n {namespace} exec {name}{container} -- {}", words.join(" "))
            }
            (K::Shell { container, shells, .. }, Target::Pod { namespace, name }) => {
                let container = container.as_ref().map_or(String::new(), |c| format!(" -c {}", quoted(c)));
                let shell = shells.first().map_or("sh", String::as_str);
                format!("kubectl -n {namespace} exec -it {name}{container} -- {}", quoted(shell))
            }
            (K::PortForward { local, remote, .. }, Target::Pod { namespace, name }) => {
                format!("kubectl -n {namespace} port-forward pod/{name} {local}:{remote}")
            }
            (K::HpaBounds { hpa, min, max }, Target::Workload { namespace, .. }) => format!(
                "kubectl -n {namespace} patch hpa {hpa} -p '{{\"spec\":{{\"minReplicas\":{min},\"maxReplicas\":{max}}}}}'"
            ),
            (K::SetResources { .. }, Target::Workload { namespace, kind, name }) => {
                format!("kubectl -n {namespace} set resources {}/{name}{}", kind.resource(), resource_flags(&self.kind))
            }
            (K::Team { place, argv, .. }, _) => {
                let words: Vec<String> = argv.iter().map(|w| quoted(w)).collect();
                match place {
                    team::Place::Pod(p) => {
                        let team::InPod { namespace, pod, container } = &**p;
                        let container = container.as_ref().map_or(String::new(), |c| format!(" -c {}", quoted(c)));
                        format!("kubectl -n {namespace} exec {pod}{container} -- {}", words.join(" "))
                    }
                    team::Place::Local => words.join(" "),
                }
            }
            (K::RunCronJob { job }, Target::CronJob { namespace, name }) => {
                format!("kubectl -n {namespace} create job {job} --from=cronjob/{name}")
            }
            (K::SuspendCronJob, Target::CronJob { namespace, name }) => {
                format!("kubectl -n {namespace} patch cronjob {name} -p '{{\"spec\":{{\"suspend\":true}}}}'")
            }
            (K::ResumeCronJob, Target::CronJob { namespace, name }) => {
                format!("kubectl -n {namespace} patch cronjob {name} -p '{{\"spec\":{{\"suspend\":false}}}}'")
            }
            (K::DeleteJob, Target::Job { namespace, name }) => format!("kubectl -n {namespace} delete job {name}"),
            (K::EditConfigMap { key, value, .. }, Target::ConfigMap { namespace, name }) => {
                let patch = serde_json::json!({"data": {key: value}}).to_string();
                format!("kubectl -n {namespace} patch configmap {name} --type merge -p {}", quoted(&patch))
            }
            (kind, target) => format!("({} on {})", kind.name(), target.key()),
        }
    }
}

/// `kubectl set resources`' flags for the quantities a `SetResources` gives:
/// ` -c C --limits=memory=4Gi --requests=cpu=200m`.
fn resource_flags(kind: &ActionKind) -> String {
    let ActionKind::SetResources {
        container,
        requests_cpu,
        requests_memory,
        limits_cpu,
        limits_memory,
    } = kind
    else {
        return String::new();
    };
    let pairs = |cpu: &Option<String>, memory: &Option<String>| {
        let mut out = Vec::new();
        if let Some(cpu) = cpu {
            out.push(format!("cpu={cpu}"));
        }
        if let Some(memory) = memory {
            out.push(format!("memory={memory}"));
        }
        out.join(",")
    };
    let mut flags = format!(" -c {}", quoted(container));
    for (flag, values) in [
        ("limits", pairs(limits_cpu, limits_memory)),
        ("requests", pairs(requests_cpu, requests_memory)),
    ] {
        if !values.is_empty() {
            flags.push_str(&format!(" --{flag}={}", quoted(&values)));
        }
    }
    flags
}
