//! The simulated container's programs: what the runbooks run in a pod (`echo`, `env`, `ls`,
//! `cat` of a few files, `sleep`, `exit N`, `redis-cli ping` in the redis pod, `curl` of the
//! pod's own health URL), each answering as the real one does for those uses.

use std::time::Duration;

use super::{Container, Flow, Session};

/// The programs every container has; `bash` and `curl` only in non-alpine images, `redis-cli`
/// only in redis's.
const EVERYWHERE: [&str; 15] = [
    "sh", "echo", "env", "printenv", "ls", "cat", "sleep", "exit", "pwd", "hostname", "whoami",
    "true", "false", "stty", "id",
];

pub fn exists(container: &Container, program: &str) -> bool {
    let program = program.rsplit('/').next().unwrap_or(program);
    EVERYWHERE.contains(&program)
        || (program == "bash" && !container.alpine())
        || (program == "curl" && !container.alpine())
        || (program == "redis-cli" && container.redis())
}

/// The container's environment, as `env` lists it.
fn environment(container: &Container, tty: bool) -> Vec<(&'static str, String)> {
    let mut env = vec![
        (
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
        ),
        ("HOSTNAME", container.pod.clone()),
        ("HOME", "/root".into()),
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1".into()),
        ("KUBERNETES_SERVICE_PORT", "443".into()),
        ("POD_NAMESPACE", container.namespace.clone()),
    ];
    if tty {
        env.push(("TERM", "xterm".into()));
    }
    env
}

/// A variable's value for the command line: the environment, `$?`, and on a terminal the
/// size the client last sent (`$COLUMNS`, `$LINES`).
pub fn variable(
    container: &Container,
    tty: bool,
    size: Option<(u16, u16)>,
    name: &str,
    last: i32,
) -> Option<String> {
    match (name, size) {
        ("?", _) => Some(last.to_string()),
        ("COLUMNS", Some((w, _))) => Some(w.to_string()),
        ("LINES", Some((_, h))) => Some(h.to_string()),
        _ => environment(container, tty)
            .into_iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v),
    }
}

/// The few files `cat` can read, and the directories `ls` lists.
fn file(container: &Container, path: &str) -> Option<String> {
    let os = if container.alpine() {
        "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.18.4\n"
    } else {
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
    };
    Some(match path {
        "/etc/hostname" => format!("{}\n", container.pod),
        "/etc/os-release" => os.to_string(),
        "/etc/resolv.conf" => format!(
            "search {ns}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
            ns = container.namespace
        ),
        "/app/config.yaml" => format!(
            "service: {}\nlisten: 0.0.0.0:8080\nhealth: /health\n",
            container.container
        ),
        _ => return None,
    })
}

fn directory(path: &str) -> Option<&'static str> {
    Some(match path.trim_end_matches('/') {
        "" => "app\nbin\ndev\netc\nhome\nproc\nroot\ntmp\nusr\nvar\n",
        "/app" => "config.yaml\n",
        "/etc" => "hostname\nos-release\nresolv.conf\n",
        "/tmp" | "/root" | "/home" => "",
        _ => return None,
    })
}

/// What the pod's tiny HTTP responder answers on its health URL (port-forward serves it too).
pub fn health_body(container: &Container) -> String {
    format!(
        "{{\"status\":\"UP\",\"pod\":\"{}\",\"container\":\"{}\"}}\n",
        container.pod, container.container
    )
}

