//! The simulator's RBAC: everything is allowed except what a denial names, so tests (and the
//! demo, for `monitoring`) can show a refusal. Answers SelfSubjectAccessReviews and guards writes.

use serde_json::{Value, json};

/// The user the simulator says the caller is, in Forbidden messages.
pub const USER: &str = "opsdeck-sim-operator";

/// Denies (or, among `Policy::allowed`, grants back) `verbs` on `resource` (`deployments`,
/// `deployments/scale`, `*`) in `namespace` (`*` for all, and for cluster-wide requests) to
/// `user` (`*` for everyone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub verbs: Vec<String>,
    pub resource: String,
    pub namespace: String,
    pub user: String,
}

impl Denial {
    /// Parses `VERB[,VERB]:RESOURCE:NAMESPACE[:USER]`, e.g. `patch:deployments/scale:pos`,
    /// `delete:*:monitoring` or `list,watch:pods:*:alice`.
    pub fn parse(text: &str) -> Result<Denial, String> {
        let parts: Vec<&str> = text.split(':').collect();
        let (verbs, resource, namespace, user) = match parts[..] {
            [verbs, resource, namespace] => (verbs, resource, namespace, "*"),
            [verbs, resource, namespace, user] => (verbs, resource, namespace, user),
            _ => {
                return Err(format!(
                    "`{text}`: expected VERB[,VERB]:RESOURCE:NAMESPACE[:USER], e.g. patch:deployments/scale:pos"
                ));
            }
        };
        if verbs.is_empty() || resource.is_empty() || namespace.is_empty() || user.is_empty() {
            return Err(format!(
                "`{text}`: verb, resource and namespace must all be given (`*` for any)"
            ));
        }
        Ok(Denial {
            verbs: verbs.split(',').map(str::to_string).collect(),
            resource: resource.into(),
            namespace: namespace.into(),
            user: user.into(),
        })
    }

    /// A cluster-wide request has the namespace `""`: only a rule for `*` covers it, as only a
    /// ClusterRole's binding grants it in Kubernetes.
    ///
    /// A rule's resource may name its API group as kubectl does (`pods.metrics.k8s.io`): it
    /// then covers that group's resource only (a pod's usage, not the pod), as RBAC's
    /// `apiGroups` do; without one it covers the resource in any group.
    fn covers(&self, user: &str, verb: &str, resource: &str, group: &str, namespace: &str) -> bool {
        let any = |s: &str, v: &str| s == "*" || s == v;
        let (rule, rule_group) = match self.resource.split_once('.') {
            Some((r, g)) => (r, Some(g)),
            None => (self.resource.as_str(), None),
        };
        any(&self.user, user)
            && self.verbs.iter().any(|v| any(v, verb))
            && (any(rule, resource) || resource.split_once('/').is_some_and(|(r, _)| rule == r))
            && rule_group.is_none_or(|g| g == group)
            && any(&self.namespace, namespace)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    pub denials: Vec<Denial>,
    /// Exceptions to the denials (`--allow`): e.g. pods denied everywhere but two namespaces.
    pub allowed: Vec<Denial>,
}

impl Policy {
    /// The demo's: no writes in `monitoring`, so that a refusal can be seen there.
    pub fn demo() -> Policy {
        Policy {
            denials: vec![Denial {
                verbs: ["create", "update", "patch", "delete"]
                    .map(String::from)
                    .to_vec(),
                resource: "*".into(),
                namespace: crate::sim::executor::FORBIDDEN_NAMESPACE.into(),
                user: "*".into(),
            }],
            allowed: Vec::new(),
        }
    }

    /// `Err(reason)` when a denial covers the request. `resource` may carry a subresource
    /// (`deployments/scale`); a denial of the resource covers its subresources.
    pub fn check(&self, verb: &str, resource: &str, namespace: &str) -> Result<(), String> {
        self.check_as(USER, verb, resource, namespace)
    }

    /// `check` for `user`; `namespace` is `""` for a cluster-wide request.
    pub fn check_as(
        &self,
        user: &str,
        verb: &str,
        resource: &str,
        namespace: &str,
    ) -> Result<(), String> {
        self.check_in_group(user, verb, resource, "", namespace)
    }

