import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createNotifyActivities } from '../../../activities/notify';
import { DEFAULT_OBLIGATIONS_FILE, loadConfig } from '../../../config/config';

describe('loadConfig: notify', () => {
  it('uses the shipped obligations file and no SMTP unless told otherwise', () => {
    const c = loadConfig({}, '/srv');
    expect(c.obligationsFile).toBe(DEFAULT_OBLIGATIONS_FILE);
    expect(c.smtp).toBeUndefined();
    expect(loadConfig({ CORDON_OBLIGATIONS_FILE: 'legal/obligations.yaml' }, '/srv').obligationsFile).toBe(
      '/srv/legal/obligations.yaml',
    );
  });

  it('reads the SMTP URL and sender, and names the variable when one is wrong', () => {
    expect(loadConfig({ CORDON_SMTP_URL: 'smtp://127.0.0.1:2525', CORDON_MAIL_FROM: 'ir@acme.example' }).smtp).toEqual({
      url: 'smtp://127.0.0.1:2525',
      from: 'ir@acme.example',
    });
    expect(() => loadConfig({ CORDON_SMTP_URL: 'http://mail.example' })).toThrow(
      /^configuration: CORDON_SMTP_URL: expected smtp:\/\/host:port/,
    );
    expect(() => loadConfig({ CORDON_MAIL_FROM: 'not an address' })).toThrow(/^configuration: CORDON_MAIL_FROM: /);
  });

  it('refuses to serve notify with an invalid obligations file, listing every problem', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-notify-config-'));
    const file = path.join(dir, 'obligations.yaml');
    writeFileSync(file, 'apiVersion: cordon/v1\nkind: Obligations\nparties: {}\nobligations: []\n');
    expect(() => createNotifyActivities({ obligationsFile: file, stateDir: dir })).toThrow(
      /invalid obligations file:\n.*obligations\.yaml:4:\d+: obligations: /,
    );
  });
});
