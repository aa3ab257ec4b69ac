//! Parses the text of `/incident …` into a closed `Command`, or an error that shows the correct usage.

use serde::{Deserialize, Serialize};

use crate::action::Action;
use crate::incident::TaskAt;
use crate::spec::{self, INCIDENT_FLAG, Subcommand};
use crate::target::IncidentRef;

/// A parsed slash command: what to do, and which incident if the user named one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invocation {
    /// `--incident <ref>`, given right after the subcommand or at the very end.
    pub target: Option<IncidentRef>,
    /// What to do.
    pub command: Command,
}

/// Everything `/incident` can do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// Show the help text.
    Help,
    /// Start an incident; without a name the shell opens the dialog.
    Start {
        /// The name as typed (validated by `start`).
        name: Option<String>,
    },
    /// End the incident.
    End,
    /// Restart an ended incident.
    Restart,
    /// Open the status-update dialog.
    Update,
    /// Toggle a task.
    Check {
        /// Which task.
        at: TaskAt,
    },
    /// Add a task at the end of a checklist.
    CheckAdd {
        /// Zero-based checklist index (typed one-based).
        checklist: usize,
        /// The task title.
        text: String,
    },
    /// Remove a task.
    CheckRemove {
        /// Which task.
        at: TaskAt,
    },
    /// Assign a task.
    Assign {
        /// Which task.
        at: TaskAt,
        /// Username without `@`, lowercased.
        username: String,
    },
    /// Clear a task's assignee.
    Unassign {
        /// Which task.
        at: TaskAt,
    },
    /// Announce the incident in other channels.
    Announce {
        /// Channel names without `~`.
        channels: Vec<String>,
    },
    /// List the user's active incidents in the team.
    List,
    /// Show (None) or change the commander.
    Commander {
        /// Username without `@`, lowercased.
        username: Option<String>,
    },
    /// Show the summary.
    Info,
    /// Show the timeline.
    Timeline,
}

impl Command {
    /// The [`Action`] for commands that need no further lookup (`end`, `restart`, `check`, `checkadd`,
    /// `checkremove`, `unassign`). `end` starts unconfirmed: on `DomainError::OpenTasks` the shell asks and retries
    /// with `confirmed: true`. Commands that name a user or channel, open a dialog or only read return None.
    pub fn action(&self) -> Option<Action> {
        Some(match self {
            Command::End => Action::End { confirmed: false },
            Command::Restart => Action::Restart,
            Command::Check { at } => Action::ToggleTask { at: *at },
            Command::CheckAdd { checklist, text } => Action::AddTask { checklist: *checklist, title: text.clone() },
            Command::CheckRemove { at } => Action::RemoveTask { at: *at },
            Command::Unassign { at } => Action::Unassign { at: *at },
            _ => return None,
        })
    }
}

/// Why the text is not a valid command. Display is the reply shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The subcommand does not exist; the shell shows the help after this text.
    #[error("`/incident {0}` is not a command. Here is what `/incident` can do:")]
    UnknownSubcommand(String),
    /// Wrong number or shape of arguments.
    #[error("`/incident {name}` needs {needs}, like `{example}`.")]
    Usage {
        /// The subcommand.
        name: &'static str,
        /// What it needs, in words.
        needs: &'static str,
        /// A valid example.
        example: &'static str,
    },
    /// A checklist or item number is not a positive integer.
    #[error("`{value}` is not {what} number. Numbers start at 1, like `{example}`.")]
    BadNumber {
        /// What was typed.
        value: String,
        /// `a checklist` or `an item`.
        what: &'static str,
        /// A valid example.
        example: &'static str,
    },
    /// An announce target is not `~channel`.
    #[error("`{0}` is not a channel. Name channels with `~`, like `/incident announce ~town-square`.")]
    BadChannel(String),
    /// A user is not `@username`.
    #[error("`{0}` is not a username. Name people with `@`, like `/incident commander @alice`.")]
    BadUsername(String),
    /// `--incident` without a value.
    #[error(
        "`--incident` needs an incident: its number, the start of its id, or its name, like `/incident end --incident INC-00042`."
    )]
    MissingRef,
    /// `--incident` on a subcommand that does not act on one incident.
    #[error("`/incident {0}` does not act on one incident, so it takes no `--incident`.")]
    UnexpectedRef(&'static str),
    /// A quoted reference never closes.
    #[error("The quote after `--incident` is never closed, like `--incident \"db outage\"`.")]
    UnclosedQuote,
}

impl ParseError {
    /// Whether the shell should show the help text after the message.
    pub fn shows_help(&self) -> bool {
        matches!(self, ParseError::UnknownSubcommand(_))
    }
}

/// Parses `/incident …` (with or without the leading `/incident`). Empty text means `help`.
pub fn parse(text: &str) -> Result<Invocation, ParseError> {
    let text = strip_trigger(text.trim());
    let (word, rest) = split_word(text);
    if word.is_empty() {
        return Ok(Invocation { target: None, command: Command::Help });
    }
    let name = word.to_ascii_lowercase();
    let sub = spec::subcommand(&name).ok_or_else(|| ParseError::UnknownSubcommand(word.into()))?;
    let (target, args) = take_target(rest)?;
    if target.is_some() && !sub.targets_incident {
        return Err(ParseError::UnexpectedRef(sub.name));
    }
    let command = parse_args(sub, args.trim())?;
    Ok(Invocation { target, command })
}

fn strip_trigger(text: &str) -> &str {
    let trigger = format!("/{}", spec::TRIGGER);
    let (word, rest) = split_word(text);
    if word.eq_ignore_ascii_case(&trigger) { rest } else { text }
}

