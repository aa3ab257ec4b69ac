//! Access inside decide(): requests, grants, revokes, visibility and channel-membership hooks.

use super::*;
use crate::fixtures::{self, user};

#[test]
fn access_is_checked_inside_decide() {
    let public = fixtures::incident();
    let toggle = Action::ToggleTask { at: at(1, 1) };
    assert_eq!(
        err(&public, &outsider("eve"), toggle.clone()),
        "You can't do that: only members of the incident channel can change this incident; join the channel first."
    );
    assert_eq!(decide(&private(), &outsider("eve"), toggle.clone(), Timestamp(0)).unwrap_err(), DomainError::NotFound);
    let other_team = Actor { is_team_member: false, ..member("mallory") };
    assert_eq!(decide(&public, &other_team, toggle.clone(), Timestamp(0)).unwrap_err(), DomainError::NotFound);
    let admin = Actor { is_system_admin: true, ..outsider("root") };
    assert!(decide(&private(), &admin, toggle, Timestamp(0)).is_ok());
}

#[test]
fn access_request_is_rate_limited_and_answered_once() {
    let mut clock = Clock(0);
    let eve = outsider("eve");
    let alice = member("alice");
    let incident = private();
    let d = decide(&incident, &eve, Action::RequestAccess, clock.now()).unwrap();
    assert_eq!(posts(&d), [&Message::AccessRequested { requester: user("eve") }]);
    assert!(d.effects.iter().all(|e| match e {
        Effect::Publish { audience, .. } => *audience == Audience::Channel(incident.channel.clone()),
        _ => true,
    }));
    let requested = d.incident;
    let e = decide(&requested, &eve, Action::RequestAccess, clock.advance_ms(6 * 60_000)).unwrap_err();
    assert_eq!(e.to_string(), "You already asked for access. You can ask again in 9m.");

    let d = decide(&requested, &alice, Action::DenyAccess { requester: who("eve", false) }, clock.now()).unwrap();
    assert!(posts(&d).is_empty(), "a denial tells nobody");
    assert_eq!(d.incident.timeline.last().unwrap().kind, EventKind::AccessDenied);
    assert_eq!(
        err(&d.incident, &alice, Action::DenyAccess { requester: who("eve", false) }),
        "There is no open access request from @eve; it may have been answered already."
    );
    let again = decide(&d.incident, &eve, Action::RequestAccess, clock.advance_ms(9 * 60_000));
    assert!(again.is_ok(), "15 minutes later the user may ask again");
    assert_eq!(
        err(&fixtures::incident(), &eve, Action::RequestAccess),
        "You can't do that: this incident is public: join its channel to take part."
    );
}

#[test]
fn grant_and_revoke_access() {
    let alice = member("alice");
    let incident = private();
    let grant = |name: &str, expires_at| Action::GrantAccess { to: who(name, false), expires_at };
    let d = decide(&incident, &alice, grant("dave", None), Timestamp(1)).unwrap();
    assert!(d.incident.access.is_invited(&user("dave")));
    assert!(d.effects.contains(&Effect::AddChannelMember { channel: incident.channel.clone(), user: user("dave") }));
    assert_eq!(err(&d.incident, &alice, grant("dave", None)), "@dave already has access to this incident.");
    assert_eq!(err(&incident, &alice, grant("dave", Some(Timestamp(0)))), "Access must end in the future.");
    assert_eq!(
        err(&fixtures::incident(), &alice, grant("dave", None)),
        "This incident is public: everyone in the team can already see it."
    );

    let revoke =
        |name: &str, in_channel, channel_members| Action::RevokeAccess { user: who(name, in_channel), channel_members };
    let granted = d.incident;
    let d = decide(&granted, &alice, revoke("dave", true, 3), Timestamp(2)).unwrap();
    assert!(d.incident.access.is_revoked(&user("dave")));
    assert!(!d.incident.access.is_invited(&user("dave")));
    assert!(d.effects.contains(&Effect::RemoveChannelMember { channel: incident.channel.clone(), user: user("dave") }));
    assert_eq!(err(&d.incident, &alice, revoke("dave", false, 3)), "@dave does not have access to this incident.");
    // Removing dave failed (he is still in the channel): revoking again retries, without a second revoked entry.
    let again = decide(&d.incident, &alice, revoke("dave", true, 3), Timestamp(2)).unwrap();
    assert!(
        again.effects.contains(&Effect::RemoveChannelMember { channel: incident.channel.clone(), user: user("dave") })
    );
    assert_eq!(again.incident.access.revoked.iter().filter(|u| **u == user("dave")).count(), 1);
    assert_eq!(
        err(&granted, &alice, revoke("alice", true, 3)),
        "@alice is the commander; change the commander before revoking their access."
    );
    assert_eq!(
        err(&granted, &alice, revoke("bob", true, 1)),
        "@bob is the last member of the incident channel; invite someone else before revoking their access."
    );

    // Revoked users lose sight of the incident even if still in the channel; a new grant restores it.
    let revoked = d.incident;
    let dave_still_in_channel = member("dave");
    assert_eq!(
        decide(&revoked, &dave_still_in_channel, Action::ToggleTask { at: at(1, 1) }, Timestamp(3)).unwrap_err(),
        DomainError::NotFound
    );
    let d = decide(&revoked, &alice, grant("dave", None), Timestamp(4)).unwrap();
    assert!(!d.incident.access.is_revoked(&user("dave")));
}

