//! Which incident a command means when a channel holds none, one or several (`--incident <ref>`).

use serde::{Deserialize, Serialize};

use crate::incident::Incident;

/// How a user names an incident in a command: `--incident INC-00042`, `--incident 42`, `--incident 3f9ak`
/// (start of the id, at least 4 characters) or `--incident "db outage"` (the name, any case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentRef {
    /// The team-sequential number (`INC-00042` or `42`).
    Number(u64),
    /// An id prefix or a name.
    Text(String),
}

/// Fewest id characters accepted as a prefix, so a short word does not match by accident.
pub const MIN_ID_PREFIX: usize = 4;

impl IncidentRef {
    /// Reads a reference as typed after `--incident`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let digits = s.strip_prefix("INC-").or_else(|| s.strip_prefix("inc-")).unwrap_or(s);
        match digits.parse::<u64>() {
            Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(IncidentRef::Number(n)),
            _ => Some(IncidentRef::Text(s.to_owned())),
        }
    }

    /// Whether `incident` answers to this reference.
    pub fn matches(&self, incident: &Incident) -> bool {
        self.matches_parts(incident.number, &incident.id, &incident.name)
    }

    /// [`IncidentRef::matches`] on the parts a read model keeps (number, id, name) instead of a whole record.
    pub fn matches_parts(&self, number: u64, id: &crate::ids::IncidentId, name: &str) -> bool {
        match self {
            IncidentRef::Number(n) => number == *n,
            IncidentRef::Text(t) => {
                (t.len() >= MIN_ID_PREFIX && id.as_str().starts_with(t.as_str())) || name.eq_ignore_ascii_case(t)
            }
        }
    }
}

impl std::fmt::Display for IncidentRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IncidentRef::Number(n) => write!(f, "INC-{n:05}"),
            IncidentRef::Text(t) => f.write_str(t),
        }
    }
}

/// Why no single incident could be chosen. The texts are safe: candidates are already access-filtered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// No reference and the channel has no incident.
    #[error(
        "This channel is not an incident channel. Run this command in an incident's channel, or start one with `/incident start`."
    )]
    NotInIncidentChannel,
    /// The reference matched nothing the user may see.
    #[error("No incident matches `{0}`. Use its number (like `INC-00042`), the start of its id, or its name.")]
    NoMatch(String),
    /// Several incidents fit; the user must pick one.
    #[error("{}", ambiguous_text(.0))]
    Ambiguous(Vec<(String, String)>),
}

fn ambiguous_text(choices: &[(String, String)]) -> String {
    let list: Vec<String> = choices.iter().map(|(reference, name)| format!("`{reference}` ({name})")).collect();
    format!(
        "Several incidents match: {}. Name one with `--incident`, like `/incident info --incident {}`.",
        list.join(", "),
        choices.first().map(|c| c.0.as_str()).unwrap_or("INC-00001")
    )
}

/// Picks the incident a command acts on.
///
/// `candidates` are the incidents the actor may read: those of the current channel when `target` is None, or of
/// the team when a reference was given. Without a reference, a channel with one incident — or exactly one active
/// incident — is unambiguous.
pub fn select<'a>(target: Option<&IncidentRef>, candidates: &[&'a Incident]) -> Result<&'a Incident, SelectError> {
    let found: Vec<&'a Incident> = match target {
        Some(r) => {
            let hits: Vec<_> = candidates.iter().copied().filter(|i| r.matches(i)).collect();
            if hits.is_empty() {
                return Err(SelectError::NoMatch(r.to_string()));
            }
            hits
        }
        None => {
            if candidates.is_empty() {
                return Err(SelectError::NotInIncidentChannel);
            }
            let active: Vec<_> = candidates.iter().copied().filter(|i| i.is_active()).collect();
            if candidates.len() > 1 && active.len() == 1 { active } else { candidates.to_vec() }
        }
    };
    match found.as_slice() {
        [one] => Ok(one),
        many => Err(SelectError::Ambiguous(many.iter().map(|i| (i.reference(), i.name.clone())).collect())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures;
    use crate::incident::Status;

    fn three() -> Vec<Incident> {
        let mut a = fixtures::incident();
        a.number = 1;
        a.name = "Database down".into();
        a.id = fixtures::id("aaaa1");
        let mut b = a.clone();
        b.number = 2;
        b.name = "Login errors".into();
        b.id = fixtures::id("bbbb2");
        let mut c = a.clone();
        c.number = 3;
        c.name = "Old one".into();
        c.id = fixtures::id("cccc3");
        c.status = Status::Ended;
        vec![a, b, c]
    }

    #[test]
    fn parses_references() {
        let cases = [
            ("INC-00042", IncidentRef::Number(42)),
            ("inc-7", IncidentRef::Number(7)),
            ("42", IncidentRef::Number(42)),
            ("+42", IncidentRef::Text("+42".into())),
            ("3f9ak", IncidentRef::Text("3f9ak".into())),
            (" db outage ", IncidentRef::Text("db outage".into())),
        ];
        for (input, want) in cases {
            assert_eq!(IncidentRef::parse(input), Some(want), "{input}");
        }
        assert_eq!(IncidentRef::parse("  "), None);
    }

    #[test]
    fn selects_by_number_prefix_and_name() {
        let all = three();
        let refs: Vec<&Incident> = all.iter().collect();
        let pick = |r: &str| select(IncidentRef::parse(r).as_ref(), &refs).map(|i| i.number);
        assert_eq!(pick("2"), Ok(2));
        assert_eq!(pick("INC-00003"), Ok(3));
        assert_eq!(pick("bbbb"), Ok(2));
        assert_eq!(pick("login ERRORS"), Ok(2));
        assert_eq!(
            pick("bbb").unwrap_err().to_string(),
            "No incident matches `bbb`. Use its number (like `INC-00042`), the start of its id, or its name."
        );
    }

    #[test]
    fn without_reference_one_incident_or_one_active_wins() {
        let all = three();
        let one = [&all[2]];
        assert_eq!(select(None, &one).unwrap().number, 3);
        let active_and_ended = [&all[0], &all[2]];
        assert_eq!(select(None, &active_and_ended).unwrap().number, 1);
        assert_eq!(select(None, &[]).unwrap_err(), SelectError::NotInIncidentChannel);
        let refs: Vec<&Incident> = all.iter().collect();
        assert_eq!(
            select(None, &refs).unwrap_err().to_string(),
            "Several incidents match: `INC-00001` (Database down), `INC-00002` (Login errors), \
             `INC-00003` (Old one). Name one with `--incident`, like `/incident info --incident INC-00001`."
        );
    }
}
