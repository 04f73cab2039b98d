// Notify benchmarks. Packets: building and rendering the counsel packet of a large incident (1,000 exposed repos,
// 3,000 readable secrets), against serialising the same facts as JSON in the same run (the floor any rendering pays),
// with the packet's size, since its Markdown travels in the plan and so in the history. Delivery: e-mailing packets
// over SMTP (nodemailer) to the sandbox server on loopback, one message at a time as apply does.
import { performance } from 'node:perf_hooks';
import { createSmtpMailer } from '../activities/notify';
import { buildPacket, renderHtml, renderMarkdown, type PacketSource } from '../domain/notify';
import { startSmtpSandbox } from '../sandbox/smtp';
import { summary } from './stats';

const REPOS = Number(process.env.BENCH_NOTIFY_REPOS ?? 1000);
const RUNS = Number(process.env.BENCH_NOTIFY_RUNS ?? 30);
const MAILS = Number(process.env.BENCH_NOTIFY_MAILS ?? 50);

function largeIncident(repos: number): PacketSource {
  const repo = (i: number) => ({ owner: 'acme', name: `svc-${String(i).padStart(4, '0')}` });
  return {
    incidentId: 'incident-bench-notify',
    title: 'bench',
    severity: 'critical',
    org: 'acme',
    initiator: 'alice',
    since: '2026-06-17T00:00:00.000Z',
    startedAt: '2026-06-18T00:00:00.000Z',
    drill: true,
    advisoryIds: ['MAL-2026-6011'],
    packages: [{ ecosystem: 'npm', name: '@mastra/core', versions: ['1.42.1'] }],
    steps: [
      {
        id: 'identify',
        name: 'identify',
        phase: 'identify',
        mutates: false,
        status: 'succeeded',
        finishedAt: '2026-06-18T00:10:00.000Z',
        output: {
          exposedRepos: Array.from({ length: repos }, (_, i) => repo(i)),
          findings: Array.from({ length: repos * 2 }, () => ({})),
        },
      },
      {
        id: 'ci',
        name: 'ci',
        phase: 'identify',
        mutates: false,
        status: 'succeeded',
        output: {
          runs: Array.from({ length: repos * 3 }, () => ({})),
          workflows: Array.from({ length: repos }, (_, i) => ({
            repo: `acme/${repo(i).name}`,
            path: '.github/workflows/ci.yml',
          })),
          runners: [],
          secrets: Array.from({ length: repos * 3 }, (_, i) => ({
            repo: `acme/${repo(Math.floor(i / 3)).name}`,
            scope: 'repository',
            name: `SECRET_${i % 3}`,
          })),
        },
      },
    ],
  };
}

function time(fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

export default async function notifyBench(): Promise<Record<string, unknown>> {
  const src = largeIncident(REPOS);
  let markdown = '';
  let html = '';
  const packet = time(() => {
    const p = buildPacket(src, { id: 'counsel', name: 'Counsel' }, 'notice');
    markdown = renderMarkdown(p);
    html = renderHtml(p);
  });
  const json = time(() => void JSON.stringify(src));

  const smtp = await startSmtpSandbox();
  const mailer = createSmtpMailer({ url: smtp.url, from: 'bench@cordon.local' });
  const send: number[] = [];
  try {
    for (let i = 0; i < MAILS; i++) {
      const t = performance.now();
      await mailer.send({
        messageId: `<bench-${i}@cordon>`,
        to: 'counsel@example.com',
        subject: 'bench',
        text: markdown,
        html,
      });
      send.push(performance.now() - t);
    }
  } finally {
    await smtp.stop();
  }
  return {
    packet: {
      repos: REPOS,
      buildAndRenderMs: summary(packet),
      baselineJsonStringifyMs: summary(json),
      markdownBytes: Buffer.byteLength(markdown),
      htmlBytes: Buffer.byteLength(html),
    },
    smtp: {
      messages: MAILS,
      received: smtp.messages.length,
      messageBytes: smtp.messages[0]?.raw.length,
      sendMs: summary(send),
    },
  };
}
