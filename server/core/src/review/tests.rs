//! Review numbers and the Markdown export, compared with a committed golden file (`export.md`; a mismatch writes
//! `export.md.new` next to it to inspect and copy over).

use std::collections::BTreeMap;

use super::*;
use crate::access::Actor;
use crate::decide::{Action, Member, decide};
use crate::fixtures::{self, user};
use crate::incident::TaskAt;
use crate::time::{HOUR_MS, MINUTE_MS};

fn names() -> BTreeMap<UserId, String> {
    ["alice", "bob", "carol"].into_iter().map(|n| (user(n), n.to_owned())).collect()
}

fn actor(name: &str) -> Actor {
    Actor { id: user(name), is_system_admin: false, is_team_member: true, is_channel_member: true }
}

const START: Timestamp = Timestamp(1_700_000_000_000);

/// Bob checks a task, alice posts an update (with an injected mention), makes bob commander, and ends it.
fn ended() -> Incident {
    let mut i = fixtures::incident();
    i.created_at = START;
    i.name = "Database down *now*".into();
    let t = |ms: u64| START.saturating_add_ms(ms);
    let bob = Member { id: user("bob"), username: "bob".into(), is_channel_member: true };
    let steps = [
        ("bob", Action::ToggleTask { at: TaskAt::from_ordinals(1, 1).unwrap() }, t(5 * MINUTE_MS)),
        (
            "alice",
            Action::PostStatusUpdate { message: "Failing over.\n@channel stand by".into(), reminder_ms: None },
            t(HOUR_MS),
        ),
        ("alice", Action::ChangeCommander { to: bob }, t(HOUR_MS + MINUTE_MS)),
        ("bob", Action::End { confirmed: true }, t(2 * HOUR_MS)),
    ];
    for (who, action, now) in steps {
        i = decide(&i, &actor(who), action, now).unwrap().incident;
    }
    i
}

#[test]
fn review_counts_duration_people_and_messages() {
    let i = ended();
    let r = review(&i, 17, START.saturating_add_ms(10 * HOUR_MS));
    assert_eq!(r.duration_ms, 2 * HOUR_MS, "an ended incident's duration stops at its end");
    assert_eq!(r.members, vec![user("alice"), user("bob")]);
    assert_eq!(r.messages, 17);
    let active = fixtures::incident();
    assert_eq!(review(&active, 0, Timestamp(1_000).saturating_add_ms(MINUTE_MS)).duration_ms, MINUTE_MS);
}

#[test]
fn utc_formats_civil_dates() {
    assert_eq!(utc(Timestamp(0)), "1970-01-01 00:00 UTC");
    assert_eq!(utc(START), "2023-11-14 22:13 UTC");
    assert_eq!(utc(Timestamp(951_782_400_000)), "2000-02-29 00:00 UTC", "leap day");
    assert_eq!(utc(Timestamp(-60_000)), "1969-12-31 23:59 UTC");
}

#[test]
fn the_markdown_export_matches_its_golden_file() {
    let i = ended();
    let now = START.saturating_add_ms(3 * HOUR_MS);
    let transcript = vec![
        TranscriptLine {
            at: START.saturating_add_ms(MINUTE_MS),
            author: Some(user("bob")),
            message: "On it. @here".into(),
        },
        TranscriptLine {
            at: START.saturating_add_ms(2 * MINUTE_MS),
            author: None,
            message: "bob joined the channel.".into(),
        },
    ];
    let got = markdown(&i, &review(&i, 2, now), &transcript, true, now, &names());
    assert!(!got.contains("@channel") && !got.contains("@here"), "mentions are inert: {got}");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/review/export.md");
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if got != expected {
        std::fs::write(format!("{path}.new"), &got).unwrap();
        panic!("the export differs from {path}; see {path}.new:\n{got}");
    }
}
