/**
 * The agent's address as the Pontual server sees it (`GET /api/v1/ip`). Never guessed: without a
 * server, or offline, it is empty, and events carry no IP.
 */
export class AddressLookup {
  private current = '';
  private inFlight: Promise<void> | undefined;

  get ip(): string {
    return this.current;
  }

  /** Asks the server again (a login or a network change may mean a new address). */
  refresh(serverUrl: string): Promise<void> {
    if (serverUrl === '') {
      this.current = '';
      return Promise.resolve();
    }
    this.inFlight ??= (async () => {
      try {
        const response = await fetch(`${serverUrl}/api/v1/ip`, { signal: AbortSignal.timeout(3_000) });
        const body = response.ok ? ((await response.json()) as { ip?: unknown }) : {};
        this.current = typeof body.ip === 'string' ? body.ip : '';
      } catch {
        this.current = '';
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }
}
