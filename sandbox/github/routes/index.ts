import type { RouteTable } from '../handler';
import { artifactRoutes } from './actions-artifacts';
import { runnerRoutes } from './actions-runners';
import { runRoutes } from './actions-runs';
import { secretRoutes } from './actions-secrets';
import { workflowRoutes } from './actions-workflows';
import { contentRoutes } from './contents';
import { credentialRoutes } from './credentials';
import { deploymentRoutes } from './deployments';
import { gitRoutes } from './git';
import { packageRoutes } from './packages';
import { pullRoutes } from './pulls';
import { releaseRoutes } from './releases';
import { repoRoutes } from './repos';
import { sbomRoutes } from './sbom';

/** Every implemented operation, keyed by GitHub's operationId. */
export const routes: RouteTable = {
  ...repoRoutes,
  ...gitRoutes,
  ...contentRoutes,
  ...sbomRoutes,
  ...runRoutes,
  ...workflowRoutes,
  ...runnerRoutes,
  ...artifactRoutes,
  ...secretRoutes,
  ...deploymentRoutes,
  ...releaseRoutes,
  ...pullRoutes,
  ...credentialRoutes,
  ...packageRoutes,
};
