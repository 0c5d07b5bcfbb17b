/**
 * The store port (presence/store.ts) on Azure Table Storage, through @azure/data-tables; Azurite speaks the
 * same protocol. One entity per record: PartitionKey and RowKey from the key, the value as a JSON string
 * property, and `expiresAt` as an Edm.DateTime so `sweep` can find expired records with a filter.
 *
 * Atomicity comes from the service: createEntity fails with 409 when the row exists, and an update or delete
 * with an ETag fails with 412 when the row changed. A create over an expired row replaces it with that row's
 * ETag, so two creates racing over the same expired record still have one winner.
 */
import { TableClient, odata, type TableEntity, type TableEntityResult, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { StoreError, type ListOptions, type RecordStore, type StoreKey, type StoredRecord, type WriteOptions } from '../presence/store';

interface Row {
  readonly json: string;
  readonly expiresAt?: Date;
}

/** Table keys may not hold these nor control characters; our keys are GUIDs and fixed words, so one is a bug. */
const FORBIDDEN_KEY = /[/\\#?]/;
const hasControl = (text: string) => [...text].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));
/** A string property holds at most 64 KiB (32K UTF-16 code units). */
const MAX_JSON = 32_000;
const LOOPBACK_URL = /^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/i;

/** Fails fast rather than holding a command for the SDK's default of several long retries. */
const CLIENT_OPTIONS: TableServiceClientOptions = { retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 800 } };

export type TableStoreSource =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'tableUrl'; readonly url: string; readonly credential: TokenCredential };

export class TableRecordStore implements RecordStore {
  private ensured?: Promise<void>;

  constructor(
    private readonly client: TableClient,
    private readonly now: () => number = Date.now,
  ) {}

  static open(source: TableStoreSource, tableName: string, now?: () => number): TableRecordStore {
    if (source.kind === 'tableUrl') return new TableRecordStore(new TableClient(source.url, tableName, source.credential, CLIENT_OPTIONS), now);
    const endpoint = /TableEndpoint=([^;]+)/i.exec(source.connectionString)?.[1] ?? '';
    const development = /UseDevelopmentStorage=true/i.test(source.connectionString);
    // Plain http only to Azurite on this machine; anything else must be https.
    const allowInsecureConnection = development || LOOPBACK_URL.test(endpoint);
    return new TableRecordStore(TableClient.fromConnectionString(source.connectionString, tableName, { ...CLIENT_OPTIONS, allowInsecureConnection }), now);
  }

  get tableName(): string {
    return this.client.tableName;
  }

  /**
   * Creates the table if it is absent (idempotent). Every operation awaits it; once it has succeeded it is not
   * asked again, and after a failure (the store was down) the next operation tries again.
   */
  ensureTable(): Promise<void> {
    this.ensured ??= this.client.createTable().then(
      () => undefined,
      (err: unknown) => {
        this.ensured = undefined;
        throw storeError(err);
      },
    );
    return this.ensured;
  }

  async read(key: StoreKey): Promise<StoredRecord | undefined> {
    await this.ensureTable();
    const entity = await this.get(key);
    return entity && !this.expired(entity) ? toRecord(entity) : undefined;
  }

  async create(key: StoreKey, value: unknown, options: WriteOptions = {}): Promise<string> {
    const entity = this.entity(key, value, options);
    await this.ensureTable();
    for (let attempt = 1; ; attempt += 1) {
      try {
        return etagOf(await this.client.createEntity(entity));
      } catch (err) {
        this.tableGone(err);
        if (statusOf(err) !== 409) throw storeError(err);
      }
      const existing = await this.get(key);
      if (existing && !this.expired(existing)) throw new StoreError('conflict', 'exists');
      if (existing) return this.replace(key, value, existing.etag, options);
      // Deleted between the insert and the read (a sweep): insert again, a few times at most.
      if (attempt >= 3) throw new StoreError('conflict', 'contended');
    }
  }

  async replace(key: StoreKey, value: unknown, etag: string, options: WriteOptions = {}): Promise<string> {
    await this.ensureTable();
    try {
      return etagOf(await this.client.updateEntity(this.entity(key, value, options), 'Replace', { etag }));
    } catch (err) {
      throw this.tableGone(err) ? storeError(err) : storeError(err, [404, 412]);
    }
  }

  async upsert(key: StoreKey, value: unknown, options: WriteOptions = {}): Promise<string> {
    await this.ensureTable();
    try {
      return etagOf(await this.client.upsertEntity(this.entity(key, value, options), 'Replace'));
    } catch (err) {
      throw storeError(err);
    }
  }

  async delete(key: StoreKey, etag?: string): Promise<boolean> {
    checkKey(key);
    await this.ensureTable();
    try {
      await this.client.deleteEntity(key.partition, key.row, etag === undefined ? {} : { etag });
      return true;
    } catch (err) {
      if (statusOf(err) === 404 && !this.tableGone(err)) return false;
      throw storeError(err, [412]);
    }
  }

