// Runs the compiled example app (out/app.js) against the emulator of the installed package and prints its
// report as JSON (never a token).
import { DEFAULT_CUSTOMER, startEmulator } from 'storefront-customer-session/testing';
import { runApp } from './out/app.js';

const emulator = await startEmulator();
try {
  const report = await runApp({
    storeDomain: emulator.storeDomain,
    publicAccessToken: emulator.publicAccessToken,
    email: DEFAULT_CUSTOMER.email,
    password: DEFAULT_CUSTOMER.password,
  });
  console.log(JSON.stringify(report));
} finally {
  await emulator.close();
}
