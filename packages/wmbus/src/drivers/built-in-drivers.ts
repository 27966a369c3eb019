import { compileDriver } from '../driver-spec/compile-driver.js';
import { validateDriverSpec } from '../driver-spec/validate-driver-spec.js';
import { WmbusError } from '../result.js';
import aeriusFile from './builtin/aerius.json' with { type: 'json' };
import amiplusFile from './builtin/amiplus.json' with { type: 'json' };
import aquastreamFile from './builtin/aquastream.json' with { type: 'json' };
import aventieshcaFile from './builtin/aventieshca.json' with { type: 'json' };
import aventieswmFile from './builtin/aventieswm.json' with { type: 'json' };
import c5isfFile from './builtin/c5isf.json' with { type: 'json' };
import cma12wFile from './builtin/cma12w.json' with { type: 'json' };
import dme07File from './builtin/dme_07.json' with { type: 'json' };
import dme173File from './builtin/dme173.json' with { type: 'json' };
import ebzwmbeFile from './builtin/ebzwmbe.json' with { type: 'json' };
import ehzpFile from './builtin/ehzp.json' with { type: 'json' };
import elf2File from './builtin/elf2.json' with { type: 'json' };
import elsterFile from './builtin/elster.json' with { type: 'json' };
import em24File from './builtin/em24.json' with { type: 'json' };
import enercalFile from './builtin/enercal.json' with { type: 'json' };
import eurisiiFile from './builtin/eurisii.json' with { type: 'json' };
import ev200File from './builtin/ev200.json' with { type: 'json' };
import evo868File from './builtin/evo868.json' with { type: 'json' };
import fhkvdataivFile from './builtin/fhkvdataiv.json' with { type: 'json' };
import fiowaterFile from './builtin/fiowater.json' with { type: 'json' };
import gwfgasFile from './builtin/gwfgas.json' with { type: 'json' };
import gwfwaterFile from './builtin/gwfwater.json' with { type: 'json' };
import hcae2File from './builtin/hcae2.json' with { type: 'json' };
import hydrodigitFile from './builtin/hydrodigit.json' with { type: 'json' };
import hydrusFile from './builtin/hydrus.json' with { type: 'json' };
import iem3000File from './builtin/iem3000.json' with { type: 'json' };
import iperlFile from './builtin/iperl.json' with { type: 'json' };
import istawaterFile from './builtin/istawater.json' with { type: 'json' };
import iwmtx5File from './builtin/iwmtx5.json' with { type: 'json' };
import kadenFile from './builtin/kaden.json' with { type: 'json' };
import kadenwaterFile from './builtin/kadenwater.json' with { type: 'json' };
import kamheatFile from './builtin/kamheat.json' with { type: 'json' };
import kamwaterFile from './builtin/kamwater.json' with { type: 'json' };
import lansenthFile from './builtin/lansenth.json' with { type: 'json' };
import lse0717File from './builtin/lse_07_17.json' with { type: 'json' };
import maddalenaFile from './builtin/maddalena.json' with { type: 'json' };
import microclimaFile from './builtin/microclima.json' with { type: 'json' };
import minomessFile from './builtin/minomess.json' with { type: 'json' };
import mkradio4aFile from './builtin/mkradio4a.json' with { type: 'json' };
import muniaFile from './builtin/munia.json' with { type: 'json' };
import nzrFile from './builtin/nzr.json' with { type: 'json' };
import omnipowerFile from './builtin/omnipower.json' with { type: 'json' };
import op041aFile from './builtin/op041a.json' with { type: 'json' };
import picofluxFile from './builtin/picoflux.json' with { type: 'json' };
import pollucomfFile from './builtin/pollucomf.json' with { type: 'json' };
import q400File from './builtin/q400.json' with { type: 'json' };
import qcaloricFile from './builtin/qcaloric.json' with { type: 'json' };
import qheat55UsFile from './builtin/qheat_55_us.json' with { type: 'json' };
import qheat5usFile from './builtin/qheat5us.json' with { type: 'json' };
import qheatv2File from './builtin/qheatv2.json' with { type: 'json' };
import qwaterv2File from './builtin/qwaterv2.json' with { type: 'json' };
import relhcaFile from './builtin/relhca.json' with { type: 'json' };
import sensostarFile from './builtin/sensostar.json' with { type: 'json' };
import sharkyFile from './builtin/sharky.json' with { type: 'json' };
import sharky774File from './builtin/sharky774.json' with { type: 'json' };
import sontex868File from './builtin/sontex868.json' with { type: 'json' };
import supercalFile from './builtin/supercal.json' with { type: 'json' };
import supercom587File from './builtin/supercom587.json' with { type: 'json' };
import topaseskrFile from './builtin/topaseskr.json' with { type: 'json' };
import ultraheatFile from './builtin/ultraheat.json' with { type: 'json' };
import ultrimisFile from './builtin/ultrimis.json' with { type: 'json' };
import vario411File from './builtin/vario411.json' with { type: 'json' };
import vario451midFile from './builtin/vario451mid.json' with { type: 'json' };
import waterstarmFile from './builtin/waterstarm.json' with { type: 'json' };
import weh07File from './builtin/weh_07.json' with { type: 'json' };
import { DriverRegistry } from './driver-registry.js';
import type { MeterDriver } from './meter-driver.js';

