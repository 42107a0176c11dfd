import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { accountsRoute } from './accounts/accounts-screen.tsx';
import { adminRootRoute } from './root-route.tsx';

const homeRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/accounts' });
  },
});

const routeTree = adminRootRoute.addChildren([homeRoute, accountsRoute]);

export const adminRouter = createRouter({ routeTree, basepath: '/admin', defaultPreload: 'intent' });
