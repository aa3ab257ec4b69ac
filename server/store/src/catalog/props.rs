//! The catalog against a model: random upserts, stale versions and removals, then every query, channel and deadline
//! answer compared with a plain list of rows filtered and sorted the obvious way. Guards the indexes (slab slots,
//! team order, channel and deadline sets) staying in step with the rows.

use std::collections::BTreeMap;

use incident_core::{Incident, IncidentId, Status, Timestamp, UserId, Visibility};
use proptest::prelude::*;

use super::{Catalog, Page, Query, Row, Sort};
use crate::test_support::{incident, pad};

const NAMES: [&str; 5] = ["Database down", "database slow", "Straße gesperrt", "ÉCLAIR outage", "api 500s"];

#[derive(Debug, Clone)]
enum Op {
    /// Upsert incident `n` with these fields (`version` may be older than the stored one).
    Put {
        n: u64,
        team: u8,
        channel: u8,
        created: i64,
        ended: bool,
        private: bool,
        commander: u8,
        name: u8,
        version: u64,
        due: Option<i64>,
    },
    Remove {
        n: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..40u64, 0..3u8, 0..5u8, 0..6i64, any::<bool>(), any::<bool>(), 0..3u8, 0..5u8, 0..4u64, proptest::option::of(0..8i64))
            .prop_map(|(n, team, channel, created, ended, private, commander, name, version, due)| Op::Put {
                n, team, channel, created, ended, private, commander, name, version, due
            }),
        1 => (0..40u64).prop_map(|n| Op::Remove { n }),
    ]
}

fn id(n: u64) -> IncidentId {
    pad(&format!("i{n}x"))
}

fn record(op: &Op) -> Option<Incident> {
    let Op::Put { n, team, channel, created, ended, private, commander, name, version, due } = *op else {
        return None;
    };
    let mut i = incident(&format!("i{n}x"), &format!("team{team}"), &format!("chan{channel}"), n + 1);
    i.created_at = Timestamp(created * 1000);
    i.status = if ended { Status::Ended } else { Status::Active };
    i.visibility = if private { Visibility::Private } else { Visibility::Public };
    i.commander = pad(&format!("user{commander}"));
    i.name = format!("{} {n}", NAMES[name as usize]);
    i.version = version;
    i.reminder.next_due = due.map(|d| Timestamp(d * 1000));
    Some(i)
}

/// The obvious implementation: every row in a map, filtered and sorted on each question.
fn model_query(rows: &BTreeMap<IncidentId, Row>, q: &Query, visible: impl Fn(&Row) -> bool) -> Page {
    let text = q.text.as_ref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty());
    let mut hits: Vec<&Row> = rows
        .values()
        .filter(|r| q.channel.as_ref().is_none_or(|c| *c == r.channel))
        .filter(|r| q.team.as_ref().is_none_or(|t| *t == r.team))
        .filter(|r| q.status.is_none_or(|s| s == r.status))
        .filter(|r| q.commander.as_ref().is_none_or(|c| *c == r.commander))
        .filter(|r| q.participant.as_ref().is_none_or(|u| r.participants.contains(u)))
        .filter(|r| q.include_private || r.visibility == Visibility::Public)
        .filter(|r| {
            text.as_ref().is_none_or(|t| r.name.to_lowercase().contains(t) || r.reference().to_lowercase().contains(t))
        })
        .filter(|r| visible(r))
        .collect();
    match q.sort {
        Sort::Newest => hits.sort_by(|a, b| (b.created_at, b.number, &b.id).cmp(&(a.created_at, a.number, &a.id))),
        Sort::Oldest => hits.sort_by(|a, b| (a.created_at, a.number, &a.id).cmp(&(b.created_at, b.number, &b.id))),
        Sort::Name => hits.sort_by_key(|r| (r.name.to_lowercase(), r.number, r.id.clone())),
    }
    let per_page = q.per_page.max(1);
    let total = hits.len();
    Page { rows: hits.into_iter().skip(q.page * per_page).take(per_page).cloned().collect(), total }
}

fn query() -> impl Strategy<Value = Query> {
    (
        proptest::option::of(0..5u8),
        proptest::option::of(0..3u8),
        proptest::option::of(any::<bool>()),
        proptest::option::of(0..3u8),
        proptest::option::of(prop::sample::select(vec!["data", "STRASSE", "straße", "éclair", "inc-0001", "7", " 1"])),
        0..3u8,
        0..4usize,
        1..6usize,
        any::<bool>(),
    )
        .prop_map(|(channel, team, ended, commander, text, sort, page, per_page, include_private)| Query {
            channel: channel.map(|c| pad(&format!("chan{c}"))),
            team: team.map(|t| pad(&format!("team{t}"))),
            status: ended.map(|e| if e { Status::Ended } else { Status::Active }),
            commander: commander.map(|c| pad(&format!("user{c}"))),
            participant: None,
            text: text.map(str::to_owned),
            sort: [Sort::Newest, Sort::Oldest, Sort::Name][sort as usize],
            page,
            per_page,
            include_private,
        })
}

proptest! {
    #[test]
    fn catalog_props_answer_like_the_model(ops in prop::collection::vec(op(), 1..80), queries in prop::collection::vec(query(), 1..12)) {
        let mut catalog = Catalog::new();
        let mut model: BTreeMap<IncidentId, Row> = BTreeMap::new();
        for op in &ops {
            match (op, record(op)) {
                (_, Some(incident)) => {
                    let newer = model.get(&incident.id).is_none_or(|r| r.version <= incident.version);
                    prop_assert_eq!(catalog.upsert(&incident), newer);
                    if newer {
                        model.insert(incident.id.clone(), Row::of(&incident));
                    }
                }
                (Op::Remove { n }, None) => {
                    catalog.remove(&id(*n));
                    model.remove(&id(*n));
                }
                (Op::Put { .. }, None) => unreachable!(),
            }
        }
        prop_assert_eq!(catalog.len(), model.len());
        for n in 0..40 {
            prop_assert_eq!(catalog.get(&id(n)), model.get(&id(n)));
        }
        let hidden: UserId = pad("user2");
        for q in &queries {
            // One access rule that hides some rows (private ones commanded by user2), one that hides none.
            let rule = |r: &Row| !(r.visibility == Visibility::Private && r.commander == hidden);
            prop_assert_eq!(catalog.query(q, rule), model_query(&model, q, rule), "{:?}", q);
            prop_assert_eq!(catalog.query(q, |_| true), model_query(&model, q, |_| true), "{:?}", q);
        }
        for c in 0..5u8 {
            let channel = pad(&format!("chan{c}"));
            let expected: Vec<IncidentId> = model.values().filter(|r| r.channel == channel).map(|r| r.id.clone()).collect();
            prop_assert_eq!(catalog.is_incident_channel(&channel), !expected.is_empty());
            prop_assert_eq!(catalog.in_channel(&channel), expected);
        }
        prop_assert_eq!(catalog.next_deadline(), model.values().filter_map(|r| r.deadline).min());
        for now in [0i64, 3_000, 9_000] {
            let mut due: Vec<(Timestamp, IncidentId)> = model
                .values()
                .filter_map(|r| r.deadline.filter(|d| d.0 <= now).map(|d| (d, r.id.clone())))
                .collect();
            due.sort();
            prop_assert_eq!(catalog.due(Timestamp(now)), due.into_iter().map(|(_, id)| id).collect::<Vec<_>>());
        }
    }
}
