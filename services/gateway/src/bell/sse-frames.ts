/**
 * Server-Sent Events framing (WHATWG HTML, "Server-sent events"): fields are `name: value` lines,
 * a blank line ends an event, a line starting with `:` is a comment. Values never contain a line
 * break: `data` is split into one `data:` line per line; `id` and `event` refuse one.
 */
export interface SseEvent {
  id?: number | string;
  event?: string;
  data: string;
}

const singleLine = (field: string, value: string): string => {
  if (/[\r\n]/.test(value)) throw new Error(`an SSE ${field} cannot hold a line break`);
  return value;
};

export function sseEvent({ id, event, data }: SseEvent): string {
  let frame = '';
  if (id !== undefined) frame += `id: ${singleLine('id', String(id))}\n`;
  if (event !== undefined) frame += `event: ${singleLine('event', event)}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) frame += `data: ${line}\n`;
  return `${frame}\n`;
}

/** A comment frame: ignored by clients, keeps proxies and load balancers from timing the stream out. */
export function sseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}

/** How long a client waits before reconnecting after the stream ends. */
export function sseRetry(ms: number): string {
  return `retry: ${Math.max(0, Math.floor(ms))}\n\n`;
}

/**
 * Where a reconnecting stream resumes: the `Last-Event-ID` header (EventSource sends it on its own
 * reconnects), else the `lastEventId` query parameter (a first connect cannot set headers). A
 * sequence is a whole number; anything else (absent, empty, garbage) means "no replay".
 */
export function resumeAfterOf(header: string | string[] | undefined, query: string | null): number | null {
  const candidates = [Array.isArray(header) ? header[0] : header, query ?? undefined];
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const text = candidate.trim();
    if (!/^\d{1,15}$/.test(text)) continue;
    return Number(text);
  }
  return null;
}
