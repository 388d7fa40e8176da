import { AgentSecrets, runTask } from '../../src/pipeline/agent';
import { createVerifyServices, readVerifySettings } from '../../src/pipeline/verify-settings';
import { runVerify } from '../../src/tasks/verify';

runTask(__dirname, async () => {
  const secrets = new AgentSecrets();
  const settings = readVerifySettings(secrets);
  return runVerify(settings, createVerifyServices(secrets, settings));
});
