import type { Notification } from '@portal/contracts';

/** One Server-Sent Events frame as an EventSource would dispatch it. */
export interface SseFrame {
  id: string | null;
  event: string;
  data: string;
}

export function parseSseFrame(block: string): SseFrame | null {
  const frame: SseFrame = { id: null, event: 'message', data: '' };
  const data: string[] = [];
  let fields = 0;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'retry') continue;
    fields += 1;
    if (name === 'id') frame.id = value;
    else if (name === 'event') frame.event = value;
    else if (name === 'data') data.push(value);
  }
  frame.data = data.join('\n');
  return fields === 0 ? null : frame;
}

export interface BellStreamOptions {
  /** The gateway's base URL, e.g. `http://127.0.0.1:8080`. */
  gatewayUrl: string;
  /** `/admin/notifications/stream` or `/portal/notifications/stream`. */
  path: string;
  token: string;
  /** Sent as `Last-Event-ID` (what an EventSource sends when it reconnects). */
  lastEventId?: number | undefined;
  /** Called for each `notification` frame as it arrives, with the arrival time (`performance.now()`). */
  onNotification?: (notification: Notification, arrivedAt: number) => void;
}

/** An open bell stream read with plain `fetch`. */
export interface OpenBellStream {
  status: number;
  frames: SseFrame[];
  notifications(): Notification[];
  /** The id of the last frame that had one (what EventSource would resume after). */
  lastEventId(): number | undefined;
  /** Resolves when the server ends the stream or it is closed here. */
  ended: Promise<void>;
  close(): void;
}

/** Opens a bell stream through the gateway and parses its frames as they arrive. */
export async function openBellStream(options: BellStreamOptions): Promise<OpenBellStream> {
  const controller = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' };
  if (options.lastEventId !== undefined) headers['last-event-id'] = String(options.lastEventId);
  const response = await fetch(`${options.gatewayUrl}/api/v1${options.path}`, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  let lastId: number | undefined = options.lastEventId;
  let markEnded = () => {};
  const ended = new Promise<void>((resolve) => {
    markEnded = resolve;
  });
  if (response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const arrivedAt = performance.now();
        buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseSseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (!frame) continue;
          frames.push(frame);
          if (frame.id !== null) lastId = Number(frame.id);
          if (frame.event === 'notification')
            options.onNotification?.(JSON.parse(frame.data) as Notification, arrivedAt);
        }
      }
    })()
      .catch(() => undefined)
      .finally(markEnded);
  } else {
    markEnded();
  }
  return {
    status: response.status,
    frames,
    notifications: () =>
      frames.filter((frame) => frame.event === 'notification').map((frame) => JSON.parse(frame.data) as Notification),
    lastEventId: () => lastId,
    ended,
    close: () => controller.abort(),
  };
}
