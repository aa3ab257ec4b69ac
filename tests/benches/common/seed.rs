//! Seeds the dev host's KV store straight through incident-store (4 KV writes per incident, no plugin involved):
//! shared by the benches that need many incidents in the store. The plugin sees them after a restart, when its
//! read model is rebuilt from the `tno_`/`tix_` keys.

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use devhost::DevHost;
use devhost::store::Store as HostStore;
use incident_core::{ChannelId, Incident, IncidentId, StartIds, StartParams, TeamId, Timestamp, UserId, Visibility};
use incident_store::{Expect, Kv, KvError, Store};

/// The store's `Kv` port straight onto the dev host's SQLite file (a second connection).
struct HostKv {
    store: Mutex<HostStore>,
    plugin: String,
}

#[async_trait]
impl Kv for HostKv {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        let v =
            self.store.lock().unwrap().kv_get(&self.plugin, key).map_err(|e| KvError::Unavailable(e.to_string()))?;
        Ok((!v.is_empty()).then_some(v))
    }
    async fn set(&self, key: &str, value: &[u8], expect: Expect<'_>, _ttl: Option<u64>) -> Result<bool, KvError> {
        let options = devhost::store::KvSetOptions {
            atomic: !matches!(expect, Expect::Anything),
            old_value: match expect {
                Expect::Bytes(b) => b.to_vec(),
                _ => Vec::new(),
            },
            expire_in_seconds: 0,
        };
        self.store
            .lock()
            .unwrap()
            .kv_set_with_options(&self.plugin, key, value, &options)
            .map_err(|e| KvError::Unavailable(e.to_string()))
    }
    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.store.lock().unwrap().kv_delete(&self.plugin, key).map_err(|e| KvError::Unavailable(e.to_string()))
    }
    async fn list(&self, _prefix: &str) -> Result<Vec<String>, KvError> {
        unreachable!("seeding never lists")
    }
}

fn id(prefix: char, n: u64) -> String {
    format!("{prefix}{n:025}")
}

/// Writes `count` active public incidents over `teams` teams into the store of `host` (data dir `dir`), the way a
/// start does (number, channel index, team index, record). Incident `n` is in team `n % teams`; team 0 is the
/// seeded team (returned), so its members can list it. `each` sees every incident written.
pub async fn incidents(host: &DevHost, dir: &Path, count: u64, teams: u64, mut each: impl FnMut(&Incident)) -> String {
    let plugin = host.plugin_id();
    let admin = host.user_id("admin").unwrap();
    let real_team = host.store().teams_for_user(&admin).unwrap()[0].id.clone();
    let kv: Arc<dyn Kv> =
        Arc::new(HostKv { store: Mutex::new(HostStore::open(&dir.join("devhost.db")).unwrap()), plugin });
    let store = Store::new(kv);
    let reporter = UserId::try_from(admin).unwrap();
    for n in 0..count {
        let team = if n % teams == 0 { real_team.clone() } else { id('t', n % teams) };
        let team = TeamId::try_from(team).unwrap();
        let number = store.allocate_number(&team).await.unwrap();
        let ids = StartIds {
            incident: IncidentId::try_from(id('i', n)).unwrap(),
            channel: ChannelId::try_from(id('c', n)).unwrap(),
            number,
        };
        let params = StartParams {
            name: format!("Outage {n} in service {}", n % 97),
            description: "Seeded for the benchmarks.".into(),
            team: team.clone(),
            reporter: reporter.clone(),
            commander: None,
            visibility: Visibility::Public,
            playbook: None,
            checklists: Vec::new(),
            invite: Vec::new(),
            reminder_ms: None,
            announce_in: None,
            create_webhook: None,
            automation: Default::default(),
        };
        let incident =
            incident_core::start(params, ids.clone(), Timestamp(1_700_000_000_000 + n as i64)).unwrap().incident;
        store.index_channel(&ids.channel, &ids.incident).await.unwrap();
        store.index_team(&team, number, &ids.incident).await.unwrap();
        store.create(&incident).await.unwrap();
        each(&incident);
    }
    real_team
}

/// Polls the plugin's REST list until `team` holds `expected` incidents (the read model has caught up), at most
/// `limit`; panics after that.
pub async fn wait_for_read_model(host: &DevHost, team: &str, expected: u64, limit: std::time::Duration) {
    let began = std::time::Instant::now();
    let probe = format!("/api/v0/incidents?team_id={team}&per_page=1");
    loop {
        let r = host.serve_http(Some("admin"), "GET", &probe, Vec::new()).await;
        let total = serde_json::from_slice::<serde_json::Value>(&r.body).ok().and_then(|v| v["total"].as_u64());
        if total == Some(expected) {
            return;
        }
        assert!(began.elapsed() < limit, "the read model never held all {expected} incidents");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
