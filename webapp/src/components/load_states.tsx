// The loading and load-failed states the incident views share (same test ids everywhere, so tests and users see
// one behaviour).
import React from 'react';
import {useIntl} from 'react-intl';
import {messages} from '../i18n';
import {styles} from './styles';

/** "Loading…" (or `text`), announced politely to screen readers. */
export function Loading({text = messages.loading}: {text?: typeof messages.loading}) {
    const intl = useIntl();
    return <p role='status' style={styles.muted} data-testid='incident-loading'>{intl.formatMessage(text)}</p>;
}

/** The load error with a Retry button. */
export function LoadFailed({message, onRetry}: {message: string; onRetry(): void}) {
    const intl = useIntl();
    return (
        <div data-testid='incident-error'>
            <p role='alert' style={styles.error}>{intl.formatMessage(messages.loadFailed, {error: message})}</p>
            <button type='button' style={styles.secondaryButton} onClick={onRetry}>{intl.formatMessage(messages.retry)}</button>
        </div>
    );
}
