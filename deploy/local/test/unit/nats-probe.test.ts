import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../components.ts';
import { natsCredentialsEnvFor, natsPasswordKey } from '../../nats-auth.ts';

/** A stand-in NATS that greets with `info` and answers CONNECT as told (the real server is in the integration suite). */
function fakeNats(info: Record<string, unknown>, answer: (connectLine: string) => string): Promise<Server> {
  const server = createServer((socket: Socket) => {
    socket.write(`INFO ${JSON.stringify(info)}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      const line = /^CONNECT (.*)\r\n/m.exec(buffer);
      if (line?.[1] && buffer.includes('PING')) {
        socket.end(answer(line[1]));
        buffer = '';
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const urlOf = (server: Server) => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return `nats://127.0.0.1:${address.port}`;
};

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('the NATS probe', () => {
  const base = { version: '2.15.2', jetstream: true };

  it('refuses a NATS that lets clients in without credentials, saying what to do', async () => {
    const server = await fakeNats({ ...base, auth_required: false }, () => 'PONG\r\n');
    servers.push(server);
    await expect(probe('nats', { NATS_URL: urlOf(server), NATS_USER: 'tools', NATS_PASSWORD: 'p' })).rejects.toThrow(
      /accepts clients without credentials .*npm run infra down/,
    );
  });

  it('asks for credentials when the server wants them and none are given', async () => {
    const server = await fakeNats({ ...base, auth_required: true }, () => 'PONG\r\n');
    servers.push(server);
    await expect(probe('nats', { NATS_URL: urlOf(server) })).rejects.toThrow(/set NATS_USER and NATS_PASSWORD/);
  });

  it('sends the credentials and reports a refusal by name', async () => {
    let connect: { user?: string; pass?: string } = {};
    const server = await fakeNats({ ...base, auth_required: true }, (line) => {
      connect = JSON.parse(line) as typeof connect;
      return connect.pass === 'right' ? 'PONG\r\n' : "-ERR 'Authorization Violation'\r\n";
    });
    servers.push(server);
    const env = { NATS_URL: urlOf(server), NATS_USER: 'tools' };
    await expect(probe('nats', { ...env, NATS_PASSWORD: 'wrong' })).rejects.toThrow(
      /NATS refused user "tools": 'Authorization Violation'/,
    );
    expect(connect).toMatchObject({ user: 'tools', pass: 'wrong' });
    await expect(probe('nats', { ...env, NATS_PASSWORD: 'right' })).resolves.toMatchObject({
      version: '2.15.2',
      jetstream: true,
    });
  });
});

describe("a process's NATS credentials from the stack's env", () => {
  it("are its own user's when the stack names that password, else the stack's user", () => {
    const stack = {
      NATS_USER: 'tools',
      NATS_PASSWORD: 'tools-pw',
      [natsPasswordKey('directory')]: 'directory-pw',
      [natsPasswordKey('all-in-one')]: 'all-pw',
    };
    expect(natsPasswordKey('all-in-one')).toBe('ALL_IN_ONE_NATS_PASSWORD');
    expect(natsCredentialsEnvFor(stack, 'directory')).toEqual({
      NATS_USER: 'directory',
      NATS_PASSWORD: 'directory-pw',
    });
    expect(natsCredentialsEnvFor(stack, 'all-in-one')).toEqual({ NATS_USER: 'all-in-one', NATS_PASSWORD: 'all-pw' });
    expect(natsCredentialsEnvFor(stack, 'gateway')).toEqual({ NATS_USER: 'tools', NATS_PASSWORD: 'tools-pw' });
    expect(natsCredentialsEnvFor({}, 'gateway')).toEqual({});
  });
});
