/** One measured figure, as written to `results/<suite>.json`. */
export interface BenchResult {
  /** What was measured: `@lifeline/rpc`, `vscode-jsonrpc`, `limit: raw pipe`, … */
  subject: string;
  /** The scenario: `requests/s c=64 330B`, … */
  case: string;
  value: number;
  unit: string;
}

/** A benchmark suite run by `pnpm bench <name>`. */
export interface BenchSuite {
  name: string;
  description: string;
  run(): Promise<BenchResult[]>;
}
