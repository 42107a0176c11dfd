import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface EmailLogEntry {
  eventId: string;
  template: string;
  recipient: string;
  subject: string;
  messageId: string | null;
}

/** Whether this event's e-mail of this template was already sent (and its consumer's apply committed). */
export async function wasMailed(em: EntityManager, eventId: string, template: string): Promise<boolean> {
  const rows = await em.execute<{ id: string }[]>('select id from email_log where event_id = ? and template = ?', [
    eventId,
    template,
  ]);
  return rows.length > 0;
}

export async function logEmail(em: EntityManager, entry: EmailLogEntry): Promise<void> {
  await em.execute(
    `insert into email_log (id, event_id, template, recipient, subject, message_id) values (?, ?, ?, ?, ?, ?)
     on conflict (event_id, template) do nothing`,
    [randomUUID(), entry.eventId, entry.template, entry.recipient, entry.subject, entry.messageId],
  );
}
