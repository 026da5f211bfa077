//! One resource's objects, keyed by namespace and name in order (so a list can be paged with a
//! `continue` token that is the last key served), each with its resource version.

use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::Value;

use super::ChangeKind;
use crate::domain::Pod;

/// `(namespace, name)`; the namespace is empty for cluster-scoped objects.
pub type Key = (String, String);

pub fn key_of(pod: &Pod) -> Key {
    (pod.key.namespace.to_string(), pod.key.name.to_string())
}

#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub object: T,
    pub rv: u64,
}

#[derive(Debug)]
pub struct Collection<T> {
    items: BTreeMap<Key, Entry<T>>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Collection {
            items: BTreeMap::new(),
        }
    }
}

/// The query of a list or watch request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: Selector,
    pub limit: Option<usize>,
    /// The last key of the previous page, as `namespace/name`.
    pub continue_from: Option<String>,
}

impl ListQuery {
    /// Whether a rendered object passes the namespace and selectors.
    pub fn matches(&self, object: &Value) -> bool {
        let meta = &object["metadata"];
        if let Some(ns) = &self.namespace
            && meta["namespace"].as_str() != Some(ns.as_str())
        {
            return false;
        }
        self.labels
            .matches(|k| meta["labels"][k].as_str().map(str::to_string))
            && self.fields.matches(|path| field(object, path))
    }
}

/// The value at a dotted path (`metadata.name`, `involvedObject.kind`) as text.
fn field(object: &Value, path: &str) -> Option<String> {
    let value = path.split('.').try_fold(object, |v, part| v.get(part))?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// A label or field selector: `a=b,c!=d` (equality-based, as kubectl sends them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    terms: Vec<(String, bool, String)>,
}

impl Selector {
    /// Parses a selector; set-based terms (`in`, `notin`) are refused with the reason.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut terms = Vec::new();
        for term in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            let (key, equal, value) = if let Some((k, v)) = term.split_once("!=") {
                (k, false, v)
            } else if let Some((k, v)) = term.split_once("==") {
                (k, true, v)
            } else if let Some((k, v)) = term.split_once('=') {
                (k, true, v)
            } else {
                return Err(format!(
                    "selector term `{term}`: the simulator understands key=value and key!=value"
                ));
            };
            terms.push((key.trim().to_string(), equal, value.trim().to_string()));
        }
        Ok(Selector { terms })
    }

    pub fn matches(&self, lookup: impl Fn(&str) -> Option<String>) -> bool {
        self.terms.iter().all(|(key, equal, value)| {
            let found = lookup(key);
            (found.as_deref() == Some(value.as_str())) == *equal
        })
    }

    /// The value of `key=value`, if the selector has such a term.
    pub fn equal_to(&self, key: &str) -> Option<&str> {
        self.terms
            .iter()
            .find(|(k, equal, _)| k == key && *equal)
            .map(|(_, _, v)| v.as_str())
    }
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page {
    pub items: Vec<Value>,
    pub rv: u64,
    pub continue_token: Option<String>,
    /// How many objects the pages after this one hold, when the list has no selector (as
    /// the API server's `remainingItemCount`): a client's estimate of the whole list.
    pub remaining: Option<usize>,
}

impl<T: PartialEq> Collection<T> {
    /// Stores `object`; returns what kind of change it was, or `None` when nothing changed.
    pub fn upsert(&mut self, key: Key, object: T, rv: u64) -> Option<ChangeKind> {
        match self.items.get_mut(&key) {
            Some(entry) if entry.object == object => None,
            Some(entry) => {
                *entry = Entry { object, rv };
                Some(ChangeKind::Modified)
            }
            None => {
                self.items.insert(key, Entry { object, rv });
                Some(ChangeKind::Added)
            }
        }
    }
}

impl<T> Collection<T> {
    pub fn remove(&mut self, key: &Key) -> Option<Entry<T>> {
        self.items.remove(key)
    }

    pub fn get(&self, key: &Key) -> Option<&Entry<T>> {
        self.items.get(key)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &Key> {
        self.items.keys()
    }

    pub fn keys_in<'a>(&'a self, namespace: &'a str) -> impl Iterator<Item = &'a Key> + 'a {
        self.range_in(Some(namespace)).map(|(k, _)| k)
    }

    pub fn iter_in<'a>(&'a self, namespace: Option<&'a str>) -> impl Iterator<Item = &'a Entry<T>> {
        self.range_in(namespace).map(|(_, e)| e)
    }

    fn range_in<'a>(
        &'a self,
        namespace: Option<&'a str>,
    ) -> Box<dyn Iterator<Item = (&'a Key, &'a Entry<T>)> + 'a> {
        match namespace {
            None => Box::new(self.items.iter()),
            Some(ns) => Box::new(
                self.items
                    .range((
                        Bound::Included((ns.to_string(), String::new())),
                        Bound::Unbounded,
                    ))
                    .take_while(move |(k, _)| k.0 == ns),
            ),
        }
    }

    /// Drops the entry with the lowest resource version (events age out).
    pub fn pop_oldest(&mut self) {
        let oldest = self
            .items
            .iter()
            .min_by_key(|(_, e)| e.rv)
            .map(|(k, _)| k.clone());
        if let Some(key) = oldest {
            self.items.remove(&key);
        }
    }

    /// Up to `query.limit` objects after the continue token that match the query, rendered.
    pub fn page(&self, query: &ListQuery, rv: u64, render: impl Fn(&T, u64) -> Value) -> Page {
        let start = match query
            .continue_from
            .as_deref()
            .and_then(|c| c.split_once('/'))
        {
            Some((ns, name)) => Bound::Excluded((ns.to_string(), name.to_string())),
            None => match &query.namespace {
                Some(ns) => Bound::Included((ns.clone(), String::new())),
                None => Bound::Unbounded,
            },
        };
        let limit = query.limit.filter(|l| *l > 0).unwrap_or(usize::MAX);
        let mut items = Vec::new();
        let mut last = None;
        let mut more = false;
        let mut remaining = 0;
        let unfiltered = query.labels == Selector::default() && query.fields == Selector::default();
        for (key, entry) in self.items.range((start, Bound::Unbounded)) {
            if let Some(ns) = &query.namespace
                && &key.0 != ns
            {
                break;
            }
            if more {
                // Only counted, without rendering: the list has no selector.
                remaining += 1;
                continue;
            }
            let object = render(&entry.object, entry.rv);
            if !query.matches(&object) {
                continue;
            }
            if items.len() == limit {
                more = true;
                if !unfiltered {
                    break;
                }
                remaining += 1;
                continue;
            }
            items.push(object);
            last = Some(key);
        }
        Page {
            remaining: (more && unfiltered).then_some(remaining),
            items,
            rv,
            continue_token: more
                .then(|| last.map(|(ns, name)| format!("{ns}/{name}")))
                .flatten(),
        }
    }
}
