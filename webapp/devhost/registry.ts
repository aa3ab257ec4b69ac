// The dev host's PluginRegistry (Mattermost's positional-or-object `reArg` convention) and plugin WebSocket/reconnect handler tables.
import type {ComponentType} from 'react';
import type {Reducer} from 'redux';
import type {Renderable, WebSocketMessage} from '../src/types';
import {standardizeRoute} from './route_url';
import {actions, removeComponents, type DevStore, type HeaderButtonItem, type MainMenuItem, type PostMenuItem} from './store';

type Fn = (...args: never[]) => unknown;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Wraps `fn` so it takes either its positional arguments in `keys` order, or one plain object whose
 * keys all belong to `keys` (any other object is the first positional argument), as Mattermost's reArg.
 */
export function reArg<F extends Fn>(keys: readonly string[], fn: F): F & ((named: Record<string, unknown>) => ReturnType<F>) {
    const call = fn as unknown as (...a: unknown[]) => unknown;
    const wrapped = (...args: unknown[]) => {
        const [first] = args;
        if (args.length === 1 && isPlainObject(first) && Object.keys(first).length > 0 &&
            Object.keys(first).every((k) => keys.includes(k))) {
            return call(...keys.map((k) => first[k]));
        }
        return call(...args);
    };
    return wrapped as F & ((named: Record<string, unknown>) => ReturnType<F>);
}

type SocketHandler = (msg: WebSocketMessage) => void;

/** Per-plugin WebSocket event handlers (exact event name) and one reconnect handler per plugin. */
export class PluginEvents {
    private readonly handlers = new Map<string, Map<string, SocketHandler>>();
    private readonly reconnect = new Map<string, () => void>();

    setHandler(pluginId: string, event: string, handler: SocketHandler): void {
        const forPlugin = this.handlers.get(pluginId) ?? new Map<string, SocketHandler>();
        forPlugin.set(event, handler);
        this.handlers.set(pluginId, forPlugin);
    }

    removeHandler(pluginId: string, event: string): void {
        this.handlers.get(pluginId)?.delete(event);
    }

    setReconnectHandler(pluginId: string, handler: () => void): void {
        this.reconnect.set(pluginId, handler);
    }

    removeReconnectHandler(pluginId: string): void {
        this.reconnect.delete(pluginId);
    }

    removePlugin(pluginId: string): void {
        this.handlers.delete(pluginId);
        this.reconnect.delete(pluginId);
    }

    /** Calls every plugin's handler for `msg.event`; one throwing handler does not stop the others. */
    dispatch(msg: WebSocketMessage): void {
        for (const [pluginId, forPlugin] of this.handlers) {
            const handler = forPlugin.get(msg.event);
            if (handler) {
                try {
                    handler(msg);
                } catch (err) {
                    console.error(`[devhost] ${pluginId} handler for ${msg.event} threw`, err);
                }
            }
        }
    }

    runReconnectHandlers(): void {
        for (const [pluginId, handler] of this.reconnect) {
            try {
                handler();
            } catch (err) {
                console.error(`[devhost] ${pluginId} reconnect handler threw`, err);
            }
        }
    }
}

let nextId = 0;
const newId = (pluginId: string): string => `${pluginId}_${++nextId}`;

/** One registry per plugin, as Mattermost's `new PluginRegistry(manifest.id)`. */
export class Registry {
    readonly supports = {globalAppBar: false, globalRhs: true};

    constructor(private readonly pluginId: string, private readonly store: DevStore, private readonly events: PluginEvents) {}

    registerRootComponent = reArg(['component'], (component: ComponentType): string => {
        const id = newId(this.pluginId);
        this.store.dispatch(actions.registerSlot('Root', {id, pluginId: this.pluginId, component}));
        return id;
    });

    registerRightHandSidebarComponent = reArg(['component', 'title'], (component: ComponentType, title: Renderable) => {
        const id = newId(this.pluginId);
        this.store.dispatch(actions.registerSlot('RightHandSidebarComponent', {id, pluginId: this.pluginId, component, title}));
        return {
            id,
            showRHSPlugin: actions.showRHSPlugin(id),
            hideRHSPlugin: actions.hideRHSPlugin(id),
            toggleRHSPlugin: actions.toggleRHSPlugin(id),
        };
    });

    registerChannelHeaderButtonAction = reArg(
        ['icon', 'action', 'dropdownText', 'tooltipText'],
        (icon: Renderable, action: HeaderButtonItem['action'], dropdownText: Renderable, tooltipText: Renderable): string => {
            const id = newId(this.pluginId);
            this.store.dispatch(actions.registerSlot('ChannelHeaderButton', {id, pluginId: this.pluginId, icon, action, dropdownText, tooltipText}));
            return id;
        },
    );

    registerPostDropdownMenuAction = reArg(
        ['text', 'action', 'filter'],
        (text: Renderable, action: PostMenuItem['action'], filter?: PostMenuItem['filter']): string => {
            const id = newId(this.pluginId);
            this.store.dispatch(actions.registerSlot('PostDropdownMenu', {id, pluginId: this.pluginId, text, action, filter}));
            return id;
        },
    );

    /** A page at `/<team>/<plugin id>/<route>` (and below it); stored as `<plugin id>/<route>`, as Mattermost does. */
    registerNeedsTeamRoute = reArg(['route', 'component'], (route: string, component: ComponentType): string => {
        const id = newId(this.pluginId);
        const stored = `${this.pluginId}/${standardizeRoute(route)}`;
        this.store.dispatch(actions.registerSlot('NeedsTeamComponent', {id, pluginId: this.pluginId, component, route: stored}));
        return id;
    });

    registerMainMenuAction = reArg(
        ['text', 'action', 'mobileIcon'],
        (text: Renderable, action: MainMenuItem['action'], mobileIcon?: Renderable): string => {
            const id = newId(this.pluginId);
            this.store.dispatch(actions.registerSlot('MainMenu', {id, pluginId: this.pluginId, text, action, mobileIcon}));
            return id;
        },
    );

    registerWebSocketEventHandler = reArg(['event', 'handler'], (event: string, handler: SocketHandler): void => {
        this.events.setHandler(this.pluginId, event, handler);
    });

    unregisterWebSocketEventHandler = reArg(['event'], (event: string): void => {
        this.events.removeHandler(this.pluginId, event);
    });

    registerReconnectHandler = reArg(['handler'], (handler: () => void): void => {
        this.events.setReconnectHandler(this.pluginId, handler);
    });

    unregisterReconnectHandler = (): void => {
        this.events.removeReconnectHandler(this.pluginId);
    };

    registerReducer = reArg(['reducer'], (reducer: Reducer): void => {
        this.store.injectReducer(`plugins-${this.pluginId}`, reducer);
    });

    unregisterComponent = reArg(['componentId'], (componentId: string): void => {
        this.store.dispatch(removeComponents({id: componentId}));
    });
}
