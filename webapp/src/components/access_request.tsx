// What the incident page shows when the incident is missing or private to the user (the server answers both with
// the same 404): no real information, only a "Request access" button. The server's answer is the same for any id;
// within 15 minutes it answers 429 with when to ask again.
import React, {useState} from 'react';
import {useIntl} from 'react-intl';
import LockOutlineIcon from '@mattermost/compass-icons/components/lock-outline';
import {ApiError, client} from '../client';
import {messages} from '../i18n';
import {errorText} from './format';
import {styles} from './styles';

type Outcome = {kind: 'asked' | 'too_soon' | 'failed'; text: string};

export function AccessRequest({incidentId}: {incidentId: string}) {
    const intl = useIntl();
    const [busy, setBusy] = useState(false);
    const [outcome, setOutcome] = useState<Outcome>();

    const ask = async () => {
        setBusy(true);
        setOutcome(undefined);
        try {
            const answer = await client.requestAccess(incidentId);
            setOutcome({kind: 'asked', text: answer?.message ?? ''});
        } catch (err) {
            if (err instanceof ApiError && err.status === 429) {
                setOutcome({kind: 'too_soon', text: err.message});
            } else {
                setOutcome({kind: 'failed', text: intl.formatMessage(messages.actionFailed, {error: errorText(err)})});
            }
        } finally {
            setBusy(false);
        }
    };

    return (
        <div data-testid='incident-placeholder'>
            <h3 style={styles.title}>
                <LockOutlineIcon size={20}/>
                {intl.formatMessage(messages.notFound)}
            </h3>
            <p style={styles.muted}>{intl.formatMessage(messages.notFoundHint)}</p>
            <button type='button' style={styles.primaryButton} disabled={busy || outcome?.kind === 'asked'} onClick={ask}
                data-testid='incident-request-access'>
                {intl.formatMessage(busy ? messages.requesting : messages.requestAccess)}
            </button>
            {outcome?.kind === 'asked' && <p role='status' style={styles.body} data-testid='incident-request-result'>{outcome.text}</p>}
            {outcome?.kind === 'too_soon' && <p role='alert' style={styles.warning} data-testid='incident-request-result'>{outcome.text}</p>}
            {outcome?.kind === 'failed' && <p role='alert' style={styles.error} data-testid='incident-request-error'>{outcome.text}</p>}
        </div>
    );
}
