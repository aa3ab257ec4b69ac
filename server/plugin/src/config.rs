//! The System Console settings (`plugin.json` `settings_schema`), read once per OnConfigurationChange and at
//! activation into an immutable [`Config`]. Readers take an `Arc<Config>` snapshot with [`current`]; a change swaps
//! the whole value. Invalid settings are logged once and the previous valid config stays in force.
//!
//! Mattermost hands plugin settings over with lower-cased keys (and older servers sometimes with the schema's
//! spelling), so keys are matched case-insensitively. Booleans and numbers may arrive as JSON strings.

use std::sync::{Arc, RwLock};

use serde_json::{Map, Value};

/// Setting keys, as written in `plugin.json`.
pub mod keys {
    pub const ENABLE_PRIVATE_INCIDENTS: &str = "EnablePrivateIncidents";
    pub const PLAYBOOK_CREATORS: &str = "PlaybookCreators";
    pub const PLAYBOOK_CREATOR_USERS: &str = "PlaybookCreatorUsers";
    pub const ENABLED_TEAMS: &str = "EnabledTeams";
    pub const DEFAULT_REMINDER_MINUTES: &str = "DefaultReminderMinutes";
    pub const BOT_DISPLAY_NAME: &str = "BotDisplayName";
    pub const WEBHOOK_SECRET: &str = "WebhookSecret";
}

/// Longest reminder interval the console accepts: one week.
pub const MAX_REMINDER_MINUTES: u64 = 7 * 24 * 60;
/// Longest bot display name (Mattermost's limit for a user's nickname-like fields).
pub const MAX_BOT_NAME: usize = 64;

/// Who may create playbooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaybookCreators {
    /// Every member of the team.
    Everyone,
    /// Team admins (Mattermost's `manage_team` permission on the team).
    TeamAdmins,
    /// Only these usernames (lower-cased, without `@`).
    Listed(Vec<String>),
}

/// The plugin's settings, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// "Who should be able to see this incident?" is offered and private incidents may be started.
    pub private_incidents: bool,
    /// Who may create playbooks (system admins always may).
    pub playbook_creators: PlaybookCreators,
    /// Team names or ids the plugin works in (lower-cased); empty: every team.
    pub enabled_teams: Vec<String>,
    /// Default status-update reminder in minutes (0: none).
    pub default_reminder_minutes: u64,
    /// The bot's display name.
    pub bot_display_name: String,
    /// Key that signs outgoing webhooks (empty: they go unsigned, and the timeline says so).
    pub webhook_secret: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            private_incidents: false,
            playbook_creators: PlaybookCreators::Everyone,
            enabled_teams: Vec::new(),
            default_reminder_minutes: 60,
            bot_display_name: "Incident Collaboration".into(),
            webhook_secret: String::new(),
        }
    }
}

/// Why a configuration was refused (the text names the setting and the accepted values).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    /// The setting's key.
    pub setting: &'static str,
    /// What is wrong, with what is accepted.
    pub problem: String,
}

fn invalid(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { setting, problem: problem.into() }
}

/// A value by key, case-insensitively; JSON null counts as absent.
fn lookup<'a>(settings: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    settings.iter().find(|(k, v)| k.eq_ignore_ascii_case(key) && !v.is_null()).map(|(_, v)| v)
}

fn text(settings: &Map<String, Value>, key: &'static str) -> Result<Option<String>, ConfigError> {
    match lookup(settings, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(invalid(key, format!("expected text, got {other}"))),
    }
}

fn list(settings: &Map<String, Value>, key: &'static str) -> Result<Vec<String>, ConfigError> {
    Ok(text(settings, key)?
        .unwrap_or_default()
        .split([',', ' ', '\n'])
        .map(|s| s.trim().trim_start_matches('@').to_lowercase())
        .filter(|s| !s.is_empty())
        .collect())
}

