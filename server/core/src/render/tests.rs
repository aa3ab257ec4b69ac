//! Renderer tests: the exact Markdown people read, built from scenarios run through decide().

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

fn at(c: usize, i: usize) -> TaskAt {
    TaskAt::from_ordinals(c, i).unwrap()
}

/// Start at t=1000; bob checks a task at +5m; alice posts an update with a 30m reminder at +1h; bob becomes commander.
fn scenario() -> Incident {
    let mut i = fixtures::incident();
    let t = |ms: u64| Timestamp(1_000).saturating_add_ms(ms);
    let steps = [
        ("bob", Action::ToggleTask { at: at(1, 1) }, t(5 * MINUTE_MS)),
        (
            "alice",
            Action::PostStatusUpdate {
                message: "Failing over to the replica.".into(),
                reminder_ms: Some(30 * MINUTE_MS),
            },
            t(HOUR_MS),
        ),
        (
            "alice",
            Action::ChangeCommander { to: Member { id: user("bob"), username: "bob".into(), is_channel_member: true } },
            t(HOUR_MS + MINUTE_MS),
        ),
    ];
    for (who, action, now) in steps {
        i = decide(&i, &actor(who), action, now).unwrap().incident;
    }
    i
}

#[test]
fn info_shows_commander_duration_progress_and_update() {
    let i = scenario();
    let now = Timestamp(1_000).saturating_add_ms(2 * HOUR_MS + 5 * MINUTE_MS);
    assert_eq!(
        info(&i, now, &names()),
        "#### **Database down** · INC-00042\n\
         **Status:** Active for 2h 5m\n\
         **Commander:** @bob\n\
         **Tasks:** 1/3 done\n\
         **Last update:** 1h 5m ago by @alice · **overdue by 35m**\n"
    );
    let early = Timestamp(1_000).saturating_add_ms(HOUR_MS + 10 * MINUTE_MS);
    assert!(info(&i, early, &names()).ends_with("10m ago by @alice · next due in 20m\n"));
}

#[test]
fn info_marks_private_incidents_and_unknown_users() {
    let mut i = fixtures::incident();
    i.visibility = Visibility::Private;
    i.commander = user("ghost");
    let text = info(&i, Timestamp(61_000), &names());
    assert!(text.starts_with("#### 🔒 **Database down** · INC-00042\n🔒 **Private incident**"));
    assert!(text.contains("**Commander:** someone\n"));
    assert!(text.contains("**Last update:** none yet\n"));
    assert!(text.contains("**Status:** Active for 1m\n"));
}

#[test]
fn timeline_reads_as_sentences() {
    assert_eq!(
        timeline(&scenario(), &names()),
        "#### Timeline of **Database down** · INC-00042\n\
         - `+5m` @bob checked “Page the DBA”\n\
         - `+1h` @alice posted a status update\n\
         - `+1h 1m` @alice made @bob the commander\n"
    );
}

#[test]
fn list_is_a_table_of_what_the_viewer_may_see() {
    let a = scenario();
    let mut b = fixtures::incident();
    b.number = 43;
    b.name = "Login | errors".into();
    b.visibility = Visibility::Private;
    let now = Timestamp(1_000).saturating_add_ms(2 * HOUR_MS);
    assert_eq!(
        list(&[ListLine::of(&a), ListLine::of(&b)], now, &names()),
        "#### Your incidents\n\n\
         | Incident | Commander | Running | Tasks | Update |\n\
         |---|---|---|---|---|\n\
         | **Database down** · INC-00042 | @bob | 2h | 1/3 | **overdue** |\n\
         | 🔒 **Login \\| errors** · INC-00043 | @alice | 2h | 0/3 | ok |\n"
    );
    assert_eq!(
        list(&[], now, &names()),
        "You have no active incidents in this team. Start one with `/incident start`."
    );
}

