//! `opsdeck sim` run as a process for a test: a frozen simulated cluster on a free port, its
//! kubeconfig, and kubectl pointed at it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use opsdeck::config::KubernetesConfig;
use serde_json::Value;

pub struct Sim {
    child: Child,
    pub port: u16,
    args: Vec<String>,
    pub dir: tempfile::TempDir,
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Sim {
    /// A frozen simulator (nothing changes by itself) with 60 pods, and `extra` arguments.
    pub fn start(extra: &[&str]) -> Sim {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut args: Vec<String> = ["sim", "--freeze", "--pods", "60", "--seed", "7"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let port = free_port();
        let child = Sim::spawn(&args, port, &dir);
        let sim = Sim {
            child,
            port,
            args,
            dir,
        };
        sim.wait_ready();
        sim
    }

    /// A frozen simulator with `pods` pods (seed 7), and `extra` arguments.
    pub fn start_with_pods(pods: usize, extra: &[&str]) -> Sim {
        let dir = tempfile::tempdir().expect("temp dir");
        let pods = pods.to_string();
        let mut args: Vec<String> = ["sim", "--freeze", "--pods", &pods, "--seed", "7"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let port = free_port();
        let child = Sim::spawn(&args, port, &dir);
        let sim = Sim {
            child,
            port,
            args,
            dir,
        };
        sim.wait_ready();
        sim
    }

    /// A live simulator (its controllers run: a replacement pod gets Ready two ticks after it
    /// is made) without random churn: `--pods 300 --seed 42 --churn 0`, and `extra`.
    pub fn start_live(extra: &[&str]) -> Sim {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut args: Vec<String> = ["sim", "--pods", "300", "--seed", "42", "--churn", "0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        let port = free_port();
        let child = Sim::spawn(&args, port, &dir);
        let sim = Sim {
            child,
            port,
            args,
            dir,
        };
        sim.wait_ready();
        sim
    }

    pub fn spawn(args: &[String], port: u16, dir: &tempfile::TempDir) -> Child {
        Command::new(env!("CARGO_BIN_EXE_opsdeck"))
            .args(args)
            .args(["--listen", &format!("127.0.0.1:{port}")])
            .arg("--kubeconfig-out")
            .arg(dir.path().join("kubeconfig"))
            .env("HOME", dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start opsdeck sim")
    }

    pub fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err()
            || !self.kubeconfig().exists()
        {
            assert!(Instant::now() < deadline, "opsdeck sim did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("kubeconfig")
    }

    /// Kills the simulator as `kill -9` would, and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port.
    pub fn restart(&mut self) {
        self.child = Sim::spawn(&self.args, self.port, &self.dir);
        self.wait_ready();
    }

    pub fn kubectl(&self, args: &[&str]) -> Output {
        Command::new("kubectl")
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .env("HOME", self.dir.path())
            .output()
            .expect("kubectl is installed (scripts/test installs kubernetes-client)")
    }

    /// Runs kubectl, which must succeed; its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.kubectl(args);
        assert!(
            out.status.success(),
            "kubectl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        serde_json::from_str(&self.ok(&all)).expect("kubectl printed JSON")
    }

    pub fn cluster(&self) -> KubernetesConfig {
        KubernetesConfig {
            kubeconfig: Some(self.kubeconfig()),
            ..KubernetesConfig::default()
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.kill();
    }
}
