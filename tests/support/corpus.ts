/**
 * The azure-ai-ml connection fixtures (../shared/corpus/azure-ai-ml) and the body each should become:
 * the `[derived]` line of EXPECTED.md with our documented deviations applied (the enum spelling of
 * categories, AccountKey credentials as {"key": ...} for GA api-versions, no null metadata values).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConnectionProperties } from '../../src/arm/types';

export const SHARED_DIR = process.env.AZUREML_SHARED_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared');
export const CORPUS_DIR = path.join(SHARED_DIR, 'corpus', 'azure-ai-ml', 'connection');
export const EXPECTED_MD = path.join(SHARED_DIR, 'corpus', 'azure-ai-ml', 'EXPECTED.md');

export interface Expected {
  file: string;
  properties?: ConnectionProperties;
}

/**
 * Reads the `[derived]` line of each fixture in EXPECTED.md (the body azure-ai-ml sends) and applies our
 * documented deviations: the enum spelling of categories (AzureOpenAI, OpenAI), AccountKey credentials as
 * {"key": ...} (GA api-versions), and no null metadata values.
 */
export function corpusExpectations(): Expected[] {
  const text = fs.readFileSync(EXPECTED_MD, 'utf8');
  const sections = text.split(/^### /m).slice(1);
  return sections.map((section) => {
    const file = section.split(/\s/)[0];
    const derived = /^- \[derived\] (.*)$/m.exec(section)?.[1];
    if (!derived) return { file };
    const tick = (label: string): string | undefined => new RegExp(`${label} \\**\`([^\`]+)\``).exec(derived)?.[1];
    const json = (label: string): Record<string, unknown> | undefined => {
      const m = new RegExp(`${label} \\**\`(\\{[^\`]*\\})\``).exec(derived);
      return m ? JSON.parse(m[1]) : undefined;
    };
    let category = tick('category')!;
    category = { AzureOpenAi: 'AzureOpenAI', OpenAi: 'OpenAI' }[category] ?? category;
    const authType = tick('authType')!;
    let credentials = json('credentials');
    if (authType === 'AccountKey' && credentials && 'sas' in credentials) credentials = { key: credentials.sas };
    const metadata = Object.fromEntries(Object.entries(json('metadata') ?? {}).filter(([, v]) => v !== null)) as Record<string, string>;
    let target: string | undefined = tick('target');
    if (!target && !/no `?target`?/.test(derived)) {
      target = /target `([^`]+)`/.exec(section)?.[1]; // from the [test] line
    }
    const properties: ConnectionProperties = { authType, category, isSharedToAll: true, metadata };
    if (target !== undefined) properties.target = target;
    if (credentials) properties.credentials = credentials;
    return { file, properties };
  });
}

