// A sandbox mail server: real SMTP on loopback that accepts every message and keeps it, for drills, the demo and tests.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the server received it: the envelope and the raw RFC 5322 text. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
}

export interface SmtpSandbox {
  url: string;
  messages: ReceivedMail[];
  stop(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 (a free port) that accepts and records every message. */
export async function startSmtpSandbox(): Promise<SmtpSandbox> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Loopback only: nothing to protect, so no STARTTLS or AUTH to negotiate and nodemailer speaks plain SMTP.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom;
        messages.push({
          envelopeFrom: from ? from.address : '',
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
