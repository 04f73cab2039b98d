export { formatProblem } from '../text/yaml-positions';
export { compilePlaybook } from './compile';
export type { CompileResult, PlaybookProblem } from './compile';
export type { ApprovalPolicy, CompiledPlaybook, CompiledStep } from './compiled';
export { findReferences, parseReference, resolveExpressions } from './expressions';
export type { ExpressionScope, Reference } from './expressions';
export { PlaybookSchema, playbookJsonSchema } from './schema';
export type { Playbook, PlaybookInput, PlaybookStep } from './schema';
