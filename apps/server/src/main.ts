#!/usr/bin/env node
// iotgw-server's entry point, and the one file that reads process.env.
import { runCli } from './cli/run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), process.env);
// Connections that outlive a graceful stop (an HTTP keep-alive client) must not keep the process up.
setTimeout(() => process.exit(), 200).unref();
