// Inline styles for the plugin's views, coloured only through Mattermost's theme CSS variables (with Denim fallbacks).
import type {CSSProperties} from 'react';

const text = 'var(--center-channel-color, #3f4350)';
const subtle = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.64)';
const border = 'rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16)';

export const styles = {
    root: {padding: '12px 16px', color: text, background: 'var(--center-channel-bg, #ffffff)', fontSize: 14} as CSSProperties,
    muted: {color: subtle, margin: '8px 0'} as CSSProperties,
    error: {color: 'var(--error-text, #d24b4e)', margin: '8px 0'} as CSSProperties,
    warning: {
        color: text,
        background: 'rgba(var(--away-indicator-rgb, 255, 188, 31), 0.16)',
        borderRadius: 4,
        padding: '6px 8px',
        margin: '0 0 8px',
    } as CSSProperties,
    emptyTitle: {fontWeight: 600, fontSize: 16, margin: '16px 0 4px'} as CSSProperties,
    list: {listStyle: 'none', margin: 0, padding: 0} as CSSProperties,
    item: {borderBottom: `1px solid ${border}`, padding: '10px 0'} as CSSProperties,
    itemTitle: {display: 'flex', alignItems: 'center', gap: 8, fontWeight: 600} as CSSProperties,
    badge: {borderRadius: 4, padding: '0 6px', fontSize: 11, fontWeight: 600, textTransform: 'uppercase'} as CSSProperties,
    active: {background: 'rgba(var(--online-indicator-rgb, 61, 184, 135), 0.16)', color: 'var(--online-indicator, #3db887)'} as CSSProperties,
    ended: {background: border, color: subtle} as CSSProperties,
    meta: {color: subtle, fontSize: 12, marginTop: 4} as CSSProperties,
    primaryButton: {
        background: 'var(--button-bg, #1c58d9)',
        color: 'var(--button-color, #ffffff)',
        border: 'none',
        borderRadius: 4,
        padding: '8px 16px',
        fontWeight: 600,
        cursor: 'pointer',
        marginTop: 12,
    } as CSSProperties,
    secondaryButton: {
        background: 'rgba(var(--button-bg-rgb, 28, 88, 217), 0.08)',
        color: 'var(--button-bg, #1c58d9)',
        border: 'none',
        borderRadius: 4,
        padding: '6px 12px',
        fontWeight: 600,
        cursor: 'pointer',
    } as CSSProperties,
};
