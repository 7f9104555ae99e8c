import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { type CsvMapping, suggestMapping } from '../shared/import/csv-mapping.ts';
import { CsvEncodingError } from '../shared/import/csv-reader.ts';
import type { AnyRecord } from '../shared/records/registry.ts';
import { importCsvFile, importCsvStream, previewCsv } from './import-csv.ts';
import { LocalStore } from './local-store.ts';

const ZONE = 'America/Sao_Paulo';

/** Windows-1252 bytes of a text (Latin-1 range only, which is what the exports use). */
function cp1252(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code > 0xff) throw new Error(`not in the test encoder: ${char}`);
    return code;
  });
}
const utf8 = (text: string) => new TextEncoder().encode(text);

/** The bytes in pieces of `size`, as a stream delivers them (splits sequences and lines). */
async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

const mapping = (headers: string[]): CsvMapping => {
  const suggested = suggestMapping(headers, { timeZone: ZONE });
  suggested.fields.business = { source: 'constant', value: '551133334444', transform: 'phone' };
  return suggested;
};

async function run(bytes: Uint8Array, size = 7) {
  const kept: AnyRecord[] = [];
  const headers = (await previewCsv(new Blob([bytes as BlobPart]))).headers;
  const summary = await importCsvStream(
    pieces(bytes, size),
    'export.csv',
    mapping(headers),
    async (records) => {
      kept.push(...records);
    },
  );
  return { summary, kept };
}

const PT = [
  'Número;Data de envio;Status;Campanha;Template',
  '+55 11 98765-4321;10/03/2026 15:41;Entregue;Black Friday;promoção_1',
  '5511912345678;10/03/2026 15:42;Não entregue;Black Friday;promoção_1',
].join('\r\n');

