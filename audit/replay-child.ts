// The process `cordon audit verify` replays histories in (see replay.ts): a malformed history can make the SDK's core
// panic and never return, so the replay must run where the verifier can kill it. It receives one `init` message (the
// bundled workflow code, the codec keys), then `replay` requests one at a time, and answers each with its outcome.
import { readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { dataConverterFor } from '../codec/codec';
import type { CodecConfig } from '../config/codec';
import type { ChildInit, ChildReplay, ChildResult } from './replay';

let init: ChildInit | undefined;

function codecOf(msg: ChildInit): CodecConfig | undefined {
  if (!msg.codec) return undefined;
  const keys = Object.fromEntries(Object.entries(msg.codec.keys).map(([id, b64]) => [id, Buffer.from(b64, 'base64')]));
  return { activeKeyId: msg.codec.activeKeyId, keys };
}

async function replay(req: ChildReplay): Promise<ChildResult> {
  const codec = codecOf(init!);
  const dataConverter = dataConverterFor(codec);
  try {
    const history = historyFromJSON(JSON.parse(readFileSync(req.path, 'utf8')));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: init!.codePath }, ...(dataConverter ? { dataConverter } : {}) },
      history,
      req.workflowId,
    );
    return { type: 'result', index: req.index, outcome: 'deterministic' };
  } catch (err) {
    const nondeterministic = err instanceof DeterminismViolationError || /nondetermini/i.test(String(err));
    return {
      type: 'result',
      index: req.index,
      outcome: nondeterministic ? 'nondeterministic' : 'failed',
      message: (err as Error).message ?? String(err),
    };
  }
}

// The report names each failure with the SDK's message; the SDK's long logs of the failed activation would only
// bury it, so this process logs errors only.
Runtime.install({
  logger: new DefaultLogger('ERROR', () => {}),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
});

process.on('message', (msg: ChildInit | ChildReplay) => {
  if (msg.type === 'init') {
    init = msg;
    process.send!({ type: 'ready' });
    return;
  }
  void replay(msg).then((r) => process.send!(r));
});
// The parent going away (verify killed, or done) ends this process too.
process.on('disconnect', () => process.exit(0));
