// The names the reference API gives codes: first what a connector brought at run time (SIPD's
// nomenclature poll), then the cited extracts shipped in referensi/ (and the archive classes of
// src/domain). A code neither knows is unknown to the hub.
import { readFileSync } from 'node:fs';
import { KELAS_ARSIP } from '../domain/klasifikasi-arsip.js';
import { projectPath } from '../schemas.js';
import type { JenisReferensi } from './kode-referensi.js';

export interface Nama {
  nama: string;
  /** Where the name comes from: `SIPD` or the regulation an extract cites. */
  sumber: string;
}

/** A name a connector's view holds for a code, looked up at run time. */
export type LiveLookup = (jenis: JenisReferensi, kodeNormal: string) => Nama | undefined;

interface Extract {
  source: string;
  entries: Record<string, string>;
}

function readExtract(file: string): Extract {
  const parsed = JSON.parse(readFileSync(projectPath('referensi', file), 'utf8')) as Extract;
  if (typeof parsed.source !== 'string' || typeof parsed.entries !== 'object' || parsed.entries === null) throw new Error(`referensi/${file} needs source and entries`);
  return parsed;
}

/** `official: Kepmendagri 050-5889/2021 (…), lampiran` → `Kepmendagri 050-5889/2021`. */
const citation = (source: string): string => source.replace(/^official:\s*/, '').replace(/\s*[(,].*$/, '');

export class ReferenceData {
  private readonly extracts: Record<JenisReferensi, Map<string, Nama>>;

  constructor(private readonly live: LiveLookup = () => undefined) {
    const fromFile = (file: string): Map<string, Nama> => {
      const extract = readExtract(file);
      const sumber = citation(extract.source);
      return new Map(Object.entries(extract.entries).map(([kode, nama]) => [kode, { nama, sumber }]));
    };
    this.extracts = {
      'sub-kegiatan': fromFile('sub-kegiatan.json'),
      'kode-rekening': fromFile('kode-rekening.json'),
      'klasifikasi-arsip': new Map([...KELAS_ARSIP].map(([kode, nama]) => [kode, { nama, sumber: 'Permendagri 83/2022' }])),
    };
  }

  /** The name of a code in its current spelling, or undefined when the hub does not know it. */
  nameOf(jenis: JenisReferensi, kodeNormal: string): Nama | undefined {
    return this.live(jenis, kodeNormal) ?? this.extracts[jenis].get(kodeNormal);
  }
}

/** The view SIPD's nomenclature poll fills (connectors/sipd, operation daftar-nomenklatur). */
export const NOMENKLATUR_VIEW = 'sipd.daftar-nomenklatur';

/** Looks nomenclature codes up in the SIPD view, through the connector layer's view reader. */
export function nomenklaturFromViews(viewEntity: (view: string, id: string) => unknown): LiveLookup {
  return (jenis, kodeNormal) => {
    if (jenis !== 'sub-kegiatan') return undefined;
    const entity = viewEntity(NOMENKLATUR_VIEW, kodeNormal) as { nama?: unknown } | undefined;
    return typeof entity?.nama === 'string' && entity.nama !== '' ? { nama: entity.nama, sumber: 'SIPD' } : undefined;
  };
}