    /// `check_as` for a resource of API `group` (`""` for the core group).
    pub fn check_in_group(
        &self,
        user: &str,
        verb: &str,
        resource: &str,
        group: &str,
        namespace: &str,
    ) -> Result<(), String> {
        let covered = |rules: &[Denial]| {
            rules
                .iter()
                .any(|d| d.covers(user, verb, resource, group, namespace))
        };
        if !covered(&self.denials) || covered(&self.allowed) {
            return Ok(());
        }
        Err(match namespace {
            "" => format!("the simulator's RBAC denies {verb} on {resource} cluster-wide"),
            ns => format!("the simulator's RBAC denies {verb} on {resource} in namespace {ns}"),
        })
    }
}

impl crate::sim::World {
    /// A SelfSubjectAccessReview for `user`, answered from the policy.
    pub fn api_access_review(&self, body: &Value, user: &str) -> Value {
        let attrs = &body["spec"]["resourceAttributes"];
        let text = |k: &str| attrs[k].as_str().unwrap_or_default();
        let resource = match text("subresource") {
            "" => text("resource").to_string(),
            sub => format!("{}/{sub}", text("resource")),
        };
        let decision = self.mirror().policy.check_in_group(
            user,
            text("verb"),
            &resource,
            text("group"),
            text("namespace"),
        );
        let mut status = json!({"allowed": decision.is_ok()});
        if let Err(reason) = decision {
            status["denied"] = json!(true);
            status["reason"] = json!(reason);
        }
        json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "metadata": {},
            "spec": body["spec"],
            "status": status,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denials_name_users_and_allowances_grant_namespaces_but_not_the_cluster() {
        let policy = Policy {
            denials: vec![Denial::parse("list,watch:pods:*:alice").unwrap()],
            allowed: vec![Denial::parse("list,watch:pods:pos:alice").unwrap()],
        };
        assert!(policy.check_as("alice", "list", "pods", "").is_err());
        assert!(policy.check_as("alice", "watch", "pods", "wms").is_err());
        assert!(policy.check_as("alice", "list", "pods", "pos").is_ok());
        assert!(policy.check_as("bob", "list", "pods", "").is_ok());
        assert!(policy.check_as("alice", "list", "deployments", "").is_ok());
        assert!(
            policy
                .check_as("alice", "list", "pods", "")
                .unwrap_err()
                .contains("cluster-wide")
        );
        assert!(Denial::parse("list:pods:*:").is_err());
    }

    #[test]
    fn a_rule_naming_a_group_covers_that_groups_resource_only() {
        let policy = Policy {
            denials: vec![Denial::parse("list:pods.metrics.k8s.io:*").unwrap()],
            allowed: Vec::new(),
        };
        let check = |group| policy.check_in_group(USER, "list", "pods", group, "pos");
        assert!(check("metrics.k8s.io").is_err());
        assert!(check("").is_ok(), "the pods themselves may be listed");
        let any_group = Policy {
            denials: vec![Denial::parse("list:pods:*").unwrap()],
            allowed: Vec::new(),
        };
        assert!(
            any_group
                .check_in_group(USER, "list", "pods", "metrics.k8s.io", "pos")
                .is_err()
        );
    }

    #[test]
    fn denials_cover_verbs_resources_subresources_and_namespaces() {
        let policy = Policy {
            denials: vec![Denial::parse("patch,update:deployments:pos").unwrap()],
            allowed: Vec::new(),
        };
        assert!(policy.check("patch", "deployments", "pos").is_err());
        assert!(policy.check("patch", "deployments/scale", "pos").is_err());
        assert!(policy.check("patch", "deployments", "wms").is_ok());
        assert!(policy.check("get", "deployments", "pos").is_ok());
        assert!(policy.check("delete", "pods", "pos").is_ok());
        let demo = Policy::demo();
        assert!(demo.check("delete", "pods", "monitoring").is_err());
        assert!(demo.check("list", "pods", "monitoring").is_ok());
        assert!(
            Denial::parse("patch:deployments")
                .unwrap_err()
                .contains("VERB")
        );
    }
}