#[test]
fn time_boxed_grant_schedules_its_expiry() {
    let alice = member("alice");
    let d = decide(
        &private(),
        &alice,
        Action::GrantAccess { to: who("dave", false), expires_at: Some(Timestamp(90_000)) },
        Timestamp(1),
    )
    .unwrap();
    assert!(d.effects.contains(&Effect::ScheduleDeadline { incident: d.incident.id.clone(), at: Timestamp(90_000) }));
}

#[test]
fn making_private_public_needs_confirmation() {
    let alice = member("alice");
    let incident = private();
    let to = |v, confirmed| Action::SetVisibility { to: v, confirmed };
    assert_eq!(
        err(&incident, &alice, to(Visibility::Public, false)),
        "Making this incident public shows it, its timeline and its updates to the whole team. Confirm to continue."
    );
    assert_eq!(err(&incident, &alice, to(Visibility::Private, true)), "This incident is already private.");
    let d = decide(&incident, &alice, to(Visibility::Public, true), Timestamp(1)).unwrap();
    assert_eq!(d.incident.visibility, Visibility::Public);
    assert!(d.effects.contains(&Effect::SetChannelPrivacy { channel: incident.channel.clone(), private: false }));
    assert_eq!(d.incident.timeline.last().unwrap().summary, "public");
    assert_eq!(
        decide(&incident, &outsider("eve"), to(Visibility::Public, true), Timestamp(1)).unwrap_err(),
        DomainError::NotFound
    );
}

#[test]
fn leaving_a_private_channel_keeps_access_and_asks_the_channel() {
    let incident = private();
    let bob_gone = outsider("bob");
    let d = decide(&incident, &bob_gone, Action::MemberLeft, Timestamp(5)).unwrap();
    assert!(d.incident.access.is_invited(&user("bob")));
    assert_eq!(posts(&d), [&Message::AskRemoveAccess { user: user("bob") }]);
    assert_eq!(d.incident.timeline.last().unwrap().kind, EventKind::MemberLeft);
    // Someone let in by a member is asked about too; a time-boxed grant keeps its end.
    let granted = Action::GrantAccess { to: who("dave", false), expires_at: Some(Timestamp(90_000)) };
    let with_dave = decide(&incident, &member("alice"), granted, Timestamp(1)).unwrap().incident;
    let d = decide(&with_dave, &outsider("dave"), Action::MemberLeft, Timestamp(5)).unwrap();
    assert_eq!(posts(&d), [&Message::AskRemoveAccess { user: user("dave") }]);
    let grant = d.incident.access.invited.iter().find(|g| g.user == user("dave")).unwrap();
    assert_eq!((grant.by.clone(), grant.expires_at), (user("dave"), Some(Timestamp(90_000))));
    let d = decide(&fixtures::incident(), &bob_gone, Action::MemberLeft, Timestamp(5)).unwrap();
    assert!(posts(&d).is_empty(), "public incidents need no access question");
    let d = decide(&incident, &member("carol"), Action::MemberJoined, Timestamp(6)).unwrap();
    assert_eq!(d.incident.timeline.last().unwrap().actor, Some(user("carol")));
}

#[test]
fn the_question_after_leaving_is_answered_once() {
    let alice = member("alice");
    let left = decide(&private(), &outsider("bob"), Action::MemberLeft, Timestamp(5)).unwrap().incident;
    let answer = |remove| Action::AnswerLeftChannel { user: who("bob", false), remove };

    // Keep: bob stays invited, now on alice's word, and the question is closed.
    let kept = decide(&left, &alice, answer(false), Timestamp(6)).unwrap();
    assert!(kept.incident.access.is_invited(&user("bob")));
    assert_eq!(kept.incident.timeline.last().unwrap().kind, EventKind::AccessKept);
    assert!(posts(&kept).is_empty(), "keeping access announces nothing");
    assert_eq!(
        err(&kept.incident, &alice, answer(true)),
        "@bob's access after leaving the channel was already decided."
    );

    // Remove: revoked, with the usual revoke post; not removed from a channel he already left.
    let removed = decide(&left, &alice, answer(true), Timestamp(6)).unwrap();
    assert!(removed.incident.access.is_revoked(&user("bob")));
    assert!(!removed.effects.iter().any(|e| matches!(e, Effect::RemoveChannelMember { .. })));
    assert_eq!(posts(&removed), [&Message::AccessRevoked { by: user("alice"), user: user("bob") }]);
    assert_eq!(
        err(&removed.incident, &alice, answer(false)),
        "@bob's access after leaving the channel was already decided."
    );

    // Back in the channel, or asked by someone outside it: nothing to decide / not found.
    let back = Action::AnswerLeftChannel { user: who("bob", true), remove: true };
    assert_eq!(err(&left, &alice, back), "@bob's access after leaving the channel was already decided.");
    assert_eq!(decide(&left, &outsider("eve"), answer(true), Timestamp(6)).unwrap_err(), DomainError::NotFound);
}
