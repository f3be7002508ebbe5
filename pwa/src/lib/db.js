// One IndexedDB database for the device: the outbox, the offline read cache and small key/values.
import { openDB } from 'idb';

export const DB_NAME = 'closeloop';

export function openStore(name = DB_NAME) {
  return openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('kv');
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('findings', { keyPath: 'id' });
    },
  });
}

export function createKv(dbp) {
  return {
    get: async (key) => (await dbp).get('kv', key),
    set: async (key, value) => (await dbp).put('kv', value, key),
    del: async (key) => (await dbp).delete('kv', key),
    /** The values under keys that start with `prefix` (an inspection's drafts: inspection:<user>:<id>). */
    entries: async (prefix) => (await dbp).getAll('kv', IDBKeyRange.bound(prefix, `${prefix}\uffff`)),
  };
}
