import {
  type AuditEvent,
  decodeEvidenceFile,
  type TimelineEntry,
  verifyChain,
  verifyChainAgainstHead,
  verifyEvidenceChain,
} from '@paraphe/domain';
import * as E from 'fp-ts/lib/Either.js';
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFDocument,
  type PDFHexString,
  PDFName,
  type PDFRawStream,
  type PDFString,
} from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { admin, makeHarness, right, seller } from './test-support/harness.js';

/** The files attached to a PDF, by name, read with pdf-lib as any PDF reader would. */
const attachments = async (pdf: Uint8Array): Promise<ReadonlyMap<string, string>> => {
  const doc = await PDFDocument.load(pdf);
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const list = files?.lookupMaybe(PDFName.of('Names'), PDFArray);
  const out = new Map<string, string>();
  for (let i = 0; list !== undefined && i < list.size(); i += 2) {
    const name = (list.lookup(i) as PDFString | PDFHexString).decodeText();
    const spec = list.lookup(i + 1, PDFDict);
    const stream = spec.lookup(PDFName.of('EF'), PDFDict).lookup(PDFName.of('F')) as PDFRawStream;
    out.set(name, new TextDecoder().decode(decodePDFRawStream(stream).decode()));
  }
  return out;
};

const asEvents = (timeline: ReadonlyArray<TimelineEntry>): ReadonlyArray<AuditEvent> => timeline;

describe('the head at signature', () => {
  it('is printed on the certificate, attached with every event, and marked in the sender’s timeline', async () => {
    const h = await makeHarness();
    const { admin: a, sender: s, signer } = h.paraphe;
    await right(a.activate(admin));
    await right(a.orderCredits(admin, { quantity: 1, orderReference: 'PO-1' }));
    await h.putQuote('q1', {
      document: { fileName: 'Devis D-q1 (révisé).pdf', bytes: (await h.putQuote('x')).document!.bytes },
    });
    const sent = await right(s.send(seller, { quoteId: 'q1', subject: 'Devis', body: '{{signing_link}}' }));
    const token = h.tokenFor(sent.id);
    await right(signer.open(token, { ip: '203.0.113.7', userAgent: 'Firefox' }));
    await right(signer.requestCode(token));
    await right(signer.verifyCode(token, h.lastCode(sent.id)));
    await right(signer.sign(token, true, { ip: '203.0.113.7' }));

    const view = await right(s.getProcedure(seller, sent.id));
    const marked = view.timeline.filter((entry) => entry.headAtSignature === true);
    expect(marked.map((entry) => entry.type)).toEqual(['signed']);
    const head = marked[0]!;
    expect(view.auditChainHeadAtSignature).toBe(head.hash);
    // The follow-up action is chained after the seal: the timeline's head moved on, the chain up to the mark holds.
    expect(view.timeline.at(-1)?.type).toBe('follow_up_created');
    expect(view.auditChainHead).not.toBe(head.hash);
    expect(verifyChain(asEvents(view.timeline))).toEqual({ valid: true });
    const upToMark = asEvents(view.timeline.slice(0, head.sequence + 1));
    expect(verifyChainAgainstHead(upToMark, head.hash)).toBe(true);

    const certificate = await right(s.downloadCertificate(seller, sent.id));
    const files = await attachments(certificate.bytes);
    expect([...files.keys()]).toEqual(['paraphe-evidence.json']);
    const evidence = decodeEvidenceFile(files.get('paraphe-evidence.json')!);
    if (E.isLeft(evidence)) throw new Error(JSON.stringify(evidence.left));
    expect(evidence.right.chain).toMatchObject({ headAtSignature: head.hash, headSequence: head.sequence });
    expect(verifyEvidenceChain(evidence.right)).toEqual({ valid: true });
    // The bundle holds the chain up to the signature; the sender's later events chain on from it.
    expect(evidence.right.events.map((event) => event.hash)).toEqual(upToMark.map((event) => event.hash));
    expect(verifyEvidenceChain({ ...evidence.right, events: asEvents(view.timeline) })).toEqual({
      valid: true,
    });
    expect(evidence.right.document).toMatchObject({ name: 'Devis D-q1 (révisé).pdf', pageCount: 1 });
    expect(evidence.right.document.signedSha256).toBe(view.signedDocumentSha256);
    expect(evidence.right.tenantName).toBeTypeOf('string');
  });
});
