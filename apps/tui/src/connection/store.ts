/**
 * A value that changes over time, readable with `useSyncExternalStore`: `getSnapshot` returns the
 * same object until the next `publish`.
 */
export class Store<Snapshot> {
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();

  constructor(initial: Snapshot) {
    this.snapshot = initial;
  }

  readonly getSnapshot = (): Snapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  publish(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    for (const listener of this.listeners) listener();
  }
}
