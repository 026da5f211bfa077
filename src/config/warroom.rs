//! `[warroom]`: the Redis that the cockpits of one incident share, and the room's name.

use std::time::Duration;

use serde::Deserialize;

use super::duration::at_least;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarroomConfig {
    /// `redis://[:password@]host:port[/db]`
    pub redis: String,
    /// An environment variable holding the password, when it is not in the URL.
    pub password_env: Option<String>,
    /// The room: cockpits in the same room see each other.
    pub room: String,
    /// How often this cockpit says it is still here.
    #[serde(default = "default_heartbeat", deserialize_with = "at_least::<_, 100>")]
    pub heartbeat: Duration,
    /// A cockpit not heard from for this long has left (crashed, cut off).
    #[serde(
        default = "default_presence_ttl",
        deserialize_with = "at_least::<_, 1000>"
    )]
    pub presence_ttl: Duration,
    /// An action's lease on its target lasts this long unless renewed while it runs.
    #[serde(
        default = "default_lease_ttl",
        deserialize_with = "at_least::<_, 1000>"
    )]
    pub lease_ttl: Duration,
    /// A two-person request not approved within this long expires (nothing runs).
    #[serde(
        default = "default_request_expiry",
        deserialize_with = "at_least::<_, 1000>"
    )]
    pub request_expiry: Duration,
}

fn default_request_expiry() -> Duration {
    Duration::from_secs(600)
}

fn default_heartbeat() -> Duration {
    Duration::from_secs(5)
}

fn default_presence_ttl() -> Duration {
    Duration::from_secs(15)
}

fn default_lease_ttl() -> Duration {
    Duration::from_secs(30)
}
