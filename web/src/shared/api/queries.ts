import { queryOptions, useMutation, useQueryClient, type UseMutationOptions } from '@tanstack/react-query';
import type { ActionName, ActionParams, ActionResult } from '@portal/contracts';
import { callAction } from './action-client.ts';
import type { ApiError } from './api-error.ts';

/** One cache key per contract action and its params, so a change can invalidate an action's every view. */
export const actionKey = <A extends ActionName>(action: A, params?: ActionParams<A>) =>
  params === undefined ? ([action] as const) : ([action, params] as const);

/** Query options for a read action: `useQuery(actionQuery('directory.listAccounts', { search }))`. */
export function actionQuery<A extends ActionName>(action: A, params: ActionParams<A>) {
  return queryOptions<ActionResult<A>, ApiError>({
    queryKey: actionKey(action, params),
    queryFn: ({ signal }) => callAction(action, params, signal),
  });
}

/**
 * A write action as a mutation; on success the listed actions' queries are invalidated (all their
 * params), so lists and details refetch instead of being patched by hand.
 */
export function useActionMutation<A extends ActionName>(
  action: A,
  options: { invalidates?: readonly ActionName[] } & Omit<
    UseMutationOptions<ActionResult<A>, ApiError, ActionParams<A>>,
    'mutationFn'
  > = {},
) {
  const queryClient = useQueryClient();
  const { invalidates = [], onSuccess, ...rest } = options;
  return useMutation<ActionResult<A>, ApiError, ActionParams<A>>({
    ...rest,
    mutationFn: (params) => callAction(action, params),
    onSuccess: async (...args) => {
      await Promise.all(invalidates.map((name) => queryClient.invalidateQueries({ queryKey: [name] })));
      await onSuccess?.(...args);
    },
  });
}
