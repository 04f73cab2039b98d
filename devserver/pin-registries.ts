// The registry clients `cordon pin` rewrites a local checkout with: the same clients the worker gives the pin pull
// requests, wired here because cli/ and scan/ may not import activities/ (docs/architecture.md).
import { ApplicationFailure } from '@temporalio/common';
import { createCratesRegistry, type CratesRegistry } from '../activities/registries/crates';
import { createNpmRegistry, type NpmRegistry } from '../activities/registries/npm';
import { createPyPiRegistry, type PyPiRegistry } from '../activities/registries/pypi';
import type { CordonConfig } from '../config/config';
import { ErrorCode, OperationalError } from '../config/errors';

/** The registry clients the pinners read through (lockfiles' `PinRegistries`), one per kind. */
export interface LocalPinRegistries {
  npm: NpmRegistry;
  pypi: PyPiRegistry;
  crates: CratesRegistry;
}

/**
 * The npm, PyPI and crates clients for `NPM_REGISTRY_URL`, `PYPI_URL` and `CRATES_INDEX_URL` (the real registries
 * by default). A registry that cannot be read is an operational error naming it, one line on the terminal rather
 * than a stack; a typed failure ("no such package") passes through: the pinners tell it from "try again" by type.
 */
export function localPinRegistries(config: Pick<CordonConfig, 'npmRegistry' | 'pypi' | 'crates'>): LocalPinRegistries {
  const npm = createNpmRegistry(config.npmRegistry ?? {});
  const pypi = createPyPiRegistry(config.pypi ?? {});
  const crates = createCratesRegistry(config.crates ?? {});
  return {
    npm: { url: npm.url, packument: reported(npm.url, (name) => npm.packument(name)) },
    pypi: {
      url: pypi.url,
      project: reported(pypi.url, (name) => pypi.project(name)),
      release: reported(pypi.url, (name, version: string) => pypi.release(name, version)),
    },
    crates: { url: crates.url, versions: reported(crates.url, (name) => crates.versions(name)) },
  };
}

function reported<A extends [string, ...string[]], T>(
  url: string,
  read: (...args: A) => Promise<T>,
): (...args: A) => Promise<T> {
  return async (...args) => {
    try {
      return await read(...args);
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type) throw err;
      // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND) is in its cause.
      const e = err as { message?: unknown; cause?: { code?: unknown } } | undefined;
      const message = typeof e?.message === 'string' ? e.message : String(err);
      const code = typeof e?.cause?.code === 'string' ? ` (${e.cause.code})` : '';
      throw new OperationalError(`cannot read ${args[0]} from ${url}: ${message}${code}`, ErrorCode.Operational, {
        cause: err,
      });
    }
  };
}
