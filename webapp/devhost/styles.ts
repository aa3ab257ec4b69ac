// The dev host page's stylesheet (injected by index.tsx), coloured through the same theme CSS variables plugins use.
export const css = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--center-channel-color); background: var(--center-channel-bg); }
button, select, textarea, input { font: inherit; }
button { cursor: pointer; }
:focus-visible { outline: 2px solid var(--button-bg); outline-offset: 1px; }
.dh-app { display: flex; flex-direction: column; height: 100vh; }
.dh-banner { background: var(--away-indicator); color: #1b1d22; padding: 4px 12px; font-weight: 600; text-align: center; }
.dh-top-row { display: flex; justify-content: space-between; align-items: center; padding: 4px 12px; gap: 12px;
  border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.16); font-size: 12px; }
.dh-online { color: var(--online-indicator); } .dh-offline { color: var(--dnd-indicator); }
.dh-main { display: flex; flex: 1; min-height: 0; }
.dh-sidebar { width: 240px; background: var(--sidebar-bg); color: var(--sidebar-text); padding: 8px; overflow-y: auto; }
.dh-sidebar h2 { font-size: 12px; text-transform: uppercase; opacity: 0.64; margin: 16px 4px 4px; }
.dh-sidebar ul { list-style: none; margin: 0; padding: 0; }
.dh-sidebar .dh-muted { color: var(--sidebar-text); opacity: 0.64; padding: 4px; }
.dh-team { width: 100%; }
.dh-channel { width: 100%; text-align: left; background: none; border: none; color: var(--sidebar-text); padding: 4px 8px; border-radius: 4px; }
.dh-channel:hover { background: var(--sidebar-text-hover-bg); }
.dh-channel[aria-current="page"] { background: var(--sidebar-text-hover-bg); border-left: 3px solid var(--sidebar-text-active-border); font-weight: 600; }
.dh-browse { display: flex; justify-content: space-between; align-items: center; padding: 2px 4px; }
.dh-center { flex: 1; display: flex; flex-direction: column; min-width: 0; }
.dh-route { overflow-y: auto; }
.dh-route > p { padding: 0 16px; }
.dh-main-menu { position: relative; margin-top: 8px; }
.dh-main-menu ul { position: absolute; left: 0; right: 0; z-index: 10; background: var(--sidebar-bg); border: 1px solid var(--sidebar-text-hover-bg);
  border-radius: 4px; padding: 4px 0; }
.dh-channel-header { display: flex; justify-content: space-between; align-items: center; padding: 8px 16px;
  border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.16); }
.dh-channel-header h1 { font-size: 16px; margin: 0; }
.dh-header-buttons { display: flex; gap: 4px; }
.dh-icon-button { position: relative; background: none; border: none; color: rgba(var(--center-channel-color-rgb), 0.64);
  padding: 4px 6px; border-radius: 4px; display: inline-flex; align-items: center; }
.dh-icon-button:hover, .dh-icon-button:focus-visible { background: rgba(var(--center-channel-color-rgb), 0.08); color: var(--center-channel-color); }
.dh-tooltip { display: none; position: absolute; top: 100%; right: 0; white-space: nowrap; background: #1b1d22; color: #fff;
  padding: 2px 6px; border-radius: 4px; font-size: 12px; z-index: 5; }
.dh-icon-button:hover .dh-tooltip, .dh-icon-button:focus-visible .dh-tooltip { display: block; }
.dh-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.dh-posts { flex: 1; overflow-y: auto; padding: 8px 16px; }
.dh-posts > ul { list-style: none; margin: 0; padding: 0; }
.dh-post { padding: 6px 8px; border-radius: 4px; position: relative; }
.dh-post:hover { background: rgba(var(--center-channel-color-rgb), 0.04); }
.dh-post-head { display: flex; gap: 8px; align-items: baseline; }
.dh-post-head time { font-size: 12px; opacity: 0.64; }
.dh-ephemeral { background: rgba(var(--button-bg-rgb), 0.06); }
.dh-post-menu { margin-left: auto; position: relative; }
.dh-post-menu ul { position: absolute; right: 0; z-index: 10; list-style: none; margin: 0; padding: 4px 0; min-width: 240px;
  background: var(--center-channel-bg); border: 1px solid rgba(var(--center-channel-color-rgb), 0.16); border-radius: 4px; box-shadow: 0 8px 24px rgba(0,0,0,0.12); }
