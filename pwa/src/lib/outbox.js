// The outbox (SPEC §6): what the device made and the server has not confirmed yet, in order.
// Items: { seq, id, type: 'create'|'photo'|'event', findingId, state: 'pending'|'attention', ... }.
// Nothing here talks to the network; the sync loop decides what happens to each item.

const STORE = 'outbox';

export function createOutbox(dbp) {
  const db = () => dbp;
  const all = async () => (await db()).getAll(STORE); // keys are seq: already in order

  return {
    /** Queue items atomically, in the order given. Returns their seqs. */
    async add(items) {
      const tx = (await db()).transaction(STORE, 'readwrite');
      const seqs = [];
      for (const item of items) {
        seqs.push(await tx.store.add({ attempts: 0, state: 'pending', createdAt: Date.now(), ...item }));
      }
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
        if (cursor.value.state === 'pending') return cursor.value;
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
      return (await db()).get(STORE, seq);
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
    async forFinding(findingId) {
      return (await all()).filter((item) => item.findingId === findingId);
    },
    async clear() {
      return (await db()).clear(STORE);
    },
  };
}
