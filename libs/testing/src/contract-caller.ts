import type moleculer from 'moleculer';
import { actionContracts, type ActionName, type ActionParams, type ActionResult } from '@portal/contracts';
import type { DomainError } from '@portal/kit';

/** Calls actions on a local broker as a given caller; results are checked against their contracts. */
export interface ContractCaller {
  /** `meta` overrides the caller (e.g. another staff user). */
  call<A extends ActionName>(
    action: A,
    params: ActionParams<A>,
    meta?: Record<string, unknown>,
  ): Promise<ActionResult<A>>;
  /** The DomainError a call fails with (the test fails if it succeeds). */
  failure<A extends ActionName>(
    action: A,
    params: ActionParams<A>,
    meta?: Record<string, unknown>,
  ): Promise<DomainError>;
}

/**
 * What integration harnesses call services with. Params go as the caller wrote them, without the
 * kit's client-side check, so tests can send the invalid input a client might.
 */
export function contractCaller(broker: moleculer.ServiceBroker, meta: Record<string, unknown>): ContractCaller {
  const caller: ContractCaller = {
    async call(action, params, callerMeta) {
      const result: unknown = await broker.call(action, params, { meta: { ...meta, ...callerMeta } });
      return actionContracts[action].result.parse(result) as ActionResult<typeof action>;
    },
    async failure(action, params, callerMeta) {
      try {
        await caller.call(action, params, callerMeta);
      } catch (error) {
        return error as DomainError;
      }
      throw new Error(`${action} succeeded but was expected to fail`);
    },
  };
  return caller;
}
