import type { Locale } from '../../../shared/i18n.ts';
import type { CsvDelimiter, CsvEncoding } from '../../../shared/import/csv-reader.ts';

/** The CSV import's texts (kept apart from app/i18n.ts so the import screen's work merges alone). */
export interface CsvMessages {
  title: string;
  intro: string;
  choose: string;
  detected: (delimiter: CsvDelimiter, encoding: CsvEncoding, columns: number) => string;
  firstRows: string;
  savedMapping: string;
  savedNone: string;
  apply: string;
  kind: string;
  dateFormat: string;
  timeZone: string;
  field: string;
  source: string;
  notImported: string;
  constant: string;
  constantValue: (field: string) => string;
  required: string;
  forStatus: string;
  recordsPreview: string;
  previewOk: (line: number, records: string) => string;
  problems: string;
  saveAs: string;
  save: string;
  saved: (name: string) => string;
  importButton: string;
  running: (fileName: string) => string;
  done: (kept: string, rows: string, invalid: string) => string;
  line: (line: number, error: string) => string;
  more: (count: string) => string;
  failed: (error: string) => string;
}

const ENCODINGS: Record<CsvEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (BOM)',
  'windows-1252': 'Windows-1252',
};

export const CSV_MESSAGES: Record<Locale, CsvMessages> = {
  en: {
    title: 'Import CSV',
    intro:
      "The messaging platform's broadcast and SMS exports: pick the file, check how its columns map to records, then import. Records are kept and sent to the server; lines that do not map are listed.",
    choose: 'Choose a .csv file',
    detected: (delimiter, encoding, columns) =>
      `Separator "${delimiter}", encoding ${ENCODINGS[encoding]}, ${columns} columns.`,
    firstRows: 'First rows of the file',
    savedMapping: 'Saved mapping',
    savedNone: '(none)',
    apply: 'Apply',
    kind: 'Records to make',
    dateFormat: 'Date format',
    timeZone: 'Time zone of the dates',
    field: 'Field',
    source: 'Comes from',
    notImported: '(not imported)',
    constant: 'A constant…',
    constantValue: (field) => `Constant for ${field}`,
    required: 'required',
    forStatus: 'makes a delivery status too',
    recordsPreview: 'Records the first rows make',
    previewOk: (line, records) => `Line ${line}: ${records}`,
    problems: 'The mapping does not fit yet',
    saveAs: 'Save mapping as…',
    save: 'Save mapping',
    saved: (name) => `Mapping "${name}" saved.`,
    importButton: 'Import',
    running: (fileName) => `Importing ${fileName}…`,
    done: (kept, rows, invalid) => `${kept} records kept from ${rows} rows, ${invalid} invalid lines.`,
    line: (line, error) => `Line ${line}: ${error}`,
    more: (count) => `…and ${count} more invalid lines.`,
    failed: (error) => `The file cannot be imported: ${error}`,
  },
  'pt-BR': {
    title: 'Importar CSV',
    intro:
      'As exportações de disparos e SMS da plataforma de mensagens: escolha o arquivo, confira como as colunas viram registros e importe. Os registros são mantidos e enviados ao servidor; as linhas que não se encaixam são listadas.',
    choose: 'Escolha um arquivo .csv',
    detected: (delimiter, encoding, columns) =>
      `Separador "${delimiter}", codificação ${ENCODINGS[encoding]}, ${columns} colunas.`,
    firstRows: 'Primeiras linhas do arquivo',
    savedMapping: 'Mapeamento salvo',
    savedNone: '(nenhum)',
    apply: 'Aplicar',
    kind: 'Registros a criar',
    dateFormat: 'Formato das datas',
    timeZone: 'Fuso horário das datas',
    field: 'Campo',
    source: 'Vem de',
    notImported: '(não importar)',
    constant: 'Um valor fixo…',
    constantValue: (field) => `Valor fixo de ${field}`,
    required: 'obrigatório',
    forStatus: 'cria também um status de entrega',
    recordsPreview: 'Registros que as primeiras linhas criam',
    previewOk: (line, records) => `Linha ${line}: ${records}`,
    problems: 'O mapeamento ainda não se encaixa',
    saveAs: 'Salvar mapeamento como…',
    save: 'Salvar mapeamento',
    saved: (name) => `Mapeamento "${name}" salvo.`,
    importButton: 'Importar',
    running: (fileName) => `Importando ${fileName}…`,
    done: (kept, rows, invalid) =>
      `${kept} registros mantidos de ${rows} linhas, ${invalid} linhas inválidas.`,
    line: (line, error) => `Linha ${line}: ${error}`,
    more: (count) => `…e mais ${count} linhas inválidas.`,
    failed: (error) => `O arquivo não pode ser importado: ${error}`,
  },
};
