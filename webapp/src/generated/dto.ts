// Generated from server/plugin/src/dto.rs and http/actions.rs by `cargo xtask ts-types`. Do not edit.

export type Item = { id: string, name: string, status: "active" | "ended", commander_id: string, channel_id: string, is_private: boolean, created_at: number, tasks_done: number, tasks_total: number, number: number, reference: string, };

export type List = { items: Array<Item>, total: number, };

export type TaskDto = { title: string, done: boolean, assignee_id: string | null, };

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
