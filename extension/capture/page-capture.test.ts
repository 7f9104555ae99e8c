import { describe, expect, it } from 'vitest';
import type { PlatformSignal } from '../adapters/types.ts';
import { PageCapture } from './page-capture.ts';

function capture(navigationType = 'navigate') {
  const emitted: Record<string, unknown>[] = [];
  let sessions = 0;
  const page = new PageCapture({
    navigationType,
    emit: (signal) => emitted.push(signal),
    newSessionId: () => `s${++sessions}`,
  });
  const say = (...signals: PlatformSignal[]) => {
    for (const signal of signals) page.onPlatformSignal(signal);
  };
  const welcome: PlatformSignal = { kind: 'welcome', agentId: 'ana', agentName: 'Ana', status: 'available' };
  const summary = () =>
    emitted.map((signal) => [signal.type, signal.cause ?? signal.status ?? '', signal.sessionId]);
  return { page, say, welcome, summary, emitted };
}

describe('PageCapture: what a login was caused by', () => {
  it('a first welcome is a page load, or a refresh after F5; the status follows', () => {
    const load = capture('navigate');
    load.say(load.welcome);
    expect(load.summary()).toEqual([
      ['login', 'page_load', 's1'],
      ['status', 'available', 's1'],
    ]);
    const reload = capture('reload');
    reload.say({ kind: 'welcome', agentId: 'ana', agentName: 'Ana', status: 'break', reason: 'Lunch' });
    expect(reload.summary()).toEqual([
      ['login', 'refresh', 's1'],
      ['status', 'break', 's1'],
    ]);
  });

  it('a welcome after a dropped socket is a reconnect; after a network change while down, a network change', () => {
    const c = capture();
    c.say(c.welcome);
    c.page.onSocketClosed();
    c.say(c.welcome);
    c.page.onSocketClosed();
    c.page.onNetworkChange();
    c.say(c.welcome);
    expect(c.summary().filter(([type]) => type === 'login')).toEqual([
      ['login', 'page_load', 's1'],
      ['login', 'reconnect', 's2'],
      ['login', 'network_change', 's3'],
    ]);
  });

  it('"use here", token renewal, network change while connected, logout', () => {
    const c = capture();
    c.say({ kind: 'active-elsewhere' }, c.welcome, { kind: 'renew-token' });
    c.page.onNetworkChange();
    c.say({ kind: 'logged-out' }, c.welcome);
    expect(c.summary()).toEqual([
      ['login', 'use_here', 's1'],
      ['status', 'available', 's1'],
      ['login', 'token_renewal', 's1'],
      ['login', 'network_change', 's2'],
      ['logout', '', 's2'],
      ['login', 'page_load', 's3'],
      ['status', 'available', 's3'],
    ]);
  });

  it('repeated statuses are said once; nothing is emitted while not connected', () => {
    const c = capture();
    c.say({ kind: 'status', status: 'break', reason: 'Lunch' }, { kind: 'renew-token' });
    c.page.onHeartbeatTick();
    expect(c.summary()).toEqual([]);
    c.say(
      c.welcome,
      { kind: 'status', status: 'available' },
      { kind: 'status', status: 'break', reason: 'Lunch' },
    );
    c.say({ kind: 'status', status: 'break', reason: 'Lunch' }, { kind: 'session-taken' });
    c.page.onHeartbeatTick();
    expect(c.summary()).toEqual([
      ['login', 'page_load', 's1'],
      ['status', 'available', 's1'],
      ['status', 'break', 's1'],
    ]);
  });
});

describe('PageCapture: text the platform sends too long', () => {
  it('cuts break reasons and names to what an event carries', () => {
    const c = capture();
    c.say(
      { kind: 'welcome', agentId: 'ana', agentName: 'N'.repeat(300) },
      { kind: 'status', status: 'break', reason: 'R'.repeat(500) },
    );
    expect(
      c.emitted.map((signal) => [signal.agentName?.toString().length, signal.reason?.toString().length]),
    ).toEqual([
      [256, undefined],
      [256, 200],
    ]);
  });
});

describe('PageCapture: text the platform sends that could not be stored', () => {
  it('a NUL or a broken surrogate becomes U+FFFD, so the break is kept rather than refused with its batch', () => {
    const c = capture();
    c.say(
      { kind: 'welcome', agentId: 'ana\u0000', agentName: 'Ana \udc00' },
      { kind: 'status', status: 'break', reason: 'Lunch\u0000x' },
      { kind: 'status', status: 'break', reason: `${'R'.repeat(199)}\ud83c\udfa7` },
    );
    expect(c.emitted.map((signal) => [signal.agentId, signal.agentName, signal.reason])).toEqual([
      ['ana\ufffd', 'Ana \ufffd', undefined],
      ['ana\ufffd', 'Ana \ufffd', 'Lunch\ufffdx'],
      ['ana\ufffd', 'Ana \ufffd', 'R'.repeat(199)],
    ]);
  });
});
