import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './pdf-tools.js';

export interface LocalTsa {
  readonly url: string;
  readonly certificatePem: string;
  readonly requests: () => number;
  readonly close: () => Promise<void>;
}

const config = (dir: string): string => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = ${dir}/serial
crypto_device = builtin
signer_cert = ${dir}/tsa.pem
certs = ${dir}/tsa.pem
signer_key = ${dir}/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;

/** An RFC 3161 authority on 127.0.0.1 backed by `openssl ts -reply`, with a throwaway TSA certificate. */
export const startLocalTsa = async (): Promise<LocalTsa> => {
  const dir = tempDir('paraphe-tsa-');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'tsa.key'),
      '-out',
      join(dir, 'tsa.pem'),
      '-days',
      '30',
      '-subj',
      '/CN=Paraphe test TSA',
      '-addext',
      'extendedKeyUsage=critical,timeStamping',
      '-addext',
      'keyUsage=critical,digitalSignature',
    ],
    { stdio: 'ignore' },
  );
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(join(dir, 'tsa.cnf'), config(dir));
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      count += 1;
      const query = join(dir, `q${count}.tsq`);
      const reply = join(dir, `r${count}.tsr`);
      writeFileSync(query, Buffer.concat(chunks));
      try {
        execFileSync(
          'openssl',
          ['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', query, '-out', reply],
          {
            stdio: 'ignore',
          },
        );
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
        res.end(readFileSync(reply));
      } catch {
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    certificatePem: readFileSync(join(dir, 'tsa.pem'), 'utf8'),
    requests: () => count,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
};
