//! Store unit tests: KV compare-and-set semantics, expiry, paging, transactional membership, permissions.

use devhost::ids::{is_valid_id, now_ms};
use devhost::store::{Channel, KvSetOptions, Scope, Store, StoreError};

const P: &str = "com.example.plugin";

fn store() -> Store {
    Store::open_in_memory().expect("in-memory store")
}

fn atomic(old: &[u8], expire: i64) -> KvSetOptions {
    KvSetOptions { atomic: true, old_value: old.to_vec(), expire_in_seconds: expire }
}

#[test]
fn kv_set_get_delete_and_empty_value_deletes() {
    let s = store();
    assert_eq!(s.kv_get(P, "k").unwrap(), b"");
    s.kv_set(P, "k", b"v1", 0).unwrap();
    assert_eq!(s.kv_get(P, "k").unwrap(), b"v1");
    assert_eq!(s.kv_get("other.plugin", "k").unwrap(), b"", "keys are per plugin");
    s.kv_set(P, "k", b"", 0).unwrap();
    assert_eq!(s.kv_get(P, "k").unwrap(), b"");
    s.kv_set(P, "k", b"v", 0).unwrap();
    s.kv_delete(P, "k").unwrap();
    s.kv_delete(P, "k").unwrap();
    assert_eq!(s.kv_get(P, "k").unwrap(), b"");
}

#[test]
fn kv_rejects_bad_keys_with_400() {
    let s = store();
    let e = s.kv_set(P, "", b"v", 0).unwrap_err();
    assert_eq!(e.status(), 400);
    let long = "x".repeat(151);
    assert!(matches!(s.kv_get(P, &long), Err(StoreError::Invalid { .. })));
    assert!(s.kv_set(P, &"x".repeat(150), b"v", 0).is_ok());
}

#[test]
fn kv_cas_only_if_absent_then_compare() {
    let s = store();
    assert!(s.kv_set_with_options(P, "lock", b"a", &atomic(b"", 0)).unwrap(), "absent → set");
    assert!(!s.kv_set_with_options(P, "lock", b"b", &atomic(b"", 0)).unwrap(), "present → refused");
    assert_eq!(s.kv_get(P, "lock").unwrap(), b"a");
    assert!(!s.kv_compare_and_set(P, "lock", b"wrong", b"c").unwrap());
    assert!(s.kv_compare_and_set(P, "lock", b"a", b"c").unwrap());
    assert_eq!(s.kv_get(P, "lock").unwrap(), b"c");
    assert!(!s.kv_compare_and_set(P, "missing", b"x", b"y").unwrap(), "compare against an absent key fails");
    // atomic with an empty new value = compare-and-delete
    assert!(!s.kv_set_with_options(P, "lock", b"", &atomic(b"zzz", 0)).unwrap());
    assert!(s.kv_set_with_options(P, "lock", b"", &atomic(b"c", 0)).unwrap());
    assert_eq!(s.kv_get(P, "lock").unwrap(), b"");
}

#[test]
fn kv_non_atomic_with_old_value_is_invalid() {
    let s = store();
    let opts = KvSetOptions { atomic: false, old_value: b"x".to_vec(), expire_in_seconds: 0 };
    let e = s.kv_set_with_options(P, "k", b"v", &opts).unwrap_err();
    assert_eq!(e.status(), 400);
    assert_eq!(s.kv_get(P, "k").unwrap(), b"", "nothing written");
}

#[test]
fn kv_compare_and_delete() {
    let s = store();
    s.kv_set(P, "k", b"v", 0).unwrap();
    assert!(!s.kv_compare_and_delete(P, "k", b"").unwrap(), "nil old value never matches");
    assert!(!s.kv_compare_and_delete(P, "k", b"other").unwrap());
    assert!(s.kv_compare_and_delete(P, "k", b"v").unwrap());
    assert!(!s.kv_compare_and_delete(P, "k", b"v").unwrap());
}

