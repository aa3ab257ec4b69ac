//! What happens when time passes: due reminders and lapsed time-boxed grants. Called by the scheduler at deadlines.

use crate::decide::{Decision, Step};
use crate::effect::{Change, Effect, Message};
use crate::incident::{EventKind, Incident};
use crate::time::Timestamp;

/// Handles everything due at `now`; None when nothing is due (the scheduler woke early or another node won).
///
/// The reminder is *claimed*: the next state has no reminder deadline, so the node whose CAS write wins is the only
/// one that posts.
pub fn tick(incident: &Incident, now: Timestamp) -> Option<Decision> {
    let reminder_due = incident.update_overdue(now);
    let expired: Vec<_> = incident
        .access
        .invited
        .iter()
        .filter(|g| g.expires_at.is_some_and(|t| t <= now))
        .map(|g| g.user.clone())
        .collect();
    if !reminder_due && expired.is_empty() {
        return None;
    }
    let mut s = Step::new(incident, None, now);
    if reminder_due {
        s.next.reminder.next_due = None;
        s.post(Message::ReminderDue);
        s.publish(Change::StatusUpdate);
    }
    for user in expired {
        s.next.access.invited.retain(|g| g.user != user);
        // Revoked, not merely un-invited, so a lingering channel membership does not keep access.
        if !s.next.access.is_revoked(&user) {
            s.next.access.revoked.push(user.clone());
        }
        s.effects.push(Effect::RemoveChannelMember { channel: s.next.channel.clone(), user: user.clone() });
        s.record(EventKind::AccessExpired, Some(user.clone()), String::new());
        s.post(Message::AccessExpired { user });
        s.publish(Change::Access);
    }
    Some(s.finish(incident))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, user};
    use crate::incident::{Grant, Visibility};

    #[test]
    fn nothing_due_means_no_decision() {
        let mut incident = fixtures::incident();
        assert_eq!(tick(&incident, Timestamp(1_000_000)), None);
        incident.reminder.next_due = Some(Timestamp(5_000));
        assert_eq!(tick(&incident, Timestamp(4_999)), None);
    }

    #[test]
    fn a_due_reminder_is_claimed_once() {
        let mut incident = fixtures::incident();
        incident.reminder.next_due = Some(Timestamp(5_000));
        let d = tick(&incident, Timestamp(5_000)).unwrap();
        assert_eq!(d.incident.reminder.next_due, None);
        assert_eq!(d.incident.version, incident.version + 1);
        assert!(d.effects.iter().any(|e| matches!(e, Effect::Post { message: Message::ReminderDue, .. })));
        assert!(d.effects.contains(&Effect::CancelDeadline { incident: incident.id.clone() }));
        assert_eq!(tick(&d.incident, Timestamp(6_000)), None, "claimed");
    }

    #[test]
    fn ended_incidents_do_not_remind() {
        let mut incident = fixtures::incident();
        incident.reminder.next_due = Some(Timestamp(5_000));
        incident.status = crate::incident::Status::Ended;
        assert_eq!(tick(&incident, Timestamp(9_000)), None);
    }

    #[test]
    fn time_boxed_grants_lapse_into_revoked() {
        let mut incident = fixtures::incident();
        incident.visibility = Visibility::Private;
        incident.access.invited.push(Grant {
            user: user("dave"),
            by: user("alice"),
            at: Timestamp(0),
            expires_at: Some(Timestamp(10_000)),
        });
        assert_eq!(incident.next_deadline(), Some(Timestamp(10_000)));
        let d = tick(&incident, Timestamp(10_000)).unwrap();
        assert!(!d.incident.access.is_invited(&user("dave")));
        assert!(d.incident.access.is_revoked(&user("dave")));
        assert!(
            d.effects.contains(&Effect::RemoveChannelMember { channel: incident.channel.clone(), user: user("dave") })
        );
        assert_eq!(d.incident.timeline.last().unwrap().actor, None);
        assert_eq!(d.incident.next_deadline(), None);
    }
}
