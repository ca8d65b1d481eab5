import { crc32, inflateRawSync } from 'node:zlib';

/**
 * Just enough ZIP for reading XLSX files safely: the central directory (names and the sizes the
 * file claims, read without inflating anything), one entry inflated under a hard cap on its
 * output (a directory can lie), and a small uncompressed archive to hand on what was measured.
 * ZIP64 and encrypted entries are refused: no spreadsheet we accept needs them.
 */

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  /** As the directory claims it. */
  uncompressedSize: number;
  localOffset: number;
}

/** The bytes are not a ZIP archive we read. */
export class ZipError extends Error {}

/** Inflating an entry would pass the cap it was given. */
export class ZipTooLargeError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The entries of the archive's central directory. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const dv = view(bytes);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('no end of central directory');
  const count = dv.getUint16(eocd + 10, true);
  const size = dv.getUint32(eocd + 12, true);
  const offset = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipError('ZIP64');
  if (offset + size > eocd) throw new ZipError('central directory out of bounds');
  const names = new TextDecoder('utf-8');
  const entries: ZipEntry[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > eocd || dv.getUint32(p, true) !== CENTRAL) throw new ZipError('bad central directory entry');
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const uncompressedSize = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    if (flags & 0x1) throw new ZipError('encrypted entry');
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) throw new ZipError('ZIP64');
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > eocd) throw new ZipError('central directory entry out of bounds');
    entries.push({ name: names.decode(bytes.subarray(p + 46, p + 46 + nameLength)), method, compressedSize, uncompressedSize, localOffset });
    p = end;
  }
  return entries;
}

/** What the directory claims all entries inflate to, in bytes. */
export function declaredSize(entries: readonly ZipEntry[]): number {
  return entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
}

/**
 * One entry's bytes, inflated to at most `cap` bytes: ZipTooLargeError past it, whatever the
 * directory said; ZipError when the data is damaged or its size is not the one claimed.
 */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, cap: number): Buffer {
  const dv = view(bytes);
  const at = entry.localOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== LOCAL) throw new ZipError('bad local header');
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError('entry out of bounds');
  const data = bytes.subarray(start, start + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) {
    if (data.length > cap) throw new ZipTooLargeError(entry.name);
    out = Buffer.from(data);
  } else if (entry.method === 8) {
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, cap) });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipTooLargeError(entry.name);
      throw new ZipError(`damaged entry ${entry.name}`);
    }
  } else throw new ZipError(`compression method ${entry.method}`);
  if (out.length > cap) throw new ZipTooLargeError(entry.name);
  if (out.length !== entry.uncompressedSize) throw new ZipError(`entry ${entry.name} is not the size its directory claims`);
  return out;
}

/** An archive of stored (uncompressed) entries, in the order given. */
export function storedZip(files: readonly { name: string; data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, 'utf-8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
