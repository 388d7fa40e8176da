import type { ArmConnection, ConnectionProperties } from '../arm/types';

/**
 * Every connection this extension writes carries `metadata.ManagedBy = AzureMLConnections`.
 *
 * The marker is added on every real write (create or update). A connection that already exists
 * without it and matches its file is left alone: we never write just to add the marker. `prune`
 * therefore only ever sees, and deletes, connections that this extension created or updated.
 */
export const MANAGED_BY_KEY = 'ManagedBy';
export const MANAGED_BY_VALUE = 'AzureMLConnections';
/** The metadata key of a connection's secret digest (src/engine/digest.ts). */
export const DIGEST_METADATA_KEY = 'SecretDigest';

export function isManaged(connection: ArmConnection): boolean {
  return connection.properties.metadata?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

/** The metadata without what this extension keeps there, marker and secret digest (for comparing what the user declared). */
export function withoutMarker(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (k !== MANAGED_BY_KEY && k !== DIGEST_METADATA_KEY) out[k] = v;
  return out;
}

/** The properties to PUT: the declared ones plus the marker. Does not change its input. */
export function withMarker(properties: ConnectionProperties): ConnectionProperties {
  return { ...properties, metadata: { ...(properties.metadata ?? {}), [MANAGED_BY_KEY]: MANAGED_BY_VALUE } };
}
