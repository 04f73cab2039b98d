export { startCratesRegistrySandbox } from './server';
export type { CratesRegistrySandbox } from './server';
export { crateManifest, crateMap, crateVersion, packCrate, seededCrates } from './crate';
export type { CrateSpec, SandboxCrateVersion, SandboxDep } from './crate';
