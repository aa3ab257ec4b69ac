// A small Markdown renderer that builds React elements directly (never HTML strings), so post text can't inject markup.
import React, {type ReactNode} from 'react';

/** Only these link targets become <a>; anything else (javascript:, data:, …) stays plain text. */
export function safeHref(url: string): string | undefined {
    if (/^(https?:|mailto:)/i.test(url)) {
        return url;
    }
    return url.startsWith('/') && !url.startsWith('//') ? url : undefined;
}

const INLINE = new RegExp([
    '`([^`]+)`', // 1 code
    '\\*\\*(.+?)\\*\\*', // 2 bold
    '__(.+?)__', // 3 bold
    '~~(.+?)~~', // 4 strike
    '\\*([^*\\s](?:[^*]*[^*\\s])?)\\*', // 5 italic
    '(?<![\\w])_([^_\\s](?:[^_]*[^_\\s])?)_(?![\\w])', // 6 italic
    '\\[([^\\]]+)\\]\\(([^)\\s]+)\\)', // 7 text, 8 url
    '(https?://[^\\s<]*[^\\s<.,;:!?)\\]\'"])', // 9 autolink
].join('|'), 'g');

export function renderInline(text: string, keyPrefix = 'i'): ReactNode[] {
    const out: ReactNode[] = [];
    let last = 0;
    let n = 0;
    for (const m of text.matchAll(INLINE)) {
        const index = m.index ?? 0;
        if (index > last) {
            out.push(text.slice(last, index));
        }
        const key = `${keyPrefix}-${n++}`;
        if (m[1] !== undefined) {
            out.push(<code key={key}>{m[1]}</code>);
        } else if (m[2] !== undefined || m[3] !== undefined) {
            out.push(<strong key={key}>{renderInline(m[2] ?? m[3], key)}</strong>);
        } else if (m[4] !== undefined) {
            out.push(<del key={key}>{renderInline(m[4], key)}</del>);
        } else if (m[5] !== undefined || m[6] !== undefined) {
            out.push(<em key={key}>{renderInline(m[5] ?? m[6], key)}</em>);
        } else if (m[7] !== undefined) {
            const href = safeHref(m[8]);
            out.push(href ? <a key={key} href={href} target='_blank' rel='noopener noreferrer'>{renderInline(m[7], key)}</a> : m[0]);
        } else {
            out.push(<a key={key} href={m[9]} target='_blank' rel='noopener noreferrer'>{m[9]}</a>);
        }
        last = index + m[0].length;
    }
    if (last < text.length) {
        out.push(text.slice(last));
    }
    return out;
}

const withBreaks = (lines: string[], key: string): ReactNode[] =>
    lines.flatMap((line, i) => (i === 0 ? renderInline(line, `${key}-${i}`) : [<br key={`${key}-br${i}`}/>, ...renderInline(line, `${key}-${i}`)]));

const splitRow = (line: string): string[] => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const ORDERED = /^\s*\d+[.)]\s+(.*)$/;

export function renderBlocks(source: string): ReactNode[] {
    const lines = source.replace(/\r\n?/g, '\n').split('\n');
    const blocks: ReactNode[] = [];
    let i = 0;
    while (i < lines.length) {
        const line = lines[i];
        const key = `b${i}`;
        if (!line.trim()) {
            i++;
        } else if (line.trimStart().startsWith('```')) {
            const code: string[] = [];
            i++;
            while (i < lines.length && !lines[i].trimStart().startsWith('```')) {
                code.push(lines[i++]);
            }
            i++;
            blocks.push(<pre key={key}><code>{code.join('\n')}</code></pre>);
        } else if (/^#{1,6}\s/.test(line)) {
            const level = line.indexOf(' ');
            const Tag = `h${Math.min(level + 2, 6)}` as 'h3';
            blocks.push(<Tag key={key}>{renderInline(line.slice(level + 1).trim(), key)}</Tag>);
            i++;
        } else if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
            blocks.push(<hr key={key}/>);
            i++;
        } else if (line.startsWith('>')) {
            const quoted: string[] = [];
            while (i < lines.length && lines[i].startsWith('>')) {
                quoted.push(lines[i++].replace(/^>\s?/, ''));
            }
            blocks.push(<blockquote key={key}>{renderBlocks(quoted.join('\n'))}</blockquote>);
        } else if (BULLET.test(line) || ORDERED.test(line)) {
            const pattern = BULLET.test(line) ? BULLET : ORDERED;
            const items: string[] = [];
            while (i < lines.length && pattern.test(lines[i])) {
                items.push((pattern.exec(lines[i++]) as RegExpExecArray)[1]);
            }
            const children = items.map((item, j) => <li key={j}>{renderInline(item, `${key}-${j}`)}</li>);
            blocks.push(pattern === BULLET ? <ul key={key}>{children}</ul> : <ol key={key}>{children}</ol>);
        } else if (line.includes('|') && i + 1 < lines.length && TABLE_SEPARATOR.test(lines[i + 1])) {
            const head = splitRow(line);
            const rows: string[][] = [];
            i += 2;
            while (i < lines.length && lines[i].includes('|')) {
                rows.push(splitRow(lines[i++]));
            }
            blocks.push(
                <table key={key}>
                    <thead><tr>{head.map((c, j) => <th key={j}>{renderInline(c, `${key}-h${j}`)}</th>)}</tr></thead>
                    <tbody>{rows.map((r, ri) => <tr key={ri}>{r.map((c, j) => <td key={j}>{renderInline(c, `${key}-${ri}-${j}`)}</td>)}</tr>)}</tbody>
                </table>,
            );
        } else {
            const para: string[] = [lines[i++]];
            while (i < lines.length && lines[i].trim() && !/^(```|#{1,6}\s|>)/.test(lines[i].trimStart()) &&
                !BULLET.test(lines[i]) && !ORDERED.test(lines[i])) {
                para.push(lines[i++]);
            }
            blocks.push(<p key={key}>{withBreaks(para, key)}</p>);
        }
    }
    return blocks;
}

export function Markdown({text}: {text: string}) {
    return <div className='dh-markdown'>{renderBlocks(text)}</div>;
}
