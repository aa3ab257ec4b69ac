// Plugin id and version, injected at build time from ../plugin.json (see build.mjs).
declare const __PLUGIN_ID__: string;
declare const __PLUGIN_VERSION__: string;

export const pluginId: string = __PLUGIN_ID__;
export const pluginVersion: string = __PLUGIN_VERSION__;
