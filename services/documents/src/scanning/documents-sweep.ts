import type moleculer from 'moleculer';
import type { ObjectStorage } from '../adapters/object-storage.adapter.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import { claimAbandonedUploads } from '../uploads/uploads.repository.ts';
import type { VersionScanning } from './version-scanning.ts';

/**
 * The documents' housekeeping, on a timer in every replica (rows are claimed with `skip locked`,
 * verdicts applied under a row lock, so replicas never do one thing twice):
 * - uploads never finalized lose their object once their presigned PUT can no longer arrive;
 * - versions still quarantined because clamd could not be reached are scanned again.
 */
export function startDocumentsSweep(deps: {
  store: DocumentsStore;
  storage: ObjectStorage;
  scanning: VersionScanning;
  logger: moleculer.Logger;
  intervalMs: number;
}): { sweep(): Promise<void>; stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const sweep = async () => {
    for (;;) {
      const abandoned = await deps.store.change((tx) => claimAbandonedUploads(tx, 100));
      for (const upload of abandoned) {
        await deps.storage
          .remove(upload.object_key)
          .catch((error: unknown) =>
            deps.logger.warn(`could not delete abandoned upload ${upload.id}: ${(error as Error).message}`),
          );
      }
      if (abandoned.length < 100) break;
    }
    await deps.scanning.scanPending();
  };
  const tick = () => {
    running ??= sweep()
      .catch((error: unknown) => deps.logger.warn(`documents sweep failed: ${(error as Error).message}`))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, deps.intervalMs);
  timer.unref();
  return {
    sweep: async () => {
      tick();
      await running;
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
