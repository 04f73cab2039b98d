/**
 * The commit a git dependency's resolved URL pins (`…#<40 hex>`, `#commit=<sha>`, `…/tar.gz/<sha>`, `…?ref=<sha>`),
 * if any. Registry tarball URLs end in `.tgz#<sha1>` (yarn v1 appends the tarball's SHA-1): that hash is not a commit.
 */
export function commitOf(resolved: string | undefined): string | undefined {
  if (!resolved || /\.tgz#/.test(resolved)) return undefined;
  const m = /(?:#|#commit[=:]|\/tar\.gz\/|[?&]ref=)([0-9a-f]{40})(?:$|[^0-9a-f])/.exec(resolved);
  return m?.[1];
}
