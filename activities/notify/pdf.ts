import PDFDocument from 'pdfkit';
import type { Packet } from '../../domain/notify';

/**
 * The packet as a PDF (pdfkit, pure JavaScript: no browser). Standard Helvetica, so no font files ship; text
 * outside Windows-1252 is replaced rather than dropped silently. The creation date is the incident's declaration,
 * so the same packet renders to the same bytes.
 */
export function renderPdf(packet: Packet, createdAt: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: packet.subject, Creator: 'cordon', Producer: 'cordon', CreationDate: createdAt },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // Helvetica's encoding (WinAnsi) covers Latin text, dashes and the ellipsis; anything else becomes '?'.
  const safe = (s: string): string => s.replace(/[^\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018-\u201d\u2026\n]/g, '?');
  doc.font('Helvetica-Bold').fontSize(15).text(safe(packet.subject));
  for (const section of packet.sections) {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(safe(section.title));
    doc.font('Helvetica').fontSize(10);
    for (const line of section.lines) doc.text(`•  ${safe(line)}`, { indent: 8 });
  }
  doc.end();
  return done;
}
