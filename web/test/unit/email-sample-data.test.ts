import { describe, expect, it } from 'vitest';
import { changedValues, parseSampleData } from '../../src/admin/email/sample-data.ts';

describe('the e-mail preview’s sample data', () => {
  it('reads a JSON object, and refuses broken JSON and anything but an object with a reason', () => {
    expect(parseSampleData('{ "title": "Deck" }')).toEqual({ values: { title: 'Deck' } });
    const broken = parseSampleData('{ "title": "Deck", }');
    expect('problem' in broken && broken.problem).toMatch(/^The sample data is not valid JSON: /);
    for (const notAnObject of ['[1]', 'null', '"text"', '42']) {
      expect(parseSampleData(notAnObject)).toEqual({
        problem: 'The sample data must be a JSON object: { "name": value, … }.',
      });
    }
  });

  it('sends only the values that differ from the sample, so the service keeps its own for the rest', () => {
    const sample = { productName: 'Customer Portal', title: 'Drawings', revision: 1, items: [{ a: 1 }] };
    expect(changedValues(sample, { ...sample })).toEqual({});
    expect(changedValues(sample, { ...sample, title: 'Deck', items: [{ a: 2 }], extra: true })).toEqual({
      title: 'Deck',
      items: [{ a: 2 }],
      extra: true,
    });
  });
});
