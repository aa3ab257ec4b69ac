// Generated from server/plugin/src/dto.rs, http/actions.rs and the playbook types of incident-store and incident-app
// by `cargo xtask ts-types`. Do not edit.

export type Item = { id: string, name: string, status: "active" | "ended", commander_id: string, channel_id: string, is_private: boolean, created_at: number, tasks_done: number, tasks_total: number, number: number, reference: string, };

export type List = { items: Array<Item>, total: number, };

export type TaskDto = { title: string, 
/**
 * Markdown details from the playbook (empty: none).
 */
description: string, done: boolean, assignee_id: string | null, 
/**
 * The slash command members can run for it, if any.
 */
command: string | null, 
/**
 * When it should be done (ms), if the playbook gave it a due offset.
 */
due_at: number | null, };

export type ChecklistDto = { title: string, items: Array<TaskDto>, };

export type UpdateDto = { author_id: string, at: number, message: string, };

export type Detail = { team_id: string, reporter_id: string, description: string, ended_at: number | null, checklists: Array<ChecklistDto>, last_update: UpdateDto | null, timeline_events: number, 
/**
 * The record's version; websocket deltas carry the version after their change.
 */
version: number, 
/**
 * When the next status update is due (ms), if a reminder is set.
 */
update_due_at: number | null, id: string, name: string, status: "active" | "ended", commander_id: string, channel_id: string, is_private: boolean, created_at: number, tasks_done: number, tasks_total: number, number: number, reference: string, };

export type ActionResult = { 
/**
 * The incident as saved.
 */
incident: Detail, 
/**
 * Text for the actor (warnings), usually empty.
 */
message: string, };

export type TimelineItem = { at: number, 
/**
 * `incident_created`, `task_checked`, … (snake_case `EventKind`).
 */
kind: string, actor_id: string | null, subject_id: string | null, summary: string, };

export type AccessPerson = { user_id: string, 
/**
 * Empty when the user no longer exists.
 */
username: string, state: "member" | "invited" | "revoked", 
/**
 * End of a time-boxed grant, in ms.
 */
expires_at?: number, };

export type AccessList = { people: Array<AccessPerson>, };

export type PlaybookTask = { 
/**
 * Short text.
 */
title: string, 
/**
 * Markdown details.
 */
description: string, 
/**
 * Default assignees: the first owns the task, all are invited to the channel.
 */
assignees: Array<string>, 
/**
 * A slash command members can run from the task.
 */
command: string | null, 
/**
 * The task is due this long after the incident starts.
 */
due_after_ms: number | null, };

export type PlaybookChecklist = { 
/**
 * Heading.
 */
title: string, 
/**
 * Tasks.
 */
items: Array<PlaybookTask>, };

export type PlaybookAutomation = { 
/**
 * Users added to the incident channel at start.
 */
invite: Array<string>, 
/**
 * The commander when the starter names none.
 */
default_commander: string | null, 
/**
 * Channel where each new incident is announced.
 */
announce_channel: string | null, 
/**
 * URL that receives a signed POST when an incident starts.
 */
create_webhook: string | null, 
/**
 * URL that receives a signed POST on each status update.
 */
update_webhook: string | null, 
/**
 * Shown to each user who joins the incident channel (empty: none).
 */
welcome_message: string, };

export type PlaybookTemplates = { 
/**
 * The incident description when the starter writes none.
 */
overview: string, 
/**
 * Prefill of the first status update.
 */
status_update: string, };

