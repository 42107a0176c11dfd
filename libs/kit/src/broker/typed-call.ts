import type moleculer from 'moleculer';
import {
  actionContracts,
  type ActionArgs,
  type ActionMap,
  type ActionName,
  type ActionParams,
  type ActionResult,
} from '@portal/contracts';
import { dataExceptionAsBadRequest } from '../errors/data-exception.ts';
import { validationFailed } from '../errors/domain-error.ts';

/** A broker or an action context: both can call, and a context carries the caller's meta along. */
export interface Caller {
  call(actionName: string, params?: unknown, opts?: moleculer.CallingOptions): Promise<unknown>;
}

/**
 * Calls a published action by its contract: params are validated before they leave, the result
 * when it arrives, so a drifted peer fails loudly here rather than deep inside a handler.
 * The params travel as given (input form): the receiving `contractAction` parses them again, and
 * transforms such as `queryBoolean` ('true' → true) must run exactly once.
 */
export async function call<A extends ActionName>(
  caller: Caller,
  action: A,
  params: ActionParams<A>,
  opts?: moleculer.CallingOptions,
): Promise<ActionResult<A>> {
  const contract: ActionMap[A] = actionContracts[action];
  const checkedParams = contract.params.safeParse(params);
  if (!checkedParams.success) throw validationFailed(checkedParams.error.issues);
  const result = await caller.call(action, params, opts);
  return contract.result.parse(result) as ActionResult<A>;
}

/**
 * The receiving side: an action whose params are checked against its contract before the
 * handler runs. Moleculer's own validator stays off; zod is the one validation library. A value
 * PostgreSQL refuses as data (SQLSTATE class 22) still answers 400, never 500.
 */
export function contractAction<A extends ActionName>(
  action: A,
  handler: (params: ActionArgs<A>, ctx: moleculer.Context) => Promise<ActionResult<A>> | ActionResult<A>,
): moleculer.ActionSchema {
  const contract: ActionMap[A] = actionContracts[action];
  return {
    async handler(ctx: moleculer.Context) {
      const checked = contract.params.safeParse(ctx.params ?? {});
      if (!checked.success) throw validationFailed(checked.error.issues);
      try {
        return await handler(checked.data as ActionArgs<A>, ctx);
      } catch (error) {
        const badValue = dataExceptionAsBadRequest(error);
        if (!badValue) throw error;
        // The contracts should have refused this value before SQL saw it: worth a look.
        ctx.broker.logger.warn(`${action}: PostgreSQL refused a value (${String((error as Error).message)})`);
        throw badValue;
      }
    },
  };
}
