import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { recordAudit, type AuditChanges } from './audit-trail.ts';
import { callerOfEvent } from './identity-events.consumer.ts';

/**
 * Which codes an account's contacts may answer submittals with is the account's business rule, so
 * a change of its return-code list joins the one trail: entity `return-codes` of the account, the
 * lists before and after as the change. Applied once per event (the kit's inbox).
 */
export function submittalsReturnCodesAuditConsumer(): ConsumerDefinition {
  return defineConsumer({
    durableName: 'directory-on-submittals-return-code-events',
    events: ['submittals.return-codes.changed'],
    async handle(event, em) {
      const { accountId, change, before, after } = event.data;
      const changes: AuditChanges = { codes: { from: before.codes, to: after.codes } };
      if (before.isDefault !== after.isDefault) {
        changes['defaultList'] = { from: before.isDefault, to: after.isDefault };
      }
      await recordAudit(em, callerOfEvent(event), {
        entity: 'return-codes',
        entityId: accountId,
        action: change === 'reset' ? 'return-codes-reset' : 'return-codes-changed',
        accountId,
        changes,
      });
    },
  });
}
