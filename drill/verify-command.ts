// The command that verifies a demo's audit bundle again later, as the demo prints it: the codec key file is read by
// the shell into CORDON_CODEC_KEYS, so the key never appears in the process list or the terminal's scrollback.

/** Where a finished demo left what `cordon audit verify` needs, relative to the directory the command runs in. */
export interface VerifyCommandPaths {
  /** The run's codec keys, in the JSON shape `CORDON_CODEC_KEYS` takes. */
  keysFile: string;
  bundle: string;
  /** The trusted-keys file naming the drill's audit signer. */
  trustedKeys: string;
}

/** A path as one POSIX shell word: kept as is when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The exact shell command that verifies the bundle with the run's own keys. */
export function verifyCommand({ keysFile, bundle, trustedKeys }: VerifyCommandPaths): string {
  return (
    `CORDON_CODEC_KEYS="$(cat ${shellWord(keysFile)})" cordon audit verify ${shellWord(bundle)} ` +
    `--trusted-keys ${shellWord(trustedKeys)}`
  );
}
