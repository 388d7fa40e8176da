import { AgentSecrets, runTask } from '../../src/pipeline/agent';
import { createExportServices, readExportSettings } from '../../src/pipeline/export-settings';
import { runExport } from '../../src/tasks/export';

runTask(__dirname, async () => {
  const secrets = new AgentSecrets();
  const settings = readExportSettings(secrets);
  return runExport(settings, createExportServices(secrets));
});
