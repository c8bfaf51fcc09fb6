// Vitest global setup: the end-to-end tests run the built TUI, gateway and hosts.
import { buildWorkspace } from '@lifeline/vitest-config/build';

export default function buildBeforeTests(): void {
  buildWorkspace('@lifeline/cli');
}
