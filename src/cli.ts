#!/usr/bin/env node
// The `storefront-customer-session` bin. Everything lives in ./cli/main.ts so tests can run it in-process.
import { main } from './cli/main.js';

process.exitCode = await main(process.argv.slice(2));
