import { createRequire } from 'node:module';
import { LIBRARY, ConfigurationError } from '../runtime/errors.js';
import { EXIT, UsageError, commandHelp, parseCommandArgs, type CliIo, type Command } from './command.js';
import { codegenCommand } from './codegen.js';
import { emulatorCommand } from './emulator.js';
import { renewCommand } from './renew.js';
import { schemaCheckCommand } from './schema-check.js';
import { schemaDiffCommand } from './schema-diff.js';
import { schemaPullCommand } from './schema-pull.js';

export { EXIT, type CliIo, type Command } from './command.js';

/** Every command of the CLI. Adding one is one entry here. */
export const COMMANDS: readonly Command[] = [
  schemaPullCommand,
  schemaCheckCommand,
  schemaDiffCommand,
  codegenCommand,
  emulatorCommand,
  renewCommand,
];

/** The top-level `--help`: the commands, the exit codes, and where tokens come from. */
export function topLevelHelp(commands: readonly Command[] = COMMANDS): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return `Usage: ${LIBRARY} <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run "${LIBRARY} <command> --help" for a command's options, "${LIBRARY} --version" for the version.

Exit codes:
  0  the command did what was asked (a check passed, a file was written)
  1  it ran and failed: a check found problems, a pull or codegen failed, a renewal was
     refused (sign in again) or the store could not be reached (try again later)
  2  usage error: unknown command or option, a missing or malformed argument

Storefront tokens are read only from the environment (SHOPIFY_STOREFRONT_TOKEN, or
SHOPIFY_STOREFRONT_PRIVATE_TOKEN), never from the command line, and never printed.
The customer token that renew renews lives in a JSON file (--token-file), never on the command line,
and is never printed. The emulator prints its own fake storefront token, for local tests only.`;
}

/** The help of a command group such as `schema`: its commands and how to get each one's options. */
export function groupHelp(word: string, group: readonly Command[]): string {
  const width = Math.max(...group.map((c) => c.name.length)) + 2;
  return `Usage: ${LIBRARY} ${word} <command> [options]

Commands:
${group.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}

Run "${LIBRARY} ${word} <command> --help" for a command's options.
Exit codes: 0 ok, 1 failed, 2 usage error.`;
}

function isHelp(word: string | undefined): boolean {
  return word === '--help' || word === '-h' || word === 'help';
}

/**
 * Whether `error` is graphql (an optional peer) failing to load: commands import it only when they run, so `--help`
 * and `--version` work without it.
 */
function isMissingGraphql(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    /(package|module) '(graphql)(\/[^']*)?'/.test(message)
  );
}

/** The version of the installed package (its own package.json, reached by name from inside the package). */
export function packageVersion(): string {
  const manifest = createRequire(import.meta.url)(`${LIBRARY}/package.json`) as { version: string };
  return manifest.version;
}

/** The default I/O: the process's streams, environment, folder and clock. */
export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  env: process.env,
  cwd: process.cwd(),
  now: () => Date.now(),
};

/**
 * Runs the CLI with `argv` (without node and the script) and resolves to its exit code; it never
 * calls `process.exit`, so it can run inside a test with its own {@link CliIo}.
 *
 * @param argv - e.g. `['schema', 'diff', '2025-07', '2026-04', '--json']`.
 * @param io - where output goes and the environment comes from; the process's by default.
 * @param commands - the command table; {@link COMMANDS} by default.
 * @returns 0 ok, 1 failed, 2 usage error (see {@link EXIT}).
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout(packageVersion());
    return EXIT.ok;
  }
  if (argv.length === 0 || isHelp(argv[0])) {
    if (argv.length > 0) {
      io.stdout(topLevelHelp(commands));
      return EXIT.ok;
    }
    io.stderr(topLevelHelp(commands));
    return EXIT.usage;
  }
  // A group word alone (`schema`, `schema --help`): the help of the commands it starts.
  const group = commands.filter((c) => c.name.includes(' ') && c.name.split(' ')[0] === argv[0]);
  if (group.length > 0 && !commands.some((c) => c.name === argv[0]) && (argv.length === 1 || isHelp(argv[1]))) {
    const help = groupHelp(argv[0]!, group);
    if (argv.length === 1) {
      io.stderr(help);
      return EXIT.usage;
    }
    io.stdout(help);
    return EXIT.ok;
  }
  // The longest matching word sequence wins, so `schema pull` and a future `schema` can coexist; among
  // equal names the last entry wins, so a table can replace a command (tests swap in stand-ins).
  const command = [...commands]
    .reverse()
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)
    .find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  if (!command) {
    const words = argv
      .filter((a) => !a.startsWith('-'))
      .slice(0, 2)
      .join(' ');
    io.stderr(
      `${LIBRARY}: unknown command "${words || argv[0]}". Commands: ` +
        `${commands.map((c) => c.name).join(', ')}. Run "${LIBRARY} --help".`,
    );
    return EXIT.usage;
  }
  try {
    const input = parseCommandArgs(command, argv.slice(command.name.split(' ').length));
    if (input.help) {
      io.stdout(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run({ options: input.options, positionals: input.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${LIBRARY}: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ConfigurationError) {
      io.stderr(error.message);
      return EXIT.usage;
    }
    if (isMissingGraphql(error)) {
      io.stderr(
        `${LIBRARY}: graphql is not installed beside the package ("${io.cwd}"). "${command.name}" needs it ` +
          '(the exchanges do not): npm install --save-dev graphql',
      );
      return EXIT.failed;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(message.startsWith(`${LIBRARY}:`) ? message : `${LIBRARY}: ${command.name} failed: ${message}`);
    return EXIT.failed;
  }
}
