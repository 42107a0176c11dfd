export * from './models.ts';
export * from './errors.ts';
export * from './actions.ts';
// e-mail: preferences, unsubscribe, the e-mail log and templates
export * from './email.ts';
