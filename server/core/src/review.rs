//! Reviewing an ended (or running) incident: the summary numbers (duration, people involved, messages) and the
//! Markdown export of one incident with its timeline, updates, tasks and channel transcript. Pure: the shell reads
//! the transcript and the message count and passes `now`.

use std::collections::BTreeSet;

use crate::ids::UserId;
use crate::incident::{Incident, Status};
use crate::render::{self, Directory, escape};
use crate::time::{HumanDuration, Timestamp};

/// One message of the incident channel, as the export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptLine {
    /// When it was posted.
    pub at: Timestamp,
    /// Who posted it (None: the system).
    pub author: Option<UserId>,
    /// Its text.
    pub message: String,
}

/// The numbers of a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// From the start to the end (or to `now` while active).
    pub duration_ms: u64,
    /// Everyone who took part: reporter, commanders, and every actor or subject on the timeline, in order of
    /// first appearance.
    pub members: Vec<UserId>,
    /// Messages posted in the incident channel.
    pub messages: u64,
}

/// The review numbers of `incident`, given the channel's message count.
pub fn review(incident: &Incident, messages: u64, now: Timestamp) -> Review {
    let mut seen = BTreeSet::new();
    let mut members = Vec::new();
    let mut add = |u: &UserId| {
        if seen.insert(u.clone()) {
            members.push(u.clone());
        }
    };
    add(&incident.reporter);
    add(&incident.commander);
    for e in &incident.timeline {
        e.actor.iter().chain(e.subject.iter()).for_each(&mut add);
    }
    Review { duration_ms: incident.duration_ms(now), members, messages }
}

/// `2023-11-14 22:13 UTC`.
pub fn utc(at: Timestamp) -> String {
    let secs = at.millis().div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02} UTC", rest / 3_600, rest % 3_600 / 60)
}

fn person(dir: &dyn Directory, user: Option<&UserId>) -> String {
    match user.and_then(|u| dir.username(u)) {
        Some(name) => format!("@{name}"),
        None if user.is_some() => "someone".to_owned(),
        None => "system".to_owned(),
    }
}

/// User text as a Markdown block quote that neither formats headings away nor notifies anyone.
fn quoted(text: &str) -> String {
    render::quiet_mentions(text).lines().map(|l| format!("> {l}\n")).collect()
}

/// The Markdown export of `incident`. `truncated`: the transcript holds only the newest messages.
pub fn markdown(
    incident: &Incident,
    review: &Review,
    transcript: &[TranscriptLine],
    truncated: bool,
    now: Timestamp,
    dir: &dyn Directory,
) -> String {
    let mut out = format!("# {} · {}\n\n", escape(&incident.name), incident.reference());
    if incident.is_private() {
        out.push_str(&format!("{}\n\n", render::PRIVATE_BANNER));
    }
    let status = match incident.status {
        Status::Active => "active",
        Status::Ended => "ended",
    };
    let (done, total) = incident.progress();
    out.push_str(&format!("- **Status:** {status}\n"));
    out.push_str(&format!("- **Started:** {}\n", utc(incident.created_at)));
    if let Some(ended) = incident.ended_at {
        out.push_str(&format!("- **Ended:** {}\n", utc(ended)));
    }
    out.push_str(&format!("- **Duration:** {}\n", HumanDuration(review.duration_ms)));
    out.push_str(&format!("- **Commander:** {}\n", person(dir, Some(&incident.commander))));
    out.push_str(&format!("- **Reporter:** {}\n", person(dir, Some(&incident.reporter))));
    let people: Vec<String> = review.members.iter().map(|u| person(dir, Some(u))).collect();
    out.push_str(&format!("- **People involved ({}):** {}\n", people.len(), people.join(", ")));
    out.push_str(&format!("- **Messages in the channel:** {}\n", review.messages));
    out.push_str(&format!("- **Tasks:** {done}/{total} done\n"));
    out.push_str(&format!("- **Exported:** {}\n", utc(now)));
    if !incident.description.trim().is_empty() {
        out.push_str(&format!("\n## Description\n\n{}", quoted(&incident.description)));
    }

    out.push_str("\n## Status updates\n\n");
    if incident.status_updates.is_empty() {
        out.push_str("_None._\n");
    }
    for (n, u) in incident.status_updates.iter().enumerate() {
        let gap = if n == 0 { "" } else { "\n" };
        out.push_str(&format!("{gap}### {} · {}\n\n{}", utc(u.at), person(dir, Some(&u.author)), quoted(&u.message)));
    }

    out.push_str("\n## Tasks\n");
    for list in &incident.checklists {
        out.push_str(&format!("\n### {}\n\n", escape(&list.title)));
        if list.items.is_empty() {
            out.push_str("_No tasks._\n");
        }
        for t in &list.items {
            let mark = if t.is_done() { "x" } else { " " };
            let mut line = format!("- [{mark}] {}", escape(&t.title));
            if let Some(a) = &t.assignee {
                line.push_str(&format!(" · {}", person(dir, Some(a))));
            }
            if let (Some(by), Some(at)) = (&t.done_by, t.done_at) {
                line.push_str(&format!(" · done by {} at {}", person(dir, Some(by)), utc(at)));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }

    out.push_str("\n## Timeline\n\n");
    for e in &incident.timeline {
        out.push_str(&format!("- {} · {}\n", utc(e.at), render::event(e, dir)));
    }

    out.push_str("\n## Channel transcript\n\n");
    if truncated {
        out.push_str(&format!("_Only the newest {} messages are included._\n\n", transcript.len()));
    }
    if transcript.is_empty() {
        out.push_str("_No messages._\n");
    }
    for line in transcript {
        out.push_str(&format!(
            "**{}** · {}\n{}\n",
            person(dir, line.author.as_ref()),
            utc(line.at),
            quoted(&line.message)
        ));
    }
    out
}

#[cfg(test)]
mod tests;