/** Every driver file shipped with iotgw. Add a meter family: one JSON file in builtin/, one line here. */
const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['omnipower.json', omnipowerFile],
  ['kamwater.json', kamwaterFile],
  ['aerius.json', aeriusFile],
  ['amiplus.json', amiplusFile],
  ['aquastream.json', aquastreamFile],
  ['aventieshca.json', aventieshcaFile],
  ['aventieswm.json', aventieswmFile],
  ['c5isf.json', c5isfFile],
  ['cma12w.json', cma12wFile],
  ['dme173.json', dme173File],
  ['dme_07.json', dme07File],
  ['ebzwmbe.json', ebzwmbeFile],
  ['ehzp.json', ehzpFile],
  ['elf2.json', elf2File],
  ['elster.json', elsterFile],
  ['em24.json', em24File],
  ['enercal.json', enercalFile],
  ['eurisii.json', eurisiiFile],
  ['ev200.json', ev200File],
  ['evo868.json', evo868File],
  ['fhkvdataiv.json', fhkvdataivFile],
  ['fiowater.json', fiowaterFile],
  ['gwfgas.json', gwfgasFile],
  ['gwfwater.json', gwfwaterFile],
  ['hcae2.json', hcae2File],
  ['hydrodigit.json', hydrodigitFile],
  ['hydrus.json', hydrusFile],
  ['iem3000.json', iem3000File],
  ['iperl.json', iperlFile],
  ['istawater.json', istawaterFile],
  ['iwmtx5.json', iwmtx5File],
  ['kaden.json', kadenFile],
  ['kadenwater.json', kadenwaterFile],
  ['kamheat.json', kamheatFile],
  ['lansenth.json', lansenthFile],
  ['lse_07_17.json', lse0717File],
  ['maddalena.json', maddalenaFile],
  ['microclima.json', microclimaFile],
  ['minomess.json', minomessFile],
  ['mkradio4a.json', mkradio4aFile],
  ['munia.json', muniaFile],
  ['nzr.json', nzrFile],
  ['op041a.json', op041aFile],
  ['picoflux.json', picofluxFile],
  ['pollucomf.json', pollucomfFile],
  ['q400.json', q400File],
  ['qcaloric.json', qcaloricFile],
  ['qheat5us.json', qheat5usFile],
  ['qheat_55_us.json', qheat55UsFile],
  ['qheatv2.json', qheatv2File],
  ['qwaterv2.json', qwaterv2File],
  ['relhca.json', relhcaFile],
  ['sensostar.json', sensostarFile],
  ['sharky.json', sharkyFile],
  ['sharky774.json', sharky774File],
  ['sontex868.json', sontex868File],
  ['supercal.json', supercalFile],
  ['supercom587.json', supercom587File],
  ['topaseskr.json', topaseskrFile],
  ['ultraheat.json', ultraheatFile],
  ['ultrimis.json', ultrimisFile],
  ['vario411.json', vario411File],
  ['vario451mid.json', vario451midFile],
  ['waterstarm.json', waterstarmFile],
  ['weh_07.json', weh07File],
];

function compileBuiltIn(file: string, value: unknown): MeterDriver {
  const v = validateDriverSpec(value);
  if (!v.ok)
    throw new WmbusError(
      'WMBUS_ERR_DRIVER',
      `built-in driver ${file}: ${v.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return compileDriver(v.spec);
}

/** The built-in drivers, compiled once when the package loads. */
export const builtInDrivers: readonly MeterDriver[] = Object.freeze(
  FILES.map(([file, value]) => compileBuiltIn(file, value)),
);

/** The built-in driver files as parsed objects (for `drivers list`, docs and tests). */
export const builtInDriverFiles: ReadonlyArray<readonly [string, unknown]> = FILES;

export const omnipower: MeterDriver = builtInDrivers[0] as MeterDriver;
export const kamwater: MeterDriver = builtInDrivers[1] as MeterDriver;

/** A registry of the built-in drivers (immutable; used when decode options name none). */
export const builtInDriverRegistry: DriverRegistry = new DriverRegistry(builtInDrivers);
