import { ValueTransformer } from 'typeorm';

/** bigint columns arrive from pg as strings; our values (ms timestamps, seqs) fit a double exactly. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
