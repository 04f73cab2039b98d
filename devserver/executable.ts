import { accessSync, constants } from 'node:fs';

/** Whether `file` exists and this process may execute it: how a tool found by path or variable is accepted. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
