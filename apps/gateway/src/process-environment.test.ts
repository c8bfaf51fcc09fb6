import fc from 'fast-check';
import { fuzzParameters } from '@lifeline/vitest-config/fuzz';
import { describe, expect, test } from 'vitest';
import { internalProcessEnv, userProcessEnv } from './process-environment.js';

const variableName = fc.oneof(
  fc.constantFrom('NODE_EXTRA_CA_CERTS', 'PATH', 'HOME', 'NODE_OPTIONS', 'LIFELINE_HOME'),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,12}$/),
);
const environment = fc.dictionary(variableName, fc.string(), { maxKeys: 12 });

describe('process environments', () => {
  test('gateways and hosts start without NODE_EXTRA_CA_CERTS; the shell gets it back as it was', () => {
    fc.assert(
      fc.property(environment, (env) => {
        const internal = internalProcessEnv(env);
        expect(internal.NODE_EXTRA_CA_CERTS).toBeUndefined();
        // A host started by a gateway moves nothing twice; the shell sees exactly what the TUI had.
        expect(userProcessEnv(internalProcessEnv(internal))).toEqual(env);
      }),
      fuzzParameters('process environment: deferred variables round trip'),
    );
  });

  test('a variable the shell is given explicitly is not overwritten by the deferred one', () => {
    const internal = internalProcessEnv({ NODE_EXTRA_CA_CERTS: '/etc/corp.pem', PATH: '/bin' });
    expect(internal).toEqual({
      LIFELINE_DEFERRED_NODE_EXTRA_CA_CERTS: '/etc/corp.pem',
      PATH: '/bin',
    });
    expect(userProcessEnv({ ...internal, NODE_EXTRA_CA_CERTS: '/home/me/other.pem' })).toEqual({
      NODE_EXTRA_CA_CERTS: '/home/me/other.pem',
      PATH: '/bin',
    });
  });
});
