// The dev host's Redux store: Mattermost-shaped `entities`, RHS view state, page state, plugin slots, and injectable plugin reducers.
import {applyMiddleware, combineReducers, legacy_createStore, type AnyAction, type Reducer, type Store} from 'redux';
import {withExtraArgument, type ThunkDispatch} from 'redux-thunk';
import type {ComponentType} from 'react';
import type {Renderable} from '../src/types';
import {routeFromSearch} from './route_url';
import type {DevApiState, DevChannel, DevPost, DevTeam, OpenDialog, PluginStatus, User} from './types';

export type RHSItem = {id: string; pluginId: string; component: ComponentType; title: Renderable};
export type HeaderButtonItem = {
    id: string; pluginId: string; icon: Renderable; action: (channel: DevChannel, member: {channel_id: string; user_id: string}) => void;
    dropdownText: Renderable; tooltipText: Renderable;
};
export type PostMenuItem = {id: string; pluginId: string; text: Renderable; action: (postId: string) => void; filter?: (postId: string) => boolean};
export type RootItem = {id: string; pluginId: string; component: ComponentType};
/** `route` is stored as Mattermost does: `<plugin id>/<route without surrounding slashes>`, shown at `/<team>/<route>`. */
export type NeedsTeamItem = {id: string; pluginId: string; component: ComponentType; route: string};
export type MainMenuItem = {id: string; pluginId: string; text: Renderable; action: () => void; mobileIcon?: Renderable};
export type PluginSlots = {
    RightHandSidebarComponent: RHSItem[];
    ChannelHeaderButton: HeaderButtonItem[];
    PostDropdownMenu: PostMenuItem[];
    Root: RootItem[];
    NeedsTeamComponent: NeedsTeamItem[];
    MainMenu: MainMenuItem[];
};
export type SlotName = keyof PluginSlots;
export type BundleState = 'loading' | 'loaded' | 'failed';

export const EPHEMERAL_TYPE = 'system_ephemeral';

export const actions = {
    receivedDevState: (state: DevApiState) => ({type: 'DEV_RECEIVED_STATE', state}),
    receivedTeams: (teams: DevTeam[]) => ({type: 'DEV_RECEIVED_TEAMS', teams}),
    selectTeam: (teamId: string) => ({type: 'DEV_SELECT_TEAM', teamId}),
    receivedChannels: (mine: DevChannel[], publicChannels: DevChannel[]) => ({type: 'DEV_RECEIVED_CHANNELS', mine, publicChannels}),
    selectChannel: (channelId: string) => ({type: 'DEV_SELECT_CHANNEL', channelId}),
    receivedPosts: (channelId: string, posts: DevPost[]) => ({type: 'DEV_RECEIVED_POSTS', channelId, posts}),
    receivedPost: (post: DevPost) => ({type: 'DEV_RECEIVED_POST', post}),
    pluginStatus: (plugin: PluginStatus) => ({type: 'DEV_PLUGIN_STATUS', plugin}),
    bundleState: (pluginId: string, state: BundleState, error = '') => ({type: 'DEV_BUNDLE_STATE', pluginId, state, error}),
    socketStatus: (connected: boolean) => ({type: 'DEV_SOCKET_STATUS', connected}),
    openDialog: (dialog: OpenDialog) => ({type: 'DEV_OPEN_DIALOG', dialog}),
    closeDialog: () => ({type: 'DEV_CLOSE_DIALOG'}),
    registerSlot: <S extends SlotName>(slot: S, item: PluginSlots[S][number]) => ({type: 'DEV_REGISTER_SLOT', slot, item}),
    unregisterComponent: (id: string) => ({type: 'DEV_UNREGISTER_COMPONENT', id}),
    removePlugin: (pluginId: string) => ({type: 'DEV_REMOVE_PLUGIN', pluginId}),
    showRHSPlugin: (pluggableId: string) => ({type: 'UPDATE_RHS_STATE', state: 'plugin', pluggableId}),
    hideRHSPlugin: (pluggableId: string) => ({type: 'HIDE_RHS_PLUGIN', pluggableId}),
    toggleRHSPlugin: (pluggableId: string) => ({type: 'TOGGLE_RHS_PLUGIN', pluggableId}),
    closeRHS: () => ({type: 'UPDATE_RHS_STATE', state: null}),
    /** The page now shows the Mattermost path `route` ('' = the channel view); see routes.ts. */
    navigated: (route: string) => ({type: 'DEV_NAVIGATED', route}),
};

const byId = <T extends {id: string}>(items: T[]): Record<string, T> => Object.fromEntries(items.map((i) => [i.id, i]));

