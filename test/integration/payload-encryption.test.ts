// Secrets never enter workflow history in clear (DESIGN.md): with keys configured, every payload the worker and the
// client write is AES-GCM ciphertext, a client without the key sees only ciphertext, and the history still replays.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { ActionHandlers } from '../../activities/registry';
import { connectClient } from '../../client/connect';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING } from '../../codec/codec';
import type { CodecConfig } from '../../config/codec';
import { workflowBundle } from '../../workflows/bundle';
import { statusQuery } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import {
  compileForTest,
  incidentInput,
  startEngine,
  temporalAddress,
  testConfig,
  type TestEngine,
} from '../harness/engine';
import { newWorld, TEST_CATALOG, testActions } from '../harness/test-actions';
import { playbookFixture } from '../harness/fixtures';

// Looks like an AWS secret access key; `test.read` echoes its input, so it is the step's output too.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRET0042';

const PLAYBOOK = playbookFixture('read-secret', { secret: SECRET });

const FAILING_PLAYBOOK = `
apiVersion: cordon/v1
kind: Playbook
name: encryption-failure-test
version: 1
phases: [identify]
steps:
  - id: explode
    phase: identify
    action: test.fail
    mutates: false
`;

const CODEC: CodecConfig = { activeKeyId: 'it-1', keys: { 'it-1': randomBytes(32) } };

interface FoundPayload {
  path: string;
  encoding: string;
  bytes: Buffer;
}

/** Every payload in a history (anything with metadata and data), with where it sits. */
function payloadsIn(value: unknown, path: string, out: FoundPayload[] = []): FoundPayload[] {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return out;
  const o = value as Record<string, unknown>;
  const metadata = o.metadata as Record<string, Uint8Array> | undefined;
  if (metadata && typeof metadata === 'object' && ArrayBuffer.isView(metadata.encoding)) {
    const bytes = ArrayBuffer.isView(o.data) ? Buffer.from(o.data as Uint8Array) : Buffer.alloc(0);
    const metaBytes = Object.values(metadata).map((v) => Buffer.from(v));
    out.push({
      path,
      encoding: Buffer.from(metadata.encoding).toString(),
      bytes: Buffer.concat([bytes, ...metaBytes]),
    });
  }
  for (const [k, v] of Object.entries(o)) payloadsIn(v, `${path}.${k}`, out);
  return out;
}

async function runIncident(engine: TestEngine): Promise<string> {
  const input = incidentInput(compileForTest(PLAYBOOK, TEST_CATALOG));
  const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
    taskQueue: engine.taskQueue,
    workflowId: input.incidentId,
    args: [input],
  });
  expect((await h.result()).status).toBe('completed');
  return input.incidentId;
}

let connection: Connection;
let raw: Client; // no codec: sees what the Temporal server stores

beforeAll(async () => {
  connection = await Connection.connect({ address: temporalAddress() });
  raw = new Client({ connection, namespace: 'default' });
});
afterAll(async () => connection.close());

