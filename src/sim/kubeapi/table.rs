//! Server-side printing: the `Table` kubectl asks for (`Accept: ...;as=Table`), with the
//! columns `kubectl get` shows for each resource.

use serde_json::{Value, json};

use super::Resource;
use crate::domain::UnixTime;
use crate::domain::time::format_age;

type Cell = fn(&Value, UnixTime) -> Value;

fn columns(resource: Resource) -> Vec<(&'static str, Cell)> {
    match resource {
        Resource::Pods => vec![
            ("Name", name),
            ("Ready", |o, _| {
                let s = o["status"]["containerStatuses"].as_array();
                let total = o["spec"]["containers"].as_array().map_or(0, Vec::len);
                let ready = s.map_or(0, |s| s.iter().filter(|c| c["ready"] == true).count());
                json!(format!("{ready}/{total}"))
            }),
            ("Status", |o, _| json!(pod_status(o))),
            ("Restarts", |o, _| {
                let s = o["status"]["containerStatuses"].as_array();
                json!(s.map_or(0, |s| {
                    s.iter()
                        .map(|c| c["restartCount"].as_u64().unwrap_or(0))
                        .sum::<u64>()
                }))
            }),
            ("Age", age),
            ("IP", |o, _| {
                json!(o["status"]["podIP"].as_str().unwrap_or("<none>"))
            }),
            ("Node", |o, _| {
                json!(o["spec"]["nodeName"].as_str().unwrap_or("<none>"))
            }),
        ],
        Resource::Deployments => vec![
            ("Name", name),
            ("Ready", ready_of_desired),
            ("Up-to-date", |o, _| {
                json!(num(&o["status"]["updatedReplicas"]))
            }),
            ("Available", |o, _| {
                json!(num(&o["status"]["availableReplicas"]))
            }),
            ("Age", age),
        ],
        Resource::StatefulSets => vec![("Name", name), ("Ready", ready_of_desired), ("Age", age)],
        Resource::ReplicaSets => vec![
            ("Name", name),
            ("Desired", |o, _| json!(num(&o["spec"]["replicas"]))),
            ("Current", |o, _| json!(num(&o["status"]["replicas"]))),
            ("Ready", |o, _| json!(num(&o["status"]["readyReplicas"]))),
            ("Age", age),
        ],
        Resource::Services => vec![
            ("Name", name),
            ("Type", |o, _| {
                json!(o["spec"]["type"].as_str().unwrap_or("ClusterIP"))
            }),
            ("Cluster-IP", |o, _| {
                json!(o["spec"]["clusterIP"].as_str().unwrap_or("None"))
            }),
            ("External-IP", |_, _| json!("<none>")),
            ("Port(s)", |o, _| {
                let ports: Vec<String> = o["spec"]["ports"]
                    .as_array()
                    .map(|ports| {
                        ports
                            .iter()
                            .map(|p| {
                                format!("{}/{}", p["port"], p["protocol"].as_str().unwrap_or("TCP"))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                json!(ports.join(","))
            }),
            ("Age", age),
        ],
        Resource::Nodes => vec![
            ("Name", name),
            ("Status", |o, _| {
                let ready = o["status"]["conditions"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["type"] == "Ready"))
                    .is_some_and(|c| c["status"] == "True");
                let mut status = if ready { "Ready" } else { "NotReady" }.to_string();
                if o["spec"]["unschedulable"] == true {
                    status.push_str(",SchedulingDisabled");
                }
                json!(status)
            }),
            ("Roles", |o, _| {
                let roles: Vec<&str> = o["metadata"]["labels"]
                    .as_object()
                    .map(|l| {
                        l.keys()
                            .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/"))
                            .collect()
                    })
                    .unwrap_or_default();
                json!(if roles.is_empty() {
                    "<none>".to_string()
                } else {
                    roles.join(",")
                })
            }),
            ("Age", age),
            ("Version", |o, _| {
                json!(
                    o["status"]["nodeInfo"]["kubeletVersion"]
                        .as_str()
                        .unwrap_or("")
                )
            }),
        ],
        Resource::NetworkPolicies => vec![
            ("Name", name),
            ("Pod-Selector", |o, _| {
                let labels = o["spec"]["podSelector"]["matchLabels"].as_object();
                let text = labels.map_or(String::new(), |m| {
                    m.iter()
                        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join(",")
                });
                json!(if text.is_empty() {
                    "<none>".to_string()
                } else {
                    text
                })
            }),
            ("Age", age),
        ],
        Resource::PodDisruptionBudgets => vec![
            ("Name", name),
            ("Min Available", |o, _| or_na(&o["spec"]["minAvailable"])),
            ("Max Unavailable", |o, _| {
                or_na(&o["spec"]["maxUnavailable"])
            }),
            ("Allowed Disruptions", |o, _| {
                json!(num(&o["status"]["disruptionsAllowed"]))
            }),
            ("Age", age),
        ],
        Resource::DaemonSets => vec![
            ("Name", name),
            ("Desired", |o, _| {
                json!(num(&o["status"]["desiredNumberScheduled"]))
            }),
            ("Current", |o, _| {
                json!(num(&o["status"]["currentNumberScheduled"]))
            }),
            ("Ready", |o, _| json!(num(&o["status"]["numberReady"]))),
            ("Up-to-date", |o, _| {
                json!(num(&o["status"]["updatedNumberScheduled"]))
            }),
            ("Available", |o, _| {
                json!(num(&o["status"]["numberAvailable"]))
            }),
            ("Node Selector", |_, _| json!("<none>")),
            ("Age", age),
        ],
        Resource::CronJobs => vec![
            ("Name", name),
            ("Schedule", |o, _| o["spec"]["schedule"].clone()),
            ("Timezone", |o, _| {
                json!(o["spec"]["timeZone"].as_str().unwrap_or("<none>"))
            }),
            ("Suspend", |o, _| {
                json!(if o["spec"]["suspend"] == true {
                    "True"
                } else {
                    "False"
                })
            }),
            ("Active", |o, _| {
                json!(o["status"]["active"].as_array().map_or(0, Vec::len))
            }),
            (
                "Last Schedule",
                |o, now| match o["status"]["lastScheduleTime"] {
                    Value::Null => json!("<none>"),
                    ref t => since(t, now),
                },
            ),
            ("Age", age),
        ],
        Resource::Jobs => vec![
            ("Name", name),
            ("Status", |o, _| json!(job_status(o))),
            ("Completions", |o, _| {
                json!(format!(
                    "{}/{}",
                    num(&o["status"]["succeeded"]),
                    num(&o["spec"]["completions"])
                ))
            }),
            ("Duration", |o, now| {
                let time = |k: &str| o["status"][k].as_str().and_then(UnixTime::parse_rfc3339);
                match (time("startTime"), time("completionTime")) {
                    (None, _) => json!(""),
                    (Some(start), end) => json!(crate::domain::job::human_duration(
                        (end.unwrap_or(now).0 - start.0).max(0) as u64
                    )),
                }
            }),
            ("Age", age),
        ],
        Resource::Namespaces => vec![
            ("Name", name),
            ("Status", |o, _| o["status"]["phase"].clone()),
            ("Age", age),
        ],
        Resource::Events => vec![
            ("Last Seen", |o, now| since(&o["lastTimestamp"], now)),
            ("Type", |o, _| o["type"].clone()),
            ("Reason", |o, _| o["reason"].clone()),
            ("Object", |o, _| {
                let i = &o["involvedObject"];
                json!(format!(
                    "{}/{}",
                    i["kind"].as_str().unwrap_or("").to_lowercase(),
                    i["name"].as_str().unwrap_or("")
                ))
            }),
            ("Message", |o, _| o["message"].clone()),
        ],
        Resource::HorizontalPodAutoscalers => vec![
            ("Name", name),
            ("Reference", |o, _| {
                let r = &o["spec"]["scaleTargetRef"];
                json!(format!(
                    "{}/{}",
                    r["kind"].as_str().unwrap_or(""),
                    r["name"].as_str().unwrap_or("")
                ))
            }),
            ("Targets", |o, _| json!(super::render_hpa::targets(o))),
            ("MinPods", |o, _| json!(num(&o["spec"]["minReplicas"]))),
            ("MaxPods", |o, _| json!(num(&o["spec"]["maxReplicas"]))),
            ("Replicas", |o, _| {
                json!(num(&o["status"]["currentReplicas"]))
            }),
            ("Age", age),
        ],
        Resource::ConfigMaps => vec![("Name", name), ("Data", data_count), ("Age", age)],
        Resource::Secrets => vec![
            ("Name", name),
            ("Type", |o, _| o["type"].clone()),
            ("Data", data_count),
            ("Age", age),
        ],
    }
}

/// A budget's number or percentage as kubectl prints it, `N/A` when it is not set.
fn or_na(v: &Value) -> Value {
    match v {
        Value::Number(n) => json!(n.to_string()),
        Value::String(s) => json!(s),
        _ => json!("N/A"),
    }
}

/// How many keys a ConfigMap's or Secret's `data` has (kubectl's DATA column).
fn data_count(o: &Value, _: UnixTime) -> Value {
    json!(o["data"].as_object().map_or(0, |d| d.len()))
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// `ready/desired` of a deployment or statefulset.
fn ready_of_desired(o: &Value, _: UnixTime) -> Value {
    json!(format!(
        "{}/{}",
        num(&o["status"]["readyReplicas"]),
        num(&o["spec"]["replicas"])
    ))
}

fn name(o: &Value, _: UnixTime) -> Value {
    o["metadata"]["name"].clone()
}

fn age(o: &Value, now: UnixTime) -> Value {
    since(&o["metadata"]["creationTimestamp"], now)
}

fn since(stamp: &Value, now: UnixTime) -> Value {
    match stamp.as_str().and_then(UnixTime::parse_rfc3339) {
        Some(t) => json!(format_age(t.age_at(now))),
        None => json!("<unknown>"),
    }
}

/// A Job's STATUS as the API server prints it (1.30): its condition that is true.
fn job_status(o: &Value) -> &'static str {
    let has = |kind: &str| {
        o["status"]["conditions"]
            .as_array()
            .is_some_and(|c| c.iter().any(|c| c["type"] == kind && c["status"] == "True"))
    };
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if has("Suspended") {
        "Suspended"
    } else {
        "Running"
    }
}

/// What kubectl prints in STATUS: a container's waiting reason, else the phase.
pub fn pod_status(pod: &Value) -> String {
    let waiting = pod["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|c| {
            c["state"]["waiting"]["reason"]
                .as_str()
                .or(c["state"]["terminated"]["reason"].as_str())
        });
    waiting
        .or_else(|| pod["status"]["phase"].as_str())
        .unwrap_or("Unknown")
        .to_string()
}

/// What a Table row carries of its object (`includeObject`): kubectl asks for the whole
/// object when it sorts (`--sort-by=.lastTimestamp`), as the API server then sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    None,
    Metadata,
    Object,
}

impl Include {
    pub fn of(param: Option<&String>) -> Include {
        match param.map(String::as_str) {
            Some("None") => Include::None,
            Some("Object") => Include::Object,
            _ => Include::Metadata,
        }
    }
}

/// The Table's rows with what `include` asks of their objects (`table` gives the metadata).
pub fn include_objects(mut table: Value, items: &[Value], include: Include) -> Value {
    if include == Include::Metadata {
        return table;
    }
    if let Some(rows) = table["rows"].as_array_mut() {
        for (row, item) in rows.iter_mut().zip(items) {
            row["object"] = match include {
                Include::Object => item.clone(),
                _ => Value::Null,
            };
        }
    }
    table
}

/// Whether the client asked for a Table.
pub fn wants_table(accept: &str) -> bool {
    accept.contains("as=Table")
}

/// The list page as a Table.
pub fn table(
    resource: Resource,
    items: &[Value],
    rv: u64,
    continue_token: Option<&str>,
    now: UnixTime,
) -> Value {
    let columns = columns(resource);
    let definitions: Vec<Value> = columns
        .iter()
        .enumerate()
        .map(|(i, (title, _))| {
            json!({
                "name": title, "type": "string", "format": if i == 0 { "name" } else { "" },
                "description": "", "priority": if matches!(*title, "Node" | "IP") { 1 } else { 0 },
            })
        })
        .collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            let cells: Vec<Value> = columns.iter().map(|(_, cell)| cell(o, now)).collect();
            json!({
                "cells": cells,
                "object": {
                    "kind": "PartialObjectMetadata",
                    "apiVersion": "meta.k8s.io/v1",
                    "metadata": o["metadata"],
                },
            })
        })
        .collect();
    let mut metadata = json!({"resourceVersion": rv.to_string()});
    if let Some(token) = continue_token {
        metadata["continue"] = json!(token);
    }
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": metadata,
        "columnDefinitions": definitions,
        "rows": rows,
    })
}
