export * from './models.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './actions.ts';
export * from './portal-actions.ts';
