/**
 * Concurrent calls with one key share one run of `work`: the first starts it, the others wait for
 * its result (or its error). Once it settles, the next call starts afresh.
 */
export function singleFlight<T>() {
  const running = new Map<string, Promise<T>>();
  return {
    run(key: string, work: () => Promise<T>): Promise<T> {
      const pending = running.get(key);
      if (pending) return pending;
      const started = Promise.resolve()
        .then(work)
        .finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
    /** Keys with a run under way (tests). */
    size: () => running.size,
  };
}
