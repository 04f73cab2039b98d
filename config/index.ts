// What config/ exports, by name. Pure code (lockfiles/, domain-side helpers) imports './errors' directly: this
// index also brings in the readers, which touch the file system.
export { DEFAULT_OBLIGATIONS_FILE, loadConfig, type CordonConfig } from './config';
export { readAwsConfig, type AwsConfig } from './aws';
export { readCodecConfig, type CodecConfig } from './codec';
export { loadSlackConfig, type SlackConfig, type SlackMode } from './slack';
export { createLogger, REDACTED_PATHS } from './logger';
export {
  asCordonError,
  CordonError,
  ERROR_CATALOGUE,
  ErrorCode,
  InternalError,
  OperationalError,
  PinInputError,
  UserError,
  VoteRefused,
  type CodeOf,
  type ErrorCategory,
  type ErrorCodeSpec,
} from './errors';
