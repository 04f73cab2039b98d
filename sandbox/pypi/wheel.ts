import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** What a sandbox wheel carries in its METADATA: enough for pip to resolve it. */
export interface WheelMetadata {
  name: string;
  version: string;
  requiresDist?: string[];
  requiresPython?: string;
}

/** The wheel's file name: `{distribution}-{version}-py3-none-any.whl`, the name's runs of `-_.` as `_` (PEP 427). */
export function wheelFilename(m: Pick<WheelMetadata, 'name' | 'version'>): string {
  return `${m.name.replace(/[-_.]+/g, '_')}-${m.version}-py3-none-any.whl`;
}

/** One stored (uncompressed) zip entry: its local header with data, and its central directory record. */
function entry(name: string, data: Buffer, offset: number): { local: Buffer; central: Buffer } {
  const nameBytes = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt16LE(0, 10); // 00:00:00
  local.writeUInt16LE(33, 12); // 1980-01-01: a fixed date keeps the archive's digest stable
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4); // made by
  central.writeUInt16LE(20, 6); // needed
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(33, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
  central.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([local, nameBytes, data]), central: Buffer.concat([central, nameBytes]) };
}

const cache = new Map<string, Buffer>();

/**
 * A real, deterministic wheel (a zip of `{module}/__init__.py` and a `.dist-info` with METADATA, WHEEL and RECORD)
 * for a sandbox release: pip downloads it, checks it against the `--hash` lines of a requirements file, and reads its
 * `Requires-Dist` to resolve dependencies, as it would from pypi.org.
 */
export function buildWheel(m: WheelMetadata): Buffer {
  const key = JSON.stringify(m);
  const hit = cache.get(key);
  if (hit) return hit;
  const dist = m.name.replace(/[-_.]+/g, '_');
  const info = `${dist}-${m.version}.dist-info`;
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${m.name}`,
    `Version: ${m.version}`,
    ...(m.requiresPython ? [`Requires-Python: ${m.requiresPython}`] : []),
    ...(m.requiresDist ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
    '',
  ].join('\n');
  const files: Array<[string, Buffer]> = [
    [`${dist.toLowerCase()}/__init__.py`, Buffer.from(`__version__ = "${m.version}"\n`)],
    [`${info}/METADATA`, Buffer.from(metadata)],
    [
      `${info}/WHEEL`,
      Buffer.from('Wheel-Version: 1.0\nGenerator: cordon-sandbox\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n'),
    ],
  ];
  const record = [
    ...files.map(
      ([name, data]) => `${name},sha256=${createHash('sha256').update(data).digest('base64url')},${data.length}`,
    ),
    `${info}/RECORD,,`,
    '',
  ].join('\n');
  files.push([`${info}/RECORD`, Buffer.from(record)]);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const e = entry(name, data, offset);
    locals.push(e.local);
    centrals.push(e.central);
    offset += e.local.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  const wheel = Buffer.concat([...locals, cd, end]);
  cache.set(key, wheel);
  return wheel;
}

/** The hex SHA-256 of a sandbox release's wheel: what PyPI lists as its digest and pip-compile writes as `--hash`. */
export function wheelSha256(m: WheelMetadata): string {
  return createHash('sha256').update(buildWheel(m)).digest('hex');
}