/// First whitespace-separated word and the (left-trimmed) rest.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// Removes `--incident <ref>` from the front or the end of the arguments.
fn take_target(args: &str) -> Result<(Option<IncidentRef>, &str), ParseError> {
    if let Some(value) = args.strip_prefix(INCIDENT_FLAG) {
        if let Some(inline) = value.strip_prefix('=') {
            return leading_value(inline);
        }
        if value.is_empty() || value.starts_with(char::is_whitespace) {
            return leading_value(value.trim_start());
        }
    }
    if let Some(body) = args.trim_end().strip_suffix('"')
        && let Some(open) = body.rfind('"')
        && let Some(head) = body[..open].trim_end().strip_suffix(INCIDENT_FLAG)
        && (head.is_empty() || head.ends_with(char::is_whitespace))
    {
        let r = IncidentRef::parse(&body[open + 1..]).ok_or(ParseError::MissingRef)?;
        return Ok((Some(r), head));
    }
    let words: Vec<&str> = args.split_whitespace().collect();
    if let [.., flag, value] = words.as_slice()
        && *flag == INCIDENT_FLAG
        && !value.starts_with('"')
    {
        // Cut where the flag word starts: the value itself may contain the flag's text.
        let trimmed = args.trim_end();
        let before_value = trimmed[..trimmed.len() - value.len()].trim_end();
        let cut = before_value.len() - flag.len();
        return Ok((IncidentRef::parse(value), &args[..cut]));
    }
    if words.last() == Some(&INCIDENT_FLAG) {
        return Err(ParseError::MissingRef);
    }
    Ok((None, args))
}

fn leading_value(rest: &str) -> Result<(Option<IncidentRef>, &str), ParseError> {
    if let Some(quoted) = rest.strip_prefix('"') {
        let end = quoted.find('"').ok_or(ParseError::UnclosedQuote)?;
        let r = IncidentRef::parse(&quoted[..end]).ok_or(ParseError::MissingRef)?;
        return Ok((Some(r), &quoted[end + 1..]));
    }
    let (value, rest) = split_word(rest);
    let r = IncidentRef::parse(value).ok_or(ParseError::MissingRef)?;
    Ok((Some(r), rest))
}

fn parse_args(sub: &'static Subcommand, args: &str) -> Result<Command, ParseError> {
    let usage = || ParseError::Usage { name: sub.name, needs: sub.needs, example: sub.example };
    let words: Vec<&str> = args.split_whitespace().collect();
    let no_args = |command: Command| {
        if words.is_empty() { Ok(command) } else { Err(usage()) }
    };
    match sub.name {
        "help" => Ok(Command::Help),
        "start" => Ok(Command::Start { name: Some(unquote(args)).filter(|n| !n.is_empty()).map(str::to_owned) }),
        "end" => no_args(Command::End),
        "restart" => no_args(Command::Restart),
        "update" => no_args(Command::Update),
        "list" => no_args(Command::List),
        "info" => no_args(Command::Info),
        "timeline" => no_args(Command::Timeline),
        "check" | "checkremove" | "unassign" => {
            let [c, i] = words.as_slice() else {
                return Err(usage());
            };
            let at = task_at(sub, c, i)?;
            Ok(match sub.name {
                "check" => Command::Check { at },
                "checkremove" => Command::CheckRemove { at },
                _ => Command::Unassign { at },
            })
        }
        "assign" => {
            let [c, i, user] = words.as_slice() else {
                return Err(usage());
            };
            let at = task_at(sub, c, i)?;
            Ok(Command::Assign { at, username: username(user)? })
        }
        "checkadd" => {
            let (c, text) = split_word(args);
            if c.is_empty() || text.trim().is_empty() {
                return Err(usage());
            }
            let checklist = number(sub, c, "a checklist")? - 1;
            Ok(Command::CheckAdd { checklist, text: text.trim().to_owned() })
        }
        "announce" => {
            let channels = args
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|w| !w.is_empty())
                .map(channel)
                .collect::<Result<Vec<_>, _>>()?;
            if channels.is_empty() {
                return Err(usage());
            }
            Ok(Command::Announce { channels })
        }
        "commander" => match words.as_slice() {
            [] => Ok(Command::Commander { username: None }),
            [user] => Ok(Command::Commander { username: Some(username(user)?) }),
            _ => Err(usage()),
        },
        _ => Err(ParseError::UnknownSubcommand(sub.name.into())),
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s).trim()
}

fn task_at(sub: &'static Subcommand, c: &str, i: &str) -> Result<TaskAt, ParseError> {
    let checklist = number(sub, c, "a checklist")?;
    let item = number(sub, i, "an item")?;
    Ok(TaskAt { checklist: checklist - 1, item: item - 1 })
}

/// A one-based number (at least 1).
fn number(sub: &'static Subcommand, s: &str, what: &'static str) -> Result<usize, ParseError> {
    match s.parse::<usize>() {
        Ok(n) if n >= 1 && s.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
        _ => Err(ParseError::BadNumber { value: s.into(), what, example: sub.example }),
    }
}

fn username(s: &str) -> Result<String, ParseError> {
    let name = s.strip_prefix('@').unwrap_or(s);
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if ok { Ok(name.to_ascii_lowercase()) } else { Err(ParseError::BadUsername(s.into())) }
}

fn channel(s: &str) -> Result<String, ParseError> {
    let name = s.strip_prefix('~').unwrap_or("");
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'));
    if ok { Ok(name.to_owned()) } else { Err(ParseError::BadChannel(s.into())) }
}

#[cfg(test)]
mod tests;
