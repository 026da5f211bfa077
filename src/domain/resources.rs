//! A container's requests and limits (CPU, memory) as the workload's pod template has them,
//! kept as the API's quantity strings (`250m`, `512Mi`) so what is shown and sent is what the
//! cluster holds.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Quantities {
    pub cpu: Option<String>,
    pub memory: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerResources {
    pub name: String,
    pub requests: Quantities,
    pub limits: Quantities,
}

/// Whether `text` is a Kubernetes quantity of the kinds CPU and memory take: a number with an
/// optional suffix (`m`, `k`, `M`, `G`, `Ki`, `Mi`, `Gi`, `Ti`), e.g. `250m`, `1.5`, `4Gi`.
pub fn is_quantity(text: &str) -> bool {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &text[digits.len()..];
    let number = !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit());
    number && ["", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti"].contains(&suffix)
}

/// Millicores of a CPU quantity (`250m`, `1`, `1.5`).
pub fn cpu_millis(text: &str) -> Option<u64> {
    match text.strip_suffix('m') {
        Some(m) => m.parse().ok(),
        None => text
            .parse::<f64>()
            .ok()
            .map(|c| (c * 1000.0).round() as u64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_numbers_with_the_usual_suffixes() {
        for ok in ["250m", "1", "1.5", "512Mi", "4Gi", "100M"] {
            assert!(is_quantity(ok), "{ok}");
        }
        for bad in ["", "Mi", "4 Gi", "4GB", "1.2.3", "-1", "x"] {
            assert!(!is_quantity(bad), "{bad}");
        }
        assert_eq!(cpu_millis("250m"), Some(250));
        assert_eq!(cpu_millis("1.5"), Some(1500));
    }
}