impl Config {
    /// Validates the settings map Mattermost sends (missing keys take their defaults).
    pub fn from_settings(settings: &Map<String, Value>) -> Result<Config, ConfigError> {
        let d = Config::default();
        let private_incidents = match lookup(settings, keys::ENABLE_PRIVATE_INCIDENTS) {
            None => d.private_incidents,
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") || s.is_empty() => false,
            Some(other) => {
                return Err(invalid(keys::ENABLE_PRIVATE_INCIDENTS, format!("expected true or false, got {other}")));
            }
        };
        let users = list(settings, keys::PLAYBOOK_CREATOR_USERS)?;
        if let Some(bad) = users.iter().find(|u| !u.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))) {
            return Err(invalid(keys::PLAYBOOK_CREATOR_USERS, format!("`{bad}` is not a username")));
        }
        let playbook_creators = match text(settings, keys::PLAYBOOK_CREATORS)?.as_deref() {
            None | Some("" | "everyone") => PlaybookCreators::Everyone,
            Some("team_admins") => PlaybookCreators::TeamAdmins,
            Some("listed") if users.is_empty() => {
                return Err(invalid(
                    keys::PLAYBOOK_CREATOR_USERS,
                    "\"Listed users\" is chosen but no usernames are listed",
                ));
            }
            Some("listed") => PlaybookCreators::Listed(users),
            Some(other) => {
                return Err(invalid(
                    keys::PLAYBOOK_CREATORS,
                    format!("`{other}` is not one of everyone, team_admins, listed"),
                ));
            }
        };
        let enabled_teams = list(settings, keys::ENABLED_TEAMS)?;
        let default_reminder_minutes = match lookup(settings, keys::DEFAULT_REMINDER_MINUTES) {
            None => d.default_reminder_minutes,
            Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
                invalid(
                    keys::DEFAULT_REMINDER_MINUTES,
                    format!("expected whole minutes from 0 to {MAX_REMINDER_MINUTES}, got {n}"),
                )
            })?,
            Some(Value::String(s)) if s.trim().is_empty() => d.default_reminder_minutes,
            Some(Value::String(s)) => s.trim().parse::<u64>().map_err(|_| {
                invalid(
                    keys::DEFAULT_REMINDER_MINUTES,
                    format!("expected whole minutes from 0 to {MAX_REMINDER_MINUTES}, got `{s}`"),
                )
            })?,
            Some(other) => {
                return Err(invalid(keys::DEFAULT_REMINDER_MINUTES, format!("expected a number, got {other}")));
            }
        };
        if default_reminder_minutes > MAX_REMINDER_MINUTES {
            return Err(invalid(
                keys::DEFAULT_REMINDER_MINUTES,
                format!("{default_reminder_minutes} is more than {MAX_REMINDER_MINUTES} minutes (one week)"),
            ));
        }
        let bot_display_name = match text(settings, keys::BOT_DISPLAY_NAME)? {
            None => d.bot_display_name,
            Some(s) if s.is_empty() => d.bot_display_name,
            Some(s) if s.chars().count() > MAX_BOT_NAME => {
                return Err(invalid(keys::BOT_DISPLAY_NAME, format!("longer than {MAX_BOT_NAME} characters")));
            }
            Some(s) => s,
        };
        let webhook_secret = text(settings, keys::WEBHOOK_SECRET)?.unwrap_or_default();
        Ok(Config {
            private_incidents,
            playbook_creators,
            enabled_teams,
            default_reminder_minutes,
            bot_display_name,
            webhook_secret,
        })
    }

    /// Whether the plugin works in this team (by id or name; no list: everywhere).
    pub fn team_enabled(&self, team_id: &str, team_name: Option<&str>) -> bool {
        self.enabled_teams.is_empty()
            || self
                .enabled_teams
                .iter()
                .any(|t| t.eq_ignore_ascii_case(team_id) || team_name.is_some_and(|n| t.eq_ignore_ascii_case(n)))
    }

    /// The default reminder in milliseconds (0: none).
    pub fn default_reminder_ms(&self) -> u64 {
        self.default_reminder_minutes * 60_000
    }
}

static CURRENT: RwLock<Option<Arc<Config>>> = RwLock::new(None);

/// The config in force (defaults until the first successful load).
pub fn current() -> Arc<Config> {
    match CURRENT.read() {
        Ok(guard) => guard.clone().unwrap_or_default(),
        Err(poisoned) => poisoned.into_inner().clone().unwrap_or_default(),
    }
}