.dh-post-menu li button { width: 100%; text-align: left; background: none; border: none; padding: 6px 12px; color: var(--center-channel-color); }
.dh-post-menu li button:hover, .dh-post-menu li button:focus-visible { background: rgba(var(--button-bg-rgb), 0.08); }
.dh-markdown p { margin: 2px 0; }
.dh-markdown h3, .dh-markdown h4, .dh-markdown h5, .dh-markdown h6 { margin: 8px 0 4px; font-weight: 600; line-height: 1.3; }
.dh-markdown h3 { font-size: 22px; } .dh-markdown h4 { font-size: 19px; } .dh-markdown h5 { font-size: 17px; } .dh-markdown h6 { font-size: 15px; }
.dh-markdown pre { background: rgba(var(--center-channel-color-rgb), 0.06); padding: 8px; overflow-x: auto; }
.dh-markdown table { border-collapse: collapse; } .dh-markdown td, .dh-markdown th { border: 1px solid rgba(var(--center-channel-color-rgb), 0.16); padding: 2px 8px; }
.dh-markdown a { color: var(--link-color); }
.dh-attachment { border-left: 4px solid rgba(var(--center-channel-color-rgb), 0.24); padding: 4px 10px; margin: 4px 0; }
.dh-attachment-title { font-weight: 600; }
.dh-actions { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 4px; }
.dh-actions button { background: rgba(var(--button-bg-rgb), 0.08); color: var(--button-bg); border: none; border-radius: 4px; padding: 4px 10px; font-weight: 600; }
.dh-message-box { position: relative; padding: 8px 16px 12px; border-top: 1px solid rgba(var(--center-channel-color-rgb), 0.16); }
.dh-compose { display: flex; gap: 8px; }
.dh-compose textarea { flex: 1; resize: vertical; padding: 6px 8px; border: 1px solid rgba(var(--center-channel-color-rgb), 0.24); border-radius: 4px; }
.dh-compose button, .dh-primary { background: var(--button-bg); color: var(--button-color); border: none; border-radius: 4px; padding: 6px 16px; font-weight: 600; }
button:disabled { opacity: 0.5; cursor: default; }
.dh-suggestions { position: absolute; bottom: 100%; left: 16px; right: 16px; list-style: none; margin: 0; padding: 4px 0;
  background: var(--center-channel-bg); border: 1px solid rgba(var(--center-channel-color-rgb), 0.16); border-radius: 4px; }
.dh-suggestions li { padding: 4px 12px; cursor: pointer; }
.dh-suggestions li[aria-selected="true"] { background: rgba(var(--button-bg-rgb), 0.08); }
.dh-rhs { width: 400px; border-left: 1px solid rgba(var(--center-channel-color-rgb), 0.16); display: flex; flex-direction: column; }
.dh-rhs-header { display: flex; justify-content: space-between; align-items: center; padding: 8px 12px;
  border-bottom: 1px solid rgba(var(--center-channel-color-rgb), 0.16); }
.dh-rhs-header h2 { font-size: 16px; margin: 0; }
.dh-rhs-body { flex: 1; overflow-y: auto; }
.dh-modal-backdrop { position: fixed; inset: 0; background: rgba(0,0,0,0.4); display: flex; align-items: center; justify-content: center; z-index: 20; }
.dh-modal { background: var(--center-channel-bg); border-radius: 8px; padding: 16px 24px; width: 520px; max-height: 90vh; overflow-y: auto; }
.dh-dialog-field { display: flex; flex-direction: column; gap: 2px; margin: 10px 0; }
.dh-dialog-field input:not([type="checkbox"]), .dh-dialog-field textarea, .dh-dialog-field select { padding: 6px 8px;
  border: 1px solid rgba(var(--center-channel-color-rgb), 0.24); border-radius: 4px; }
.dh-dialog-field [aria-invalid="true"] { border-color: var(--error-text); }
.dh-modal-buttons { display: flex; justify-content: flex-end; gap: 8px; margin-top: 12px; }
.dh-muted { opacity: 0.64; font-size: 12px; }
.dh-error { color: var(--error-text); }
`;
