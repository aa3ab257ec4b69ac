// Types the plugin shares: the incident DTO, the plugin's Redux state, and the slice of the host registry it uses.
import type {ComponentType, ReactNode} from 'react';
import type {AnyAction, Reducer} from 'redux';
import type {ThunkDispatch} from 'redux-thunk';
import type {Channel} from '@mattermost/types/channels';
import type {UserProfile} from '@mattermost/types/users';
import type {Team} from '@mattermost/types/teams';
import type {Post} from '@mattermost/types/posts';

import type {
    AccessList, AccessPerson, ActionResult, ChecklistDto, ChecklistInput, Counts, Detail, Imported, Item, List, Playbook, PlaybookChecklist,
    PlaybookCounts, PlaybookFile, PlaybookInput, PlaybookTask, Settings, Stats, TaskDto, TaskInput, TimelineItem, UpdateDto,
} from './generated/dto';

// The REST DTOs come from the Rust types (`cargo xtask ts-types` writes src/generated/dto.ts; `make check-style`
// fails when it is stale). These are the names the views use.
export type {AccessList, AccessPerson, ActionResult, TimelineItem};
/** One row of `GET /plugins/<id>/api/v0/incidents`. */
export type Incident = Item;
export type IncidentStatus = Item['status'];
export type IncidentList = List;
/** One task (checklist and item indexes are zero-based in the API). */
export type Task = TaskDto;
export type Checklist = ChecklistDto;
export type StatusUpdate = UpdateDto;
/** `GET /plugins/<id>/api/v0/incidents/{id}`. */
export type IncidentDetail = Detail;

/** The websocket delta `custom_<id>_incident_updated`: what changed, not the incident. */
export type IncidentDelta = {incident_id: string; version: number; change: string | Record<string, unknown>};

/** The answer of grant, revoke, visibility and join: what happened, for the user. */
export type MessageResult = {message: string};
/** `POST /incidents/{id}/request-access` (202): the same answer whatever the id. */
export type AccessRequestResult = {status: string; message: string};
/** `GET /settings?team_id=`: what the System Console settings allow this user in this team. */
export type PluginSettings = Settings;

/** A user as the commander picker shows them. */
export type UserSummary = Pick<UserProfile, 'id' | 'username'>;
/** A channel as the playbook editor's channel pickers show them. */
export type ChannelSummary = Pick<Channel, 'id' | 'name' | 'display_name'>;

/** What the team's incident list asks the server for (`GET /incidents?team_id=&q=&status=&…`). */
export type IncidentQuery = {
    teamId: string;
    q: string;
    status: 'all' | 'active' | 'ended';
    commanderId: string;
    sort: 'newest' | 'oldest' | 'name';
    /** 0-based. */
    page: number;
    perPage: number;
    includePrivate: boolean;
};

// Hand-written DTOs: the stats and playbook answers are not generated into generated/dto.ts (yet). They follow
// server/plugin/src/http/review.rs (`stats`), server/store/src/playbooks.rs (`Playbook`) and
// server/app/src/playbook_input.rs (`PlaybookInput`), as described in api/openapi.json.

/** Active and ended counts and the mean time to resolve of the incidents the caller may see. */
export type IncidentCounts = Counts;
export type {PlaybookCounts, Stats};

/** A playbook as stored (`GET /playbooks/{id}`); its members may see, use and edit it. */
export type {Playbook, PlaybookChecklist, PlaybookTask};
/** What `POST /playbooks` and `PUT /playbooks/{id}` take (unknown fields are refused). */
export type {ChecklistInput, PlaybookInput, TaskInput};
/** `GET /playbooks?team_id=&archived=`: one page, by title. */
export type PlaybookList = {items: Playbook[]; total: number};
/** The exported file (`GET /playbooks/{id}/export`), which `POST /playbooks/import` reads. */
export type PlaybookExport = PlaybookFile;
/** `POST /playbooks/import`: the new playbook and what was left out. */
export type PlaybookImported = Imported;

/** The post the "Add to incident timeline" modal is for. */
export type TimelineTarget = {postId: string; channelId: string};

/** The plugin's own slice, mounted by the host at `state['plugins-<id>']`. */
export type PluginState = {
    /** Bumped on a reconnect: everything shown refetches once. */
    revision: number;
    /** Bumped on every new delta: lists (counts, statuses) refetch. */
    listRevision: number;
    /** The newest version each incident is known to have, from deltas and answers; a view whose copy is older refetches it. */
    versions: Record<string, number>;
    /** The post whose "Add to incident timeline" modal is open (null: closed). */
    timelineTarget: TimelineTarget | null;
};

/**
 * The parts of the host's Redux state the plugin reads. Hosts may leave any of it out,
 * so every field is optional and read defensively.
 */
export type HostState = {
    entities?: {
        /** `myMembers`: the current user's channel memberships, by channel id (only their presence is read). */
        channels?: {currentChannelId?: string; channels?: Record<string, Pick<Channel, 'id' | 'team_id'>>; myMembers?: Record<string, unknown>};
        users?: {currentUserId?: string; profiles?: Record<string, Pick<UserProfile, 'id' | 'username'>>};
        teams?: {currentTeamId?: string; teams?: Record<string, Pick<Team, 'id' | 'name'>>};
        posts?: {posts?: Record<string, Pick<Post, 'id' | 'channel_id'>>};
    };
    /** Plugin slices (`plugins-<id>`), typed by their owners. */
    [pluginKey: `plugins-${string}`]: unknown;
};

export type HostDispatch = ThunkDispatch<HostState, unknown, AnyAction>;

export type HostStore = {
    getState(): HostState;
    dispatch: HostDispatch;
    subscribe(listener: () => void): () => void;
};

/** A string, an element, or a component type, as Mattermost's `resolveReactElement` accepts. */
export type Renderable = string | ReactNode | ComponentType;

export type RHSRegistration = {
    id: string;
    showRHSPlugin: AnyAction;
    hideRHSPlugin: AnyAction | ((dispatch: HostDispatch, getState: () => HostState) => unknown);
    toggleRHSPlugin: AnyAction | ((dispatch: HostDispatch, getState: () => HostState) => unknown);
};

export type WebSocketMessage<T = Record<string, unknown>> = {
    event: string;
    data: T;
    broadcast: {user_id?: string; channel_id?: string; team_id?: string; omit_users?: Record<string, boolean> | null};
    seq: number;
};

/** The subset of Mattermost's PluginRegistry this plugin calls (positional form). */
export type PluginRegistry = {
    registerRightHandSidebarComponent(component: ComponentType, title: Renderable): RHSRegistration;
    registerChannelHeaderButtonAction(
        icon: Renderable,
        action: (channel: Pick<Channel, 'id'>) => void,
        dropdownText: Renderable,
        tooltipText: Renderable,
    ): string;
    registerPostDropdownMenuAction(
        text: Renderable,
        action: (postId: string) => void,
        filter?: (postId: string) => boolean,
    ): string;
    registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;
    registerReconnectHandler(handler: () => void): void;
    registerReducer(reducer: Reducer): void;
    /** A page at `/<team>/<pluginId>/<route>` (a prefix: deeper paths render it too). */
    registerNeedsTeamRoute(route: string, component: ComponentType): string;
    registerMainMenuAction(text: Renderable, action: () => void, mobileIcon?: Renderable): string;
    /** Rendered in the host's `Root` slot (modals). */
    registerRootComponent(component: ComponentType): string;
};
