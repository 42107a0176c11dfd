import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { documentRoute } from './documents/document-screen.tsx';
import { documentsRoute } from './documents/documents-screen.tsx';
import { emailSettingsRoute } from './notifications/email-settings-route.tsx';
import { notificationsRoute } from './notifications/notifications-route.tsx';
import { profileRoute } from './profile/profile-screen.tsx';
import { projectsRoute } from './projects/projects-screen.tsx';
import { publicRoute } from './public/public-layout.tsx';
import { registerRoute } from './public/register-screen.tsx';
import { requestAccessRoute } from './public/request-access-screen.tsx';
import { unsubscribeRoute } from './public/unsubscribe-screen.tsx';
import { requestsRoute } from './requests/requests-screen.tsx';
import { portalRootRoute, signedInRoute } from './root-route.tsx';
import { sendSubmittalRoute } from './submittals/send-submittal-screen.tsx';
import { submittalRoute } from './submittals/submittal-screen.tsx';
import { submittalsRoute } from './submittals/submittals-screen.tsx';

const homeRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/projects' });
  },
});

const routeTree = portalRootRoute.addChildren([
  publicRoute.addChildren([requestAccessRoute, registerRoute, unsubscribeRoute]),
  signedInRoute.addChildren([
    homeRoute,
    projectsRoute,
    documentsRoute,
    documentRoute,
    requestsRoute,
    submittalsRoute,
    sendSubmittalRoute,
    submittalRoute,
    profileRoute,
    notificationsRoute,
    emailSettingsRoute,
  ]),
]);

export const portalRouter = createRouter({ routeTree, basepath: '/portal', defaultPreload: 'intent' });
