// `@portal/testing/browser`: what the browser suites (tests/browser) need, apart from the main
// entry so other suites do not load playwright-core.
export { accessibilityViolations, chromiumArgs, chromiumPath, launchBrowser } from './chromium.ts';
export type { AccessibilityViolation } from './chromium.ts';
export { startCodeFlowLogin } from './code-flow.ts';
export type { CodeFlowLogin, CodeFlowTokens } from './code-flow.ts';
export { linksIn, mailboxOf } from './mailbox.ts';
export type { CapturedMessage, Mailbox } from './mailbox.ts';
export { totpCode } from './totp.ts';
