import type moleculer from 'moleculer';
import { statusActionOf, type DurableStatus, type ReadinessCheck, type ServiceOrm } from '@portal/kit';
import { accountClassActions } from './account-classes/account-classes.actions.ts';
import { accountActions } from './accounts/accounts.actions.ts';
import { auditActions } from './audit/audit.actions.ts';
import { contactImportActions } from './contact-import/contact-import.actions.ts';
import { contactActions } from './contacts/contacts.actions.ts';
import { defaultImportLimits, type ImportLimits } from './imports/import-limits.ts';
import { invoiceReferenceActions } from './invoice-references/invoice-references.actions.ts';
import { directoryStoreOf } from './persistence/directory-store.ts';
import { portalAccessActions } from './portal-access/portal-access.actions.ts';
import { portalReadActions } from './portal/portal-reads.actions.ts';
import { projectActions } from './projects/projects.actions.ts';
import { siteActions } from './sites/sites.actions.ts';
import { systemOptionsActions } from './system-options/system-options.actions.ts';
import { visibilityActions } from './visibility/visibility.actions.ts';
import { serviceVersion } from './version.ts';

export interface DirectoryServiceDeps {
  orm: ServiceOrm;
  readiness: Record<string, ReadinessCheck>;
  durableStatus?: () => Promise<DurableStatus>;
  /** Caps on import sizes and running imports (default: `defaultImportLimits`). */
  importLimits?: ImportLimits;
}

/** Accounts, account classes, sites, projects, contacts, their portal access and scopes, and the audit trail. */
export function directoryService(deps: DirectoryServiceDeps): moleculer.ServiceSchema {
  const store = directoryStoreOf(deps.orm);
  const limits = deps.importLimits ?? defaultImportLimits;
  return {
    name: 'directory',
    actions: {
      status: statusActionOf('directory', deps.readiness, serviceVersion, deps.durableStatus),
      ...accountClassActions(store),
      ...accountActions(store),
      ...siteActions(store),
      ...projectActions(store),
      ...contactActions(store),
      ...contactImportActions({ orm: deps.orm, limits }),
      ...portalAccessActions(store),
      ...visibilityActions({ orm: deps.orm }),
      ...portalReadActions(store),
      ...systemOptionsActions(store),
      ...invoiceReferenceActions(store, { limits }),
      ...auditActions(store),
    },
  };
}
