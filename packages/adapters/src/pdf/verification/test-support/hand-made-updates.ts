import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, type PDFDocument, PDFName, PDFNumber, PDFRawStream } from '@cantoo/pdf-lib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { withoutChangeTracking } from '../../change-tracking.js';
import { answerOcspRequest, type StatusLookup } from '../../development-ocsp.js';
import {
  byteRangePlaceholder,
  contentsPlaceholder,
  embedSignature,
  prepareSignature,
} from '../../incremental-signature.js';
import { loadForIncrementalUpdate } from '../../load-pdf.js';
import { tempDir } from '../../test-support/pdf-tools.js';

// Test-only stand-ins for the sealer's B-LT and B-LTA steps, built by hand so that the verifier is tested on files
// whose every byte the test controls.

const buf = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer as ArrayBuffer;

/** Appends one incremental update made by `change` (which must set what it changes on tracked objects). */
export const appendUpdate = async (
  pdf: Uint8Array,
  change: (document: PDFDocument) => void | Promise<void>,
): Promise<Uint8Array> => {
  const document = await loadForIncrementalUpdate(pdf, Number.MAX_SAFE_INTEGER)();
  if (document._tag === 'Left') throw new Error(document.left.code);
  const doc = document.right;
  await change(doc);
  const snapshot = doc.context.snapshot!;
  const increment = await withoutChangeTracking(doc.context, () =>
    doc.saveIncremental(snapshot, { useObjectStreams: false }),
  );
  return new Uint8Array(Buffer.concat([pdf, increment]));
};

const stream = (doc: PDFDocument, bytes: Uint8Array) =>
  doc.context.register(PDFRawStream.of(doc.context.obj({ Length: bytes.length }), bytes));

/** Appends a /DSS with these certificates, OCSP responses and CRLs (DER), as PAdES B-LT does. */
export const appendDss = (
  pdf: Uint8Array,
  entries: { readonly certificates: ReadonlyArray<Uint8Array>; readonly ocsps?: ReadonlyArray<Uint8Array> },
): Promise<Uint8Array> =>
  appendUpdate(pdf, async (doc) => {
    const dss = await withoutChangeTracking(doc.context, () =>
      doc.context.register(
        doc.context.obj({
          Type: 'DSS',
          Certs: entries.certificates.map((c) => stream(doc, c)),
          OCSPs: (entries.ocsps ?? []).map((o) => stream(doc, o)),
        }),
      ),
    );
    doc.catalog.set(PDFName.of('DSS'), dss);
  });

/** A DER TimeStampToken from an RFC 3161 authority for this SHA-256 digest. */
export const timestampDigest = async (tsaUrl: string, digest: Uint8Array): Promise<Uint8Array> => {
  const dir = tempDir('paraphe-doc-ts-');
  const query = join(dir, 'q.tsq');
  execFileSync('openssl', [
    'ts',
    '-query',
    '-digest',
    Buffer.from(digest).toString('hex'),
    '-sha256',
    '-cert',
    '-out',
    query,
  ]);
  const response = await fetch(tsaUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: readFileSync(query),
  });
  const parsed = pkijs.TimeStampResp.fromBER(await response.arrayBuffer());
  if (parsed.timeStampToken === undefined) throw new Error('no token');
  return new Uint8Array(parsed.timeStampToken.toSchema().toBER(false));
};

