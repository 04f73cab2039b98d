export { startNpmRegistrySandbox } from './server';
export type { NpmRegistrySandbox } from './server';
export { seededPackuments } from './packuments';
