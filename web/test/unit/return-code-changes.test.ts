import { describe, expect, it } from 'vitest';
import { defaultReturnCodes } from '@portal/contracts';
import { returnCodeChangeLines } from '../../src/admin/audit/return-code-changes.ts';
import { ApiError } from '../../src/shared/api/api-error.ts';

const defaults = [...defaultReturnCodes];

describe("an account's return-code change, in the audit trail's words", () => {
  it('says what was added', () => {
    const after = [...defaults, { code: 'F', label: 'Void by customer', stageComplete: false }];
    expect(returnCodeChangeLines(defaults, after)).toEqual([
      'added F · Void by customer (does not complete the stage)',
    ]);
  });

  it('says what was removed, renamed, flipped and reordered', () => {
    const after = [
      { code: 'B', label: 'Approved as noted', stageComplete: true },
      { code: 'A', label: 'Approved without notes', stageComplete: true },
      { code: 'C', label: 'Revise and resubmit', stageComplete: true },
      { code: 'E', label: 'For information', stageComplete: true },
    ];
    expect(returnCodeChangeLines(defaults, after)).toEqual([
      'renamed A · Approved to A · Approved without notes',
      'C · Revise and resubmit now completes the stage',
      'removed D · Rejected',
      'order now B, A, C, E',
    ]);
  });

  it('says so when only the default flag moved, and gives up on anything that is not a list', () => {
    expect(returnCodeChangeLines(defaults, defaults)).toEqual(['no change to the codes']);
    expect(returnCodeChangeLines(null, defaults)).toBeNull();
    expect(returnCodeChangeLines(defaults, 'A, B')).toBeNull();
  });
});

describe('field problems of a refused save', () => {
  it("reads the gateway's dotted paths, so a row's problem lands on that row", () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'The request is not valid.', 'req-1', [
      { path: 'codes.5.code', message: 'F is already in the list: each code appears once' },
      { path: ['codes', 2, 'label'], message: 'Required' },
    ]);
    expect(error.fieldErrors()).toEqual({
      'codes.5.code': 'F is already in the list: each code appears once',
      'codes.2.label': 'Required',
    });
  });
});
