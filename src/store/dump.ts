/**
 * Copying a whole store into another backend (`npm run migrate-store`). Not part of `Store`: only the
 * copy reads a store row by row. Rows travel as plain column → value objects, so a column added to
 * both backends is copied without a change here.
 */

/** The tables a copy carries, in an order that satisfies their references. The search index is rebuilt, not copied. */
export const copiedTables = ['sources', 'items', 'chats', 'subscriptions', 'deliveries'] as const;
export type CopiedTable = (typeof copiedTables)[number];

/** One row as the source backend holds it: column name → number, text or null. */
export type DumpRow = Record<string, string | number | null>;

/** Reads a store table by table, in batches by id. */
export interface StoreDump {
  count(table: CopiedTable): Promise<number>;
  /** Rows with an id above `afterId` (every row when null), by id, at most `limit`. */
  rows(table: CopiedTable, afterId: number | null, limit: number): Promise<DumpRow[]>;
  close(): Promise<void>;
}

/** A copy already made into the target, finished or not. */
export interface StoreCopyRecord {
  /** What it was copied from, as the user named it (no password). */
  source: string;
  finished: boolean;
}

/** Writes a copy into an empty store. */
export interface StoreLoad {
  count(table: CopiedTable): Promise<number>;
  /** The copy this store received, if any. */
  copyRecord(): Promise<StoreCopyRecord | null>;
  /** Records that a copy from `source` is under way (before the first row). */
  beginCopy(source: string): Promise<void>;
  /** The highest id of `table` already copied: a copy that stopped resumes after it. */
  lastId(table: CopiedTable): Promise<number | null>;
  /** Writes rows with their ids, in one transaction; rows already there stay as they are. Returns how many were new. */
  write(table: CopiedTable, rows: readonly DumpRow[]): Promise<number>;
  /** Sets the id counters past the copied rows and records the copy as finished. */
  finishCopy(): Promise<void>;
  close(): Promise<void>;
}
