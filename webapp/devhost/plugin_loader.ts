// Loads plugin bundles listed by GET /api/v4/plugins/webapp with <script> tags and initializes them, as the Mattermost webapp does.
import {api} from './api';
import {Registry, type PluginEvents} from './registry';
import {actions, removeComponents, type DevStore} from './store';
import type {WebappManifest} from './types';

export type HostPlugin = {
    initialize?(registry: Registry, store: DevStore): unknown;
    uninitialize?(): void;
    deinitialize?(): void;
};

declare global {
    interface Window {
        plugins: Record<string, HostPlugin | undefined>;
        registerPlugin(id: string, plugin: HostPlugin): void;
    }
}

/** Mattermost's rewrite: bundles are served from /static/plugins/. */
export const bundleUrl = (bundlePath: string): string =>
    `${window.basename ?? ''}${bundlePath.includes('/static/plugins/') ? bundlePath : bundlePath.replace('/static/', '/static/plugins/')}`;

export class PluginLoader {
    private readonly loaded = new Map<string, WebappManifest>();
    private pending: Promise<void> = Promise.resolve();

    constructor(private readonly store: DevStore, private readonly events: PluginEvents) {}

    /** Fetches the manifest list, drops plugins no longer listed and (re)loads new or changed bundles. Calls run one at a time. */
    loadPluginsIfNecessary(): Promise<void> {
        this.pending = this.pending.then(() => this.sync()).catch((err: unknown) => console.error('[devhost] loading plugins failed', err));
        return this.pending;
    }

    private async sync(): Promise<void> {
        const manifests = await api.getWebappPlugins();
        for (const id of [...this.loaded.keys()]) {
            if (!manifests.some((m) => m.id === id)) {
                this.remove(id);
            }
        }
        for (const manifest of manifests) {
            const current = this.loaded.get(manifest.id);
            if (current?.webapp.bundle_path === manifest.webapp.bundle_path) {
                continue;
            }
            if (current) {
                this.store.dispatch(removeComponents({pluginId: manifest.id}));
            }
            this.load(manifest);
        }
    }

    private load(manifest: WebappManifest): void {
        const {id} = manifest;
        this.loaded.set(id, manifest);
        this.store.dispatch(actions.bundleState(id, 'loading'));
        document.getElementById(`plugin_${id}`)?.remove();
        const script = document.createElement('script');
        script.id = `plugin_${id}`;
        script.type = 'text/javascript';
        script.defer = true;
        script.src = bundleUrl(manifest.webapp.bundle_path);
        script.onload = () => this.initialize(id);
        script.onerror = () => {
            this.loaded.delete(id);
            this.store.dispatch(actions.bundleState(id, 'failed', `Unable to load bundle for plugin ${id}, version ${manifest.version}`));
        };
        document.head.appendChild(script);
    }

    private initialize(id: string): void {
        const plugin = window.plugins[id];
        if (!plugin?.initialize) {
            this.store.dispatch(actions.bundleState(id, 'failed', `Bundle did not call registerPlugin("${id}", …)`));
            return;
        }
        try {
            const result = plugin.initialize(new Registry(id, this.store, this.events), this.store);
            Promise.resolve(result).catch((err: unknown) => console.error(`[devhost] ${id} initialize rejected`, err));
            this.store.dispatch(actions.bundleState(id, 'loaded'));
        } catch (err) {
            this.store.dispatch(actions.bundleState(id, 'failed', `initialize threw: ${err instanceof Error ? err.message : String(err)}`));
        }
    }

    private remove(id: string): void {
        this.store.dispatch(removeComponents({pluginId: id}));
        const plugin = window.plugins[id];
        (plugin?.uninitialize ?? plugin?.deinitialize)?.call(plugin);
        this.events.removePlugin(id);
        document.getElementById(`plugin_${id}`)?.remove();
        this.loaded.delete(id);
        delete window.plugins[id];
    }
}
