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

export function isManaged(connection: ArmConnection): boolean {
  return connection.properties.metadata?.[MANAGED_BY_KEY] === MANAGED_BY_VALUE;
}

/** The metadata without our marker (for comparing what the user declared). */
export function withoutMarker(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) if (k !== MANAGED_BY_KEY) out[k] = v;
  return out;
}

/** The properties to PUT: the declared ones plus the marker. Does not change its input. */
export function withMarker(properties: ConnectionProperties): ConnectionProperties {
  return { ...properties, metadata: { ...(properties.metadata ?? {}), [MANAGED_BY_KEY]: MANAGED_BY_VALUE } };
}
