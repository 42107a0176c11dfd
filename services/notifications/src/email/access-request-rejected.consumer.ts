import type { Transporter } from 'nodemailer';
import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { logEmail, wasMailed } from './email-log.repository.ts';
import type { EmailTemplateName, RenderedEmail } from './email-templates.ts';

const template: EmailTemplateName = 'access-request-rejected';

export interface MailSettings {
  from: string;
  productName: string;
}

/**
 * The polite e-mail to someone whose access request staff rejected. Sent at least once: the log
 * row commits with the event's inbox row, so a crash between the SMTP answer and that commit
 * sends it again on redelivery; any later redelivery finds the row and sends nothing.
 */
export function accessRequestRejectedConsumer(deps: {
  mail: Transporter;
  render: (name: EmailTemplateName, data: Record<string, unknown>) => RenderedEmail;
  settings: MailSettings;
}): ConsumerDefinition {
  return defineConsumer({
    durableName: 'notifications-on-access-request-decided',
    events: ['identity.access-request.decided'],
    async handle(event, em) {
      const { decision, requester } = event.data;
      if (decision !== 'rejected' || !requester) return;
      if (await wasMailed(em, event.id, template)) return;
      const email = deps.render(template, {
        name: requester.name,
        company: requester.company,
        productName: deps.settings.productName,
      });
      const sent = (await deps.mail.sendMail({ from: deps.settings.from, to: requester.email, ...email })) as {
        messageId?: string;
      };
      await logEmail(em, {
        eventId: event.id,
        template,
        recipient: requester.email,
        subject: email.subject,
        messageId: sent.messageId ?? null,
      });
    },
  });
}
