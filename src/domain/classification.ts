// Data classification carried by every field of the canonical schemas (`x-classification`).

/** From least to most restricted. Personal data (UU 27/2022) is `terbatas` or higher. */
export const CLASSIFICATIONS = ['publik', 'terbatas', 'rahasia'] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];

/** The schema keyword that carries a field's classification. */
export const CLASSIFICATION_KEYWORD = 'x-classification';

export const isClassification = (value: unknown): value is Classification =>
  (CLASSIFICATIONS as readonly unknown[]).includes(value);

/** Position in CLASSIFICATIONS: 0 publik, 1 terbatas, 2 rahasia. */
export const classificationRank = (value: Classification): number => CLASSIFICATIONS.indexOf(value);
