// Small formatting helpers shared by the incident views.

/** `2d 3h`, `1h 5m`, `4m`, `less than a minute` style durations (English units, short). */
export function formatDuration(ms: number): string {
    const minutes = Math.floor(Math.max(0, ms) / 60000);
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    if (days > 0) {
        return `${days}d ${hours}h`;
    }
    if (hours > 0) {
        return `${hours}h ${mins}m`;
    }
    return `${mins}m`;
}

/** The message of an error as the user should read it. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** How the views show a moment (react-intl `formatDate` options): "Dec 7, 2026, 8:36 PM" in English. */
export const DATE_TIME = {dateStyle: 'medium', timeStyle: 'short'} as const;
