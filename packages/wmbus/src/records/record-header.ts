import { u8 } from '../bytes.js';
import { bytesToHex } from '../hex.js';
import { fail, type Result } from '../result.js';
import { combinableVife } from './combinable-vife.js';
import { type VifInfo, vifInfo } from './vif-info.js';
import { extensionFbVif, extensionFdVif, primaryVif } from './vif-table.js';

export type RecordFunction = 'instantaneous' | 'maximum' | 'minimum' | 'error';
export type VifTable = 'primary' | 'fb' | 'fd' | 'manufacturer' | 'plain_text' | 'any';

const FUNCTIONS: readonly RecordFunction[] = ['instantaneous', 'maximum', 'minimum', 'error'];

/** DIF/DIFE/VIF/VIFE of one data record, without its data: also the unit of a compact-frame format. */
export interface RecordHeader {
  readonly offset: number;
  readonly dif: number;
  /** DIF bits 0..3: the data field coding. */
  readonly dataField: number;
  readonly function: RecordFunction;
  readonly storage: number;
  readonly tariff: number;
  readonly subunit: number;
  readonly table: VifTable;
  readonly info: VifInfo;
  readonly combinable: readonly string[];
  /**
   * The VIF as wmbusmeters numbers it: primary 0x00..0x7F, or (0x7B|0x7D|0x6F|0x7F) << 8 | first VIFE for
   * the FB / FD / EF / FF extension VIFs.
   */
  readonly vif: number;
  /** Raw combinable VIFE codes (0x7Cxx / 0x7Fxx for the two-byte extension combinables). */
  readonly combinableRaw: readonly number[];
  /** Extra power of ten from multiplicative-correction VIFEs. */
  readonly correctionExp: number;
  /** Unit text of a plain-text VIF (0x7C). */
  readonly plainTextUnit?: string;
  /** DIF 0x0F / 0x1F: manufacturer-specific data up to the end of the telegram. */
  readonly manufacturerData: boolean;
  /** Offset of the first data byte. */
  readonly headerEnd: number;
  /** The header bytes as hex: wmbusmeters' "difvif key", e.g. 04843c. */
  readonly key: string;
}

const MAX_EXTENSIONS = 10;

/** Data bytes for a DIF data field coding; -1 = variable length (LVAR byte), 0 = no data. */
export function fixedDataLength(dataField: number): number {
  return [0, 1, 2, 3, 4, 4, 6, 8, 0, 1, 2, 3, 4, -1, 6, 0][dataField & 0x0f] ?? 0;
}

