// Markdown written by people (task descriptions) rendered the way the host renders messages: through the host's
// `PostUtils` (`formatText` makes sanitized HTML, `messageHtmlToComponent` turns it into React elements), or as plain
// text where the host has none (component tests), never as injected HTML of our own.
import React from 'react';
import type {CSSProperties} from 'react';

type PostUtils = {formatText(text: string, options?: object): string; messageHtmlToComponent(html: string, options?: object): React.ReactNode};

export function Markdown({text, style, testid}: {text: string; style?: CSSProperties; testid?: string}) {
    const utils = (window as unknown as {PostUtils?: PostUtils}).PostUtils;
    const body = utils ? utils.messageHtmlToComponent(utils.formatText(text, {mentionHighlight: false})) : text;
    return <div style={{whiteSpace: utils ? undefined : 'pre-wrap', overflowWrap: 'anywhere', ...style}} data-testid={testid}>{body}</div>;
}
