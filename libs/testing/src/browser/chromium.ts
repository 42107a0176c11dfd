import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package; playwright-core never downloads a browser of its own here. */
export const chromiumPath = process.env['PORTAL_CHROMIUM'] ?? '/usr/bin/chromium';

/** The flags every browser test runs Chromium with (see ../shared/INFRA.md, "Browsers"). */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/**
 * Starts headless Chromium from Debian's package. One per test file: pages are cheap, browsers
 * are not (CI has two cores). Fails at once, saying how to install it, when the binary is missing.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `browser tests need Chromium at ${chromiumPath}, which is missing: install Debian's package ` +
        '(`apt-get install -y chromium`; .ci/run does it), or point PORTAL_CHROMIUM at another Chromium binary',
    );
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 30_000 });
}

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/**
 * Runs axe-core in the page (WCAG 2.0/2.1 A and AA rules) and returns what it found, one entry
 * per rule with the elements it failed on: `expect(await accessibilityViolations(page)).toEqual([])`.
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  // Evaluated rather than added as a <script>: a page's Content-Security-Policy must not stop the check.
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // A string, not a function: this package is typed for Node, without the DOM's globals.
  return page.evaluate<AccessibilityViolation[]>(`(async () => {
    const result = await window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`);
}
