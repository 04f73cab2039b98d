// Loaded by path (DataConverter.failureConverterPath) both in Node and inside the workflow sandbox, so it imports
// nothing but the SDK's common package.
import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Moves a failure's message and stack trace into its `encodedAttributes` payload, which the payload codec then
 * encrypts: without it, an activity's error message (which may quote a token or an internal URL) is stored in
 * clear in history even when every payload is encrypted (the SDK's `DefaultFailureConverter` documents the option).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
