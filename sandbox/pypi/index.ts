export { startPyPiSandbox } from './server';
export type { PyPiSandbox } from './server';
export {
  projectDocument,
  projectsWithout,
  SEEDED_PROJECTS,
  type SandboxProject,
  type SandboxRelease,
} from './projects';
export { buildWheel, wheelFilename, wheelSha256 } from './wheel';