describe('the CSV reader', () => {
  it('reads `;` in Windows-1252 with accents, split anywhere', async () => {
    for (const size of [1, 5, 64 * 1024]) {
      const { summary, kept } = await run(cp1252(PT), size);
      expect(summary).toMatchObject({
        encoding: 'windows-1252',
        delimiter: ';',
        rows: 2,
        kept: 4,
        invalidCount: 0,
      });
      expect(kept[0]).toMatchObject({
        type: 'message',
        contact: '5511987654321',
        templateName: 'promoção_1',
        campaignId: 'Black Friday',
      });
      expect(kept[3]).toMatchObject({ type: 'message_status', status: 'undelivered' });
    }
  });

  it('reads `,` in UTF-8 with a BOM, and without', async () => {
    const text = PT.replaceAll(';', ',');
    const withBom = await run(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]), 3);
    expect(withBom.summary).toMatchObject({ encoding: 'utf-8-bom', delimiter: ',', kept: 4 });
    expect(withBom.kept[0]).toMatchObject({ templateName: 'promoção_1' });
    const plain = await run(utf8(text), 2);
    expect(plain.summary).toMatchObject({ encoding: 'utf-8', delimiter: ',', kept: 4 });
    // Same rows, same ids: importing again gives duplicates, not copies.
    expect(plain.kept.map((record) => record.id)).toEqual(withBom.kept.map((record) => record.id));
  });

  it('keeps quoted fields with `;` and line breaks, and counts lines as the file has them', async () => {
    const text = [
      'Número;Data de envio;Mensagem',
      '5511;10/03/2026 15:41;"Olá;\r\nlinha 2\r\nlinha ""3"""',
      '5511;31/02/2026 15:41;depois',
      '',
      '5512;10/03/2026;ok',
    ].join('\r\n');
    const { summary, kept } = await run(utf8(text), 4);
    expect(kept.map((record) => (record as { text?: string }).text)).toEqual([
      'Olá;\r\nlinha 2\r\nlinha "3"',
      'ok',
    ]);
    expect(summary.invalid).toEqual([
      { line: 5, error: 'at: "31/02/2026 15:41" is not a date dd/MM/yyyy HH:mm[:ss] that exists' },
    ]);
  });

  it('lists rows with too few columns and an unclosed quote by line', async () => {
    const text = 'Número,Data de envio,Mensagem\n5511,10/03/2026\n5511,10/03/2026,"never closed\n';
    const { summary } = await run(utf8(text));
    expect(summary.invalid).toEqual([
      { line: 2, error: 'has 2 columns; the header has 3' },
      { line: 3, error: 'a quoted field is never closed' },
    ]);
  });

  it('refuses a file that is neither UTF-8 nor Windows-1252, naming the byte and offset', async () => {
    // 0x81 is undefined in Windows-1252 and invalid in UTF-8.
    const bytes = new Uint8Array([...cp1252('Número;Data\n'), 0x81, ...cp1252(';x\n')]);
    await expect(run(bytes, 4)).rejects.toThrow(new CsvEncodingError(12, 0x81).message);
    expect(new CsvEncodingError(12, 0x81).message).toBe(
      'the file is neither UTF-8 nor Windows-1252: byte 0x81 at offset 12 fits neither (save it as UTF-8 or Windows-1252 CSV)',
    );
    // Read as Windows-1252 already: the first undefined byte is named, whichever it is.
    const later = new Uint8Array([...cp1252('Número;Data\nçã;x'), 0x9d, 0x81, ...cp1252(';x\n')]);
    for (const size of [4, 64 * 1024])
      await expect(run(later, size)).rejects.toThrow('byte 0x9D at offset 16 fits neither');
    // Valid UTF-8 accents first, then a Latin-1 byte: damaged UTF-8, not another encoding.
    const mixed = new Uint8Array([...utf8('Número;Data\nção;x\n'), 0xe9, ...utf8(';y\n')]);
    await expect(run(mixed, 5)).rejects.toThrow('byte 0xE9 at offset 21');
    // UTF-16 (NUL bytes).
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...'ab;c\n'].flatMap((char) => [char.charCodeAt(0), 0])]);
    await expect(run(utf16)).rejects.toThrow(
      'the file is UTF-16, neither UTF-8 nor Windows-1252: save it as UTF-8 or Windows-1252 CSV',
    );
    // NUL bytes without a byte-order mark (UTF-16 without BOM, or not text at all).
    const nul = new Uint8Array([...utf8('a;b\n'), 0x00, ...utf8(';c\n')]);
    await expect(run(nul, 3)).rejects.toThrow('byte 0x00 at offset 4');
  });

  it('refuses a mapping whose column is not in the file before keeping anything', async () => {
    const kept: AnyRecord[] = [];
    const bad = mapping(['Número', 'Data de envio']);
    bad.fields.cost = { source: 'column', column: 'Valor', transform: 'number' };
    await expect(
      importCsvStream(
        pieces(utf8('Número;Data de envio\n5511;10/03/2026\n'), 8),
        'x.csv',
        bad,
        async (records) => {
          kept.push(...records);
        },
      ),
    ).rejects.toThrow(
      'the mapping does not fit this file: cost: column "Valor" is not in the file (its columns: Número, Data de envio)',
    );
    expect(kept).toEqual([]);
  });

  it('maps the next rows while a write is in flight, with never two writes at once', async () => {
    const lines = [
      'Número;Data de envio;Status',
      ...Array.from({ length: 6_000 }, (_, i) => `55${i};10/03/2026;Lida`),
    ];
    let pulled = 0;
    async function* counted() {
      for await (const piece of pieces(utf8(lines.join('\n')), 4096)) {
        pulled++;
        yield piece;
      }
    }
    const writes: { count: number; pulled: number; finish(): void }[] = [];
    let inFlight = 0;
    let most = 0;
    const importing = importCsvStream(
      counted(),
      'x.csv',
      mapping(['Número', 'Data de envio', 'Status']),
      (records) => {
        inFlight++;
        most = Math.max(most, inFlight);
        return new Promise<void>((resolve) => {
          writes.push({
            count: records.length,
            pulled,
            finish: () => {
              inFlight--;
              resolve();
            },
          });
        });
      },
    );
    await expect.poll(() => writes.length).toBe(1);
    // The first write is not done, yet the file is read on (up to the next batch).
    await expect.poll(() => pulled).toBeGreaterThan(writes[0]!.pulled);
    for (let done = 0; done < 3; done++) {
      await expect.poll(() => writes.length).toBe(done + 1);
      writes[done]!.finish();
    }
    const summary = await importing;
    expect(most).toBe(1);
    expect(summary.kept).toBe(12_000);
    expect(writes.reduce((sum, write) => sum + write.count, 0)).toBe(12_000);
  });

  it('fails the import when a write fails, after the writes under way are done', async () => {
    const lines = [
      'Número;Data de envio;Status',
      ...Array.from({ length: 6_000 }, (_, i) => `55${i};10/03/2026;Lida`),
    ];
    let calls = 0;
    await expect(
      importCsvStream(
        pieces(utf8(lines.join('\n')), 4096),
        'x.csv',
        mapping(['Número', 'Data de envio', 'Status']),
        async () => {
          calls++;
          if (calls === 1) throw new Error('QuotaExceededError: the disk is full');
        },
      ),
    ).rejects.toThrow('QuotaExceededError: the disk is full');
    // The failure stopped the reading at the next batch: no write was started after it.
    expect(calls).toBe(1);
  });

  it('previews the head and first rows only', async () => {
    const lines = ['Número;Data de envio', ...Array.from({ length: 100 }, (_, i) => `55${i};10/03/2026`)];
    const preview = await previewCsv(new Blob([utf8(lines.join('\n')) as BlobPart]), 5);
    expect(preview).toMatchObject({
      headers: ['Número', 'Data de envio'],
      delimiter: ';',
      encoding: 'utf-8',
    });
    expect(preview.rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
  });
});

let store: LocalStore | undefined;
afterEach(async () => {
  await store?.delete();
  store = undefined;
});

describe('importCsvFile', () => {
  it('keeps the records as pending in the local store and reports progress to the end', async () => {
    store = new LocalStore(`csv-test-${Math.random().toString(36).slice(2)}`);
    const fractions: number[] = [];
    const file = new File([cp1252(PT) as BlobPart], 'disparos.csv');
    const summary = await importCsvFile(store, file, mapping(PT.split('\r\n')[0]!.split(';')), (f) =>
      fractions.push(f),
    );
    expect(summary).toMatchObject({ fileName: 'disparos.csv', kept: 4, invalidCount: 0 });
    // Messages and their statuses, each kind in its own pending chunks, pushed with the next sync.
    const pending = await store.pendingRecords.toArray();
    expect(pending.every((chunk) => chunk.source === 'disparos.csv')).toBe(true);
    expect(pending.reduce((sum, chunk) => sum + chunk.count, 0)).toBe(4);
    expect(await store.pending.count()).toBe(0);
    expect(fractions.at(-1)).toBe(1);
  });
});
