//! The privacy matrix for `access::check`: every actor kind × visibility × operation, one expected answer each.

use super::*;
use crate::fixtures::{self, user};
use crate::incident::Grant;
use crate::time::Timestamp;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Admin,
    Member,
    Invited,
    TeamMember,
    RevokedInChannel,
    RevokedOut,
    OtherTeam,
}

const ALL: [Kind; 7] = [
    Kind::Admin,
    Kind::Member,
    Kind::Invited,
    Kind::TeamMember,
    Kind::RevokedInChannel,
    Kind::RevokedOut,
    Kind::OtherTeam,
];

fn setup(kind: Kind, visibility: Visibility) -> (Actor, Incident) {
    let mut incident = fixtures::incident();
    incident.visibility = visibility;
    let me = user("me");
    let (admin, team, channel) = match kind {
        Kind::Admin => (true, false, false),
        Kind::Member => (false, true, true),
        Kind::Invited | Kind::TeamMember | Kind::RevokedOut => (false, true, false),
        Kind::RevokedInChannel => (false, true, true),
        Kind::OtherTeam => (false, false, false),
    };
    match kind {
        Kind::Invited => incident.access.invited.push(Grant {
            user: me.clone(),
            by: user("alice"),
            at: Timestamp(0),
            expires_at: None,
        }),
        Kind::RevokedInChannel | Kind::RevokedOut => incident.access.revoked.push(me.clone()),
        _ => {}
    }
    let actor = Actor { id: me, is_system_admin: admin, is_team_member: team, is_channel_member: channel };
    (actor, incident)
}

const A: Access = Access::Allowed;
const N: Access = Access::NotVisible;
const DM: Access = Access::Denied(DenyReason::NotChannelMember);
const DH: Access = Access::Denied(DenyReason::AlreadyHasAccess);
const DP: Access = Access::Denied(DenyReason::NotPrivate);

/// Columns: Read, Write, ManageAccess, RequestAccess.
fn expected(kind: Kind, visibility: Visibility) -> [Access; 4] {
    use Kind::*;
    use Visibility::*;
    match (visibility, kind) {
        (Public, Admin) => [A, A, A, DH],
        (Public, Member | RevokedInChannel) => [A, A, A, DP],
        (Public, Invited | TeamMember | RevokedOut) => [A, DM, DM, DP],
        (Public, OtherTeam) => [N, N, N, N],
        (Private, Admin) => [A, A, A, DH],
        (Private, Member) => [A, A, A, DH],
        (Private, Invited) => [A, DM, DM, DH],
        (Private, TeamMember | RevokedInChannel | RevokedOut) => [N, N, N, A],
        (Private, OtherTeam) => [N, N, N, N],
    }
}

#[test]
fn privacy_matrix() {
    let ops = [Operation::Read, Operation::Write, Operation::ManageAccess, Operation::RequestAccess];
    let mut cells = 0;
    for visibility in [Visibility::Public, Visibility::Private] {
        for kind in ALL {
            let (actor, incident) = setup(kind, visibility);
            for (op, want) in ops.iter().zip(expected(kind, visibility)) {
                assert_eq!(check(&actor, *op, &incident), want, "{kind:?} × {visibility:?} × {op:?}");
                cells += 1;
            }
        }
    }
    assert_eq!(cells, 56);
}

#[test]
fn viewer_filters_private_incidents_it_cannot_read() {
    let public = fixtures::incident();
    let mut private = fixtures::incident();
    private.visibility = Visibility::Private;
    private.channel = fixtures::id("chan2");
    let mut other_team = fixtures::incident();
    other_team.team = fixtures::id("team2");

    let mut viewer = Viewer { id: Some(user("me")), ..Viewer::default() };
    viewer.teams.insert(public.team.clone());
    let all = [public.clone(), private.clone(), other_team.clone()];
    assert_eq!(viewer.filter(&all), vec![&public]);

    viewer.channels.insert(private.channel.clone());
    assert_eq!(viewer.filter(&all), vec![&public, &private]);

    let admin = Viewer { id: Some(user("root")), is_system_admin: true, ..Viewer::default() };
    assert_eq!(admin.filter(&all).len(), 3);
    assert!(Viewer::default().filter(&all).is_empty());
}

#[test]
fn deny_reasons_read_well() {
    assert_eq!(
        DenyReason::NotChannelMember.to_string(),
        "only members of the incident channel can change this incident; join the channel first"
    );
}
