import { type DefinitionLoadError, type FamilyEntry, loadDefinitions } from './devices/compile-device.js';
import { DeviceIndex } from './devices/device-index.js';
import { FAMILY_ENTRIES } from './devices/families/index.js';
import type { FormatDefinition, FormatDevice } from './format-definition.js';

export type FormatId = (typeof FAMILY_ENTRIES)[number]['family']['id'];

const loaded = loadDefinitions(FAMILY_ENTRIES as readonly FamilyEntry[]);

/** Every device definition, compiled once at load, behind the identification index. */
export const deviceIndex = new DeviceIndex(loaded.devices);

/** Definitions that failed to load (file, path, what): they are left out, the others work. */
export const definitionLoadErrors: readonly DefinitionLoadError[] = loaded.errors;

/** Every format family, in registry order. Adding one: a file in devices/families/ and a line in its index. */
export const formatRegistry: readonly FormatDefinition<FormatId>[] = loaded.families.map((family) => {
  const devices = loaded.devices.filter((d) => d.family === family.id);
  const list: FormatDevice[] = devices.map((d) => ({
    brand: d.brand,
    model: d.model,
    modelId: d.modelId,
    match: {
      ...(d.companyIds !== undefined ? { companyId: d.companyIds } : {}),
      ...(d.serviceUuid !== undefined ? { serviceUuid: d.serviceUuid } : {}),
      ...(d.nameExact !== undefined || d.namePrefix !== undefined
        ? { name: d.nameExact ?? `${d.namePrefix}*` }
        : {}),
    },
    valueNames: d.valueNames,
  }));
  const sequences = new Set(devices.map((d) => d.sequenceValue).filter((s) => s !== undefined));
  const def: FormatDefinition<FormatId> = {
    id: family.id as FormatId,
    title: family.title,
    source: family.source,
    devices: list,
    valueNames: [...new Set(devices.flatMap((d) => d.valueNames))],
  };
  return sequences.size === 1 ? { ...def, sequenceValue: [...sequences][0]! } : def;
});

export const FORMAT_IDS: readonly FormatId[] = formatRegistry.map((f) => f.id);

/** The families decoded when none are named: all but the opt-in ones (phones and trackers). */
export const DEFAULT_FORMAT_IDS: readonly FormatId[] = loaded.families
  .filter((f) => f.optIn !== true)
  .map((f) => f.id as FormatId);

export function isFormatId(value: string): value is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(value);
}

export function formatById(id: FormatId): FormatDefinition<FormatId> {
  return formatRegistry.find((f) => f.id === id) as FormatDefinition<FormatId>;
}
