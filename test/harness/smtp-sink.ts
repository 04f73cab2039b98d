// The sandbox SMTP server, with each message parsed (mailparser) so tests read back what was delivered.
import { simpleParser, type ParsedMail } from 'mailparser';
import { startSmtpSandbox } from '../../sandbox/smtp';

/** A received message with its parsed form. */
export interface ParsedSmtpMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  /** Every message received so far, parsed. */
  parsed(): Promise<ParsedSmtpMail[]>;
  stop(): Promise<void>;
}

/** Starts a sandbox SMTP server on 127.0.0.1 whose messages tests read back parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const sandbox = await startSmtpSandbox();
  const messages: ParsedSmtpMail[] = [];
  const parsed = async (): Promise<ParsedSmtpMail[]> => {
    for (const m of sandbox.messages.slice(messages.length))
      messages.push({ envelopeTo: m.envelopeTo, raw: m.raw, parsed: await simpleParser(m.raw) });
    return messages;
  };
  return { url: sandbox.url, parsed, stop: sandbox.stop };
}
