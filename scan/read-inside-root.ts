import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import path from 'node:path';

/** A lockfile's text, a reason it was skipped unread, or the error code that kept it from being read. */
export type InsideRootRead = { text: string } | { skipped: string } | { error: string };

/**
 * Reads a file only if it is a regular file inside `root` (a real path). A FIFO would block the read forever, a
 * device never ends, and a symbolic link leaving the scanned tree would put another file's content (a secret, in
 * parser error messages) into the report: each is skipped with a reason instead, and never opened for reading.
 */
export async function readInsideRoot(absolute: string, root: string): Promise<InsideRootRead> {
  let real: string;
  let isLink: boolean;
  try {
    isLink = (await lstat(absolute)).isSymbolicLink();
    real = isLink
      ? await realpath(absolute)
      : path.join(await realpath(path.dirname(absolute)), path.basename(absolute));
  } catch (err) {
    return { error: errorCode(err) };
  }
  if (!isInside(root, real)) {
    // The target's path is not named either: where a link points can itself be something not to print.
    return { skipped: isLink ? 'a symbolic link to a file outside the scanned tree' : 'outside the scanned tree' };
  }
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever (it has no effect on regular files);
    // O_NOFOLLOW: the real path was checked, and a link swapped in since then is refused rather than followed.
    handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    return { error: errorCode(err) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { skipped: `${kindOf(info)}, not a regular file` };
    return { text: await handle.readFile('utf8') };
  } catch (err) {
    return { error: errorCode(err) };
  } finally {
    await handle.close();
  }
}

/** Whether `candidate` (a real path) is `root` or below it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** What a non-regular file is, for the skipped line. */
export function kindOf(info: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'a special file';
}

/** A short reason for a failed file operation, as the scan reports it. */
export function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return code ?? String(err);
}
