// Unit tests for the safe Markdown renderer: markup in text stays text, unsafe links stay text, basic syntax renders.
import React from 'react';
import {describe, expect, it} from 'vitest';
import {render} from '@testing-library/react';
import {Markdown, safeHref} from './markdown';

const html = (text: string) => render(<Markdown text={text}/>).container;

describe('Markdown', () => {
    it('renders HTML in the source as literal text', () => {
        const c = html('<img src=x onerror="alert(1)"> <script>alert(2)</script> **<b>bold</b>**');
        expect(c.querySelector('img, script, b')).toBeNull();
        expect(c.textContent).toContain('<img src=x onerror="alert(1)">');
        expect(c.querySelector('strong')?.textContent).toBe('<b>bold</b>');
    });

    it('keeps javascript: and data: links as text', () => {
        const c = html('[click](javascript:alert(1)) [d](data:text/html,x) [ok](https://example.com/a)');
        const links = [...c.querySelectorAll('a')];
        expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a']);
        expect(links[0].getAttribute('rel')).toBe('noopener noreferrer');
        expect(c.textContent).toContain('[click](javascript:alert(1))');
    });

    it('renders code without interpreting its content', () => {
        const c = html('```\n<b>x</b> **y**\n```\nand `<i>z</i>`');
        expect(c.querySelector('pre code')?.textContent).toBe('<b>x</b> **y**');
        expect(c.querySelector('p code')?.textContent).toBe('<i>z</i>');
        expect(c.querySelector('b, i')).toBeNull();
    });

    it('renders headings, lists, quotes, tables, emphasis and line breaks', () => {
        const c = html('#### Title\n- one\n- *two*\n\n1. first\n> quoted\n\n| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\nline1\nline2');
        expect(c.querySelector('h6')?.textContent).toBe('Title');
        expect(c.querySelectorAll('ul li')).toHaveLength(2);
        expect(c.querySelector('ul em')?.textContent).toBe('two');
        expect(c.querySelector('ol li')?.textContent).toBe('first');
        expect(c.querySelector('blockquote')?.textContent).toBe('quoted');
        expect(c.querySelector('td del')?.textContent).toBe('2');
        expect(c.querySelectorAll('p br')).toHaveLength(1);
    });

    it('terminates on indented block markers', () => {
        expect(html('  # not a heading\n  > not a quote').textContent).toContain('not a heading');
    });
});

describe('safeHref', () => {
    it('allows http(s), mailto and same-origin paths only', () => {
        expect(safeHref('https://x')).toBe('https://x');
        expect(safeHref('mailto:a@b')).toBe('mailto:a@b');
        expect(safeHref('/team/channels/x')).toBe('/team/channels/x');
        expect(safeHref('//evil.example')).toBeUndefined();
        expect(safeHref('JavaScript:alert(1)')).toBeUndefined();
        expect(safeHref('vbscript:x')).toBeUndefined();
    });
});
