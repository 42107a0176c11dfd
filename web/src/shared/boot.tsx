import '@mantine/core/styles.layer.css';
import '@mantine/notifications/styles.layer.css';
import 'mantine-datatable/styles.layer.css';
import { MantineProvider } from '@mantine/core';
import { ModalsProvider } from '@mantine/modals';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Component, StrictMode, Suspense, createContext, useContext, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/api-error.ts';
import { whenSessionEnds } from './api/action-client.ts';
import { readBranding, type Branding } from './branding/branding.ts';
import { cssVariablesResolver, themeOf } from './branding/theme.ts';
import { ErrorNotice, LoadingState } from './feedback/states.tsx';
import { prefetchSession, signIn, useWebSession, type WebApp, type WebSession } from './session/web-session.ts';

const SessionContext = createContext<WebSession | null>(null);
const BrandingContext = createContext<Branding | null>(null);

/** The signed-in person of this app (inside the session gate, always present). */
export function useSession(): WebSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the session gate');
  return session;
}

export function useBranding(): Branding {
  const branding = useContext(BrandingContext);
  if (!branding) throw new Error('useBranding outside the app');
  return branding;
}

/** The last line of defence: a render or session failure shows the error (and its request id), not a blank page. */
class FailureBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override render() {
    if (this.state.error) {
      return (
        <div style={{ padding: 24 }}>
          <ErrorNotice error={this.state.error} onRetry={() => window.location.reload()} />
        </div>
      );
    }
    return this.props.children;
  }
}

/**
 * Renders its children only for a signed-in person; anyone else goes to the sign-in page. Around the
 * whole app by default; an app with public pages puts it around its signed-in routes instead.
 */
export function SessionGate({ app, children }: { app: WebApp; children: ReactNode }) {
  const session = useWebSession(app);
  if (!session) {
    signIn(app);
    return <LoadingState label="Signing in" />;
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

function newQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will not change by asking again; a dropped connection or 503 may.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: true,
      },
    },
  });
}

/**
 * Starts one of the two apps: theme from the branding, server state, session, then its router.
 * `sessionGate: 'routes'` leaves the gate to the app's routes (the portal's public pages render
 * without signing in; every other route sits under a layout route with `<SessionGate>`).
 */
export function bootApp(
  app: WebApp,
  renderApp: () => ReactNode,
  options: { sessionGate?: 'app' | 'routes' } = {},
): void {
  const branding = readBranding();
  const queryClient = newQueryClient();
  // A 401 on any call means the session ended (sign-out elsewhere, revoked access): sign in again.
  whenSessionEnds(() => signIn(app));
  const container = document.getElementById('root');
  if (!container) throw new Error('no #root element');
  const root = createRoot(container);
  // The session first (see prefetchSession), then the first render.
  void prefetchSession(queryClient, app).then(() =>
    root.render(
      <StrictMode>
        <MantineProvider
          theme={themeOf(branding)}
          cssVariablesResolver={cssVariablesResolver}
          defaultColorScheme="light"
        >
          <Notifications position="top-right" />
          <QueryClientProvider client={queryClient}>
            <BrandingContext.Provider value={branding}>
              <ModalsProvider>
                <FailureBoundary>
                  <Suspense fallback={<LoadingState />}>
                    {options.sessionGate === 'routes' ? (
                      renderApp()
                    ) : (
                      <SessionGate app={app}>{renderApp()}</SessionGate>
                    )}
                  </Suspense>
                </FailureBoundary>
              </ModalsProvider>
            </BrandingContext.Provider>
          </QueryClientProvider>
        </MantineProvider>
      </StrictMode>,
    ),
  );
}
