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
