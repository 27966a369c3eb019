import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { BleError } from '../ble-error.js';
import { formatCaptureLine } from './capture-format.js';
import type { ScannedAdvert } from './scanned-advert.js';

export interface CaptureWriterOptions {
  file: string;
  /** Append to an existing file instead of replacing it. */
  append?: boolean | undefined;
}

/**
 * Writes adverts from any scanner to a JSON Lines capture file (see capture-format.ts), e.g.
 * `scanner.start((adv) => { writer.write(adv); pipeline.process(adv); })`.
 */
export class CaptureWriter {
  readonly #options: CaptureWriterOptions;
  #stream: WriteStream | undefined;
  #written = 0;
  #error: Error | undefined;

  constructor(options: CaptureWriterOptions) {
    this.#options = options;
  }

  /** Opens the file; rejects with BLE_ERR_CAPTURE when it cannot be created. */
  async start(): Promise<void> {
    if (this.#stream !== undefined) throw new BleError('BLE_ERR_STATE', 'CaptureWriter already started');
    const stream = createWriteStream(this.#options.file, { flags: this.#options.append ? 'a' : 'w' });
    try {
      await once(stream, 'open');
    } catch (cause) {
      throw new BleError(
        'BLE_ERR_CAPTURE',
        `cannot write capture file ${this.#options.file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}; check the directory exists and is writable`,
        { cause },
      );
    }
    stream.on('error', (err) => {
      this.#error = err;
    });
    this.#stream = stream;
  }

  /** Queues one line; returns false when the stream's buffer is full (the line is still written). */
  write(adv: ScannedAdvert): boolean {
    const stream = this.#stream;
    if (stream === undefined) throw new BleError('BLE_ERR_STATE', 'CaptureWriter.write() before start()');
    if (this.#error !== undefined) {
      throw new BleError(
        'BLE_ERR_CAPTURE',
        `capture file ${this.#options.file} failed: ${this.#error.message}`,
        {
          cause: this.#error,
        },
      );
    }
    this.#written++;
    return stream.write(`${formatCaptureLine(adv)}\n`);
  }

  get written(): number {
    return this.#written;
  }

  /** Flushes and closes the file. */
  async stop(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream === undefined) return;
    await new Promise<void>((resolve, reject) =>
      stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}
