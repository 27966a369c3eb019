export { type AedesBroker, startAedes } from './aedes-broker.js';
export { freePort, waitForPort } from './free-port.js';
export { type MosquittoProcess, projectMosquittoConfig, startMosquitto } from './mosquitto-process.js';
export { createMysqlDatabase, type TestDatabase } from './mysql-database.js';
export { openPtyPair, type PtyPair } from './pty-pair.js';
export { assertServiceAnswers, serviceEnv, skipIfMissing, skipReason } from './services.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { type TestBroker, testBroker } from './test-broker.js';
