import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { projectsRoute } from './projects/projects-screen.tsx';
import { portalRootRoute } from './root-route.tsx';

const homeRoute = createRoute({
  getParentRoute: () => portalRootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/projects' });
  },
});

const routeTree = portalRootRoute.addChildren([homeRoute, projectsRoute]);

export const portalRouter = createRouter({ routeTree, basepath: '/portal', defaultPreload: 'intent' });