#[test]
fn status_update_post() {
    let i = scenario();
    let now = Timestamp(1_000).saturating_add_ms(HOUR_MS);
    assert_eq!(
        message(&Message::StatusUpdate, &i, now, &names()),
        "#### Status update · **Database down** · INC-00042\n\n\
         Failing over to the replica.\n\n\
         _Tasks 1/3 · next update in 30m_"
    );
}

#[test]
fn every_message_renders() {
    let i = scenario();
    let (a, b) = (user("alice"), user("bob"));
    let now = Timestamp(1_000).saturating_add_ms(3 * HOUR_MS);
    let cases = [
        (Message::Ended { by: a.clone() }, "@alice ended the incident after 3h."),
        (
            Message::CommanderChanged { by: a.clone(), from: a.clone(), to: b.clone() },
            "@alice changed the commander from @alice to @bob.",
        ),
        (
            Message::TaskChecked { by: b.clone(), title: "Fix *it*".into(), done: false },
            "@bob unchecked “Fix \\*it\\*”.",
        ),
        (
            Message::TaskAssigned { by: a.clone(), title: "Page".into(), to: Some(b.clone()) },
            "@alice assigned “Page” to @bob.",
        ),
        (
            Message::ReminderDue,
            "@bob, a status update for **Database down** · INC-00042 is due. Post one with `/incident update`.",
        ),
        (
            Message::AccessGranted { by: a.clone(), user: b.clone(), until: Some(now.saturating_add_ms(2 * HOUR_MS)) },
            "@alice gave @bob access for 2h.",
        ),
        (
            Message::AskRemoveAccess { user: b.clone() },
            "@bob left the channel and can still see this private incident. Remove their access?",
        ),
        (
            Message::Announcement { by: a.clone() },
            "@alice announced an incident: **Database down** · INC-00042\n**Commander:** @bob · **Tasks:** 1/3.",
        ),
    ];
    for (msg, want) in cases {
        assert_eq!(message(&msg, &i, now, &names()), want, "{msg:?}");
        for user in msg.mentions() {
            assert!(names().contains_key(user));
        }
    }
    let created = message(&Message::Created, &i, now, &names());
    assert_eq!(
        created,
        "#### Incident started: **Database down** · INC-00042\n\nPrimary is unreachable\n\n\
         **Commander:** @bob · **Reported by:** @alice"
    );
}

#[test]
fn who_has_access_lists_members_invited_and_revoked() {
    let mut i = fixtures::incident();
    assert_eq!(
        who_has_access(&i, &[], Timestamp(0), &names()),
        "#### Who has access\nEveryone in the team: this incident is public.\n"
    );
    i.visibility = Visibility::Private;
    i.access.invited.push(crate::incident::Grant {
        user: user("carol"),
        by: user("alice"),
        at: Timestamp(0),
        expires_at: Some(Timestamp(0).saturating_add_ms(2 * HOUR_MS)),
    });
    i.access.revoked.push(user("bob"));
    assert_eq!(
        who_has_access(&i, &[user("alice"), user("bob")], Timestamp(30 * 60_000), &names()),
        "#### Who has access\n- @alice · member\n- @carol · invited (time-boxed, 1h 30m left)\n- ~~@bob~~ · revoked\n"
    );
}

#[test]
fn mentions_in_user_text_notify_nobody() {
    let wj = '\u{2060}';
    assert_eq!(quiet_mentions("ping @channel and @bob."), format!("ping @{wj}channel and @{wj}bob."));
    assert_eq!(quiet_mentions("@here"), format!("@{wj}here"));
    assert_eq!(quiet_mentions("mail ops@example.com, @ alone, @@x"), "mail ops@example.com, @ alone, @@x");
    assert_eq!(escape("**@all** <b>"), format!("\\*\\*@{wj}all\\*\\* \\<b\\>"));
    let mut i = fixtures::incident();
    i.name = "Outage @channel [click](javascript:alert(1))".into();
    let shown = info(&i, Timestamp(0), &names());
    assert!(!shown.contains("@channel"), "{shown}");
    assert!(shown.contains("\\[click\\](javascript:alert(1))"), "links are not links: {shown}");
}
