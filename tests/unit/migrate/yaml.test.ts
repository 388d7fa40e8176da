/** yamlOutputPath: migrated connections as az-ml YAML with placeholders, applied back through the loader. */
import * as assert from 'node:assert/strict';
import { setMessageTranslator } from '../../../src/messages';
import { mapEndpoint, migrationYaml, type Migration, type Refusal, type ServiceEndpoint } from '../../../src/migrate';
import { buildConnection } from '../../../src/model/build';
import { load, variables, errors } from '../model/helpers';

const ep = (id: string, type: string, scheme: string, url: string, auth: Record<string, string>): ServiceEndpoint => ({ id, type, scheme, url, auth, data: {} });

describe('migrate: YAML output', () => {
  const git = mapEndpoint(ep('1', 'git', 'UsernamePassword', 'https://git.example/r.git', { username: 'bot', password: 'pw-1' })) as Migration;
  const feed = mapEndpoint(ep('2', 'externalPythonDownloadFeed', 'Token', 'https://f.example/simple/', { apitoken: 'tok-2' })) as Migration;
  const app = mapEndpoint(ep('3', 'github', 'InstallationToken', 'https://github.com', {}), {}, 'gh-app') as Refusal;
  const text = migrationYaml(
    [{ name: 'git-repo', source: "'Git repo' (1)", migration: git }, { name: 'feed-main', source: "'feed' (2)", migration: feed }],
    [{ name: 'gh-app', source: "'gh\napp' (3)", refusal: app }],
  );

  it('holds placeholders, never the secrets, and lists the variables', () => {
    assert.ok(!text.includes('pw-1') && !text.includes('tok-2'));
    assert.match(text, /# Variables: AZUREML_GIT_REPO_PASSWORD, AZUREML_FEED_MAIN_PAT\n/);
    assert.match(text, /name: git-repo\ntype: git\ntarget: https:\/\/git\.example\/r\.git\ncredentials:\n {2}type: username_password\n {2}username: bot\n {2}password: \$\(AZUREML_GIT_REPO_PASSWORD\)\n---\nname: feed-main\n/);
    assert.match(text, /\n# Not migrated: service connection 'gh app' \(3\)\. A GitHub App/, 'a comment stays on one line');
    assert.match(text, /#   name: gh-app\n#   type: git\n#   target: https:\/\/github\.com\n#   credentials:\n#     type: pat\n#     pat: \$\(AZUREML_GH_APP_PAT\)\n/);
  });

  it('loads with the variables set to the same ARM properties as the migrated connections', () => {
    const r = load({ 'migrated.yml': text }, { variables: variables({ AZUREML_GIT_REPO_PASSWORD: { value: 'pw-1', secret: true }, AZUREML_FEED_MAIN_PAT: { value: 'tok-2', secret: true } }) });
    assert.deepEqual(errors(r), []);
    assert.deepEqual(r.connections.map((c) => c.name), ['git-repo', 'feed-main'], 'the commented equivalent is not a document');
    assert.deepEqual(r.connections[0]!.properties, buildConnection({ name: 'git-repo', ...git.doc }).properties);
    assert.deepEqual(r.connections[1]!.properties, buildConnection({ name: 'feed-main', ...feed.doc }).properties);
  });

  it("comments are in the agent's language, one language with the reasons they quote, and stay comments whatever a translation holds", () => {
    setMessageTranslator((key, args) => `«${key}»\n${args.join('\r\n')}`);
    let translated: string;
    try {
      const refusal = mapEndpoint(ep('3', 'github', 'InstallationToken', 'https://github.com', {}), {}, 'gh-app') as Refusal;
      translated = migrationYaml([{ name: 'git-repo', source: "'Git repo' (1)", migration: git }], [{ name: 'gh-app', source: "'gh-app' (3)", refusal }]);
    } finally {
      setMessageTranslator(undefined);
    }
    assert.match(translated, /^# «Task_YamlHeader»\n# \n# «Task_YamlVariables»\n# AZUREML_GIT_REPO_PASSWORD\nname: git-repo\n/);
    assert.match(translated, /\n# «Task_YamlNotMigrated» 'gh-app' \(3\) «Task_MapGithubApp» \n# «Task_MapGithubAppAdvice» AZUREML_GH_APP_PAT\n# «Task_YamlEquivalent» \n#   name: gh-app\n/);
    const r = load({ 'migrated.yml': translated }, { variables: variables({ AZUREML_GIT_REPO_PASSWORD: { value: 'pw-1', secret: true } }) });
    assert.deepEqual(errors(r), []);
    assert.deepEqual(r.connections.map((c) => c.name), ['git-repo']);
  });

  it('without the variables, loading fails instead of sending a literal', () => {
    const r = load({ 'migrated.yml': text });
    assert.ok(errors(r).some((d) => d.message.includes('AZUREML_GIT_REPO_PASSWORD')), errors(r).map((d) => d.message).join('\n'));
  });
});
