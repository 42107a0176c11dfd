import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import type { Site } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { accountNotFound, archivedError, liveAccountForChange } from '../accounts/accounts.actions.ts';
import { findAccount } from '../accounts/accounts.repository.ts';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange } from '../audit/record-change.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import {
  archiveSiteRow,
  findSite,
  insertSite,
  listSitePage,
  siteAuditFields,
  updateSiteRow,
} from './sites.repository.ts';
import { directoryError } from '../errors.ts';

const siteNotFound = () => directoryError('SITE_NOT_FOUND');
const emptyAddress: Site['address'] = { line1: null, line2: null, city: null, postalCode: null, country: null };

/**
 * A site referenced from a project or contact of `accountId`: it must be a live site of that
 * account (422 otherwise; a site of another account is not this caller's business).
 */
export async function requireSiteOfAccount(tx: EntityManager, accountId: string, siteId: string): Promise<Site> {
  const site = await findSite(tx, siteId);
  if (!site || site.accountId !== accountId || site.archivedAt) {
    const message = 'siteId must name a live site of the same account.';
    throw directoryError('SITE_NOT_IN_ACCOUNT', { message, details: [{ path: 'siteId', message }] });
  }
  return site;
}

export function siteActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listSites: contractAction('directory.listSites', async (args) => {
      const em = store.read();
      if (!(await findAccount(em, args.accountId))) throw accountNotFound();
      return listSitePage(em, args);
    }),

    getSite: contractAction('directory.getSite', async ({ siteId }) => {
      const site = await findSite(store.read(), siteId);
      if (!site) throw siteNotFound();
      return site;
    }),

    createSite: contractAction('directory.createSite', ({ accountId, code, name, address }, ctx) =>
      store.change(async (tx) => {
        await liveAccountForChange(tx, accountId);
        const created = await insertSite(tx, { accountId, code, name, address: { ...emptyAddress, ...address } });
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'site',
            entityId: created.id,
            action: 'created',
            accountId,
            changes: changesBetween(null, created, siteAuditFields),
          },
          { type: 'directory.site.created', data: { siteId: created.id, accountId } },
        );
        return created;
      }),
    ),

    updateSite: contractAction('directory.updateSite', ({ siteId, address, ...patch }, ctx) =>
      store.change(async (tx) => {
        const before = await findSite(tx, siteId, { forUpdate: true });
        if (!before) throw siteNotFound();
        if (before.archivedAt) throw archivedError('site');
        const next: Site = {
          ...before,
          ...definedFields(patch),
          address: { ...before.address, ...definedFields(address ?? {}) },
        };
        const changes = changesBetween(before, next, siteAuditFields);
        if (Object.keys(changes).length === 0) return before;
        const updated = await updateSiteRow(tx, next);
        await recordChange(
          tx,
          callerOf(ctx),
          { entity: 'site', entityId: siteId, action: 'updated', accountId: before.accountId, changes },
          {
            type: 'directory.site.updated',
            data: { siteId, accountId: before.accountId, changed: Object.keys(changes) },
          },
        );
        return updated;
      }),
    ),

    archiveSite: contractAction('directory.archiveSite', ({ siteId }, ctx) =>
      store.change(async (tx) => {
        const before = await findSite(tx, siteId, { forUpdate: true });
        if (!before) throw siteNotFound();
        if (before.archivedAt) return before;
        const archived = await archiveSiteRow(tx, siteId);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'site',
            entityId: siteId,
            action: 'archived',
            accountId: before.accountId,
            changes: changesBetween(before, archived, ['archivedAt']),
          },
          { type: 'directory.site.archived', data: { siteId, accountId: before.accountId } },
        );
        return archived;
      }),
    ),
  };
}
