// The outbox (SPEC §6): what the device made and the server has not confirmed yet, in order.
// Items: { seq, id, type, findingId?, request, state: 'pending'|'attention', attempts, ... }: `request` is the
// descriptor the sync loop sends (lib/requests.js); `type` says what the item is, for the views. Items queued by an
// older version of the app have no descriptor: every read gives them theirs (withRequest), so they are sent too.
// Nothing here talks to the network; the sync loop decides what happens to each item.
import { withRequest } from './requests.js';

const STORE = 'outbox';

export function createOutbox(dbp) {
  const db = () => dbp;
  const all = async () => (await (await db()).getAll(STORE)).map(withRequest); // keys are seq: already in order

  return {
    /** Queue items atomically, in the order given; `put` ([{ store, key?, value }]) is written in the same
     * transaction (an inspection's draft marked sent with its items: both or neither). Returns their seqs. */
    async add(items, { put = [] } = {}) {
      const stores = [...new Set([STORE, ...put.map((p) => p.store)])];
      const tx = (await db()).transaction(stores, 'readwrite');
      const seqs = [];
      for (const item of items) {
        seqs.push(await tx.objectStore(STORE).add({ attempts: 0, state: 'pending', createdAt: Date.now(), ...item }));
      }
      for (const { store, key, value } of put) await tx.objectStore(store).put(value, key);
      await tx.done;
      return seqs;
    },
    all,
    async pending() {
      return (await all()).filter((item) => item.state === 'pending');
    },
    async first() {
      const tx = (await db()).transaction(STORE);
      for (let cursor = await tx.store.openCursor(); cursor; cursor = await cursor.continue()) {
        if (cursor.value.state === 'pending') return withRequest(cursor.value);
      }
      return undefined;
    },
    async attention() {
      return (await all()).filter((item) => item.state === 'attention');
    },
    /** Every unsent item, the ones set aside included: they are not sent either. */
    async count() {
      return (await db()).count(STORE);
    },
    async get(seq) {
      return withRequest(await (await db()).get(STORE, seq));
    },
    async update(seq, patch) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      const item = await tx.store.get(seq);
      if (item) await tx.store.put({ ...item, ...patch });
      await tx.done;
    },
    async moveAside(seq, problem) {
      await this.update(seq, { state: 'attention', problem });
    },
    async requeue(seq, patch = {}) {
      await this.update(seq, { state: 'pending', problem: null, attempts: 0, ...patch });
    },
    async remove(seq) {
      return (await db()).delete(STORE, seq);
    },
    /** Take items out and write `put` in one transaction (an inspection back to its draft: both or neither). */
    async removeMany(seqs, { put = [] } = {}) {
      const stores = [...new Set([STORE, ...put.map((p) => p.store)])];
      const tx = (await db()).transaction(stores, 'readwrite');
      for (const seq of seqs) await tx.objectStore(STORE).delete(seq);
      for (const { store, key, value } of put) await tx.objectStore(store).put(value, key);
      await tx.done;
    },
    async forFinding(findingId) {
      return (await all()).filter((item) => item.findingId === findingId);
    },
    async clear() {
      return (await db()).clear(STORE);
    },
  };
}
