//! Port-forwards as the runner keeps them: an open forward (its local address, its counters,
//! and the guard that closes it when dropped), and the choice of its local port. The backend
//! (the cluster's adapter) opens them; the runner holds them until they are closed from the
//! list or the cockpit quits.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// How many ports past the wanted one are tried when it is taken.
pub const PORTS_TRIED: u16 = 100;

/// What a forward has carried, and why it broke if it did. Written by the forward's tasks,
/// read by the runner, which reports changes to the cockpit.
#[derive(Debug, Default)]
pub struct ForwardStats {
    /// Bytes from the local side to the pod.
    pub sent: AtomicU64,
    /// Bytes from the pod to the local side.
    pub received: AtomicU64,
    broken: Mutex<Option<String>>,
}

impl ForwardStats {
    pub fn add(&self, sent: u64, received: u64) {
        self.sent.fetch_add(sent, Ordering::Relaxed);
        self.received.fetch_add(received, Ordering::Relaxed);
    }

    /// The forward no longer reaches the pod (it is gone, or the API refused): why.
    pub fn set_broken(&self, why: String) {
        if let Ok(mut broken) = self.broken.lock() {
            *broken = Some(why);
        }
    }

    /// A connection went through again: whatever broke it is over.
    pub fn set_working(&self) {
        if let Ok(mut broken) = self.broken.lock() {
            *broken = None;
        }
    }

    /// (sent, received, why it is broken).
    pub fn read(&self) -> (u64, u64, Option<String>) {
        let broken = self.broken.lock().ok().and_then(|b| b.clone());
        (
            self.sent.load(Ordering::Relaxed),
            self.received.load(Ordering::Relaxed),
            broken,
        )
    }
}

/// An open forward. Dropping it closes the listener and every connection through it.
pub struct OpenForward {
    pub local: SocketAddr,
    pub stats: std::sync::Arc<ForwardStats>,
    /// Whatever keeps the forward open (the backend's tasks); dropped to close it.
    pub guard: Box<dyn Send + Sync>,
}

/// Binds 127.0.0.1 at `wanted` when it is free, else at the next free port up to
/// `PORTS_TRIED` past it (as `kubectl port-forward` would fail, we move on: the operator sees
/// the port chosen in the list). Port 0 asks the system for any free port.
pub fn bind_local(wanted: u16) -> Result<TcpListener, String> {
    let last = wanted.saturating_add(PORTS_TRIED);
    for port in wanted..=last {
        if let Ok(listener) = TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
            return Ok(listener);
        }
        if port == 0 {
            break;
        }
    }
    Err(format!(
        "no free local port on 127.0.0.1 from {wanted} to {last}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A port that was free a moment ago (the system's choice), and is free again.
    fn free_port() -> u16 {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        l.local_addr().expect("addr").port()
    }

    #[test]
    fn the_wanted_port_when_it_is_free() {
        let port = free_port();
        let l = bind_local(port).expect("bound");
        assert_eq!(l.local_addr().unwrap().port(), port);
        assert!(l.local_addr().unwrap().ip().is_loopback());
    }

    #[test]
    fn the_next_free_port_when_the_wanted_one_is_taken() {
        let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
        let port = taken.local_addr().unwrap().port();
        if port == u16::MAX {
            return; // no port after it to move on to
        }
        let l = bind_local(port).expect("bound");
        let got = l.local_addr().unwrap().port();
        assert!(
            got > port && got <= port.saturating_add(PORTS_TRIED),
            "{got}"
        );
    }

    #[test]
    fn every_port_taken_is_an_error_naming_the_range() {
        // The last port taken: nothing after it to try.
        let Ok(_taken) = TcpListener::bind((Ipv4Addr::LOCALHOST, u16::MAX)) else {
            return; // someone else holds it; the range is then taken too
        };
        let e = bind_local(u16::MAX).expect_err("no port left");
        assert!(e.contains("65535 to 65535"), "{e}");
    }

    #[test]
    fn counters_add_up_and_a_break_clears_when_it_works_again() {
        let s = ForwardStats::default();
        s.add(10, 200);
        s.add(5, 0);
        s.set_broken("pod gone".into());
        assert_eq!(s.read(), (15, 200, Some("pod gone".into())));
        s.set_working();
        assert_eq!(s.read().2, None);
    }
}
