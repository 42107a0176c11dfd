import { describe, expect, it } from 'vitest';
import { retryAfterSecondsOf } from '../../src/shared/api/api-error.ts';
import { waitInWords } from '../../src/shared/format/durations.ts';
import { withoutBlankFields } from '../../src/shared/forms/blank-fields.ts';

describe('a 429 in words', () => {
  it('reads Retry-After as seconds, or as an HTTP date, and nothing else', () => {
    expect(retryAfterSecondsOf('120')).toBe(120);
    expect(retryAfterSecondsOf(' 7 ')).toBe(7);
    const now = Date.parse('2026-12-01T10:00:00Z');
    expect(retryAfterSecondsOf('Tue, 01 Dec 2026 10:01:30 GMT', now)).toBe(90);
    expect(retryAfterSecondsOf('Tue, 01 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSecondsOf(null)).toBeNull();
    expect(retryAfterSecondsOf('soon')).toBeNull();
  });

  it('rounds a wait up to whole seconds, minutes or hours, so nobody comes back too early', () => {
    expect(waitInWords(0)).toBe('1 second');
    expect(waitInWords(1)).toBe('1 second');
    expect(waitInWords(59)).toBe('59 seconds');
    expect(waitInWords(60)).toBe('1 minute');
    expect(waitInWords(61)).toBe('2 minutes');
    expect(waitInWords(900)).toBe('15 minutes');
    expect(waitInWords(3600)).toBe('1 hour');
    expect(waitInWords(3601)).toBe('2 hours');
  });
});

describe('form values as the API gets them', () => {
  it('leaves out blank and white-space-only text, keeps everything else as typed', () => {
    expect(
      withoutBlankFields({ email: ' a@b.test ', quickPayCode: '', accountNumber: '   ', firstName: 'Ann', n: 0 }),
    ).toEqual({ email: ' a@b.test ', firstName: 'Ann', n: 0 });
  });
});
