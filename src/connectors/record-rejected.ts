// How a mapping says one native record cannot be mapped (shared through the SDK).

/**
 * A native record that cannot be mapped: the runtime quarantines it with its reason and goes on
 * with the other records of the document. `reason` is a short, stable kebab-case code (a metric
 * label: keep it low-cardinality), e.g. `layout-unknown`, `date-invalid`, `money-unreadable`,
 * `status-unknown`, `field-missing`. `detail` is for people: it names the field and what was
 * wrong, never a personal value ("the NIK is not 16 digits", not the NIK).
 */
export class RecordRejected extends Error {
  readonly reason: string;

  constructor(reason: string, detail: string) {
    super(detail);
    this.name = 'RecordRejected';
    this.reason = reason;
  }
}
