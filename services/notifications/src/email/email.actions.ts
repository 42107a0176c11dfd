import type moleculer from 'moleculer';
import { contractAction, type TransactionalStore } from '@portal/kit';
import { notificationsError } from '../errors.ts';
import { sendDigests } from './email-digest.ts';
import type { EmailDeliveryDeps } from './email-delivery.ts';
import { listEmailLogPage } from './email-log.repository.ts';
import { emailTemplateNames, type EmailTemplateName, type EmailTemplates } from './email-templates.ts';

const isTemplateName = (name: string): name is EmailTemplateName => (emailTemplateNames as string[]).includes(name);

/** Staff's e-mail log and template preview, and the digest sweep's action. */
export function emailActions(
  store: TransactionalStore,
  templates: EmailTemplates,
  delivery: EmailDeliveryDeps,
): Record<string, moleculer.ActionSchema> {
  return {
    listEmailLog: contractAction('notifications.listEmailLog', (args) => listEmailLogPage(store.read(), args)),
    listEmailTemplates: contractAction('notifications.listEmailTemplates', () => ({
      items: emailTemplateNames.map((name) => ({
        name,
        overridden: templates.overridden.has(name),
        sampleData: templates.sampleOf(name),
      })),
    })),
    previewEmailTemplate: contractAction('notifications.previewEmailTemplate', ({ name, data }) => {
      if (!isTemplateName(name)) throw notificationsError('EMAIL_TEMPLATE_NOT_FOUND');
      try {
        return templates.render(name, {
          ...templates.sampleOf(name),
          productName: delivery.settings.productName,
          ...data,
        });
      } catch {
        // Every template rendered its sample at start: what fails now is the given values.
        throw notificationsError('EMAIL_TEMPLATE_DATA_INVALID');
      }
    }),
    sendDigests: contractAction('notifications.sendDigests', () => sendDigests(store, delivery)),
  };
}
