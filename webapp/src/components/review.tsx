// The incident's review line (ended incidents: duration, people involved, channel messages) and the download links
// for its Markdown and JSON export.
import React, {useEffect, useState} from 'react';
import {useIntl} from 'react-intl';
import {client, type Review} from '../client';
import {messages} from '../i18n';
import {formatDuration} from './format';
import {styles} from './styles';

export function ReviewAndExport({incidentId, ended, version}: {incidentId: string; ended: boolean; version: number}) {
    const intl = useIntl();
    const [review, setReview] = useState<Review>();
    useEffect(() => {
        if (!ended) {
            return undefined;
        }
        let cancelled = false;
        const valid = (r: Review | undefined) => (r && Array.isArray(r.member_ids) && typeof r.duration_ms === 'number' ? r : undefined);
        client.getReview(incidentId).then((r) => !cancelled && setReview(valid(r)), () => !cancelled && setReview(undefined));
        return () => {
            cancelled = true;
        };
    }, [incidentId, ended, version]);
    return (
        <section style={styles.section} data-testid='incident-review'>
            {ended && review && (
                <p style={styles.muted} data-testid='incident-review-numbers'>
                    {intl.formatMessage(messages.review, {
                        duration: formatDuration(review.duration_ms),
                        people: review.member_ids.length,
                        messages: review.messages,
                    })}
                </p>
            )}
            <div style={styles.row}>
                <span style={styles.muted}>{intl.formatMessage(messages.download)}</span>
                <a href={client.exportUrl(incidentId, 'markdown')} download data-testid='incident-export-markdown'>
                    {intl.formatMessage(messages.downloadMarkdown)}
                </a>
                <a href={client.exportUrl(incidentId, 'json')} download data-testid='incident-export-json'>
                    {intl.formatMessage(messages.downloadJson)}
                </a>
            </div>
        </section>
    );
}
