// Node-side, not workflow code: nothing in the workflow bundle imports this file. Workers and every replay (audit
// verify, replay tests, benches) bundle the same workflow code through it.
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * Bundles the workflow code once per process and failure converter (webpack takes seconds; tests and benches start
 * many workers). The failure converter runs inside the sandbox, so it is part of the bundle: a worker whose data
 * converter names one (codec/codec.ts, when payloads are encrypted) passes the same path here.
 */
export function workflowBundle(failureConverterPath?: string): Promise<WorkflowBundleWithSourceMap> {
  const key = failureConverterPath ?? '';
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: require.resolve('./index'),
      logger: quietBundlerLogger,
      ...(failureConverterPath ? { failureConverterPath } : {}),
    });
    bundles.set(key, bundle);
  }
  return bundle;
}

const quietBundlerLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => process.stderr.write(`bundler: ${m}\n`),
  error: (m: string) => process.stderr.write(`bundler: ${m}\n`),
};
