// Vitest global setup: the chaos run spawns the built gateway (and through it the built hosts).
import { buildWorkspace } from '@lifeline/vitest-config/build';

export default function buildBeforeTests(): void {
  buildWorkspace('@lifeline/gateway');
}
