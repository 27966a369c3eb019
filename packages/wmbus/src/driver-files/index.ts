/**
 * @iotgw/wmbus/driver-files: reading driver files from disk (JSON, YAML, wmbusmeters .xmq). The pure core
 * validates and compiles driver objects; this subpath adds the text formats and the file system.
 */
export {
  type DriverLoadReport,
  isDriverFile,
  type LoadedDriverFile,
  loadDriverFiles,
  MAX_DRIVER_FILES,
} from './load-driver-dir.js';
export {
  type DriverFileProblem,
  formatDriverProblem,
  MAX_DRIVER_FILE_BYTES,
  type ParsedDriverFile,
  parseDriverFile,
} from './parse-driver-file.js';
export { parseXmq, type XmqNode, type XmqResult } from './xmq-parser.js';
