//! The `/incident` vocabulary as data: one table feeds the help text, the autocomplete tree and usage errors.

use serde::Serialize;

use crate::incident::Incident;

/// The slash command's trigger word.
pub const TRIGGER: &str = "incident";

/// The option that names one incident when several share a channel.
pub const INCIDENT_FLAG: &str = "--incident";

/// One subcommand of `/incident`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subcommand {
    /// The word after `/incident`.
    pub name: &'static str,
    /// Argument hint shown by autocomplete (`[checklist #] [item #]`).
    pub hint: &'static str,
    /// One-line description.
    pub description: &'static str,
    /// What the arguments must be, in words (used by usage errors).
    pub needs: &'static str,
    /// A complete, valid example.
    pub example: &'static str,
    /// Whether the subcommand acts on one incident (and so accepts `--incident <ref>`).
    pub targets_incident: bool,
}

/// Every subcommand, in the order help shows them.
#[rustfmt::skip]
pub const SUBCOMMANDS: &[Subcommand] = &[
    sub("start", "[name]", "Start a new incident (no name: opens the dialog).", "an optional name", "/incident start Database down", false),
    sub("end", "", "End the incident of this channel.", "no arguments", "/incident end", true),
    sub("restart", "", "Restart an ended incident.", "no arguments", "/incident restart", true),
    sub("update", "", "Post a status update (opens the dialog).", "no arguments", "/incident update", true),
    sub("check", "[checklist #] [item #]", "Check or uncheck a task.", "a checklist number and an item number", "/incident check 1 2", true),
    sub("checkadd", "[checklist #] [text]", "Add a task to a checklist.", "a checklist number and the task text", "/incident checkadd 1 Restore the backup", true),
    sub("checkremove", "[checklist #] [item #]", "Remove a task.", "a checklist number and an item number", "/incident checkremove 1 2", true),
    sub("assign", "[checklist #] [item #] [@username]", "Assign a task to a channel member.", "a checklist number, an item number and a @username", "/incident assign 1 2 @alice", true),
    sub("unassign", "[checklist #] [item #]", "Clear a task's assignee.", "a checklist number and an item number", "/incident unassign 1 2", true),
    sub("announce", "~[channels]", "Announce the incident in other channels.", "one or more channels, like `~town-square`", "/incident announce ~town-square ~ops", true),
    sub("commander", "[@username]", "Show or change the commander.", "nothing, or one @username", "/incident commander @alice", true),
    sub("info", "", "Show a summary of the incident.", "no arguments", "/incident info", true),
    sub("timeline", "", "Show the incident's timeline.", "no arguments", "/incident timeline", true),
    sub("list", "", "List your active incidents in this team.", "no arguments", "/incident list", false),
    sub("help", "", "Show this help.", "no arguments", "/incident help", false),
];

#[allow(clippy::too_many_arguments)]
const fn sub(
    name: &'static str,
    hint: &'static str,
    description: &'static str,
    needs: &'static str,
    example: &'static str,
    targets_incident: bool,
) -> Subcommand {
    Subcommand { name, hint, description, needs, example, targets_incident }
}

/// The table row for `name`.
pub fn subcommand(name: &str) -> Option<&'static Subcommand> {
    SUBCOMMANDS.iter().find(|s| s.name == name)
}

/// The help text (Markdown) shown by `/incident help` and after an unknown subcommand.
pub fn help_markdown() -> String {
    let mut out = String::from("### Incident commands\n\n");
    for s in SUBCOMMANDS {
        let usage = match s.hint {
            "" => format!("/{TRIGGER} {}", s.name),
            hint => format!("/{TRIGGER} {} {hint}", s.name),
        };
        out.push_str(&format!("- `{usage}` — {}\n", s.description));
    }
    out.push_str(&format!(
        "\nWhen several incidents share a channel, name one with `{INCIDENT_FLAG} <ref>` right after the \
         subcommand, where `<ref>` is its number (`INC-00042` or `42`), the start of its id, or its name \
         (quoted if it has spaces): `/{TRIGGER} end {INCIDENT_FLAG} INC-00042`.\n"
    ));
    out
}

