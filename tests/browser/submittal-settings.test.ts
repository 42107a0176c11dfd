import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '@portal/testing';
import { launchBrowser } from '@portal/testing/browser';
import type { ReturnCodeList, Submittal } from '@portal/contracts';
import type { ServiceSystem } from '../support/service-system.ts';
import { cleanProjectDocument, staffCaller } from './support/staff-calls.ts';
import { newPerson, reviewScreen, signInAsContact, signInAsStaff, startWebSystem } from './support/web-ui.ts';

interface Created {
  id: string;
}

// An account's return codes and a draft's details, changed on the admin screens: against the real
// gateway (serving the build), identity, directory, documents and submittals services (one all-in-one process). Staff
// arrange the account, project, contact, a document and two submittals through the staff API; a
// code added on screen reaches the contact's answer form and the account's audit trail; a draft is
// edited in its dialog; a viewer sees both with nothing to change.
describe('return codes and draft editing on the admin screens', () => {
  const stack = stackEnv();
  const keycloakUrl = stack['KEYCLOAK_URL'] ?? '';
  const run = randomUUID().slice(0, 6);
  let system: ServiceSystem;
  let browser: Browser;

  const staffCall = staffCaller(() => system.gatewayUrl, keycloakUrl);

  let accountId: string;
  let contact: { email: string; password: string };
  let draft: Submittal;
  let sent: Submittal;
  const draftTitle = `Stair details ${run}`;
  const editedTitle = `Stair and balustrade details ${run}`;

  beforeAll(async () => {
    [system, browser] = await Promise.all([
      startWebSystem({
        stack,
        namespacePrefix: 'browser-submittal-settings',
      }),
      launchBrowser(),
    ]);

    accountId = (await staffCall<Created>('POST', '/admin/accounts', { number: `RC-${run}`, name: `Codes ${run}` })).id;
    const project = await staffCall<Created>('POST', `/admin/accounts/${accountId}/projects`, {
      code: `Hall-${run}`,
      name: `Hall ${run}`,
    });
    const created = await staffCall<Created>('POST', `/admin/accounts/${accountId}/contacts`, {
      firstName: 'Rita',
      lastName: 'Codes',
      email: `rita-${run}@customer.test`,
    });
    const enabled = await staffCall<{ credentials: { password: string } }>(
      'POST',
      `/admin/contacts/${created.id}/access/enable`,
      {},
    );
    contact = { email: `rita-${run}@customer.test`, password: enabled.credentials.password };

    const fileType = await staffCall<Created>('POST', '/admin/file-types', {
      code: `codes-${run}`,
      name: `Codes drawing ${run}`,
      customerVisible: true,
      allowedContentTypes: ['application/pdf'],
      maxSizeBytes: 5 * 1024 * 1024,
    });
    const { versionId } = await cleanProjectDocument(staffCall, {
      projectId: project.id,
      fileTypeId: fileType.id,
      title: `Stairs ${run}`,
      fileName: `stairs-${run}.pdf`,
    });

    const submittalOf = (title: string) =>
      staffCall<Submittal>('POST', '/admin/submittals', {
        projectId: project.id,
        purpose: 'for-approval',
        title,
        versionIds: [versionId],
      });
    draft = await submittalOf(draftTitle);
    sent = await submittalOf(`Lift pit ${run}`);
    await staffCall('POST', `/admin/submittals/${sent.id}/send`, {});
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('staff add "F · Void by customer" on the Return codes screen; the contact may answer with it; the audit trail says so', async () => {
    const { context: staffContext, page: staffPage } = await newPerson(browser);
    await signInAsStaff(staffPage, system.gatewayUrl, 'staffAdmin', `accounts/${accountId}/submittals`);
    await staffPage.getByRole('link', { name: 'Return codes' }).click();
    await staffPage.getByRole('heading', { name: 'Return codes' }).waitFor();
    await staffPage.getByText('Default list', { exact: true }).waitFor();
    const table = staffPage.getByRole('table', { name: 'Return codes' });
    expect(await table.getByRole('row').count()).toBe(6); // the header and A–E
    expect(await staffPage.getByLabel('Code, row 3').inputValue()).toBe('C');
    expect(await staffPage.getByLabel('Completes the stage, row 3').isChecked()).toBe(false);

    // A new row: a repeated code is refused at that row, before anything is sent.
    await staffPage.getByRole('button', { name: 'Add a code' }).click();
    await staffPage.getByLabel('Code, row 6').fill('a');
    await staffPage.getByLabel('Label, row 6').fill('Void by customer');
    await staffPage.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => staffPage.getByLabel('Code, row 6').getAttribute('aria-invalid')).toBe('true');
    await staffPage.getByText('A is already in the list: each code appears once').waitFor();
    expect(await staffPage.getByLabel('Code, row 1').getAttribute('aria-invalid')).not.toBe('true');

    await staffPage.getByLabel('Code, row 6').fill('f');
    expect(await staffPage.getByLabel('Code, row 6').inputValue()).toBe('F');
    expect(await staffPage.getByLabel('Completes the stage, row 6').isChecked()).toBe(false);
    // Up one and back: the row moves with its values.
    await staffPage.getByRole('button', { name: 'Move row 6 up' }).click();
    expect(await staffPage.getByLabel('Code, row 5').inputValue()).toBe('F');
    expect(await staffPage.getByLabel('Code, row 6').inputValue()).toBe('E');
    await staffPage.getByRole('button', { name: 'Move row 5 down' }).click();
    expect(await staffPage.getByLabel('Code, row 6').inputValue()).toBe('F');
    await reviewScreen(staffPage, 'admin-return-codes');
    await staffPage.getByRole('button', { name: 'Save' }).click();
    await staffPage.getByText('Own list', { exact: true }).waitFor();

    const saved = await staffCall<ReturnCodeList>('GET', `/admin/accounts/${accountId}/return-codes`, undefined);
    expect(saved.isDefault).toBe(false);
    expect(saved.codes.map((code) => code.code)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(saved.codes.at(-1)).toEqual({ code: 'F', label: 'Void by customer', stageComplete: false });

    // The contact's answer form for a sent submittal of the account offers F.
    const { context, page } = await newPerson(browser);
    await signInAsContact(page, system.gatewayUrl, contact.email, contact.password, `submittals/${sent.id}`);
    const answerCode = page.getByLabel('Return code');
    await answerCode.waitFor();
    expect(await answerCode.locator('option').allTextContents()).toContain('F · Void by customer');
    await context.close();

    // The account's audit trail says what changed, by whom.
    await staffPage.getByRole('tab', { name: 'Audit trail' }).click();
    const change = staffPage
      .getByRole('table', { name: 'Audit trail' })
      .getByRole('row', { name: /Return codes changed/ })
      .first();
    await change.waitFor({ timeout: 20_000 }).catch(async () => {
      // The directory's consumer may take a moment: look again.
      await staffPage.reload();
      await change.waitFor({ timeout: 20_000 });
    });
    await change.getByText('added F · Void by customer (does not complete the stage)').waitFor();
    await change.getByText('You', { exact: true }).waitFor();
    await reviewScreen(staffPage, 'admin-audit-return-codes');

    // Back to the default, after asking; the trail records that too.
    await staffPage.goto(`${system.gatewayUrl}/admin/accounts/${accountId}/submittals/return-codes`);
    await staffPage.getByRole('button', { name: 'Reset to default' }).click();
    const confirm = staffPage.getByRole('dialog', { name: 'Reset the return codes to the default?' });
    await confirm.getByText(/A Approved, B Approved as noted/).waitFor();
    await confirm.getByRole('button', { name: 'Reset to default' }).click();
    await staffPage.getByText('Default list', { exact: true }).waitFor();
    expect(await table.getByRole('row').count()).toBe(6);
    await staffPage.getByRole('tab', { name: 'Audit trail' }).click();
    const reset = staffPage.getByRole('table', { name: 'Audit trail' }).getByRole('row', {
      name: /Return codes reset to the default/,
    });
    await reset.waitFor({ timeout: 20_000 }).catch(async () => {
      await staffPage.reload();
      await reset.waitFor({ timeout: 20_000 });
    });
    await reset.getByText('removed F · Void by customer').waitFor();
    await staffContext.close();
  });

  it("staff edit a draft's title and expected-return date in its Edit dialog; a sent one has no Edit", async () => {
    const { context, page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffAdmin', `submittals/${draft.id}`);
    await page.getByRole('heading', { level: 1, name: `${draft.number} rev 0: ${draftTitle}` }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: `Edit ${draft.number} rev 0` });
    expect(await dialog.getByLabel('Title').inputValue()).toBe(draftTitle);
    expect(await dialog.getByLabel('Expected return date').inputValue()).toBe('');
    await dialog.getByText(`Stairs ${run} · stairs-${run}.pdf`, { exact: false }).waitFor();
    await dialog.getByLabel('Title').fill(editedTitle);
    await dialog.getByLabel('Expected return date').fill('2099-03-15');
    await reviewScreen(page, 'admin-edit-submittal');
    await dialog.getByRole('button', { name: 'Save draft' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('heading', { level: 1, name: `${draft.number} rev 0: ${editedTitle}` }).waitFor();
    const expected = await page.evaluate<string>(
      `new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date('2099-03-15T00:00:00'))`,
    );
    await page.getByText(expected, { exact: true }).waitFor();
    const stored = await staffCall<Submittal>('GET', `/admin/submittals/${draft.id}`, undefined);
    expect(stored).toMatchObject({ title: editedTitle, expectedReturnDate: '2099-03-15', status: 'draft' });
    expect(stored.files).toHaveLength(1);

    await page.goto(`${system.gatewayUrl}/admin/submittals/${sent.id}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(`Lift pit ${run}$`) }).waitFor();
    await page.getByRole('button', { name: 'Close' }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await context.close();
  });

  it('a viewer sees the return codes and the draft with nothing to change', async () => {
    const { context, page } = await newPerson(browser);
    await signInAsStaff(page, system.gatewayUrl, 'staffViewer', `accounts/${accountId}/submittals/return-codes`);
    // Everything below is looked for inside the page's main region, which holds the list.
    const main = page.getByRole('main');
    const table = main.getByRole('table', { name: 'Return codes' });
    await table.getByRole('row', { name: /Revise and resubmit/ }).waitFor();
    expect(await table.getByRole('row').count()).toBe(6);
    expect(await main.getByRole('button').count()).toBe(0);
    expect(await main.getByRole('textbox').count()).toBe(0);
    expect(await main.getByRole('switch').count()).toBe(0);
    await reviewScreen(page, 'admin-return-codes-viewer');

    await page.goto(`${system.gatewayUrl}/admin/submittals/${draft.id}`);
    await page.getByRole('heading', { level: 1, name: `${draft.number} rev 0: ${editedTitle}` }).waitFor();
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);
    await context.close();
  });
});
