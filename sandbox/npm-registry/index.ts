export { startNpmRegistrySandbox } from './server';
export type { NpmRegistrySandbox } from './server';
export { seededPackuments } from './packuments';
export { packTarball, tarballDigests } from './tarball';
export type { TarballManifest } from './tarball';
