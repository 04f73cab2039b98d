export { compilePlaybook, formatProblem } from './compile';
export type { CompileResult, PlaybookProblem } from './compile';
export type { ApprovalPolicy, CompiledPlaybook, CompiledStep } from './compiled';
export { findReferences, parseReference, resolveExpressions } from './expressions';
export type { ExpressionScope, Reference } from './expressions';
export { PlaybookSchema, playbookJsonSchema } from './schema';
export type { Playbook, PlaybookInput, PlaybookStep } from './schema';
export { failureDecisionGroups, standDownPreview } from './decisions';
export type { StandDownPreview } from './decisions';
