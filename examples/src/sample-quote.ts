import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

/** A one-page quote like a CRM would produce, for demos without `--document`. */
export const sampleQuotePdf = async (quoteNumber: string, customer: string): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Devis ${quoteNumber}`);
  pdf.setProducer('Paraphe demo');
  const page = pdf.addPage([595, 842]);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  page.drawText(`Devis ${quoteNumber}`, { x: 50, y: 780, size: 22, font: bold, color: rgb(0.1, 0.2, 0.45) });
  page.drawText(`Client : ${customer}`, { x: 50, y: 745, size: 12, font });
  const lines: ReadonlyArray<readonly [string, string]> = [
    ['Licences CRM (12 mois)', '4 800,00 €'],
    ['Mise en service', '1 200,00 €'],
    ['Formation (2 jours)', '1 600,00 €'],
  ];
  lines.forEach(([label, amount], i) => {
    const y = 690 - i * 24;
    page.drawText(label, { x: 50, y, size: 12, font });
    page.drawText(amount, { x: 450, y, size: 12, font });
  });
  page.drawText('Total HT : 7 600,00 €', { x: 380, y: 600, size: 13, font: bold });
  page.drawText('Bon pour accord, date et signature :', { x: 50, y: 540, size: 11, font });
  return pdf.save();
};