/** Appends a document timestamp (/SubFilter /ETSI.RFC3161) over the whole file, as PAdES B-LTA does. */
export const appendDocumentTimestamp = async (pdf: Uint8Array, tsaUrl: string): Promise<Uint8Array> => {
  const withPlaceholder = await appendUpdate(pdf, async (doc) => {
    const page = doc.getPage(0);
    const form = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
    const fields = form?.lookupMaybe(PDFName.of('Fields'), PDFArray);
    const annots = page.node.Annots();
    const built = await withoutChangeTracking(doc.context, () => {
      const signature = doc.context.obj({
        Type: 'DocTimeStamp',
        Filter: 'Adobe.PPKLite',
        SubFilter: 'ETSI.RFC3161',
      });
      signature.set(PDFName.of('ByteRange'), byteRangePlaceholder());
      signature.set(PDFName.of('Contents'), contentsPlaceholder(8192));
      const widget = doc.context.register(
        doc.context.obj({
          Type: 'Annot',
          Subtype: 'Widget',
          FT: 'Sig',
          F: 132,
          Rect: [0, 0, 0, 0],
          P: page.ref,
          T: 'DocumentTimestamp',
          V: doc.context.register(signature),
        }),
      );
      return {
        fields: doc.context.obj([...(fields?.asArray() ?? []), widget]),
        annots: doc.context.obj([...(annots?.asArray() ?? []), widget]),
      };
    });
    if (form === undefined) throw new Error('a signed document has a form');
    form.set(PDFName.of('Fields'), built.fields);
    form.set(PDFName.of('SigFlags'), PDFNumber.of(3));
    page.node.set(PDFName.of('Annots'), built.annots);
  });
  const original = withPlaceholder.subarray(0, pdf.length);
  const prepared = prepareSignature(original, withPlaceholder.subarray(pdf.length));
  return embedSignature(prepared, await timestampDigest(tsaUrl, prepared.digest));
};

export interface TestPki {
  readonly rootPem: string;
  readonly leafPem: string;
  readonly leafKeyPem: string;
  readonly rootDer: Uint8Array;
  readonly leafDer: Uint8Array;
  /** An OCSP response from the root about the leaf. */
  readonly ocspAboutLeaf: (statusOf: StatusLookup) => Uint8Array;
}

/** A root and a leaf made with openssl (EC P-256), and OCSP answers about the leaf signed by the root. */
export const makeTestPki = (): TestPki => {
  const dir = tempDir('paraphe-pki-');
  const run = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const p = (name: string) => join(dir, name);
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('root.key'));
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    p('root.key'),
    '-subj',
    '/CN=Verifier test root',
    '-days',
    '30',
    '-out',
    p('root.pem'),
    '-addext',
    'basicConstraints=critical,CA:true',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  run('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('leaf.key'));
  run('pkcs8', '-topk8', '-nocrypt', '-in', p('leaf.key'), '-out', p('leaf.p8'));
  run('req', '-new', '-key', p('leaf.key'), '-subj', '/CN=Verifier test signer', '-out', p('leaf.csr'));
  writeFileSync(p('ext.cnf'), 'keyUsage=critical,digitalSignature,nonRepudiation\n');
  run(
    'x509',
    '-req',
    '-in',
    p('leaf.csr'),
    '-CA',
    p('root.pem'),
    '-CAkey',
    p('root.key'),
    '-set_serial',
    '4242',
    '-days',
    '30',
    '-extfile',
    p('ext.cnf'),
    '-out',
    p('leaf.pem'),
  );
  const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  const rootPem = readFileSync(p('root.pem'), 'utf8');
  const leafPem = readFileSync(p('leaf.pem'), 'utf8');
  const root = pkijs.Certificate.fromBER(buf(der(rootPem)));
  const leaf = pkijs.Certificate.fromBER(buf(der(leafPem)));
  const issuer = { certificate: root, privateKey: createPrivateKey(readFileSync(p('root.key'))) };
  const sha1 = (data: ArrayBuffer | Uint8Array) =>
    buf(
      new Uint8Array(
        createHash('sha1')
          .update(new Uint8Array(data as ArrayBuffer))
          .digest(),
      ),
    );
  const request = new pkijs.OCSPRequest({
    tbsRequest: new pkijs.TBSRequest({
      requestList: [
        new pkijs.Request({
          reqCert: new pkijs.CertID({
            hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.3.14.3.2.26' }),
            issuerNameHash: new asn1js.OctetString({ valueHex: sha1(root.subject.toSchema().toBER(false)) }),
            issuerKeyHash: new asn1js.OctetString({
              valueHex: sha1(root.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView),
            }),
            serialNumber: leaf.serialNumber,
          }),
        }),
      ],
    }),
  });
  const body = new Uint8Array(request.toSchema(true).toBER(false));
  return {
    rootPem,
    leafPem,
    leafKeyPem: readFileSync(p('leaf.p8'), 'utf8'),
    rootDer: der(rootPem),
    leafDer: der(leafPem),
    ocspAboutLeaf: (statusOf) => answerOcspRequest(issuer, body, { now: new Date(), statusOf }),
  };
};
