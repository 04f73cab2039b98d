export { createGitHubActivities } from './activities';
export type { GitHubActivities, GitHubActivityDeps, RepoName } from './activities';
export { createGitHubClient, CordonOctokit } from './client';
export type { GitHubClient, GitHubClientOptions } from './client';
export { countApiCalls, attributeApiCalls, mergeApiCalls } from './api-calls';
export type { ApiCallTally } from './api-calls';
export { GitHubFailureType, toApplicationFailure } from './errors';
export { lockfileEcosystem, sbomCovers } from '../../lockfiles';
export { parsePurl } from './sbom';
export type { ScanRepoLockfilesInput } from './scan-repo-lockfiles';
export type {
  LockfileRef,
  LockfileText,
  OrgSecretRef,
  PackageRef,
  RepoLockfileScan,
  RepoRef,
  RepoSecretNames,
  RunJobRef,
  RunnerRef,
  SbomPackage,
  SkippedLockfile,
  SkipReason,
  WorkflowRunRef,
} from './types';
