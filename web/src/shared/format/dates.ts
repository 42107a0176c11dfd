const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A timestamp from the API in the browser's locale and time zone. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** A calendar date (`YYYY-MM-DD` or a timestamp) in the browser's locale. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  // A bare date is a calendar day, not midnight UTC: read it as local so no zone shifts it a day.
  const date = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T00:00:00`) : new Date(iso);
  return dateOnly.format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const relativeSteps: [limitSeconds: number, unit: Intl.RelativeTimeFormatUnit, seconds: number][] = [
  [60 * 60, 'minute', 60],
  [24 * 60 * 60, 'hour', 60 * 60],
  [7 * 24 * 60 * 60, 'day', 24 * 60 * 60],
];

/**
 * How long ago, in words of the browser's locale: "just now" under a minute, then "5 minutes ago",
 * "2 hours ago", "yesterday"; a week or more is the date itself.
 */
export function formatRelativeTime(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  for (const [limit, unit, size] of relativeSteps) {
    if (seconds < limit) return relative.format(-Math.floor(seconds / size), unit);
  }
  return formatDate(iso);
}
