// Localization files of a task, generated from its task.json the way Microsoft's make-util does:
//   task.loc.json                                  task.json with each display string replaced by `ms-resource:<key>`
//   Strings/resources.resjson/en-US/resources.resjson   { <key>: English text }
// Keys: loc.friendlyName, loc.helpMarkDown, loc.description, loc.instanceNameFormat, loc.releaseNotes,
// loc.group.displayName.<group>, loc.input.label.<input>, loc.input.help.<input>, loc.messages.<key>.
// The build writes both next to each bundled task.json (they are generated, never committed), so they
// cannot drift from task.json. task-lib's setResourcePath reads `messages` and the resjson of System.Culture.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RESJSON_PATH = join('Strings', 'resources.resjson', 'en-US', 'resources.resjson');

const TOP_LEVEL = ['friendlyName', 'helpMarkDown', 'description', 'instanceNameFormat', 'releaseNotes'];

/** @returns {{ locJson: object, resources: Record<string, string> }} */
export function generateLoc(task) {
  const locJson = structuredClone(task);
  const resources = {};
  const put = (key, value) => {
    resources[key] = value;
    return `ms-resource:${key}`;
  };
  for (const field of TOP_LEVEL) {
    if (typeof task[field] === 'string') locJson[field] = put(`loc.${field}`, task[field]);
  }
  for (const group of locJson.groups ?? []) {
    if (typeof group.displayName === 'string') group.displayName = put(`loc.group.displayName.${group.name}`, group.displayName);
  }
  for (const input of locJson.inputs ?? []) {
    if (typeof input.label === 'string') input.label = put(`loc.input.label.${input.name}`, input.label);
    if (typeof input.helpMarkDown === 'string') input.helpMarkDown = put(`loc.input.help.${input.name}`, input.helpMarkDown);
  }
  for (const key of Object.keys(locJson.messages ?? {})) {
    locJson.messages[key] = put(`loc.messages.${key}`, task.messages[key]);
  }
  return { locJson, resources };
}

/** Writes task.loc.json and the en-US resjson next to `<dir>/task.json`. */
export function writeLoc(dir) {
  const { locJson, resources } = generateLoc(JSON.parse(readFileSync(join(dir, 'task.json'), 'utf8')));
  writeFileSync(join(dir, 'task.loc.json'), JSON.stringify(locJson, null, 2) + '\n');
  mkdirSync(join(dir, 'Strings', 'resources.resjson', 'en-US'), { recursive: true });
  writeFileSync(join(dir, RESJSON_PATH), JSON.stringify(resources, null, 2) + '\n');
}
