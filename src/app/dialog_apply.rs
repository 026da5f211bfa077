//! Reading the dialog's fields into the action's parameters (replicas, revision, matchers,
//! durations, a command line, ports, resources), or saying what is wrong with them.

use super::dialog::{Dialog, Field, FieldKind, MAX_REPLICAS, command_words, forward_ports};
use crate::actions::ActionKind;
use crate::domain::UnixTime;

impl Dialog {
    /// Reads the fields into the action's parameters, or says what is wrong with them.
    pub fn apply_fields(&mut self, now: UnixTime) {
        self.field_error = None;
        let value = |kind: FieldKind| {
            self.fields
                .iter()
                .find(|f| f.kind == kind)
                .map(Field::value)
                .unwrap_or_default()
        };
        match &mut self.action.kind {
            ActionKind::Scale { replicas } => {
                match value(FieldKind::Replicas).trim().parse::<u32>() {
                    Ok(n) if n <= MAX_REPLICAS => *replicas = n,
                    Ok(_) => self.field_error = Some(format!("at most {MAX_REPLICAS} replicas")),
                    Err(_) => self.field_error = Some("replicas: a whole number, e.g. 5".into()),
                }
            }
            ActionKind::Rollback { to_revision } => match self.revisions.get(self.revision_index) {
                Some(r) => *to_revision = r.number,
                None => self.field_error = Some("this workload has no earlier revision".into()),
            },
            ActionKind::Silence {
                matchers,
                duration_secs,
                comment,
            } => {
                let text = value(FieldKind::Matchers);
                match super::dialog_matchers::parse(&text) {
                    Some(list) => *matchers = list,
                    None => self.field_error = Some(
                        "matchers: name=value separated by spaces, \"quoted\" when a value has one"
                            .into(),
                    ),
                }
                match super::dialog_duration::silence_secs(&value(FieldKind::Duration), now) {
                    Ok(secs) => *duration_secs = secs,
                    Err(e) => self.field_error = Some(e),
                }
                *comment = value(FieldKind::Comment).trim().to_string();
            }
            ActionKind::ExtendSilence {
                duration_secs,
                comment,
                ..
            } => {
                match super::dialog_duration::silence_secs(&value(FieldKind::Duration), now) {
                    Ok(secs) => *duration_secs = secs,
                    Err(e) => self.field_error = Some(e),
                }
                *comment = value(FieldKind::Comment).trim().to_string();
            }
            ActionKind::Exec { command, .. } => match command_words(&value(FieldKind::Command)) {
                Ok(words) => *command = words,
                Err(e) => {
                    command.clear();
                    self.field_error = Some(e);
                }
            },
            ActionKind::PortForward { local, remote, .. } => {
                match forward_ports(&value(FieldKind::Ports)) {
                    Ok((l, r)) => (*local, *remote) = (l, r),
                    Err(e) => self.field_error = Some(e),
                }
            }
            kind => {
                if let Some(e) = super::dialog_resources::apply(kind, value, &self.offered) {
                    self.field_error = Some(e);
                }
            }
        }
    }
}
