import * as fs from 'fs';
import { AnalysisInputError } from './input-error';
import { formatLimit, formatSize, sizeOptionFor } from './read-limits';
import { escapeTerminal } from '../text/escape';

/**
 * Reads one input file as UTF-8 text, refusing what is not a regular file
 * (a FIFO would block forever, /dev/zero never ends) and files over
 * `maxFileSize`. The file is opened without blocking and checked with fstat on
 * the opened descriptor, so what is checked is what is read; then at most its
 * size is read: memory follows the size of the input.
 *
 * @param what how messages name the file, e.g. `the expectations file "x.yaml"`
 */
export function readInputFile(file: string, maxFileSize: number, what = `"${escapeTerminal(file)}"`): string {
  const fail = (reason: string): never => {
    throw new AnalysisInputError(`Cannot read ${what}: ${reason}`);
  };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. (Windows has no such flag.)
    // eslint-disable-next-line no-bitwise -- open(2) flags
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return fail(`${fileErrorReason(e)}.`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      fail(`it is ${fileKind(stat)}, not a regular file; only regular files are read.`);
    }
    if (stat.size > maxFileSize) {
      fail(`it is ${formatSize(stat.size)}, over the limit of ${formatLimit(maxFileSize)} per file; ` +
        `raise the limit with --max-file-size (e.g. --max-file-size ${sizeOptionFor(stat.size)}), or maxFileSize in Analyzer.fromFiles.`);
    }
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, buffer, read, stat.size - read, null);
      if (n === 0) break;
      read += n;
    }
    if (read < stat.size || fs.readSync(fd, Buffer.alloc(1), 0, 1, null) !== 0) {
      fail('it changed while it was read; read it again when it is complete.');
    }
    return decodeUtf8(buffer, fail);
  } catch (e) {
    if (AnalysisInputError.is(e)) throw e;
    return fail(`${fileErrorReason(e)}.`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Manifests are UTF-8 (a byte order mark is dropped); anything else would be read as something it is not. */
function decodeUtf8(buffer: Buffer, fail: (reason: string) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return fail('it is not UTF-8 text.');
  }
}

function fileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  if (stat.isDirectory()) return 'a folder';
  return 'something else';
}

/** A file-system error said plainly, without the error code and syscall. */
export function fileErrorReason(e: unknown): string {
  switch ((e as NodeJS.ErrnoException)?.code) {
    case 'ENOENT': return 'no such file or folder';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ENAMETOOLONG': return 'the path is too long';
    case 'ELOOP': return 'too many symbolic links (a loop?)';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'EISDIR': return 'it is a folder';
    case 'ENXIO': return 'it is a socket or a device, not a regular file';
    case 'EMFILE':
    case 'ENFILE': return 'too many open files';
    case 'EIO': return 'an input/output error';
    default: return String((e as Error)?.message ?? e).replace(/^[A-Z]+: /, '').replace(/\.$/, '');
  }
}
