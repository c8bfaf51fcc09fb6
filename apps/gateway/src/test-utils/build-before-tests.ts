// Vitest global setup: the integration tests spawn the built gateway and hosts.
import { buildWorkspace } from '@lifeline/vitest-config/build';

export default function buildBeforeTests(): void {
  buildWorkspace('@lifeline/gateway');
}
