import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../records/message.ts';
import type { MessageStatusRecord } from '../records/message-status.ts';
import { mo, mt, status } from '../testing/messaging.ts';
import {
  DamagedProjection,
  forEachProjectedMessage,
  forEachProjectedStatus,
  type MessageFacts,
  messageFacts,
  projectMessages,
  projectStatuses,
  type StatusFacts,
  statusFacts,
} from './projection.ts';

const T0 = Date.UTC(2026, 2, 10, 12, 0, 0);

const statuses = (text: string, from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY) => {
  const out: StatusFacts[] = [];
  forEachProjectedStatus(text, from, to, (facts) => out.push(facts));
  return out;
};
const messages = (text: string) => {
  const out: MessageFacts[] = [];
  forEachProjectedMessage(text, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, (facts) =>
    out.push(facts),
  );
  return out;
};

describe('the message and status projections (issue 11)', () => {
  it('give back every field a report reads, whatever the text holds (tabs, newlines, backslashes, empty or absent)', () => {
    const records: MessageStatusRecord[] = [
      status('wamid.1', T0, 'sent'),
      { ...status('wamid\t2\n', T0 + 1, 'failed'), providerStatus: 'a\\tb\tc\nd\\', error: '' },
      {
        ...status('wamid.3', T0 + 2, 'read'),
        providerStatus: '',
        contact: '5511900000001',
        business: '5511',
      },
      { ...status('wamid.4', T0 - 86_400_000 * 40_000, 'invalid_session'), providerStatus: undefined },
    ];
    delete records[3]!.providerStatus;
    expect(statuses(projectStatuses(records))).toEqual(records.map(statusFacts));
    const sent: MessageRecord[] = [
      mt(T0),
      mo(T0 + 5, { contact: '5511900000002', messageId: 'x\\y\tz' }),
      mt(T0 + 9, { direction: 'MT', contentType: 'image' }),
    ];
    expect(messages(projectMessages(sent))).toEqual(sent.map(messageFacts));
    expect(statuses(projectStatuses([]))).toEqual([]);
    expect(messages(projectMessages([]))).toEqual([]);
  });

  it('escapes every character beyond Latin-1, so the text stays one byte a character, and gives them back', () => {
    const records: MessageStatusRecord[] = [
      {
        ...status('wamid.’1', T0, 'failed'),
        providerStatus: 'não entregue 😀',
        error: 'a \\u00e1 \\\u2019 ’',
      },
      { ...status('wamid.2', T0 + 1, 'read'), providerStatus: '\ud83d alone', error: 'çé' },
    ];
    const text = projectStatuses(records);
    expect(/[\u0100-\uffff]/.test(text)).toBe(false);
    expect(text).toContain('não');
    expect(statuses(text)).toEqual(records.map(statusFacts));
    const sent = [mt(T0, { messageId: 'x’y' })];
    expect(messages(projectMessages(sent))).toEqual(sent.map(messageFacts));
  });

  it('reads only the instants in [from, to)', () => {
    const records = [status('a', T0 - 1, 'sent'), status('b', T0, 'sent'), status('c', T0 + 10, 'sent')];
    expect(statuses(projectStatuses(records), T0, T0 + 10).map((facts) => facts.messageId)).toEqual(['b']);
  });

  it('refuses text it did not write, saying what is wrong', () => {
    const good = projectStatuses([status('a', T0, 'sent')]);
    expect(() => statuses('[{"id":"s-1"}]')).toThrow(DamagedProjection);
    expect(() => statuses(good.replace('\t', ''))).toThrow(DamagedProjection);
    expect(() => statuses(good.replace(String(T0), 'x'))).toThrow('not a number');
    expect(() => statuses(`${good.split('\t').slice(0, 3).join('\t')}\t99\t\t\t\t`)).toThrow(
      'unknown status',
    );
    expect(() => messages(projectMessages([mt(T0)]).replace('\tMT\t', '\tXX\t'))).toThrow(
      'unknown direction',
    );
    expect(() => messages(good)).toThrow(DamagedProjection);
  });
});
