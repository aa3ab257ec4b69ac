// The post menu's "Add to incident timeline" modal, registered as a root component and opened through the plugin's
// slice: pick one of your active incidents in this team (the one of the post's channel preselected) and add the post
// to its timeline (`POST /incidents/{id}/timeline {post_id}`); the server's answer or refusal shows in the modal.
// Tab stays inside the modal, and Escape or Cancel gives focus back to where it was.
import React, {useLayoutEffect, useRef, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {useIntl} from 'react-intl';
import {client} from '../client';
import {messages} from '../i18n';
import {closeAddToTimeline, incidentDelta, selectCurrentTeamId, selectCurrentUserId, selectTimelineTarget} from '../reducer';
import type {TimelineTarget} from '../types';
import {errorText} from './format';
import {styles} from './styles';
import {useFocusTrap} from './use_focus_trap';
import {useLoad} from './use_team_data';

type Outcome = {ok: boolean; text: string};

function AddToTimelineModal({target}: {target: TimelineTarget}) {
    const intl = useIntl();
    const dispatch = useDispatch();
    const teamId = useSelector(selectCurrentTeamId);
    const userId = useSelector(selectCurrentUserId);
    const incidents = useLoad(teamId && userId ? `${teamId}:${userId}` : '', () => client.listMyIncidents(teamId, userId, true));
    const items = Array.isArray(incidents.data?.items) ? incidents.data.items : undefined;
    const [chosen, setChosen] = useState('');
    const [busy, setBusy] = useState(false);
    const [outcome, setOutcome] = useState<Outcome>();
    const dialog = useRef<HTMLDivElement>(null);
    const close = () => dispatch(closeAddToTimeline());
    const trapTab = useFocusTrap(dialog);
    const selected = chosen || items?.find((i) => i.channel_id === target.channelId)?.id || items?.[0]?.id || '';

    // A layout effect: focus moves in the same commit that renders the control, so nothing (a user's key, a test's
    // query) sees the new select while focus is still on the loading state's button.
    useLayoutEffect(() => {
        dialog.current?.querySelector<HTMLElement>('select, button')?.focus();
    }, [items]);

    const submit = async (e: React.FormEvent) => {
        e.preventDefault();
        setBusy(true);
        setOutcome(undefined);
        try {
            const answer = await client.addToTimeline(selected, target.postId);
            if (answer?.incident) {
                // The saved incident: views showing an older copy (its timeline) fetch it again.
                dispatch(incidentDelta({incident_id: answer.incident.id, version: answer.incident.version}));
            }
            const name = items?.find((i) => i.id === selected)?.reference ?? '';
            setOutcome({ok: true, text: answer?.message || intl.formatMessage(messages.addedToTimeline, {name})});
        } catch (err) {
            setOutcome({ok: false, text: errorText(err)});
        } finally {
            setBusy(false);
        }
    };

    let body: React.ReactNode;
    if (incidents.error) {
        body = <p role='alert' style={styles.error} data-testid='timeline-add-error'>{intl.formatMessage(messages.loadFailed, {error: incidents.error})}</p>;
    } else if (!items) {
        body = <p role='status' style={styles.muted} data-testid='timeline-add-loading'>{intl.formatMessage(messages.timelineLoading)}</p>;
    } else if (!items.length) {
        body = <p style={styles.muted} data-testid='timeline-add-empty'>{intl.formatMessage(messages.noMyIncidents)}</p>;
    } else {
        body = (
            <label style={styles.field}>
                <span style={styles.label}>{intl.formatMessage(messages.chooseIncident)}</span>
                <select style={styles.select} value={selected} disabled={busy || outcome?.ok} onChange={(e) => setChosen(e.target.value)}
                    data-testid='timeline-add-select'>
                    {items.map((i) => <option key={i.id} value={i.id}>{`${i.name} (${i.reference})`}</option>)}
                </select>
            </label>
        );
    }
    return (
        <div style={styles.backdrop} onClick={(e) => e.target === e.currentTarget && close()}>
            <div ref={dialog} role='dialog' aria-modal='true' aria-labelledby='incidentcollab-timeline-add-title' style={styles.modal}
                onKeyDown={(e) => (e.key === 'Escape' ? close() : trapTab(e))} data-testid='timeline-add-modal' data-post-id={target.postId}>
                <form onSubmit={submit}>
                    <h3 id='incidentcollab-timeline-add-title' style={styles.title}>{intl.formatMessage(messages.addToTimelineTitle)}</h3>
                    {body}
                    {outcome && (
                        <p role={outcome.ok ? 'status' : 'alert'} style={outcome.ok ? styles.body : styles.error}
                            data-testid={outcome.ok ? 'timeline-add-result' : 'timeline-add-error'}>
                            {outcome.text}
                        </p>
                    )}
                    <div style={{...styles.row, justifyContent: 'flex-end'}}>
                        <button type='button' style={styles.secondaryButton} onClick={close} data-testid='timeline-add-cancel'>
                            {intl.formatMessage(outcome?.ok ? messages.close : messages.cancel)}
                        </button>
                        {!outcome?.ok && (
                            <button type='submit' style={{...styles.primaryButton, marginTop: 0}} disabled={busy || !selected}
                                data-testid='timeline-add-submit'>
                                {intl.formatMessage(busy ? messages.adding : messages.add)}
                            </button>
                        )}
                    </div>
                </form>
            </div>
        </div>
    );
}

/** The root component: nothing until the post menu opens it. */
export function AddToTimeline() {
    const target = useSelector(selectTimelineTarget);
    return target ? <AddToTimelineModal key={target.postId} target={target}/> : null;
}
