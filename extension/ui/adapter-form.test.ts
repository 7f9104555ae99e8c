import { describe, expect, it } from 'vitest';
import type { AdapterSettings } from '../adapters/types.ts';
import { adapterToForm, editJson, editPlainField, formToAdapter, patternLines } from './adapter-form.ts';

const adapter: AdapterSettings = {
  matches: ['https://app.example.com/*'],
  socketUrl: '^wss://app\\.example\\.com/',
  frameType: 'type',
  frames: {
    welcome: 'WELCOME',
    status: 'STATUS',
    renewToken: 'RENEW_TOKEN',
    activeElsewhere: 'ELSEWHERE',
    sessionTaken: 'TAKEN',
    loggedOut: 'LOGGED_OUT',
  },
  fields: { agentId: 'agent.id', agentName: 'agent.name', status: 'status', reason: 'reason' },
  statusValues: { available: 'AVAILABLE', break: 'BREAK' },
  heartbeatSeconds: 60,
};

describe('adapter form', () => {
  it('round-trips the adapter', () => {
    expect(formToAdapter(adapterToForm(adapter))).toEqual({ ok: true, adapter });
  });

  it('keeps the JSON in step with the plain fields, and back', () => {
    let form = adapterToForm(adapter);
    form = editPlainField(form, 'matches', 'https://a.example/*\n\n  https://b.example/* \n');
    form = editPlainField(form, 'heartbeatSeconds', '30');
    expect(JSON.parse(form.json)).toMatchObject({
      matches: ['https://a.example/*', 'https://b.example/*'],
      heartbeatSeconds: 30,
    });
    form = editJson(form, JSON.stringify({ ...adapter, socketUrl: 'x', heartbeatSeconds: 5 }));
    expect(form).toMatchObject({
      socketUrl: 'x',
      heartbeatSeconds: '5',
      matches: 'https://app.example.com/*',
    });
  });

  it('leaves broken JSON alone and reports it on save', () => {
    let form = editJson(adapterToForm(adapter), '{ nope');
    form = editPlainField(form, 'socketUrl', 'y');
    expect(form.json).toBe('{ nope');
    expect(formToAdapter(form)).toMatchObject({ ok: false, problem: 'syntax' });
    expect(formToAdapter({ ...form, json: '[1]' })).toEqual({ ok: false, problem: 'not-object' });
  });

  it('passes a heartbeat that is not a number on as text, for validation to name', () => {
    const result = formToAdapter({ ...adapterToForm(adapter), heartbeatSeconds: 'soon' });
    expect(result.ok && result.adapter.heartbeatSeconds).toBe('soon');
    expect(patternLines(' a \r\n\r\nb')).toEqual(['a', 'b']);
  });
});
