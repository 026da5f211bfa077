//! Pods' addresses: the simulator gives each running pod a `status.podIP` (none while it is
//! Pending), `kubectl get pods -o wide` prints it in its IP column, and the kube adapter's pod
//! rows carry the same address (the pod details' IP, the team actions' `{pod_ip}`).

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
