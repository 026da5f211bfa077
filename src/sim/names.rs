//! Kubernetes-looking generated names (`pos-order-7c9f8b6d5f-x2kqp`).

/// The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes).
const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

pub fn suffix(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len)
        .map(|_| ALPHABET[rng.usize(..ALPHABET.len())] as char)
        .collect()
}

/// A ReplicaSet's pod-template hash for a revision: stable for a (workload, revision) pair.
pub fn template_hash(workload: &str, revision: u64) -> String {
    let mut rng = fastrand::Rng::with_seed(
        workload
            .bytes()
            .fold(revision.wrapping_mul(0x9e37_79b9_7f4a_7c15), |h, b| {
                h.rotate_left(5) ^ u64::from(b)
            }),
    );
    suffix(&mut rng, 10)
}

/// A pod's address, given when it starts running: derived from its name, so no random number
/// is drawn and the same pod always gets the same one. In 10.0.0.0/8, as a CNI's pod range is;
/// two of 100,000 pods may share one, which nothing in the simulator minds.
pub fn pod_ip(namespace: &str, name: &str) -> std::net::IpAddr {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    ("PodIP", namespace, name).hash(&mut h);
    let h = h.finish();
    std::net::Ipv4Addr::new(10, (h >> 8) as u8, (h >> 16) as u8, (h as u8).clamp(1, 254)).into()
}
