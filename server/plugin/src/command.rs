//! The `/incident` slash command: its registration and ExecuteCommand → app → CommandResponse (replies, the
//! end-confirmation button, dialogs).

use incident_app::{App, Ctx, Outcome};
use incident_core::spec;
use mm::Api;
use mm::model::{Command, CommandArgs, CommandResponse, OpenDialog};
use serde_json::{Map, Value, json};

use crate::dialogs;
use crate::ids;

/// The registration sent in OnActivate. The gRPC `Command` message carries only a description and a hint, not the
/// autocomplete tree, so the hint lists the subcommands.
pub fn registration() -> Command {
    let mut names: Vec<&str> = spec::SUBCOMMANDS.iter().map(|s| s.name).collect();
    names.push("access"); // private incidents: `/incident access list|grant|revoke|private|public confirm`
    Command {
        trigger: spec::TRIGGER.into(),
        team_id: String::new(),
        display_name: "Incident Collaboration".into(),
        description: "Run incidents from Mattermost.".into(),
        auto_complete: true,
        auto_complete_desc: format!("Available commands: {}", names.join(", ")),
        auto_complete_hint: format!("[{}]", names.join("|")),
    }
}

/// Runs one invocation. The clock is read here, once.
pub async fn execute(app: &App, api: &Api, plugin_id: &str, args: CommandArgs) -> CommandResponse {
    let Ok(user) = args.user_id.clone().try_into() else {
        return CommandResponse::ephemeral("This command needs a signed-in user.");
    };
    let ctx = Ctx {
        user,
        team: args.team_id.clone().try_into().ok(),
        channel: args.channel_id.clone().try_into().ok(),
        now: ids::now(),
    };
    if !args.team_id.is_empty() && !crate::permissions::team_enabled(api, &args.team_id).await {
        return CommandResponse::ephemeral(crate::permissions::TEAM_DISABLED);
    }
    // `/incident access …` (private incidents) is answered by its own use case.
    let mut words = args.command.split_whitespace();
    if words.next().is_some_and(|w| w.eq_ignore_ascii_case("/incident"))
        && words.next().is_some_and(|w| w.eq_ignore_ascii_case("access"))
    {
        let rest: Vec<&str> = words.collect();
        return match app.access_command(&ctx, &rest.join(" ")).await {
            Ok(text) | Err(incident_app::AppError::Invalid(text)) => CommandResponse::ephemeral(text),
            Err(e) => CommandResponse::ephemeral(e.to_string()),
        };
    }
    match app.command(&ctx, &args.command).await {
        Ok(Outcome::Reply(text)) => CommandResponse::ephemeral(text),
        Ok(Outcome::ConfirmEnd { text, incident }) => {
            let url = format!("/plugins/{plugin_id}{}", dialogs::END_PATH);
            let attachment = json!({
                "text": text,
                "actions": [{
                    "id": "endincident",
                    "name": "End incident",
                    "type": "button",
                    "style": "danger",
                    "integration": { "url": url, "context": { "incident_id": incident } },
                }],
            });
            let mut props = Map::new();
            props.insert("attachments".into(), Value::Array(vec![attachment]));
            CommandResponse { props, ..CommandResponse::ephemeral(text) }
        }
        Ok(Outcome::StartDialog { description }) => {
            let dialog = crate::http::playbooks::start_dialog(app, &ctx, dialogs::start(&description)).await;
            open(api, &args, format!("/plugins/{plugin_id}{}", dialogs::START_PATH), dialog).await
        }
        Ok(Outcome::UpdateDialog(prefill)) => {
            open(api, &args, format!("/plugins/{plugin_id}{}", dialogs::UPDATE_PATH), dialogs::update(&prefill)).await
        }
        Err(e) => CommandResponse::ephemeral(e.to_string()),
    }
}

async fn open(api: &Api, args: &CommandArgs, url: String, dialog: mm::model::Dialog) -> CommandResponse {
    let request = OpenDialog { trigger_id: args.trigger_id.clone(), url, dialog };
    match api.open_interactive_dialog(request).await {
        Ok(()) => CommandResponse::ephemeral(""),
        Err(e) => CommandResponse::ephemeral(format!("The dialog could not be opened ({e}). Please try again.")),
    }
}
