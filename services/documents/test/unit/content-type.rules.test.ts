import { describe, expect, it } from 'vitest';
import { contentTypeOf, matchesDeclared } from '../../src/domain/content-type.rules.ts';

describe('what a file is, against what it was declared to be', () => {
  it('accepts a binary type only when its signature says exactly that type', () => {
    expect(matchesDeclared('application/pdf', contentTypeOf('application/pdf', false))).toBe(true);
    expect(matchesDeclared('application/pdf', contentTypeOf('application/x-elf', false))).toBe(false);
    expect(
      matchesDeclared(
        'application/zip',
        contentTypeOf('application/vnd.openxmlformats-officedocument.wordprocessingml.document', false),
      ),
    ).toBe(false);
  });

  it('accepts the text types for text without a signature, and nothing else for them', () => {
    expect(matchesDeclared('text/csv', contentTypeOf(undefined, true))).toBe(true);
    expect(matchesDeclared('text/plain', contentTypeOf(undefined, false))).toBe(false);
    expect(matchesDeclared('text/plain', contentTypeOf('image/png', false))).toBe(false);
    expect(matchesDeclared('application/pdf', contentTypeOf(undefined, true))).toBe(false);
  });
});
