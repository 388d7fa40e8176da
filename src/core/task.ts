/** What a task's logic returns and the outputs it sets: the contract between the library and an adapter (the agent, the CLI). */

export interface TaskOutcome {
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed';
  message: string;
}

export interface TaskOutputs {
  /** an output variable (isOutput=true) */
  set(name: string, value: string): void;
  /** a secret pipeline variable, registered with the agent first */
  setSecretVariable(name: string, value: string): void;
  /** a Markdown summary for the run's Extensions tab */
  uploadSummary(fileName: string, markdown: string): void;
}
