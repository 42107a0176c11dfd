import { Badge } from '@mantine/core';
import { emailStatuses, type EmailEventType, type EmailStatus } from '@portal/contracts';

/**
 * The e-mails in staff's words: what each template is and when it goes out. The service's names
 * are fixed (an override folder replaces a template's files, never adds one); a name missing here
 * still shows, as itself.
 */
const templateWords: Record<string, { title: string; when: string }> = {
  'submittal-sent': {
    title: 'Submittal sent',
    when: 'To the project’s contacts when staff send a submittal with e-mail on.',
  },
  'submittal-returned': { title: 'Submittal returned', when: 'To staff when a customer answers a submittal.' },
  'submittal-received': {
    title: 'Submittal received',
    when: 'To staff when a customer sends a submittal of their own.',
  },
  'submittal-overdue': {
    title: 'Submittal overdue',
    when: 'To staff when a submittal’s expected return date has passed without an answer.',
  },
  'document-request-created': {
    title: 'Document requested',
    when: 'To the contacts staff ask for a document.',
  },
  'document-request-fulfilled': {
    title: 'Document request answered',
    when: 'To staff when a customer uploads a requested document.',
  },
  'access-request-received': {
    title: 'Access request received',
    when: 'To staff when a visitor asks for a portal login.',
  },
  'access-request-rejected': {
    title: 'Access request rejected',
    when: 'To the visitor whose request for a portal login was rejected.',
  },
  digest: { title: 'Daily digest', when: 'Once a day, gathering the messages a recipient chose to get as a digest.' },
};

export const templateTitleOf = (name: string): string => templateWords[name]?.title ?? name;
export const templateWhenOf = (name: string): string | null => templateWords[name]?.when ?? null;

const eventTypeWords: Record<EmailEventType, string> = {
  'submittal.sent': 'Submittal sent',
  'submittal.returned': 'Submittal returned',
  'submittal.received': 'Submittal received',
  'submittal.overdue': 'Submittal overdue',
  'document-request.created': 'Document requested',
  'document-request.fulfilled': 'Document request answered',
  'access-request.received': 'Access request received',
};
/** The event type as a person reads it; the log's type is a plain string, so an unknown one shows as itself. */
export const eventTypeTitleOf = (eventType: string): string =>
  (eventTypeWords as Record<string, string>)[eventType] ?? eventType;

/** Each status's word, colour and what it means for the recipient (the legend under the filters). */
export const emailStatusWords: Record<EmailStatus, { label: string; color: string; meaning: string }> = {
  queued: { label: 'Queued', color: 'blue', meaning: 'Accepted, not yet handed to the mail relay.' },
  sent: { label: 'Sent', color: 'green', meaning: 'Handed to the mail relay.' },
  failed: { label: 'Failed', color: 'red', meaning: 'The last try failed (see Error); it is tried again.' },
  held: { label: 'Held', color: 'yellow', meaning: 'Waits for the recipient’s daily digest, by their choice.' },
  suppressed: {
    label: 'Suppressed',
    color: 'gray',
    meaning: 'Not sent: the recipient turned this kind of e-mail off.',
  },
};

export const emailStatusOptions = emailStatuses.map((status) => ({
  value: status,
  label: emailStatusWords[status].label,
}));

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  const words = emailStatusWords[status];
  return (
    <Badge size="sm" variant="light" color={words.color}>
      {words.label}
    </Badge>
  );
}
