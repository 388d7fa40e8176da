/**
 * Generated connection files for the fault suite and the benchmark: eight az-ml types in rotation,
 * every one with a secret from a secret pipeline variable, and for each the ARM properties it must be
 * stored with (written out by hand from the az-ml YAML reference, not computed by our model).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectionProperties } from '../../src/arm/types';

/** Secret pipeline variables the generated files reference (`$(GEN_PAT)` etc.). */
export const GENERATED_SECRETS: Readonly<Record<string, string>> = {
  GEN_PAT: 'gen-pat-7f3a91c2e4d5',
  GEN_PASSWORD: 'gen-password-a81c3e5d7f90',
  GEN_KEY: 'gen-key-5b7d9f1a3c5e',
  GEN_CLIENT_SECRET: 'gen-client-secret-2c4e6a8b0d1f',
};

const S = GENERATED_SECRETS;
const MARKER = { ManagedBy: 'AzureMLConnections' };
const SNOWFLAKE_CLIENT = '0b3c8f4e-2a64-4a55-9a3c-6f2d7c1e9b10';
const SNOWFLAKE_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface GeneratedConnection {
  name: string;
  /** one az-ml YAML document */
  yaml: string;
  /** what the workspace must hold once applied (the task's ManagedBy marker included; read-only fields excluded) */
  properties: ConnectionProperties;
}

/** Connection `i` of a rotating type; `rev` changes a non-secret field (an update). */
export function generatedConnection(i: number, rev = 0): GeneratedConnection {
  const name = `gen-${String(i).padStart(4, '0')}`;
  const r = rev ? `-r${rev}` : '';
  const rr = rev ? `r${rev}` : '';
  const props = (category: string, authType: string, target: string, credentials: Record<string, unknown>, metadata: Record<string, string> = {}) => ({
    authType,
    category,
    isSharedToAll: true,
    metadata: { ...metadata, ...MARKER },
    target,
    credentials,
  });
  switch (i % 8) {
    case 0: {
      const target = `https://dev.azure.com/contoso/mlops/_git/repo-${i}${r}`;
      return { name, yaml: `name: ${name}\ntype: git\ntarget: ${target}\ncredentials:\n  type: pat\n  pat: $(GEN_PAT)\n`, properties: props('Git', 'PAT', target, { pat: S.GEN_PAT }) };
    }
    case 1: {
      const target = `https://pkgs.contoso.example/feed-${i}${r}/simple/`;
      return {
        name,
        yaml: `name: ${name}\ntype: python_feed\ntarget: ${target}\ncredentials:\n  type: username_password\n  username: build\n  password: $(GEN_PASSWORD)\n`,
        properties: props('PythonFeed', 'UsernamePassword', target, { username: 'build', password: S.GEN_PASSWORD }),
      };
    }
    case 2: {
      const target = `https://contoso${i}${rr}.azurecr.io`;
      return {
        name,
        yaml: `name: ${name}\ntype: container_registry\ntarget: ${target}\ncredentials:\n  type: username_password\n  username: contoso${i}\n  password: $(GEN_PASSWORD)\n`,
        properties: props('ContainerRegistry', 'UsernamePassword', target, { username: `contoso${i}`, password: S.GEN_PASSWORD }),
      };
    }
    case 3: {
      const target = `https://aoai-${i}${r}.openai.azure.com/`;
      return {
        name,
        yaml: `name: ${name}\ntype: azure_open_ai\nazure_endpoint: ${target}\napi_version: "2024-10-21"\napi_key: $(GEN_KEY)\n`,
        properties: props('AzureOpenAI', 'ApiKey', target, { key: S.GEN_KEY }, { ApiType: 'Azure', ApiVersion: '2024-10-21' }),
      };
    }
    case 4: {
      const target = `https://api-${i}${r}.contoso.example/v1`;
      return { name, yaml: `name: ${name}\ntype: api_key\napi_base: ${target}\napi_key: $(GEN_KEY)\n`, properties: props('ApiKey', 'ApiKey', target, { key: S.GEN_KEY }) };
    }
    case 5: {
      const target = `https://tool-${i}${r}.contoso.example`;
      return {
        name,
        yaml: `name: ${name}\ntype: custom\ntarget: ${target}\ncredentials:\n  type: custom_keys\n  keys:\n    api_key: $(GEN_KEY)\nmetadata:\n  owner: team-${i % 5}\n`,
        properties: props('CustomKeys', 'CustomKeys', target, { keys: { api_key: S.GEN_KEY } }, { owner: `team-${i % 5}` }),
      };
    }
    case 6: {
      const target = `jdbc:snowflake://contoso${i}${rr}.snowflakecomputing.com/?db=SALES&warehouse=WH`;
      return {
        name,
        yaml: `name: ${name}\ntype: snowflake\ntarget: ${target}\ncredentials:\n  type: service_principal\n  client_id: ${SNOWFLAKE_CLIENT}\n  client_secret: $(GEN_CLIENT_SECRET)\n  tenant_id: ${SNOWFLAKE_TENANT}\n`,
        properties: props('Snowflake', 'ServicePrincipal', target, { clientId: SNOWFLAKE_CLIENT, clientSecret: S.GEN_CLIENT_SECRET, tenantId: SNOWFLAKE_TENANT }),
      };
    }
    default: {
      const target = `contoso-bucket-${i}${r}`;
      const keyId = `AKIAEXAMPLEKEYID${String(i).padStart(4, '0')}`;
      return {
        name,
        yaml: `name: ${name}\ntype: s3\ntarget: ${target}\ncredentials:\n  type: access_key\n  access_key_id: ${keyId}\n  secret_access_key: $(GEN_KEY)\n`,
        properties: props('S3', 'AccessKey', target, { accessKeyId: keyId, secretAccessKey: S.GEN_KEY }),
      };
    }
  }
}

/**
 * Writes connections 0..n-1 into <workDir>/connections, five documents per file (`revs`: the updated
 * ones). Returns the files and the connections they declare.
 */
export function writeGeneratedConnections(workDir: string, n: number, revs: ReadonlySet<number> = new Set()): { files: string[]; connections: GeneratedConnection[] } {
  const dir = join(workDir, 'connections');
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const connections: GeneratedConnection[] = [];
  for (let start = 0; start < n; start += 5) {
    const docs: GeneratedConnection[] = [];
    for (let i = start; i < Math.min(n, start + 5); i++) docs.push(generatedConnection(i, revs.has(i) ? 1 : 0));
    const file = join(dir, `set-${String(start / 5).padStart(3, '0')}.yml`);
    writeFileSync(file, docs.map((d) => d.yaml).join('---\n'));
    files.push(file);
    connections.push(...docs);
  }
  return { files, connections };
}
