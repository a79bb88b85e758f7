import type { DownloadedFile } from '@paraphe/domain';

/** A filename safe in a header: the ASCII fallback drops quotes and controls; `filename*` keeps the real name. */
const contentDisposition = (kind: 'inline' | 'attachment', fileName: string): string => {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_').slice(0, 150) || 'document.pdf';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
};

/** A PDF answer: inline to show in the page, attachment to download. */
export const pdfResponse = (file: DownloadedFile, kind: 'inline' | 'attachment'): Response =>
  new Response(file.bytes, {
    status: 200,
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(file.bytes.byteLength),
      'Content-Disposition': contentDisposition(kind, file.fileName),
    },
  });