impl Session {
    /// Runs one command; a builtin's status, or `exit`'s.
    pub(super) async fn command(&mut self, argv: &[String]) -> Flow {
        let Some(program) = argv.first() else {
            return Flow::Status(0);
        };
        let name = program.rsplit('/').next().unwrap_or(program).to_string();
        let args = &argv[1..];
        let status = match name.as_str() {
            _ if !exists(&self.container, &name) => {
                self.error(&format!("sh: {program}: not found\n")).await;
                127
            }
            "sh" | "bash" => match args {
                [flag, script, ..] if flag == "-c" => return self.script(script).await,
                [flag] if flag == "-c" => {
                    self.error(&format!("{name}: -c: option requires an argument\n"))
                        .await;
                    2
                }
                _ => self.interactive().await,
            },
            "exit" => return Flow::Exit(args.first().map_or(self.last, |a| exit_code(a))),
            "echo" => {
                let (newline, words) = match args.first() {
                    Some(flag) if flag == "-n" => (false, &args[1..]),
                    _ => (true, args),
                };
                let mut text = words.join(" ");
                if newline {
                    text.push('\n');
                }
                self.write(&text).await;
                0
            }
            "env" => {
                let text: String = environment(&self.container, self.tty)
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}\n"))
                    .collect();
                self.write(&text).await;
                0
            }
            "printenv" => {
                let want = args.first().cloned().unwrap_or_default();
                let found = environment(&self.container, self.tty)
                    .into_iter()
                    .find(|(k, _)| *k == want);
                match found {
                    Some((_, v)) => {
                        self.write(&format!("{v}\n")).await;
                        0
                    }
                    None => 1,
                }
            }
            "ls" => {
                let path = args.iter().find(|a| !a.starts_with('-'));
                match directory(path.map_or("/", String::as_str)) {
                    Some(listing) => {
                        self.write(listing).await;
                        0
                    }
                    None => {
                        let path = path.map_or("/", String::as_str);
                        self.error(&format!(
                            "ls: cannot access '{path}': No such file or directory\n"
                        ))
                        .await;
                        2
                    }
                }
            }
            "cat" => {
                let mut status = 0;
                for path in args {
                    match file(&self.container, path) {
                        Some(text) => self.write(&text).await,
                        None => {
                            self.error(&format!("cat: {path}: No such file or directory\n"))
                                .await;
                            status = 1;
                        }
                    }
                }
                status
            }
            "sleep" => match args.first().and_then(|a| a.parse::<f64>().ok()) {
                Some(secs) if secs >= 0.0 => self.sleep(Duration::from_secs_f64(secs)).await,
                _ => {
                    self.error("sleep: invalid time interval\n").await;
                    1
                }
            },
            "pwd" => self.say("/\n").await,
            "hostname" => {
                let pod = format!("{}\n", self.container.pod);
                self.say(&pod).await
            }
            "whoami" => self.say("root\n").await,
            "id" => self.say("uid=0(root) gid=0(root) groups=0(root)\n").await,
            "true" => 0,
            "false" => 1,
            "stty" => match (args.first().map(String::as_str), self.tty, self.size) {
                (Some("size"), true, Some((w, h))) => self.say(&format!("{h} {w}\n")).await,
                (Some("size"), true, None) => self.say("24 80\n").await,
                _ => {
                    self.error("stty: 'standard input': Not a tty\n").await;
                    1
                }
            },
            "redis-cli" => self.redis_cli(args).await,
            "curl" => self.curl(args).await,
            _ => 0,
        };
        Flow::Status(status)
    }

    async fn say(&mut self, text: &str) -> i32 {
        self.write(text).await;
        0
    }

    async fn redis_cli(&mut self, args: &[String]) -> i32 {
        let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        match words.first().map(|w| w.to_ascii_lowercase()).as_deref() {
            Some("ping") => self.say("PONG\n").await,
            Some("dbsize") => self.say("(integer) 48213\n").await,
            Some(other) => {
                let text =
                    format!("(error) ERR unknown command '{other}', with args beginning with: \n");
                self.say(&text).await
            }
            None => {
                self.error("redis-cli: the simulated redis-cli has no interactive mode\n")
                    .await;
                1
            }
        }
    }

    /// `curl URL`: the pod's own responder on localhost (its health URL); any other host does
    /// not resolve, as from a pod without egress.
    async fn curl(&mut self, args: &[String]) -> i32 {
        let Some(url) = args.iter().find(|a| !a.starts_with('-')) else {
            self.error("curl: try 'curl --help' for more information\n")
                .await;
            return 2;
        };
        let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if host == "localhost" || host == "127.0.0.1" {
            let body = health_body(&self.container);
            return self.say(&body).await;
        }
        self.error(&format!("curl: (6) Could not resolve host: {host}\n"))
            .await;
        6
    }
}

/// `exit`'s argument as a shell takes it: modulo 256, 2 for one that is not a number.
fn exit_code(arg: &str) -> i32 {
    arg.parse::<i64>().map_or(2, |n| n.rem_euclid(256) as i32)
}
