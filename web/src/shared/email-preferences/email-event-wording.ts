import type { EmailDelivery, EmailEventType } from '@portal/contracts';

/** Each e-mail kind as its reader knows it: a short label and when it is sent. */
export const emailEventWording: Record<EmailEventType, { label: string; description: string }> = {
  'submittal.sent': {
    label: 'Submittals sent to you',
    description: 'When your supplier sends you a submittal to review.',
  },
  'document-request.created': {
    label: 'New document requests',
    description: 'When your supplier asks you to upload a document.',
  },
  'submittal.returned': {
    label: 'Returned submittals',
    description: 'When a customer answers a submittal with a return code.',
  },
  'submittal.received': {
    label: 'Submittals from customers',
    description: 'When a customer sends a submittal with their files.',
  },
  'submittal.overdue': {
    label: 'Overdue submittals',
    description: 'When a sent submittal has not come back by its expected return date.',
  },
  'document-request.fulfilled': {
    label: 'Answered document requests',
    description: 'When a customer uploads the file a document request asked for.',
  },
  'access-request.received': {
    label: 'Access requests',
    description: 'When someone asks for a portal login from the login page.',
  },
};

/** The three choices, in the order they are offered. */
export const emailDeliveryChoices: { value: EmailDelivery; label: string }[] = [
  { value: 'immediately', label: 'Immediately' },
  { value: 'daily-digest', label: 'Daily digest' },
  { value: 'off', label: 'Off' },
];
