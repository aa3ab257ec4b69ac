//! The TypeScript declarations of the REST DTOs, written to `webapp/src/generated/dto.ts` by `cargo xtask ts-types`
//! (which runs this test with the `ts-types` feature; `--check` fails when the committed file differs).

#[cfg(all(test, feature = "ts-types"))]
mod tests {
    use std::path::PathBuf;

    use ts_rs::{Config, TS};

    use crate::dto::{
        AccessList, AccessPerson, ChecklistDto, Counts, Detail, Item, List, PlaybookCounts, Settings, Stats, TaskDto,
        UpdateDto,
    };
    use crate::http::actions::{ActionResult, TimelineItem};
    use incident_app::playbook_input::{AutomationInput, ChecklistInput, PlaybookInput, TaskInput, TemplatesInput};
    use incident_app::playbooks::{Imported, PlaybookFile};
    use incident_store::{Playbook, PlaybookAutomation, PlaybookChecklist, PlaybookTask, PlaybookTemplates};

    /// The generated file, relative to the workspace root.
    const OUT: &str = "webapp/src/generated/dto.ts";

    fn declarations() -> String {
        // Ids are strings and times are milliseconds: every integer fits a JS number.
        let cfg = Config::new().with_large_int("number");
        let decls = [
            Item::decl(&cfg),
            List::decl(&cfg),
            TaskDto::decl(&cfg),
            ChecklistDto::decl(&cfg),
            UpdateDto::decl(&cfg),
            Detail::decl(&cfg),
            ActionResult::decl(&cfg),
            TimelineItem::decl(&cfg),
            AccessPerson::decl(&cfg),
            AccessList::decl(&cfg),
            PlaybookTask::decl(&cfg),
            PlaybookChecklist::decl(&cfg),
            PlaybookAutomation::decl(&cfg),
            PlaybookTemplates::decl(&cfg),
            Playbook::decl(&cfg),
            TaskInput::decl(&cfg),
            ChecklistInput::decl(&cfg),
            AutomationInput::decl(&cfg),
            TemplatesInput::decl(&cfg),
            PlaybookInput::decl(&cfg),
            PlaybookFile::decl(&cfg),
            Imported::decl(&cfg),
            Counts::decl(&cfg),
            PlaybookCounts::decl(&cfg),
            Stats::decl(&cfg),
            Settings::decl(&cfg),
        ];
        let mut out = String::from(
            "// Generated from server/plugin/src/dto.rs, http/actions.rs and the playbook types of incident-store and incident-app\n// by `cargo xtask ts-types`. Do not edit.\n",
        );
        for d in decls {
            out.push_str("\nexport ");
            out.push_str(d.trim());
            out.push('\n');
        }
        out
    }

    #[test]
    fn ts_types_are_current() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(OUT);
        let want = declarations();
        if std::env::var_os("INCIDENT_TS_TYPES_WRITE").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &want).unwrap();
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(have == want, "{OUT} is out of date: run `cargo xtask ts-types`.\n--- expected ---\n{want}");
    }
}
