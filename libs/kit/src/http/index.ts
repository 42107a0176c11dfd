export * from './keyset-cursor.ts';
export * from './caller-meta.ts';
