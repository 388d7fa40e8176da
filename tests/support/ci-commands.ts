/**
 * How the two CI runners read a line of output, for tests that check that outside text never becomes a
 * command: the Azure Pipelines agent's `##vso[` (agent-harness.ts parseCommand) and GitHub's runner
 * (actions/runner ActionCommand: `::name props::data` once leading white space is trimmed, and the legacy
 * `##[name props]data` anywhere in the line), each unescaping as the runner does.
 */
export { parseCommand as parseAzureCommand } from './agent-harness';

export interface GithubCommand {
  name: string;
  props: Record<string, string>;
  data: string;
}

/** The commands the runner registers (ActionCommandManager); anything else on a `::` line is ignored. */
export const GITHUB_COMMANDS = new Set([
  'add-mask', 'add-matcher', 'add-path', 'debug', 'echo', 'endgroup', 'error', 'group', 'notice', 'remove-matcher',
  'save-state', 'set-env', 'set-output', 'stop-commands', 'warning',
]);

const unescapeData = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (v: string) => v.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
const unescapeLegacy = (v: string) => v.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%25/g, '%');

/** .NET's Char.IsWhiteSpace, as String.TrimStart() trims. */
const LEADING_WHITE = /^[\s\u0085]+/;

export function parseGithubCommand(line: string): GithubCommand | undefined {
  const trimmed = line.replace(LEADING_WHITE, '');
  if (trimmed.startsWith('::')) {
    const end = trimmed.indexOf('::', 2);
    if (end >= 0) {
      const info = trimmed.slice(2, end);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (GITHUB_COMMANDS.has(name)) {
        const props: Record<string, string> = {};
        if (space > 0) {
          for (const pair of info.slice(space + 1).trim().split(',').filter(Boolean)) {
            const eq = pair.indexOf('=');
            if (eq > 0) props[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
          }
        }
        return { name, props, data: unescapeData(trimmed.slice(end + 2)) };
      }
    }
  }
  const at = line.indexOf('##[');
  if (at < 0) return undefined;
  const close = line.indexOf(']', at);
  if (close < 0) return undefined;
  const info = line.slice(at + 3, close);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!GITHUB_COMMANDS.has(name)) return undefined;
  const props: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0) props[pair.slice(0, eq)] = unescapeLegacy(pair.slice(eq + 1));
    }
  }
  return { name, props, data: unescapeLegacy(line.slice(close + 1)) };
}

/** Output as the runners split it into lines (StreamReader.ReadLine: \r\n, \r or \n). */
export function runnerLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}
