//! Data-driven scenarios: each `tests/scenarios/*.scn` is a list of steps (time, actor, channel, command) run
//! against the use cases on the hand-written fakes; the transcript (replies, posts, ephemerals, websocket events,
//! cluster events, final records) must equal `<name>.snap`. `UPDATE_SNAPSHOTS=1` rewrites the snapshots; a missing
//! snapshot is written and the test fails once, so new scenarios are reviewed before they pass.
//!
//! Step syntax, one per line (`#` comments):
//! - `+<n>s|m|h <user> ~<channel> /incident …` — run a command `n` later than the previous step;
//! - `+… <user> ~<channel> !update <message>` — open the update dialog and submit `message`;
//! - `+… <user> ~<channel> !update-remind <minutes> <message>` — the same with the next reminder in `minutes`;
//! - `+… - - !tick` — the scheduler wakes: `App::tick(now)` (the clock is the steps' times, so reminders fall due
//!   exactly when the scenario says; `!restart` rebuilds the node from KV as at activation);
//! - `+… <user> ~<channel> !snooze <minutes>` / `!dismiss` — a reminder button on the channel's incident;
//! - `+… <user> ~<channel> !start-private <name>` — start a private incident (dialog or REST in real life);
//! - `+… <user> ~<channel> !confirm-end` — click "End incident" on the last confirmation;
//! - `+… <user> ~<channel> !join` / `!leave` — the user joins or leaves the channel (hook);
//! - `+… <user> ~<channel> !message` — the user posts a message (hook);
//! - `+… - - !fail-kv <key prefix> <times>` — the next writes to matching keys fail;
//! - `+… - - !fail <port call>` / `!heal <port call>` — a chat port call fails until healed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use incident_app::fakes::{self, FakeServer};
use incident_app::{App, Ctx, Outcome, StartRequest};
use incident_core::{IncidentId, Timestamp, Visibility};
use incident_store::MemoryKv;

struct Run {
    kv: Arc<MemoryKv>,
    server: Arc<FakeServer>,
    app: App,
    now: i64,
    out: String,
    seen: (usize, usize, usize, usize),
    confirm: Option<IncidentId>,
}

fn offset(word: &str) -> i64 {
    let body = word.strip_prefix('+').unwrap_or_else(|| panic!("a step starts with +<time>: {word}"));
    let (n, unit) = body.split_at(body.len() - 1);
    let n: i64 = n.parse().unwrap_or_else(|_| panic!("bad time {word}"));
    n * match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => panic!("bad time unit in {word}"),
    }
}

impl Run {
    fn new() -> Self {
        let kv = Arc::new(MemoryKv::new());
        let server = FakeServer::seeded();
        let app = fakes::app(kv.clone(), server.clone());
        Run { kv, server, app, now: 1_700_000_000_000, out: String::new(), seen: (0, 0, 0, 0), confirm: None }
    }