/// Validates `settings` and, if valid, makes it the config in force; if not, logs one line and keeps the previous.
pub fn apply(settings: &Value) -> Result<Arc<Config>, ConfigError> {
    let empty = Map::new();
    let map = match settings {
        Value::Object(m) => m,
        Value::Null => &empty,
        other => {
            let e = invalid("settings", format!("expected an object, got {other}"));
            tracing::error!(error = %e, "invalid plugin configuration; keeping the previous valid configuration");
            return Err(e);
        }
    };
    match Config::from_settings(map) {
        Ok(config) => {
            let config = Arc::new(config);
            let mut guard = CURRENT.write().unwrap_or_else(|p| p.into_inner());
            *guard = Some(config.clone());
            tracing::info!(
                private_incidents = config.private_incidents,
                enabled_teams = config.enabled_teams.len(),
                "plugin configuration loaded"
            );
            Ok(config)
        }
        Err(e) => {
            tracing::error!(error = %e, "invalid plugin configuration; keeping the previous valid configuration");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn parse(v: Value) -> Result<Config, ConfigError> {
        Config::from_settings(v.as_object().unwrap())
    }

    #[test]
    fn empty_settings_are_the_defaults() {
        assert_eq!(parse(json!({})).unwrap(), Config::default());
        assert!(!Config::default().private_incidents, "private incidents are off by default");
    }

    #[test]
    fn keys_match_case_insensitively_and_strings_are_accepted() {
        let c = parse(json!({
            "enableprivateincidents": "true",
            "PLAYBOOKCREATORS": "listed",
            "playbookcreatorusers": "@Alice, bob",
            "enabledteams": "dev ops",
            "defaultreminderminutes": "30",
            "botdisplayname": "  Pager  ",
        }))
        .unwrap();
        assert!(c.private_incidents);
        assert_eq!(c.playbook_creators, PlaybookCreators::Listed(vec!["alice".into(), "bob".into()]));
        assert_eq!(c.enabled_teams, vec!["dev", "ops"]);
        assert_eq!(c.default_reminder_ms(), 30 * 60_000);
        assert_eq!(c.bot_display_name, "Pager");
        assert!(c.team_enabled("x", Some("DEV")) && !c.team_enabled("x", Some("sales")));
        assert!(Config::default().team_enabled("anything", None));
    }

    #[test]
    fn invalid_values_name_the_setting() {
        for (settings, key) in [
            (json!({"EnablePrivateIncidents": "yes"}), keys::ENABLE_PRIVATE_INCIDENTS),
            (json!({"PlaybookCreators": "admins"}), keys::PLAYBOOK_CREATORS),
            (json!({"PlaybookCreators": "listed"}), keys::PLAYBOOK_CREATOR_USERS),
            (json!({"PlaybookCreatorUsers": "a;b"}), keys::PLAYBOOK_CREATOR_USERS),
            (json!({"DefaultReminderMinutes": -5}), keys::DEFAULT_REMINDER_MINUTES),
            (json!({"DefaultReminderMinutes": "soon"}), keys::DEFAULT_REMINDER_MINUTES),
            (json!({"DefaultReminderMinutes": 20000}), keys::DEFAULT_REMINDER_MINUTES),
            (json!({"BotDisplayName": "x".repeat(65)}), keys::BOT_DISPLAY_NAME),
            (json!({"EnabledTeams": 3}), keys::ENABLED_TEAMS),
        ] {
            assert_eq!(parse(settings.clone()).unwrap_err().setting, key, "{settings}");
        }
    }

    #[test]
    fn an_invalid_change_keeps_the_previous_valid_config() {
        let good = apply(&json!({"enableprivateincidents": true, "botdisplayname": "Kept"})).unwrap();
        assert!(apply(&json!({"defaultreminderminutes": "never"})).is_err());
        assert!(apply(&json!(["not", "an", "object"])).is_err());
        assert_eq!(current(), good);
    }

    /// The console schema in plugin.json follows Mattermost's rules and covers every key read here.
    #[test]
    fn plugin_json_schema_follows_mattermost_rules() {
        let manifest: Value =
            serde_json::from_str(include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../plugin.json"))).unwrap();
        let settings = manifest["settings_schema"]["settings"].as_array().unwrap();
        let allowed = ["bool", "dropdown", "generated", "radio", "text", "longtext", "number", "username", "custom"];
        let mut defaults = Map::new();
        for s in settings {
            let key = s["key"].as_str().unwrap();
            let kind = s["type"].as_str().unwrap();
            assert!(allowed.contains(&kind), "{key}: type {kind}");
            assert!(!s["help_text"].as_str().unwrap_or_default().is_empty(), "{key} needs help text");
            assert!(!s["display_name"].as_str().unwrap_or_default().is_empty(), "{key} needs a display name");
            let has_options = s.get("options").is_some_and(|o| !o.is_null());
            assert_eq!(has_options, matches!(kind, "radio" | "dropdown"), "{key}: options only for radio/dropdown");
            if matches!(kind, "bool" | "dropdown" | "radio") {
                assert!(s.get("placeholder").is_none_or(Value::is_null), "{key}: no placeholder on {kind}");
            }
            if let Some(options) = s["options"].as_array() {
                let values: Vec<_> = options.iter().map(|o| o["value"].clone()).collect();
                assert!(values.contains(&s["default"]), "{key}: default is one of the options");
            }
            defaults.insert(key.to_lowercase(), s["default"].clone());
        }
        for key in [
            keys::ENABLE_PRIVATE_INCIDENTS,
            keys::PLAYBOOK_CREATORS,
            keys::PLAYBOOK_CREATOR_USERS,
            keys::ENABLED_TEAMS,
            keys::DEFAULT_REMINDER_MINUTES,
            keys::BOT_DISPLAY_NAME,
        ] {
            assert!(settings.iter().any(|s| s["key"] == key), "plugin.json lacks {key}");
        }
        assert_eq!(Config::from_settings(&defaults).unwrap(), Config::default(), "schema defaults = Config::default()");
    }
}
