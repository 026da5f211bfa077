//! Where pods and services are reached: the simulator gives each running pod a `status.podIP`
//! (none while it is Pending), `kubectl get pods -o wide` prints it in its IP column, and the
//! kube adapter's pod rows carry the same address (the pod details' IP, the team actions'
//! `{pod_ip}`); the adapter joins each workload to the Service selecting its pods, with the
//! port that Service sends to (what `F` on a Services row forwards).

use std::collections::BTreeMap;
use std::time::Duration;

use opsdeck::domain::Report;
use sim_process::Sim;

mod sim_process;

/// `namespace/name` → IP (or `<none>`) from `kubectl get pods -A -o wide`.
fn kubectl_ips(sim: &Sim) -> BTreeMap<String, String> {
    let text = sim.ok(&["get", "pods", "-A", "-o", "wide"]);
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let ip = header
        .iter()
        .position(|h| *h == "IP")
        .expect("an IP column");
    assert_eq!(header.get(ip + 1), Some(&"NODE"), "{text}");
    lines
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (format!("{}/{}", w[0], w[1]), w[ip].to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn running_pods_have_an_address_kubectl_and_the_adapter_agree_on() {
    let sim = Sim::start(&[]);
    let by_kubectl = kubectl_ips(&sim);
    assert!(by_kubectl.len() >= 60, "{by_kubectl:?}");
    let phases = sim.json(&["get", "pods", "-A"]);
    let mut running = 0;
    for pod in phases["items"].as_array().expect("items") {
        let key = format!(
            "{}/{}",
            pod["metadata"]["namespace"].as_str().unwrap(),
            pod["metadata"]["name"].as_str().unwrap()
        );
        let ip = &by_kubectl[&key];
        if pod["status"]["phase"] == "Pending" {
            assert_eq!(ip, "<none>", "{key} is Pending");
        } else {
            running += 1;
            let addr: std::net::Ipv4Addr = ip.parse().unwrap_or_else(|_| panic!("{key}: {ip}"));
            assert_eq!(addr.octets()[0], 10, "{key}: {ip}");
            assert_eq!(pod["status"]["podIPs"][0]["ip"], ip.as_str(), "{key}");
        }
    }
    assert!(running > 50, "{running} running");
    let distinct: std::collections::HashSet<&String> =
        by_kubectl.values().filter(|ip| *ip != "<none>").collect();
    assert!(
        distinct.len() > running * 9 / 10,
        "addresses mostly distinct"
    );

    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let pods = loop {
        let report = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the pods in time")
            .expect("the adapter is running")
            .report;
        if let Report::PodsReset(pods) = report {
            break pods;
        }
    };
    assert_eq!(pods.len(), by_kubectl.len());
    for pod in &pods {
        let key = format!("{}/{}", pod.key.namespace, pod.key.name);
        let shown = pod.ip.map_or("<none>".to_string(), |ip| ip.to_string());
        assert_eq!(shown, by_kubectl[&key], "{key}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_adapter_joins_each_workload_to_the_service_that_selects_its_pods() {
    let sim = Sim::start(&[]);
    let (tx, mut rx) = tokio::sync::mpsc::channel(10_000);
    let _executor =
        opsdeck::adapters::kube::spawn(sim.cluster(), "demo".into(), Duration::from_secs(1), tx);
    let workloads = loop {
        let report = tokio::time::timeout(Duration::from_secs(20), rx.recv())
            .await
            .expect("the workloads in time")
            .expect("the adapter is running")
            .report;
        if let Report::Workloads(w) = report {
            break w;
        }
    };
    let by_name = |name: &str| {
        workloads
            .iter()
            .find(|w| w.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    // As kubectl reads the same Services.
    for name in ["pos-catalog", "grafana", "redis"] {
        let w = by_name(name);
        let svc = sim.json(&["get", "svc", "-n", &w.namespace, name]);
        let service = w
            .service
            .as_ref()
            .unwrap_or_else(|| panic!("{name} has a Service"));
        assert_eq!(service.name, name);
        assert_eq!(
            u64::from(service.port),
            svc["spec"]["ports"][0]["port"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(service.target_port),
            svc["spec"]["ports"][0]["targetPort"].as_u64().unwrap()
        );
    }
    assert_eq!(
        by_name("pos-catalog").service.as_ref().unwrap().target_port,
        8080
    );
    // A workload kubectl finds no Service for has none.
    let services = sim.ok(&["get", "svc", "-A", "-o", "name"]);
    let bare = workloads
        .iter()
        .find(|w| w.service.is_none())
        .expect("a workload without a Service");
    assert!(
        !services
            .lines()
            .any(|l| l == format!("service/{}", bare.name)),
        "{services}"
    );
}
