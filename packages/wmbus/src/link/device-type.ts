/** Device type (the A field's last byte) → media name, spelled as wmbusmeters prints `media`. */
const MEDIA: Record<number, string> = {
  0: 'other',
  1: 'oil',
  2: 'electricity',
  3: 'gas',
  4: 'heat',
  5: 'steam',
  6: 'warm water',
  7: 'water',
  8: 'heat cost allocation',
  9: 'compressed air',
  10: 'cooling load volume at outlet',
  11: 'cooling load volume at inlet',
  12: 'heat volume at inlet',
  13: 'heat/cooling load',
  14: 'bus/system component',
  15: 'unknown',
  21: 'hot water',
  22: 'cold water',
  23: 'hot/cold water',
  24: 'pressure',
  25: 'a/d converter',
  26: 'smoke detector',
  27: 'room sensor',
  28: 'gas detector',
  32: 'breaker',
  33: 'valve',
  37: 'customer unit (display device)',
  40: 'waste water',
  41: 'garbage',
  54: 'radio converter (system side)',
  55: 'radio converter (meter side)',
};

export function deviceTypeMedia(type: number): string {
  return MEDIA[type] ?? 'reserved';
}
