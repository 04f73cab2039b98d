// The worker bundles this module: it lists every workflow by name.
export { incidentWorkflow } from './incident';
export { stepBatchWorkflow } from './step-batch';
export { obligationWorkflow } from './obligation';
