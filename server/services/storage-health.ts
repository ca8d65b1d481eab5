/**
 * Whether the database could store the last write it was asked for. A full disk makes every
 * submission fail with 503 storage_full; the console polls this to put up a red banner, so the
 * office learns of it from the screen, not from the phones in the hall. In memory: it describes
 * this process's file, and clears at the first write that succeeds again.
 */
export class StorageHealth {
  #failingSince: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  failed(): void {
    this.#failingSince ??= this.now();
  }

  stored(): void {
    this.#failingSince = null;
  }

  status(): { storageFull: boolean; since: number | null } {
    return { storageFull: this.#failingSince !== null, since: this.#failingSince };
  }
}
