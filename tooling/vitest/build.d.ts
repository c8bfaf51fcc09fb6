/**
 * Builds the workspace packages a turbo filter selects, and what they depend on; only errors are
 * printed. For the global setup of integration tests that spawn built programs.
 * @param filter a turbo `--filter`, e.g. `@lifeline/gateway`
 */
export declare function buildWorkspace(filter: string): void;
