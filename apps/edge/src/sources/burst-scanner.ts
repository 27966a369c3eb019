import type { ScannedAdvert, Scanner, SimulatedScanner } from '@iotgw/ble/scanner';

/**
 * The simulated devices at full speed: `batch` adverts (each heard `repeats` times, as radio copies)
 * every `intervalMs`, for benchmarks of the intake. The simulator's own timer gives at most one
 * advert per millisecond.
 */
export class BurstScanner implements Scanner {
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly simulator: SimulatedScanner,
    private readonly options: { batch: number; intervalMs: number; repeats: number },
  ) {}

  async start(onAdvert: (adv: ScannedAdvert) => void): Promise<void> {
    const { batch, intervalMs, repeats } = this.options;
    this.#timer = setInterval(() => {
      for (let i = 0; i < batch; i++) {
        const adv = this.simulator.next();
        for (let r = 0; r < repeats; r++) onAdvert(r === 0 ? adv : { ...adv });
      }
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
