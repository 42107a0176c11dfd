import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boundedDate, boundedDateTime, text } from '@portal/contracts';

const messagesOf = (schema: z.ZodType, value: unknown) => {
  const parsed = schema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('text', () => {
  const name = text({ max: 10 });

  it('refuses NUL, lone surrogates and control characters with a message that says which', () => {
    expect(messagesOf(name, 'a\u0000b')).toEqual(['must not contain NUL characters']);
    expect(messagesOf(name, 'a\ud800b')).toEqual(['must be valid Unicode (no lone surrogates)']);
    expect(messagesOf(name, 'a\udc00')).toEqual(['must be valid Unicode (no lone surrogates)']);
    expect(messagesOf(name, 'a\u001bb')).toEqual(['must be a single line without control characters']);
    expect(messagesOf(name, 'a\nb')).toEqual(['must be a single line without control characters']);
  });

  it('keeps well-formed astral characters (a surrogate pair is not a lone surrogate)', () => {
    expect(name.parse('🏗️ site')).toBe('🏗️ site');
  });

  it('trims and normalises to NFC before measuring', () => {
    expect(name.parse('  Cafe\u0301  ')).toBe('Café');
    expect(name.parse('Cafe\u0301')).toBe(name.parse('Caf\u00e9'));
    expect(messagesOf(name, '   ')).toHaveLength(1);
    expect(messagesOf(text({ max: 4 }), 'e\u0301e\u0301e\u0301e\u0301')).toEqual([]);
  });

  it('lets multi-line text keep tabs and line breaks but not other controls', () => {
    const note = text({ max: 100, multiline: true });
    expect(note.parse('line one\n\tline two\r\n')).toBe('line one\n\tline two');
    expect(messagesOf(note, 'bell\u0007')).toEqual(['must not contain control characters']);
    expect(messagesOf(note, 'nul\u0000')).toEqual(['must not contain NUL characters']);
  });

  it('publishes a plain bounded string as its JSON Schema', () => {
    expect(z.toJSONSchema(name)).toMatchObject({ type: 'string', minLength: 1, maxLength: 10 });
  });
});

describe('bounded dates', () => {
  it('accept dates from 1900 to 2999 and refuse what PostgreSQL or clients cannot hold', () => {
    expect(boundedDate.safeParse('2026-12-01').success).toBe(true);
    for (const bad of ['0000-01-01', '1899-12-31', '3000-01-01', '2026-02-30']) {
      expect(boundedDate.safeParse(bad).success, bad).toBe(false);
    }
    expect(boundedDateTime.safeParse('2026-12-01T10:00:00+01:00').success).toBe(true);
    expect(boundedDateTime.safeParse('0001-01-01T00:00:00Z').success).toBe(false);
  });
});
