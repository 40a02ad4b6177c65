import { runDemo } from './demo.js';

/** `npm start`: the walk-through on the local emulator (or a real store, see README). */
process.exitCode = await runDemo().catch((error: Error) => {
  console.error(error.message);
  return 1;
});
