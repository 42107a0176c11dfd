import { z } from 'zod';

/**
 * The one text schema every string field of a request goes through (DESIGN rule 5). It refuses
 * what PostgreSQL or JSON cannot store faithfully — NUL and lone UTF-16 surrogates — and, on one
 * line, every other control character; it stores text in Unicode NFC, so "é" typed two ways is
 * one value for search and uniqueness. The checks are refinements, not a JSON Schema `pattern`:
 * the published schema stays a plain string with its length bounds.
 */
export interface TextOptions {
  /** Longest value, in UTF-16 code units after normalising (what `maxLength` means in JSON Schema). */
  max: number;
  /** Shortest value after trimming; 1 unless an empty value means something. */
  min?: number;
  /** Strip leading and trailing white space (default true). */
  trim?: boolean;
  /** Allow tab, line feed and carriage return (notes, messages); default false. */
  multiline?: boolean;
}

// C0 controls and DEL; tab, LF and CR are let through for multi-line text.
/* eslint-disable no-control-regex -- matching control characters is the point */
const singleLineControl = /[\u0000-\u001f\u007f]/;
const multiLineControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(value: string, multiline = false): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (!value.isWellFormed()) return 'must be valid Unicode (no lone surrogates)';
  if ((multiline ? multiLineControl : singleLineControl).test(value)) {
    return multiline ? 'must not contain control characters' : 'must be a single line without control characters';
  }
  return null;
}

export function text(options: TextOptions) {
  const { max, min = 1, trim = true, multiline = false } = options;
  const base = z.string().superRefine((value, ctx) => {
    const problem = textProblem(value, multiline);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, abort: true });
  });
  // Normalise before measuring, so the bounds apply to what is stored.
  const normalised = (trim ? base.trim() : base).normalize('NFC');
  return normalised.min(min).max(max);
}

/** A free-text search of a list: one line, 1–100 characters. */
export const searchText = text({ max: 100 });

const earliestDate = '1900-01-01';
const latestDate = '2999-12-31';

/**
 * A calendar date (`YYYY-MM-DD`) within 1900–2999: wide enough for any invoice or plan, narrow
 * enough that PostgreSQL and every client's date type hold it.
 */
export const boundedDate = z.iso
  .date()
  .refine((value) => value >= earliestDate && value <= latestDate, `must be between ${earliestDate} and ${latestDate}`);

/** An instant with its offset (`2026-01-31T09:00:00Z`), within the same years as `boundedDate`. */
export const boundedDateTime = z.iso.datetime({ offset: true }).refine((value) => {
  const time = Date.parse(value);
  return time >= Date.parse(`${earliestDate}T00:00:00Z`) && time <= Date.parse(`${latestDate}T23:59:59Z`);
}, `must be between ${earliestDate} and ${latestDate}`);
