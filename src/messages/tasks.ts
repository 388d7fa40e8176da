/** Messages of Create, Export, Migrate and the pipeline adapter (src/tasks, src/migrate, src/devops, src/pipeline). util.format placeholders; see src/messages/index.ts. */
export const taskMessages = {
} as const satisfies Record<string, string>;
