//! Why a decision was refused; each Display text is the reply the user reads, mapped once, here.

use crate::access::DenyReason;
use crate::incident::TaskAt;
use crate::time::HumanDuration;

/// Longest incident name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest task title, in characters.
pub const MAX_TASK_CHARS: usize = 256;
/// Longest status update, in characters (Mattermost's post limit is 16383).
pub const MAX_UPDATE_CHARS: usize = 16_000;

/// A refused decision. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The incident does not exist or the actor may not see it; the two read the same on purpose.
    #[error("No incident found. It may not exist, or you may not have access to it.")]
    NotFound,
    /// The actor may see the incident but not do this.
    #[error("You can't do that: {0}.")]
    Denied(DenyReason),
    /// The name is empty after trimming.
    #[error("An incident needs a name, like `/incident start Database down`.")]
    EmptyName,
    /// The name is too long.
    #[error("Incident names can be at most 64 characters; this one has {0}.")]
    NameTooLong(usize),
    /// `end` on an ended incident.
    #[error("This incident has already ended. Use `/incident restart` to reopen it.")]
    AlreadyEnded,
    /// `restart` on an active incident.
    #[error("This incident is still active, so there is nothing to restart.")]
    NotEnded,
    /// `end` with open tasks and no confirmation.
    #[error("{open} task{s} still open. End the incident anyway?", s = if *open == 1 { " is" } else { "s are" })]
    OpenTasks {
        /// How many tasks are open.
        open: usize,
    },
    /// The checklist number is out of range.
    #[error("There is no checklist {number}; this incident has {count}.", number = .checklist + 1)]
    NoSuchChecklist {
        /// Zero-based index that was asked for.
        checklist: usize,
        /// How many checklists exist.
        count: usize,
    },
    /// The item number is out of range.
    #[error("There is no task {at}; checklist {list} has {count} task{s}.", list = .at.checklist + 1, s = if *count == 1 { "" } else { "s" })]
    NoSuchTask {
        /// The position that was asked for.
        at: TaskAt,
        /// How many tasks that checklist has.
        count: usize,
    },
    /// Explicit check of a checked task (or uncheck of an open one), e.g. a double click.
    #[error("Task {at} is already {state}.", state = if *.done { "checked" } else { "unchecked" })]
    TaskAlreadyInState {
        /// The task.
        at: TaskAt,
        /// The state it is in.
        done: bool,
    },
    /// A task title is empty.
    #[error("A task needs some text, like `/incident checkadd 1 Restore the backup`.")]
    EmptyTaskTitle,
    /// A task title is too long.
    #[error("Task text can be at most 256 characters; this one has {0}.")]
    TaskTitleTooLong(usize),
    /// The task has no slash command to run.
    #[error("Task {0} has no slash command to run.")]
    NoTaskCommand(TaskAt),
    /// A commander or assignee who is not in the incident channel.
    #[error("@{0} is not a member of the incident channel. Add them to the channel first.")]
    NotAMember(String),
    /// A commander or assignee who may not see a private incident.
    #[error("@{0} does not have access to this private incident. Grant them access first.")]
    NoAccess(String),
    /// The user is already the commander.
    #[error("@{0} is already the commander.")]
    AlreadyCommander(String),
    /// The task is not assigned.
    #[error("Task {0} has no assignee.")]
    NotAssigned(TaskAt),
    /// An empty status update.
    #[error("A status update needs a message.")]
    EmptyUpdate,
    /// A status update over the post limit.
    #[error("Status updates can be at most 16000 characters; this one has {0}.")]
    UpdateTooLong(usize),
    /// Private incidents are never announced elsewhere.
    #[error("Private incidents are never announced in other channels.")]
    PrivateNotAnnounced,
    /// `announce` without channels.
    #[error("Name at least one channel to announce in, like `/incident announce ~town-square`.")]
    NoChannels,
    /// Access management on a public incident.
    #[error("This incident is public: everyone in the team can already see it.")]
    NotPrivate,
    /// Granting access to someone who has it.
    #[error("@{0} already has access to this incident.")]
    AlreadyHasAccess(String),
    /// Revoking access from someone who has none.
    #[error("@{0} does not have access to this incident.")]
    NothingToRevoke(String),
    /// Revoking the last channel member would leave nobody in charge.
    #[error("@{0} is the last member of the incident channel; invite someone else before revoking their access.")]
    LastMember(String),
    /// The commander keeps access; change the commander first.
    #[error("@{0} is the commander; change the commander before revoking their access.")]
    RevokeCommander(String),
    /// One access request per user per incident every 15 minutes.
    #[error("You already asked for access. You can ask again in {0}.")]
    RequestTooSoon(HumanDuration),
    /// Visibility already as asked.
    #[error("This incident is already {0}.")]
    VisibilityUnchanged(&'static str),
    /// Making a private incident public needs a confirmation.
    #[error(
        "Making this incident public shows it, its timeline and its updates to the whole team. Confirm to continue."
    )]
    ConfirmPublic,
    /// Allow/Deny on a request that was already answered (or never made).
    #[error("There is no open access request from @{0}; it may have been answered already.")]
    NoPendingRequest(String),
    /// Remove/Keep clicked after the question about someone who left was already answered (or they came back).
    #[error("@{0}'s access after leaving the channel was already decided.")]
    LeftChannelAnswered(String),
    /// "Add to incident timeline" on a message without text.
    #[error("That message has no text to add to the timeline.")]
    EmptyPost,
    /// A time-boxed grant that would already be over.
    #[error("Access must end in the future.")]
    ExpiryInPast,
    /// A reminder interval that is zero.
    #[error("A reminder needs an interval of at least one minute.")]
    BadReminder,
}

impl From<DenyReason> for DomainError {
    fn from(reason: DenyReason) -> Self {
        DomainError::Denied(reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_read_well() {
        let at = TaskAt::from_ordinals(2, 5).unwrap();
        let cases = [
            (DomainError::OpenTasks { open: 1 }, "1 task is still open. End the incident anyway?"),
            (DomainError::OpenTasks { open: 3 }, "3 tasks are still open. End the incident anyway?"),
            (DomainError::NoSuchChecklist { checklist: 3, count: 2 }, "There is no checklist 4; this incident has 2."),
            (DomainError::NoSuchTask { at, count: 1 }, "There is no task 2.5; checklist 2 has 1 task."),
            (DomainError::TaskAlreadyInState { at, done: true }, "Task 2.5 is already checked."),
            (
                DomainError::Denied(DenyReason::NotChannelMember),
                "You can't do that: only members of the incident channel can change this incident; join the channel first.",
            ),
            (
                DomainError::RequestTooSoon(HumanDuration(9 * 60_000)),
                "You already asked for access. You can ask again in 9m.",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), want);
        }
    }
}
