/** Runs `workers` loops of `one` for `ms` milliseconds and returns the completed operations per second. */
export async function drive(one: (worker: number) => Promise<void>, workers: number, ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < until) {
        await one(worker);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}
