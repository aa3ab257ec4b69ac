//! The `/incident` slash command: its registration, help text and dispatch.

use mm::model::{Command, CommandArgs, CommandResponse};

pub const TRIGGER: &str = "incident";

/// Subcommands with their argument hint and what they do, for help and autocomplete.
pub const SUBCOMMANDS: &[(&str, &str, &str)] = &[
    ("start", "[name]", "Start an incident (a dialog without a name)."),
    ("end", "", "End the incident of this channel."),
    ("restart", "", "Reopen an ended incident."),
    ("update", "", "Post a status update."),
    ("check", "<checklist #> <item #>", "Check or uncheck a task."),
    ("checkadd", "<checklist #> <text>", "Add a task to a checklist."),
    ("checkremove", "<checklist #> <item #>", "Remove a task."),
    ("announce", "~channel …", "Post the incident summary to other channels."),
    ("list", "", "List your active incidents in this team."),
    ("commander", "[@username]", "Show or change the commander."),
    ("info", "", "Summary of this channel's incident."),
    ("timeline", "", "The incident timeline."),
    ("help", "", "Show this help."),
];

/// The registration sent in OnActivate.
pub fn registration() -> Command {
    let names: Vec<&str> = SUBCOMMANDS.iter().map(|(name, _, _)| *name).collect();
    Command {
        trigger: TRIGGER.into(),
        team_id: String::new(),
        display_name: "Incident Collaboration".into(),
        description: "Run incidents from Mattermost.".into(),
        auto_complete: true,
        auto_complete_desc: "Run incidents: start, update, check tasks, end.".into(),
        auto_complete_hint: format!("[{}]", names.join("|")),
    }
}

/// The Markdown help text.
pub fn help() -> String {
    let mut text = String::from("#### Incident Collaboration: `/incident` commands\n\n");
    for (name, hint, what) in SUBCOMMANDS {
        let usage = if hint.is_empty() { format!("/{TRIGGER} {name}") } else { format!("/{TRIGGER} {name} {hint}") };
        text.push_str(&format!("- `{usage}`: {what}\n"));
    }
    text
}

/// Runs one invocation of the command.
pub fn execute(args: &CommandArgs) -> CommandResponse {
    let mut words = args.command.split_whitespace();
    let trigger = words.next().unwrap_or_default();
    match words.next() {
        None | Some("help") => CommandResponse::ephemeral(help()),
        Some(sub) if SUBCOMMANDS.iter().any(|(name, _, _)| *name == sub) => CommandResponse::ephemeral(format!(
            "`{trigger} {sub}` is not available in this version of the plugin yet. Type `/{TRIGGER} help` for what is."
        )),
        Some(other) => CommandResponse::ephemeral(format!(
            "Unknown subcommand `{other}`. Type `/{TRIGGER} help` to see the commands."
        )),
    }
}
