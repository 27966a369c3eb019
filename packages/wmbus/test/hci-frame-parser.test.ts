import { encodeHciFrame, HciFrameParser, MAX_HCI_FRAME, rssiToDbm } from '@iotgw/wmbus/im871a';
import { describe, expect, it } from 'vitest';
import { bytesOf, vector } from './support/vectors.js';

const telegram = bytesOf(vector('spec-omnipower-compact').hex);
const indication = encodeHciFrame({
  endpoint: 2,
  msgId: 3,
  payload: telegram.subarray(1),
  crc: true,
  rssiRaw: 76,
});
const setConfigAnswer = bytesOf('A58104009CF7');

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

describe('HciFrameParser', () => {
  it('parses a real stick answer (A5 81 04 00 9C F7) and a telegram indication with RSSI', () => {
    const p = new HciFrameParser();
    const frames = p.push(concat(setConfigAnswer, indication));
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatchObject({ endpoint: 1, msgId: 4, crc: 'ok', payload: new Uint8Array(0) });
    expect(frames[1]).toMatchObject({ endpoint: 2, msgId: 3, rssiRaw: 76, crc: 'ok' });
    expect(frames[1]?.payload).toEqual(telegram.subarray(1));
    expect(indication.subarray(0, 4)).toEqual(Uint8Array.of(0xa5, 0xc2, 0x03, 0x27));
    expect(rssiToDbm(76)).toBe(-84);
    expect(rssiToDbm(63)).toBe(-91);
    expect(rssiToDbm(240)).toBe(0);
  });

  it('handles frames split across reads at every position', () => {
    const stream = concat(indication, setConfigAnswer, indication);
    for (let cut = 1; cut < stream.length; cut++) {
      const p = new HciFrameParser();
      const frames = [...p.push(stream.subarray(0, cut)), ...p.push(stream.subarray(cut))];
      expect(frames.map((f) => f.msgId)).toEqual([3, 4, 3]);
      expect(p.pendingBytes).toBe(0);
    }
    const byteWise = new HciFrameParser();
    const frames = [...stream].flatMap((b) => byteWise.push(Uint8Array.of(b)));
    expect(frames).toHaveLength(3);
  });

  it('resynchronises on SOF after garbage and counts what it dropped', () => {
    const p = new HciFrameParser();
    const frames = p.push(
      concat(Uint8Array.of(0x00, 0x13, 0x37), indication, Uint8Array.of(0xff, 0xa5), setConfigAnswer),
    );
    expect(frames.map((f) => f.msgId)).toEqual([3, 4]);
    expect(p.counters()).toMatchObject({ frames: 2, resyncs: 3, bytesDropped: 5, protocolErrors: 1 });
  });

  it('drops a frame with a bad CRC, counts it and still finds the next frame', () => {
    const bad = Uint8Array.from(indication);
    bad[10] = (bad[10] ?? 0) ^ 0xff;
    const p = new HciFrameParser();
    const frames = p.push(concat(bad, setConfigAnswer));
    expect(frames.map((f) => f.msgId)).toEqual([4]);
    expect(p.counters().crcErrors).toBe(1);
  });

  it('refuses reserved control bits and invalid endpoint/message ids (protocol errors)', () => {
    const p = new HciFrameParser();
    expect(p.push(bytesOf('A5 11 01 00  A5 05 01 00  A5 02 09 00  A5 01 30 00'))).toEqual([]);
    expect(p.counters().protocolErrors).toBe(4);
  });

  it('accepts frames without CRC (host requests) unless told to require one', () => {
    expect(new HciFrameParser().push(bytesOf('A5 01 0F 00'))).toMatchObject([{ msgId: 0x0f, crc: 'absent' }]);
    const strict = new HciFrameParser({ requireCrc: true });
    expect(strict.push(bytesOf('A5 01 0F 00'))).toEqual([]);
    expect(strict.counters().protocolErrors).toBe(1);
  });

  it('reads the timestamp when the control byte says one is attached', () => {
    const f = encodeHciFrame({
      endpoint: 2,
      msgId: 3,
      payload: Uint8Array.of(1, 2),
      timestamp: 0x01020304,
      rssiRaw: 50,
      crc: true,
    });
    expect(new HciFrameParser().push(f)).toMatchObject([
      { timestamp: 0x01020304, rssiRaw: 50, payload: Uint8Array.of(1, 2) },
    ]);
  });

  it('never holds more than one incomplete frame', () => {
    const p = new HciFrameParser();
    p.push(bytesOf('A5 82 03 FF'));
    for (let i = 0; i < 10; i++) p.push(new Uint8Array(100).fill(0x11));
    expect(p.pendingBytes).toBeLessThan(MAX_HCI_FRAME);
  });
});
