import type moleculer from 'moleculer';
import type { Project } from '@portal/contracts';
import { callerOf, contractAction } from '@portal/kit';
import { accountNotFound, archivedError, liveAccountForChange } from '../accounts/accounts.actions.ts';
import { findAccount } from '../accounts/accounts.repository.ts';
import { changesBetween } from '../audit/audit-trail.ts';
import { recordChange } from '../audit/record-change.ts';
import { definedFields } from '../domain/patch.ts';
import type { DirectoryStore } from '../persistence/directory-store.ts';
import { requireSiteOfAccount } from '../sites/sites.actions.ts';
import {
  archiveProjectRow,
  findProject,
  insertProject,
  listProjectPage,
  projectAuditFields,
  updateProjectRow,
} from './projects.repository.ts';
import { directoryError } from '../errors.ts';

const projectNotFound = () => directoryError('PROJECT_NOT_FOUND');

/** What consumers need to re-evaluate visibility without asking back. */
function visibilityFacts(project: Project) {
  return {
    projectId: project.id,
    accountId: project.accountId,
    siteId: project.siteId,
    hidden: project.hidden,
    completed: project.completed,
  };
}

export function projectActions(store: DirectoryStore): Record<string, moleculer.ActionSchema> {
  return {
    listProjects: contractAction('directory.listProjects', async (args) => {
      const em = store.read();
      if (!(await findAccount(em, args.accountId))) throw accountNotFound();
      return listProjectPage(em, args);
    }),

    getProject: contractAction('directory.getProject', async ({ projectId }) => {
      const project = await findProject(store.read(), projectId);
      if (!project) throw projectNotFound();
      return project;
    }),

    createProject: contractAction('directory.createProject', ({ accountId, siteId, ...fields }, ctx) =>
      store.change(async (tx) => {
        await liveAccountForChange(tx, accountId);
        if (siteId) await requireSiteOfAccount(tx, accountId, siteId);
        const created = await insertProject(tx, { accountId, siteId: siteId ?? null, ...fields });
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'project',
            entityId: created.id,
            action: 'created',
            accountId,
            changes: changesBetween(null, created, projectAuditFields),
          },
          { type: 'directory.project.created', data: visibilityFacts(created) },
        );
        return created;
      }),
    ),

    updateProject: contractAction('directory.updateProject', ({ projectId, ...patch }, ctx) =>
      store.change(async (tx) => {
        const before = await findProject(tx, projectId, { forUpdate: true });
        if (!before) throw projectNotFound();
        if (before.archivedAt) throw archivedError('project');
        const next: Project = { ...before, ...definedFields(patch) };
        const changes = changesBetween(before, next, projectAuditFields);
        if (Object.keys(changes).length === 0) return before;
        if (next.siteId && next.siteId !== before.siteId) await requireSiteOfAccount(tx, before.accountId, next.siteId);
        const updated = await updateProjectRow(tx, next);
        await recordChange(
          tx,
          callerOf(ctx),
          { entity: 'project', entityId: projectId, action: 'updated', accountId: before.accountId, changes },
          { type: 'directory.project.updated', data: { ...visibilityFacts(updated), changed: Object.keys(changes) } },
        );
        return updated;
      }),
    ),

    archiveProject: contractAction('directory.archiveProject', ({ projectId }, ctx) =>
      store.change(async (tx) => {
        const before = await findProject(tx, projectId, { forUpdate: true });
        if (!before) throw projectNotFound();
        if (before.archivedAt) return before;
        const archived = await archiveProjectRow(tx, projectId);
        await recordChange(
          tx,
          callerOf(ctx),
          {
            entity: 'project',
            entityId: projectId,
            action: 'archived',
            accountId: before.accountId,
            changes: changesBetween(before, archived, ['archivedAt']),
          },
          { type: 'directory.project.archived', data: { projectId, accountId: before.accountId } },
        );
        return archived;
      }),
    ),
  };
}
