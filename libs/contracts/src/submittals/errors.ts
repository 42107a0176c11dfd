import { defineErrorTable } from '../errors.ts';

/** Every stable error code of the submittals service, with its kind and default message. */
export const submittalsErrors = defineErrorTable({
  SUBMITTAL_NOT_FOUND: { kind: 'not_found', message: 'No such submittal.' },
  INCOMING_SUBMITTAL_NOT_FOUND: { kind: 'not_found', message: 'No such submittal from the customer.' },
  SUBMITTAL_FILE_NOT_FOUND: { kind: 'not_found', message: 'No such file in this submittal.' },
  SUBMITTAL_PROJECT_NOT_FOUND: { kind: 'not_found', message: 'No such project.' },
  SUBMITTAL_ACCOUNT_NOT_FOUND: { kind: 'not_found', message: 'No such account.' },
  SUBMITTAL_WRONG_STATUS: {
    kind: 'rule_violation',
    message: 'The submittal is not in a status that allows this.',
  },
  SUBMITTAL_HAS_NO_FILES: { kind: 'rule_violation', message: 'A submittal needs at least one file to be sent.' },
  RETURN_CODE_UNKNOWN: { kind: 'rule_violation', message: "The return code is not in the account's list." },
  REVISION_NOT_ALLOWED: {
    kind: 'rule_violation',
    message:
      'A next revision needs a returned submittal whose return code is not stage-complete, and no later revision.',
  },
  VERSIONS_NOT_USABLE: {
    kind: 'rule_violation',
    message: "Some files are not clean document versions of the project's account that may be used here.",
  },
});
export type SubmittalsErrorCode = keyof typeof submittalsErrors;
