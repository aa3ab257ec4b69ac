//! Baseline (a) of issue 9: the list/search strategy of the first KV-backed incident plugin. One KV key holds every
//! incident's header (id, name, team, status, commander, created_at) as one JSON map; a list or search loads it
//! whole, filters and sorts in memory, pages, then reads the page's incidents one KV read at a time.
//!
//! It runs in the bench process and calls the dev host's PluginAPI over gRPC with the plugin's own SDK client
//! (`mm::grpc::GrpcApi`, the same transport, limits and counters the plugin's calls go through), on the same store
//! and data as the plugin it is compared with. It pays no ServeHTTP hop, no access check and no JSON answer, so
//! the comparison favours it.

use std::collections::BTreeMap;

use incident_core::{Incident, IncidentId};
use mm::PluginApi;
use mm::grpc::GrpcApi;
use serde::{Deserialize, Serialize};

/// The one key the baseline keeps every header under.
pub const HEADERS_KEY: &str = "all_headers";

/// What the first plugin kept per incident in its index key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub id: String,
    pub name: String,
    pub team_id: String,
    pub status: String,
    pub commander_user_id: String,
    pub created_at: i64,
}

impl Header {
    pub fn of(incident: &Incident) -> Self {
        Self {
            id: incident.id.to_string(),
            name: incident.name.clone(),
            team_id: incident.team.to_string(),
            status: format!("{:?}", incident.status).to_lowercase(),
            commander_user_id: incident.commander.to_string(),
            created_at: incident.created_at.0,
        }
    }
}

/// The headers map as the baseline stores it (written once by the bench, straight into the store).
pub fn encode(headers: &BTreeMap<String, Header>) -> Vec<u8> {
    serde_json::to_vec(headers).unwrap()
}

/// The baseline's client: the PluginAPI of one dev-host node.
pub struct Baseline {
    api: GrpcApi,
}

impl Baseline {
    pub fn connect(api_addr: std::net::SocketAddr) -> Self {
        Self { api: GrpcApi::connect_lazy(&api_addr.to_string()).unwrap() }
    }

    /// Page `page` of `per_page` of `team`'s incidents, newest first, whose name holds `text` (case-insensitive):
    /// the incidents read, and how many matched.
    pub async fn list(&self, team: &str, text: Option<&str>, page: usize, per_page: usize) -> (Vec<Incident>, usize) {
        let raw = self.api.kv_get(HEADERS_KEY).await.unwrap().expect("the headers key is seeded");
        let headers: BTreeMap<String, Header> = serde_json::from_slice(&raw).unwrap();
        let text = text.map(str::to_lowercase);
        let mut hits: Vec<&Header> = headers
            .values()
            .filter(|h| h.team_id == team)
            .filter(|h| text.as_ref().is_none_or(|t| h.name.to_lowercase().contains(t)))
            .collect();
        hits.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let total = hits.len();
        let mut incidents = Vec::with_capacity(per_page);
        for h in hits.into_iter().skip(page * per_page).take(per_page) {
            let key = incident_store::keys::incident(&IncidentId::try_from(h.id.clone()).unwrap());
            let raw = self.api.kv_get(&key).await.unwrap().expect("every header has its record");
            incidents.push(incident_store::record::decode(&key, &raw).unwrap());
        }
        (incidents, total)
    }
}
