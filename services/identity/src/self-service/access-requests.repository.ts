import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { actorSchema, type AccessRequest, type ActionArgs, type Actor } from '@portal/contracts';
import { commonError, decodeCursor, pageFromRows, type CallerMeta } from '@portal/kit';

interface AccessRequestRow {
  id: string;
  name: string;
  email: string;
  company: string;
  message: string | null;
  status: AccessRequest['status'];
  created_at: Date | string;
  decided_at: Date | string | null;
  decided_by: unknown;
  account_id: string | null;
  contact_id: string | null;
  decision_reason: string | null;
}

const columns = `id, name, email, company, message, status, created_at, decided_at, decided_by, account_id, contact_id,
  decision_reason`;

const iso = (value: Date | string) => new Date(value).toISOString();

export function accessRequestOf(row: AccessRequestRow): AccessRequest {
  const decidedBy = typeof row.decided_by === 'string' ? JSON.parse(row.decided_by) : row.decided_by;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    company: row.company,
    message: row.message,
    status: row.status,
    createdAt: iso(row.created_at),
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
    decidedBy: decidedBy === null ? null : actorSchema.parse(decidedBy),
    contactId: row.contact_id,
    decisionReason: row.decision_reason,
  };
}

/** Queues a request; `null` when this e-mail already has one pending (nothing changes then). */
export async function insertAccessRequest(
  tx: EntityManager,
  input: ActionArgs<'identity.requestAccess'>,
  caller: CallerMeta,
): Promise<AccessRequest | null> {
  const [row] = await tx.execute<AccessRequestRow[]>(
    `insert into access_request (id, name, email, company, message, source_ip, request_id)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (email) where status = 'pending' do nothing
     returning ${columns}`,
    [randomUUID(), input.name, input.email, input.company, input.message ?? null, caller.sourceIp, caller.requestId],
  );
  return row ? accessRequestOf(row) : null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The queue by status, oldest first (keyset on creation time and id). */
export async function listAccessRequestPage(
  em: EntityManager,
  args: ActionArgs<'identity.listAccessRequests'>,
): Promise<{ items: AccessRequest[]; nextCursor: string | null }> {
  const params: unknown[] = [args.status];
  let after = '';
  if (args.cursor) {
    const [createdAt, id] = decodeCursor(args.cursor, 2);
    if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt)) || typeof id !== 'string') {
      throw commonError('INVALID_CURSOR');
    }
    if (!uuidPattern.test(id)) throw commonError('INVALID_CURSOR');
    after = 'and (created_at, id) > (?::timestamptz, ?::uuid)';
    params.push(createdAt, id);
  }
  const rows = await em.execute<AccessRequestRow[]>(
    `select ${columns} from access_request where status = ? ${after} order by created_at, id limit ?`,
    [...params, args.limit + 1],
  );
  return pageFromRows(rows, args.limit, accessRequestOf, (row) => [iso(row.created_at), row.id]);
}

/** The request, locked until the transaction ends (so two staff cannot decide it at once). */
export async function lockAccessRequest(tx: EntityManager, id: string): Promise<AccessRequest | undefined> {
  const [row] = await tx.execute<AccessRequestRow[]>(`select ${columns} from access_request where id = ? for update`, [
    id,
  ]);
  return row ? accessRequestOf(row) : undefined;
}

export interface AccessDecision {
  status: 'approved' | 'rejected';
  decidedBy: Actor;
  accountId: string | null;
  contactId: string | null;
  reason: string | null;
}

export async function recordAccessDecision(
  tx: EntityManager,
  id: string,
  decision: AccessDecision,
): Promise<AccessRequest> {
  const [row] = await tx.execute<AccessRequestRow[]>(
    `update access_request set status = ?, decided_at = now(), decided_by = ?::jsonb, account_id = ?, contact_id = ?,
       decision_reason = ?
     where id = ? and status = 'pending'
     returning ${columns}`,
    [decision.status, JSON.stringify(decision.decidedBy), decision.accountId, decision.contactId, decision.reason, id],
  );
  if (!row) throw new Error(`access request ${id} was not pending while locked`);
  return accessRequestOf(row);
}
