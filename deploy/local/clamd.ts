// clamd (Debian's clamav-daemon) for the local stack: a config file written into .local/clamd and
// our own signature database, because no signature download (freshclam) is possible on our
// machines. Production points CLAMD_URL at any clamd with real signatures instead.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deployDir, host, localDir, ports } from './config.ts';

/**
 * The committed signature database: one body signature (`.ndb`, any file type, any offset) on the
 * EICAR test string, so it is found inside a larger file too. clamd reports it as
 * `Portal.Test.EICAR.UNOFFICIAL` (it appends `.UNOFFICIAL` to names from unsigned databases).
 */
export const clamdSignatureFile = join(deployDir, 'clamav', 'portal-eicar.ndb');
export const clamdDir = join(localDir, 'clamd');
export const clamdConfigFile = join(clamdDir, 'clamd.conf');

export interface ClamdConfigOptions {
  tcpAddr: string;
  tcpPort: number;
  databaseDir: string;
  pidFile: string;
  tempDir: string;
}

/**
 * clamd.conf for a foreground clamd on TCP only. No `LocalSocket` (nothing near Debian's
 * /var/run/clamav/clamd.ctl), no `LogFile` (in the foreground clamd logs to stdout, which the
 * launcher writes to .local/logs/clamd.log), no `User` (clamd runs as whoever starts it, root
 * included). Limits fit documents of up to 100 MB.
 */
export function clamdConfig(options: ClamdConfigOptions): string {
  return [
    '# Written by deploy/local/clamd.ts at every start: local development only, edits are lost.',
    'Foreground yes',
    `TCPSocket ${options.tcpPort}`,
    `TCPAddr ${options.tcpAddr}`,
    `DatabaseDirectory ${options.databaseDir}`,
    `PidFile ${options.pidFile}`,
    `TemporaryDirectory ${options.tempDir}`,
    'LogTime yes',
    '# No signature updates here, so no periodic database check or reload.',
    'SelfCheck 0',
    'ConcurrentDatabaseReload no',
    '# Documents may be up to 100 MB; a larger stream gets "INSTREAM size limit exceeded. ERROR".',
    'StreamMaxLength 110M',
    'MaxFileSize 110M',
    'MaxScanSize 110M',
    '',
  ].join('\n');
}

/** Writes .local/clamd/{clamd.conf, db/<signature file>, tmp/} and returns the config path. */
export function prepareClamd(): string {
  const databaseDir = join(clamdDir, 'db');
  const tempDir = join(clamdDir, 'tmp');
  mkdirSync(databaseDir, { recursive: true });
  mkdirSync(tempDir, { recursive: true });
  // A copy, not the repo folder itself: clamd loads every database file in DatabaseDirectory.
  copyFileSync(clamdSignatureFile, join(databaseDir, basename(clamdSignatureFile)));
  writeFileSync(
    clamdConfigFile,
    clamdConfig({ tcpAddr: host, tcpPort: ports.clamd, databaseDir, pidFile: join(clamdDir, 'clamd.pid'), tempDir }),
  );
  return clamdConfigFile;
}