    fn channel_name(&self, id: &incident_core::ChannelId) -> String {
        self.server.world().channels.get(id).map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    async fn step(&mut self, line: &str) {
        let mut parts = line.splitn(4, ' ');
        let (when, user, channel, rest) = (
            parts.next().unwrap(),
            parts.next().unwrap_or("-"),
            parts.next().unwrap_or("-"),
            parts.next().unwrap_or(""),
        );
        self.now += offset(when);
        self.kv.set_now(self.now);
        writeln!(self.out, "\n## {line}").unwrap();
        let ctx = Ctx {
            user: fakes::id(if user == "-" { "system" } else { user }),
            team: Some(fakes::team()),
            channel: channel.strip_prefix('~').and_then(|c| self.server.channel_id(c)),
            now: Timestamp(self.now),
        };
        let (verb, arg) = rest.split_once(' ').unwrap_or((rest, ""));
        let answer = match verb {
            "!update" => match self.app.command(&ctx, "/incident update").await {
                Ok(Outcome::UpdateDialog(p)) => {
                    self.app.post_update(&ctx, &p.incident, arg.into(), None).await.map(Outcome::Reply)
                }
                other => other,
            },
            "!update-remind" => {
                let (minutes, message) = arg.split_once(' ').expect("!update-remind <minutes> <message>");
                let ms = minutes.parse::<u64>().expect("minutes") * 60_000;
                match self.app.command(&ctx, "/incident update").await {
                    Ok(Outcome::UpdateDialog(p)) => {
                        self.app.post_update(&ctx, &p.incident, message.into(), Some(ms)).await.map(Outcome::Reply)
                    }
                    other => other,
                }
            }
            "!tick" => {
                let claimed = self.app.tick(Timestamp(self.now)).await;
                Ok(Outcome::Reply(format!("(tick: {claimed} claimed)")))
            }
            "!restart" => {
                self.app = fakes::app(self.kv.clone(), self.server.clone());
                self.app.rebuild().await.map(|n| Outcome::Reply(format!("(restarted: {n} incidents)")))
            }
            "!snooze" | "!dismiss" => {
                let channel = ctx.channel.clone().expect("a channel");
                let id = self.app.catalog().in_channel(&channel).first().cloned().expect("an incident channel");
                if verb == "!snooze" {
                    let ms = arg.parse::<u64>().expect("minutes") * 60_000;
                    self.app.snooze_reminder(&ctx, &id, ms).await.map(Outcome::Reply)
                } else {
                    self.app.dismiss_reminder(&ctx, &id).await.map(Outcome::Reply)
                }
            }
            "!start-private" => {
                let request =
                    StartRequest { visibility: Visibility::Private, ..StartRequest::named(fakes::team(), arg) };
                self.app.start(&ctx, request).await.map(|s| Outcome::Reply(s.reply()))
            }
            "!confirm-end" => {
                let id = self.confirm.clone().expect("a confirmation to click");
                self.app.end_confirmed(&ctx, &id).await.map(Outcome::Reply)
            }
            "!join" | "!leave" => {
                let channel = ctx.channel.clone().expect("a channel");
                self.server.set_member(&channel, &ctx.user, verb == "!join");
                self.app
                    .membership_changed(&ctx, &channel, verb == "!join")
                    .await
                    .map(|()| Outcome::Reply(String::new()))
            }
            "!message" => {
                self.app.message_posted(ctx.channel.as_ref().unwrap()).await.map(|()| Outcome::Reply(String::new()))
            }
            "!fail-kv" => {
                let (prefix, times) = arg.split_once(' ').expect("!fail-kv <prefix> <times>");
                self.kv.fail_writes(prefix, times.parse().unwrap());
                Ok(Outcome::Reply(String::new()))
            }
            "!fail" | "!heal" => {
                let call: &'static str = Box::leak(arg.to_owned().into_boxed_str());
                self.server.fail(call, verb == "!fail");
                Ok(Outcome::Reply(String::new()))
            }
            _ => self.app.command(&ctx, rest).await,
        };
        match answer {
            Ok(Outcome::Reply(text)) if text.is_empty() => {}
            Ok(Outcome::Reply(text)) => writeln!(self.out, "reply:\n{}", indent(&text)).unwrap(),
            Ok(Outcome::ConfirmEnd { text, incident }) => {
                writeln!(self.out, "confirm: {text}").unwrap();
                self.confirm = Some(incident);
            }
            Ok(other) => writeln!(self.out, "opens: {other:?}").unwrap(),
            Err(e) => writeln!(self.out, "error ({:?}):\n{}", e.kind(), indent(&e.to_string())).unwrap(),
        }
        self.effects();
    }

    /// Everything the fakes received since the last step.
    fn effects(&mut self) {
        let w = self.server.world();
        let mut lines = Vec::new();
        for p in &w.posts[self.seen.0..] {
            let by = p.author.as_ref().map_or("bot".to_owned(), |u| format!("@{}", w.users[u].username));
            lines.push(format!("post ~{} by {by}:\n{}", w.channels[&p.channel].name, indent(&p.text)));
        }
        for (u, c, text) in &w.ephemerals[self.seen.1..] {
            lines.push(format!("ephemeral to @{} in ~{}: {text}", w.users[u].username, w.channels[c].name));
        }
        for (audience, d) in &w.published[self.seen.2..] {
            lines.push(
                format!("publish {audience:?}: {:?} v{}", d.change, d.version)
                    .replace(&*d.incident.to_string(), "<incident>"),
            );
        }
        for (_, v) in &w.cluster[self.seen.3..] {
            lines.push(format!("cluster: changed v{v}"));
        }
        self.seen = (w.posts.len(), w.ephemerals.len(), w.published.len(), w.cluster.len());
        drop(w);
        for l in lines {
            writeln!(self.out, "{l}").unwrap();
        }
    }

    /// The final records (ids and names as in the fakes, times relative to the start).
    fn final_state(&mut self) {
        writeln!(self.out, "\n## final records").unwrap();
        for key in self.kv.keys() {
            let raw = self.kv.peek(&key).unwrap();
            let value: serde_json::Value = serde_json::from_slice(&raw).unwrap();
            let mut text = serde_json::to_string(&value).unwrap();
            for (id, p) in self.server.world().users.iter() {
                text = text.replace(id.as_str(), &format!("@{}", p.username));
            }
            let channels: Vec<_> = self.server.world().channels.keys().cloned().collect();
            for c in channels {
                let name = self.channel_name(&c);
                text = text.replace(c.as_str(), &format!("~{name}"));
            }
            writeln!(self.out, "{key}: {text}").unwrap();
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

fn dir() -> PathBuf {
    incident_tests::root().join("tests/scenarios")
}

async fn transcript(path: &Path) -> String {
    let mut run = Run::new();
    for line in std::fs::read_to_string(path).unwrap().lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        run.step(line).await;
    }
    run.final_state();
    run.out
}

#[tokio::test]
async fn scenarios_match_their_snapshots() {
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "scn"))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 5, "scenarios found: {scenarios:?}");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for scn in &scenarios {
        let got = transcript(scn).await;
        let snap = scn.with_extension("snap");
        match std::fs::read_to_string(&snap) {
            Ok(want) if want == got => {}
            Ok(_) if update => std::fs::write(&snap, &got).unwrap(),
            Ok(want) => {
                std::fs::write(snap.with_extension("snap.new"), &got).unwrap();
                let line = want.lines().zip(got.lines()).position(|(a, b)| a != b).unwrap_or(0);
                failures.push(format!("{}: differs from line {} (see .snap.new)", scn.display(), line + 1));
            }
            Err(_) => {
                std::fs::write(&snap, &got).unwrap();
                if !update {
                    failures.push(format!("{}: new snapshot written; review it and rerun", snap.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
