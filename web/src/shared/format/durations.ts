/**
 * A wait in words, rounded up so nobody is told to come back too early: "10 seconds",
 * "1 minute", "15 minutes", "2 hours". Used for `Retry-After`.
 */
export function waitInWords(seconds: number): string {
  const whole = Math.max(1, Math.ceil(seconds));
  const unit = (count: number, name: string) => `${count} ${name}${count === 1 ? '' : 's'}`;
  if (whole < 60) return unit(whole, 'second');
  const minutes = Math.ceil(whole / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  return unit(Math.ceil(minutes / 60), 'hour');
}