/// One node of the autocomplete tree (mirrors Mattermost's `AutocompleteData`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AutocompleteNode {
    /// The word to type.
    pub trigger: String,
    /// Argument hint.
    pub hint: String,
    /// Description.
    pub help_text: String,
    /// Subcommands.
    pub children: Vec<AutocompleteNode>,
}

/// The static autocomplete tree for `/incident`.
pub fn autocomplete() -> AutocompleteNode {
    AutocompleteNode {
        trigger: TRIGGER.into(),
        hint: "[command]".into(),
        help_text: format!("Available commands: {}", SUBCOMMANDS.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")),
        children: SUBCOMMANDS
            .iter()
            .map(|s| AutocompleteNode {
                trigger: s.name.into(),
                hint: s.hint.into(),
                help_text: s.description.into(),
                children: Vec::new(),
            })
            .collect(),
    }
}

/// A dynamic autocomplete suggestion (the real tasks of an incident for `check`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// Text inserted after the subcommand (`1 2`).
    pub complete: String,
    /// Shown in bold (the task title).
    pub hint: String,
    /// Shown beside it (checklist and state).
    pub description: String,
}

/// Suggestions for `check`/`checkremove`/`assign`: every task as `checklist item`. The caller has already passed
/// `access::check(.., Read, ..)`.
pub fn task_suggestions(incident: &Incident) -> Vec<Suggestion> {
    let mut out = Vec::new();
    for (c, list) in incident.checklists.iter().enumerate() {
        for (i, task) in list.items.iter().enumerate() {
            let state = if task.is_done() { "done" } else { "open" };
            out.push(Suggestion {
                complete: format!("{} {}", c + 1, i + 1),
                hint: task.title.clone(),
                description: format!("{} · {state}", list.title),
            });
        }
    }
    out
}

/// Suggestions for `checkadd`: every checklist by number.
pub fn checklist_suggestions(incident: &Incident) -> Vec<Suggestion> {
    incident
        .checklists
        .iter()
        .enumerate()
        .map(|(c, list)| Suggestion {
            complete: (c + 1).to_string(),
            hint: list.title.clone(),
            description: format!("{} tasks", list.items.len()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;

    #[test]
    fn every_example_names_its_subcommand() {
        for s in SUBCOMMANDS {
            assert!(s.example.starts_with(&format!("/incident {}", s.name)), "{}", s.name);
        }
    }

    #[test]
    fn help_lists_every_subcommand_and_the_incident_flag() {
        let help = help_markdown();
        for s in SUBCOMMANDS {
            assert!(help.contains(&format!("`/incident {}", s.name)), "{}", s.name);
        }
        assert!(help.contains("- `/incident check [checklist #] [item #]` — Check or uncheck a task."));
        assert!(help.contains("--incident <ref>"));
    }

    #[test]
    fn autocomplete_tree_has_one_child_per_subcommand() {
        let tree = autocomplete();
        assert_eq!(tree.trigger, "incident");
        assert_eq!(tree.children.len(), SUBCOMMANDS.len());
        assert_eq!(tree.children[4].trigger, "check");
        assert_eq!(tree.children[4].hint, "[checklist #] [item #]");
    }

    #[test]
    fn task_suggestions_list_the_real_tasks() {
        let mut incident = fixtures::incident();
        incident.checklists[0].items[1].state = crate::incident::TaskState::Done;
        let s = task_suggestions(&incident);
        let got: Vec<_> = s.iter().map(|s| format!("{} {} ({})", s.complete, s.hint, s.description)).collect();
        assert_eq!(
            got,
            ["1 1 Page the DBA (Triage · open)", "1 2 Open a bridge (Triage · done)", "2 1 Fail over (Resolve · open)"]
        );
        assert_eq!(checklist_suggestions(&incident)[1].hint, "Resolve");
    }
}
