// CloudEvents 1.0 as the hub carries them, and the topic naming convention.

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  data?: unknown;
  data_base64?: string;
  partitionkey?: string;
  [extension: string]: unknown;
}

/**
 * Topic naming: `<prefix>.<entity>` where the entity is the event type without its final
 * verb segment, so every change to one entity (dibuat, diperbarui, ...) shares a topic and
 * stays in order per key. `pengaduan.diterima` → `penghubung.pengaduan`;
 * `anggaran.sub-kegiatan.diperbarui` → `penghubung.anggaran.sub-kegiatan`.
 * Dead letters of a topic go to `<prefix>.dlq.<entity>`.
 */
export function topicForType(prefix: string, type: string): string {
  const cut = type.lastIndexOf('.');
  return `${prefix}.${cut > 0 ? type.slice(0, cut) : type}`;
}

export function deadLetterTopicForType(prefix: string, type: string): string {
  return topicForType(`${prefix}.dlq`, type);
}

/** The partition key: the `partitionkey` extension, else the subject, else the id. */
export function partitionKeyOf(event: CloudEvent): string {
  return event.partitionkey ?? event.subject ?? event.id;
}
