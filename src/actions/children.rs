//! The processes actions start (a backup's `take` command, a verification's `pg_restore`) run
//! in process groups of their own, so that what they start in turn can be stopped with them,
//! and are stopped when opsdeck exits: a take does not go on unseen after the cockpit is gone.

use std::collections::BTreeSet;
use std::sync::Mutex;

/// The process groups of running children (each child leads its own: pgid = pid).
static GROUPS: Mutex<BTreeSet<i32>> = Mutex::new(BTreeSet::new());

/// Makes `command` start its own process group.
pub fn own_group(command: &mut tokio::process::Command) -> &mut tokio::process::Command {
    command.process_group(0)
}

/// While alive, the child's group is known; dropped before the child was waited for (the
/// action's task cancelled, a timeout), it stops the whole group.
pub struct Group {
    pgid: Option<i32>,
}

impl Group {
    pub fn track(pid: Option<u32>) -> Group {
        let pgid = pid.and_then(|p| i32::try_from(p).ok()).filter(|p| *p > 0);
        if let (Some(pgid), Ok(mut groups)) = (pgid, GROUPS.lock()) {
            groups.insert(pgid);
        }
        Group { pgid }
    }

    /// The child ended and was waited for: leave what it left behind alone.
    pub fn finished(mut self) {
        if let (Some(pgid), Ok(mut groups)) = (self.pgid.take(), GROUPS.lock()) {
            groups.remove(&pgid);
        }
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            if let Ok(mut groups) = GROUPS.lock() {
                groups.remove(&pgid);
            }
            terminate(pgid);
        }
    }
}

/// Stops every running child's group; called as opsdeck exits. Returns how many there were.
pub fn stop_all() -> usize {
    let groups = match GROUPS.lock() {
        Ok(mut g) => std::mem::take(&mut *g),
        Err(_) => return 0,
    };
    for pgid in &groups {
        terminate(*pgid);
    }
    groups.len()
}

fn terminate(pgid: i32) {
    // SAFETY: kill(2) with a negative pid signals a process group; it touches no memory.
    unsafe {
        libc::kill(-pgid, libc::SIGTERM);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Running, not a zombie waiting to be reaped (in a container nobody may reap it).
    fn alive(pid: i32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| {
                s.rsplit_once(')')
                    .map(|(_, rest)| rest.trim_start().to_string())
            })
            .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
    }

    async fn wait_gone(pid: i32) -> bool {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            if !alive(pid) {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test]
    async fn stopping_a_group_stops_what_the_child_started_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("grandchild");
        let mut command = tokio::process::Command::new("sh");
        command
            .arg("-c")
            .arg(format!("sleep 60 & echo $! > {}; wait", pidfile.display()));
        let mut child = own_group(&mut command).spawn().unwrap();
        let group = Group::track(child.id());
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let grandchild = loop {
            if let Some(pid) = std::fs::read_to_string(&pidfile)
                .ok()
                .and_then(|t| t.trim().parse::<i32>().ok())
            {
                break pid;
            }
            assert!(std::time::Instant::now() < deadline, "no grandchild");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert!(alive(grandchild));
        assert_eq!(stop_all(), 1);
        let _ = child.wait().await;
        assert!(wait_gone(grandchild).await, "the background sleep survived");
        group.finished();
    }
}
