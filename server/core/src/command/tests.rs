//! Table-driven parser tests: good input → command, bad input → the exact text the user reads.

use super::*;

fn at(c: usize, i: usize) -> TaskAt {
    TaskAt::from_ordinals(c, i).unwrap()
}

fn ok(command: Command) -> Result<Invocation, ParseError> {
    Ok(Invocation { target: None, command })
}

fn on(target: IncidentRef, command: Command) -> Result<Invocation, ParseError> {
    Ok(Invocation { target: Some(target), command })
}

#[test]
fn good_input() {
    use Command::*;
    let cases: Vec<(&str, Result<Invocation, ParseError>)> = vec![
        ("", ok(Help)),
        ("/incident", ok(Help)),
        ("/incident help", ok(Help)),
        ("/INCIDENT   HELP  ", ok(Help)),
        ("help", ok(Help)),
        ("/incident start", ok(Start { name: None })),
        ("/incident start  Database down ", ok(Start { name: Some("Database down".into()) })),
        ("/incident start \"Quoted name\"", ok(Start { name: Some("Quoted name".into()) })),
        ("/incident end", ok(End)),
        ("/incident restart", ok(Restart)),
        ("/incident update", ok(Update)),
        ("/incident check 1 2", ok(Check { at: at(1, 2) })),
        ("/incident Check 10   20", ok(Check { at: at(10, 20) })),
        (
            "/incident checkadd 2 Restore  the backup ",
            ok(CheckAdd { checklist: 1, text: "Restore  the backup".into() }),
        ),
        ("/incident checkremove 1 3", ok(CheckRemove { at: at(1, 3) })),
        ("/incident assign 1 2 @Alice", ok(Assign { at: at(1, 2), username: "alice".into() })),
        ("/incident unassign 2 1", ok(Unassign { at: at(2, 1) })),
        (
            "/incident announce ~town-square, ~ops_team",
            ok(Announce { channels: vec!["town-square".into(), "ops_team".into()] }),
        ),
        ("/incident list", ok(List)),
        ("/incident commander", ok(Commander { username: None })),
        ("/incident commander @bob.smith", ok(Commander { username: Some("bob.smith".into()) })),
        ("/incident commander bob", ok(Commander { username: Some("bob".into()) })),
        ("/incident info", ok(Info)),
        ("/incident timeline", ok(Timeline)),
        // Naming one incident: right after the subcommand, or at the very end.
        ("/incident end --incident INC-00042", on(IncidentRef::Number(42), End)),
        ("/incident check --incident 7 1 2", on(IncidentRef::Number(7), Check { at: at(1, 2) })),
        ("/incident check 1 2 --incident 3f9ak", on(IncidentRef::Text("3f9ak".into()), Check { at: at(1, 2) })),
        ("/incident info --incident=\"db outage\"", on(IncidentRef::Text("db outage".into()), Info)),
        ("/incident info --incident \"db outage\"", on(IncidentRef::Text("db outage".into()), Info)),
        (
            "/incident checkadd 1 Call the vendor --incident \"db outage\"",
            on(IncidentRef::Text("db outage".into()), CheckAdd { checklist: 0, text: "Call the vendor".into() }),
        ),
    ];
    for (input, want) in cases {
        assert_eq!(parse(input), want, "input {input:?}");
    }
}

#[test]
fn bad_input_says_exactly_what_is_wrong() {
    let cases = [
        ("/incident frobnicate", "`/incident frobnicate` is not a command. Here is what `/incident` can do:"),
        (
            "/incident check",
            "`/incident check` needs a checklist number and an item number, like `/incident check 1 2`.",
        ),
        (
            "/incident check 1",
            "`/incident check` needs a checklist number and an item number, like `/incident check 1 2`.",
        ),
        (
            "/incident check 1 2 3",
            "`/incident check` needs a checklist number and an item number, like `/incident check 1 2`.",
        ),
        ("/incident check one 2", "`one` is not a checklist number. Numbers start at 1, like `/incident check 1 2`."),
        ("/incident check 1 0", "`0` is not an item number. Numbers start at 1, like `/incident check 1 2`."),
        (
            "/incident checkremove 1 -2",
            "`-2` is not an item number. Numbers start at 1, like `/incident checkremove 1 2`.",
        ),
        (
            "/incident checkadd 1",
            "`/incident checkadd` needs a checklist number and the task text, like `/incident checkadd 1 Restore the backup`.",
        ),
        (
            "/incident checkadd x Do it",
            "`x` is not a checklist number. Numbers start at 1, like `/incident checkadd 1 Restore the backup`.",
        ),
        ("/incident end now", "`/incident end` needs no arguments, like `/incident end`."),
        (
            "/incident announce",
            "`/incident announce` needs one or more channels, like `~town-square`, like `/incident announce ~town-square ~ops`.",
        ),
        (
            "/incident announce town-square",
            "`town-square` is not a channel. Name channels with `~`, like `/incident announce ~town-square`.",
        ),
        (
            "/incident commander @a b",
            "`/incident commander` needs nothing, or one @username, like `/incident commander @alice`.",
        ),
        ("/incident commander @", "`@` is not a username. Name people with `@`, like `/incident commander @alice`."),
        (
            "/incident assign 1 2",
            "`/incident assign` needs a checklist number, an item number and a @username, like `/incident assign 1 2 @alice`.",
        ),
        (
            "/incident end --incident",
            "`--incident` needs an incident: its number, the start of its id, or its name, like `/incident end --incident INC-00042`.",
        ),
        (
            "/incident info --incident \"db outage",
            "The quote after `--incident` is never closed, like `--incident \"db outage\"`.",
        ),
        ("/incident list --incident 4", "`/incident list` does not act on one incident, so it takes no `--incident`."),
    ];
    for (input, want) in cases {
        let err = parse(input).expect_err(input);
        assert_eq!(err.to_string(), want, "input {input:?}");
    }
}

#[test]
fn only_unknown_subcommands_show_help() {
    assert!(parse("/incident nope").unwrap_err().shows_help());
    assert!(!parse("/incident check").unwrap_err().shows_help());
}

#[test]
fn every_example_in_the_table_parses() {
    for sub in crate::spec::SUBCOMMANDS {
        assert!(parse(sub.example).is_ok(), "{}", sub.example);
    }
}

#[test]
fn simple_commands_map_to_actions() {
    let action = |text: &str| parse(text).unwrap().command.action();
    assert_eq!(action("/incident end"), Some(Action::End { confirmed: false }));
    assert_eq!(action("/incident check 2 3"), Some(Action::ToggleTask { at: at(2, 3) }));
    assert_eq!(
        action("/incident checkadd 1 Call vendor"),
        Some(Action::AddTask { checklist: 0, title: "Call vendor".into() })
    );
    assert_eq!(action("/incident commander @bob"), None);
    assert_eq!(action("/incident info"), None);
}
