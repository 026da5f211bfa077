//! Rows that one Kubernetes cluster reported: each names its kubeconfig context, so that the
//! rows of several clusters watched at once never mix (two clusters may both have a
//! `pos/pos-catalog`). The estate sets the context from the reporting source; replacing one
//! cluster's rows leaves the others' alone.

use std::sync::{Arc, LazyLock};

/// The context of a row no cluster has claimed yet (what an adapter sends: it watches one).
pub fn no_context() -> Arc<str> {
    static EMPTY: LazyLock<Arc<str>> = LazyLock::new(|| Arc::from(""));
    EMPTY.clone()
}

/// A row of a Kubernetes kind, stamped with its cluster.
pub trait ClusterRow {
    fn context(&self) -> &Arc<str>;
    fn set_context(&mut self, context: Arc<str>);
}

macro_rules! cluster_row {
    ($($t:ty),* $(,)?) => {$(
        impl ClusterRow for $t {
            fn context(&self) -> &Arc<str> {
                &self.context
            }
            fn set_context(&mut self, context: Arc<str>) {
                self.context = context;
            }
        }
    )*};
}

cluster_row!(
    super::workload::Workload,
    super::workload::NamespaceInfo,
    super::workload::K8sEvent,
    super::node::Node,
    super::job::CronJob,
    super::job::Job,
    super::configs::ConfigObject,
    super::hpa::Hpa,
);

/// Puts `new` (one cluster's whole set, already in the order wanted within it) in place of that
/// cluster's rows, keeping the rows grouped by context in context order. Whether anything
/// changed.
pub fn replace_cluster<T: ClusterRow + PartialEq>(
    rows: &mut Vec<T>,
    context: &Arc<str>,
    mut new: Vec<T>,
) -> bool {
    for row in &mut new {
        row.set_context(context.clone());
    }
    let mut old = rows.iter().filter(|r| r.context() == context);
    let same = old.clone().count() == new.len() && new.iter().all(|n| old.next() == Some(n));
    if same {
        return false;
    }
    rows.retain(|r| r.context() != context);
    let at = rows.partition_point(|r| **r.context() < **context);
    rows.splice(at..at, new);
    true
}

/// Drops one cluster's rows; whether there were any.
pub fn forget_cluster<T: ClusterRow>(rows: &mut Vec<T>, context: &str) -> bool {
    let before = rows.len();
    rows.retain(|r| &**r.context() != context);
    rows.len() != before
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workload::NamespaceInfo;

    fn ns(name: &str) -> NamespaceInfo {
        NamespaceInfo {
            context: no_context(),
            name: name.into(),
            locked_down: false,
        }
    }

    #[test]
    fn one_clusters_rows_are_replaced_and_the_others_kept_in_context_order() {
        let (eu, us): (Arc<str>, Arc<str>) = ("prod-eu".into(), "prod-us".into());
        let mut rows = Vec::new();
        assert!(replace_cluster(&mut rows, &us, vec![ns("pos"), ns("data")]));
        assert!(replace_cluster(&mut rows, &eu, vec![ns("pos")]));
        let seen: Vec<_> = rows
            .iter()
            .map(|r| format!("{}:{}", r.context, r.name))
            .collect();
        assert_eq!(seen, ["prod-eu:pos", "prod-us:pos", "prod-us:data"]);
        assert!(
            !replace_cluster(&mut rows, &us, vec![ns("pos"), ns("data")]),
            "same set"
        );
        assert!(replace_cluster(&mut rows, &us, vec![ns("pos")]));
        let seen: Vec<_> = rows
            .iter()
            .map(|r| format!("{}:{}", r.context, r.name))
            .collect();
        assert_eq!(seen, ["prod-eu:pos", "prod-us:pos"]);
        assert!(forget_cluster(&mut rows, "prod-eu"));
        assert_eq!(rows.len(), 1);
        assert_eq!(&*rows[0].context, "prod-us");
    }
}
