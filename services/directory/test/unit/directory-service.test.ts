import { describe, expect, it } from 'vitest';
import { actionContracts } from '@portal/contracts';
import type { ServiceOrm } from '@portal/kit';
import { directoryService } from '../../src/directory.service.ts';

describe('directory service', () => {
  it('serves every directory action of the contracts, and nothing outside them', () => {
    // Building the schema does no I/O, so an unused stand-in for the ORM is enough here.
    const schema = directoryService({ orm: {} as ServiceOrm, readiness: {} });
    const served = Object.keys(schema.actions ?? {}).map((name) => `directory.${name}`);
    const published = Object.keys(actionContracts).filter((name) => name.startsWith('directory.'));
    expect(served.sort()).toEqual(published.sort());
  });
});
