import { randomUUID } from 'node:crypto';
import { chmod, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WmbusError } from '../result.js';
import { parseStoredMeter, type RegistryStore, type StoredMeter } from './registry-store.js';

const FORMAT = 'iotgw-meter-registry';

/**
 * The registry as one JSON file, mode 0600 (it holds AES keys), replaced atomically: write a temporary file
 * in the same directory, fsync it, rename it over the old one, fsync the directory. Saves are serialised.
 * Errors never quote the file's content (it holds keys).
 */
export class FileRegistryStore implements RegistryStore {
  readonly path: string;
  #queue: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<StoredMeter[] | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new WmbusError('WMBUS_ERR_STORE', `cannot read meter registry ${this.path}`, { cause: err });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      // The parser's message can quote the file (and so a key): report only where.
      throw new WmbusError('WMBUS_ERR_STORE', `meter registry ${this.path} is not valid JSON`);
    }
    const meters = (doc as { meters?: unknown } | null)?.meters;
    if ((doc as { format?: unknown } | null)?.format !== FORMAT || !Array.isArray(meters))
      throw new WmbusError('WMBUS_ERR_STORE', `meter registry ${this.path} is not an ${FORMAT} file`);
    const out: StoredMeter[] = [];
    for (const [i, m] of meters.entries()) {
      const parsed = parseStoredMeter(m);
      if (parsed === undefined)
        throw new WmbusError('WMBUS_ERR_STORE', `meter registry ${this.path}: entry ${i} is malformed`);
      out.push(parsed);
    }
    return out;
  }

  save(meters: StoredMeter[]): Promise<void> {
    const text = `${JSON.stringify({ format: FORMAT, version: 1, meters }, null, 2)}\n`;
    const run = this.#queue.then(() => this.#write(text));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #write(text: string): Promise<void> {
    const tmp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(text, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await chmod(tmp, 0o600);
      await rename(tmp, this.path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new WmbusError('WMBUS_ERR_STORE', `cannot save meter registry ${this.path}`, { cause: err });
    }
    try {
      const dir = await open(dirname(this.path), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch {
      // Some filesystems refuse fsync on a directory; the rename itself is still atomic.
    }
  }
}
