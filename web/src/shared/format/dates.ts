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
