//! Property tests of the `Incident` KV record decoder: arbitrary and mutated bytes never panic, valid records
//! round-trip exactly, and whatever decodes can be rendered and scheduled without panicking.

mod props {
    use std::collections::BTreeMap;

    use incident_core::incident::{
        AccessList, AccessRequest, Checklist, EventKind, Grant, Reminder, StatusUpdate, Task, TaskState, TimelineEvent,
    };
    use incident_core::{Incident, IncidentId, Status, Timestamp, UserId, Visibility, render};
    use proptest::prelude::*;

    fn id<T: TryFrom<String> + std::fmt::Debug>() -> impl Strategy<Value = T>
    where
        T::Error: std::fmt::Debug,
    {
        "[a-z0-9]{26}".prop_map(|s| T::try_from(s).expect("26 base32 characters are an id"))
    }

    fn ts() -> impl Strategy<Value = Timestamp> {
        any::<i64>().prop_map(Timestamp)
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![any::<String>(), "[ -~]{0,40}", Just("**bold** | `code` @all ~town-square <b>".to_string())]
    }

    fn task() -> impl Strategy<Value = Task> {
        (
            text(),
            text(),
            any::<bool>(),
            prop::option::of(id()),
            prop::option::of(text()),
            prop::option::of((id(), ts())),
        )
            .prop_map(|(title, description, done, assignee, command, checked)| Task {
                title,
                description,
                state: if done { TaskState::Done } else { TaskState::Open },
                assignee,
                command,
                done_by: checked.as_ref().map(|(u, _): &(UserId, Timestamp)| u.clone()),
                done_at: checked.map(|(_, t)| t),
                due_at: None,
            })
    }

    fn event() -> impl Strategy<Value = TimelineEvent> {
        let kinds = vec![
            EventKind::IncidentCreated,
            EventKind::IncidentEnded,
            EventKind::CommanderChanged,
            EventKind::TaskChecked,
            EventKind::TaskAssigned,
            EventKind::StatusUpdated,
            EventKind::Announced,
            EventKind::AccessGranted,
            EventKind::AccessExpired,
            EventKind::VisibilityChanged,
            EventKind::MemberLeft,
        ];
        (ts(), prop::option::of(id()), prop::sample::select(kinds), prop::option::of(id()), text())
            .prop_map(|(at, actor, kind, subject, summary)| TimelineEvent { at, actor, kind, subject, summary })
    }

    fn access() -> impl Strategy<Value = AccessList> {
        let grant = (id(), id(), ts(), prop::option::of(ts())).prop_map(|(user, by, at, expires_at)| Grant {
            user,
            by,
            at,
            expires_at,
        });
        let request = (id(), ts(), any::<bool>()).prop_map(|(user, at, pending)| AccessRequest { user, at, pending });
        (prop::collection::vec(grant, 0..3), prop::collection::vec(id(), 0..3), prop::collection::vec(request, 0..3))
            .prop_map(|(invited, revoked, requests)| AccessList { invited, revoked, requests })
    }

    /// Any record of the current shape, invariants or not (a KV value may have been written by anything).
    fn incident() -> impl Strategy<Value = Incident> {
        let checklist =
            (text(), prop::collection::vec(task(), 0..4)).prop_map(|(title, items)| Checklist { title, items });
        let update = (id(), ts(), text()).prop_map(|(author, at, message)| StatusUpdate { author, at, message });
        let head = (id(), any::<u64>(), id(), id(), text(), text(), id(), id(), any::<bool>(), any::<bool>());
        let body = (
            prop::option::of(id()),
            prop::collection::vec(checklist, 0..3),
            prop::collection::vec(update, 0..3),
            (prop::option::of(ts()), any::<u64>()),
            prop::collection::vec(event(), 0..5),
            access(),
            ts(),
            prop::option::of(ts()),
            any::<u64>(),
        );
        (head, body).prop_map(|(h, b)| Incident {
            schema: incident_core::incident::SCHEMA,
            id: h.0,
            number: h.1,
            team: h.2,
            channel: h.3,
            name: h.4,
            description: h.5,
            commander: h.6,
            reporter: h.7,
            status: if h.8 { Status::Active } else { Status::Ended },
            visibility: if h.9 { Visibility::Private } else { Visibility::Public },
            playbook: b.0,
            checklists: b.1,
            status_updates: b.2,
            reminder: Reminder { next_due: b.3.0, interval_ms: b.3.1, posting: None },
            timeline: b.4,
            access: b.5,
            automation: Default::default(),
            created_at: b.6,
            ended_at: b.7,
            version: b.8,
        })
    }

