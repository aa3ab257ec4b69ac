//! Per-plugin key-value store with Mattermost's semantics: empty value = absent, atomic CAS, expiry, paging.

use rusqlite::{OptionalExtension, Transaction, params};

use super::{Store, StoreError, StoreResult};
use crate::ids::now_ms;

/// Mattermost's maximum key length in runes (`KeyValueKeyMaxRunes`).
pub const KV_KEY_MAX_RUNES: usize = 150;

/// Options of a `KVSetWithOptions` call (empty `old_value` means nil, as on the wire).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KvSetOptions {
    pub atomic: bool,
    pub old_value: Vec<u8>,
    pub expire_in_seconds: i64,
}

fn check_key(key: &str) -> StoreResult<()> {
    if key.is_empty() {
        return Err(StoreError::invalid("model.plugin_key_value.is_valid.key.app_error", "the key must not be empty"));
    }
    if key.chars().count() > KV_KEY_MAX_RUNES {
        return Err(StoreError::invalid(
            "model.plugin_key_value.is_valid.key.app_error",
            format!("the key is longer than {KV_KEY_MAX_RUNES} characters"),
        ));
    }
    Ok(())
}

fn expire_at(now: i64, expire_in_seconds: i64) -> i64 {
    if expire_in_seconds > 0 { now.saturating_add(expire_in_seconds.saturating_mul(1000)) } else { 0 }
}

/// Removes the key if it has expired, so that it reads (and compares) as absent.
fn purge_expired(tx: &Transaction<'_>, plugin_id: &str, key: &str, now: i64) -> StoreResult<()> {
    tx.execute(
        "DELETE FROM kv WHERE plugin_id = ?1 AND key = ?2 AND expire_at > 0 AND expire_at <= ?3",
        params![plugin_id, key, now],
    )?;
    Ok(())
}

impl Store {
    /// `KVGet`: the value, or an empty vector when the key is absent or expired.
    pub fn kv_get(&self, plugin_id: &str, key: &str) -> StoreResult<Vec<u8>> {
        self.kv_get_at(plugin_id, key, now_ms())
    }

    /// `kv_get` as seen at time `now` (ms).
    pub fn kv_get_at(&self, plugin_id: &str, key: &str, now: i64) -> StoreResult<Vec<u8>> {
        check_key(key)?;
        let conn = self.lock();
        let value: Option<Vec<u8>> = conn
            .query_row(
                "SELECT value FROM kv WHERE plugin_id = ?1 AND key = ?2 AND (expire_at = 0 OR expire_at > ?3)",
                params![plugin_id, key, now],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value.unwrap_or_default())
    }

    /// `KVSet` / `KVSetWithExpiry`: an empty value deletes the key.
    pub fn kv_set(&self, plugin_id: &str, key: &str, value: &[u8], expire_in_seconds: i64) -> StoreResult<()> {
        self.kv_set_at(plugin_id, key, value, expire_in_seconds, now_ms())
    }

    /// `kv_set` at time `now` (ms).
    pub fn kv_set_at(
        &self,
        plugin_id: &str,
        key: &str,
        value: &[u8],
        expire_in_seconds: i64,
        now: i64,
    ) -> StoreResult<()> {
        check_key(key)?;
        let conn = self.lock();
        if value.is_empty() {
            conn.execute("DELETE FROM kv WHERE plugin_id = ?1 AND key = ?2", params![plugin_id, key])?;
        } else {
            conn.execute(
                "INSERT INTO kv (plugin_id, key, value, expire_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plugin_id, key) DO UPDATE SET value = excluded.value, expire_at = excluded.expire_at",
                params![plugin_id, key, value, expire_at(now, expire_in_seconds)],
            )?;
        }
        Ok(())
    }

    /// `KVSetWithOptions`: with `atomic`, sets only if the current value equals `old_value`
    /// (empty `old_value` = only if absent); an empty new value deletes (compare-and-delete when atomic).
    pub fn kv_set_with_options(
        &self,
        plugin_id: &str,
        key: &str,
        value: &[u8],
        options: &KvSetOptions,
    ) -> StoreResult<bool> {
        self.kv_set_with_options_at(plugin_id, key, value, options, now_ms())
    }

