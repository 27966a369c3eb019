/** Why an advert of a model differs from Theengs' expectation, when that is a decision, not a gap. */
export const WHY: Record<string, string> = {
  'H5072/75':
    "Govee's packed format: temperature = ⌊n/1000⌋/10 with the sign bit, so −7.3 °C (humidity 48.1 % uses the same digits); Theengs divides the whole number and reports −7.3481",
  RuuviTag_RAWv1:
    'Ruuvi publishes acceleration in milli-g; iotgw reports it as sent (`acceleration_*_mg`). Theengs reports mg × 0.000980665, neither g nor m/s²',
  RuuviTag_RAWv2:
    'Ruuvi publishes acceleration in milli-g; iotgw reports it as sent (`acceleration_*_mg`). Theengs reports mg × 0.000980665, neither g nor m/s²',
  SE_TEMP:
    'the advert carries no valid temperature (0x7FFF) and only a battery voltage: iotgw reports no reading (`no_values`)',
  MUE4094RT:
    "Theengs' `darkness` is the MiBeacon frame counter byte; iotgw reports the motion object only. The MAC-only advert has no reading (`no_values`)",
  CGG1: "Theengs' test uses placeholder MACs (`YYYYYYYYYYYY`) that are not hex, so the advert cannot exist",
  SBBT_002C_ENCR:
    'encrypted BTHome: iotgw decrypts with the bind key (none in the test) instead of echoing cipher text',
  SBDW_002C_ENCR:
    'encrypted BTHome: iotgw decrypts with the bind key (none in the test) instead of echoing cipher text',
  SBMO_003Z_ENCR:
    'encrypted BTHome: iotgw decrypts with the bind key (none in the test) instead of echoing cipher text',
  'SBHT-003C_ENCR':
    'encrypted BTHome: iotgw decrypts with the bind key (none in the test) instead of echoing cipher text',
  'LYWSD03MMC/MJWSD05MMC_PVVX_ENCR':
    'encrypted pvvx advert: needs the bind key; Theengs only echoes cipher text (not implemented here)',
  APPLEDEVICE:
    'phones, watches and trackers carry no reading: iotgw does not publish them (privacy, and every phone nearby would become a stream)',
  APPLEWATCH:
    'phones, watches and trackers carry no reading: iotgw does not publish them (privacy, and every phone nearby would become a stream)',
  APPLE_CONT:
    'phones, watches and trackers carry no reading: iotgw does not publish them (privacy, and every phone nearby would become a stream)',
  APPLE_CONTAT:
    'phones, watches and trackers carry no reading: iotgw does not publish them (privacy, and every phone nearby would become a stream)',
  TILE: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  ITAG: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  NUT: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  NUTALE: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  GTAG: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  TICWATCHGTH: 'trackers carry no reading: iotgw does not publish presence-only adverts',
  'MS-CDP': 'Microsoft CDP beacons carry no reading: not published',
  GAEN: 'exposure-notification beacons carry no reading (rotating ids): not published',
  MBXPRO:
    "the 3-axis frame's scale is not published in a form verified here (Theengs: raw/10000 × 9.80665); the T&H frame is decoded",
  'MB/SW': 'Mi Band adverts without a heart rate carry only the step count in service data',
};