/** Parses one record header at `offset` (the caller skipped 0x2F fillers). */
export function parseRecordHeader(
  b: Uint8Array,
  offset: number,
  end: number,
): Result<{ header: RecordHeader }> {
  let i = offset;
  const dif = u8(b, i++);
  if ((dif & 0x0f) === 0x0f && dif !== 0x0f && dif !== 0x1f)
    return fail('WMBUS_ERR_RECORDS', `reserved DIF 0x${dif.toString(16)} at offset ${offset}`);
  const fn = FUNCTIONS[(dif >> 4) & 0x03] ?? 'instantaneous';
  if (dif === 0x0f || dif === 0x1f)
    return {
      ok: true,
      header: {
        offset,
        dif,
        dataField: dif & 0x0f,
        function: fn,
        storage: 0,
        tariff: 0,
        subunit: 0,
        table: 'manufacturer',
        info: vifInfo('manufacturer_data', '', 0, 'Manufacturer specific data', 1, 'raw'),
        combinable: [],
        vif: 0,
        combinableRaw: [],
        correctionExp: 0,
        manufacturerData: true,
        headerEnd: i,
        key: bytesToHex(b, offset, i),
      },
    };
  let storage = (dif >> 6) & 0x01;
  let tariff = 0;
  let subunit = 0;
  let ext = (dif & 0x80) !== 0;
  for (let n = 0; ext; n++) {
    if (i >= end) return fail('WMBUS_ERR_RECORDS', `DIFE chain truncated at offset ${i}`);
    if (n >= MAX_EXTENSIONS)
      return fail('WMBUS_ERR_RECORDS', `more than ${MAX_EXTENSIONS} DIFEs at offset ${offset}`);
    const dife = u8(b, i++);
    storage |= (dife & 0x0f) << (1 + 4 * n);
    tariff |= ((dife >> 4) & 0x03) << (2 * n);
    subunit |= ((dife >> 6) & 0x01) << n;
    ext = (dife & 0x80) !== 0;
  }
  if (i >= end) return fail('WMBUS_ERR_RECORDS', `record at offset ${offset} has no VIF`);
  const vif = u8(b, i++);
  let table: VifTable = 'primary';
  let info: VifInfo;
  let plainTextUnit: string | undefined;
  ext = (vif & 0x80) !== 0;
  const code = vif & 0x7f;
  if (vif === 0xfb || vif === 0xfd) {
    if (i >= end) return fail('WMBUS_ERR_RECORDS', `extension VIF truncated at offset ${i}`);
    const e = u8(b, i++);
    table = vif === 0xfb ? 'fb' : 'fd';
    info = vif === 0xfb ? extensionFbVif(e & 0x7f) : extensionFdVif(e & 0x7f);
    ext = (e & 0x80) !== 0;
  } else if (code === 0x7c) {
    table = 'plain_text';
    if (i >= end) return fail('WMBUS_ERR_RECORDS', `plain-text VIF truncated at offset ${i}`);
    const len = u8(b, i++);
    if (i + len > end) return fail('WMBUS_ERR_RECORDS', `plain-text VIF unit truncated at offset ${i}`);
    plainTextUnit = String.fromCharCode(...Array.from(b.subarray(i, i + len)).reverse());
    i += len;
    info = vifInfo('plain_text', plainTextUnit, 0, `Plain text unit "${plainTextUnit}"`);
  } else if (code === 0x7e) {
    table = 'any';
    info = vifInfo('any', '', 0, 'Any VIF', 1, 'raw');
  } else if (code === 0x7f) {
    table = 'manufacturer';
    info = vifInfo('manufacturer_specific', '', 0, 'Manufacturer specific', 1, 'raw');
  } else {
    info = primaryVif(code);
  }
  let fullVif = code;
  if (vif === 0xfb || vif === 0xfd) fullVif = (code << 8) | (u8(b, i - 1) & 0x7f);
  else if (vif === 0xef || vif === 0xff) {
    if (i >= end) return fail('WMBUS_ERR_RECORDS', `extension VIF truncated at offset ${i}`);
    fullVif = (code << 8) | (u8(b, i) & 0x7f);
  }
  const combinable: string[] = [];
  const combinableRaw: number[] = [];
  let rawPrefix = 0;
  let correctionExp = 0;
  let manufacturerVifes = table === 'manufacturer';
  for (let n = 0; ext; n++) {
    if (i >= end) return fail('WMBUS_ERR_RECORDS', `VIFE chain truncated at offset ${i}`);
    if (n >= MAX_EXTENSIONS)
      return fail('WMBUS_ERR_RECORDS', `more than ${MAX_EXTENSIONS} VIFEs at offset ${offset}`);
    const vife = u8(b, i++);
    ext = (vife & 0x80) !== 0;
    if (vif === 0xef || vif === 0xff) {
      if (n === 0) continue;
    }
    if (rawPrefix !== 0) {
      combinableRaw.push((rawPrefix << 8) | (vife & 0x7f));
      rawPrefix = 0;
    } else if ((vife & 0x7f) === 0x7c || (vife & 0x7f) === 0x7f) rawPrefix = vife & 0x7f;
    else combinableRaw.push(vife & 0x7f);
    if (manufacturerVifes) continue;
    const c = combinableVife(vife);
    combinable.push(c.token);
    correctionExp += c.exp;
    if (c.token === 'manufacturer_specific') manufacturerVifes = true;
  }
  const header: RecordHeader = {
    offset,
    dif,
    dataField: dif & 0x0f,
    function: fn,
    storage,
    tariff,
    subunit,
    table,
    info,
    combinable,
    vif: fullVif,
    combinableRaw,
    correctionExp,
    manufacturerData: false,
    headerEnd: i,
    key: bytesToHex(b, offset, i),
    ...(plainTextUnit === undefined ? {} : { plainTextUnit }),
  };
  return { ok: true, header };
}
