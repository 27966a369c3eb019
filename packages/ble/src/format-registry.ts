import type { FormatDefinition } from './format-definition.js';
import { bthomeV2Format } from './formats/bthome-v2.js';
import { ruuviV5Format } from './formats/ruuvi-v5.js';
import { thingy52Format } from './formats/thingy52.js';

/** Every supported format. Adding a format: one file in formats/ and one line here. */
export const formatRegistry = [
  thingy52Format,
  bthomeV2Format,
  ruuviV5Format,
] as const satisfies readonly FormatDefinition[];

export type FormatId = (typeof formatRegistry)[number]['id'];

export const FORMAT_IDS: readonly FormatId[] = formatRegistry.map((f) => f.id);

export function isFormatId(value: string): value is FormatId {
  return (FORMAT_IDS as readonly string[]).includes(value);
}

export function formatById(id: FormatId): FormatDefinition<FormatId> {
  return formatRegistry.find((f) => f.id === id) as FormatDefinition<FormatId>;
}
