//! The scheduler's view of the read model: which incidents have a deadline, and the earliest one.
//!
//! Answered from the catalog's deadline index (earliest first), kept in step by every upsert and remove: the
//! scheduler asks after every save, and a scan of every row would cost each save time proportional to the store.

use incident_core::{IncidentId, Timestamp};

use super::Catalog;

impl Catalog {
    /// The earliest deadline of any incident (None: nothing to wake up for).
    pub fn next_deadline(&self) -> Option<Timestamp> {
        self.deadlines.first().map(|(deadline, _)| *deadline)
    }

    /// The incidents whose deadline is at or before `now`, earliest first.
    pub fn due(&self, now: Timestamp) -> Vec<IncidentId> {
        let mut due: Vec<(Timestamp, IncidentId)> = self
            .deadlines
            .iter()
            .take_while(|(deadline, _)| *deadline <= now)
            .filter_map(|(deadline, slot)| self.at(*slot).map(|r| (*deadline, r.id.clone())))
            .collect();
        due.sort();
        due.into_iter().map(|(_, id)| id).collect()
    }
}

#[cfg(test)]
mod tests {
    use incident_core::{Incident, Timestamp};

    use crate::Catalog;
    use crate::test_support::incident;

    fn with_due(n: u64, due: Option<i64>) -> Incident {
        let mut i = incident(&format!("inc{n}"), "team", &format!("chan{n}"), n);
        i.reminder.next_due = due.map(Timestamp);
        i
    }

    #[test]
    fn the_earliest_deadline_and_the_due_incidents() {
        let a = with_due(1, Some(5_000));
        let b = with_due(2, Some(3_000));
        let c = with_due(3, None);
        let mut catalog = Catalog::of([&a, &b, &c]);
        assert_eq!(catalog.next_deadline(), Some(Timestamp(3_000)));
        assert_eq!(catalog.due(Timestamp(2_999)), vec![]);
        assert_eq!(catalog.due(Timestamp(5_000)), vec![b.id.clone(), a.id.clone()]);
        let mut claimed = b.clone();
        claimed.reminder.next_due = None;
        claimed.version += 1;
        catalog.upsert(&claimed);
        assert_eq!(catalog.next_deadline(), Some(Timestamp(5_000)));
    }
}
