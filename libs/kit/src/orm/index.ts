export * from './service-orm.ts';
