/** Messages of the connection YAML model (src/model): validation errors, warnings and notes. util.format placeholders; see src/messages/index.ts. */
export const modelMessages = {
} as const satisfies Record<string, string>;