const general = (state = {config: {SiteURL: window.location.origin, PluginsEnabled: 'true', DefaultTheme: 'denim'}}) => state;
const preferences = (state = {myPreferences: {}}) => state;

type UsersState = {currentUserId: string; profiles: Record<string, User>};
function users(state: UsersState = {currentUserId: '', profiles: {}}, action: AnyAction): UsersState {
    if (action.type === 'DEV_RECEIVED_STATE') {
        const s = action.state as DevApiState;
        return {currentUserId: s.me.id, profiles: byId([...s.users, s.me])};
    }
    return state;
}

type TeamsState = {currentTeamId: string; teams: Record<string, DevTeam>};
function teams(state: TeamsState = {currentTeamId: '', teams: {}}, action: AnyAction): TeamsState {
    switch (action.type) {
    case 'DEV_RECEIVED_TEAMS': {
        const list = action.teams as DevTeam[];
        const keep = list.some((t) => t.id === state.currentTeamId);
        return {currentTeamId: keep ? state.currentTeamId : list[0]?.id ?? '', teams: byId(list)};
    }
    case 'DEV_SELECT_TEAM':
        return {...state, currentTeamId: action.teamId};
    default:
        return state;
    }
}

/** `myMembers` has Mattermost's shape (memberships by channel id), for plugins that read it. */
type ChannelsState = {
    currentChannelId: string; channels: Record<string, DevChannel>; myChannelIds: string[]; publicChannelIds: string[];
    myMembers: Record<string, {channel_id: string}>;
};
const noChannels: ChannelsState = {currentChannelId: '', channels: {}, myChannelIds: [], publicChannelIds: [], myMembers: {}};
function channels(state: ChannelsState = noChannels, action: AnyAction): ChannelsState {
    switch (action.type) {
    case 'DEV_RECEIVED_CHANNELS': {
        const mine = (action.mine as DevChannel[]).filter((c) => !c.delete_at);
        const pub = (action.publicChannels as DevChannel[]).filter((c) => !c.delete_at);
        const myChannelIds = mine.map((c) => c.id);
        const keep = myChannelIds.includes(state.currentChannelId);
        const fallback = mine.find((c) => c.name === 'town-square')?.id ?? myChannelIds[0] ?? '';
        return {
            currentChannelId: keep ? state.currentChannelId : fallback,
            channels: {...state.channels, ...byId(pub), ...byId(mine)},
            myChannelIds,
            publicChannelIds: pub.map((c) => c.id),
            myMembers: Object.fromEntries(myChannelIds.map((id) => [id, {channel_id: id}])),
        };
    }
    case 'DEV_SELECT_CHANNEL':
        return {...state, currentChannelId: action.channelId};
    case 'DEV_SELECT_TEAM':
        return {...state, currentChannelId: '', myChannelIds: [], publicChannelIds: [], myMembers: {}};
    default:
        return state;
    }
}

type PostsState = {posts: Record<string, DevPost>; postsInChannel: Record<string, string[]>};
const byCreateAt = (posts: Record<string, DevPost>) => (a: string, b: string) => posts[a].create_at - posts[b].create_at;
function postsReducer(state: PostsState = {posts: {}, postsInChannel: {}}, action: AnyAction): PostsState {
    switch (action.type) {
    case 'DEV_RECEIVED_POSTS': {
        const channelId = action.channelId as string;
        const fetched = action.posts as DevPost[];
        const ephemeral = (state.postsInChannel[channelId] ?? []).filter((id) => state.posts[id]?.type === EPHEMERAL_TYPE);
        const posts = {...state.posts, ...byId(fetched)};
        const ids = [...new Set([...fetched.map((p) => p.id), ...ephemeral])].sort(byCreateAt(posts));
        return {posts, postsInChannel: {...state.postsInChannel, [channelId]: ids}};
    }
    case 'DEV_RECEIVED_POST': {
        const post = action.post as DevPost;
        const posts = {...state.posts, [post.id]: post};
        const current = state.postsInChannel[post.channel_id] ?? [];
        const ids = current.includes(post.id) ? current : [...current, post.id].sort(byCreateAt(posts));
        return {posts, postsInChannel: {...state.postsInChannel, [post.channel_id]: ids}};
    }
    default:
        return state;
    }
}

type RHSState = {rhsState: string | null; pluggableId: string};
function rhs(state: RHSState = {rhsState: null, pluggableId: ''}, action: AnyAction): RHSState {
    const showing = state.rhsState === 'plugin' && state.pluggableId === action.pluggableId;
    switch (action.type) {
    case 'UPDATE_RHS_STATE':
        return {rhsState: action.state ?? null, pluggableId: action.state === 'plugin' ? action.pluggableId : ''};
    case 'HIDE_RHS_PLUGIN':
        return showing ? {rhsState: null, pluggableId: ''} : state;
    case 'TOGGLE_RHS_PLUGIN':
        return showing ? {rhsState: null, pluggableId: ''} : {rhsState: 'plugin', pluggableId: action.pluggableId};
    default:
        return state;
    }
}