describe('payload encryption', () => {
  it('keeps the secret out of the stored history, while a client with the key reads the incident normally', async () => {
    const engine = await startEngine(testActions(newWorld()), {}, CODEC);
    let history: temporal.api.history.v1.IHistory;
    let incidentId: string;
    try {
      incidentId = await runIncident(engine);
      // With the key: the step's output is the secret, as if nothing were encrypted.
      const state = await engine.client.workflow.getHandle(incidentId).query(statusQuery);
      expect(state.steps[0]!.output).toEqual({ awsSecretAccessKey: SECRET });
      // Without the key: the same query answer is ciphertext the default converter refuses.
      await expect(raw.workflow.getHandle(incidentId).query(statusQuery)).rejects.toThrow(/binary\/encrypted/);
      history = await raw.workflow.getHandle(incidentId).fetchHistory();
    } finally {
      await engine.stop();
    }

    const payloads = payloadsIn(history.events, 'events');
    const encrypted = payloads.filter((p) => p.encoding === ENCRYPTED_ENCODING);
    // Input, activity input and result, the workflow result: at least those four were written, all encrypted.
    expect(encrypted.length).toBeGreaterThanOrEqual(4);
    for (const p of payloads)
      expect({ path: p.path, secret: p.bytes.includes(SECRET) }).toEqual({ path: p.path, secret: false });
    // What stays readable is what the server must read itself (search attributes for `cordon list`) and the SDK's
    // own markers (a patch's id; a local activity's type and attempt in older histories); none carries step data.
    const clear = payloads.filter((p) => p.encoding !== ENCRYPTED_ENCODING).map((p) => p.path);
    for (const path of clear)
      expect(path).toMatch(/\.searchAttributes\.|\.markerRecordedEventAttributes\.details\.(?:data|patch-data)\./);
    expect(historyToJSON(history)).not.toContain(SECRET);
    expect(historyToJSON(history)).not.toContain(Buffer.from(JSON.stringify(SECRET)).toString('base64').slice(0, 20));
  });

  it('the CLI client decrypts with the configured keys', async () => {
    const engine = await startEngine(testActions(newWorld()), {}, CODEC);
    try {
      const incidentId = await runIncident(engine);
      const cli = await connectClient({ ...testConfig({}, engine.taskQueue), codec: CODEC });
      try {
        const state = await cli.client.workflow.getHandle(incidentId).query(statusQuery);
        expect(state.steps[0]!.output).toEqual({ awsSecretAccessKey: SECRET });
      } finally {
        await cli.close();
      }
    } finally {
      await engine.stop();
    }
  });

  it('the detector above does find the secret in a history written without a codec', async () => {
    const engine = await startEngine(testActions(newWorld()), {});
    try {
      const incidentId = await runIncident(engine);
      const history = await raw.workflow.getHandle(incidentId).fetchHistory();
      expect(payloadsIn(history.events, 'events').some((p) => p.bytes.includes(SECRET))).toBe(true);
    } finally {
      await engine.stop();
    }
  });

  it("keeps an activity's failure message and stack trace out of the stored history, while the workflow reads them", async () => {
    // An error message may quote what the activity was handling; the failure converter moves it (and the stack
    // trace) into an encoded payload that the codec encrypts, leaving the SDK's placeholder in clear.
    const leaked = `token ${SECRET} was rejected by https://internal.example/api`;
    const failing = (codec?: CodecConfig): Promise<TestEngine> =>
      startEngine(
        {
          ...testActions(newWorld()),
          'test.fail': {
            run: async () => {
              throw ApplicationFailure.create({ message: leaked, nonRetryable: true });
            },
          },
        } as unknown as ActionHandlers,
        {},
        codec,
      );
    const run = async (
      codec?: CodecConfig,
    ): Promise<{ failure?: string; history: temporal.api.history.v1.IHistory }> => {
      const engine = await failing(codec);
      try {
        const input = incidentInput(compileForTest(FAILING_PLAYBOOK, TEST_CATALOG));
        const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
          taskQueue: engine.taskQueue,
          workflowId: input.incidentId,
          args: [input],
        });
        // A failed step pauses the incident (it waits for retry, skip or stand-down): read the step, then end it.
        let failed: string | undefined;
        for (let i = 0; i < 300 && failed === undefined; i++) {
          const state = await h.query(statusQuery);
          failed = state.steps.find((s) => s.status === 'failed')?.error;
          if (failed === undefined) await new Promise((r) => setTimeout(r, 200));
        }
        expect(failed).toBeDefined();
        const history = await raw.workflow.getHandle(input.incidentId).fetchHistory();
        await h.terminate('test over: the failure is recorded');
        return { ...(failed !== undefined ? { failure: failed } : {}), history };
      } finally {
        await engine.stop();
      }
    };
    const encrypted = await run(CODEC);
    // The workflow saw the real message: the incident's record (an encrypted payload itself) quotes it.
    expect(encrypted.failure).toContain(leaked);
    const failed = encrypted.history.events!.find((e) => e.activityTaskFailedEventAttributes)!;
    const failure = failed.activityTaskFailedEventAttributes!.failure!;
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace ?? '').toBe('');
    expect(Buffer.from(failure.encodedAttributes!.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    const json = historyToJSON(encrypted.history);
    for (const clear of [SECRET, 'internal.example', Buffer.from(SECRET).toString('base64').slice(0, 20)])
      expect(json).not.toContain(clear);
    // The same incident without a codec stores the message in clear: the check above would see it.
    const plain = await run();
    expect(historyToJSON(plain.history)).toContain('internal.example');
  });

  it('replays an encrypted history against the current workflow code with the codec, and not without it', async () => {
    const engine = await startEngine(testActions(newWorld()), {}, CODEC);
    let incidentId: string;
    try {
      incidentId = await runIncident(engine);
    } finally {
      await engine.stop();
    }
    const history = await raw.workflow.getHandle(incidentId).fetchHistory();
    await expect(
      Worker.runReplayHistory(
        {
          workflowBundle: await workflowBundle(),
          dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(CODEC)] },
        },
        history,
      ),
    ).resolves.toBeUndefined();
    // And the encryption is really in the way: without the codec the workflow cannot even read its input.
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history)).rejects.toThrow(
      /Unknown encoding: binary\/encrypted/,
    );
  });
});
