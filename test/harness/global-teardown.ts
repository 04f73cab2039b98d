export default async function globalTeardown(): Promise<void> {
  await globalThis.__CORDON_DEV_SERVER__?.stop();
}
