import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const examples = resolve(import.meta.dirname, '..');

const freePort = (): Promise<number> =>
  new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? done(address.port) : fail()));
    });
  });

/** Starts `pnpm demo:server`'s script and resolves with everything it printed once the signing page is known. */
const startServer = (port: number, out: string): Promise<{ child: ChildProcess; printed: string }> =>
  new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@paraphe/source',
        'src/demo-server.ts',
        '--port',
        String(port),
        '--out',
        out,
      ],
      { cwd: examples, env: { ...process.env, INIT_CWD: examples }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    child.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('Ctrl-C stops it.')) done({ child, printed });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    child.once('exit', (code) => fail(new Error(`demo server exited (${code}): ${printed}`)));
  });

describe('pnpm demo:server', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('serves the seeded signing page, the sender API and the development outbox on 127.0.0.1', async () => {
    const port = await freePort();
    const started = await startServer(port, mkdtempSync(join(tmpdir(), 'paraphe-demo-server-')));
    child = started.child;
    const link = started.printed.match(/signing page: +(\S+)/)?.[1] ?? '';
    expect(link.startsWith(`http://127.0.0.1:${port}/sign/`)).toBe(true);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Recevoir le code par SMS');

    const outbox = (await (await fetch(`http://127.0.0.1:${port}/_dev/outbox`)).json()) as {
      emails: unknown[];
    };
    expect(outbox.emails.length).toBeGreaterThan(0);

    const status = started.printed.match(/\/api\/procedures\/(sp_\w+)\/status/)?.[1];
    const api = await fetch(`http://127.0.0.1:${port}/api/procedures/${status}/status`, {
      headers: { Authorization: 'Bearer seller-token' },
    });
    expect(api.status).toBe(200);
    // Fetching the page above opened it.
    expect(await api.json()).toMatchObject({ status: 'opened' });
  }, 120_000);
});