    /// `kv_set_with_options` at time `now` (ms).
    pub fn kv_set_with_options_at(
        &self,
        plugin_id: &str,
        key: &str,
        value: &[u8],
        options: &KvSetOptions,
        now: i64,
    ) -> StoreResult<bool> {
        check_key(key)?;
        if !options.atomic && !options.old_value.is_empty() {
            return Err(StoreError::invalid(
                "model.plugin_kvset_option.is_valid.old_value.app_error",
                "old_value must be empty when atomic is false",
            ));
        }
        if !options.atomic {
            self.kv_set_at(plugin_id, key, value, options.expire_in_seconds, now)?;
            return Ok(true);
        }
        if value.is_empty() {
            return self.kv_compare_and_delete_at(plugin_id, key, &options.old_value, now);
        }
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        purge_expired(&tx, plugin_id, key, now)?;
        let expires = expire_at(now, options.expire_in_seconds);
        let changed = if options.old_value.is_empty() {
            tx.execute(
                "INSERT INTO kv (plugin_id, key, value, expire_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plugin_id, key) DO NOTHING",
                params![plugin_id, key, value, expires],
            )?
        } else {
            tx.execute(
                "UPDATE kv SET value = ?3, expire_at = ?4 WHERE plugin_id = ?1 AND key = ?2 AND value = ?5",
                params![plugin_id, key, value, expires, options.old_value],
            )?
        };
        tx.commit()?;
        Ok(changed == 1)
    }

    /// `KVCompareAndSet`: atomic set if the current value equals `old_value` (empty = only if absent).
    pub fn kv_compare_and_set(&self, plugin_id: &str, key: &str, old: &[u8], new: &[u8]) -> StoreResult<bool> {
        let options = KvSetOptions { atomic: true, old_value: old.to_vec(), expire_in_seconds: 0 };
        self.kv_set_with_options(plugin_id, key, new, &options)
    }

    /// `KVCompareAndDelete`: deletes only if the current value equals `old`; a nil `old` never matches.
    pub fn kv_compare_and_delete(&self, plugin_id: &str, key: &str, old: &[u8]) -> StoreResult<bool> {
        self.kv_compare_and_delete_at(plugin_id, key, old, now_ms())
    }

    /// `kv_compare_and_delete` at time `now` (ms).
    pub fn kv_compare_and_delete_at(&self, plugin_id: &str, key: &str, old: &[u8], now: i64) -> StoreResult<bool> {
        check_key(key)?;
        if old.is_empty() {
            return Ok(false);
        }
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        purge_expired(&tx, plugin_id, key, now)?;
        let changed = tx
            .execute("DELETE FROM kv WHERE plugin_id = ?1 AND key = ?2 AND value = ?3", params![plugin_id, key, old])?;
        tx.commit()?;
        Ok(changed == 1)
    }

    /// `KVDelete`: deleting an absent key is not an error.
    pub fn kv_delete(&self, plugin_id: &str, key: &str) -> StoreResult<()> {
        check_key(key)?;
        self.lock().execute("DELETE FROM kv WHERE plugin_id = ?1 AND key = ?2", params![plugin_id, key])?;
        Ok(())
    }

    /// `KVList`: live keys sorted ascending, `per_page` of them starting at `page * per_page`.
    pub fn kv_list(&self, plugin_id: &str, page: i32, per_page: i32) -> StoreResult<Vec<String>> {
        self.kv_list_at(plugin_id, page, per_page, now_ms())
    }

    /// `kv_list` at time `now` (ms).
    pub fn kv_list_at(&self, plugin_id: &str, page: i32, per_page: i32, now: i64) -> StoreResult<Vec<String>> {
        if page < 0 || per_page <= 0 {
            return Err(StoreError::invalid(
                "app.plugin_store.list.app_error",
                format!("invalid paging: page {page} must be >= 0 and per_page {per_page} must be > 0"),
            ));
        }
        let conn = self.lock();
        let mut stmt = conn.prepare(
            "SELECT key FROM kv WHERE plugin_id = ?1 AND (expire_at = 0 OR expire_at > ?2)
             ORDER BY key LIMIT ?3 OFFSET ?4",
        )?;
        let offset = i64::from(page) * i64::from(per_page);
        let keys = stmt
            .query_map(params![plugin_id, now, per_page, offset], |r| r.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(keys)
    }
}
