// Mattermost's Denim theme and applyTheme: sets the :root CSS variables (hex and "-rgb" triplets) plugins style themselves with.
export type Theme = Record<string, string>;

export const denim: Theme = {
    type: 'Denim',
    sidebarBg: '#1e325c', sidebarText: '#ffffff', sidebarUnreadText: '#ffffff', sidebarTextHoverBg: '#28427b',
    sidebarTextActiveBorder: '#5d89ea', sidebarTextActiveColor: '#ffffff', sidebarHeaderBg: '#192a4d',
    sidebarTeamBarBg: '#14213e', sidebarHeaderTextColor: '#ffffff', onlineIndicator: '#3db887', awayIndicator: '#ffbc1f',
    dndIndicator: '#d24b4e', mentionBg: '#ffffff', mentionColor: '#1e325c', centerChannelBg: '#ffffff',
    centerChannelColor: '#3f4350', newMessageSeparator: '#cc8f00', linkColor: '#386fe5', buttonBg: '#1c58d9',
    buttonColor: '#ffffff', errorTextColor: '#d24b4e', mentionHighlightBg: '#ffd470', mentionHighlightLink: '#1b1d22',
    codeTheme: 'github',
};

const cssNames: Record<string, string> = {
    centerChannelBg: 'center-channel-bg', centerChannelColor: 'center-channel-color', buttonBg: 'button-bg',
    buttonColor: 'button-color', linkColor: 'link-color', errorTextColor: 'error-text', mentionBg: 'mention-bg',
    mentionColor: 'mention-color', mentionHighlightBg: 'mention-highlight-bg', mentionHighlightLink: 'mention-highlight-link',
    newMessageSeparator: 'new-message-separator', onlineIndicator: 'online-indicator', awayIndicator: 'away-indicator',
    dndIndicator: 'dnd-indicator', sidebarBg: 'sidebar-bg', sidebarText: 'sidebar-text', sidebarUnreadText: 'sidebar-unread-text',
    sidebarTextHoverBg: 'sidebar-text-hover-bg', sidebarTextActiveBorder: 'sidebar-text-active-border',
    sidebarTextActiveColor: 'sidebar-text-active-color', sidebarHeaderBg: 'sidebar-header-bg', sidebarTeamBarBg: 'sidebar-teambar-bg',
    sidebarHeaderTextColor: 'sidebar-header-text-color',
};

const rgb = (hex: string): string | undefined => {
    const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
    return m ? m.slice(1).map((h) => parseInt(h, 16)).join(', ') : undefined;
};

export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
    for (const [key, name] of Object.entries(cssNames)) {
        const value = theme[key];
        if (!value) {
            continue;
        }
        root.style.setProperty(`--${name}`, value);
        const triplet = rgb(value);
        if (triplet) {
            root.style.setProperty(key === 'errorTextColor' ? '--error-text-color-rgb' : `--${name}-rgb`, triplet);
        }
    }
}
