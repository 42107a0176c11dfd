import { createRoute, createRouter, redirect } from '@tanstack/react-router';
import { accessRequestsRoute } from './access-requests/access-requests-screen.tsx';
import { accountClassesRoute } from './account-classes/account-classes-screen.tsx';
import { accountDetailsRoute } from './accounts/account-details-tab.tsx';
import { accountRoute } from './accounts/account-layout.tsx';
import { accountsRoute } from './accounts/accounts-screen.tsx';
import { accountAuditRoute } from './accounts/audit-tab.tsx';
import { accountMembersRoute } from './accounts/members-tab.tsx';
import { accountProjectsRoute } from './accounts/projects-tab.tsx';
import { accountSitesRoute } from './accounts/sites-tab.tsx';
import { contactImportsRoute } from './contact-imports/contact-imports-screen.tsx';
import { accountContactsRoute } from './contacts/account-contacts-tab.tsx';
import { contactAuditRoute } from './contacts/contact-audit-tab.tsx';
import { contactDetailsRoute } from './contacts/contact-details-tab.tsx';
import { contactRoute } from './contacts/contact-layout.tsx';
import { accountDocumentRequestsRoute } from './documents/account-document-requests-tab.tsx';
import { accountDocumentsRoute } from './documents/account-documents-tab.tsx';
import { contactDownloadsRoute } from './documents/contact-downloads-tab.tsx';
import { documentDownloadsRoute } from './documents/document-downloads-tab.tsx';
import { documentRoute } from './documents/document-layout.tsx';
import { documentVersionsRoute } from './documents/document-versions-tab.tsx';
import { emailLogRoute } from './email/email-log-screen.tsx';
import { emailTemplatesRoute } from './email/email-templates-screen.tsx';
import { fileTypesRoute } from './file-types/file-types-screen.tsx';
import { invitationsRoute } from './invitations/invitations-screen.tsx';
import { invoiceReferencesRoute } from './invoice-references/invoice-references-screen.tsx';
import { emailSettingsRoute } from './notifications/email-settings-route.tsx';
import { notificationsRoute } from './notifications/notifications-route.tsx';
import { accountPortalRoute } from './portal-access/account-portal-tab.tsx';
import { contactAccessRoute } from './portal-access/contact-access-tab.tsx';
import { adminRootRoute } from './root-route.tsx';
import { incomingQueueRoute } from './submittals/incoming-queue-screen.tsx';
import { projectIncomingRoute } from './submittals/project-incoming-screen.tsx';
import { accountReturnCodesRoute } from './submittals/return-codes-screen.tsx';
import { accountSubmittalsRoute } from './submittals/account-submittals-tab.tsx';
import { submittalRoute } from './submittals/submittal-screen.tsx';
import { systemOptionsRoute } from './system-options/system-options-screen.tsx';

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
  accountRoute.addChildren([
    accountDetailsRoute,
    accountSitesRoute,
    accountProjectsRoute,
    accountContactsRoute,
    accountDocumentsRoute,
    accountDocumentRequestsRoute,
    accountSubmittalsRoute,
    accountReturnCodesRoute,
    accountPortalRoute,
    accountMembersRoute,
    accountAuditRoute,
  ]),
  contactRoute.addChildren([contactDetailsRoute, contactAccessRoute, contactDownloadsRoute, contactAuditRoute]),
  documentRoute.addChildren([documentVersionsRoute, documentDownloadsRoute]),
  submittalRoute,
  projectIncomingRoute,
  incomingQueueRoute,
  invitationsRoute,
  accessRequestsRoute,
  accountClassesRoute,
  fileTypesRoute,
  systemOptionsRoute,
  emailTemplatesRoute,
  emailLogRoute,
  contactImportsRoute,
  invoiceReferencesRoute,
  notificationsRoute,
  emailSettingsRoute,
]);

export const adminRouter = createRouter({ routeTree, basepath: '/admin', defaultPreload: 'intent' });
