import { z } from 'zod';
import { returnCodeSchema, type ReturnCode } from '@portal/contracts';

// A return-code list change, said the way staff read it: what was added, removed or changed, and
// whether the order moved, rather than two lists side by side.

const recordedList = z.array(returnCodeSchema);

const named = (code: ReturnCode) => `${code.code} · ${code.label}`;
const completes = (code: ReturnCode) => (code.stageComplete ? 'completes the stage' : 'does not complete the stage');

/** One line per difference between two lists ("added F · Void by customer"); null when either side is not a list. */
export function returnCodeChangeLines(before: unknown, after: unknown): string[] | null {
  const from = recordedList.safeParse(before);
  const to = recordedList.safeParse(after);
  if (!from.success || !to.success) return null;
  const previous = new Map(from.data.map((code) => [code.code, code]));
  const next = new Map(to.data.map((code) => [code.code, code]));
  const lines: string[] = [];
  for (const code of to.data) {
    const old = previous.get(code.code);
    if (!old) {
      lines.push(`added ${named(code)} (${completes(code)})`);
      continue;
    }
    if (old.label !== code.label) lines.push(`renamed ${named(old)} to ${named(code)}`);
    if (old.stageComplete !== code.stageComplete) lines.push(`${named(code)} now ${completes(code)}`);
  }
  for (const code of from.data) if (!next.has(code.code)) lines.push(`removed ${named(code)}`);
  const keptBefore = from.data.filter((code) => next.has(code.code)).map((code) => code.code);
  const keptAfter = to.data.filter((code) => previous.has(code.code)).map((code) => code.code);
  if (keptBefore.join('\n') !== keptAfter.join('\n')) lines.push(`order now ${to.data.map((c) => c.code).join(', ')}`);
  return lines.length > 0 ? lines : ['no change to the codes'];
}
