//! Errors of the simulated API, as the `Status` objects a real API server sends.

use serde_json::{Value, json};

use super::Resource;

/// An API error, as a `Status` object with its HTTP code.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub reason: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn not_found(resource: Resource, name: &str) -> ApiError {
        let group = resource.group_version().0;
        let qualified = if group.is_empty() {
            resource.plural().to_string()
        } else {
            format!("{}.{group}", resource.plural())
        };
        ApiError::not_found_named(&qualified, name)
    }

    /// Not found, for a resource named as `plural.group`.
    pub fn not_found_named(qualified: &str, name: &str) -> ApiError {
        ApiError {
            code: 404,
            reason: "NotFound",
            message: format!("{qualified} \"{name}\" not found"),
        }
    }

    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError {
            code: 422,
            reason: "Invalid",
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            code: 400,
            reason: "BadRequest",
            message: message.into(),
        }
    }

    pub fn status(&self) -> Value {
        json!({
            "kind": "Status", "apiVersion": "v1", "metadata": {},
            "status": "Failure", "message": self.message, "reason": self.reason, "code": self.code,
        })
    }
}
