import { useSuspenseQuery } from '@tanstack/react-query';
import { apiErrorOf } from '../api/api-error.ts';
import { webRequestHeader } from '../api/action-client.ts';

/** The two web UIs; each signs in to its own realm through the gateway (backend-for-frontend). */
export type WebApp = 'admin' | 'portal';

export interface SessionUser {
  id: string;
  username: string | null;
  name: string | null;
  email: string | null;
}

/** What `/auth/{app}/session` says of the signed-in person (never a token). */
export interface WebSession {
  user: SessionUser;
  roles?: string[];
  permissions?: string[];
}

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
  const { logoutUrl } = (await response.json()) as { logoutUrl: string };
  window.location.assign(logoutUrl);
}

async function fetchSession(app: WebApp): Promise<WebSession | null> {
  const response = await fetch(`/auth/${app}/session`, { credentials: 'same-origin' });
  if (response.status === 401) return null;
  if (!response.ok) throw await apiErrorOf(response);
  return (await response.json()) as WebSession;
}

export const sessionKey = (app: WebApp) => ['session', app] as const;

/** The signed-in person; `null` when there is no session (the app then sends them to sign in). */
export function useWebSession(app: WebApp): WebSession | null {
  return useSuspenseQuery({ queryKey: sessionKey(app), queryFn: () => fetchSession(app), staleTime: 60_000 }).data;
}
