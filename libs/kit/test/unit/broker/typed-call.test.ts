import { describe, expect, it } from 'vitest';
import type moleculer from 'moleculer';
import { call, contractAction } from '../../../src/broker/typed-call.ts';

describe('typed call', () => {
  it('sends params in their input form so the receiving contract action parses them once', async () => {
    const action = contractAction('directory.listProjects', (params) => {
      expect(params).toMatchObject({ hidden: true, includeArchived: false, limit: 5 });
      return { items: [], nextCursor: null };
    });
    const accountId = '6b1f8a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b';
    // A caller that hands the params straight to the receiving handler, as the broker would.
    const caller = {
      call: (_name: string, params: unknown) =>
        (action.handler as (ctx: moleculer.Context) => Promise<unknown>)({ params } as moleculer.Context),
    };
    await expect(
      call(caller, 'directory.listProjects', { accountId, limit: '5', hidden: 'true' } as never),
    ).resolves.toEqual({ items: [], nextCursor: null });
  });

  it('refuses invalid params before they leave', async () => {
    const caller = { call: () => Promise.reject(new Error('must not be called')) };
    await expect(call(caller, 'directory.getAccount', { accountId: 'nope' })).rejects.toMatchObject({
      type: 'VALIDATION_FAILED',
    });
  });
});
