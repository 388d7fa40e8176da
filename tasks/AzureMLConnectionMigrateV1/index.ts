import { AgentSecrets, runTask } from '../../src/pipeline/agent';
import { migrateServices, readMigrateSettings } from '../../src/pipeline/migrate-settings';
import { runMigrate } from '../../src/tasks/migrate';

runTask(__dirname, async () => {
  const secrets = new AgentSecrets();
  const settings = readMigrateSettings(secrets);
  return runMigrate(settings, migrateServices(secrets, settings));
});
