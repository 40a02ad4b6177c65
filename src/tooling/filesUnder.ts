import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files under `dir` whose name `accept`s, as paths relative to `dir`, sorted. Symbolic links are followed,
 * but every folder and file is visited once by its real path, so a link loop (`ops/self -> .`) or two links to
 * the same file cannot hang the walk or list a file twice (Node's `readdir({ recursive: true })` follows a loop
 * until it runs out of memory). Unreadable entries, dangling links and anything that is neither a folder nor a regular
 * file (a named pipe, a socket, a device: reading one may block forever) are skipped.
 *
 * @throws the error of reading `dir` itself (e.g. `ENOENT`), so a caller can say the folder is missing.
 */
export function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  const seen = new Set<string>([realpathSync(dir)]);
  const found: string[] = [];
  const pending: string[] = [''];
  for (let relative = pending.pop(); relative !== undefined; relative = pending.pop()) {
    let names: string[];
    try {
      names = readdirSync(join(dir, relative));
    } catch (error) {
      if (relative === '') throw error;
      continue;
    }
    for (const name of names) {
      const path = join(relative, name);
      let real: string;
      let isDirectory: boolean;
      try {
        real = realpathSync(join(dir, path));
        const stats = statSync(real);
        isDirectory = stats.isDirectory();
        if (!isDirectory && !stats.isFile()) continue;
      } catch {
        continue;
      }
      if (seen.has(real)) continue;
      if (isDirectory) {
        seen.add(real);
        pending.push(path);
      } else if (accept(name)) {
        seen.add(real);
        found.push(path);
      }
    }
  }
  return found.sort();
}
