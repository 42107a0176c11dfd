import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import type moleculer from 'moleculer';
import { recordEvent, type EventOrigin } from '@portal/kit';
import type { ScanVerdict } from '../adapters/malware-scanner.adapter.ts';
import type { ObjectStorage } from '../adapters/object-storage.adapter.ts';
import { findVersionById } from '../documents/documents.repository.ts';
import type { DocumentsStore } from '../persistence/documents-store.ts';
import type { VersionRow } from '../persistence/rows.ts';
import { fulfilRequestWith } from '../requests/requests.repository.ts';

/** The malware scanner as the documents service needs it (clamd in every install, see the adapter). */
export interface MalwareScanner {
  scan(stream: Readable): Promise<ScanVerdict>;
}

const scannerComponent: EventOrigin = { actor: { kind: 'system', component: 'documents.malware-scan' } };

/**
 * The quarantine: a version is `pending` until clamd has read it. A clean verdict makes it the
 * document's current version (publishing the document the first time) and fulfils the request it
 * answers; an infected one stays quarantined for good. A scan that cannot run (clamd down)
 * leaves the version pending; the sweep retries it.
 */
export class VersionScanning {
  private readonly store: DocumentsStore;
  private readonly storage: ObjectStorage;
  private readonly scanner: MalwareScanner;
  private readonly logger: moleculer.Logger;

  constructor(store: DocumentsStore, storage: ObjectStorage, scanner: MalwareScanner, logger: moleculer.Logger) {
    this.store = store;
    this.storage = storage;
    this.scanner = scanner;
    this.logger = logger;
  }

  /** Scans one pending version now; answers its scan state afterwards (`pending` if the scan failed). */
  async scan(versionId: string, origin: EventOrigin = scannerComponent): Promise<VersionRow['scan_state']> {
    const version = await findVersionById(this.store.read(), versionId);
    if (!version || version.scan_state !== 'pending') return version?.scan_state ?? 'pending';
    let verdict: ScanVerdict;
    try {
      verdict = await this.scanner.scan(await this.storage.read(version.object_key));
    } catch (error) {
      this.logger.warn(
        `malware scan of version ${versionId} failed; it stays quarantined: ${(error as Error).message}`,
      );
      await this.store
        .read()
        .execute('update document_version set scan_attempts = scan_attempts + 1 where id = ?', [versionId]);
      return 'pending';
    }
    return this.store.change((tx) => applyVerdict(tx, versionId, verdict, origin));
  }

  /** Retries versions still pending (oldest first); used by the sweep. */
  async scanPending(limit = 20): Promise<number> {
    const rows = await this.store
      .read()
      .execute<{ id: string }[]>(
        "select id from document_version where scan_state = 'pending' order by uploaded_at limit ?",
        [limit],
      );
    for (const row of rows) await this.scan(row.id);
    return rows.length;
  }
}

async function applyVerdict(
  tx: EntityManager,
  versionId: string,
  verdict: ScanVerdict,
  origin: EventOrigin,
): Promise<VersionRow['scan_state']> {
  const version = await findVersionById(tx, versionId, { forUpdate: true });
  if (!version || version.scan_state !== 'pending') return version?.scan_state ?? 'pending';
  const [document] = await tx.execute<
    {
      id: string;
      account_id: string;
      owner_kind: 'account' | 'site' | 'project';
      owner_id: string;
      title: string;
      current_number: number | null;
    }[]
  >(
    `select d.id, d.account_id, d.owner_kind, d.owner_id, d.title, cv.number as current_number
     from document d left join document_version cv on cv.id = d.current_version_id
     where d.id = ? for update of d`,
    [version.document_id],
  );
  if (!document) throw new Error(`version ${versionId} has no document`);
  const facts = {
    documentId: document.id,
    accountId: document.account_id,
    owner: { kind: document.owner_kind, id: document.owner_id },
  };
  const eventOrigin = { ...origin, accountId: document.account_id };

  if (verdict.verdict === 'infected') {
    await tx.execute(
      "update document_version set scan_state = 'infected', scan_signature = ?, scanned_at = now() where id = ?",
      [verdict.signature, versionId],
    );
    await recordEvent(
      tx,
      'documents.version.quarantined',
      { ...facts, versionId, signature: verdict.signature },
      eventOrigin,
    );
    return 'infected';
  }

  await tx.execute("update document_version set scan_state = 'clean', scanned_at = now() where id = ?", [versionId]);
  // Versions may pass the scan out of order: only a newer one replaces the current version.
  if (document.current_number === null || document.current_number < version.number) {
    await tx.execute('update document set current_version_id = ?, updated_at = now() where id = ?', [
      versionId,
      document.id,
    ]);
    if (document.current_number === null) {
      await recordEvent(
        tx,
        'documents.document.published',
        { ...facts, versionId, title: document.title },
        eventOrigin,
      );
    } else {
      await recordEvent(tx, 'documents.version.added', { ...facts, versionId, number: version.number }, eventOrigin);
    }
  }
  if (version.request_id) await fulfilRequestWith(tx, version, eventOrigin);
  return 'clean';
}
