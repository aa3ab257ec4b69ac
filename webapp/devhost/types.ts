// Wire types of the dev host server (PAGE-API.md), narrowed from @mattermost/types to the fields the server sends.
import type {Channel} from '@mattermost/types/channels';
import type {DialogElement} from '@mattermost/types/integrations';
import type {MessageAttachment} from '@mattermost/types/message_attachments';
import type {ClientPluginManifest} from '@mattermost/types/plugins';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

export type User = Pick<UserProfile, 'id' | 'username' | 'first_name' | 'last_name' | 'nickname' | 'roles'>;
export type DevTeam = Pick<Team, 'id' | 'name' | 'display_name'>;
export type DevChannel = Pick<Channel, 'id' | 'team_id' | 'name' | 'display_name' | 'type' | 'header' | 'purpose' | 'delete_at'>;
export type DevPost = Pick<Post, 'id' | 'create_at' | 'update_at' | 'user_id' | 'channel_id' | 'root_id' | 'message' | 'type'> & {
    props?: {attachments?: MessageAttachment[]} & Record<string, unknown>;
};
export type WebappManifest = Pick<ClientPluginManifest, 'id' | 'version' | 'webapp'>;

export type PluginRunState = 'starting' | 'active' | 'failed' | 'stopped';
export type PluginStatus = {id: string; version: string; state: PluginRunState; message: string; nodes: number};
export type DevApiState = {plugin: PluginStatus; users: User[]; teams: DevTeam[]; me: User};

export type PostList = {order: string[]; posts: Record<string, DevPost>};
export type CommandResponse = {response_type?: string; text?: string; goto_location?: string; props?: Record<string, unknown>};
export type AutocompleteCommand = {trigger: string; auto_complete_desc: string; auto_complete_hint: string; display_name: string};
export type PostActionResponse = {update?: DevPost; ephemeral_text?: string};

export type DialogField = Pick<DialogElement,
    'display_name' | 'name' | 'type' | 'subtype' | 'placeholder' | 'help_text' | 'optional' | 'min_length' | 'max_length' | 'data_source'
> & {default?: string | boolean | null; options?: Array<{text: string; value: string}> | null};

export type InteractiveDialog = {
    callback_id: string;
    title: string;
    introduction_text?: string;
    elements?: DialogField[] | null;
    submit_label?: string;
    notify_on_cancel?: boolean;
    state?: string;
};

/** The `open_dialog` payload, plus the channel and team it was opened in. */
export type OpenDialog = {trigger_id?: string; url: string; dialog: InteractiveDialog; channel_id: string; team_id: string};

export type DialogSubmitResponse = {error?: string; errors?: Record<string, string>};