  async list(partition: string, options: ListOptions = {}): Promise<ReadonlyMap<string, StoredRecord>> {
    checkKey({ partition, row: options.rowsBelow ?? '' });
    await this.ensureTable();
    const rows = new Map<string, StoredRecord>();
    const filter =
      options.rowsBelow === undefined ? odata`PartitionKey eq ${partition}` : odata`PartitionKey eq ${partition} and RowKey lt ${options.rowsBelow}`;
    try {
      // A partition comes back in RowKey order, so the first `limit` rows are the earliest.
      for await (const entity of this.client.listEntities<Row>({ queryOptions: { filter } })) {
        if (options.limit !== undefined && rows.size >= options.limit) break;
        if (options.includeExpired || !this.expired(entity)) rows.set(entity.rowKey ?? '', toRecord(entity));
      }
    } catch (err) {
      throw storeError(err);
    }
    return rows;
  }

  /** Deletes expired rows with their ETags: a row renewed meanwhile (a new ETag) stays. */
  async sweep(now: Date): Promise<number> {
    await this.ensureTable();
    let deleted = 0;
    try {
      for await (const entity of this.client.listEntities<Row>({ queryOptions: { filter: odata`expiresAt le ${now}`, select: ['PartitionKey', 'RowKey'] } })) {
        const key = { partition: entity.partitionKey ?? '', row: entity.rowKey ?? '' };
        if (await this.delete(key, entity.etag).catch(() => false)) deleted += 1;
      }
    } catch (err) {
      throw storeError(err);
    }
    return deleted;
  }

  /** The table exists (created if need be) and answers a point read. */
  async check(): Promise<void> {
    await this.ensureTable();
    await this.read({ partition: 'health', row: 'check' });
  }

  private async get(key: StoreKey): Promise<TableEntityResult<Row> | undefined> {
    checkKey(key);
    try {
      return await this.client.getEntity<Row>(key.partition, key.row);
    } catch (err) {
      if (statusOf(err) === 404 && !this.tableGone(err)) return undefined;
      throw storeError(err);
    }
  }

  private entity(key: StoreKey, value: unknown, options: WriteOptions): TableEntity<Row> {
    checkKey(key);
    const json = JSON.stringify(value);
    if (json === undefined || json.length > MAX_JSON) throw new StoreError('invalid', json === undefined ? 'value is not JSON' : 'value too large');
    return { partitionKey: key.partition, rowKey: key.row, json, ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}) };
  }

  /**
   * A 404 for the table itself (deleted while the app ran), told by the service's error code (the
   * x-ms-error-code header, which the SDK puts in `details.errorCode`): not "no record"; the next operation
   * creates the table again.
   */
  private tableGone(err: unknown): boolean {
    const gone = (err as { details?: { errorCode?: unknown } } | null)?.details?.errorCode === 'TableNotFound';
    if (gone) this.ensured = undefined;
    return gone;
  }

  private expired(entity: TableEntityResult<Row>): boolean {
    const at = expiryOf(entity);
    return !!at && at.getTime() <= this.now();
  }
}

function checkKey(key: StoreKey): void {
  const bad = (part: string) => FORBIDDEN_KEY.test(part) || hasControl(part) || part.length > 512;
  if (bad(key.partition) || bad(key.row)) {
    throw new StoreError('invalid', 'key');
  }
}

function expiryOf(entity: TableEntityResult<Row>): Date | undefined {
  const raw: unknown = entity.expiresAt;
  if (raw instanceof Date) return raw;
  return typeof raw === 'string' ? new Date(raw) : undefined;
}

function toRecord(entity: TableEntityResult<Row>): StoredRecord {
  let value: unknown;
  try {
    value = JSON.parse(entity.json) as unknown;
  } catch {
    value = undefined; // a reader treats an unreadable record like one of an unknown shape
  }
  const expiresAt = expiryOf(entity);
  return { value, etag: entity.etag, ...(expiresAt ? { expiresAt } : {}) };
}

function etagOf(response: { etag?: string }): string {
  if (!response.etag) throw new StoreError('unavailable', 'no etag in the response');
  return response.etag;
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The SDK's RestError as a StoreError: `conflicts` statuses are preconditions that failed, 400 a request we should
 * not have made; everything else (no answer, 5xx, throttling, 401/403 from missing role assignments) is `unavailable`.
 */
function storeError(err: unknown, conflicts: readonly number[] = []): StoreError {
  if (err instanceof StoreError) return err;
  const status = statusOf(err);
  if (status !== undefined && conflicts.includes(status)) return new StoreError('conflict', `HTTP ${status}`);
  if (status === 400 || status === 413) return new StoreError('invalid', `HTTP ${status}`);
  const code = (err as { code?: unknown } | null)?.code;
  return new StoreError('unavailable', status === undefined ? (typeof code === 'string' ? code : 'no answer') : `HTTP ${status}`);
}