#[test]
fn kv_expiry_reads_as_absent() {
    let s = store();
    let t0 = now_ms();
    s.kv_set_at(P, "session", b"x", 10, t0).unwrap();
    assert_eq!(s.kv_get_at(P, "session", t0 + 9_999).unwrap(), b"x");
    assert_eq!(s.kv_get_at(P, "session", t0 + 10_000).unwrap(), b"", "expired");
    assert!(s.kv_list_at(P, 0, 10, t0 + 10_000).unwrap().is_empty(), "expired keys are not listed");
    // an expired key is absent for "only if absent", and cannot be compared against
    assert!(!s.kv_set_with_options_at(P, "session", b"n", &atomic(b"x", 0), t0 + 20_000).unwrap());
    assert!(s.kv_set_with_options_at(P, "session", b"y", &atomic(b"", 5), t0 + 20_000).unwrap());
    assert_eq!(s.kv_get_at(P, "session", t0 + 24_999).unwrap(), b"y");
    assert_eq!(s.kv_get_at(P, "session", t0 + 25_000).unwrap(), b"");
}

#[test]
fn kv_list_pages_sorted_keys() {
    let s = store();
    for k in ["d", "b", "e", "a", "c"] {
        s.kv_set(P, k, b"1", 0).unwrap();
    }
    s.kv_set("other", "z", b"1", 0).unwrap();
    assert_eq!(s.kv_list(P, 0, 2).unwrap(), ["a", "b"]);
    assert_eq!(s.kv_list(P, 1, 2).unwrap(), ["c", "d"]);
    assert_eq!(s.kv_list(P, 2, 2).unwrap(), ["e"]);
    assert!(s.kv_list(P, 3, 2).unwrap().is_empty());
    assert_eq!(s.kv_list(P, 0, 0).unwrap_err().status(), 400);
    assert_eq!(s.kv_list(P, -1, 10).unwrap_err().status(), 400);
}

#[test]
fn seed_has_team_users_and_channels() {
    let s = store();
    let team = s.get_team_by_name("dev").unwrap();
    assert_eq!(team.display_name, "Dev Team");
    assert!(is_valid_id(&team.id));
    for name in ["admin", "alice", "bob", "carol"] {
        let u = s.get_user_by_username(name).unwrap();
        assert!(is_valid_id(&u.id));
        assert!(s.get_team_member(&team.id, &u.id).is_ok());
    }
    let town = s.get_channel_by_name(&team.id, "town-square", false).unwrap();
    assert_eq!(s.channel_member_ids(&town.id).unwrap().len(), 4);
    assert!(s.get_channel_by_name(&team.id, "off-topic", false).is_ok());
    assert!(s.get_user_by_username("admin").unwrap().is_system_admin());
}

fn new_channel(s: &Store, name: &str, kind: &str) -> Channel {
    let team = s.get_team_by_name("dev").unwrap();
    s.create_channel(Channel {
        id: String::new(),
        team_id: team.id,
        name: name.into(),
        display_name: name.into(),
        kind: kind.into(),
        header: String::new(),
        purpose: String::new(),
        creator_id: String::new(),
        create_at: 0,
        update_at: 0,
        delete_at: 0,
        last_post_at: 0,
        total_msg_count: 0,
    })
    .unwrap()
}

#[test]
fn channel_rules_and_member_add_is_transactional() {
    let s = store();
    let c = new_channel(&s, "incident-1", "P");
    let alice = s.get_user_by_username("alice").unwrap();
    let (m, added) = s.add_channel_member(&c.id, &alice.id).unwrap();
    assert!(added);
    assert_eq!(m.user_id, alice.id);
    let (_, again) = s.add_channel_member(&c.id, &alice.id).unwrap();
    assert!(!again, "adding an existing member is a no-op");
    // a user outside the team is refused and nothing is written
    let bot = s.ensure_bot(P, "incidentbot", "Incident Bot", "").unwrap();
    assert_eq!(s.ensure_bot(P, "incidentbot", "Incident Bot", "").unwrap(), bot, "EnsureBot is idempotent");
    assert!(s.ensure_bot(P, "alice", "x", "").is_err(), "a person's username cannot become a bot");
    assert_eq!(s.add_channel_member(&c.id, "nosuchuser000000000000000").unwrap_err().status(), 404);
    // duplicate names are refused; archive blocks new members and posts
    let team = s.get_team_by_name("dev").unwrap();
    let mut dup = c.clone();
    dup.display_name = "again".into();
    assert_eq!(s.create_channel(dup).unwrap_err().status(), 400);
    let archived = s.archive_channel(&c.id).unwrap();
    assert_ne!(archived.delete_at, 0);
    let bob = s.get_user_by_username("bob").unwrap();
    assert_eq!(s.add_channel_member(&c.id, &bob.id).unwrap_err().status(), 400);
    assert!(s.get_channel_member(&c.id, &bob.id).is_err(), "no half-written member");
    assert!(s.get_channel_by_name(&team.id, "incident-1", false).is_err());
    assert!(s.get_channel_by_name(&team.id, "incident-1", true).is_ok());
    let town = s.get_channel_by_name(&team.id, "town-square", false).unwrap();
    assert_eq!(s.remove_channel_member(&town.id, &bob.id).unwrap_err().status(), 400, "town-square cannot be left");
}

