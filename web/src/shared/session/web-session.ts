import { useSuspenseQuery, type QueryClient } from '@tanstack/react-query';
import {
  portalWebSessionSchema,
  staffWebSessionSchema,
  webLogoutSchema,
  webRequestHeader,
  type PortalWebSession,
  type StaffWebSession,
  type WebApp,
  type WebUser,
} from '@portal/contracts';
import { ApiError, apiErrorOf } from '../api/api-error.ts';

export type { WebApp };
export type SessionUser = WebUser;

/** What `/auth/{app}/session` says of the signed-in person (never a token); staff also get permissions. */
export type WebSession = StaffWebSession | PortalWebSession;

/** Sends the browser to the gateway's sign-in, coming back to where the person was. */
export function signIn(app: WebApp): void {
  const here = `${window.location.pathname}${window.location.search}`;
  window.location.assign(`/auth/${app}/login?returnTo=${encodeURIComponent(here)}`);
}

/** Ends the gateway session, then Keycloak's (the gateway answers the end-session URL). */
export async function signOut(app: WebApp): Promise<void> {
  const response = await fetch(`/auth/${app}/logout`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { [webRequestHeader.name]: webRequestHeader.value },
  });
  if (!response.ok) throw await apiErrorOf(response);
  const { logoutUrl } = webLogoutSchema.parse(await response.json());
  window.location.assign(logoutUrl);
}

async function fetchSession(app: WebApp): Promise<WebSession | null> {
  const response = await fetch(`/auth/${app}/session`, { credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw await apiErrorOf(response);
  const parsed = (app === 'admin' ? staffWebSessionSchema : portalWebSessionSchema).safeParse(await response.json());
  if (!parsed.success)
    throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', 'The session answer has an unexpected shape.', null);
  return parsed.data;
}

export const sessionKey = (app: WebApp) => ['session', app] as const;

/** The signed-in person; `null` when there is no session (the app then sends them to sign in). */
const sessionQuery = (app: WebApp) => ({
  queryKey: sessionKey(app),
  queryFn: () => fetchSession(app),
  staleTime: 60_000,
});

/**
 * Asks for the session before the first render. Read only under Suspense, it would cost a page
 * load React's suspense reveal delay (about 300 ms, measured by `npm run bench:web`).
 */
export function prefetchSession(queryClient: QueryClient, app: WebApp): Promise<void> {
  return queryClient.prefetchQuery(sessionQuery(app));
}

export function useWebSession(app: WebApp): WebSession | null {
  return useSuspenseQuery(sessionQuery(app)).data;
}
