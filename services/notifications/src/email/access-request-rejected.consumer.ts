import type { Transporter } from 'nodemailer';
import { defineConsumer, type ConsumerDefinition } from '@portal/kit';
import { recordEmail, wasMailed } from './email-log.repository.ts';
import type { EmailTemplateName, RenderEmail } from './email-templates.ts';

const template: EmailTemplateName = 'access-request-rejected';

export interface MailSettings {
  from: string;
  productName: string;
}

/**
 * The polite e-mail to someone whose access request staff rejected. Sent at least once: the log
 * row commits with the event's inbox row, so a crash between the SMTP answer and that commit
 * sends it again on redelivery; any later redelivery finds the row and sends nothing. No
 * preference governs it (the requester is nobody's recipient yet), so it has no unsubscribe link.
 */
export function accessRequestRejectedConsumer(deps: {
  mail: Transporter;
  render: RenderEmail;
  settings: MailSettings;
}): ConsumerDefinition {
  return defineConsumer({
    durableName: 'notifications-on-access-request-decided',
    events: ['identity.access-request.decided'],
    async handle(event, em) {
      const { decision, requester } = event.data;
      if (decision !== 'rejected' || !requester) return;
      if (await wasMailed(em, event.id, template, requester.email)) return;
      const email = deps.render(template, {
        name: requester.name,
        company: requester.company,
        productName: deps.settings.productName,
      });
      const sent = (await deps.mail.sendMail({ from: deps.settings.from, to: requester.email, ...email })) as {
        messageId?: string;
      };
      await recordEmail(em, {
        eventId: event.id,
        template,
        eventType: null,
        recipient: null,
        address: requester.email,
        subject: email.subject,
        status: 'sent',
        messageId: sent.messageId ?? null,
      });
    },
  });
}
