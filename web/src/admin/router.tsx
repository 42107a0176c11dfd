import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { accountRoute } from './accounts/account-layout.tsx';
import { accountsRoute } from './accounts/accounts-screen.tsx';
import { contactImportsRoute } from './contact-imports/contact-imports-screen.tsx';
import { invoiceReferencesRoute } from './invoice-references/invoice-references-screen.tsx';
import { adminRootRoute } from './root-route.tsx';

const homeRoute = createRoute({
  getParentRoute: () => adminRootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/accounts' });
  },
});

// Each area's screens are routes of their own files; the tree is put together only here.
const routeTree = adminRootRoute.addChildren([
  homeRoute,
  accountsRoute,
  accountRoute.addChildren([]),
  contactImportsRoute,
  invoiceReferencesRoute,
]);

export const adminRouter = createRouter({ routeTree, basepath: '/admin', defaultPreload: 'intent' });
