import { AgentSecrets, runTask } from '../../src/pipeline/agent';
import { createServices, readCreateSettings } from '../../src/pipeline/settings';
import { runCreate } from '../../src/tasks/create';

runTask(__dirname, async () => {
  const secrets = new AgentSecrets();
  const settings = readCreateSettings(secrets);
  return runCreate(settings, createServices(secrets));
});
