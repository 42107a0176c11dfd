import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { recordAudit } from './audit-trail.ts';
import { callerOfEvent } from './identity-events.consumer.ts';

/**
 * Who may see which documents is access too (DESIGN: every access change is audited), so the
 * documents service's sharing and file-type changes join the one trail: a document's entries show
 * in its account's trail, a file type's (installation-wide) in no account's. Applied once per event.
 */
export function documentsAccessAuditConsumer(): ConsumerDefinition {
  return defineConsumer({
    durableName: 'directory-on-documents-access-events',
    events: [
      'documents.document.created',
      'documents.document.sharing-changed',
      'documents.document.archived',
      'documents.file-type.changed',
    ],
    async handle(event, em) {
      const caller = callerOfEvent(event);
      switch (event.type) {
        case 'documents.file-type.changed':
          await recordAudit(em, caller, {
            entity: 'file-type',
            entityId: event.data.fileTypeId,
            action: 'updated',
            accountId: null,
            changes: event.data.changes,
          });
          return;
        case 'documents.document.created': {
          const { documentId, accountId, title, fileTypeId, sharing, sharedWithContactIds } = event.data;
          const facts = { title, fileTypeId, sharing, sharedWithContactIds };
          await recordAudit(em, caller, {
            entity: 'document',
            entityId: documentId,
            action: 'created',
            accountId,
            changes: Object.fromEntries(Object.entries(facts).map(([key, value]) => [key, { from: null, to: value }])),
          });
          return;
        }
        case 'documents.document.sharing-changed':
          await recordAudit(em, caller, {
            entity: 'document',
            entityId: event.data.documentId,
            action: 'sharing-changed',
            accountId: event.data.accountId,
            changes: { title: { from: event.data.title, to: event.data.title }, ...event.data.changes },
          });
          return;
        case 'documents.document.archived':
          await recordAudit(em, caller, {
            entity: 'document',
            entityId: event.data.documentId,
            action: 'archived',
            accountId: event.data.accountId,
            changes: { title: { from: event.data.title, to: event.data.title } },
          });
          return;
      }
    },
  });
}
