import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { PemSigningIdentityConfig } from '../signing-identity.js';
import { tempDir } from './pdf-tools.js';

/**
 * A throwaway PKI on 127.0.0.1 built with the openssl CLI, independent of the project's own code: a root, a
 * signer and a TSA under it, an OCSP responder (`openssl ocsp` per request) and a CRL, an RFC 3161 authority
 * (`openssl ts -reply`). Certificates name the responder in their AIA, or only the CRL (`revocation: 'crl'`).
 */
export interface LocalPki {
  readonly identity: PemSigningIdentityConfig;
  readonly rootPem: string;
  readonly tsaPem: string;
  readonly tsaUrl: string;
  readonly ocspUrl: string;
  /** Requests each service answered. */
  readonly counts: () => { readonly ocsp: number; readonly crl: number; readonly tsa: number };
  /** Marks the signer revoked in the responder's index (the next fresh answer says so). */
  readonly revokeSigner: () => void;
  /** Makes the responder hang (no answer) or answer again. */
  readonly hangOcsp: (hang: boolean) => void;
  readonly close: () => Promise<void>;
}

const openssl = (args: ReadonlyArray<string>, cwd: string): string =>
  execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const TSA_CONFIG = (dir: string) => `
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = ${dir}/tsaserial
crypto_device = builtin
signer_cert = ${dir}/tsa.pem
certs = ${dir}/tsa-chain.pem
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

const indexLine = (dir: string, cert: string, status: 'V' | 'R'): string => {
  const serial = openssl(['x509', '-in', cert, '-noout', '-serial'], dir).trim().split('=')[1]!;
  const subject = openssl(['x509', '-in', cert, '-noout', '-subject', '-nameopt', 'compat'], dir)
    .trim()
    .replace(/^subject=\s*/, '');
  const revoked = status === 'R' ? '250101000000Z' : '';
  return `${status}\t300101000000Z\t${revoked}\t${serial}\tunknown\t${subject}\n`;
};

export const startLocalPki = async (
  options: {
    readonly revocation?: 'ocsp' | 'crl';
    /** `leaf-only`: the signer's chain and the TSA's token hold no root; certificates name it in AIA caIssuers. */
    readonly chains?: 'complete' | 'leaf-only';
  } = {},
): Promise<LocalPki> => {
  const leafOnly = options.chains === 'leaf-only';
  const dir = tempDir('paraphe-pki-');
  const counts = { ocsp: 0, crl: 0, tsa: 0 };
  let hang = false;
  const pending = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      try {
        if (req.url === '/ocsp') {
          counts.ocsp += 1;
          if (hang) {
            pending.add(res);
            return;
          }
          writeFileSync(join(dir, 'q.ocsp'), body);
          openssl(
            [
              'ocsp',
              '-index',
              'index.txt',
              '-rsigner',
              'root.pem',
              '-rkey',
              'root.key',
              '-CA',
              'root.pem',
              '-reqin',
              'q.ocsp',
              '-respout',
              'r.ocsp',
              '-nmin',
              '10',
            ],
            dir,
          );
          res.writeHead(200, { 'content-type': 'application/ocsp-response' });
          res.end(readFileSync(join(dir, 'r.ocsp')));
        } else if (req.url === '/root.cer') {
          res.writeHead(200, { 'content-type': 'application/pkix-cert' });
          res.end(readFileSync(join(dir, 'root.cer')));
        } else if (req.url === '/root.crl') {
          counts.crl += 1;
          res.writeHead(200, { 'content-type': 'application/pkix-crl' });
          res.end(readFileSync(join(dir, 'root.crl')));
        } else if (req.url === '/tsa') {
          counts.tsa += 1;
          writeFileSync(join(dir, 'q.tsq'), body);
          openssl(['ts', '-reply', '-config', 'tsa.cnf', '-queryfile', 'q.tsq', '-out', 'r.tsr'], dir);
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(readFileSync(join(dir, 'r.tsr')));
        } else {
          res.writeHead(404);
          res.end();
        }
      } catch {
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const caIssuers = leafOnly ? `,caIssuers;URI:${base}/root.cer` : '';
  const pointer =
    options.revocation === 'crl'
      ? `crlDistributionPoints=URI:${base}/root.crl${leafOnly ? `\nauthorityInfoAccess=caIssuers;URI:${base}/root.cer` : ''}`
      : `authorityInfoAccess=OCSP;URI:${base}/ocsp${caIssuers}`;
  writeFileSync(
    join(dir, 'ext.cnf'),
    [
      '[ req ]',
      'distinguished_name = dn',
      '[ dn ]',
      '[ signer ]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,nonRepudiation',
      pointer,
      '[ tsa ]',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=critical,timeStamping',
      pointer,
      '[ ca ]',
      'basicConstraints=critical,CA:TRUE',
      'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
      '',
    ].join('\n'),
  );
  openssl(
    [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem'],
      ...['-days', '30', '-subj', '/O=Paraphe tests/CN=Paraphe test root', '-extensions', 'ca'],
      ...['-config', 'ext.cnf'],
    ],
    dir,
  );
  const issue = (nameOf: string, subject: string, section: string) => {
    openssl(
      [
        'req',
        '-new',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        `${nameOf}.key`,
        '-out',
        `${nameOf}.csr`,
        '-subj',
        subject,
      ],
      dir,
    );
    openssl(
      [
        ...['x509', '-req', '-in', `${nameOf}.csr`, '-CA', 'root.pem', '-CAkey', 'root.key', '-set_serial'],
        ...[`0x${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString('hex')}`],
        ...['-days', '20', '-out', `${nameOf}.pem`, '-extfile', 'ext.cnf', '-extensions', section],
      ],
      dir,
    );
  };
  issue('signer', '/O=Paraphe tests/CN=Paraphe test signer', 'signer');
  issue('tsa', '/O=Paraphe tests/CN=Paraphe test TSA', 'tsa');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  writeFileSync(join(dir, 'tsa-chain.pem'), leafOnly ? read('tsa.pem') : read('tsa.pem') + read('root.pem'));
  openssl(['x509', '-in', 'root.pem', '-outform', 'DER', '-out', 'root.cer'], dir);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  writeFileSync(join(dir, 'tsa.cnf'), TSA_CONFIG(dir));
  const index = (signer: 'V' | 'R') =>
    writeFileSync(
      join(dir, 'index.txt'),
      indexLine(dir, 'signer.pem', signer) + indexLine(dir, 'tsa.pem', 'V'),
    );
  index('V');
  // An empty CRL signed by the root, through `openssl ca` with a minimal database.
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = local',
      '[ local ]',
      `database = ${dir}/index.txt`,
      `crlnumber = ${dir}/crlnumber`,
      'default_md = sha256',
      'default_crl_days = 1',
      '',
    ].join('\n'),
  );
  const crl = () => {
    openssl(
      [
        'ca',
        '-gencrl',
        '-config',
        'ca.cnf',
        '-keyfile',
        'root.key',
        '-cert',
        'root.pem',
        '-out',
        'root.crl.pem',
      ],
      dir,
    );
    openssl(['crl', '-in', 'root.crl.pem', '-outform', 'DER', '-out', 'root.crl'], dir);
  };
  crl();

  return {
    identity: {
      kind: 'pem',
      privateKeyPem: read('signer.key'),
      certificateChainPem: leafOnly ? [read('signer.pem')] : [read('signer.pem'), read('root.pem')],
    },
    rootPem: read('root.pem'),
    tsaPem: read('tsa.pem'),
    tsaUrl: `${base}/tsa`,
    ocspUrl: `${base}/ocsp`,
    counts: () => ({ ...counts }),
    revokeSigner: () => {
      index('R');
      crl();
    },
    hangOcsp: (value) => {
      hang = value;
    },
    close: () =>
      new Promise<void>((ok) => {
        for (const res of pending) res.destroy();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
};
