// The SQL value helpers moved to the kit (the documents service uses them too).
export { containsPattern, isoOf, isoOrNull, keysetAfter, SqlConditions, type SqlTimestamp } from '@portal/kit';
