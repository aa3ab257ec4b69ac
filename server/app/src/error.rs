//! Every way a use case can fail, each with the text the user reads: errors are mapped to words once, here, and the
//! edge only chooses a status code from [`AppError::kind`].

use incident_core::{DomainError, ParseError, SelectError, spec};
use incident_store::StoreError;

use crate::ports::ChatError;

/// Why a use case did not happen. Display is the reply shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    /// The command text is not valid.
    #[error("{}", parse_text(.0))]
    Parse(ParseError),
    /// The domain refused.
    #[error("{0}")]
    Domain(#[from] DomainError),
    /// No single incident could be chosen.
    #[error("{0}")]
    Select(#[from] SelectError),
    /// No such user.
    #[error("There is no user @{0}. Check the spelling, like `/incident commander @alice`.")]
    UnknownUser(String),
    /// No such channel in the team.
    #[error("There is no channel ~{0} in this team.")]
    UnknownChannel(String),
    /// The user may not post where they asked.
    #[error("You can't post in ~{0}, so nothing was announced. Pick channels you can post in.")]
    CannotPost(String),
    /// The user is not in the team.
    #[error("You are not a member of this team.")]
    NotTeamMember,
    /// Someone named for the incident is not in the team.
    #[error("@{0} is not a member of this team.")]
    UserNotInTeam(String),
    /// The command needs a team or channel context it did not get.
    #[error("Run this command in a channel of a team.")]
    NoContext,
    /// A request field is invalid (REST and dialogs).
    #[error("{0}")]
    Invalid(String),
    /// Compare-and-set kept losing.
    #[error(
        "Many changes are happening to this incident right now and yours could not be saved. Nothing was changed; please try again."
    )]
    Busy,
    /// The server or the KV store failed; nothing was changed.
    #[error("The Mattermost server did not answer ({0}). Nothing was changed; please try again.")]
    Unavailable(String),
    /// A start that failed after its channel was created; the channel was retired.
    #[error("{}", start_failed_text(.reason, .channel.as_deref()))]
    StartFailed {
        /// What went wrong.
        reason: String,
        /// The retired channel's new name, if retiring worked.
        channel: Option<String>,
    },
    /// The incident's record is as large as a record may be (a very long timeline).
    #[error(
        "This incident's record has reached the size limit ({:.1} MB, the most one Mattermost KV write takes), so \
         nothing was changed. Export it from the incident page and continue in a new incident.",
        *.0 as f64 / 1e6
    )]
    RecordFull(usize),
    /// No such playbook, or not in one of the user's teams (the two read the same).
    #[error("No playbook found. It may not exist, or you are not one of its members.")]
    PlaybookNotFound,
}

/// What kind of failure, for the HTTP edge's status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 400.
    Invalid,
    /// 403.
    Forbidden,
    /// 404 (also for incidents the user may not see).
    NotFound,
    /// 409: the state does not allow it (already ended, open tasks…).
    Conflict,
    /// 503: try again.
    Unavailable,
}

impl AppError {
    /// The failure's kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Parse(_) | AppError::Invalid(_) | AppError::NoContext => ErrorKind::Invalid,
            AppError::UnknownUser(_) | AppError::UnknownChannel(_) | AppError::UserNotInTeam(_) => ErrorKind::Invalid,
            AppError::Domain(DomainError::NotFound) | AppError::PlaybookNotFound => ErrorKind::NotFound,
            AppError::Select(SelectError::NoMatch(_) | SelectError::NotInIncidentChannel) => ErrorKind::NotFound,
            AppError::Select(SelectError::Ambiguous(_)) => ErrorKind::Invalid,
            AppError::Domain(DomainError::Denied(_)) | AppError::CannotPost(_) | AppError::NotTeamMember => {
                ErrorKind::Forbidden
            }
            AppError::Domain(
                DomainError::EmptyName
                | DomainError::NameTooLong(_)
                | DomainError::EmptyTaskTitle
                | DomainError::TaskTitleTooLong(_)
                | DomainError::EmptyUpdate
                | DomainError::UpdateTooLong(_)
                | DomainError::BadReminder
                | DomainError::NoSuchChecklist { .. }
                | DomainError::NoSuchTask { .. },
            ) => ErrorKind::Invalid,
            AppError::Domain(_) | AppError::RecordFull(_) => ErrorKind::Conflict,
            AppError::Busy | AppError::Unavailable(_) | AppError::StartFailed { .. } => ErrorKind::Unavailable,
        }
    }

    /// A stable machine-readable id for JSON error bodies.
    pub fn code(&self) -> &'static str {
        match self.kind() {
            ErrorKind::Invalid => "invalid",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Unavailable => "unavailable",
        }
    }
}

fn parse_text(e: &ParseError) -> String {
    if e.shows_help() { format!("{e}\n\n{}", spec::help_markdown()) } else { e.to_string() }
}

fn start_failed_text(reason: &str, channel: Option<&str>) -> String {
    match channel {
        Some(name) => format!(
            "The incident could not be saved ({reason}). Its channel was renamed to ~{name} and is not an incident; \
             nothing else was changed. Please try again."
        ),
        None => format!(
            "The incident could not be saved ({reason}), and its new channel could not be marked as failed either. \
             Please try again, and archive the extra channel by hand."
        ),
    }
}

impl From<ParseError> for AppError {
    fn from(e: ParseError) -> Self {
        AppError::Parse(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict | StoreError::Busy(_) => AppError::Busy,
            StoreError::TooLarge { bytes, .. } => AppError::RecordFull(bytes),
            StoreError::Kv(e) => AppError::Unavailable(e.to_string()),
            StoreError::Record(e) => AppError::Unavailable(e.to_string()),
        }
    }
}

impl From<ChatError> for AppError {
    fn from(e: ChatError) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_subcommand_shows_help_and_kinds_map() {
        let e = AppError::from(ParseError::UnknownSubcommand("frobnicate".into()));
        let text = e.to_string();
        assert!(text.starts_with("`/incident frobnicate` is not a command."), "{text}");
        assert!(text.contains("/incident check [checklist #] [item #]"));
        assert_eq!(e.kind(), ErrorKind::Invalid);
        assert_eq!(AppError::Domain(DomainError::NotFound).kind(), ErrorKind::NotFound);
        assert_eq!(AppError::Domain(DomainError::OpenTasks { open: 1 }).kind(), ErrorKind::Conflict);
        assert_eq!(AppError::from(StoreError::Conflict), AppError::Busy);
    }
}
