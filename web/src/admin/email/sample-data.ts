/** A template's values, as the preview action takes them. */
export type SampleData = Record<string, unknown>;

/** The editor's text read as the values to render with, or why it cannot be. */
export function parseSampleData(text: string): { values: SampleData } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problem: `The sample data is not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { problem: 'The sample data must be a JSON object: { "name": value, … }.' };
  }
  return { values: parsed as SampleData };
}

/**
 * Only the values that differ from the template's sample: the service renders its sample plus
 * these, so values it fills in itself (the configured product name) stay its own unless edited.
 */
export function changedValues(sample: SampleData, edited: SampleData): SampleData {
  return Object.fromEntries(
    Object.entries(edited).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(sample[key])),
  );
}