export type PageState = {
    plugin: PluginStatus | null;
    users: User[];
    bundles: Record<string, {state: BundleState; error: string}>;
    connected: boolean;
    dialog: OpenDialog | null;
    /** The Mattermost path shown ('' = the channel view), from `?route=` at load (the server serves the page at `/` only). */
    route: string;
};
const initialPage = (): PageState => ({plugin: null, users: [], bundles: {}, connected: false, dialog: null, route: routeFromSearch(window.location.search)});
function page(state: PageState = initialPage(), action: AnyAction): PageState {
    switch (action.type) {
    case 'DEV_RECEIVED_STATE':
        return {...state, plugin: action.state.plugin, users: action.state.users};
    case 'DEV_PLUGIN_STATUS':
        return {...state, plugin: action.plugin};
    case 'DEV_BUNDLE_STATE':
        return {...state, bundles: {...state.bundles, [action.pluginId]: {state: action.state, error: action.error}}};
    case 'DEV_SOCKET_STATUS':
        return {...state, connected: action.connected};
    case 'DEV_OPEN_DIALOG':
        return {...state, dialog: action.dialog};
    case 'DEV_CLOSE_DIALOG':
        return {...state, dialog: null};
    case 'DEV_NAVIGATED':
        return {...state, route: action.route};
    default:
        return state;
    }
}

const emptySlots: PluginSlots = {
    RightHandSidebarComponent: [], ChannelHeaderButton: [], PostDropdownMenu: [], Root: [], NeedsTeamComponent: [], MainMenu: [],
};
function slots(state: PluginSlots = emptySlots, action: AnyAction): PluginSlots {
    const keep = (pred: (item: {id: string; pluginId: string}) => boolean): PluginSlots => ({
        RightHandSidebarComponent: state.RightHandSidebarComponent.filter(pred),
        ChannelHeaderButton: state.ChannelHeaderButton.filter(pred),
        PostDropdownMenu: state.PostDropdownMenu.filter(pred),
        Root: state.Root.filter(pred),
        NeedsTeamComponent: state.NeedsTeamComponent.filter(pred),
        MainMenu: state.MainMenu.filter(pred),
    });
    switch (action.type) {
    case 'DEV_REGISTER_SLOT': {
        const slot = action.slot as SlotName;
        return {...state, [slot]: [...state[slot], action.item]};
    }
    case 'DEV_UNREGISTER_COMPONENT':
        return keep((item) => item.id !== action.id);
    case 'DEV_REMOVE_PLUGIN':
        return keep((item) => item.pluginId !== action.pluginId);
    default:
        return state;
    }
}

const baseReducers = {
    entities: combineReducers({general, users, teams, channels, posts: postsReducer, preferences}),
    views: combineReducers({rhs}),
    devhost: page,
    plugins: combineReducers({components: slots}),
};

export type DevState = {[K in keyof typeof baseReducers]: ReturnType<(typeof baseReducers)[K]>} & {[pluginKey: string]: unknown};
export type DevDispatch = ThunkDispatch<DevState, {loaders: Record<string, never>}, AnyAction>;
export type DevStore = Store<DevState, AnyAction> & {dispatch: DevDispatch; injectReducer(key: string, reducer: Reducer): void};

/** Removes a plugin's (or one component's) slot items, closing the RHS first when it shows one of them. */
export const removeComponents = (match: {pluginId?: string; id?: string}) =>
    (dispatch: DevDispatch, getState: () => DevState): void => {
        const {rhsState, pluggableId} = getState().views.rhs;
        const owner = getState().plugins.components.RightHandSidebarComponent.find((i) => i.id === pluggableId);
        if (rhsState === 'plugin' && owner && (owner.pluginId === match.pluginId || owner.id === match.id)) {
            dispatch(actions.closeRHS());
        }
        dispatch(match.pluginId ? actions.removePlugin(match.pluginId) : actions.unregisterComponent(match.id ?? ''));
    };

export function createDevStore(): DevStore {
    const extra: Record<string, Reducer> = {};
    const build = () => combineReducers({...baseReducers, ...extra}) as unknown as Reducer<DevState, AnyAction>;
    const store = legacy_createStore(build(), applyMiddleware(withExtraArgument({loaders: {}}))) as unknown as DevStore;
    store.injectReducer = (key, reducer) => {
        extra[key] = reducer;
        store.replaceReducer(build());
    };
    return store;
}
