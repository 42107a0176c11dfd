import { commonErrors, type CommonErrorCode, type ErrorSpec, type ErrorTable } from './errors.ts';
import { directoryErrors, type DirectoryErrorCode } from './directory/errors.ts';
import { documentsErrors, type DocumentsErrorCode } from './documents/errors.ts';
import { gatewayErrors, type GatewayErrorCode } from './gateway/errors.ts';
import { identityErrors, type IdentityErrorCode } from './identity/errors.ts';
import { notificationsErrors, type NotificationsErrorCode } from './notifications/errors.ts';
import { submittalsErrors, type SubmittalsErrorCode } from './submittals/errors.ts';

/** Every error table, by owner. A code appears in exactly one table (a unit test walks them). */
export const errorTables = {
  common: commonErrors,
  gateway: gatewayErrors,
  directory: directoryErrors,
  identity: identityErrors,
  documents: documentsErrors,
  notifications: notificationsErrors,
  submittals: submittalsErrors,
} as const satisfies Record<string, ErrorTable>;

export type ErrorCode =
  | CommonErrorCode
  | GatewayErrorCode
  | DirectoryErrorCode
  | IdentityErrorCode
  | DocumentsErrorCode
  | NotificationsErrorCode
  | SubmittalsErrorCode;

const specByCode = new Map<string, ErrorSpec>(
  Object.values(errorTables).flatMap((table) => Object.entries(table) as [string, ErrorSpec][]),
);

/** The kind and default message of a stable code, from whichever table declares it. */
export function errorSpecOf(code: string): ErrorSpec | undefined {
  return specByCode.get(code);
}
