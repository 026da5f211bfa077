//! Port-forward from the cockpit, end to end on `--demo` in a pseudo-terminal: `F` on a pod,
//! confirmed, opens 127.0.0.1:PORT through the API's portforward (served by the simulator);
//! a plain HTTP GET there gets the pod's responder; the forwards list shows it with the bytes
//! carried, closes it, and the audit log has its intent and outcome.

mod pty;

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use pty::{Cockpit, ENTER};

const ARGS: &[&str] = &["--demo", "--pods", "48", "--operator", "e2e@test"];

/// A port free a moment ago (the system's pick), so parallel tests do not want the same one.
fn free_port() -> u16 {
    let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    l.local_addr().unwrap().port()
}

/// One GET on a fresh connection: the whole answer (the responder closes after it).
fn get(port: u16, path: &str) -> (String, usize) {
    let mut conn = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect");
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).expect("the answer");
    (String::from_utf8_lossy(&answer).into_owned(), request.len())
}

#[test]
fn f_forwards_a_pod_port_that_answers_http_and_the_list_closes_it() {
    let port = free_port();
    let mut c = Cockpit::start(140, 40, ARGS);
    c.wait_for("● live");
    c.keys(&["2", "/"]);
    c.type_text("redis-0");
    c.keys(&[ENTER]);
    c.wait_for("Pods 1 of 61");
    c.keys(&["F"]);
    c.wait_for("Forward a port of data/redis-0");
    c.wait_for("kubectl -n data port-forward pod/redis-0 8080:8080");
    c.type_text(&port.to_string());
    c.wait_for(&format!(
        "kubectl -n data port-forward pod/redis-0 {port}:{port}"
    ));
    c.wait_for("✔ ready");
    c.keys(&[ENTER, ENTER]);
    c.wait_for(&format!("open on 127.0.0.1:{port}"));
    c.wait_for("pf:1");

    let (answer, sent) = get(port, "/health");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    assert!(
        answer.ends_with("{\"status\":\"UP\",\"pod\":\"redis-0\",\"container\":\"redis\"}\n"),
        "{answer}"
    );

    // The list: which pod, local → remote, and the bytes each way once counted.
    c.keys(&["\x10"]);
    c.wait_for("Port-forwards: 1 open");
    c.wait_for(&format!("127.0.0.1:{port} → data/redis-0:{port}"));
    c.wait_for(&format!("sent {sent} B"));
    c.wait_for(&format!("received {} B", answer.len()));
    c.wait_for("x closes the chosen one");
    c.keys(&["x"]);
    c.wait_for("No port-forwards open");
    c.wait_for_absence("pf:1");

    // Closed means closed: nothing listens there any more.
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
        assert!(Instant::now() < deadline, "127.0.0.1:{port} still accepts");
        std::thread::sleep(Duration::from_millis(50));
    }

    let records = c.audit_json();
    let phases: Vec<(&str, &str)> = records
        .iter()
        .map(|r| (r["phase"].as_str().unwrap(), r["action"].as_str().unwrap()))
        .collect();
    assert_eq!(
        phases,
        [("intent", "port-forward"), ("outcome", "port-forward")]
    );
    assert_eq!(records[0]["target"], "data/pod/redis-0");
    assert_eq!(records[0]["operator"], "e2e@test");
    assert_eq!(records[1]["result"], "ok", "{}", records[1]);
    let text = std::fs::read_to_string(c.audit_file()).expect("the audit file");
    assert!(
        text.contains(&format!("open on 127.0.0.1:{port}")),
        "{text}"
    );
    // What passed through is not on record.
    assert!(!text.contains("\"status\":\"UP\""), "{text}");
    // q closes the list first, then quits.
    c.keys(&["q"]);
    c.wait_for_absence("Port-forwards:");
    c.keys(&["q"]);
    assert_eq!(c.exit_code(), 0);
}
