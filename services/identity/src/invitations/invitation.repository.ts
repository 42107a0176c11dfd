import { randomUUID } from 'node:crypto';
import type { Actor, Invitation } from '@portal/contracts';
import { commonError, decodeCursor, pageFromRows, type ServiceEntityManager } from '@portal/kit';

interface InvitationRow {
  id: string;
  contact_id: string;
  account_id: string;
  email: string;
  identity_user_id: string;
  status: Invitation['status'];
  invited_by: Actor | string;
  invited_at: Date | string;
  expires_at: Date | string;
  resent_at: Date | string | null;
  sends: number;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (value: Date | string): string => new Date(value).toISOString();

function toInvitation(row: InvitationRow): Invitation {
  return {
    contactId: row.contact_id,
    accountId: row.account_id,
    email: row.email,
    status: row.status,
    invitedBy: typeof row.invited_by === 'string' ? (JSON.parse(row.invited_by) as Actor) : row.invited_by,
    invitedAt: iso(row.invited_at),
    expiresAt: iso(row.expires_at),
    resentAt: row.resent_at === null ? null : iso(row.resent_at),
    sends: row.sends,
  };
}

export interface PendingInvitation extends Invitation {
  id: string;
  identityUserId: string;
}

function toPending(row: InvitationRow): PendingInvitation {
  return { ...toInvitation(row), id: row.id, identityUserId: row.identity_user_id };
}

export async function pendingInvitationOf(
  em: ServiceEntityManager,
  contactId: string,
  options: { forUpdate?: boolean } = {},
): Promise<PendingInvitation | undefined> {
  const [row] = await em.execute<InvitationRow[]>(
    `select * from invitation where contact_id = ? and status = 'pending'${options.forUpdate ? ' for update' : ''}`,
    [contactId],
  );
  return row ? toPending(row) : undefined;
}

export async function insertInvitation(
  em: ServiceEntityManager,
  invitation: {
    contactId: string;
    accountId: string;
    email: string;
    identityUserId: string;
    invitedBy: Actor;
    expiresAt: Date;
  },
): Promise<Invitation> {
  const [row] = await em.execute<InvitationRow[]>(
    `insert into invitation (id, contact_id, account_id, email, identity_user_id, status, invited_by, expires_at)
     values (?, ?, ?, ?, ?, 'pending', ?::jsonb, ?) returning *`,
    [
      randomUUID(),
      invitation.contactId,
      invitation.accountId,
      invitation.email,
      invitation.identityUserId,
      JSON.stringify(invitation.invitedBy),
      invitation.expiresAt.toISOString(),
    ],
  );
  return toInvitation(row as InvitationRow);
}

export async function markResent(em: ServiceEntityManager, id: string, expiresAt: Date): Promise<Invitation> {
  const [row] = await em.execute<InvitationRow[]>(
    'update invitation set resent_at = now(), sends = sends + 1, expires_at = ? where id = ? returning *',
    [expiresAt.toISOString(), id],
  );
  return toInvitation(row as InvitationRow);
}

export async function closeInvitation(
  em: ServiceEntityManager,
  id: string,
  status: 'accepted' | 'expired' | 'cancelled',
): Promise<void> {
  await em.execute("update invitation set status = ?, closed_at = now() where id = ? and status = 'pending'", [
    status,
    id,
  ]);
}

/** Pending invitations whose link has expired (by the database clock), oldest first, locked for this sweep. */
export async function expiredPendingInvitations(em: ServiceEntityManager, limit: number): Promise<PendingInvitation[]> {
  const rows = await em.execute<InvitationRow[]>(
    `select * from invitation where status = 'pending' and expires_at <= now()
     order by expires_at limit ? for update skip locked`,
    [limit],
  );
  return rows.map(toPending);
}

/** Pending invitations still running, for the acceptance check. */
export async function livePendingInvitations(em: ServiceEntityManager, limit: number): Promise<PendingInvitation[]> {
  const rows = await em.execute<InvitationRow[]>(
    `select * from invitation where status = 'pending' and expires_at > now()
     order by invited_at limit ? for update skip locked`,
    [limit],
  );
  return rows.map(toPending);
}

export async function invitationPage(
  em: ServiceEntityManager,
  params: { status: Invitation['status']; accountId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<{ items: Invitation[]; nextCursor: string | null }> {
  const where = ['status = ?'];
  const values: unknown[] = [params.status];
  if (params.accountId) {
    where.push('account_id = ?');
    values.push(params.accountId);
  }
  if (params.cursor) {
    const [invitedAt, id] = decodeCursor(params.cursor, 2);
    if (
      typeof invitedAt !== 'string' ||
      typeof id !== 'string' ||
      !uuidPattern.test(id) ||
      Number.isNaN(Date.parse(invitedAt))
    ) {
      throw commonError('INVALID_CURSOR');
    }
    where.push('(invited_at, id) < (?::timestamptz, ?::uuid)');
    values.push(invitedAt, id);
  }
  const rows = await em.execute<InvitationRow[]>(
    `select * from invitation where ${where.join(' and ')} order by invited_at desc, id desc limit ?`,
    [...values, params.limit + 1],
  );
  return pageFromRows(rows, params.limit, toInvitation, (row) => [iso(row.invited_at), row.id]);
}
