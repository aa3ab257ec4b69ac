// One post: author, time, safely rendered Markdown, attachments, the "(only visible to you)" mark, and the plugin post menu.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import {Markdown} from '../markdown';
import {EPHEMERAL_TYPE, type DevState} from '../store';
import type {DevPost} from '../types';
import {Attachments} from './attachments';
import {PluginErrorBoundary, Resolve} from './plugin_ui';

function PostMenu({postId}: {postId: string}) {
    const [open, setOpen] = useState(false);
    const items = useSelector((s: DevState) => s.plugins.components.PostDropdownMenu);
    const visible = items.filter((item) => !item.filter || item.filter(postId));
    if (!visible.length) {
        return null;
    }
    return (
        <div className='dh-post-menu' onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
            onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
            <button type='button' className='dh-icon-button' aria-haspopup='menu' aria-expanded={open} aria-label='Message actions'
                onClick={() => setOpen(!open)} data-testid='post-menu-button'>
                ⋯
            </button>
            {open && (
                <ul role='menu' data-testid='post-menu'>
                    {visible.map((item) => (
                        <li key={item.id} role='none'>
                            <button type='button' role='menuitem' data-testid='post-menu-item' data-plugin-id={item.pluginId}
                                onClick={() => {
                                    setOpen(false);
                                    item.action(postId);
                                }}>
                                <PluginErrorBoundary pluginId={item.pluginId}><Resolve value={item.text}/></PluginErrorBoundary>
                            </button>
                        </li>
                    ))}
                </ul>
            )}
        </div>
    );
}

export function Post({post}: {post: DevPost}) {
    const author = useSelector((s: DevState) => s.entities.users.profiles[post.user_id]);
    const ephemeral = post.type === EPHEMERAL_TYPE;
    return (
        <li className={ephemeral ? 'dh-post dh-ephemeral' : 'dh-post'} data-testid={ephemeral ? 'ephemeral' : 'post'} data-post-id={post.id}>
            <div className='dh-post-head'>
                <strong>{ephemeral ? 'System' : `@${author?.username ?? post.user_id}`}</strong>
                <time dateTime={new Date(post.create_at).toISOString()}>{new Date(post.create_at).toLocaleTimeString()}</time>
                {ephemeral && <span className='dh-muted'>(only visible to you)</span>}
                {!ephemeral && <PostMenu postId={post.id}/>}
            </div>
            <Markdown text={post.message}/>
            <Attachments post={post}/>
        </li>
    );
}
