import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the documents service, with its kind and default message. */
export const documentsErrors = defineErrorTable({
  FILE_TYPE_NOT_FOUND: { kind: 'not_found', message: 'No such file type.' },
  DOCUMENT_NOT_FOUND: { kind: 'not_found', message: 'No such document.' },
  VERSION_NOT_FOUND: { kind: 'not_found', message: 'No such version of this document.' },
  UPLOAD_NOT_FOUND: { kind: 'not_found', message: 'No such upload; start the upload again.' },
  DOCUMENT_REQUEST_NOT_FOUND: { kind: 'not_found', message: 'No such document request.' },
  OWNER_NOT_FOUND: { kind: 'not_found', message: 'The account, site or project does not exist.' },
  FILE_TYPE_CODE_TAKEN: { kind: 'conflict', message: 'A file type with this code exists.' },
  FILE_TOO_LARGE: { kind: 'payload_too_large', message: 'The file is larger than its file type allows.' },
  CONTENT_TYPE_NOT_ALLOWED: {
    kind: 'unsupported_media_type',
    message: 'This file type does not accept files of this kind.',
  },
  CONTENT_MISMATCH: {
    kind: 'unsupported_media_type',
    message: 'The file is not what it was declared to be; it was deleted.',
  },
  UPLOAD_EXPIRED: { kind: 'rule_violation', message: 'The upload link has expired; start the upload again.' },
  UPLOAD_MISSING: { kind: 'rule_violation', message: 'No file arrived for this upload; send it before finalizing.' },
  UPLOAD_SIZE_MISMATCH: {
    kind: 'rule_violation',
    message: 'The stored file does not have the declared size; it was deleted.',
  },
  UPLOAD_CHECKSUM_MISMATCH: {
    kind: 'rule_violation',
    message: "The stored file does not match the client's SHA-256; it was deleted.",
  },
  FILE_NAME_INVALID: { kind: 'bad_request', message: 'The file name has no usable characters.' },
  VERSION_QUARANTINED: {
    kind: 'rule_violation',
    message: 'This version has not passed the malware scan and cannot be downloaded.',
  },
  DOCUMENT_ARCHIVED: { kind: 'rule_violation', message: 'The document is archived.' },
  DOCUMENT_REQUEST_CLOSED: { kind: 'rule_violation', message: 'The document request is no longer open.' },
  CONTACT_NOT_IN_ACCOUNT: {
    kind: 'rule_violation',
    message: "Some contacts do not belong to the owner's account.",
  },
});
export type DocumentsErrorCode = keyof typeof documentsErrors;
