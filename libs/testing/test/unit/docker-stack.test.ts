import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerEngineAnswers } from '../../src/docker-stack.ts';
import { chooseStackSource } from '../../src/global-setup.ts';

// What can be checked without a Docker engine. startDockerStack itself is NOT tested anywhere:
// the project's machines have no engine (see libs/testing/README.md).

const fakeBin = mkdtempSync(join(tmpdir(), 'fake-docker-'));
afterAll(() => rmSync(fakeBin, { recursive: true, force: true }));

/** A PATH whose only `docker` is a script with the given body. */
function pathWithFakeDocker(body: string): string {
  const dir = mkdtempSync(join(fakeBin, 'bin-'));
  writeFileSync(join(dir, 'docker'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, 'docker'), 0o755);
  return `${dir}:/usr/bin:/bin`;
}

describe('dockerEngineAnswers', () => {
  it.skipIf(existsSync('/var/run/docker.sock') || process.env['DOCKER_HOST'] !== undefined)(
    'is false on a machine without a Docker engine (these machines: client only)',
    async () => {
      expect(await dockerEngineAnswers()).toBe(false);
    },
  );

  it('is false when the engine named by DOCKER_HOST does not exist', async () => {
    expect(await dockerEngineAnswers({ ...process.env, DOCKER_HOST: `unix://${join(fakeBin, 'none.sock')}` })).toBe(
      false,
    );
  });

  it('is false when there is no docker client at all', async () => {
    expect(await dockerEngineAnswers({ PATH: fakeBin })).toBe(false);
  });

  it('is false when PORTAL_TEST_DOCKER=off, even if docker answers', async () => {
    const PATH = pathWithFakeDocker('echo 27.0.0');
    expect(await dockerEngineAnswers({ PATH })).toBe(true);
    expect(await dockerEngineAnswers({ PATH, PORTAL_TEST_DOCKER: 'off' })).toBe(false);
  });

  it('is false when docker info hangs past the timeout', async () => {
    const began = Date.now();
    expect(await dockerEngineAnswers({ PATH: pathWithFakeDocker('sleep 30') }, 500)).toBe(false);
    expect(Date.now() - began).toBeLessThan(5_000);
  });
});

describe('chooseStackSource', () => {
  it('prefers URLs given in env, then Docker, then the native launcher', () => {
    expect(chooseStackSource({ envComplete: true, dockerAnswers: true })).toBe('env');
    expect(chooseStackSource({ envComplete: true, dockerAnswers: false })).toBe('env');
    expect(chooseStackSource({ envComplete: false, dockerAnswers: true })).toBe('docker');
    expect(chooseStackSource({ envComplete: false, dockerAnswers: false })).toBe('native');
  });
});
