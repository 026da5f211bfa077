//! The confirmation dialog: the pending action, its preview, the permission answer, and the
//! fields the operator fills in. Confirm stays disabled until the permission is known, every
//! field is valid and, for high-risk actions, the target's name has been typed.

use ratatui_textarea::TextArea;

use crate::actions::executor::Permission;
use crate::actions::preflight::{Preview, Refusal};
use crate::actions::{Action, ActionKind, Risk};
use crate::domain::Revision;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Replicas,
    Revision,
    Matchers,
    Duration,
    Comment,
    /// An exec's command line, split into arguments as a shell would (no shell runs it).
    Command,
    /// Why the operator acts, when a guardrail asks (`dialog_guard.rs`); goes to the audit.
    Reason,
    /// A port-forward's ports, as kubectl takes them: `REMOTE` or `LOCAL:REMOTE`.
    Ports,
    /// The target's name, typed to confirm a high-risk action.
    TypedName,
    /// An HPA's bounds (`dialog_resources.rs`).
    MinReplicas,
    MaxReplicas,
    /// A container's name and quantities, for `SetResources` (`dialog_resources.rs`).
    Container,
    RequestsCpu,
    RequestsMemory,
    LimitsCpu,
    LimitsMemory,
}

impl FieldKind {
    pub fn label(self) -> &'static str {
        match self {
            FieldKind::Replicas => "Replicas",
            FieldKind::Revision => "Revision",
            FieldKind::Matchers => "Matchers",
            FieldKind::Duration => "Duration",
            FieldKind::Comment => "Comment",
            FieldKind::Command => "Command",
            FieldKind::Reason => "Reason",
            FieldKind::Ports => "Ports",
            FieldKind::TypedName => "Name",
            FieldKind::MinReplicas => "Min replicas",
            FieldKind::MaxReplicas => "Max replicas",
            FieldKind::Container => "Container",
            FieldKind::RequestsCpu => "Requests CPU",
            FieldKind::RequestsMemory => "Requests memory",
            FieldKind::LimitsCpu => "Limits CPU",
            FieldKind::LimitsMemory => "Limits memory",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Field {
    pub kind: FieldKind,
    /// Unused for the revision list.
    pub input: TextArea<'static>,
    /// A value offered, not typed (the current replica count, a duration): the first key
    /// typed replaces it, as in a selected text box.
    pub fresh: bool,
}

impl Field {
    pub(super) fn text(kind: FieldKind, value: &str) -> Field {
        let mut input = TextArea::new(vec![value.to_string()]);
        input.move_cursor(ratatui_textarea::CursorMove::End);
        let fresh = matches!(
            kind,
            FieldKind::Replicas
                | FieldKind::Duration
                | FieldKind::Ports
                | FieldKind::MinReplicas
                | FieldKind::MaxReplicas
        );
        Field { kind, input, fresh }
    }

    /// Replaces the value with an offered one, to be replaced in turn by what is typed.
    pub fn offer(&mut self, value: &str) {
        *self = Field::text(self.kind, value);
    }

    pub fn value(&self) -> String {
        self.input.lines().join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Field(usize),
    Cancel,
    Confirm,
}

#[derive(Debug, Clone)]
pub struct Dialog {
    pub seq: u64,
    pub action: Action,
    /// Recomputed after every edit: the target may vanish, a field may make the action invalid.
    pub preview: Result<Preview, Refusal>,
    /// `None` while the backend is being asked.
    pub permission: Option<Permission>,
    pub fields: Vec<Field>,
    /// Rollback: the revisions to choose from, newest first, and the chosen one.
    pub revisions: Vec<Revision>,
    pub revision_index: usize,
    /// Why the fields do not make a valid action yet.
    pub field_error: Option<String>,
    pub focus: Focus,
    /// What the `[[guardrails]]` say of the action as it is now (`dialog_guard.rs`).
    pub guard: crate::actions::guardrails::Verdict,
    /// The replicas a scale starts from, for the rules' limit and the audit.
    pub from_replicas: Option<u32>,
    /// A command's prompt: the lines run before on the workload, oldest first, and which one
    /// Up/Down shows (`None`: what was typed).
    pub history: Vec<String>,
    pub history_at: Option<usize>,
    /// The values the fields were opened with: a quantity left as offered is not changed.
    pub offered: Vec<(FieldKind, String)>,
    /// Another operator's two-person request, when this dialog approves it
    /// (`dialog_approve.rs`) rather than acts.
    pub approving: Option<Box<crate::warroom::requests::Request>>,
}

impl Dialog {
    pub fn new(seq: u64, action: Action, revisions: Vec<Revision>) -> Dialog {
        let mut fields = match &action.kind {
            ActionKind::Scale { replicas } => {
                vec![Field::text(FieldKind::Replicas, &replicas.to_string())]
            }
            ActionKind::Rollback { .. } => vec![Field::text(FieldKind::Revision, "")],
            ActionKind::Silence {
                matchers,
                duration_secs,
                comment,
            } => {
                vec![
                    Field::text(
                        FieldKind::Matchers,
                        &super::dialog_matchers::format(matchers),
                    ),
                    Field::text(
                        FieldKind::Duration,
                        &humantime::format_duration(std::time::Duration::from_secs(*duration_secs))
                            .to_string(),
                    ),
                    Field::text(FieldKind::Comment, comment),
                ]
            }
            ActionKind::ExtendSilence {
                duration_secs,
                comment,
                ..
            } => vec![
                Field::text(
                    FieldKind::Duration,
                    &humantime::format_duration(std::time::Duration::from_secs(*duration_secs))
                        .to_string(),
                ),
                Field::text(FieldKind::Comment, comment),
            ],
            ActionKind::Exec { command, .. } => {
                let words: Vec<String> =
                    command.iter().map(|w| crate::actions::quoted(w)).collect();
                vec![Field::text(FieldKind::Command, &words.join(" "))]
            }
            ActionKind::PortForward { local, remote, .. } if local == remote => {
                vec![Field::text(FieldKind::Ports, &remote.to_string())]
            }
            ActionKind::PortForward { local, remote, .. } => {
                vec![Field::text(FieldKind::Ports, &format!("{local}:{remote}"))]
            }
            kind => super::dialog_resources::fields(kind),
        };
        let offered = fields.iter().map(|f| (f.kind, f.value())).collect();
        fields.push(Field::text(FieldKind::Reason, ""));
        fields.push(Field::text(FieldKind::TypedName, ""));
        let revision_index = match &action.kind {
            ActionKind::Rollback { to_revision } => revisions
                .iter()
                .position(|r| r.number == *to_revision)
                .unwrap_or(0),
            _ => 0,
        };
        let mut dialog = Dialog {
            seq,
            action,
            preview: Err(Refusal::Invalid("checking".into())),
            permission: None,
            fields,
            revisions,
            revision_index,
            field_error: None,
            focus: Focus::Cancel,
            guard: crate::actions::guardrails::Verdict::Free,
            from_replicas: None,
            history: Vec::new(),
            history_at: None,
            offered,
            approving: None,
        };
        dialog.focus = dialog.first_focus();
        dialog
    }

    /// The first field the operator fills (a silence's matchers come from the alert, so its
    /// duration), else Close: never a button that cannot be used yet.
    pub(super) fn first_focus(&self) -> Focus {
        let fields = self.visible_fields();
        fields
            .iter()
            .find(|i| self.fields[**i].kind != FieldKind::Matchers)
            .or(fields.first())
            .map_or(Focus::Cancel, |i| Focus::Field(*i))
    }

    pub fn requires_typed_name(&self) -> bool {
        self.action.risk() == Risk::High || self.guard_typed()
    }

    pub fn typed_name_matches(&self) -> bool {
        self.fields
            .iter()
            .find(|f| f.kind == FieldKind::TypedName)
            .is_some_and(|f| f.value().trim() == self.action.target.name())
    }

    /// Fields shown and focusable now: the typed name only for high-risk actions (or when a
    /// guardrail asks), the reason only when a guardrail asks.
    pub fn visible_fields(&self) -> Vec<usize> {
        (0..self.fields.len())
            .filter(|i| match self.fields[*i].kind {
                FieldKind::TypedName => self.requires_typed_name(),
                // Approving: the action is the requester's, not to be edited.
                _ if self.approving.is_some() => false,
                FieldKind::Reason => self.reason_demanded().is_some(),
                _ => true,
            })
            .collect()
    }

    /// Tab order: fields, then Close, then Confirm while it can be pressed (a disabled one
    /// says why on the line above the buttons instead).
    pub fn focus_order(&self) -> Vec<Focus> {
        let mut order: Vec<Focus> = self
            .visible_fields()
            .into_iter()
            .map(Focus::Field)
            .collect();
        order.push(Focus::Cancel);
        if self.confirm_enabled() {
            order.push(Focus::Confirm);
        }
        order
    }

    /// Enter in a field: the next field; after the last one, Confirm when it can be pressed
    /// (else the focus stays, and the line above the buttons says what is missing).
    pub fn advance(&mut self) {
        let Focus::Field(at) = self.focus else {
            return;
        };
        let fields = self.visible_fields();
        match fields.iter().skip_while(|i| **i != at).nth(1) {
            Some(next) => self.focus = Focus::Field(*next),
            None if self.confirm_enabled() => self.focus = Focus::Confirm,
            None => {}
        }
    }

    pub fn move_focus(&mut self, forward: bool) {
        let order = self.focus_order();
        // A Confirm that has just been disabled is no longer in the order: go on from Close.
        let focus = if self.focus == Focus::Confirm && !order.contains(&Focus::Confirm) {
            Focus::Cancel
        } else {
            self.focus
        };
        let at = order.iter().position(|f| *f == focus).unwrap_or(0);
        let len = order.len();
        self.focus = order[if forward {
            (at + 1) % len
        } else {
            (at + len - 1) % len
        }];
    }

    pub fn confirm_enabled(&self) -> bool {
        self.preview.is_ok()
            && self.field_error.is_none()
            && self.permission.as_ref().is_some_and(Permission::allowed)
            && (!self.requires_typed_name() || self.typed_name_matches())
            && self.guard_blocks().is_none()
    }

    /// Why Confirm is disabled, for the dialog's last line.
    pub fn blocked_because(&self) -> Option<String> {
        if let Some(e) = &self.field_error {
            return Some(e.clone());
        }
        // A rule's refusal holds whatever else is wrong: it is said first.
        if let Some(why) = self.guard_denies() {
            return Some(why);
        }
        if let Err(refusal) = &self.preview {
            return Some(refusal.to_string());
        }
        match &self.permission {
            None => return Some("asking the backend for permission...".into()),
            Some(Permission::Denied(why)) => return Some(format!("not permitted: {why}")),
            Some(Permission::Held(why)) => return Some(format!("wait: {why}")),
            Some(Permission::NoAnswer(why)) => {
                return Some(format!("the backend did not answer: {why}"));
            }
            Some(Permission::Allowed | Permission::DryRun(_)) => {}
        }
        if self.requires_typed_name() && !self.typed_name_matches() {
            return Some(format!(
                "type {} to enable {}",
                self.action.target.name(),
                self.action.kind.verb()
            ));
        }
        self.guard_blocks()
    }
}

pub use super::dialog_parse::{command_words, forward_ports};

/// An upper bound that catches a typo (500 for 5) before it reaches the cluster.
pub const MAX_REPLICAS: u32 = 200;
