//! What happens when time passes: due reminders (claimed into the record's outbox, taken over when a claimant
//! died, confirmed once posted) and lapsed time-boxed grants. Called by the scheduler at deadlines.

use crate::decide::{Decision, Step};
use crate::effect::{Change, Effect, Message};
use crate::incident::{EventKind, Incident, ReminderClaim};
use crate::time::Timestamp;

/// Handles everything due at `now`; None when nothing is due (the scheduler woke early or another node won).
///
/// The reminder is *claimed*: the next state has no reminder deadline and holds the claim (`reminder.posting`), so
/// the node whose CAS write wins is the only one that posts; it then calls [`reminder_posted`]. A claim still
/// unconfirmed when its lease ends is taken over the same way (the new claimant first looks for the post in the
/// channel, see [`Decision`]'s `ReminderDue` effect and `Reminder::posting`).
pub fn tick(incident: &Incident, now: Timestamp) -> Option<Decision> {
    let reminder_due = incident.update_overdue(now);
    let taken_over = !reminder_due && incident.is_active() && incident.reminder.lease_end().is_some_and(|t| t <= now);
    let expired: Vec<_> = incident
        .access
        .invited
        .iter()
        .filter(|g| g.expires_at.is_some_and(|t| t <= now))
        .map(|g| g.user.clone())
        .collect();
    if !reminder_due && !taken_over && expired.is_empty() {
        return None;
    }
    let mut s = Step::new(incident, None, now);
    if let Some(due) = incident.reminder.next_due.filter(|_| reminder_due) {
        s.next.reminder.next_due = None;
        s.next.reminder.posting = Some(ReminderClaim { due, claimed_at: now });
        s.post(Message::ReminderDue);
        s.publish(Change::StatusUpdate);
    } else if let Some(claim) = incident.reminder.posting.filter(|_| taken_over) {
        s.next.reminder.posting = Some(ReminderClaim { claimed_at: now, ..claim });
        s.post(Message::ReminderDue);
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

/// The claimed reminder for `due` was posted (or found already posted): the claim is done. None when the record no
/// longer holds that claim (an update, snooze or dismiss answered it, or a newer reminder replaced it).
pub fn reminder_posted(incident: &Incident, due: Timestamp, now: Timestamp) -> Option<Decision> {
    incident.reminder.posting.filter(|p| p.due == due)?;
    let mut s = Step::new(incident, None, now);
    s.next.reminder.posting = None;
    Some(s.finish(incident))
}

/// Whether `after` (the claimed state) took over a claim `before` already held: the reminder may have been posted
/// by the node that died, so the new claimant must look before posting.
pub fn is_take_over(before: &Incident, after: &Incident) -> bool {
    before.reminder.posting.is_some_and(|b| after.reminder.posting.is_some_and(|a| a.due == b.due))
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
        let claim = ReminderClaim { due: Timestamp(5_000), claimed_at: Timestamp(5_000) };
        assert_eq!(d.incident.reminder.posting, Some(claim), "claimed into the outbox");
        assert!(!is_take_over(&incident, &d.incident));
        let lease_end = Timestamp(5_000 + crate::incident::REMINDER_LEASE_MS as i64);
        assert!(d.effects.contains(&Effect::ScheduleDeadline { incident: incident.id.clone(), at: lease_end }));
        assert_eq!(tick(&d.incident, Timestamp(6_000)), None, "claimed");
    }

    #[test]
    fn an_unconfirmed_claim_is_taken_over_after_its_lease_and_a_confirmed_one_is_done() {
        let mut incident = fixtures::incident();
        incident.reminder.next_due = Some(Timestamp(5_000));
        let claimed = tick(&incident, Timestamp(5_000)).unwrap().incident;
        let lease = crate::incident::REMINDER_LEASE_MS as i64;
        assert_eq!(claimed.next_deadline(), Some(Timestamp(5_000 + lease)));
        assert_eq!(tick(&claimed, Timestamp(5_000 + lease - 1)), None, "the claimant still has time");

        // The claimant died: at the lease's end another node takes the same reminder over.
        let d = tick(&claimed, Timestamp(5_000 + lease)).unwrap();
        assert!(is_take_over(&claimed, &d.incident));
        assert_eq!(
            d.incident.reminder.posting,
            Some(ReminderClaim { due: Timestamp(5_000), claimed_at: Timestamp(5_000 + lease) })
        );
        assert!(d.effects.iter().any(|e| matches!(e, Effect::Post { message: Message::ReminderDue, .. })));
        assert_eq!(d.incident.version, claimed.version + 1, "the take-over is a CAS write like the claim");

        // Confirmed: the claim is gone, and so is the deadline; a confirmation for another due time changes nothing.
        assert_eq!(reminder_posted(&d.incident, Timestamp(4_000), Timestamp(9_000)), None);
        let done = reminder_posted(&d.incident, Timestamp(5_000), Timestamp(9_000)).unwrap();
        assert_eq!(done.incident.reminder.posting, None);
        assert_eq!(done.incident.next_deadline(), None);
        assert!(done.effects.contains(&Effect::CancelDeadline { incident: incident.id.clone() }));
        assert_eq!(reminder_posted(&done.incident, Timestamp(5_000), Timestamp(9_000)), None, "only once");

        // An ended incident owes nothing.
        let mut ended = claimed.clone();
        ended.status = crate::incident::Status::Ended;
        assert_eq!(tick(&ended, Timestamp(5_000 + 10 * lease)), None);
        assert_eq!(ended.next_deadline(), None);
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
