// Slack-style message attachments of a post, with their buttons and selects wired to POST /api/v4/posts/{id}/actions/{action_id}.
import React, {useState} from 'react';
import {useDispatch} from 'react-redux';
import type {MessageAttachment} from '@mattermost/types/message_attachments';
import {api} from '../api';
import {actions, type DevDispatch} from '../store';
import {addEphemeral} from '../sync';
import {Markdown} from '../markdown';
import type {DevPost} from '../types';

export function Attachments({post}: {post: DevPost}) {
    const dispatch = useDispatch<DevDispatch>();
    const [error, setError] = useState('');
    const attachments: MessageAttachment[] = Array.isArray(post.props?.attachments) ? post.props.attachments : [];
    if (!attachments.length) {
        return null;
    }

    const run = async (actionId: string, selected?: string) => {
        setError('');
        try {
            const result = await api.doPostAction(post.id, actionId, selected);
            if (result?.update) {
                dispatch(actions.receivedPost(result.update));
            }
            if (result?.ephemeral_text) {
                dispatch(addEphemeral(post.channel_id, result.ephemeral_text));
            }
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        }
    };

    return (
        <div>
            {attachments.map((a, i) => (
                <div key={i} className='dh-attachment' style={{borderLeftColor: a.color || undefined}} data-testid='attachment'>
                    {a.pretext && <Markdown text={a.pretext}/>}
                    {a.title && <div className='dh-attachment-title'>{a.title}</div>}
                    {a.text && <Markdown text={a.text}/>}
                    {a.fields?.map((f, j) => (
                        <div key={j} className='dh-field'><strong>{f.title}</strong> <Markdown text={String(f.value ?? '')}/></div>
                    ))}
                    <div className='dh-actions'>
                        {a.actions?.map((action) => (action.type === 'select' ? (
                            <select key={action.id} aria-label={action.name} defaultValue='' data-testid='attachment-select' data-action-id={action.id}
                                onChange={(e) => action.id && run(action.id, e.target.value)}>
                                <option value='' disabled>{action.name}</option>
                                {action.options?.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
                            </select>
                        ) : (
                            <button key={action.id} type='button' data-testid='attachment-button' data-action-id={action.id}
                                onClick={() => action.id && run(action.id)}>
                                {action.name}
                            </button>
                        )))}
                    </div>
                </div>
            ))}
            {error && <p role='alert' className='dh-error'>{error}</p>}
        </div>
    );
}
