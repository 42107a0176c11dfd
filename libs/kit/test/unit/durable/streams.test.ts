import { describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS, streamNameOf, streamSubjectOf } from '../../../src/durable/streams.ts';
import { outboxChannelOf } from '../../../src/durable/outbox.ts';

describe('stream naming', () => {
  it('names one stream per service, upper-cased, and captures all its subjects', () => {
    expect(streamNameOf('directory')).toBe('DIRECTORY');
    expect(streamNameOf('read-models')).toBe('READ_MODELS');
    expect(streamSubjectOf('directory')).toBe('directory.>');
  });

  it('refuses names that would make invalid stream names or subjects', () => {
    for (const bad of ['', 'Directory', 'dir.ectory', 'dir ectory', 'dir>', '1dir']) {
      expect(() => streamNameOf(bad)).toThrow(/Service name/);
    }
  });

  it('keeps the duplicate window at two minutes', () => {
    expect(DUPLICATE_WINDOW_MS).toBe(120_000);
  });

  it('has one NOTIFY channel per schema', () => {
    expect(outboxChannelOf('directory')).toBe('durable_outbox_directory');
  });
});
