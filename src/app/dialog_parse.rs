//! The dialog's text fields read as what they stand for: a port-forward's ports, a one-off
//! command's arguments (re-exported from `dialog`).

/// A port-forward's ports as `kubectl port-forward` takes them: `8080` (the same number
/// locally) or `3000:8080` (local 3000 to the pod's 8080).
pub fn forward_ports(text: &str) -> Result<(u16, u16), String> {
    let port = |p: &str| p.trim().parse::<u16>().ok().filter(|p| *p > 0);
    let text = text.trim();
    let parsed = match text.split_once(':') {
        Some((l, r)) => port(l).zip(port(r)),
        None => port(text).map(|p| (p, p)),
    };
    parsed.ok_or_else(|| "ports: PORT or LOCAL:REMOTE, each 1 to 65535, e.g. 3000:8080".into())
}

/// A command line as its arguments: quotes keep blanks, `$NAME` stays as typed (no shell
/// expands it; `sh -c '...'` for one that should). One command only.
pub fn command_words(line: &str) -> Result<Vec<String>, String> {
    let keep = |name: &str| Some(format!("${name}"));
    let mut commands =
        crate::domain::shell_words::parse(line, keep).map_err(|e| format!("command: {e}"))?;
    match commands.len() {
        0 => Err("command: type the command to run, e.g. redis-cli ping".into()),
        // No shell runs it, so a redirect would be dropped, not obeyed.
        1 if commands[0].to_stderr => {
            Err("command: no shell runs it to redirect; sh -c '... >&2' for that".into())
        }
        1 => Ok(commands.remove(0).words),
        _ => Err("command: one command; for several, sh -c '...; ...'".into()),
    }
}
