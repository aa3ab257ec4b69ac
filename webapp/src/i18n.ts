// Every user-visible string of the plugin bundle, as react-intl descriptors (English defaults).
import {defineMessages} from 'react-intl';

export const messages = defineMessages({
    rhsTitle: {id: 'incidentcollab.rhs.title', defaultMessage: 'Incidents'},
    headerButton: {id: 'incidentcollab.header.button', defaultMessage: 'Incidents'},
    headerTooltip: {id: 'incidentcollab.header.tooltip', defaultMessage: 'Show incidents for this channel'},
    startFromPost: {id: 'incidentcollab.post.start', defaultMessage: 'Start incident from this message'},
    loading: {id: 'incidentcollab.rhs.loading', defaultMessage: 'Loading incidents…'},
    noChannel: {id: 'incidentcollab.rhs.noChannel', defaultMessage: 'Open a channel to see its incidents.'},
    empty: {id: 'incidentcollab.rhs.empty', defaultMessage: 'No incident in this channel'},
    emptyHint: {
        id: 'incidentcollab.rhs.emptyHint',
        defaultMessage: 'Start one to get a dedicated channel, a commander and a checklist.',
    },
    startIncident: {id: 'incidentcollab.rhs.start', defaultMessage: 'Start incident'},
    starting: {id: 'incidentcollab.rhs.starting', defaultMessage: 'Starting…'},
    startFailed: {id: 'incidentcollab.rhs.startFailed', defaultMessage: 'Could not start an incident: {error}'},
    loadFailed: {id: 'incidentcollab.rhs.loadFailed', defaultMessage: 'Could not load incidents: {error}'},
    retry: {id: 'incidentcollab.rhs.retry', defaultMessage: 'Retry'},
    healthFailed: {
        id: 'incidentcollab.rhs.healthFailed',
        defaultMessage: 'The incident service did not answer its health check.',
    },
    statusActive: {id: 'incidentcollab.status.active', defaultMessage: 'Active'},
    statusEnded: {id: 'incidentcollab.status.ended', defaultMessage: 'Ended'},
    privateBadge: {id: 'incidentcollab.incident.private', defaultMessage: 'Private'},
    tasks: {id: 'incidentcollab.incident.tasks', defaultMessage: '{done} of {total} tasks done'},
    started: {id: 'incidentcollab.incident.started', defaultMessage: 'Started {date}'},
    total: {
        id: 'incidentcollab.rhs.total',
        defaultMessage: '{total, plural, one {# incident} other {# incidents}}',
    },
});