export type Playbook = { 
/**
 * Id.
 */
id: string, 
/**
 * The team it belongs to.
 */
team: string, 
/**
 * Title (unique among the team's active playbooks, case-insensitively).
 */
title: string, 
/**
 * Markdown description.
 */
description: string, 
/**
 * Checklists copied into each incident.
 */
checklists: Array<PlaybookChecklist>, 
/**
 * First status-update reminder of a new incident, in ms (None: none).
 */
reminder_ms: number | null, 
/**
 * Channels every status update is also posted to.
 */
broadcast_channels: Array<string>, 
/**
 * Incidents from this playbook are always private.
 */
always_private: boolean, 
/**
 * Incident channels are private even when the incident is public (only channel members can join).
 */
private_channel: boolean, 
/**
 * Who may see, use and edit it besides system admins (the creator is always one).
 */
members: Array<string>, 
/**
 * What runs when an incident starts from it, and after.
 */
automation: PlaybookAutomation, 
/**
 * Text templates.
 */
templates: PlaybookTemplates, 
/**
 * Archived playbooks are hidden from lists and cannot start incidents.
 */
archived: boolean, 
/**
 * Who created it.
 */
created_by: string, 
/**
 * When.
 */
created_at: number, 
/**
 * Last change.
 */
updated_at: number, };

export type TaskInput = { 
/**
 * Title.
 */
title: string, 
/**
 * Markdown details.
 */
description: string, 
/**
 * Default assignees (the first owns the task; all are invited).
 */
assignee_ids: Array<string>, 
/**
 * A slash command members can run from the task.
 */
command: string | null, 
/**
 * Due this many seconds after the start.
 */
due_after_seconds: number | null, };

export type ChecklistInput = { 
/**
 * Heading.
 */
title: string, 
/**
 * Tasks.
 */
items: Array<TaskInput>, };

export type AutomationInput = { 
/**
 * Users invited to each incident channel.
 */
invite_user_ids: Array<string>, 
/**
 * The commander when the starter names none.
 */
default_commander_id: string | null, 
/**
 * Channel each new incident is announced in.
 */
announce_channel_id: string | null, 
/**
 * `http(s)://` URL told when an incident starts.
 */
create_webhook_url: string | null, 
/**
 * `http(s)://` URL told about each status update.
 */
update_webhook_url: string | null, 
/**
 * Greeting for each user who joins the incident channel.
 */
welcome_message: string, };

export type TemplatesInput = { 
/**
 * Incident description when none is written.
 */
overview: string, 
/**
 * Prefill of the first status update.
 */
status_update: string, };

export type PlaybookInput = { 
/**
 * Title.
 */
title: string, 
/**
 * Markdown description.
 */
description: string, 
/**
 * Checklists of tasks.
 */
checklists: Array<ChecklistInput>, 
/**
 * Default first reminder in seconds (None or 0: none).
 */
reminder_seconds: number | null, 
/**
 * Broadcast channel ids.
 */
broadcast_channel_ids: Array<string>, 
/**
 * Incidents started from it are always private.
 */
always_private: boolean, 
/**
 * Incident channels are private even for public incidents.
 */
private_channel: boolean, 
/**
 * Who may use and edit it besides its creator (and system admins).
 */
member_ids: Array<string>, 
/**
 * What happens automatically.
 */
automation: AutomationInput, 
/**
 * Text templates.
 */
templates: TemplatesInput, };

export type PlaybookFile = { 
/**
 * Always [`EXPORT_FORMAT`].
 */
format: string, 
/**
 * The file version (1).
 */
version: number, 
/**
 * The playbook.
 */
playbook: PlaybookInput, };

export type Imported = { 
/**
 * The new playbook.
 */
playbook: Playbook, 
/**
 * Users and channels that were dropped.
 */
warnings: Array<string>, };

export type Counts = { active: number, ended: number, 
/**
 * Mean of end − start over the ended ones, in ms.
 */
mean_time_to_resolve_ms: number | null, };

export type PlaybookCounts = { playbook_id: string | null, active: number, ended: number, 
/**
 * Mean of end − start over the ended ones, in ms.
 */
mean_time_to_resolve_ms: number | null, };

export type Stats = { per_playbook: Array<PlaybookCounts>, active: number, ended: number, 
/**
 * Mean of end − start over the ended ones, in ms.
 */
mean_time_to_resolve_ms: number | null, };

export type Settings = { private_incidents: boolean, enabled_in_team: boolean, can_create_playbooks: boolean, default_reminder_ms: number, };
