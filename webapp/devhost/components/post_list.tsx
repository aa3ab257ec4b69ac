// The current channel's posts (oldest first), loaded on channel change and kept live by WebSocket events.
import React, {useEffect, useRef, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import type {DevDispatch, DevState} from '../store';
import {loadPosts} from '../sync';
import {Post} from './post';

const NO_IDS: string[] = [];

export function PostList() {
    const dispatch = useDispatch<DevDispatch>();
    const channelId = useSelector((s: DevState) => s.entities.channels.currentChannelId);
    const ids = useSelector((s: DevState) => s.entities.posts.postsInChannel[channelId] ?? NO_IDS);
    const posts = useSelector((s: DevState) => s.entities.posts.posts);
    const [status, setStatus] = useState<{channelId: string; error: string}>();
    const end = useRef<HTMLDivElement>(null);

    useEffect(() => {
        let cancelled = false;
        dispatch(loadPosts(channelId)).then(
            () => !cancelled && setStatus({channelId, error: ''}),
            (err: unknown) => !cancelled && setStatus({channelId, error: err instanceof Error ? err.message : String(err)}),
        );
        return () => {
            cancelled = true;
        };
    }, [dispatch, channelId]);

    useEffect(() => {
        end.current?.scrollIntoView?.({block: 'end'});
    }, [ids.length]);

    const loading = status?.channelId !== channelId;
    return (
        <div className='dh-posts' aria-live='polite'>
            {loading && ids.length === 0 && <p className='dh-muted' data-testid='posts-loading'>Loading messages…</p>}
            {!loading && status?.error && <p role='alert' className='dh-error'>{`Could not load messages: ${status.error}`}</p>}
            {!loading && !status?.error && ids.length === 0 && <p className='dh-muted'>No messages yet.</p>}
            <ul data-testid='post-list'>
                {ids.map((id) => posts[id] && <Post key={id} post={posts[id]}/>)}
            </ul>
            <div ref={end}/>
        </div>
    );
}