    /// Renders and schedules a decoded record the way the plugin would: none of it may panic.
    fn use_record(incident: &Incident) {
        let names: BTreeMap<UserId, String> = [(incident.commander.clone(), "commander".to_string())].into();
        let now = Timestamp(1_700_000_000_000);
        let _ = render::info(incident, now, &names);
        let _ = render::timeline(incident, &names);
        let _ = render::list(&[render::ListLine::of(incident)], now, &names);
        let _ = render::status_update(incident, now);
        let _ = (incident.progress(), incident.open_tasks(), incident.next_deadline(), incident.duration_ms(now));
        let _ = (incident.reference(), incident.id.short(), incident.update_overdue(now));
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Flip(usize, u8),
        Insert(usize, u8),
        Delete(usize),
        Truncate(usize),
        Splice(usize, &'static str),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        let piece = prop::sample::select(vec![
            "null",
            "\"\"",
            "-1",
            "1e999",
            "18446744073709551616",
            "[",
            "{",
            "}",
            "\"\\ud800\"",
            "\"schema\":2,",
            ",",
        ]);
        prop_oneof![
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
            (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
            any::<usize>().prop_map(Mutation::Delete),
            any::<usize>().prop_map(Mutation::Truncate),
            (any::<usize>(), piece).prop_map(|(i, p)| Mutation::Splice(i, p)),
        ]
    }

    fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
        let at = |i: usize, len: usize| if len == 0 { 0 } else { i % len };
        match *m {
            Mutation::Flip(i, b) if !bytes.is_empty() => {
                let i = at(i, bytes.len());
                bytes[i] ^= b | 1;
            }
            Mutation::Insert(i, b) => bytes.insert(at(i, bytes.len() + 1), b),
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(at(i, bytes.len()));
            }
            Mutation::Truncate(i) => bytes.truncate(at(i, bytes.len() + 1)),
            Mutation::Splice(i, p) => {
                let i = at(i, bytes.len() + 1);
                bytes.splice(i..i, p.bytes());
            }
            _ => {}
        }
    }

    proptest! {
        #[test]
        fn record_decoder_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
            if let Ok(incident) = serde_json::from_slice::<Incident>(&bytes) {
                use_record(&incident);
            }
        }

        #[test]
        fn valid_records_round_trip_exactly(incident in incident()) {
            let bytes = serde_json::to_vec(&incident).unwrap();
            let back: Incident = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(&back, &incident);
            prop_assert_eq!(serde_json::to_vec(&back).unwrap(), bytes, "encoding is stable");
            use_record(&back);
        }

        #[test]
        fn mutated_records_decode_or_fail_cleanly(incident in incident(), mutations in prop::collection::vec(mutation(), 1..6)) {
            let mut bytes = serde_json::to_vec(&incident).unwrap();
            for m in &mutations {
                apply(&mut bytes, m);
            }
            if let Ok(decoded) = serde_json::from_slice::<Incident>(&bytes) {
                // Whatever survives the mutation is a record the plugin can use and write back unchanged.
                use_record(&decoded);
                let again: Incident = serde_json::from_slice(&serde_json::to_vec(&decoded).unwrap()).unwrap();
                prop_assert_eq!(again, decoded);
            }
        }

        #[test]
        fn ids_in_records_are_validated(bad in "[^a-z0-9]{1,3}|[a-z0-9]{0,25}|[a-z0-9]{27,40}", incident in incident()) {
            let mut json = serde_json::to_value(&incident).unwrap();
            json["commander"] = serde_json::Value::String(bad.clone());
            prop_assert!(serde_json::from_value::<Incident>(json).is_err(), "{bad:?} was taken as a user id");
            prop_assert!(IncidentId::try_from(bad.as_str()).is_err());
        }
    }

    /// Nesting far past serde_json's recursion limit is an error, not a stack overflow.
    #[test]
    fn props_deeply_nested_records_are_refused() {
        for open in ["[", "{\"a\":"] {
            let deep = open.repeat(100_000);
            assert!(serde_json::from_str::<Incident>(&deep).is_err());
            let in_field = format!("{{\"checklists\":{deep}");
            assert!(serde_json::from_str::<Incident>(&in_field).is_err());
        }
    }
}
