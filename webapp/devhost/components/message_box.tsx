// The message box: posts plain text, executes slash commands, and autocompletes registered command triggers.
import React, {useEffect, useState, type KeyboardEvent} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {api} from '../api';
import {actions, type DevDispatch, type DevState} from '../store';
import {loadChannels} from '../sync';
import type {AutocompleteCommand} from '../types';

/** Follows a command's `goto_location` when it names a channel of this team (`…/channels/<name>`). */
const gotoChannel = (location: string) => async (dispatch: DevDispatch, getState: () => DevState) => {
    const name = /\/channels\/([^/?#]+)/.exec(location)?.[1];
    if (!name) {
        return;
    }
    await dispatch(loadChannels());
    const channel = Object.values(getState().entities.channels.channels).find((c) => c.name === name);
    if (channel) {
        dispatch(actions.selectChannel(channel.id));
    }
};

function useCommands(teamId: string): AutocompleteCommand[] {
    const [loaded, setLoaded] = useState<{teamId: string; commands: AutocompleteCommand[]}>();
    useEffect(() => {
        if (!teamId) {
            return undefined;
        }
        let cancelled = false;
        api.getAutocomplete(teamId).then(
            (commands) => !cancelled && setLoaded({teamId, commands: Array.isArray(commands) ? commands : []}),
            () => !cancelled && setLoaded({teamId, commands: []}),
        );
        return () => {
            cancelled = true;
        };
    }, [teamId]);
    return loaded?.teamId === teamId ? loaded.commands : [];
}

export function MessageBox() {
    const dispatch = useDispatch<DevDispatch>();
    const channelId = useSelector((s: DevState) => s.entities.channels.currentChannelId);
    const teamId = useSelector((s: DevState) => s.entities.teams.currentTeamId);
    const commands = useCommands(teamId);
    const [text, setText] = useState('');
    const [error, setError] = useState('');
    const [sending, setSending] = useState(false);
    const [active, setActive] = useState(0);

    const suggestions = /^\/\S*$/.test(text) ? commands.filter((c) => `/${c.trigger}`.startsWith(text) && `/${c.trigger}` !== text) : [];
    const complete = (c: AutocompleteCommand) => {
        setText(`/${c.trigger} `);
        setActive(0);
    };

    const send = async () => {
        const message = text.trim();
        if (!message || !channelId || sending) {
            return;
        }
        setSending(true);
        setError('');
        try {
            if (message.startsWith('/')) {
                const response = await api.executeCommand(channelId, teamId, message);
                if (response?.goto_location) {
                    await dispatch(gotoChannel(response.goto_location));
                }
            } else {
                dispatch(actions.receivedPost(await api.createPost(channelId, message)));
            }
            setText('');
        } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
        } finally {
            setSending(false);
        }
    };

    const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
        if (suggestions.length && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
            e.preventDefault();
            setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
        } else if (suggestions.length && e.key === 'Tab') {
            e.preventDefault();
            complete(suggestions[Math.min(active, suggestions.length - 1)]);
        } else if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            send();
        }
    };

    return (
        <div className='dh-message-box'>
            {suggestions.length > 0 && (
                <ul role='listbox' aria-label='Slash commands' className='dh-suggestions' data-testid='slash-suggestions'>
                    {suggestions.map((c, i) => (
                        <li key={c.trigger} role='option' aria-selected={i === active} data-testid='slash-suggestion'
                            onMouseDown={(e) => {
                                e.preventDefault();
                                complete(c);
                            }}>
                            <strong>{`/${c.trigger}`}</strong> {c.auto_complete_hint} <span className='dh-muted'>{c.auto_complete_desc}</span>
                        </li>
                    ))}
                </ul>
            )}
            <div className='dh-compose'>
                <textarea value={text} rows={2} placeholder='Write a message or a /command (Enter sends, Shift+Enter new line)'
                    aria-label='Message' onChange={(e) => {
                        setText(e.target.value);
                        setActive(0);
                    }}
                    onKeyDown={onKeyDown} disabled={!channelId} data-testid='message-box'/>
                <button type='button' onClick={send} disabled={!channelId || sending || !text.trim()} data-testid='send-button'>Send</button>
            </div>
            {error && <p role='alert' className='dh-error' data-testid='message-error'>{error}</p>}
        </div>
    );
}