#[test]
fn permissions_follow_roles() {
    let s = store();
    let team = s.get_team_by_name("dev").unwrap();
    let admin = s.get_user_by_username("admin").unwrap().id;
    let alice = s.get_user_by_username("alice").unwrap().id;
    let carol = s.get_user_by_username("carol").unwrap().id;
    let private = new_channel(&s, "secret", "P");
    s.add_channel_member(&private.id, &alice).unwrap();
    assert!(s.has_permission(&admin, Scope::System, "manage_system"));
    assert!(!s.has_permission(&alice, Scope::System, "manage_system"));
    assert!(s.has_permission(&alice, Scope::Team(&team.id), "view_team"));
    assert!(s.has_permission(&alice, Scope::Team(&team.id), "create_private_channel"));
    assert!(!s.has_permission(&alice, Scope::Team(&team.id), "manage_team"));
    assert!(s.has_permission(&alice, Scope::Channel(&private.id), "read_channel"));
    assert!(s.has_permission(&alice, Scope::Channel(&private.id), "create_post"));
    assert!(!s.has_permission(&carol, Scope::Channel(&private.id), "read_channel"));
    assert!(!s.has_permission(&carol, Scope::Channel(&private.id), "manage_private_channel_members"));
    assert!(s.has_permission(&admin, Scope::Channel(&private.id), "read_channel"));
    assert!(!s.has_permission("nobody", Scope::System, "view_team"));
    assert!(!s.has_permission(&alice, Scope::Team("noteam"), "view_team"));
}

#[test]
fn posts_are_validated_and_paged_newest_first() {
    let s = store();
    let team = s.get_team_by_name("dev").unwrap();
    let town = s.get_channel_by_name(&team.id, "town-square", false).unwrap();
    let alice = s.get_user_by_username("alice").unwrap().id;
    let mk = |msg: &str, at: i64| devhost::store::Post {
        channel_id: town.id.clone(),
        user_id: alice.clone(),
        message: msg.into(),
        create_at: at,
        ..Default::default()
    };
    let first = s.create_post(mk("one", 1000)).unwrap();
    s.create_post(mk("two", 2000)).unwrap();
    let page = s.posts_for_channel(&town.id, 0, 1).unwrap();
    assert_eq!(page[0].message, "two");
    assert_eq!(s.posts_for_channel(&town.id, 1, 1).unwrap()[0].message, "one");
    let mut bad = mk("x", 0);
    bad.root_id = "missing".into();
    assert_eq!(s.create_post(bad).unwrap_err().status(), 400);
    let mut bad_type = mk("x", 0);
    bad_type.kind = "weird".into();
    assert_eq!(s.create_post(bad_type).unwrap_err().status(), 400);
    let mut edit = first.clone();
    edit.message = "uno".into();
    let edited = s.update_post(&edit).unwrap();
    assert!(edited.edit_at > 0);
    s.delete_post(&first.id).unwrap();
    assert_eq!(s.get_post(&first.id).unwrap_err().status(), 404);
}

#[test]
fn users_in_team_lists_only_that_teams_members() {
    let s = store();
    let dev = s.get_team_by_name("dev").unwrap();
    let ops = s.create_team("ops", "Ops").unwrap();
    let dana = s.create_user("dana").unwrap();
    s.add_team_member(&ops.id, &dana.id).unwrap();
    let names = |team: &str| s.users_in_team(team, true).unwrap().into_iter().map(|u| u.username).collect::<Vec<_>>();
    let dev_names = names(&dev.id);
    assert!(["admin", "alice", "bob", "carol"].iter().all(|n| dev_names.iter().any(|d| d == n)), "{dev_names:?}");
    assert!(!dev_names.contains(&"dana".to_string()), "dana is not in dev: {dev_names:?}");
    assert_eq!(names(&ops.id), ["dana"]);
    assert_eq!(s.users_in_team("no-such-team", true).unwrap_err().status(), 404);
}
