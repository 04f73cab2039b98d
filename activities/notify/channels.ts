import { createTransport } from 'nodemailer';

/** One packet going out by e-mail: both renderings, and a Message-ID derived from the call's idempotency key. */
export interface PacketMail {
  messageId: string;
  to: string;
  subject: string;
  /** The Markdown rendering, sent as the text part. */
  text: string;
  html: string;
  /** Files attached as they are (the PDF rendering). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Sends packets by e-mail (SMTP in production and tests). */
export interface PacketMailer {
  send(mail: PacketMail): Promise<{ response: string }>;
}

/**
 * Posts packets to Slack (a counsel channel or a DM). Left as an interface: the Slack app (slack/) implements it
 * with chat.postMessage; `key` is stable per delivery so an implementation can refuse to post twice.
 */
export interface PacketPoster {
  post(message: { channel: string; text: string; key: string }): Promise<{ ts?: string }>;
}

/** SMTP settings: `smtp://user:pass@host:port` (or `smtps://`), and the sender address. */
export interface SmtpOptions {
  url: string;
  from: string;
}

/** A mailer over SMTP with nodemailer. Credentials stay in the URL, which is never logged. */
export function createSmtpMailer(options: SmtpOptions): PacketMailer {
  const transport = createTransport(options.url);
  return {
    async send(mail) {
      const info = await transport.sendMail({
        from: options.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
      });
      return { response: String(info.response) };
    },
  };
}
